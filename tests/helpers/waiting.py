"""Waiting on a running Textual app's own state instead of a timed sleep:
a test goes on as soon as what it waits for is so, and fails with a clear
message when it does not come within a generous bound."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(pilot, condition: Callable[[], object], *, timeout: float = 15.0, what: str = "") -> None:
    """Let the app run until condition() is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not so after {timeout:g} s: {what or condition}")
        # A short real sleep, so that threads and child processes get to run too.
        await pilot.pause(0.01)
    await pilot.pause()  # and what that state started is handled


async def workers_done(pilot, group: str | None = None, *, timeout: float = 30.0) -> None:
    """Wait until the app's workers (of `group`, or all) have ended, however
    they ended, and the messages they posted have been handled."""
    workers = [w for w in pilot.app.workers if group is None or w.group == group]
    waits = asyncio.gather(*(w.wait() for w in workers), return_exceptions=True)
    try:
        await asyncio.wait_for(waits, timeout)
    except TimeoutError:
        raise AssertionError(f"workers still running after {timeout:g} s: {workers}") from None
    await pilot.pause()


async def briefing_shown(pilot, *, timeout: float = 30.0) -> None:
    """The dashboard has loaded the briefing (not only the saved one it
    starts with) and drawn it."""
    await workers_done(pilot, "load", timeout=timeout)
    assert pilot.app.briefing is not None, "the briefing did not load"
