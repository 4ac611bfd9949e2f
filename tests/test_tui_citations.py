"""Citations that round-trip: a line that cites an article opens the reader
scrolled to the sentence, highlighted (reversed) whatever its whitespace;
a line several outlets carried asks which copy to open, and `v` moves to
the next copy; `]` and `[` step through the list the line came from."""

from __future__ import annotations

from briefing.tui.keys import KEYS, bindings
from briefing.tui.screens.copy_chooser import CopyChooserScreen
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.reader import CITED_STYLE, ReaderScreen
from briefing.tui.widgets.text_view import TextView, find_sentence
from tests.helpers.citing import (
    HOSTILE,
    LATE,
    SAILINGS,
    SIZE,
    WAGES,
    highlighted,
    make_app,
    panel_lines,
    piece_has_style,
    screen_text,
    squeeze,
    start,
)
from tests.helpers.waiting import until


async def reader_at(pilot, sentence: str) -> ReaderScreen:
    """The reader is open, loaded, and draws `sentence` highlighted on the screen."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
    await until(
        pilot,
        lambda: highlighted(app).lower() == squeeze(sentence).lower(),
        what=f"{sentence!r} highlighted in view (now {highlighted(app)!r})",
    )
    return app.screen


def test_a_sentence_is_found_whatever_its_whitespace_case_and_quotes():
    pieces = ["Head", "", "One  sentence\tspread", "over “two” lines. Then more."]
    marks = find_sentence(pieces, 'sentence spread over "two" LINES.')
    assert [(i, pieces[i][s:e]) for i, s, e in marks] == [(2, "sentence\tspread"), (3, "over “two” lines.")]
    assert find_sentence(pieces, "not there at all") == []
    assert find_sentence(pieces, "   ") == []


def test_a_long_sentence_not_found_whole_is_found_by_its_first_words():
    pieces = ["the first eight words of it are here, and then it says something else"]
    marks = find_sentence(pieces, "the first eight words of it are here, and then it goes on differently")
    assert len(marks) == 1 and pieces[0][marks[0][1] : marks[0][2]] == "the first eight words of it are here,"


def test_finding_is_linear_on_a_hostile_text():
    """A text of a million repeated letters and a needle that almost matches
    everywhere: bounded, not hanging."""
    import time

    pieces = ["a " * 500_000]
    began = time.perf_counter()
    assert find_sentence(pieces, "a" * 4_000 + "b") == []
    assert time.perf_counter() - began < 5


async def test_a_summary_line_opens_its_article_at_the_sentence_far_down(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("1", "home", "down", "enter")  # the second line: WAGES, past 60 paragraphs
        reader = await reader_at(pilot, WAGES)
        assert reader.article_id == ids["vell-2"]
        assert piece_has_style(app, WAGES, CITED_STYLE)
        view = reader.query_one("#reader-body", TextView)
        assert view.scroll_offset.y > 60  # scrolled down to it
        text = screen_text(app)
        assert "Summary · 2 of 3" in text
        assert "pay rise of four percent" in text


async def test_brackets_step_through_the_list_without_going_back(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("1", "home", "down", "enter")
        reader = await reader_at(pilot, WAGES)
        depth = len(app.screen_stack)
        await pilot.press("right_square_bracket")
        # The markup in the sentence is text, drawn and highlighted as it is.
        await reader_at(pilot, HOSTILE)
        assert "[@click=app.quit]stay home[/]" in screen_text(app)
        assert "Summary · 3 of 3" in screen_text(app)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: "This is the last line of the list." in app.notices)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await reader_at(pilot, SAILINGS)
        assert reader.article_id == ids["vell-1"]
        assert app.screen is reader and len(app.screen_stack) == depth
        await pilot.press("left_square_bracket")
        await until(pilot, lambda: "This is the first line of the list." in app.notices)


async def test_a_line_from_several_outlets_asks_which_copy_and_v_moves_to_the_next(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        # The summary line says how many copies there are.
        assert "Vellmark Courier, Harbour Wire · 2025-03-03 · 2 copies" in panel_lines(app, "summary")[0]
        await pilot.press("1", "home", "enter")
        await until(pilot, lambda: isinstance(app.screen, CopyChooserScreen))
        text = screen_text(app)
        assert "2 copies of this line" in text
        assert "Vellmark Courier" in text and "Harbour Wire" in text
        await pilot.press("down", "enter")  # the wire's copy
        reader = await reader_at(pilot, SAILINGS)
        assert reader.article_id == ids["vell-3"]
        assert "copy 2 of 2: Harbour Wire" in screen_text(app)
        await pilot.press("v")
        await reader_at(pilot, SAILINGS)
        assert reader.article_id == ids["vell-1"]  # over a line break and doubled spaces
        assert len(reader.marks) == 2  # the sentence spans two lines of the text, both marked
        assert piece_has_style(app, "The guild said the morning sailings", CITED_STYLE)
        assert "copy 1 of 2: Vellmark Courier" in screen_text(app)


async def test_escape_from_the_copy_chooser_opens_nothing(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("1", "home", "enter")
        await until(pilot, lambda: isinstance(app.screen, CopyChooserScreen))
        await pilot.press("escape")
        await until(pilot, lambda: len(app.screen_stack) == 1)


async def test_evidence_opens_at_its_sentence_and_steps_through_the_question(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("3", "home", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("down", "enter")  # the second piece of evidence: one copy, no chooser
        reader = await reader_at(pilot, LATE)
        assert reader.article_id == ids["vell-4"]
        assert "Evidence: When do the sailings resume? · 2 of 2" in screen_text(app)
        assert piece_has_style(app, LATE, CITED_STYLE)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))


async def test_a_feed_row_opens_at_the_top_and_steps_through_the_feed(tmp_path):
    app, briefing, ids = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await pilot.press("4", "home", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        assert app.screen.article_id == ids["vell-4"]  # the newest
        assert "Feed · 1 of 4" in screen_text(app)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: app.screen.article is not None and app.screen.article_id == ids["vell-3"])
        assert highlighted(app) == ""  # no sentence cited: nothing marked


async def test_the_reader_keys_are_bound_once_in_the_keys_table():
    ids = {k.id for k in KEYS if "reader" in k.views}
    assert {"next-item", "previous-item", "next-copy"} <= ids
    shown = {b.key for b in bindings("reader")}
    assert {"right_square_bracket", "left_square_bracket", "v"} <= shown


async def test_the_palette_s_reader_commands_say_what_they_need_outside_the_reader(tmp_path):
    app, briefing, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, briefing)
        await app.run_action("step(1)")
        await app.run_action("next_copy")
        await until(
            pilot, lambda: len([n for n in app.notices if n.startswith("Open a line in the reader first")]) == 2
        )
        await pilot.press("4", "home", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        await pilot.press("v")
        await until(pilot, lambda: "Only one outlet's copy of this line." in app.notices)
