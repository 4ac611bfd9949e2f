"""A parser process's main loop: read feed bodies, parse them, store what
they hold, answer. Article pages come the same way, to have their text
extracted (jobs.page_job); that text is answered, not stored.

Started by parser_pool._ParserProcess with our own interpreter; it trusts
only its parent, the only one holding its pipes, and dies with it
(processes/lifeline.py). It ends when its input ends, after storing and answering
what it has parsed. Jobs and answers are
length-prefixed pickles, and answers go back in the order the jobs came.

The pool keeps up to JOBS_IN_PIPE jobs in each process's pipe. So the next
body is there the moment one is done, without waiting for the refreshing
process's turn on its core. And when the other parser process holds the
store's write lock, this one parses its next body rather than sleep until
the lock is free, and stores both after: two processes that took turns
with the lock would each spend part of every refresh asleep.

This module imports none of asyncio, httpx or the refresh machinery.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from collections import deque
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from briefing.processes.frames import HEADER
from briefing.processes.lifeline import be_nicer
from briefing.refresh.jobs import PAGES_AHEAD, PARSER_NICENESS, PageJob, StoreJob, page_job, parse_job
from briefing.refresh.outcomes import UPDATED

if TYPE_CHECKING:
    from briefing.ingest.feed import ParsedFeed
    from briefing.ingest.page_text import PageText
    from briefing.store.database import Store

    # A parsed body waiting to be stored: feed name, store job, and what
    # parse_job said (or page_job, whose page is only answered).
    _Parsed = tuple[str, StoreJob | None, str, ParsedFeed | PageText | str]

# This process's store connections, one a store file.
_STORES: dict[Path, Store] = {}


def _warm_up() -> None:
    """Import what parsing needs (feedparser and the boilerplate patterns come
    with ingest.feed) before saying it is ready: here, not at the top, so that
    it runs nicer, and deaf to Ctrl+C, as main() makes the process first."""
    import briefing.ingest.feed  # noqa: F401


class _Frames:
    """Length-prefixed frames from a pipe, with a way to ask whether one can
    be read without waiting (a buffered reader cannot say what it holds)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.ended = False

    def ready(self) -> bool:
        """A frame (or the end of input) can be had without waiting."""
        if self._whole_frame() or self.ended:
            return True
        readable, _, _ = select.select([self.fd], [], [], 0)
        return bool(readable)

    def next(self) -> bytes | None:
        """The next frame, waiting for it; None at the end of input."""
        while not self._whole_frame():
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.ended = True
                return None
            self.buffer += chunk
        size = HEADER.unpack_from(self.buffer)[0]
        frame = bytes(self.buffer[HEADER.size : HEADER.size + size])
        del self.buffer[: HEADER.size + size]
        return frame

    def _whole_frame(self) -> bool:
        if len(self.buffer) < HEADER.size:
            return False
        return len(self.buffer) >= HEADER.size + HEADER.unpack_from(self.buffer)[0]


def main() -> None:
    frames = _Frames(sys.stdin.fileno())
    sink = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing may print into the answer channel
    # Ctrl+C reaches the whole process group; the refresh decides what a stop
    # means and kills us itself (a worker that died first would look like one
    # that crashed, and its jobs would be sent elsewhere).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    be_nicer(PARSER_NICENESS)
    _warm_up()
    _send(sink, None)  # ready: an empty frame
    if os.environ.get(PAGES_AHEAD):
        from briefing.ingest.page_text import load_extractor

        load_extractor()
    parsed: deque[_Parsed] = deque()  # parsed, not yet stored and answered, in job order
    while True:
        # Store what is parsed, in order, for as long as the lock is free.
        while parsed:
            answer = _store(*parsed[0], wait=False)
            if answer is None:
                break  # the other process is storing
            parsed.popleft()
            _send(sink, answer)
        if parsed and not frames.ready():
            # Nothing else to parse meanwhile: wait for the lock.
            _send(sink, _store(*parsed.popleft(), wait=True))
            continue
        frame = frames.next()
        if frame is None:
            break
        job = pickle.loads(frame)
        if isinstance(job, PageJob):
            # Extracted, not stored: its answer goes back in its turn.
            parsed.append(("", None, *page_job(job)))
            continue
        body, feed_name, content_type, store_job = job
        kind, value = parse_job(body, feed_name, content_type)
        parsed.append((feed_name, store_job, kind, value))
    # The refresh is done with us (and waits for us to end).
    while parsed:
        _send(sink, _store(*parsed.popleft(), wait=True))
    # Every feed's transaction is committed: close the stores and leave
    # without Python's teardown, whose collector passes over feedparser's
    # objects and ours, while the refresh waits for this process to end.
    for store in _STORES.values():
        store.close()
    sink.flush()
    os._exit(0)


def _store(
    feed_name: str, job: StoreJob | None, kind: str, value: ParsedFeed | PageText | str, wait: bool
) -> tuple[str, object] | None:
    """Store a parsed feed's articles and record the feed, in one
    transaction: ("stored", (UpsertCounts, the cap note or None)). What parse_job said when it is
    not ("ok", ParsedFeed) or there is no store job, and ("ok", ParsedFeed)
    when storing here did not work (the refreshing process then stores it,
    and reports what goes wrong). None when wait is False and another
    process holds the write lock."""
    if kind != "ok" or job is None or isinstance(value, str):  # a str is what "failed" carries
        return kind, value
    parsed = cast("ParsedFeed", value)  # "ok" carries a ParsedFeed; "page" (a PageText) returned above
    # At the first store, not at start: the process says it is ready sooner.
    import sqlite3

    from briefing.store.database import Store, StoreError
    from briefing.store.transaction import LockBusy

    try:
        store = _STORES.get(job.store_path)
        if store is None:
            store = _STORES[job.store_path] = Store(job.store_path)
        # One transaction for the articles and the feed's new validators.
        with store.transaction(wait=wait):
            counts = store.upsert_articles(parsed.articles, feed_name)
            store.record_feed(
                job.feed_name,
                job.feed_url,
                status=UPDATED,
                ok=True,
                error=parsed.note,
                etag=job.etag,
                last_modified=job.last_modified,
            )
    except LockBusy:
        return None
    except (sqlite3.Error, StoreError, ValueError):
        return kind, value
    return "stored", (counts, parsed.capped)


def _send(sink: IO[bytes], answer: object) -> None:
    if answer is None:
        data = b""
    else:
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001
            data = pickle.dumps(("failed", f"could not parse: {type(exc).__name__}"))
    sink.write(HEADER.pack(len(data)) + data)
    sink.flush()
