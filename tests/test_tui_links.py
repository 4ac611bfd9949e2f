"""Links: `o` says so when no browser could be started (no display, or
none that runs), and `y` copies the link to the terminal's clipboard (OSC
52, which works over SSH) from every view an article is chosen in."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.confirm_link import ConfirmLinkScreen
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.search import SearchScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import until
from tests.test_tui import reader_loaded, ready

SIZE = (110, 36)


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return path


@pytest.fixture
def workspace(store_path):
    return DashboardWorkspace(load_config(REPO / "feeds.toml"), store_path)


def opener_in_a_new_python(tmp_path, env: dict[str, str]) -> str:
    """What the dashboard's real opener answers for a link, in a Python with
    only this environment (no DISPLAY unless given)."""
    code = (
        "from briefing.tui.app import open_in_browser\n"
        "print(repr(open_in_browser('https://harbour.example/tide-table')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_opener_says_why_when_there_is_no_display(tmp_path):
    answer = opener_in_a_new_python(tmp_path, {})
    assert "no graphical display" in answer and "SSH" in answer


def test_the_opener_says_so_when_the_browser_fails_to_start(tmp_path):
    # $BROWSER names the command: `false` starts and fails, as a browser that cannot open.
    assert "no browser could be started" in opener_in_a_new_python(tmp_path, {"BROWSER": "false"})
    assert opener_in_a_new_python(tmp_path, {"BROWSER": "true"}) == "None"


async def test_o_reports_a_browser_that_did_not_start_and_never_says_opened(workspace):
    tried: list[str] = []

    def no_browser(url: str) -> str:
        tried.append(url)
        return "no graphical display here"

    app = BriefingApp(workspace, open_url=no_browser)
    app_notices: list[str] = []
    shown = app.notify
    app.notify = lambda message, *a, **k: (app_notices.append(str(message)), shown(message, *a, **k))[1]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")
        link = app.query_one("#feed").selected_row().link
        await pilot.press("o")
        assert isinstance(app.screen, ConfirmLinkScreen)
        await pilot.press("y")
        assert tried == [link]
        assert any(n.startswith("Not opened: no graphical display here") and "y to copy" in n for n in app_notices)
        assert not any(n.startswith("Opened") for n in app_notices)


async def test_o_that_opens_says_opened(workspace):
    opened: list[str] = []
    app = recording_app(workspace, opened)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "o", "y")
        assert opened and any(n.startswith("Opened ") for n in app.notices)


async def test_y_copies_the_link_from_the_dashboard_and_says_how(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "j")
        link = app.query_one("#feed").selected_row().link
        await pilot.press("y")
        assert app.clipboard == link
        notice = app.notices[-1]
        assert link[:40] in notice and "OSC 52" in notice and "SSH" in notice


async def test_y_copies_the_link_in_the_reader_the_detail_view_and_search(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("y")
        assert app.clipboard == app.screen.article.link
        await pilot.press("escape", "2", "enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("j")
        chosen = app.screen.selected_article()
        await pilot.press("y")
        assert app.clipboard == next(a.link for a in app.briefing.articles if a.id == chosen)
        await pilot.press("escape", "slash", *"tartous")
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#search-results")
        await until(pilot, lambda: results.option_count >= 1, what="search results")
        await pilot.press("enter", "y")
        chosen = app.screen.selected_article()
        assert app.clipboard == next(a.link for a in app.briefing.articles if a.id == chosen)


async def test_y_copies_no_link_but_http_and_https(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key="script-link",
                    title="Tide tables for the coming week",
                    source="Harbour Weekly",
                    link="javascript:alert(1)",
                    published=None,
                    text="High water at dawn on Tuesday.",
                )
            ]
        )
    app = recording_app(DashboardWorkspace(load_config(REPO / "feeds.toml"), path))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "y")
        assert app.clipboard == ""
        assert any(n.startswith("Not copying javascript:alert(1)") for n in app.notices)
