"""The parser pool: where a refresh's bodies are parsed, and stored.

Every body is parsed in a parser process, never in the refreshing process:
a parse that runs past its time limit can only be stopped by ending the
process it runs in (a regex or a C parser does not give up the interpreter
lock, so a thread could be neither interrupted nor abandoned, and Ctrl+C
would wait for it). One process starts with the first body (or as the
refresh starts, when a first fetch will bring one); when a refresh brings
enough bodies, more start (one a core, at most POOL_MAX_WORKERS). They are
started with our own interpreter and spoken to over pipes (length-prefixed
pickles), not with `multiprocessing`: no fork from a process that has
threads, and no re-import of the caller's __main__. Each dies with the
process that started it (processes/lifeline.py).

A parser process also stores what it parsed (parser_process.py, its main
loop), so the refreshing process neither receives the articles nor spends
its core on SQLite's full-text indexing. Each process has up to
jobs.JOBS_IN_PIPE bodies in its pipe; their answers come back in
order.

Only the refreshing process imports this module, while a refresh runs: a
parser process imports jobs.py, and none of asyncio, httpx or the pool.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
from collections import deque
from collections.abc import Awaitable, Callable

from briefing.processes.frames import HEADER, frame
from briefing.processes.spawn import child_command
from briefing.refresh.jobs import JOBS_IN_PIPE, PAGES_AHEAD, PageJob, StoreJob
from briefing.text.sanitize import clean_line

# A second parser process starts only when this many bodies wait for a
# parser: a trickle of bodies is parsed as soon by one, and a process costs
# its start-up.
POOL_MIN_BACKLOG = 3
# Parser processes: the cores there are, at most this many.
POOL_MAX_WORKERS = 2
# A body that keeps a parser process busy this long fails (and the process
# ends); $BRIEFING_PARSE_TIME_LIMIT (seconds) overrides it.
PARSE_TIME_LIMIT = 60
# A parser process not ready this long after it was started is ended: its
# imports take well under a second, so it hangs.
PROCESS_START_LIMIT = 10
# Starts tried before the pool gives up: one start that timed out on a busy
# machine must not fail every feed of the refresh.
START_ATTEMPTS = 3


def _pool_workers() -> int:
    """How many parser processes at most: $BRIEFING_PARSE_PROCESSES, else one
    a core up to POOL_MAX_WORKERS; never fewer than one."""
    override = os.environ.get("BRIEFING_PARSE_PROCESSES")
    if override is not None and override.strip().isdigit():
        return max(1, int(override))
    return min(POOL_MAX_WORKERS, os.cpu_count() or 1)


def parse_time_limit() -> float:
    """Seconds a body may keep a parser process: $BRIEFING_PARSE_TIME_LIMIT
    when it is a positive number, else PARSE_TIME_LIMIT."""
    override = os.environ.get("BRIEFING_PARSE_TIME_LIMIT")
    if override:
        try:
            seconds = float(override)
        except ValueError:
            seconds = 0.0
        if 0 < seconds < float("inf"):
            return seconds
    return PARSE_TIME_LIMIT


def describe_time_limit(seconds: float) -> str:
    """The words a feed fails with when its body hit the limit."""
    return f"parsing took longer than {seconds:g} s"


def describe_page_time_limit(seconds: float) -> str:
    """The words a page fails with when its extraction hit the limit."""
    return f"extracting the text took longer than {seconds:g} s"


class ParseTimeLimit(Exception):
    """A body kept its parser process busy past parse_time_limit()."""


class _ParserProcess:
    """One parser process and its two pipes. Several parse() calls may wait
    on it at once: one task reads the answers and hands them out in the
    order the jobs were sent."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        if process.stdin is None or process.stdout is None:
            raise ValueError("the parser process has no pipes")
        self.process = process
        self.stdin, self.stdout = process.stdin, process.stdout  # start() opens both
        self.answers: deque[asyncio.Future] = deque()
        self.sent = asyncio.Event()  # set when a job is sent
        self.reader: asyncio.Task | None = None
        self.ended = False  # the reader has stopped: no answer will come

    @classmethod
    async def start(cls, pages: bool = False) -> _ParserProcess:
        argv, env = child_command("briefing.refresh.parser_process", "main")
        if pages:
            env[PAGES_AHEAD] = "1"
        # Spawned from the event loop's thread, which outlives the pool.
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
        )
        worker = cls(process)
        try:
            # The ready frame, once its imports are done.
            await asyncio.wait_for(worker._read(), PROCESS_START_LIMIT)
        except TimeoutError:
            await worker.close(now=True)
            raise OSError(f"it was not ready after {PROCESS_START_LIMIT:g} s") from None
        except BaseException:
            await worker.close(now=True)
            raise
        return worker

    async def _read(self) -> bytes:
        header = await self.stdout.readexactly(HEADER.size)
        return await self.stdout.readexactly(HEADER.unpack(header)[0])

    async def parse(self, body: bytes, feed_name: str, content_type: str | None, store_job: StoreJob | None):
        """The answer to this body. Raises ParseTimeLimit when the process
        spent parse_time_limit() on it (and ends the process), EOFError or
        OSError when the process is gone."""
        return await self._ask(frame((body, feed_name, content_type, store_job)))

    async def extract(self, job: PageJob):
        """The answer to this page: ("page", PageText); raises as parse() does."""
        return await self._ask(frame(job))

    async def _ask(self, data: bytes):
        if self.ended:
            raise EOFError("the parser process has ended")
        answer = asyncio.get_running_loop().create_future()
        self.answers.append(answer)
        self.sent.set()
        if self.reader is None:
            self.reader = asyncio.create_task(self._read_answers())
        try:
            self.stdin.write(data)
            await self.stdin.drain()
        except BaseException:
            # Never sent: no answer will come for it.
            if answer in self.answers:
                self.answers.remove(answer)
            answer.cancel()
            raise
        return await answer

    async def _read_answers(self) -> None:
        """Each answer to the job sent first. The job at the head of the pipe
        has parse_time_limit() from the moment it got there (the answer
        before it came, or it was sent); past that it fails, the process is
        ended, and the jobs behind it hear EOFError (their callers send them
        to another process). Any other end of the process ends every waiting
        job."""
        limit = parse_time_limit()
        failure: BaseException | None = None
        try:
            while True:
                if not self.answers:
                    self.sent.clear()
                    await self.sent.wait()
                try:
                    data = await asyncio.wait_for(self._read(), limit)
                except TimeoutError:
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
                # Not Process.kill(): its poll() can reap a process that has
                # just exited before asyncio's child watcher does, which then
                # logs "Unknown child process" on stderr. An unreaped pid is
                # never reused, so this signal reaches our process or none.
                os.kill(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def close(self, now: bool = False) -> None:
        """Let the process finish what it holds and end (its stdin closes);
        killed after 2 s, or at once when `now` (the refresh was stopped:
        it must write nothing more)."""
        if now:
            self.kill()
        if self.process.returncode is None:
            try:
                self.stdin.close()
                await asyncio.wait_for(self.process.wait(), 2)
            except (TimeoutError, OSError):
                pass
        if self.process.returncode is None:
            self.kill()
            await self.process.wait()
        if self.reader is not None:
            self.reader.cancel()  # it may be waiting for a job that will not come
            await asyncio.gather(self.reader, return_exceptions=True)


class _NoParser:
    """Put in the free queue when no parser process is left or can start:
    every body waiting for one fails (each waiter puts it back)."""


_NO_PARSER = _NoParser()


class ParserPool:
    """Where bodies are parsed: in parser processes, off the event loop.

    A body takes the first free place in a process's pipe. The first
    process starts with the first body that waits (or earlier, through
    start_processes); more start when POOL_MIN_BACKLOG bodies wait (one a
    core, at most POOL_MAX_WORKERS). A body that keeps a process past
    parse_time_limit() fails in words and that process is ended; a body
    whose process ended under it for any other reason (the body ahead of it
    hit the limit, the process was killed) is sent once more, to another
    process, and fails if that one ends too. A process that ends is replaced
    while bodies still wait. If no process can start, the bodies fail,
    saying so: no body is ever parsed where no limit holds.
    """

    def __init__(self, pages: bool = False) -> None:
        self.pages = pages  # pages may come: processes load the extractor once ready
        self.free: asyncio.Queue = asyncio.Queue()
        self.waiting = 0
        self.workers = _pool_workers()
        self.wanted = 0  # processes to keep running or starting
        self.starting: set[asyncio.Task] = set()
        self.live: list[_ParserProcess] = []
        self.start_failure: str | None = None  # why a process could not start: start no more
        self.failed_starts = 0
        self.first_start_error: str | None = None
        self.closed = False

    async def parse(self, body: bytes, feed_name: str, content_type: str | None, store_job: StoreJob | None = None):
        """Parse a body in a parser process, which also stores it, given a
        store_job (see parser_process): ("stored", UpsertCounts), ("ok",
        ParsedFeed) for the caller to store, or ("failed", words)."""
        return await self._on_a_process(
            lambda worker: worker.parse(body, feed_name, content_type, store_job), describe_time_limit, "parse"
        )

    async def extract(self, job: PageJob) -> tuple[str, object]:
        """Extract a page's article text in a parser process, under the same
        time limit as a feed's body: ("page", PageText), or ("failed", words)."""
        return await self._on_a_process(
            lambda worker: worker.extract(job), describe_page_time_limit, "extract the text"
        )

    async def _on_a_process(
        self,
        ask: Callable[[_ParserProcess], Awaitable[tuple[str, object]]],
        too_long: Callable[[float], str],
        doing: str,
    ) -> tuple[str, object]:
        ended = ""
        for _ in range(2):
            worker = await self._free_worker()
            if worker is None:
                return "failed", f"could not {doing}: {self.start_failure or 'no parser process'}"
            try:
                # The time limit is counted by the process's reader, from when
                # this job reaches the head of its pipe (_read_answers).
                result = await ask(worker)
            except ParseTimeLimit:
                await self._retire(worker)
                return "failed", too_long(parse_time_limit())
            except (OSError, EOFError) as exc:
                # Ended for the job ahead of this one, or killed: another
                # process tries it.
                ended = str(exc)
                await self._retire(worker)
                continue
            self.free.put_nowait(worker)
            return result
        return "failed", clean_line(f"could not {doing}: {ended or 'the parser process ended'}")[:200]

    def start_processes(self, count: int | None = None) -> None:
        """Have `count` parser processes (all there may be, by default)
        running or starting now, before bodies wait for them: started as a
        first fetch's requests go out (refresh/run.py), they are up by the time
        its bodies arrive."""
        self.wanted = max(self.wanted, min(self.workers if count is None else count, self.workers))
        self._top_up()

    async def _free_worker(self) -> _ParserProcess | None:
        """A place in a live process's pipe; None when no process is left
        and none can start."""
        self.waiting += 1
        try:
            self.wanted = max(self.wanted, self.workers if self.waiting >= POOL_MIN_BACKLOG else 1)
            self._top_up()
            while True:
                slot = await self.free.get()
                if slot is _NO_PARSER:
                    self.free.put_nowait(slot)  # for the next one waiting
                    return None
                if slot in self.live:
                    return slot
                # a place in a process since retired
        finally:
            self.waiting -= 1

    def _top_up(self) -> None:
        while not self.closed and self.start_failure is None and len(self.live) + len(self.starting) < self.wanted:
            task = asyncio.create_task(self._start_one())
            self.starting.add(task)
        if not self.live and not self.starting:
            if self.start_failure is not None or self.closed:
                self.free.put_nowait(_NO_PARSER)

    async def _start_one(self) -> None:
        try:
            # Awaited directly, not through wait_for (its own task would spawn
            # the process a loop turn later): start() spawns the process in
            # this task's first step, before refresh/run.py imports httpx.
            worker = await _ParserProcess.start(self.pages)
        except asyncio.CancelledError:
            self.starting.discard(asyncio.current_task())
            raise
        except Exception as exc:  # noqa: BLE001 - said in words by each body that cannot be parsed
            self.starting.discard(asyncio.current_task())
            self.failed_starts += 1
            if self.first_start_error is None:  # the first reason is the one said
                self.first_start_error = str(exc) or type(exc).__name__
            if self.failed_starts >= START_ATTEMPTS and self.start_failure is None:
                words = self.first_start_error
                self.start_failure = clean_line(f"no parser process could start: {words}")[:160]
            self._top_up()
            return
        self.starting.discard(asyncio.current_task())
        if self.closed:
            await worker.close(now=True)
            return

        self.live.append(worker)
        for _ in range(JOBS_IN_PIPE):
            self.free.put_nowait(worker)

    async def _retire(self, worker: _ParserProcess) -> None:
        if worker not in self.live:
            return  # retired already, by the other job it had
        self.live.remove(worker)
        await worker.close()
        if self.waiting:
            self._top_up()  # a replacement for the bodies waiting for a place

    async def close(self, now: bool = False) -> None:
        """End the processes: each finishes its last transaction and exits;
        or, when `now` (the refresh was stopped), each is killed at once and
        has written its last by the time this returns."""
        self.closed = True
        for task in self.starting:
            task.cancel()
        await asyncio.gather(*self.starting, return_exceptions=True)
        await asyncio.gather(*(worker.close(now) for worker in self.live))
        self.live.clear()
