"""The parser pool: where a refresh's bodies are parsed, and stored.

A body is parsed on one helper thread of the refreshing process to begin
with; when a refresh brings enough bodies, parser processes start (one a
core, at most POOL_MAX_WORKERS), started with our own interpreter and spoken
to over pipes (length-prefixed pickles), not with `multiprocessing`: no fork
from a process that has threads, and no re-import of the caller's __main__.
A parser process also stores what it parsed (parser_worker.py, its main
loop), so the refreshing process neither receives the articles nor spends
its core on SQLite's full-text indexing. Each process has up to
parser_worker.JOBS_IN_PIPE bodies in its pipe; their answers come back in
order.

A parser process imports this module and feedparser, and none of asyncio,
httpx or the refresh machinery.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor


# Start parser processes only when this many bodies wait for a parser: a
# trickle of bodies is parsed sooner by the one helper thread than by
# processes that first have to start (benchmarks/README.md).
POOL_MIN_BACKLOG = 3
# Parser processes: the cores there are, at most this many.
POOL_MAX_WORKERS = 2
# A body that keeps a parser process busy this long fails (and the process ends).
PARSE_TIME_LIMIT = 60
# A parser process not ready this long after it was started (its imports take
# 0.15-0.5 s) is ended, and the thread parses instead.
PROCESS_START_LIMIT = 10
# Parser processes run this much nicer than the process that started them, so
# the dashboard's screen (and the refresh's own fetching and storing) win a
# contended core; on an idle core they lose nothing.
PARSER_NICENESS = 10


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


def _pool_workers() -> int:
    override = os.environ.get("BRIEFING_PARSE_PROCESSES")
    if override is not None and override.strip().isdigit():
        return int(override)
    return min(POOL_MAX_WORKERS, os.cpu_count() or 1)


_FRAME = struct.Struct("!I")


class ParseTimeLimit(Exception):
    """A body kept its parser process busy past PARSE_TIME_LIMIT."""


class _ParserProcess:
    """One parser process and its two pipes. Several parse() calls may wait
    on it at once: one task reads the answers and hands them out in the
    order the jobs were sent."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        import asyncio
        from collections import deque

        self.process = process
        self.answers: deque[asyncio.Future] = deque()
        self.sent = asyncio.Event()  # set when a job is sent
        self.reader: asyncio.Task | None = None
        self.ended = False  # the reader has stopped: no answer will come

    @classmethod
    async def start(cls) -> _ParserProcess:
        import asyncio

        import briefing

        env = dict(os.environ)
        # The child imports the same briefing this process runs.
        package_parent = str(Path(briefing.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "from briefing.parser_worker import main; main()",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, env=env,
        )
        worker = cls(process)
        try:
            # The ready frame, once its imports are done.
            await asyncio.wait_for(worker._read(), PROCESS_START_LIMIT)
        except BaseException:
            await worker.close()
            raise
        return worker

    async def _read(self) -> bytes:
        header = await self.process.stdout.readexactly(_FRAME.size)
        return await self.process.stdout.readexactly(_FRAME.unpack(header)[0])

    async def parse(self, body: bytes, feed_name: str, content_type: str | None, store_job: StoreJob | None):
        """The answer to this body. Raises ParseTimeLimit when the process
        spent PARSE_TIME_LIMIT on it (and ends the process), EOFError or
        OSError when the process is gone."""
        import asyncio

        if self.ended:
            raise EOFError("the parser process has ended")
        data = pickle.dumps((body, feed_name, content_type, store_job), pickle.HIGHEST_PROTOCOL)
        answer = asyncio.get_running_loop().create_future()
        self.answers.append(answer)
        self.sent.set()
        if self.reader is None:
            self.reader = asyncio.create_task(self._read_answers())
        try:
            self.process.stdin.write(_FRAME.pack(len(data)) + data)
            await self.process.stdin.drain()
        except BaseException:
            # Never sent: no answer will come for it.
            if answer in self.answers:
                self.answers.remove(answer)
            answer.cancel()
            raise
        return await answer

    async def _read_answers(self) -> None:
        """Each answer to the job sent first. The job at the head of the pipe
        has PARSE_TIME_LIMIT from the moment it got there (the answer before
        it came, or it was sent); past that it fails, the process is ended,
        and the jobs behind it hear EOFError (their callers parse them on the
        thread). Any other end of the process ends every waiting job."""
        import asyncio

        failure: BaseException | None = None
        try:
            while True:
                if not self.answers:
                    self.sent.clear()
                    await self.sent.wait()
                try:
                    data = await asyncio.wait_for(self._read(), PARSE_TIME_LIMIT)
                except asyncio.TimeoutError:
                    late = self.answers.popleft()
                    if not late.done():
                        late.set_exception(ParseTimeLimit())
                    self.kill()
                    failure = EOFError("the parser process was ended: a body took too long")
                    return
                answer = self.answers.popleft()
                if answer.done():
                    continue  # its caller gave up (the refresh was stopped)
                try:
                    result = pickle.loads(data)
                except Exception:
                    answer.set_exception(EOFError("the parser process's answer could not be read"))
                    raise
                answer.set_result(result)
        except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - every waiting job hears of it
            failure = EOFError(f"the parser process ended ({type(exc).__name__})")
            self.kill()
        finally:
            self.ended = True
            for answer in self.answers:
                if not answer.done():
                    answer.set_exception(failure or EOFError("the parser process ended"))
            self.answers.clear()

    def kill(self) -> None:
        if self.process.returncode is None:
            try:
                self.process.kill()
            except ProcessLookupError:
                pass

    async def close(self) -> None:
        import asyncio

        if self.process.returncode is None:
            try:
                self.process.stdin.close()
                await asyncio.wait_for(self.process.wait(), 2)
            except (asyncio.TimeoutError, OSError):
                pass
        if self.process.returncode is None:
            self.kill()
            await self.process.wait()
        if self.reader is not None:
            self.reader.cancel()  # it may be waiting for a job that will not come
            await asyncio.gather(self.reader, return_exceptions=True)


_THREAD = "thread"


class ParserPool:
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
        store_job: see parser_worker), or on the helper thread (which does
        not: the caller stores what it gets back as ("ok", ParsedFeed))."""
        self.waiting += 1
        if self.waiting >= POOL_MIN_BACKLOG:
            self.start_processes()
        try:
            slot = await self.free.get()
            while slot is not _THREAD and slot not in self.live:
                slot = await self.free.get()  # a slot of a process since retired
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
        """Start the parser processes now (once; not on one core).

        Started before any body waits (a first fetch: refresh.py), the
        processes are up by the time the first bodies arrive, so the thread
        steps aside at once: parsing there would cost this process the
        import of feedparser (~0.1 s) and the storing of what it parsed, on
        the core that fetches. It comes back if fewer processes start than
        asked for (_start_one), or when one dies (_retire)."""
        import asyncio

        if not self.started and self.workers >= 2:
            self.started = True
            if self.waiting == 0 and self.thread_in_rotation and self.free.qsize() == 1:
                self.free.get_nowait()  # the thread, the only one free
                self.thread_in_rotation = False
            self.starting = [asyncio.create_task(self._start_one()) for _ in range(self.workers)]

    async def _start_one(self) -> None:
        import asyncio

        try:
            # Awaited directly, not through wait_for (its own task would spawn
            # the process a loop turn later): start() spawns the process in
            # this task's first step, before refresh.py imports httpx.
            worker = await _ParserProcess.start()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - whatever keeps a process from starting, parsing goes on
            worker = None
        if worker is not None:
            from briefing.parser_worker import JOBS_IN_PIPE

            self.live.append(worker)
            for _ in range(JOBS_IN_PIPE):
                self.free.put_nowait(worker)
        others = [task for task in self.starting if task is not asyncio.current_task()]
        if all(task.done() for task in others) and len(self.live) < self.workers \
                and not self.thread_in_rotation:
            # The last start is over and fewer processes came up than asked
            # for (none, or one of two): the thread parses beside them.
            self.thread_in_rotation = True
            self.free.put_nowait(_THREAD)

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
        try:
            # The time limit is counted by the process's reader, from when
            # this body reaches the head of its pipe (_read_answers).
            result = await worker.parse(body, feed_name, content_type, store_job)
        except ParseTimeLimit:
            await self._retire(worker)
            return "failed", f"could not parse: took longer than {PARSE_TIME_LIMIT} s"
        except (OSError, EOFError):
            # The process died (out of memory, killed), or was ended for the
            # body before this one: parse this one here.
            await self._retire(worker)
            return await self._in_thread(body, feed_name, content_type)
        self.free.put_nowait(worker)
        return result

    async def _retire(self, worker: _ParserProcess) -> None:
        if worker not in self.live:
            return  # retired already, by the other job it had
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
        # Each process finishes its last transaction and exits; wait for
        # them together.
        await asyncio.gather(*(worker.close() for worker in self.live))
        self.live.clear()
        if self.thread is not None:
            self.thread.shutdown(wait=True, cancel_futures=True)
