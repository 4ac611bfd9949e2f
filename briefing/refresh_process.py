"""A refresh, or the analysis of stored articles, in a process of its own,
for the dashboard.

The dashboard used to refresh on a thread. Fetching, storing and, above all,
analysing the new articles afterwards are Python work that holds the
interpreter lock, so keys waited behind them (up to 300 ms during a 200-feed
refresh). Here the whole refresh, and the analysis of what it brought, run in
a child process started with our own interpreter, a little nicer than the
dashboard, and report back over a pipe. The dashboard only draws the progress
and then merges analyses that are already stored.

The same child, told not to refresh, only analyses what the store holds
unanalysed (after a refresh from cron, or when the story file changed), so
that the dashboard's first full briefing does not analyse thousands of
articles on a thread either.

The parent sends one pickle (config, store path, whether to refresh, whether
to analyse) on the child's stdin; the child answers with length-prefixed
pickles of events: ("feed", FeedOutcome, done, total), ("analysing", done,
total) and, last, ("report", RefreshReport or None when it did not refresh)
or ("error", words). Both ends are our own code: nothing else holds these
pipes.

This module imports no `textual`.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.config import Config

# Nicer than the dashboard: on two busy cores its screen wins.
REFRESH_NICENESS = 5

_FRAME = struct.Struct("!I")


@dataclass(frozen=True)
class FeedDone:
    outcome: object  # refresh.FeedOutcome
    done: int
    total: int


@dataclass(frozen=True)
class Analysing:
    done: int
    total: int


@dataclass(frozen=True)
class Finished:
    report: object | None  # refresh.RefreshReport; None when it failed (error says why) or did not refresh
    error: str | None = None


class RefreshProcess:
    """Start with RefreshProcess(config, store_path); iterate events(); stop()."""

    def __init__(self, config: Config, store_path: Path, *, refresh: bool = True, analyse: bool = True) -> None:
        import briefing

        env = dict(os.environ)
        package_parent = str(Path(briefing.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        # stderr goes to a file, not a pipe: a child that writes much there
        # (warnings) must never block on a pipe nobody reads until the end.
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from briefing.refresh_process import _child_main; _child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=env,
        )
        job = pickle.dumps((config, Path(store_path), refresh, analyse), pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(_FRAME.pack(len(job)) + job)
            self.process.stdin.close()
        except OSError:
            pass  # the child died at once; events() says so

    def events(self) -> Iterator[FeedDone | Analysing | Finished]:
        """Events as they come; always ends with one Finished."""
        try:
            yield from self._read_events()
        finally:
            self._wait()
            self.process.stdout.close()
            self.errors.close()

    def _read_events(self) -> Iterator[FeedDone | Analysing | Finished]:
        source = self.process.stdout
        while True:
            try:
                header = source.read(_FRAME.size)
                if len(header) < _FRAME.size:
                    break
                kind, *fields = pickle.loads(source.read(_FRAME.unpack(header)[0]))
            except Exception:  # noqa: BLE001 - a cut-off frame: the child was stopped
                break
            if kind == "feed":
                yield FeedDone(*fields)
            elif kind == "analysing":
                yield Analysing(*fields)
            elif kind == "report":
                yield Finished(fields[0])
                return
            elif kind == "error":
                yield Finished(None, fields[0])
                return
        self._wait()
        yield Finished(None, self._death())

    def stop(self) -> None:
        """End the child (the dashboard is closing). A refresh stopped midway
        keeps every feed it had stored: each is its own transaction. The
        reader of events() then sees the end of the pipe."""
        if self.process.poll() is None:
            self.process.terminate()
        self._wait()

    def _wait(self) -> None:
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _death(self) -> str:
        from briefing.sanitize import clean_line

        code = self.process.returncode
        detail = ""
        if self.process.returncode == -15:  # SIGTERM: stop() asked for it
            return "the refresh was stopped"
        self.errors.seek(0)
        lines = [clean_line(line.decode("utf-8", "replace")) for line in self.errors.read().splitlines()]
        detail = next((line for line in reversed(lines) if line), "")
        return f"the refresh process ended unexpectedly (exit status {code}){': ' + detail if detail else ''}"


def _child_main() -> None:
    """The child: refresh, analyse what is new, report; never raises."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing may print into the event channel
    try:
        os.nice(REFRESH_NICENESS)
    except (AttributeError, OSError):
        pass

    def send(*event) -> None:
        data = pickle.dumps(event, pickle.HIGHEST_PROTOCOL)
        sink.write(_FRAME.pack(len(data)) + data)
        sink.flush()

    header = source.read(_FRAME.size)
    config, store_path, do_refresh, analyse = pickle.loads(source.read(_FRAME.unpack(header)[0]))
    try:
        report = None
        if do_refresh:
            from briefing.refresh import refresh

            report = refresh(config, store_path,
                             on_feed_done=lambda outcome, done, total: send("feed", outcome, done, total))
        if analyse and (report is None or report.changed_ids):
            from briefing.store import Store
            from briefing.workspace import analyse_pending

            with Store(store_path) as store:
                analyse_pending(store, config.story, progress=lambda done, total: send("analysing", done, total))
        send("report", report)
    except BrokenPipeError:
        return  # the dashboard has gone
    except Exception as exc:  # noqa: BLE001 - reported to the dashboard in words
        from briefing.sanitize import clean_line

        what = "Refresh" if do_refresh else "Analysis"
        send("error", clean_line(f"{what} failed: {exc}"))
