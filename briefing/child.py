"""Child processes of our own, spoken to over pipes.

The dashboard keeps its interpreter lock for drawing and keys: refreshing
(refresh_process.py) and assembling the briefing (briefing_process.py) run
in children started with our own interpreter. Not `multiprocessing`: no fork
from a process that has threads, and no re-import of the caller's __main__.

Messages are length-prefixed pickles. Both ends are our own code and nothing
else holds the pipes; what comes from feeds travels inside them as data.
"""

from __future__ import annotations

import functools
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

_FRAME = struct.Struct("!I")


def start(entry: str) -> tuple[subprocess.Popen, IO[bytes]]:
    """Start `python -c "from MODULE import FUNCTION; FUNCTION()"` for entry
    "MODULE:FUNCTION", importing the same briefing as this process. Returns
    the process and the file its stderr goes to (a file, not a pipe: a child
    that writes much there must never block on a pipe nobody reads)."""
    import briefing

    module, function = entry.split(":")
    env = dict(os.environ)
    package_parent = str(Path(briefing.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-c", f"from {module} import {function}; {function}()"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env)
    return process, errors


def wait(process: subprocess.Popen, seconds: float = 5) -> None:
    """Wait for the child to end; kill it if it has not within `seconds`."""
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def end(process: subprocess.Popen) -> None:
    """Ask the child to end now (SIGTERM), and wait for it."""
    if process.poll() is None:
        process.terminate()
    wait(process)


def send(pipe: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    pipe.write(_FRAME.pack(len(data)) + data)
    pipe.flush()


def receive(pipe: IO[bytes]) -> object:
    """The next message; EOFError when the other end has gone."""
    header = pipe.read(_FRAME.size)
    if len(header) < _FRAME.size:
        raise EOFError("the other end has gone")
    size = _FRAME.unpack(header)[0]
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("the other end has gone")
    return pickle.loads(data)


def last_error_line(errors: IO[bytes]) -> str:
    """The last non-empty line the child wrote to stderr, cleaned."""
    from briefing.sanitize import clean_line

    errors.seek(0)
    lines = [clean_line(line.decode("utf-8", "replace")) for line in errors.read().splitlines()]
    return next((line for line in reversed(lines) if line), "")


def child_pipes() -> tuple[IO[bytes], IO[bytes]]:
    """In a child: its message pipes. Anything printed goes to stderr, never
    into the message channel."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    return source, sink


def be_nicer(niceness: int) -> None:
    try:
        os.nice(niceness)
    except (AttributeError, OSError):  # no nice() here; run as we are
        pass


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only; a no-op
    elsewhere). Loading a large store decodes and drops thousands of
    analyses, and the freed memory stayed counted in the process's RSS:
    ~13 MB of the briefing process's ~105 MB on 100,000 articles
    (benchmarks/README.md, "Memory")."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
