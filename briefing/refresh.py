"""Refresh: fetch every feed, parse what came back, store it.

`refresh()` is synchronous and runs its own asyncio loop; the CLI calls it
directly, the dashboard from a child process (refresh_process.py).
Parsing never runs on the event loop: bodies go to one helper thread, or,
when a refresh brings enough of them, to a small pool of processes that
parse and store them (parser_pool.py), so feedparser (pure Python, slow) and
SQLite's indexing use every core. Feeds that fail or answer 304 are
recorded here.

This module imports no `textual`, and imports asyncio, httpx and the store
only when a refresh runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.config import Config, ConfigError, Feed

if TYPE_CHECKING:
    from briefing.store import FeedState, Store

UPDATED = "updated"
NOT_MODIFIED = "not_modified"
FAILED = "failed"
SKIPPED = "skipped"

class UnknownFeedError(ConfigError):
    """A feed name asked for that the config does not list."""


@dataclass(frozen=True)
class FeedOutcome:
    """How one feed's refresh went.

    status: "updated" (a new document was parsed and stored), "not_modified"
    (a 304), "failed" (error says why, in words) or "skipped" (error says
    until when: the server asked us to wait, or min_interval has not passed).
    note: what an update left out ("kept the newest 2,000 of 50,000 entries").
    """

    name: str
    status: str
    new: int = 0
    updated: int = 0
    error: str | None = None
    http_status: int | None = None
    elapsed: float = 0.0
    note: str | None = None


@dataclass(frozen=True)
class RefreshReport:
    outcomes: tuple[FeedOutcome, ...]
    new_articles: int
    changed_ids: tuple[int, ...]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        """At least one feed succeeded, or nothing failed (nothing to do)."""
        if any(o.status in (UPDATED, NOT_MODIFIED) for o in self.outcomes):
            return True
        return self.count(FAILED) == 0

    def summary_line(self) -> str:
        """'12 feeds: 9 updated, 2 not modified, 1 failed; 37 new articles'"""
        total = len(self.outcomes)
        parts = [f"{self.count(UPDATED)} updated", f"{self.count(NOT_MODIFIED)} not modified",
                 f"{self.count(FAILED)} failed"]
        if self.count(SKIPPED):
            parts.append(f"{self.count(SKIPPED)} skipped")
        return (f"{total} feed{'' if total == 1 else 's'}: {', '.join(parts)}; "
                f"{self.new_articles} new article{'' if self.new_articles == 1 else 's'}")


def select_feeds(config: Config, names: Sequence[str] | None) -> list[Feed]:
    """The feeds a refresh covers: the enabled ones, or exactly those named
    (a named feed is fetched even when disabled). Unknown names raise
    UnknownFeedError, one line naming them and the config file."""
    if not names:
        return [feed for feed in config.feeds if feed.enabled]
    by_name = {feed.name.casefold(): feed for feed in config.feeds}
    unknown = [name for name in names if name.casefold() not in by_name]
    if unknown:
        from briefing.sanitize import clean_line

        listed = ", ".join(repr(clean_line(n)) for n in unknown)
        raise UnknownFeedError(f"{config.path}: no feed named {listed} "
                               "(`briefing feeds` lists them)")
    chosen: list[Feed] = []
    for name in names:
        feed = by_name[name.casefold()]
        if feed not in chosen:
            chosen.append(feed)
    return chosen


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def describe_wait(until: datetime, now: datetime | None = None) -> str:
    """'waiting until 14:05' (local time), with the date when not today."""
    local = until.astimezone()
    today = (now or _utcnow()).astimezone().date()
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


def refresh(config: Config, store_path: Path, feeds: Sequence[str] | None = None,
            on_feed_done: Callable[[FeedOutcome, int, int], None] | None = None) -> RefreshReport:
    """Fetch, parse and store the config's enabled feeds (or those named).

    `on_feed_done(outcome, done, total)` is called on the calling thread as
    each feed finishes. Raises UnknownFeedError for a name the config lacks
    and StoreError for a store that cannot be opened; a feed's failure is
    never raised, it is an outcome.
    """
    from briefing.store import Store

    selected = select_feeds(config, feeds)
    store = Store(store_path)
    try:
        return _Refresh(config, store, selected, on_feed_done).run()
    finally:
        store.close()


@dataclass
class _Job:
    feed: Feed
    etag: str | None
    last_modified: str | None


class _Refresh:
    def __init__(self, config: Config, store: Store, feeds: list[Feed],
                 on_feed_done: Callable[[FeedOutcome, int, int], None] | None) -> None:
        self.config = config
        self.store = store
        self.feeds = feeds
        self.on_feed_done = on_feed_done
        self.outcomes: dict[str, FeedOutcome] = {}
        self.changed: list[int] = []
        self.new = 0

    def run(self) -> RefreshReport:
        states = self.store.feed_states()
        now = _utcnow()
        jobs: list[_Job] = []
        for feed in self.feeds:
            state = states.get(feed.name)
            wait = next_allowed(state, feed.url, self.config.settings.min_interval)
            if wait is not None and wait > now:
                self._done(FeedOutcome(feed.name, SKIPPED, error=describe_wait(wait, now)))
                continue
            same_url = state is not None and state.url == feed.url
            jobs.append(_Job(feed, state.etag if same_url else None,
                             state.last_modified if same_url else None))
        if jobs:
            import asyncio

            asyncio.run(self._fetch_all(jobs))
        outcomes = tuple(self.outcomes[f.name] for f in self.feeds)
        return RefreshReport(outcomes, self.new, tuple(self.changed))

    def _done(self, outcome: FeedOutcome) -> None:
        self.outcomes[outcome.name] = outcome
        if self.on_feed_done:
            self.on_feed_done(outcome, len(self.outcomes), len(self.feeds))

    async def _fetch_all(self, jobs: list[_Job]) -> None:
        import asyncio

        from briefing.parser_pool import POOL_MIN_BACKLOG, ParserPool, StoreJob

        from briefing.tls import TrustLoader

        # The certificates load on a thread while httpx is imported below.
        trust = TrustLoader()
        parser = ParserPool()
        # Feeds fetched before answer with a 304 as a rule; feeds never
        # fetched (no validators held) bring whole bodies. When enough of those
        # are coming, the parser processes start now, while this process
        # imports httpx and sends the first round of requests, instead of
        # when the bodies are already waiting.
        if sum(1 for job in jobs if not job.etag and not job.last_modified) >= POOL_MIN_BACKLOG:
            parser.start_processes()
            await asyncio.sleep(0)  # the processes are spawned before the import below
        try:
            from briefing.fetch import Fetcher, FetchRequest

            async with Fetcher(self.config.settings, trust=trust) as fetcher:
                async def one(job: _Job):
                    result = await fetcher.fetch(FetchRequest(job.feed.name, job.feed.url,
                                                              job.etag, job.last_modified))
                    parsed, parse_seconds = None, 0.0
                    if result.status == "ok":
                        started = time.monotonic()
                        parsed = await parser.parse(result.body, job.feed.name, result.content_type,
                                                    StoreJob(self.store.path, job.feed.name, job.feed.url,
                                                             result.etag, result.last_modified))
                        parse_seconds = time.monotonic() - started
                    return job, result, parsed, result.elapsed + parse_seconds

                tasks = [asyncio.create_task(one(job)) for job in jobs]
                try:
                    for next_done in asyncio.as_completed(tasks):
                        job, result, parsed, elapsed = await next_done
                        # Stored here, on the refreshing thread, one feed at a time.
                        started = time.monotonic()
                        outcome = self._store(job, result, parsed, elapsed)
                        self._done(_with_elapsed(outcome, elapsed + time.monotonic() - started))
                finally:
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await parser.close()

    def _store(self, job: _Job, result, parsed, elapsed: float) -> FeedOutcome:
        import sqlite3

        feed = job.feed
        try:
            if result.status == "not_modified":
                new_etag = result.etag is not None and result.etag != job.etag
                self.store.record_feed(feed.name, feed.url, status=NOT_MODIFIED, ok=True,
                                       etag=result.etag if new_etag else job.etag,
                                       last_modified=result.last_modified or job.last_modified,
                                       keep_validators=not new_etag)
                return FeedOutcome(feed.name, NOT_MODIFIED, http_status=result.http_status, elapsed=elapsed)
            if result.status == "failed":
                self.store.record_feed(feed.name, feed.url, status=FAILED, ok=False, error=result.error,
                                       retry_after=result.retry_after, keep_validators=True)
                return FeedOutcome(feed.name, FAILED, error=result.error, http_status=result.http_status,
                                   elapsed=elapsed)
            kind, value = parsed
            if kind == "stored":  # by the parser process (parser_worker._store)
                counts, capped = value
            elif kind != "ok":
                self.store.record_feed(feed.name, feed.url, status=FAILED, ok=False, error=value,
                                       keep_validators=True)
                return FeedOutcome(feed.name, FAILED, error=value, http_status=result.http_status,
                                   elapsed=elapsed)
            else:
                counts, capped = self.store.upsert_articles(value.articles, feed.name), value.capped
                self.store.record_feed(feed.name, feed.url, status=UPDATED, ok=True, error=value.note,
                                       etag=result.etag, last_modified=result.last_modified)
        except (sqlite3.Error, ValueError) as exc:  # ValueError: text SQLite cannot take
            from briefing.sanitize import clean_line

            error = f"could not store: {clean_line(str(exc))}"
            return FeedOutcome(feed.name, FAILED, error=error, http_status=result.http_status, elapsed=elapsed)
        self.new += counts.new
        self.changed.extend(counts.changed_ids)
        return FeedOutcome(feed.name, UPDATED, new=counts.new, updated=counts.updated,
                           http_status=result.http_status, elapsed=elapsed, note=capped)


def _with_elapsed(outcome: FeedOutcome, elapsed: float) -> FeedOutcome:
    from dataclasses import replace

    return replace(outcome, elapsed=elapsed)


if __name__ == "__main__":  # pragma: no cover - `python -m briefing.refresh` is not a command
    raise SystemExit("briefing.refresh is a module; run `briefing refresh`")
