"""Refresh: fetch every feed, parse what came back, store it.

`refresh()` is synchronous and runs its own asyncio loop; the CLI calls it
directly, the dashboard from a child process (workers/refresh_worker.py).
Parsing never runs in this process: bodies go to a small pool of processes
that parse and store them under a time limit (refresh/parser_pool.py), so
feedparser (pure Python, slow) and SQLite's indexing use every core, and a
body that will not finish costs only its own feed. Feeds that fail or answer
304 are recorded here. Asked to, a refresh stops at a signal (Ctrl+C,
SIGTERM), its parser processes killed before it returns (RefreshStopped).

This module imports no `textual`. Imports inside functions: asyncio, httpx,
the certificates and the parser pool load only when a refresh runs
(`briefing feeds` and `briefing opml` import this module too).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.config import Config, ConfigError, Feed
from briefing.refresh.outcomes import FAILED, NOT_MODIFIED, SKIPPED, UPDATED, FeedOutcome, RefreshReport, RefreshStopped  # noqa: F401 - for callers
from briefing.store.database import FeedState, Store
from briefing.store.values import to_iso, utcnow
from briefing.text.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.refresh.parser_pool import ParserPool


class UnknownFeedError(ConfigError):
    """A feed name asked for that the config does not list."""


def select_feeds(config: Config, names: Sequence[str] | None) -> list[Feed]:
    """The feeds a refresh covers: the enabled ones, or exactly those named
    (a named feed is fetched even when disabled). Unknown names raise
    UnknownFeedError, one line naming them and the config file."""
    if not names:
        return [feed for feed in config.feeds if feed.enabled]
    by_name = {feed.name.casefold(): feed for feed in config.feeds}
    unknown = [name for name in names if name.casefold() not in by_name]
    if unknown:
        listed = ", ".join(repr(clean_line(n)) for n in unknown)
        raise UnknownFeedError(f"{config.path}: no feed named {listed} (`briefing feeds` lists them)")
    chosen: list[Feed] = []
    for name in names:
        feed = by_name[name.casefold()]
        if feed not in chosen:
            chosen.append(feed)
    return chosen


def describe_wait(until: datetime, now: datetime | None = None) -> str:
    """'waiting until 14:05' (local time), with the date when not today."""
    local = until.astimezone()
    today = (now or utcnow()).astimezone().date()
    if local.date() == today:
        return f"waiting until {local:%H:%M}"
    return f"waiting until {local:%Y-%m-%d %H:%M}"


def next_allowed(state: FeedState | None, url: str, min_interval: int) -> datetime | None:
    """The earliest time this feed may be fetched again, or None for now."""
    if state is None or (state.url and state.url != url):
        return None
    times = []
    if state.retry_after:
        times.append(state.retry_after)
    if min_interval and state.last_attempt:
        times.append(state.last_attempt + timedelta(seconds=min_interval))
    return max(times) if times else None


def refresh(
    config: Config,
    store_path: Path,
    feeds: Sequence[str] | None = None,
    on_feed_done: Callable[[FeedOutcome, int, int], None] | None = None,
    stop_signals: Sequence[int] = (),
    on_page_done: Callable[[int, int], None] | None = None,
) -> RefreshReport:
    """Fetch, parse and store the config's enabled feeds (or those named),
    and the pages of the articles that need theirs (refresh/pages.py).

    `on_feed_done(outcome, done, total)` is called on the calling thread as
    each feed finishes, `on_page_done(done, total)` as each page does (the
    total grows as feeds bring articles whose pages are wanted). Raises UnknownFeedError for a name the config lacks
    and StoreError for a store that cannot be opened; a feed's failure is
    never raised, it is an outcome. While feeds are fetched and parsed, any
    of `stop_signals` (on the main thread only) stops the refresh: it
    raises RefreshStopped, saying what was stored.
    """
    selected = select_feeds(config, feeds)
    store = Store(store_path)
    try:
        return _Refresh(config, store, selected, on_feed_done, stop_signals, on_page_done).run()
    finally:
        store.close()


@dataclass
class _Job:
    feed: Feed
    etag: str | None
    last_modified: str | None


class _Refresh:
    def __init__(
        self,
        config: Config,
        store: Store,
        feeds: list[Feed],
        on_feed_done: Callable[[FeedOutcome, int, int], None] | None,
        stop_signals: Sequence[int] = (),
        on_page_done: Callable[[int, int], None] | None = None,
    ) -> None:
        self.config = config
        self.on_page_done = on_page_done
        self.pages_wanted = 0
        self.pages_done = 0
        self.page_outcomes: list = []  # pages.PageOutcome, each page's
        self.store = store
        self.feeds = feeds
        self.on_feed_done = on_feed_done
        self.stop_signals = tuple(stop_signals)
        self.stopped_by: int | None = None  # the signal that stopped the refresh
        self.parser: ParserPool | None = None  # while feeds are fetched
        self.outcomes: dict[str, FeedOutcome] = {}
        self.changed: list[int] = []
        self.new = 0

    def run(self) -> RefreshReport:
        states = self.store.feed_states()
        now = utcnow()
        jobs: list[_Job] = []
        for feed in self.feeds:
            state = states.get(feed.name)
            wait = next_allowed(state, feed.url, self.config.settings.min_interval)
            if wait is not None and wait > now:
                self._done(FeedOutcome(feed.name, SKIPPED, error=describe_wait(wait, now)))
                continue
            if state is not None and state.url == feed.url:
                jobs.append(_Job(feed, state.etag, state.last_modified))
            else:
                jobs.append(_Job(feed, None, None))
        if jobs:
            import asyncio

            asyncio.run(self._until_stopped(jobs))
        if self.stopped_by is not None:
            raise self._stopped(self.stopped_by, now)
        outcomes = tuple(self.outcomes[f.name] for f in self.feeds)
        # A page fetched again after a failure brings an article that the
        # feeds did not change.
        fetched = [o.article_id for o in self.page_outcomes if o.status == "ok"]
        changed = tuple(dict.fromkeys([*self.changed, *fetched]))
        failed = sum(1 for o in self.page_outcomes if o.status == "failed")
        return RefreshReport(outcomes, self.new, changed, pages_fetched=len(fetched), pages_failed=failed)

    async def _until_stopped(self, jobs: list[_Job]) -> None:
        """_fetch_all(), cancelled by any of the stop signals."""
        import asyncio

        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        installed = []
        for number in self.stop_signals:
            try:
                # Run by the loop, between its steps: nothing is interrupted
                # halfway, and the cancellation reaches every await.
                loop.add_signal_handler(number, self._stop, task, number)
                installed.append(number)
            except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
                pass
        try:
            await self._fetch_all(jobs)
        except asyncio.CancelledError:
            if self.stopped_by is None:
                raise
            if self.parser is not None:
                # Again, in case the signal came while the pool was closing.
                await self.parser.close(now=True)
        finally:
            for number in installed:
                loop.remove_signal_handler(number)

    def _stop(self, task, number: int) -> None:
        if self.stopped_by is None:  # a second signal changes nothing
            self.stopped_by = number
            task.cancel()

    def _stopped(self, signal_number: int, started: datetime) -> RefreshStopped:
        """What a stopped refresh stored, read from the store: a parser
        process may have committed a feed whose answer never came back."""
        names = {feed.name for feed in self.feeds}
        since = to_iso(started)
        stored = {
            name
            for (name,) in self.store.db.execute(
                "SELECT name FROM feeds WHERE last_status = ? AND last_attempt >= ?", (UPDATED, since)
            )
        } & names
        new = sum(
            count
            for feed, count in self.store.db.execute(
                "SELECT feed, count(*) FROM articles WHERE first_seen >= ? GROUP BY feed", (since,)
            )
            if feed in stored
        )
        return RefreshStopped(signal_number, len(stored), len(self.feeds), new)

    def _done(self, outcome: FeedOutcome) -> None:
        self.outcomes[outcome.name] = outcome
        if self.on_feed_done:
            self.on_feed_done(outcome, len(self.outcomes), len(self.feeds))

    async def _fetch_all(self, jobs: list[_Job]) -> None:
        import asyncio

        from briefing.ingest.tls import TrustLoader
        from briefing.refresh.parser_pool import POOL_MIN_BACKLOG, ParserPool, StoreJob

        # The certificates load on a thread while httpx is imported below.
        trust = TrustLoader()
        # Pages will come when a feed takes every article's: its processes
        # load the extractor ahead. For "auto" feeds most refreshes bring no
        # teaser about the story, and the load (a few tenths of a second and
        # some 20 MB a process) waits for the first page.
        parser = self.parser = ParserPool(pages=any(feed.full_text == "always" for feed in self.feeds))
        # Feeds fetched before answer with a 304 as a rule; feeds never
        # fetched (no validators held) bring whole bodies. When those are
        # coming, parser processes start now (all of them for a backlog, one
        # for a trickle), while this process imports httpx and sends the
        # first round of requests, instead of when the bodies are already
        # waiting. A pass of 304s starts none.
        first_fetches = sum(1 for job in jobs if not job.etag and not job.last_modified)
        if first_fetches:
            parser.start_processes(None if first_fetches >= POOL_MIN_BACKLOG else 1)
            await asyncio.sleep(0)  # the processes are spawned before the import below
        try:
            from briefing.ingest.fetch import Fetcher, FetchRequest
            from briefing.refresh.pages import PageStage

            async with Fetcher(self.config.settings, trust=trust) as fetcher:
                pages = PageStage(self.config, self.store, fetcher, parser, self._page_done)
                page_tasks: list[asyncio.Task] = []

                async def one(job: _Job):
                    result = await fetcher.fetch(FetchRequest(job.feed.name, job.feed.url, job.etag, job.last_modified))
                    parsed, parse_seconds = None, 0.0
                    if result.status == "ok" and result.body is not None:  # "ok" always carries the body
                        started = time.monotonic()
                        parsed = await parser.parse(
                            result.body,
                            job.feed.name,
                            result.content_type,
                            StoreJob(self.store.path, job.feed.name, job.feed.url, result.etag, result.last_modified),
                        )
                        parse_seconds = time.monotonic() - started
                    return job, result, parsed, result.elapsed + parse_seconds

                tasks = [asyncio.create_task(one(job)) for job in jobs]
                try:
                    for next_done in asyncio.as_completed(tasks):
                        job, result, parsed, elapsed = await next_done
                        # Stored here, on the refreshing thread, one feed at a time.
                        started = time.monotonic()
                        changed_before = len(self.changed)
                        outcome = self._store(job, result, parsed, elapsed)
                        self._done(replace(outcome, elapsed=elapsed + time.monotonic() - started))
                        if outcome.status in (UPDATED, NOT_MODIFIED):
                            # The feed's pages are fetched while the other feeds still are.
                            wanted = self._pages_wanted(job.feed, self.changed[changed_before:])
                            if wanted:
                                page_tasks.append(asyncio.create_task(pages.fetch_all(wanted, job.feed.selector)))
                    await asyncio.gather(*page_tasks)
                finally:
                    for task in (*tasks, *page_tasks):
                        task.cancel()
                    await asyncio.gather(*tasks, *page_tasks, return_exceptions=True)
        finally:
            # Stopped: the processes are killed, not left to finish a feed.
            await parser.close(now=self.stopped_by is not None)

    def _pages_wanted(self, feed: Feed, changed: list[int]) -> list:
        """The pages.PageTargets of this feed's articles to fetch now; none
        when the store cannot say (a page never fails the refresh)."""
        from briefing.refresh.pages import pages_wanted

        try:
            wanted = pages_wanted(self.store, self.config, feed, changed)
        except (sqlite3.Error, ValueError):
            return []
        self.pages_wanted += len(wanted)
        return wanted

    def _page_done(self, outcome) -> None:
        self.page_outcomes.append(outcome)
        self.pages_done += 1
        if self.on_page_done:
            self.on_page_done(self.pages_done, self.pages_wanted)

    def _store(self, job: _Job, result, parsed, elapsed: float) -> FeedOutcome:
        feed = job.feed
        try:
            if result.status == "not_modified":
                new_etag = result.etag is not None and result.etag != job.etag
                self.store.record_feed(
                    feed.name,
                    feed.url,
                    status=NOT_MODIFIED,
                    ok=True,
                    etag=result.etag if new_etag else job.etag,
                    last_modified=result.last_modified or job.last_modified,
                    keep_validators=not new_etag,
                )
                return FeedOutcome(feed.name, NOT_MODIFIED, http_status=result.http_status, elapsed=elapsed)
            if result.status == "failed":
                self.store.record_feed(
                    feed.name,
                    feed.url,
                    status=FAILED,
                    ok=False,
                    error=result.error,
                    retry_after=result.retry_after,
                    keep_validators=True,
                )
                return FeedOutcome(
                    feed.name, FAILED, error=result.error, http_status=result.http_status, elapsed=elapsed
                )
            kind, value = parsed
            if kind == "stored":  # by the parser process (parser_process._store)
                counts, capped = value
            elif kind != "ok":
                self.store.record_feed(feed.name, feed.url, status=FAILED, ok=False, error=value, keep_validators=True)
                return FeedOutcome(feed.name, FAILED, error=value, http_status=result.http_status, elapsed=elapsed)
            else:
                counts, capped = self.store.upsert_articles(value.articles, feed.name), value.capped
                self.store.record_feed(
                    feed.name,
                    feed.url,
                    status=UPDATED,
                    ok=True,
                    error=value.note,
                    etag=result.etag,
                    last_modified=result.last_modified,
                )
        except (sqlite3.Error, ValueError) as exc:  # ValueError: text SQLite cannot take
            error = f"could not store: {clean_line(str(exc))}"
            return FeedOutcome(feed.name, FAILED, error=error, http_status=result.http_status, elapsed=elapsed)
        self.new += counts.new
        self.changed.extend(counts.changed_ids)
        return FeedOutcome(
            feed.name,
            UPDATED,
            new=counts.new,
            updated=counts.updated,
            http_status=result.http_status,
            elapsed=elapsed,
            note=capped,
        )


if __name__ == "__main__":  # pragma: no cover - `python -m briefing.refresh.run` is not a command
    raise SystemExit("briefing.refresh.run is a module; run `briefing refresh`")
