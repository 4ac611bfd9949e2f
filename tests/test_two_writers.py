"""Two writers at once (issue 5, point 6): a cron `briefing refresh` (the real
CLI, a subprocess) while the dashboard is open and refreshing too (the real
app under Pilot, pressing `r`), against one store and one loopback server.

Both finish; "database is locked" escapes nowhere (not on the CLI's stderr or
stdout, not in any notification); no feed fails; no article is stored twice
(by key, nor by link within a feed), though both writers fetched the same
entries and the server changed some of them between the two fetches.

And a store that does not exist yet, created by several commands at the
same moment (first launch), must work for each of them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.feedserver import Reply, Seen, item, rss
from tests.helpers.hostile import cli_env, outcome_lines, start_refresh, write_story_config

FEEDS = 30
ITEMS = 20
ROUNDS = 3
SIZE = (120, 40)


def serve(feed_server) -> None:
    """30 feeds of 20 items with some latency. The same entries for every
    request, except that each request edits one title and gives one entry a
    new guid under its old link (a publisher re-keying an article)."""
    for index in range(FEEDS):
        hits = [0]

        def answer(seen: Seen, index=index, hits=hits) -> Reply:
            hit = hits[0]
            hits[0] += 1
            items = [
                item(
                    f"f{index}-{n}",
                    f"Syria report {index}/{n}",
                    f"https://example.invalid/{index}/{n}",
                    f"Syria and Türkiye discuss a defense pact, report {n} of feed {index}.",
                )
                for n in range(ITEMS)
            ]
            items[0] = item(
                f"f{index}-0",
                f"Syria report {index}/0, edit {hit}",
                f"https://example.invalid/{index}/0",
                "Syria and Türkiye discuss a defense pact, edited.",
            )
            items[1] = item(
                f"f{index}-1-rekeyed-{hit}",
                f"Syria report {index}/1",
                f"https://example.invalid/{index}/1",
                "Syria and Türkiye, re-keyed.",
            )
            return Reply(body=rss(*items, title=f"Feed {index}"), delay=0.03 + (index % 7) * 0.04)

        feed_server.route(f"/f{index}.xml", answer)


def store_report(store: Path) -> tuple[int, list, list, str]:
    with sqlite3.connect(store, timeout=30) as db:
        count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        by_key = db.execute("SELECT key, count(*) FROM articles GROUP BY key HAVING count(*) > 1").fetchall()
        by_link = db.execute(
            "SELECT feed, link, count(*) FROM articles WHERE link IS NOT NULL GROUP BY feed, link HAVING count(*) > 1"
        ).fetchall()
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return count, by_key, by_link, check


@pytest.mark.slow
async def test_cron_refresh_while_the_dashboard_refreshes(feed_server, tmp_path):
    from briefing.config import load_config
    from briefing.store.database import Store
    from briefing.tui.app import BriefingApp
    from briefing.workers.dashboard_workspace import DashboardWorkspace

    serve(feed_server)
    config = write_story_config(
        tmp_path / "feeds.toml",
        [(f"Feed {i}", feed_server.url(f"/f{i}.xml")) for i in range(FEEDS)],
        {"timeout": 10, "connect_timeout": 2, "max_per_host": 4},
    )
    store = tmp_path / "store.db"
    Store(store).close()  # an existing store (a fresh one: see the next test)

    app = BriefingApp(DashboardWorkspace(load_config(config), store), open_url=lambda url: None)
    notices: list[str] = []
    shown = app.notify

    def notify(message, *args, **kwargs):
        notices.append(str(message))
        return shown(message, *args, **kwargs)

    app.notify = notify
    cli_runs = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.briefing is not None:
                break
        for round_ in range(ROUNDS):
            finished_before = sum("feeds:" in n for n in notices)
            cron = start_refresh(config, store, tmp_path)
            if round_ % 2:
                await pilot.pause(0.5)  # let the cron run get going first, this time
            await pilot.press("4", "r")  # on the main screen, the feed panel focused: refresh
            for _ in range(100):
                if app.refreshing or sum("feeds:" in n for n in notices) > finished_before:
                    break
                await pilot.pause(0.02)
            assert app.refreshing or sum("feeds:" in n for n in notices) > finished_before, (
                f"r did not start a refresh: {notices}"
            )
            for _ in range(600):
                await pilot.pause(0.05)
                if not app.refreshing and sum("feeds:" in n for n in notices) > finished_before:
                    break
            assert not app.refreshing, "the dashboard's refresh did not finish"
            out, err = cron.communicate(timeout=60)
            cli_runs.append((cron.returncode, out.decode(), err.decode()))
        await pilot.pause(0.5)  # the briefing update after the last refresh
        assert app.is_running

    for returncode, out, err in cli_runs:
        assert returncode == 0, err
        assert err == ""
        assert "locked" not in out.lower()
        outcomes = outcome_lines(out)
        assert len(outcomes) == FEEDS
        assert all(what.startswith(("updated", "not modified")) for what in outcomes.values()), outcomes
    summaries = [n for n in notices if "feeds:" in n]
    assert len(summaries) == ROUNDS, notices
    assert all(f"{FEEDS} feeds: {FEEDS} updated, 0 not modified, 0 failed" in n for n in summaries), summaries
    assert not [n for n in notices if "locked" in n.lower() or "failed:" in n.lower()], notices

    count, by_key, by_link, check = store_report(store)
    assert check == "ok"
    assert by_key == [] and by_link == [], (by_key[:3], by_link[:3])
    # Every entry once: each feed's 20 links, the re-keyed one stored under its link.
    assert count == FEEDS * ITEMS
    requests = len(feed_server.requests())
    assert requests == 2 * ROUNDS * FEEDS  # both writers really fetched every feed, every round
    # Each writer fetches at most 4 at a time from this host: more than 4 at once
    # means the two were fetching, and so storing, at the same time.
    assert feed_server.max_in_flight > 4, feed_server.max_in_flight


# -- a fresh store, opened by several at once -------------------------------------------------------------

# The real CLI's main(), started the moment a file appears: every process has
# done its imports first, so they all reach the store together.
_AT_THE_SIGNAL = """
import os, sys, time
import briefing.cli.main, briefing.store.database, briefing.workspace, briefing.cli.feeds
go = sys.argv[1]
open(go + ".ready." + str(os.getpid()), "w").close()
while not os.path.exists(go):
    time.sleep(0.0005)
sys.exit(briefing.cli.main.main(sys.argv[2:]))
"""


def _race_new_store(tmp_path: Path, rounds: int, processes: int) -> list[str]:
    """Start `processes` x `briefing refresh` (no feeds: it only makes the
    store) on a store that does not exist yet,
    at once; return the error lines of those that failed."""
    config = write_story_config(tmp_path / "feeds.toml", [])
    failures = []
    for round_ in range(rounds):
        store = tmp_path / f"new-{round_}.db"
        go = tmp_path / f"go-{round_}"
        started = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _AT_THE_SIGNAL,
                    str(go),
                    "--config",
                    str(config),
                    "--cache",
                    str(store),
                    "refresh",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=cli_env(),
                cwd=tmp_path,
            )
            for _ in range(processes)
        ]
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob(f"go-{round_}.ready.*"))) < processes and time.monotonic() < deadline:
            time.sleep(0.01)
        go.touch()
        for process in started:
            out, err = process.communicate(timeout=60)
            if process.returncode != 0:
                failures.append(err.decode().strip())
        with sqlite3.connect(store) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] >= 2
        db.close()
    return failures


def test_a_new_store_made_by_one_command(tmp_path):
    assert _race_new_store(tmp_path, rounds=1, processes=1) == []


@pytest.mark.slow
def test_a_new_store_opened_by_several_commands_at_once(tmp_path):
    failures = _race_new_store(tmp_path, rounds=3, processes=6)
    assert failures == [], failures
