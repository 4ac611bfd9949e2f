"""Every name and voice: the actors panel lists the story's actors in the
order given, then the names the story file does not list with their counts,
then a row for the quotes of speakers who are not actors. Each name opens
like an actor (its role from the text, quotes, every mention by article,
newest first), and each of those lines opens its sentence."""

from __future__ import annotations

from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.reader import CITED_STYLE, ReaderScreen
from tests.helpers.citing import (
    BERG_SAID,
    LATE,
    LUND_SAID,
    SIZE,
    highlighted,
    make_app,
    panel_lines,
    piece_has_style,
    screen_text,
    squeeze,
    start,
)
from tests.helpers.waiting import until


async def test_the_panel_lists_actors_then_other_names_with_counts_then_other_voices(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        lines = [squeeze(line) for line in panel_lines(app, "actors")]
        assert lines == [
            "2 1 Ines Takala Mayor of Vellmark",  # ranked as given (by prominence), not by count
            "3 2 Deckhands' Guild The ferry crews' union",
            "Also mentioned, not in the story file (1)",
            "5 2 Petra Lund speaks for the harbour board",
            "Quotes by people not in the story file: 2 from 2",
        ]
        assert "2 active · 1 not listed" in screen_text(app)


async def test_a_name_not_listed_opens_like_an_actor_with_every_mention_newest_article_first(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("2", "home", "down", "down", "enter")  # the cursor skips the heading row
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        text = screen_text(app)
        assert "Petra Lund  (person)  not in the story file" in text
        assert "speaks for the harbour board" in text
        assert "5 mentions in 2 articles" in text
        # Its quote from the other voices is shown under it.
        assert "What they said (1)" in text
        assert LUND_SAID in text
        assert "Where they are mentioned (3 in 2 articles, newest first)" in text
        assert "3 of 5 mentions have their sentence kept." in text
        newest = text.index("Vellmark Courier · 2025-03-08 · 2 mentions")
        oldest = text.index("Vellmark Courier · 2025-03-03 · 1 mention")
        assert newest < oldest
        assert text.index("Lund was not at the slipway on Friday.") < oldest
        # Enter on a mention opens its sentence; ] goes on to the next line of the view.
        await pilot.press("down", "enter")  # the first line after the quote: the newest article's first mention
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        await until(pilot, lambda: highlighted(app) == squeeze(LATE), what="the mention highlighted")
        assert app.screen.article_id == ids["vell-4"]
        assert piece_has_style(app, LATE, CITED_STYLE)
        assert "Petra Lund · 2 of 4" in screen_text(app)


async def test_quotes_by_people_not_in_the_story_file_are_all_shown(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("2", "end", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        text = screen_text(app)
        assert "2 quotes from 2 speakers" in text
        assert "Petra Lund (1)" in text and "Jonas Berg (1)" in text
        assert BERG_SAID in text and LUND_SAID in text
        await pilot.press("down", "enter")  # Jonas Berg's quote
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        await until(pilot, lambda: highlighted(app) == squeeze(BERG_SAID), what="the quote highlighted")
        assert app.screen.article_id == ids["vell-3"]
        assert "Other voices · 2 of 2" in screen_text(app)


async def test_an_actor_lists_its_quotes_with_who_said_them(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("2", "home", "down", "enter")  # the guild: a quote by its spokeswoman
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        text = screen_text(app)
        assert "What they said (1)" in text
        assert "Petra Lund · Vellmark Courier" in text  # said by someone else on its behalf: named
        assert "Where they are mentioned (1 in 1 article, newest first)" in text
