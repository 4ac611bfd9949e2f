"""Refresh: `r` runs the feeds' refresh in a process of its own, shows its
progress in the refresh bar, tells of failed feeds, and merges what it
stored into the briefing at its end."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from briefing.store.values import utcnow
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.base import AppPart
from briefing.tui.format import LINE_MAX, NAME_MAX, shorten
from briefing.tui.messages import RefreshFinished, RefreshProgress
from briefing.tui.refresh_status import RefreshStatus
from briefing.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace
    from briefing.workers.refresh_worker import RefreshProcess

MAX_FAILURE_TOASTS = 3
# How many more failed feeds the end-of-refresh notice names; the rest are
# counted, and `briefing feeds` lists them all.
MAX_FAILURES_LISTED = 5


class Refreshing(AppPart):
    """The App's refresh (BriefingApp defines the state)."""

    core: DashboardWorkspace
    refreshing: bool
    refresh_failures: list[str]
    _failures_toasted: int
    _reached_any: bool  # a feed of this refresh reached its server
    last_refresh: str | None  # its time and result, kept in the title bar
    _writes_since: datetime | None
    _loading: bool
    _refresh_process: RefreshProcess | None  # while one runs
    _show_title: Callable[[], None]
    _analysis_progress: Callable[[int, int], None]
    update_briefing: Callable[[tuple[int, ...]], object]
    reload_briefing: Callable[[], object]

    async def action_refresh(self) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", markup=False)
            return
        if not any(feed.enabled for feed in self.core.config.feeds):
            self.notify(
                f"{self.core.config.path.name} lists no enabled feeds to refresh.", severity="warning", markup=False
            )
            return
        self.refreshing = True
        self._writes_since = self._writes_since or utcnow()
        self.refresh_failures = []
        self._failures_toasted = 0
        self._reached_any = False
        bar = await self._refresh_bar()
        bar.show("Refreshing", 0, None)
        bar.add_class("running")
        self.run_refresh()

    async def _refresh_bar(self) -> RefreshStatus:
        found = self.query("#refresh-bar")
        if found:
            return found.first(RefreshStatus)
        bar = RefreshStatus(id="refresh-bar")
        await self.mount(bar, before=self.query_one(SteadyFooter))
        return bar

    @work(thread=True, exclusive=True, group="refresh")
    def run_refresh(self) -> None:
        # In a process of its own (briefing/workers/refresh_worker.py): fetching,
        # storing and analysing the new articles never hold this process's
        # interpreter lock, so keys are answered as fast during a refresh as
        # without one. Imported at the first refresh: start-up needs none of it.
        from briefing.refresh.outcomes import FAILED, unreachable
        from briefing.workers.refresh_worker import Analysing, FeedDone, Finished, PagesFetching, RefreshProcess

        try:
            child = self._refresh_process = RefreshProcess(self.core.config, self.core.store_path)
        except OSError as exc:
            self.post_message(RefreshFinished(f"Refresh failed: {exc}", ok=False, changed_ids=()))
            return
        for event in child.events():
            if isinstance(event, FeedDone):
                outcome = event.outcome
                self.post_message(
                    RefreshProgress(
                        event.done,
                        event.total,
                        outcome.name,
                        outcome.status,
                        outcome.error,
                        unreachable=outcome.status == FAILED and unreachable(outcome.error),
                    )
                )
            elif isinstance(event, PagesFetching):
                self.post_message(RefreshProgress(event.done, event.total, "", "pages", None))
            elif isinstance(event, Analysing):
                self._analysis_progress(event.done, event.total)
            elif isinstance(event, Finished):
                report = event.report
                if report is None:
                    self.post_message(RefreshFinished(event.error or "Refresh failed", ok=False, changed_ids=()))
                else:
                    self.post_message(
                        RefreshFinished(
                            report.summary_line(),
                            ok=report.ok,
                            changed_ids=tuple(report.changed_ids),
                            offline=report.offline,
                            new=report.new_articles,
                            failed=report.count(FAILED),
                            feeds=len(report.outcomes),
                        )
                    )

    async def on_refresh_progress(self, message: RefreshProgress) -> None:
        doing = {"analysing": "Analysing new articles", "pages": "Fetching full text"}.get(message.status, "Refreshing")
        bar = await self._refresh_bar()  # analysis at start comes before any refresh
        bar.add_class("running")
        bar.show(doing, message.done, message.total)
        if message.status == "failed":
            failure = (
                f"{shorten(clean_line(message.feed), NAME_MAX)}: "
                f"{shorten(clean_line(message.error or 'failed'), LINE_MAX)}"
            )
            self.refresh_failures.append(failure)
        if message.status in ("updated", "not_modified") or (message.status == "failed" and not message.unreachable):
            self._reached_any = True
        # The first few failures show at once, but a server that could not
        # be reached only once another feed has reached its own: offline,
        # every feed fails so, and one notice at the end says the network
        # seems down. The rest are listed together at the end.
        if self._reached_any:
            while self._failures_toasted < min(len(self.refresh_failures), MAX_FAILURE_TOASTS):
                failure = self.refresh_failures[self._failures_toasted]
                self._failures_toasted += 1
                self.notify(failure, title="Feed failed", severity="warning", markup=False, timeout=8)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        self._refresh_process = None
        self.query_one("#refresh-bar").remove_class("running")
        self.last_refresh = _refresh_result(message, time.localtime())
        self._show_title()
        if message.offline:
            first = clean_line(self.refresh_failures[0]) if self.refresh_failures else ""
            self.notify(
                f"The network seems down: none of the {message.feeds:,} feeds could be reached"
                + (f" ({first})" if first else "")
                + ". The dashboard shows what is stored.",
                title="Offline",
                severity="warning",
                markup=False,
                timeout=10,
            )
            self._loading = True
            self.reload_briefing()  # r shows what the store holds, offline too
            return
        summary = clean_line(message.summary)
        hidden = self.refresh_failures[self._failures_toasted :]
        if hidden:
            summary += "\nAlso failed:\n" + "\n".join(hidden[:MAX_FAILURES_LISTED])
            if len(hidden) > MAX_FAILURES_LISTED:
                summary += (
                    f"\nand {len(hidden) - MAX_FAILURES_LISTED:,} more: `briefing feeds` lists every feed's last error"
                )
        self.notify(
            summary, severity="information" if message.ok else "error", markup=False, timeout=8 if hidden else 5
        )
        self._loading = True
        if message.changed_ids:
            self.update_briefing(message.changed_ids)
        else:
            # Nothing new from the feeds, but the store may hold what
            # another process wrote meanwhile: r shows that too.
            self.reload_briefing()


def _refresh_result(message: RefreshFinished, when: time.struct_time) -> str:
    """The last refresh in a few words, for the title bar: 'refreshed 14:32: 3 new'."""
    stamp = time.strftime("%H:%M", when)
    if message.offline:
        return f"refreshed {stamp}: offline"
    if not message.feeds:
        return f"refresh {stamp} failed"
    result = f"refreshed {stamp}: {message.new:,} new"
    if message.failed:
        result += f", {message.failed:,} of {message.feeds:,} feeds failed"
    return result
