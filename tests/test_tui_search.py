"""The search screen driven with Pilot: matches highlighted in the results
(as Text styles, on the original spelling), counts said as "1 article", and
a query that cannot be read answered with the reason, not "0 articles"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.config import load_config
from briefing.model import ParsedArticle
from briefing.store.database import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.search import MATCH_STYLE, SearchScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from tests.helpers.cli import MINIMAL_CONFIG, write
from tests.helpers.waiting import briefing_shown, until

SIZE = (100, 32)

ARTICLES = [
    ("Ferry crews walk out at Østkai", "The strike at Østkai stopped the morning ferry; crews met at the quay."),
    ("Harbour board answers", "The board said the ferry strike would end by Friday."),
]


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.upsert_articles(
            [
                ParsedArticle(
                    key=f"k{i}",
                    title=title,
                    source="Fjord Post",
                    link=f"https://fjord.example/{i}",
                    published=datetime(2025, 3, i + 1, tzinfo=UTC),
                    text=text,
                    feed=None,
                )
                for i, (title, text) in enumerate(ARTICLES)
            ]
        )
    return DashboardWorkspace(load_config(write(tmp_path / "feeds.toml", MINIMAL_CONFIG)), path)


def status_text(app) -> str:
    return str(app.screen.query_one("#search-status").render())


def marked_words(prompt) -> list[str]:
    return [prompt.plain[span.start : span.end] for span in prompt.spans if span.style == MATCH_STYLE]


async def test_matches_are_highlighted_and_bad_syntax_is_said(workspace):
    app = BriefingApp(workspace, open_url=lambda url: None)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#search-results")
        await pilot.press(*"ostkai")
        await until(pilot, lambda: results.option_count == 1, what="one result")
        prompt = results.get_option_at_index(0).prompt
        # Typed without the stroke, marked where the text has it, in the title and the snippet.
        assert marked_words(prompt) == ["Østkai", "Østkai"]
        await until(pilot, lambda: status_text(app) == "1 article", what="the count")

        input_box = app.screen.query_one("#search-input")
        input_box.value = '"ferry strike'
        await until(pilot, lambda: "quote is not closed" in status_text(app), what="the syntax message")
        assert status_text(app).startswith("Cannot search:")
        assert results.option_count == 0
        assert "0 article" not in status_text(app)

        input_box.value = '"ferry strike" OR Østkai'
        await until(pilot, lambda: status_text(app) == "2 articles", what="two results")
        words = [w for i in range(results.option_count) for w in marked_words(results.get_option_at_index(i).prompt)]
        assert sorted(set(words)) == ["ferry strike", "Østkai"]

        input_box.value = "-strike -ferry"
        await until(pilot, lambda: "only words to leave out" in status_text(app), what="negations only")


async def test_the_title_bar_says_1_article(tmp_path):
    path = tmp_path / "one.db"
    with Store(path) as store:
        store.upsert_articles(
            [ParsedArticle(key="k", title="Quay news", source="Fjord Post", link=None, published=None, text="Calm.")]
        )
    workspace = DashboardWorkspace(load_config(write(tmp_path / "feeds.toml", MINIMAL_CONFIG)), path)
    app = BriefingApp(workspace, open_url=lambda url: None)
    async with app.run_test(size=SIZE) as pilot:
        await briefing_shown(pilot)
        assert app.sub_title.endswith("of 1 article"), app.sub_title
        assert "1 article ·" in str(app.query_one("#feed").border_subtitle)
