"""Crashes lose nothing committed (issue 5, point 5).

`briefing refresh` (the real CLI, a subprocess) is killed with SIGKILL at
random moments, twenty times in one run, while it refreshes 40
feeds of 30 items each from a loopback server that answers with some
latency and changes what it serves on every request (new items, edited
titles), so that kills land while articles are being written. After each
kill the store is read with the sqlite3 module on its own:

- `PRAGMA integrity_check` is "ok", and so is the full-text index;
- every article present before the run is still there (by key);
- no article is there twice (keys are unique, and so is (feed, link));

and a last refresh, not killed, completes with exit status 0 and holds every
article every feed served.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.feedserver import Reply, Seen, item, rss, write_config
from tests.helpers.hostile import cli_env, start_refresh

pytestmark = pytest.mark.slow  # every test here takes a second or more

FEEDS = 40
ITEMS = 30
SHIFT = 5  # each request for a feed serves SHIFT new items (and drops the oldest SHIFT)
KILLS = 20
SEED = 20250204


def serve_changing_feeds(feed_server, rng: random.Random) -> dict[str, list[int]]:
    """40 feeds whose window of items moves on with each request; returns
    {feed name: [request count]} so the test knows what each feed served."""
    served: dict[str, list[int]] = {}
    for index in range(FEEDS):
        name = f"Feed {index:02d}"
        delay = rng.uniform(0.02, 0.15)
        counter = served[name] = [0]

        def answer(seen: Seen, index=index, delay=delay, counter=counter, name=name) -> Reply:
            hit = counter[0]
            counter[0] += 1
            start = hit * SHIFT
            items = [
                item(
                    f"f{index}-{n}",
                    # Every seventh item is edited on each request: updates, not only inserts.
                    f"Syria report {index}/{n}" + (f" (rev {hit})" if n % 7 == 0 else ""),
                    f"https://example.invalid/{index}/{n}",
                    f"Syria and Türkiye discuss a defense pact, item {n} of feed {index}. " * 3,
                )
                for n in range(start, start + ITEMS)
            ]
            return Reply(body=rss(*items, title=name), delay=delay)

        feed_server.route(f"/f{index}.xml", answer)
    return served


def read_store(path: Path) -> tuple[set[str], list[tuple]]:
    """(every key, duplicate (feed, link) groups) read with sqlite3 alone,
    after checking the file's integrity."""
    if not path.exists():
        return set(), []
    with sqlite3.connect(path, timeout=10) as db:
        check = db.execute("PRAGMA integrity_check").fetchall()
        assert check == [("ok",)], check
        if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]:
            # Raises sqlite3.DatabaseError if the index does not match the table.
            db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        try:
            keys = [row[0] for row in db.execute("SELECT key FROM articles")]
        except sqlite3.OperationalError:  # killed before the schema was made
            return set(), []
        duplicates = db.execute(
            "SELECT feed, link, count(*) FROM articles WHERE link IS NOT NULL GROUP BY feed, link HAVING count(*) > 1"
        ).fetchall()
    assert len(keys) == len(set(keys))
    return set(keys), duplicates


def test_sigkill_at_random_moments_loses_nothing_committed(feed_server, tmp_path):
    rng = random.Random(SEED)
    served = serve_changing_feeds(feed_server, rng)
    config = write_config(
        tmp_path / "feeds.toml",
        [(f"Feed {i:02d}", feed_server.url(f"/f{i}.xml")) for i in range(FEEDS)],
        {"timeout": 10, "connect_timeout": 2},
    )
    store = tmp_path / "store.db"

    kills = finished = grew = 0
    log: list[str] = []
    started = time.monotonic()

    def one_run(delay: float | None) -> None:
        """A refresh, killed after `delay` seconds (None: let it finish);
        then the store is checked against what it held before."""
        nonlocal kills, finished, grew
        before, _ = read_store(store)
        process = start_refresh(config, store, tmp_path, new_session=True)
        if delay is not None:
            time.sleep(delay)
        if delay is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the CLI and its parser processes
            kills += 1
        process.communicate(timeout=60)
        if process.returncode != -signal.SIGKILL:
            finished += 1
            assert process.returncode == 0, process.returncode
        after, duplicates = read_store(store)
        lost = before - after
        assert not lost, (
            f"after a kill at {delay or 0:.2f} s, {len(lost)} committed articles are gone: {sorted(lost)[:5]}"
        )
        assert duplicates == [], duplicates
        if after - before and process.returncode == -signal.SIGKILL:
            grew += 1
        log.append(
            f"{delay or 0:.2f}s {'killed' if process.returncode == -signal.SIGKILL else 'finished'} "
            f"{len(before)}->{len(after)}"
        )

    # Two kills while the store is being created and its first feeds written ...
    for _ in range(2):
        one_run(rng.uniform(0.05, 0.5))
    # ... one refresh left to finish, to learn how long one takes here ...
    clock = time.monotonic()
    one_run(None)
    duration = time.monotonic() - clock
    # ... then kills anywhere in a refresh.
    attempts = 0
    while kills < KILLS and attempts < KILLS * 3:
        attempts += 1
        one_run(rng.uniform(0.1, 0.8 * duration))

    print("\n".join(log))
    assert kills >= KILLS, log
    # Kills landed while articles were being written, not only before or after.
    assert grew >= 3, log

    final = start_refresh(config, store, tmp_path, new_session=True)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err.decode()
    assert err == b""
    summary = out.decode().strip().splitlines()[-1]
    assert summary.startswith(f"{FEEDS} feeds: {FEEDS} updated, 0 not modified, 0 failed"), summary
    keys, duplicates = read_store(store)
    assert duplicates == []
    # Every item each feed served in its latest answer is there.
    for index in range(FEEDS):
        last = served[f"Feed {index:02d}"][0] - 1
        expected = {f"Feed {index:02d}|f{index}-{n}" for n in range(last * SHIFT, last * SHIFT + ITEMS)}
        assert expected <= keys, index
    print(
        f"{kills} kills, {finished} runs finished, {grew} runs committed articles before being killed; "
        f"{len(keys)} articles; one refresh {duration:.1f} s; {time.monotonic() - started:.1f} s in all"
    )
