"""`r` in the dashboard against a real loopback server: progress shows, keys
keep working while feeds are slow, new articles land without moving the
cursor, and a failing feed is named with its reason."""

from __future__ import annotations

from datetime import UTC

import pytest

from briefing.config import Feed, Settings, load_config
from briefing.record import replace
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO
from tests.helpers.feedserver import Reply, item, rss
from tests.helpers.waiting import briefing_shown, until, workers_done

pytestmark = pytest.mark.slow  # every test here takes a second or more

SIZE = (100, 32)


def story_items(feed: int) -> bytes:
    return rss(
        *[
            item(
                f"f{feed}-{n}",
                f"Syria and Türkiye talks, report {feed}.{n}",
                link=f"https://example.org/{feed}/{n}",
                description=(
                    f"Ahmed al-Sharaa and Recep Tayyip Erdoğan discussed the defense pact in Ankara. "
                    f"Report {feed}.{n} says the Syrian army would be trained by Türkiye."
                ),
                pub_date="Wed, 05 Feb 2025 09:00:00 GMT",
            )
            for n in range(2)
        ]
    )


async def test_refresh_keeps_keys_working_and_cursor_in_place(tmp_path, feed_server):
    for n in range(3):
        feed_server.route(f"/feed{n}.xml", Reply(body=story_items(n), delay=3.0))
    feed_server.route("/gone.xml", Reply(status=404, body=b"gone", content_type="text/plain"))
    base = load_config(REPO / "feeds.toml")
    feeds = tuple(Feed(f"Loopback {n}", feed_server.url(f"/feed{n}.xml")) for n in range(3))
    config = replace(
        base,
        feeds=(*feeds, Feed("Gone feed", feed_server.url("/gone.xml"))),
        settings=Settings(timeout=10, connect_timeout=5),
    )
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    app = BriefingApp(DashboardWorkspace(config, path), open_url=lambda url: None)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("4", "j", "j")
        feed = app.query_one("#feed")
        chosen = feed.selected_row()
        before = len(app.briefing.articles)

        await pilot.press("r")
        await until(pilot, lambda: app.refreshing)
        assert app.query_one("#refresh-bar").has_class("running")
        # The feeds take three seconds to answer: keys work meanwhile.
        await pilot.press("2")
        assert app.focused.id == "actors"
        await pilot.press("j")
        assert app.query_one("#actors").highlighted == 1
        await pilot.press("4")
        assert app.refreshing, [n.message for n in app._notifications]
        # The 404 answers at once: the status line counts it.
        status = app.query_one("#refresh-bar")
        await until(pilot, lambda: str(status.render()).startswith("Refreshing 1/4 "))
        assert str(status.render()).startswith("Refreshing 1/4 ━")

        await until(pilot, lambda: not app.refreshing and len(app.briefing.articles) > before, timeout=20)
        await workers_done(pilot)
        assert len(app.briefing.articles) == before + 6
        assert not app.query_one("#refresh-bar").has_class("running")
        # The cursor stays on the article it was on, though rows were added above it.
        assert feed.selected_row().id == chosen.id
        messages = [n.message for n in app._notifications]
        assert any("Gone feed" in m and "HTTP 404" in m for m in messages)
        assert any("3 updated" in m and "1 failed" in m for m in messages)
        # Each slow feed was asked once, at the same time as the others.
        assert all(feed_server.hits(f"/feed{n}.xml") == 1 for n in range(3))
        assert feed_server.max_in_flight >= 3


async def test_many_unanalysed_articles_at_start_are_analysed_in_the_briefing_process(tmp_path):
    """After a refresh from cron, the dashboard analyses the new articles in
    its briefing process, shows it doing so, keeps answering keys, then shows
    them; the analyses are stored for the next start."""
    from datetime import datetime, timezone

    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
    from briefing.model import ParsedArticle

    many = 1200  # three batches of analysis: progress shows for a while
    config = load_config(REPO / "feeds.toml")
    path = tmp_path / "store.db"
    when = datetime(2025, 2, 5, 9, tzinfo=UTC)
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key=f"cron|{n}",
                    title=f"Erdoğan and al-Sharaa discuss air bases, report {n}",
                    source=f"Desk {n % 7}",
                    link=None,
                    published=when,
                    feed="cron",
                    text=(
                        f"Turkish President Recep Tayyip Erdoğan and Syria's Ahmed al-Sharaa discussed "
                        f"Turkish air bases in Syria on Wednesday, report {n} says. Russia keeps its "
                        f"base at Tartous for now."
                    ),
                )
                for n in range(many)
            ],
            "cron",
        )
    app = BriefingApp(DashboardWorkspace(config, path), open_url=lambda url: None)
    seen_progress = False
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(1200):
            bars = app.query("#refresh-bar")
            if bars and str(bars.first().render()).startswith("Analysing new articles"):
                seen_progress = True
                await pilot.press("2")  # keys are answered meanwhile
                assert app.focused.id == "actors"
            if app.briefing is not None and len(app.briefing.articles) >= 1000:
                break
            await pilot.pause(0.05)
        assert seen_progress
        assert len(app.briefing.articles) == 1000  # the feed pane's limit
        assert app.core._child is not None  # assembled in the briefing process
        await pilot.pause(0.1)
        assert not app.query_one("#refresh-bar").has_class("running")
    with Store(path) as store:
        assert len(store.analysed_ids(ANALYSIS_VERSION, story_fingerprint(config.story))) == many
