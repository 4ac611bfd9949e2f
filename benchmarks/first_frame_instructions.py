"""Instructions from launch to the first painted frame, for briefing and for
the bare app, counted by valgrind's callgrind: the same count run after run
whatever else the machine is doing, where wall-clock start-up moves by
±10% here. It is what changes to start-up are judged by (benchmarks/log.md,
"Start-up: the first frame's widgets"); the start-up target itself is
measured in wall time by benchmarks/dashboard.py.

    uv run python benchmarks/first_frame_instructions.py [--store PATH]

Needs Debian's valgrind. Each launch runs under a pseudo-terminal (120x40)
about 50 times slower than normal, and stops itself (os._exit, so that
callgrind writes its counts) once the frame holding the marker is written:
the feed pane's "· N unread" for briefing, BARE-APP-READY for the bare app.
The figure is the main thread's count; the pre-screen store check runs on
a thread of its own and is reported apart. Default store: the 10k one that
benchmarks/dashboard.py makes.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import shutil
import struct
import sys
import tempfile
import termios
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import dashboard  # noqa: E402  (the launch environment and the first launch)

COLS, ROWS = dashboard.COLS, dashboard.ROWS

# Run inside the measured interpreter: stop at the first write that holds the marker.
STOPPER = r"""
import os, runpy, sys
def stop_at_marker():
    from textual.drivers.linux_driver import LinuxDriver
    write = LinuxDriver.write
    def marked(self, data):
        written = write(self, data)
        if "BARE-APP-READY" in data or "unread" in data:
            os._exit(0)
        return written
    LinuxDriver.write = marked
import builtins
_import = builtins.__import__
def watch(name, *args, **kwargs):
    module = _import(name, *args, **kwargs)
    driver = sys.modules.get("textual.drivers.linux_driver")
    if driver is not None and "LinuxDriver" in vars(driver):
        builtins.__import__ = _import
        stop_at_marker()
    return module
builtins.__import__ = watch
target, sys.argv = sys.argv[1], sys.argv[1:]
if target == "-m":
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    runpy.run_path(target, run_name="__main__")
"""


def count(argv: list[str], folder: Path, label: str) -> list[int]:
    """Each thread's instructions, main thread first."""
    out = folder / f"{label}.%p"
    stopper = folder / "stopper.py"
    stopper.write_text(STOPPER)
    env = dashboard.launch_env()
    command = [
        "valgrind",
        "--tool=callgrind",
        "--separate-threads=yes",
        f"--callgrind-out-file={out}",
        sys.executable,
        str(stopper),
        *argv,
    ]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.chdir("/")  # `-m briefing` then finds the installed tree, not one in the cwd
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    try:
        while True:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    counts = []
    for path in sorted(folder.glob(f"{label}.*-*")):
        found = re.search(r"^summary: (\d+)", path.read_text(), re.M)
        counts.append(int(found.group(1)) if found else 0)
    if not counts:
        raise RuntimeError(f"{label}: callgrind wrote no counts")
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="the store to launch briefing on (default: the 10k benchmark store)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    store = args.store
    if store is None:
        from make_store import ensure_store

        store, _ = ensure_store(articles=10_000)
    store = store.resolve()
    # A launch first, so the store has the saved briefing every later session paints.
    dashboard.launch(dashboard.briefing_argv(store), dashboard.BRIEFING_MARKER)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = count([str(REPO / "benchmarks" / "bare_app.py")], folder, "bare")
        ours = count(
            ["-m", "briefing", "--config", str(REPO / "feeds.toml"), "--cache", str(store)], folder, "briefing"
        )
    print(f"bare app:  {bare[0] / 1e6:8.1f} M instructions to its first frame")
    print(
        f"briefing:  {ours[0] / 1e6:8.1f} M instructions to its first painted briefing "
        f"({ours[0] / bare[0]:.3f}x the bare app); other threads "
        + ", ".join(f"{n / 1e6:.1f} M" for n in ours[1:] if n > 1_000_000)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
