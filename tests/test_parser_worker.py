"""A real parser process (briefing/refresh/parser_process.py) spoken to through
parser_pool._ParserProcess: jobs sent several at a time are answered in
the order they were sent, also while another writer holds the store's
lock, and nothing is lost when that lock comes free."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from briefing.refresh.parser_pool import StoreJob, _ParserProcess
from briefing.store.database import Store
from tests.helpers.feedserver import item, rss


def feed_of(name: str, count: int) -> bytes:
    return rss(
        *(
            item(f"{name}-{j}", f"Story {j} of {name}", f"http://example.invalid/{name}/{j}", f"<p>Paragraph {j}.</p>")
            for j in range(count)
        )
    )


def job(store_path, name: str) -> StoreJob:
    return StoreJob(store_path, name, f"http://example.invalid/{name}.xml", None, None)


async def _send_all(store_path, bodies: dict[str, bytes], hold_lock_for: float = 0.0):
    """Start a parser process, send every body at once, return (answers in
    feed order, seconds from sending to the last answer)."""
    worker = await _ParserProcess.start()
    holder = None
    try:
        if hold_lock_for:
            holder = sqlite3.connect(store_path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # the other writer, storing
        began = time.monotonic()
        tasks = [
            asyncio.create_task(worker.parse(body, name, "application/rss+xml", job(store_path, name)))
            for name, body in bodies.items()
        ]
        if holder is not None:
            await asyncio.sleep(hold_lock_for)
            assert not any(task.done() for task in tasks), "answered while the lock was held"
            holder.execute("COMMIT")
        answers = await asyncio.wait_for(asyncio.gather(*tasks), 30)
        return answers, time.monotonic() - began
    finally:
        if holder is not None:
            holder.close()
        await worker.close()


def test_several_jobs_at_once_are_answered_in_the_order_sent(tmp_path):
    store_path = tmp_path / "store.db"
    Store(store_path).close()
    # Each feed has a different number of stories: an answer given to the
    # wrong job would show as the wrong count.
    bodies = {f"F{i}": feed_of(f"F{i}", i + 1) for i in range(6)}
    answers, _ = asyncio.run(_send_all(store_path, bodies))
    assert [kind for kind, _ in answers] == ["stored"] * 6
    assert [counts.new for _, (counts, _) in answers] == [1, 2, 3, 4, 5, 6]
    with Store(store_path) as store:
        assert store.count_articles() == 21
        assert {name: state.last_status for name, state in store.feed_states().items()} == {
            name: "updated" for name in bodies
        }


@pytest.mark.slow
def test_while_another_writer_holds_the_lock_answers_keep_their_order(tmp_path):
    store_path = tmp_path / "store.db"
    Store(store_path).close()
    # The second body needs no lock (it is not a feed), but its answer still
    # comes after the first's, which waits for the lock.
    bodies = {"A": feed_of("A", 3), "B": b"<html><body>not a feed</body></html>", "C": feed_of("C", 2)}
    answers, _ = asyncio.run(_send_all(store_path, bodies, hold_lock_for=0.6))
    assert answers[0][0] == "stored" and answers[0][1][0].new == 3
    assert answers[1] == ("failed", "not a feed: got an HTML page")
    assert answers[2][0] == "stored" and answers[2][1][0].new == 2
    with Store(store_path) as store:
        assert store.count_articles() == 5


# -- when a process stops answering ----------------------------------------------------


def _run_within(coroutine, seconds: float = 20):
    return asyncio.run(asyncio.wait_for(coroutine, seconds))


@pytest.mark.slow
def test_a_body_over_the_time_limit_fails_and_the_one_behind_it_goes_elsewhere(tmp_path, monkeypatch):
    """The job at the head of the pipe has the time limit; the job queued
    behind it is not blamed (EOFError: its caller parses it on the thread)."""
    import os
    import signal

    import briefing.refresh.parser_pool as pool_module

    monkeypatch.setattr(pool_module, "PARSE_TIME_LIMIT", 1.0)
    store_path = tmp_path / "store.db"
    Store(store_path).close()

    async def go():
        worker = await _ParserProcess.start()
        os.kill(worker.process.pid, signal.SIGSTOP)  # stands in for a body it cannot finish
        try:
            first = asyncio.create_task(worker.parse(feed_of("A", 1), "A", None, job(store_path, "A")))
            await asyncio.sleep(0.5)
            second = asyncio.create_task(worker.parse(feed_of("B", 1), "B", None, job(store_path, "B")))
            results = await asyncio.gather(first, second, return_exceptions=True)
            # The process was ended: a job sent now fails at once.
            with pytest.raises(EOFError):
                await worker.parse(feed_of("C", 1), "C", None, job(store_path, "C"))
            await asyncio.wait_for(worker.process.wait(), 5)
            return results
        finally:
            await worker.close()

    began = time.monotonic()
    first, second = _run_within(go())
    assert isinstance(first, pool_module.ParseTimeLimit)
    assert isinstance(second, EOFError) and not isinstance(second, pool_module.ParseTimeLimit)
    assert time.monotonic() - began < 10


def test_an_answer_that_cannot_be_read_fails_its_job_and_those_behind_it(tmp_path, monkeypatch):
    import pickle

    import briefing.refresh.parser_pool as pool_module

    class BrokenOnce:
        HIGHEST_PROTOCOL = pickle.HIGHEST_PROTOCOL
        dumps = staticmethod(pickle.dumps)
        broken = False

        @classmethod
        def loads(cls, data):
            if not cls.broken:
                cls.broken = True
                raise pickle.UnpicklingError("garbled")
            return pickle.loads(data)

    store_path = tmp_path / "store.db"
    Store(store_path).close()

    async def go():
        worker = await _ParserProcess.start()
        monkeypatch.setattr(pool_module, "pickle", BrokenOnce)
        try:
            tasks = [
                asyncio.create_task(worker.parse(feed_of(name, 1), name, None, job(store_path, name)))
                for name in ("A", "B")
            ]
            return await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await worker.close()

    began = time.monotonic()
    results = _run_within(go())
    assert all(isinstance(result, EOFError) for result in results), results
    assert time.monotonic() - began < 10


def test_a_job_that_cannot_be_sent_leaves_no_answer_waiting(tmp_path):
    import gc

    store_path = tmp_path / "store.db"
    Store(store_path).close()
    unretrieved: list = []

    async def go():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: unretrieved.append(context))
        worker = await _ParserProcess.start()
        worker.process.kill()  # it died while idle
        await worker.process.wait()
        try:
            with pytest.raises((OSError, EOFError)):
                for _ in range(3):  # the pipe may take a write before it breaks
                    await worker.parse(feed_of("A", 1), "A", None, job(store_path, "A"))
            assert not worker.answers
        finally:
            await worker.close()
        gc.collect()
        await asyncio.sleep(0)

    _run_within(go())
    assert unretrieved == []
