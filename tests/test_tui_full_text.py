"""Full text in the dashboard: the reader says where an article's text came
from, and `f` fetches one article's page now, from a real loopback server,
after which the reader shows the page's text and the briefing counts it."""

from __future__ import annotations

import html
import re

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.messages import OpenArticle
from briefing.tui.screens.reader import ReaderScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from tests.helpers.dashboard import recording_app
from tests.helpers.feedserver import Reply
from tests.helpers.waiting import briefing_shown, until, workers_done
from tests.test_cli_articles import BRIDGE_PAGE, STORY, _when, make_store

pytestmark = pytest.mark.slow  # every test here takes a second or more

SIZE = (160, 40)

# A teaser that names nothing of the story, so the article is not relevant
# until its page is read.
TEASER = "A crack was found on Monday under the main crossing into town."
PAGE_PARAGRAPHS = (
    "Divers found a crack on Monday in the third pier of the Kestrel bridge, and the harbour "
    "authority closed the harbour bridge to all traffic within the hour.",
    "Mara Lindqvist, who chairs the harbour authority, said a full inspection of the footings "
    "would take at least two weeks, and that repairs could only be planned once it was done.",
    "Until the bridge can reopen, the ferry from the north quay runs every twenty minutes from "
    "six in the morning, and buses wait at both landings for the crossing traffic.",
    "Shop owners on the south side said the closure had already cut their trade by half, and "
    "asked for the inspection to be finished sooner.",
)
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Crack found under town crossing</title></head>"
    "<body><nav><a href='/'>Home</a> <a href='/local'>Local</a> <a href='/sport'>Sport</a></nav>"
    "<article><h1>Crack found under town crossing</h1>"
    + "".join(f"<p>{p}</p>" for p in PAGE_PARAGRAPHS)
    + "</article><footer>© Coast Courier. All rights reserved. Subscribe to our newsletter.</footer>"
    "</body></html>"
).encode()


def screen_text(app) -> str:
    """What the screen shows, as plain text from the real render, its
    whitespace made single spaces (wrapped lines join up again)."""
    svg = app.export_screenshot()
    # Each run of one style is an element of its own; a line is padded with
    # spaces to the screen's width, so lines stay apart.
    plain = re.sub(r"<[^>]+>", "", svg.partition("</style>")[2])
    return " ".join(html.unescape(plain).replace("\xa0", " ").split())


def reader_on(app, article_id: int) -> bool:
    screen = app.screen
    return isinstance(screen, ReaderScreen) and screen.article is not None and screen.article.id == article_id


def _ids(path) -> dict[str, int]:
    with Store(path) as store:
        return {a.key: a.id for a in store.articles()}


async def test_the_reader_says_where_each_text_came_from(tmp_path):
    (tmp_path / "feeds.toml").write_text(STORY, encoding="utf-8")
    path = make_store(tmp_path)
    ids = _ids(path)
    app = recording_app(DashboardWorkspace(load_config(tmp_path / "feeds.toml"), path))
    fetched = _when(3, 10).astimezone().strftime("%Y-%m-%d %H:%M")
    tried = _when(4, 10).astimezone().strftime("%Y-%m-%d %H:%M")
    expected = {
        "k-bridge": f"Text from the page, fetched {fetched}",
        "k-ferry": f"Text from the feed; the page (tried {tried}) gave none: the page answered HTTP 403 (forbidden)",
        "k-bakery": "Text from the feed · f fetches the full text",
        "k-file": "Text from a file",
    }
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        for key, line in expected.items():
            app.post_message(OpenArticle(ids[key]))
            await until(pilot, lambda key=key: reader_on(app, ids[key]), what=f"the reader on {key}")
            await pilot.pause()
            text = screen_text(app)
            assert line in text, text
            for other in expected.values():
                assert other == line or other not in text
            await pilot.press("escape")
        # The page's text is what the reader shows for it, not the feed's teaser.
        app.post_message(OpenArticle(ids["k-bridge"]))
        await until(pilot, lambda: reader_on(app, ids["k-bridge"]))
        await pilot.pause()
        assert "the inspection would take two weeks" in screen_text(app)


async def test_a_page_error_is_drawn_as_text_never_as_markup(tmp_path):
    (tmp_path / "feeds.toml").write_text(STORY, encoding="utf-8")
    path = make_store(tmp_path)
    ids = _ids(path)
    with Store(path) as store:
        store.db.execute(
            "UPDATE articles SET page_error = ? WHERE id = ?",
            ("[@click=app.quit]quit[/] [bold red]403[/]", ids["k-ferry"]),
        )
    app = recording_app(DashboardWorkspace(load_config(tmp_path / "feeds.toml"), path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        app.post_message(OpenArticle(ids["k-ferry"]))
        await until(pilot, lambda: reader_on(app, ids["k-ferry"]))
        await pilot.pause()
        assert "gave none: [@click=app.quit]quit[/] [bold red]403[/]" in screen_text(app)
        assert app.is_running


def _store_with_teaser(tmp_path, feed_server) -> tuple[DashboardWorkspace, int, int]:
    """The story, one feed on the loopback server, and in the store: a teaser
    whose link serves the article's page, and one whose link answers 404."""
    config = tmp_path / "feeds.toml"
    config.write_text(
        STORY
        + '\n[settings]\ntimeout = 5\nconnect_timeout = 3\n\n[[feeds]]\nname = "Coast Courier"\n'
        + f'url = "{feed_server.url("/feed.xml")}"\n',
        encoding="utf-8",
    )
    feed_server.route("/crack.html", Reply(body=PAGE, content_type="text/html; charset=utf-8"))
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    "crack", "Crack found under town crossing", "Coast Courier",
                    feed_server.url("/crack.html"), _when(5), TEASER,
                ),
                ParsedArticle(
                    "gone", "Market day moves to Thursday", "Coast Courier",
                    feed_server.url("/gone.html"), _when(4), "The weekly market moves to Thursday this month.",
                ),
            ],
            feed="Coast Courier",
        )  # fmt: skip
    ids = _ids(path)
    return DashboardWorkspace(load_config(config), path), ids["crack"], ids["gone"]


def _row(app, article_id: int):
    return next(a for a in app.briefing.articles if a.id == article_id)


async def test_f_in_the_reader_fetches_the_page_and_the_reader_and_briefing_follow(tmp_path, feed_server):
    workspace, crack, _ = _store_with_teaser(tmp_path, feed_server)
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        assert not _row(app, crack).relevant
        assert not any(actor.articles for actor in app.briefing.actors if actor.name == "Mara Lindqvist")
        app.post_message(OpenArticle(crack))
        await until(pilot, lambda: reader_on(app, crack))
        await pilot.pause()
        before = screen_text(app)
        assert TEASER in before and "Text from the feed · f fetches the full text" in before

        await pilot.press("f")
        assert app.notices[-1] == "Fetching the full text of “Crack found under town crossing”…"
        await until(pilot, lambda: crack not in app.fetching_full_text, timeout=60, what="the page fetched")
        assert app.notices[-1].startswith("Fetched the full text from the page: "), app.notices
        assert feed_server.hits("/crack.html") == 1
        # The reader shows the page's text, and says where it came from.
        await until(pilot, lambda: "Mara Lindqvist, who chairs" in screen_text(app), what="the new text")
        after = screen_text(app)
        assert "Text from the page, fetched " in after
        assert "Shop owners on the south side" in after
        assert "All rights reserved" not in after and "Sport" not in after
        # The briefing follows: the article is about the story now.
        await workers_done(pilot, "load", timeout=60)
        assert _row(app, crack).relevant
        assert any(actor.articles for actor in app.briefing.actors if actor.name == "Mara Lindqvist")
    with Store(workspace.store_path) as store:
        article = store.article(crack)
    assert article is not None
    assert (article.text_source, article.summary, article.page_status) == ("page", TEASER, "ok")


async def test_f_on_a_feed_row_fetches_that_article_and_a_failure_is_told_in_words(tmp_path, feed_server):
    workspace, crack, gone = _store_with_teaser(tmp_path, feed_server)
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("4")
        feed = app.query_one("#feed")
        while feed.selected_row().id != gone:
            await pilot.press("j")
        await pilot.press("f")
        await until(pilot, lambda: gone not in app.fetching_full_text, timeout=60, what="the page tried")
        failure = app.notices[-1]
        assert failure.startswith("The page gave no article text (") and "404" in failure, app.notices
        assert failure.endswith("the text it has stays.")
        await pilot.press("enter")
        await until(pilot, lambda: reader_on(app, gone))
        await pilot.pause()
        text = screen_text(app)
        assert "The weekly market moves to Thursday this month." in text
        assert "Text from the feed; the page (tried " in text and "404" in text

        await pilot.press("escape", "k")
        assert feed.selected_row().id == crack
        await pilot.press("f")
        await until(pilot, lambda: crack not in app.fetching_full_text, timeout=60, what="the page fetched")
        assert app.notices[-1].startswith("Fetched the full text from the page: "), app.notices
        await workers_done(pilot, "load", timeout=60)
        assert _row(app, crack).relevant


async def test_f_elsewhere_or_without_a_link_says_so(tmp_path):
    (tmp_path / "feeds.toml").write_text(STORY, encoding="utf-8")
    path = make_store(tmp_path)
    ids = _ids(path)
    app = recording_app(DashboardWorkspace(load_config(tmp_path / "feeds.toml"), path))
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("2", "f")
        assert app.notices[-1] == (
            "f fetches the full text of the article in the reader, or of the selected row of the feed (4)."
        )
        app.post_message(OpenArticle(ids["k-file"]))
        await until(pilot, lambda: reader_on(app, ids["k-file"]))
        await pilot.press("f")
        assert app.notices[-1] == "“Notes on the bridge closure” has no link to fetch its page from."
        assert not app.fetching_full_text
        # In the search box, f is a letter of the words looked for.
        await pilot.press("escape", "slash", "f", "e", "r", "r", "y")
        assert app.screen.query_one("#search-input").value == "ferry"
        assert not app.fetching_full_text


async def test_keys_are_answered_while_a_slow_page_is_fetched(tmp_path, feed_server):
    workspace, crack, _ = _store_with_teaser(tmp_path, feed_server)
    feed_server.route("/crack.html", Reply(body=PAGE, content_type="text/html; charset=utf-8", delay=3.0))
    app = recording_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("4")
        feed = app.query_one("#feed")
        while feed.selected_row().id != crack:
            await pilot.press("j")
        await pilot.press("f")
        await until(pilot, lambda: feed_server.requests("/crack.html"), what="the page asked for")
        # The page takes three seconds to answer: the screen does not wait for it.
        await pilot.press("2")
        assert app.focused.id == "actors"
        await pilot.press("f")
        assert app.notices[-1].startswith("f fetches the full text of the article in the reader")
        assert crack in app.fetching_full_text
        await until(pilot, lambda: crack not in app.fetching_full_text, timeout=60, what="the page fetched")
        assert app.notices[-1].startswith("Fetched the full text from the page: "), app.notices
