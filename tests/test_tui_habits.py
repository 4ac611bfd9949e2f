"""A newsreader's habits in the dashboard, driven by keys with Pilot: q
closes a view and quits only from the dashboard, each view shows its own
keys, read marks (N, A, n, J / K) reach the store and the unread count at
once, and F hides the articles not relevant to the story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.app import DashboardScreen
from briefing.tui.keys import KEYS, VIEWS, view_keys
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.screens.search import SearchScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import until
from tests.test_tui import _export_text, reader_loaded, ready

SIZE = (110, 36)

# Two articles on nothing to do with the bundled story: the feed's
# relevant-only view hides them.
OFF_STORY = [
    ParsedArticle(
        key=f"bakery-{n}",
        title=f"Village bakery wins regional sourdough prize, round {n}",
        source="Valley Gazette",
        link=f"https://gazette.example/bakery-{n}",
        published=datetime(2020, 1, n, 9, 0, tzinfo=UTC),
        text="The bakery on the square kept its starter alive through three winters. "
        "Judges praised the crust and the crumb.",
    )
    for n in (1, 2)
]


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
        store.upsert_articles(OFF_STORY)
    return path


@pytest.fixture
def workspace(store_path):
    return DashboardWorkspace(load_config(REPO / "feeds.toml"), store_path)


def stored_read(path, article_id: int) -> bool:
    with Store(path) as store:
        return store.article(article_id).read


def stored_unread(path) -> int:
    with Store(path) as store:
        return store.unread_count()


def feed(app):
    return app.screen_stack[0].query_one("#feed")


# -- q and Esc -------------------------------------------------------------------------


async def test_q_closes_each_view_and_quits_only_from_the_dashboard(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("q")
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        await pilot.press("2", "enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("q")
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        # In the search box q is a letter; from the results it closes the search.
        await pilot.press("slash", *"aq")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "aq"
        await pilot.press("tab", "q")
        assert app.is_running and isinstance(app.screen, DashboardScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_readers_footer_shows_esc_and_its_own_keys_not_the_dashboards(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        footer = _export_text(app).rstrip().splitlines()[-1]
        for words in ("Esc Back", "J/K Next/prev", "N Read/unread", "o Open", "y Copy", "? Help"):
            assert words in footer
        assert "Refresh" not in footer and "Quit" not in footer and "1-4" not in footer
        # r is the dashboard's: in the reader it does nothing.
        await pilot.press("r")
        assert not app.refreshing


async def test_help_lists_the_keys_view_by_view_the_open_one_first(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        first = _export_text(app)
        assert "Reader (an article)  (here)" in first
        assert first.index("Reader (an article)") < first.index(view_keys("reader")[0].help)
        text = ""
        for _ in range(15):
            text += _export_text(app)
            await pilot.press("pagedown")
        for title in VIEWS.values():
            assert title in text
        # ? again closes help, back in the reader.
        await pilot.press("question_mark")
        assert isinstance(app.screen, ReaderScreen)


async def test_the_palette_offers_the_keys_of_the_view_it_is_opened_over(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        on_dashboard = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Refresh", "Mark all read", "Relevant only", "Quit"} <= on_dashboard
        assert "Next article" not in on_dashboard
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        commands = list(app.get_system_commands(app.screen))
        in_reader = {c.title for c in commands}
        assert {"Next article", "Previous article", "Read / unread", "Copy link", "Back"} <= in_reader
        # The dashboard's keys are not offered (Textual's own Quit command stays).
        assert "Refresh" not in in_reader and "Mark all read" not in in_reader
        assert not any(c.help.startswith("Quit briefing") for c in commands)
        for key in KEYS:
            if key.palette and "reader" in key.views:
                assert key.label in in_reader


# -- read marks ------------------------------------------------------------------------


async def test_reading_an_article_lowers_the_unread_count_at_once(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = stored_unread(store_path)
        assert f"{before} unread" in feed(app).border_subtitle
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("escape")
        await until(pilot, lambda: f"{before - 1} unread" in str(feed(app).border_subtitle), what="count down")
        assert f"{before - 1} unread" in _export_text(app)
        assert stored_unread(store_path) == before - 1


async def test_N_toggles_the_read_mark_in_the_feed_and_in_the_store(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "j")
        row = feed(app).selected_row()
        assert not row.read
        before = stored_unread(store_path)
        await pilot.press("N")
        assert feed(app).rows[str(row.id)].read
        await until(pilot, lambda: stored_read(store_path, row.id), what="stored read")
        await until(pilot, lambda: f"{before - 1} unread" in str(feed(app).border_subtitle))
        await pilot.press("N")
        assert not feed(app).rows[str(row.id)].read
        await until(pilot, lambda: not stored_read(store_path, row.id), what="stored unread")
        await until(pilot, lambda: f"{before} unread" in str(feed(app).border_subtitle))


async def test_N_in_the_reader_keeps_the_article_unread_after_it_is_closed(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        article_id = app.screen.article_id
        await until(pilot, lambda: stored_read(store_path, article_id), what="read once opened")
        await pilot.press("N")
        assert "Marked unread." in app.notices
        await pilot.press("escape")
        await until(pilot, lambda: not stored_read(store_path, article_id), what="stored unread")
        assert not feed(app).rows[str(article_id)].read
        assert feed(app).highlighted_key == str(article_id)


async def test_A_marks_every_article_read(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert stored_unread(store_path) > 0
        await pilot.press("A")
        assert all(row.read for row in feed(app).rows.values())
        await until(pilot, lambda: stored_unread(store_path) == 0, what="all read in the store")
        await until(pilot, lambda: "· 0 unread" in str(feed(app).border_subtitle))
        assert "0 unread" in _export_text(app)


async def test_n_goes_to_the_next_unread_article(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panel = feed(app)
        order = list(panel.order)
        await pilot.press("4", "N")  # the first row read: n skips it
        await pilot.press("k")
        await pilot.press("n")
        assert panel.highlighted_key == order[1]
        # In the reader, n opens the next unread one in place, and marks it read.
        await pilot.press("N", "n")
        assert panel.highlighted_key == order[2]
        await pilot.press("enter")
        await until(pilot, lambda: reader_loaded(app))
        reader = app.screen
        await pilot.press("n")
        await until(pilot, lambda: reader.article is not None and reader.article_id == int(order[3]))
        assert app.screen is reader
        await until(pilot, lambda: stored_read(store_path, int(order[3])), what="marked read")
        # Every article read: n says so.
        await pilot.press("escape", "A")
        await pilot.press("n")
        assert "No unread articles left in the feed." in app.notices


async def test_J_and_K_go_through_the_feed_from_the_reader(workspace, store_path):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panel = feed(app)
        order = [int(key) for key in panel.order]
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        reader = app.screen
        await pilot.press("K")
        assert "This is the first article in the feed." in app.notices
        await pilot.press("J")
        await until(pilot, lambda: reader.article is not None and reader.article_id == order[1])
        text = _export_text(app)
        assert reader.article.title[:30] in text
        await pilot.press("J", "J")
        await until(pilot, lambda: reader.article is not None and reader.article_id == order[3])
        await pilot.press("K")
        await until(pilot, lambda: reader.article is not None and reader.article_id == order[2])
        for article_id in order[:4]:
            await until(pilot, lambda article_id=article_id: stored_read(store_path, article_id))
        await pilot.press("escape")
        assert panel.highlighted_key == str(order[2])


async def test_F_hides_the_articles_not_relevant_to_the_story_and_shows_them_again(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panel = feed(app)
        every = panel.row_count
        assert "Village bakery" in _export_text(app) or every == len(app.briefing.articles)
        relevant = sum(1 for row in app.briefing.articles if row.relevant)
        assert relevant < every
        await pilot.press("F")
        assert panel.row_count == relevant
        assert all(panel.rows[key].relevant for key in panel.order)
        assert f"{relevant} relevant of" in str(panel.border_subtitle)
        await pilot.press("4", "end")
        assert "Village bakery" not in _export_text(app)
        await pilot.press("F")
        assert panel.row_count == every
        await pilot.press("end")
        assert "Village bakery" in _export_text(app)
