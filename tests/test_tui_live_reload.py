"""The dashboard shows what another process writes to its store (a cron
refresh, an import) within seconds and without a key press; `r` reloads
the store even when every feed fails; an offline refresh is one notice,
and the title bar keeps the last refresh's time and result."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from briefing.config import Feed, Settings, load_config
from briefing.model import ParsedArticle
from briefing.record import replace
from briefing.store.database import Store
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO, run_cli, write
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import briefing_shown, until
from tests.test_tui import _export_text

pytestmark = pytest.mark.slow  # each waits on a second process or a poll

SIZE = (120, 40)
# "Within a few seconds": the store is looked at every second; the bound
# is generous for two busy cores.
SHOWN_WITHIN = 15.0


def lighthouse(n: int) -> ParsedArticle:
    return ParsedArticle(
        key=f"lighthouse-{n}",
        title=f"Lighthouse keeper logs record storm number {n}",
        source="Harbour Weekly",
        link=f"https://harbour.example/storm-{n}",
        published=datetime(2030, 3, n, 6, 0, tzinfo=UTC),
        text="Waves reached the lamp room twice in one night, the keeper wrote.",
    )


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return path


def feed_text(app) -> str:
    return _export_text(app)


def title_line(app) -> str:
    return next(line for line in _export_text(app).splitlines() if f"{app.title} — " in line)


async def top_of_feed(pilot) -> str:
    """The screen with the feed's cursor on its first row: new rows arrive
    above the cursor without moving what the user is looking at."""
    await pilot.press("4", "home")
    await pilot.pause(0.2)
    return _export_text(pilot.app)


async def test_a_second_writer_on_the_same_file_shows_without_a_key_press(store_path):
    app = recording_app(DashboardWorkspace(load_config(REPO / "feeds.toml"), store_path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        assert "Lighthouse keeper" not in feed_text(app)
        with Store(store_path) as other:
            other.upsert_articles([lighthouse(1)])
        # On the screen without a key press: the counts in the title bar.
        await until(
            pilot,
            lambda: "8 relevant of 9 articles" in title_line(app),
            timeout=SHOWN_WITHIN,
            what="the other writer's article counted in the title bar",
        )
        assert "9 articles" in str(app.query_one("#feed").border_subtitle)
        assert "Lighthouse keeper logs record storm number 1" in await top_of_feed(pilot)


async def test_briefing_import_in_another_process_shows_within_seconds(store_path, tmp_path):
    app = recording_app(DashboardWorkspace(load_config(REPO / "feeds.toml"), store_path))
    note = write(
        tmp_path / "ferry.txt",
        "Night ferry resumes winter timetable\n\nThe night ferry sails again from Monday, the operator said.",
    )
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        done = run_cli(
            "--config",
            str(REPO / "feeds.toml"),
            "--cache",
            str(store_path),
            "import",
            str(note),
            "--source",
            "Fjord Post",
        )
        assert done.returncode == 0, done.stderr
        await until(
            pilot,
            lambda: "of 9 articles" in title_line(app),
            timeout=SHOWN_WITHIN,
            what="the imported article counted in the title bar",
        )
        assert "Night ferry resumes winter timetable" in await top_of_feed(pilot)


async def test_nothing_is_reloaded_while_nothing_changes(store_path):
    app = recording_app(DashboardWorkspace(load_config(REPO / "feeds.toml"), store_path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        shown = app.briefing
        # Read marks are not changes to the articles: no reload for them either.
        await pilot.press("4", "N")
        await pilot.pause(3.5)
        assert app.briefing is shown and not app._loading


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused, as offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def offline_config(feeds: int = 5):
    base = load_config(REPO / "feeds.toml")
    port = closed_port()
    down = tuple(Feed(f"Down {n}", f"http://127.0.0.1:{port}/feed{n}.xml") for n in range(feeds))
    return replace(base, feeds=down, settings=Settings(timeout=3, connect_timeout=2))


async def test_an_offline_refresh_is_one_notice_and_the_title_bar_keeps_its_result(store_path):
    app = recording_app(DashboardWorkspace(offline_config(), store_path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.refreshing)
        await until(pilot, lambda: not app.refreshing, timeout=30, what="the refresh to end")
        await pilot.pause(0.2)
        offline = [n for n in app.notices if "network seems down" in n]
        assert len(offline) == 1, app.notices
        assert "none of the 5 feeds could be reached" in offline[0] and "connection refused" in offline[0]
        # Not one notice a feed.
        assert not any(n.startswith("Down ") for n in app.notices), app.notices
        assert "offline" in app.sub_title and "refreshed " in app.sub_title
        app.clear_notifications()
        await pilot.pause(0.2)
        line = title_line(app)
        assert "offline" in line and "relevant of 8 articles" in line


async def test_r_reloads_the_store_even_when_every_feed_fails(store_path, monkeypatch):
    # The store's watch looks only once a minute here: what shows, r showed.
    monkeypatch.setattr("briefing.tui.app.STORE_POLL_SECONDS", 60.0)
    app = recording_app(DashboardWorkspace(offline_config(2), store_path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        with Store(store_path) as other:
            other.upsert_articles([lighthouse(2)])
        await pilot.pause(1.5)
        assert "of 8 articles" in title_line(app)
        await pilot.press("r")
        await until(
            pilot,
            lambda: "of 9 articles" in title_line(app),
            timeout=30,
            what="the article another process stored, after r",
        )
        assert "offline" in title_line(app)
        assert "Lighthouse keeper logs record storm number 2" in await top_of_feed(pilot)


def test_a_refresh_is_offline_only_when_every_feed_tried_could_not_reach_its_server():
    from briefing.refresh.outcomes import FeedOutcome, RefreshReport, unreachable

    for words in (
        "connection refused",
        "host not found (news.example)",
        "network unreachable",
        "could not connect: [Errno 101]",
        "timed out after 2 s connecting",
        "redirected to https://b.example/feed: connection refused",
    ):
        assert unreachable(words), words
    for words in ("HTTP 404", "timed out after 3 s", "TLS certificate not trusted", None):
        assert not unreachable(words), words

    def report(*outcomes: FeedOutcome) -> RefreshReport:
        return RefreshReport(outcomes, 0, ())

    down = FeedOutcome("A", "failed", error="connection refused")
    assert report(down, FeedOutcome("B", "failed", error="host not found (b.example)")).offline
    assert report(down, FeedOutcome("C", "skipped", error="until 10:00")).offline
    assert not report(down, FeedOutcome("D", "failed", error="HTTP 500")).offline
    assert not report(down, FeedOutcome("E", "not_modified")).offline
    assert not report(FeedOutcome("F", "skipped", error="until 10:00")).offline
