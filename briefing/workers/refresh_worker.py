"""A refresh in a process of its own, for the dashboard.

Fetching, storing and, above all, analysing the new articles afterwards are
Python work that holds the interpreter lock, so on a thread of the dashboard
keys would wait behind them. Here the whole refresh, and the analysis of
what it brought, run in a child process (processes/spawn.py), a little nicer
than the dashboard, which reports back over a pipe. The dashboard only draws
the progress, then has the briefing process (workers/briefing_worker.py)
merge the stored analyses.

The parent sends (config, store path); the child answers with events:
("feed", FeedOutcome, done, total), ("pages", done, total) as article
pages are fetched, ("analysing", done, total) and, last,
("report", RefreshReport) or ("error", words).

This module imports no `textual`. Imports inside functions: the child loads
the refresh's modules once it has made itself nicer, and the dashboard, which
imports this module too, needs none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.config import Config
from briefing.processes import frames, lifeline, spawn
from briefing.text.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.refresh.outcomes import FeedOutcome, RefreshReport

# Nicer than the dashboard: on two busy cores its screen wins.
REFRESH_NICENESS = 5


@dataclass(frozen=True)
class FeedDone:
    outcome: FeedOutcome
    done: int
    total: int


@dataclass(frozen=True)
class PagesFetching:
    """Article pages fetched for their whole text: done of total so far."""

    done: int
    total: int


@dataclass(frozen=True)
class Analysing:
    done: int
    total: int


@dataclass(frozen=True)
class Finished:
    report: RefreshReport | None  # None when it failed (error says why)
    error: str | None = None


class RefreshProcess:
    """Start with RefreshProcess(config, store_path); iterate events(); stop()."""

    def __init__(self, config: Config, store_path: Path) -> None:
        self.process, self.errors = spawn.start("briefing.workers.refresh_worker:_child_main")
        to_child, self._from_child = spawn.pipes(self.process)
        try:
            frames.send(to_child, (config, Path(store_path)))
            to_child.close()
        except OSError:
            pass  # the child died at once; events() says so

    def events(self) -> Iterator[FeedDone | PagesFetching | Analysing | Finished]:
        """Events as they come; always ends with one Finished."""
        try:
            yield from self._read_events()
        finally:
            spawn.wait(self.process)
            self._from_child.close()
            self.errors.close()

    def _read_events(self) -> Iterator[FeedDone | PagesFetching | Analysing | Finished]:
        while True:
            try:
                kind, *fields = frames.receive(self._from_child)
            except Exception:  # noqa: BLE001 - the end of the pipe, or a cut-off frame: the child stopped
                break
            if kind == "feed":
                yield FeedDone(*fields)
            elif kind == "pages":
                yield PagesFetching(*fields)
            elif kind == "analysing":
                yield Analysing(*fields)
            elif kind == "report":
                yield Finished(fields[0])
                return
            elif kind == "error":
                yield Finished(None, fields[0])
                return
        spawn.wait(self.process)
        yield Finished(None, self._death())

    def stop(self) -> None:
        """End the child (the dashboard is closing). A refresh stopped midway
        keeps every feed it had stored: each is its own transaction. The
        reader of events() then sees the end of the pipe."""
        spawn.end(self.process)

    def _death(self) -> str:
        code = self.process.returncode
        if code == -15:  # SIGTERM: stop() asked for it
            return "the refresh was stopped"
        detail = spawn.last_error_line(self.errors)
        return f"the refresh process ended unexpectedly (exit status {code}){': ' + detail if detail else ''}"


def _child_main() -> None:
    """The child: refresh, analyse what is new, report; never raises."""
    source, sink = spawn.child_pipes()
    lifeline.be_nicer(REFRESH_NICENESS)
    config, store_path = frames.receive(source)
    try:
        from briefing.refresh.run import refresh

        report = refresh(
            config,
            store_path,
            on_feed_done=lambda outcome, done, total: frames.send(sink, ("feed", outcome, done, total)),
            on_page_done=lambda done, total: frames.send(sink, ("pages", done, total)),
        )
        if report.changed_ids:
            from briefing.store.database import Store
            from briefing.workspace import analyse_pending

            with Store(store_path) as store:
                analyse_pending(
                    store, config.story, progress=lambda done, total: frames.send(sink, ("analysing", done, total))
                )
        frames.send(sink, ("report", report))
    except BrokenPipeError:
        return  # the dashboard has gone
    except Exception as exc:  # noqa: BLE001 - reported to the dashboard in words
        frames.send(sink, ("error", clean_line(f"Refresh failed: {exc}")))
