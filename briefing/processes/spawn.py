"""Child processes of our own, spoken to over pipes.

The dashboard keeps its interpreter lock for drawing and keys: refreshing
(workers/refresh_worker.py) and assembling the briefing (workers/briefing_worker.py) run
in children started with our own interpreter. Not `multiprocessing`: no fork
from a process that has threads, and no re-import of the caller's __main__.

Messages are frames.py's length-prefixed pickles.
"""

from __future__ import annotations

import functools
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

import briefing
from briefing.processes import lifeline
from briefing.text.sanitize import clean_line


def child_command(module: str, function: str) -> tuple[list[str], dict[str, str]]:
    """The argv and environment that run `module.function()` in a child with
    our own interpreter, importing the same briefing as this process, and
    dying with this process (lifeline.py)."""
    env = dict(os.environ)
    package_parent = str(Path(briefing.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
    return [sys.executable, "-c", lifeline.entry_code(os.getpid(), module, function)], env


def start(entry: str) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """Start `python -c "from MODULE import FUNCTION; FUNCTION()"` for entry
    "MODULE:FUNCTION", importing the same briefing as this process, as a
    child that dies with this process (lifeline.py). Returns
    the process and the file its stderr goes to (a file, not a pipe: a child
    that writes much there must never block on a pipe nobody reads)."""
    module, function = entry.split(":")
    argv, env = child_command(module, function)
    errors = tempfile.TemporaryFile()
    try:
        process = _from_a_lasting_thread(
            lambda: subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env)
        )
    except BaseException:
        errors.close()
        raise
    return process, errors


def pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    """The child's stdin and stdout, which start() always opens."""
    if process.stdin is None or process.stdout is None:
        raise ValueError("the child process has no pipes")
    return process.stdin, process.stdout


def _from_a_lasting_thread(spawn: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """spawn() on the main thread, or on one thread kept for the life of
    this process: the kernel kills a child when the thread that started it
    ends (lifeline.py), and the dashboard starts its children from worker
    threads that end before the children should."""
    if threading.current_thread() is threading.main_thread():
        return spawn()
    return _Spawner.get().call(spawn)


class _Spawner:
    """One daemon thread that starts processes for other threads."""

    _instance: _Spawner | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.requests: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="briefing-spawner", daemon=True).start()

    @classmethod
    def get(cls) -> _Spawner:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def call(self, spawn: Callable[[], subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
        done = threading.Event()
        outcome: list = []
        self.requests.put((spawn, outcome, done))
        done.wait()
        kind, value = outcome[0]
        if kind == "error":
            raise value
        return value

    def _serve(self) -> None:
        while True:
            spawn, outcome, done = self.requests.get()
            try:
                outcome.append(("ok", spawn()))
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked
                outcome.append(("error", exc))
            done.set()


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


def last_error_line(errors: IO[bytes]) -> str:
    """The last non-empty line the child wrote to stderr, cleaned; "" once
    the file is closed (the dashboard stopping the child as it quits)."""
    try:
        errors.seek(0)
        lines = [clean_line(line.decode("utf-8", "replace")) for line in errors.read().splitlines()]
    except ValueError:
        return ""
    return next((line for line in reversed(lines) if line), "")


def child_pipes() -> tuple[IO[bytes], IO[bytes]]:
    """In a child: its message pipes. Anything printed goes to stderr, never
    into the message channel."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    return source, sink


def give_back_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc only; a no-op
    elsewhere). Loading a large store decodes and drops thousands of
    analyses, and the freed memory stayed counted in the process's RSS
    (benchmarks/README.md, "Memory")."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        import ctypes  # only the briefing process trims; the dashboard imports this module too

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
