"""SVG snapshots of the real dashboard on the bundled cache, at a fixed size
and clock. Review the HTML report (`snapshot_report.html`) before updating
with `uv run pytest --snapshot-update`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.help import HelpScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO
from tests.helpers.waiting import briefing_shown, until, workers_done

pytestmark = pytest.mark.slow  # every test here takes a second or more


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def app(tmp_path) -> BriefingApp:
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return BriefingApp(DashboardWorkspace(load_config(REPO / "feeds.toml"), Path(path)), open_url=lambda url: None)


async def wait_for_briefing(pilot) -> None:
    """Until the computed briefing is drawn and every worker has finished,
    so the picture never catches a half-filled list."""
    await briefing_shown(pilot)
    await workers_done(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_dashboard_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=wait_for_briefing)


def test_dashboard_large(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 48), run_before=wait_for_briefing)


def test_reader(snap_compare, app):
    async def open_reader(pilot):
        await wait_for_briefing(pilot)
        await pilot.press("4", "j", "enter")
        await until(pilot, lambda: getattr(pilot.app.screen, "article", None) is not None, what="the reader")
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_reader)


def test_help(snap_compare, app):
    # This one flaked before the actors table was given its column widths:
    # the table behind the modal was sometimes drawn at header widths.
    async def open_help(pilot):
        await wait_for_briefing(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_help)
