"""A real parser process (briefing/parser_worker.py) spoken to through
parser_pool._ParserProcess: jobs sent several at a time are answered in
the order they were sent, also while another writer holds the store's
lock, and nothing is lost when that lock comes free."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from briefing.parser_pool import StoreJob, _ParserProcess
from briefing.store import Store
from tests.feedserver import item, rss


def feed_of(name: str, count: int) -> bytes:
    return rss(*(item(f"{name}-{j}", f"Story {j} of {name}", f"http://example.invalid/{name}/{j}",
                      f"<p>Paragraph {j}.</p>") for j in range(count)))


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
        tasks = [asyncio.create_task(worker.parse(body, name, "application/rss+xml", job(store_path, name)))
                 for name, body in bodies.items()]
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
    assert [counts.new for _, counts in answers] == [1, 2, 3, 4, 5, 6]
    with Store(store_path) as store:
        assert store.count_articles() == 21
        assert {name: state.last_status for name, state in store.feed_states().items()} == \
            {name: "updated" for name in bodies}


def test_while_another_writer_holds_the_lock_answers_keep_their_order(tmp_path):
    store_path = tmp_path / "store.db"
    Store(store_path).close()
    # The second body needs no lock (it is not a feed), but its answer still
    # comes after the first's, which waits for the lock.
    bodies = {"A": feed_of("A", 3), "B": b"<html><body>not a feed</body></html>", "C": feed_of("C", 2)}
    answers, _ = asyncio.run(_send_all(store_path, bodies, hold_lock_for=0.6))
    assert answers[0][0] == "stored" and answers[0][1].new == 3
    assert answers[1] == ("failed", "not a feed: got an HTML page")
    assert answers[2][0] == "stored" and answers[2][1].new == 2
    with Store(store_path) as store:
        assert store.count_articles() == 5
