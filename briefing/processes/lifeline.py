"""Child processes that die with their parent.

Every process briefing starts (the parser processes, the dashboard's
briefing and refresh processes) calls die_with_parent() first thing, with
the pid of the process that started it. On Linux the kernel then kills the
child (SIGKILL, which nothing can catch or delay) the moment that parent
ends, however it ends: a child busy in a long parse, or holding the store's
write lock, writes nothing after its parent is gone. A parent already gone
by the time the child asks is caught by comparing getppid() with the pid
it was given.

The kernel ties the signal to the parent's *thread* that started the child,
not to the whole process: a child started from a thread that ends early
would be killed with it. So a process that outlives the thread that asked
for it is started from a thread that lasts as long as the process
(processes/spawn.py does this).

Elsewhere (no prctl) the child still ends when its parent's pipe closes.
This module imports nothing heavy: ctypes only in a child, on Linux (the
dashboard imports this module too).
"""

from __future__ import annotations

import os
import signal
import sys

# <linux/prctl.h>: ask for a signal when the parent (thread) ends.
_PR_SET_PDEATHSIG = 1


def entry_code(parent_pid: int, module: str, function: str) -> str:
    """The `python -c` text for a child: die with this parent, then run
    MODULE.FUNCTION()."""
    return (
        f"import briefing.processes.lifeline as l; l.die_with_parent({int(parent_pid)}); "
        f"from {module} import {function}; {function}()"
    )


def die_with_parent(parent_pid: int) -> None:
    """Be killed when the process that started us ends; end now if it
    already has."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl here: the pipe's end still ends us
            pass
    if os.getppid() != parent_pid:
        # The parent ended before the request took effect: we belong to no one.
        os._exit(1)


def be_nicer(niceness: int) -> None:
    try:
        os.nice(niceness)
    except (AttributeError, OSError):  # no nice() here; run as we are
        pass
