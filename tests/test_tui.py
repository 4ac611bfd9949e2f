"""The dashboard driven by keys with Pilot: every key in the keys table does
what the help says, and feed text is never markup."""

from __future__ import annotations

import pytest
from textual.color import Color

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.tui.keys import KEYS
from briefing.tui.panels.base import Panel
from briefing.tui.screens.confirm_link import ConfirmLinkScreen
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.screens.search import SearchScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import Workspace, seed_store
from tests.helpers.cli import REPO
from tests.helpers.waiting import briefing_shown, until, workers_done

SIZE = (100, 32)


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return DashboardWorkspace(load_config(REPO / "feeds.toml"), path)


def make_app(workspace: Workspace, opened: list | None = None) -> BriefingApp:
    return BriefingApp(workspace, open_url=(opened.append if opened is not None else lambda url: None))


ready = briefing_shown


def reader_loaded(app) -> bool:
    """The reader is open and its article has been read from the store."""
    return isinstance(app.screen, ReaderScreen) and app.screen.article is not None


def _export_text(app) -> str:
    """The screen as plain text, from the real render (an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_panels_are_filled_from_the_cache(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        briefing = app.briefing
        assert len(briefing.articles) == len(list((REPO / "cache").glob("*.json")))
        assert briefing.summary and briefing.questions and briefing.actors
        assert app.query_one("#summary").row_count == len(briefing.summary)
        # The actors, then a heading and the names the story file does not
        # list, then a row for the quotes of speakers who are not actors.
        others = 1 + len(briefing.others) if briefing.others else 0
        assert app.query_one("#actors").row_count == len(briefing.actors) + others + bool(briefing.other_quotes)
        assert app.query_one("#feed").row_count == len(briefing.articles)
        text = _export_text(app)
        for heading in ("1 Summary", "2 Key actors", "3 Open questions", "4 Feed"):
            assert heading in text
        assert briefing.summary[0].source in text


@pytest.mark.parametrize(
    ("key", "panel", "widget"),
    [
        ("1", "summary", "summary"),
        ("2", "actors", "actors"),
        ("3", "questions", "questions"),
        ("4", "feed", "feed"),
    ],
)
@pytest.mark.slow
async def test_number_keys_focus_panels(workspace, key, panel, widget):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4" if key != "4" else "1")
        await pilot.press(key)
        assert app.focused.id == widget
        # Only the focused panel is lit: its border and title in the accent colour.
        accent = Color.parse(app.theme_variables["accent"])
        lit = {
            p.id for p in app.query(Panel) if p.styles.border_title_color == accent and p.styles.border.top[1] == accent
        }
        assert lit == {panel}


@pytest.mark.slow
async def test_tab_and_shift_tab_move_between_panels(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.focused.id == "summary"
        await pilot.press("tab")
        assert app.focused.id == "actors"
        await pilot.press("tab")
        assert app.focused.id == "questions"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused.id == "summary"


@pytest.mark.slow
async def test_j_k_and_arrows_move_the_cursor(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")
        feed = app.query_one("#feed")
        assert feed.highlighted == 0
        await pilot.press("j")
        assert feed.highlighted == 1
        await pilot.press("down")
        assert feed.highlighted == 2
        await pilot.press("k")
        assert feed.highlighted == 1
        await pilot.press("up")
        assert feed.highlighted == 0
        await pilot.press("2", "j")
        assert app.query_one("#actors").highlighted == 1


@pytest.mark.slow
async def test_enter_opens_reader_and_escape_returns(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4", "j")
        row = app.query_one("#feed").selected_row()
        await pilot.press("enter")
        await until(pilot, lambda: reader_loaded(app))
        assert app.screen.article_id == row.id
        text = _export_text(app)
        assert row.title[:30] in text and row.source in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ReaderScreen)
        assert app.focused.id == "feed"
        # The article is now read, in the store and on screen.
        assert workspace.read_article(row.id, mark_read=False).read is True
        assert app.query_one("#feed").rows[str(row.id)].read is True


@pytest.mark.slow
async def test_enter_on_actor_and_question_opens_their_views(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2", "enter")
        assert isinstance(app.screen, DetailScreen)
        top_actor = app.briefing.actors[0]
        assert top_actor.name in _export_text(app)
        await pilot.press("escape", "3", "enter")
        assert isinstance(app.screen, DetailScreen)
        assert app.briefing.questions[0].title[:30] in _export_text(app)
        # Enter on a piece of evidence opens its article.
        await pilot.press("enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("escape", "escape")
        assert app.focused.id == "questions"


@pytest.mark.slow
async def test_enter_on_summary_opens_the_cited_article(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("1", "enter")
        await until(pilot, lambda: reader_loaded(app))
        assert app.screen.article_id == app.briefing.summary[0].article_id


@pytest.mark.slow
async def test_slash_searches_the_cache(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"tartous")
        results = app.screen.query_one("#search-results")
        await until(pilot, lambda: results.option_count >= 1, what="search results")
        expected = {h.id for h in workspace.search("tartous")}
        assert {int(results.get_option_at_index(i).id.split(":")[1]) for i in range(results.option_count)} == expected
        await pilot.press("enter", "enter")
        await until(pilot, lambda: reader_loaded(app))
        assert app.screen.article_id in expected
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, (ReaderScreen, SearchScreen))


@pytest.mark.slow
async def test_search_input_takes_letters_that_are_also_keys(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"qrjk")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input").value == "qrjk"


@pytest.mark.slow
async def test_r_refreshes_or_says_plainly_why_not(workspace, tmp_path):
    from briefing.record import replace

    workspace.config = replace(workspace.config, feeds=())
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await until(
            pilot,
            lambda: any("no enabled feeds" in n.message for n in app._notifications),
            what="a notice that there are no enabled feeds",
        )


@pytest.mark.slow
async def test_question_mark_shows_every_key(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(110, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        # Listed view by view, longer than the screen: read it page by page.
        text = ""
        for _ in range(12):
            text += _export_text(app)
            await pilot.press("pagedown")
        for key in KEYS:
            assert key.help in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.slow
async def test_o_shows_the_link_then_opens_it(workspace):
    opened: list[str] = []
    app = make_app(workspace, opened)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")
        row = app.query_one("#feed").selected_row()
        await pilot.press("o")
        assert isinstance(app.screen, ConfirmLinkScreen)
        shown = app.screen.query_one("#confirm-link-url").render()
        assert str(shown) == row.link
        assert row.link[:40] in _export_text(app)
        assert opened == []
        await pilot.press("n")
        assert opened == []
        await pilot.press("o", "y")
        assert opened == [row.link]


@pytest.mark.slow
async def test_q_quits(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.slow
async def test_palette_offers_the_same_actions(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for key in KEYS:
            if key.palette and "dashboard" in key.views:
                assert key.label in titles
        # Run one from the palette: Feed focuses the feed panel.
        await pilot.press("ctrl+p")
        await pilot.press(*"Feed")
        await workers_done(pilot)  # the palette's search for the matches
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "feed")


@pytest.mark.slow
async def test_the_header_counts_every_article_not_only_the_rows_shown(workspace):
    from briefing.record import replace

    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.sub_title == "8 relevant of 8 articles"
        # A large store: the feed holds the newest rows, the counts cover all.
        briefing = app.briefing
        app._show(replace(briefing, extra={**briefing.extra, "relevant": 1234, "total_articles": 5000}))
        await pilot.pause()
        assert app.sub_title == "1234 relevant of 5000 articles"
        assert app.query_one("#feed").border_subtitle.startswith("newest 8 of 5000 articles")


HOSTILE_TITLE = "[bold]x[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]pw[/link] :smile: back\\slash"


@pytest.mark.slow
async def test_feed_text_is_never_markup(tmp_path):
    path = tmp_path / "store.db"
    hostile = ParsedArticle(
        key="evil",
        title=HOSTILE_TITLE,
        source="[red]Evil[/red] \x1b[31mSource",
        link="https://evil.example/a",
        published=None,
        text="Syria and Türkiye. [@click=app.quit]click me[/] \x1b]52;c;ZXZpbA==\x07 [/]",
    )
    with Store(path) as store:
        store.upsert_articles([hostile])
    workspace = DashboardWorkspace(load_config(REPO / "feeds.toml"), path)
    app = make_app(workspace)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        text = _export_text(app)
        assert "[bold]x[/]" in text and "[@click=app.quit]quit[/]" in text
        assert "[red]Evil[/red]" in text
        await pilot.press("4", "enter")
        await until(pilot, lambda: reader_loaded(app))
        text = _export_text(app)
        assert HOSTILE_TITLE in text
        assert "[@click=app.quit]click me[/]" in text
        assert "\x1b" not in text
        await pilot.click("#reader-body")
        await pilot.pause()
        assert app.is_running


def test_readme_keys_table_lists_every_key():
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("## Keys") : readme.index("## Configuration")]
    for key in KEYS:
        for part in key.display.split(" / "):
            assert f"`{part}`" in table, f"README keys table lacks {part} ({key.help})"


@pytest.mark.slow
async def test_number_key_from_another_view_returns_to_that_panel(workspace):
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "escape")
        await pilot.press("1", "enter")
        await until(pilot, lambda: reader_loaded(app))
        await pilot.press("2")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "actors")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)


def test_a_widely_syndicated_row_names_a_few_outlets_and_counts_the_rest():
    from briefing.model import ArticleRow
    from briefing.tui.panels.feed import _row_text

    many = tuple(f"Outlet {n}" for n in range(39))
    text = _row_text(ArticleRow(1, "Wire story", "Wire", None, None, also_in=many)).plain
    assert text.endswith("also in 39: Outlet 0, Outlet 1, Outlet 2 and 36 more")
    few = _row_text(ArticleRow(2, "Wire story", "Wire", None, None, also_in=many[:4])).plain
    assert few.endswith("also in 4: Outlet 0, Outlet 1, Outlet 2, Outlet 3")


@pytest.mark.slow
async def test_collection_paused_for_start_up_resumes_after_the_first_frame(workspace):
    """The CLI turns cyclic garbage collection off for the dashboard's start-up;
    the app turns it back on once the first frame is drawn."""
    import gc

    gc.disable()
    try:
        app = make_app(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()
