"""Refresh: fetch every feed, parse what came back, store it.

`refresh()` is synchronous and runs its own asyncio loop, so the dashboard
calls it from a thread worker and the CLI calls it directly. It opens its own
Store connection: every store write happens on the thread that called it.
Parsing never runs on the calling thread's event loop: bodies go to one
helper thread, or, when a refresh brings enough of them, to a small pool of
processes so feedparser (pure Python, slow) uses every core.

This module imports no `textual`, and imports asyncio, httpx and the store
only when a refresh runs: a parser process imports this module and needs
none of them.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.config import Config, ConfigError, Feed

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from briefing.store import FeedState, Store

UPDATED = "updated"
NOT_MODIFIED = "not_modified"
FAILED = "failed"
SKIPPED = "skipped"

# Start parser processes only when this many bodies wait for a parser: a
# trickle of bodies is parsed sooner by the one helper thread than by
# processes that first have to start (benchmarks/README.md).
POOL_MIN_BACKLOG = 3
# Parser processes: the cores there are, at most this many.
POOL_MAX_WORKERS = 2
# A body that keeps a parser process busy this long fails (and the process ends).
PARSE_TIME_LIMIT = 60
# Parser processes run this much nicer than the process that started them, so
# the dashboard's screen (and the refresh's own fetching and storing) win a
# contended core; on an idle core they lose nothing.
PARSER_NICENESS = 10


class UnknownFeedError(ConfigError):
    """A feed name asked for that the config does not list."""


@dataclass(frozen=True)
class FeedOutcome:
    """How one feed's refresh went.

    status: "updated" (a new document was parsed and stored), "not_modified"
    (a 304), "failed" (error says why, in words) or "skipped" (error says
    until when: the server asked us to wait, or min_interval has not passed).
    """

    name: str
    status: str
    new: int = 0
    updated: int = 0
    error: str | None = None
    http_status: int | None = None
    elapsed: float = 0.0


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

        from briefing.fetch import Fetcher, FetchRequest

        parser = _Parsers()
        # Feeds fetched before answer with a 304 as a rule; feeds never
        # fetched (no validators held) bring whole bodies. When enough of those
        # are coming, the parser processes start now, during the first round
        # of requests, instead of when the bodies are already waiting.
        if sum(1 for job in jobs if not job.etag and not job.last_modified) >= POOL_MIN_BACKLOG:
            parser.start_processes()
        try:
            async with Fetcher(self.config.settings) as fetcher:
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
            if kind == "stored":  # by the parser process (parse_and_store)
                counts = value
            elif kind != "ok":
                self.store.record_feed(feed.name, feed.url, status=FAILED, ok=False, error=value,
                                       keep_validators=True)
                return FeedOutcome(feed.name, FAILED, error=value, http_status=result.http_status,
                                   elapsed=elapsed)
            else:
                counts = self.store.upsert_articles(value.articles, feed.name)
                self.store.record_feed(feed.name, feed.url, status=UPDATED, ok=True, error=value.warning,
                                       etag=result.etag, last_modified=result.last_modified)
        except (sqlite3.Error, ValueError) as exc:  # ValueError: text SQLite cannot take
            from briefing.sanitize import clean_line

            error = f"could not store: {clean_line(str(exc))}"
            return FeedOutcome(feed.name, FAILED, error=error, http_status=result.http_status, elapsed=elapsed)
        self.new += counts.new
        self.changed.extend(counts.changed_ids)
        return FeedOutcome(feed.name, UPDATED, new=counts.new, updated=counts.updated,
                           http_status=result.http_status, elapsed=elapsed)


def _with_elapsed(outcome: FeedOutcome, elapsed: float) -> FeedOutcome:
    from dataclasses import replace

    return replace(outcome, elapsed=elapsed)


def parse_job(body: bytes, feed_name: str, content_type: str | None):
    """Parse one body: ("ok", ParsedFeed) or ("failed", words). Runs in a
    parser process or thread; never raises."""
    from briefing.parse import NotAFeed, parse_feed
    from briefing.sanitize import clean_line

    try:
        return "ok", parse_feed(body, feed_name, content_type)
    except NotAFeed as exc:
        return "failed", clean_line(str(exc))[:200]
    except RecursionError:
        return "failed", "not a feed: nested too deeply to read"
    except Exception as exc:  # noqa: BLE001 - a hostile document must not end the refresh
        return "failed", clean_line(f"could not parse: {type(exc).__name__}: {exc}")[:200]


@dataclass(frozen=True)
class StoreJob:
    """Where a parser process stores the articles it parsed, and the fetch's
    validators to record with them."""

    store_path: Path
    feed_name: str
    feed_url: str
    etag: str | None
    last_modified: str | None


# A parser process's own store connections, one a store file.
_WORKER_STORES: dict[Path, Store] = {}


def parse_and_store(body: bytes, feed_name: str, content_type: str | None, job: StoreJob | None):
    """In a parser process: parse, then store the feed's articles and record
    the feed, so the refreshing process does not spend its core on SQLite's
    full-text indexing. ("stored", UpsertCounts), or what parse_job says:
    ("failed", words), or ("ok", ParsedFeed) when storing here did not work
    (the refreshing process then stores it, and reports what goes wrong)."""
    kind, value = parse_job(body, feed_name, content_type)
    if kind != "ok" or job is None:
        return kind, value
    import sqlite3

    from briefing.store import Store, StoreError

    try:
        store = _WORKER_STORES.get(job.store_path)
        if store is None:
            store = _WORKER_STORES[job.store_path] = Store(job.store_path)
        counts = store.upsert_articles(value.articles, feed_name)
        store.record_feed(job.feed_name, job.feed_url, status=UPDATED, ok=True, error=value.warning,
                          etag=job.etag, last_modified=job.last_modified)
    except (sqlite3.Error, StoreError, ValueError):
        return kind, value
    return "stored", counts


def _warm_up() -> None:
    """Import what parsing needs up front (in a parser process)."""
    import feedparser  # noqa: F401

    import briefing.parse  # noqa: F401

    try:
        import briefing.analysis.boilerplate  # noqa: F401
    except ImportError:
        pass


def _pool_workers() -> int:
    override = os.environ.get("BRIEFING_PARSE_PROCESSES")
    if override is not None and override.strip().isdigit():
        return int(override)
    return min(POOL_MAX_WORKERS, os.cpu_count() or 1)


_FRAME = struct.Struct("!I")


def _worker_main() -> None:
    """A parser process: read (body, name, content type) jobs from stdin,
    write results to stdout, both as length-prefixed pickles, until EOF.
    Started by _ParserProcess with our own interpreter; it trusts only its
    parent, which is the only one holding its pipes."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing may print into the result channel
    try:
        os.nice(PARSER_NICENESS)
    except (AttributeError, OSError):  # no nice() here; run as we are
        pass
    _warm_up()
    sink.write(_FRAME.pack(0))  # ready
    sink.flush()
    while True:
        header = source.read(_FRAME.size)
        if len(header) < _FRAME.size:
            return
        job = pickle.loads(source.read(_FRAME.unpack(header)[0]))
        result = parse_and_store(*job)
        try:
            data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001
            data = pickle.dumps(("failed", f"could not parse: {type(exc).__name__}"))
        sink.write(_FRAME.pack(len(data)) + data)
        sink.flush()


class _ParserProcess:
    """One parser process and its two pipes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> _ParserProcess:
        import asyncio

        import briefing

        env = dict(os.environ)
        # The child imports the same briefing this process runs.
        package_parent = str(Path(briefing.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "from briefing.refresh import _worker_main; _worker_main()",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, env=env,
        )
        worker = cls(process)
        try:
            await worker._read()  # the ready frame, once its imports are done
        except BaseException:
            await worker.close()
            raise
        return worker

    async def _read(self) -> bytes:
        header = await self.process.stdout.readexactly(_FRAME.size)
        return await self.process.stdout.readexactly(_FRAME.unpack(header)[0])

    async def parse(self, body: bytes, feed_name: str, content_type: str | None, store_job: StoreJob | None):
        data = pickle.dumps((body, feed_name, content_type, store_job), pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(_FRAME.pack(len(data)) + data)
        await self.process.stdin.drain()
        return pickle.loads(await self._read())

    async def close(self) -> None:
        import asyncio

        if self.process.returncode is None:
            try:
                self.process.stdin.close()
                await asyncio.wait_for(self.process.wait(), 2)
            except (asyncio.TimeoutError, OSError):
                pass
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass
            await self.process.wait()


_THREAD = "thread"


class _Parsers:
    """Where bodies are parsed, off the event loop.

    A body takes the first free parser. There is one helper thread to begin
    with; when POOL_MIN_BACKLOG bodies wait for it, parser processes start
    (one a core, at most POOL_MAX_WORKERS), and once they are all up the
    thread steps aside, leaving this process's core to fetching and storing.
    A body that keeps a process past PARSE_TIME_LIMIT fails and that process
    is ended; if processes die, the thread comes back.
    """

    def __init__(self) -> None:
        import asyncio

        self.free: asyncio.Queue = asyncio.Queue()
        self.free.put_nowait(_THREAD)
        self.thread_in_rotation = True
        self.thread: ThreadPoolExecutor | None = None
        self.waiting = 0
        self.workers = _pool_workers()
        self.started = False
        self.starting: list[asyncio.Task] = []
        self.live: list[_ParserProcess] = []

    async def parse(self, body: bytes, feed_name: str, content_type: str | None,
                    store_job: StoreJob | None = None):
        """Parse a body: in a parser process (which also stores it, given a
        store_job: see parse_and_store), or on the helper thread (which does
        not: the caller stores what it gets back as ("ok", ParsedFeed))."""
        import asyncio

        self.waiting += 1
        if self.waiting >= POOL_MIN_BACKLOG:
            self.start_processes()
        try:
            slot = await self.free.get()
        finally:
            self.waiting -= 1
        if slot is _THREAD:
            try:
                return await self._in_thread(body, feed_name, content_type)
            finally:
                if self.live and len(self.live) >= self.workers:
                    self.thread_in_rotation = False
                else:
                    self.free.put_nowait(_THREAD)
        return await self._in_process(slot, body, feed_name, content_type, store_job)

    def start_processes(self) -> None:
        """Start the parser processes now (once; not on one core)."""
        import asyncio

        if not self.started and self.workers >= 2:
            self.started = True
            self.starting = [asyncio.create_task(self._start_one()) for _ in range(self.workers)]

    async def _start_one(self) -> None:
        import asyncio

        try:
            worker = await _ParserProcess.start()
        except (OSError, asyncio.IncompleteReadError):
            return  # parsing goes on in the thread
        self.live.append(worker)
        self.free.put_nowait(worker)

    async def _in_thread(self, body: bytes, feed_name: str, content_type: str | None):
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        if self.thread is None:
            self.thread = ThreadPoolExecutor(1, thread_name_prefix="briefing-parse")
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self.thread, parse_job, body, feed_name, content_type)
        except Exception as exc:  # noqa: BLE001
            return "failed", f"could not parse: {type(exc).__name__}"

    async def _in_process(self, worker: _ParserProcess, body: bytes, feed_name: str,
                          content_type: str | None, store_job: StoreJob | None):
        import asyncio

        try:
            result = await asyncio.wait_for(worker.parse(body, feed_name, content_type, store_job),
                                            PARSE_TIME_LIMIT)
        except asyncio.TimeoutError:
            await self._retire(worker)
            return "failed", f"could not parse: took longer than {PARSE_TIME_LIMIT} s"
        except (OSError, EOFError, asyncio.IncompleteReadError, pickle.UnpicklingError):
            # The process died (out of memory, killed): parse this one here.
            await self._retire(worker)
            return await self._in_thread(body, feed_name, content_type)
        self.free.put_nowait(worker)
        return result

    async def _retire(self, worker: _ParserProcess) -> None:
        self.live.remove(worker)
        await worker.close()
        if not self.thread_in_rotation:
            self.thread_in_rotation = True
            self.free.put_nowait(_THREAD)

    async def close(self) -> None:
        import asyncio

        for task in self.starting:
            task.cancel()
        await asyncio.gather(*self.starting, return_exceptions=True)
        for worker in list(self.live):
            await worker.close()
        self.live.clear()
        if self.thread is not None:
            self.thread.shutdown(wait=True, cancel_futures=True)


if __name__ == "__main__":  # pragma: no cover - `python -m briefing.refresh` is not a command
    raise SystemExit("briefing.refresh is a module; run `briefing refresh`")
