"""Pins and notes in the dashboard, driven with Pilot: `p` pins the selected
line from the summary, the feed, a question's evidence, an actor's quotes,
search results and the reader; `a` writes a note; `P` lists them with their
notes, and Enter opens the cited article. A write waits for the store's
lock on a thread, never on the screen."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import Input, OptionList

from briefing.config import load_config
from briefing.store.database import Store
from briefing.tui.screens.detail import DetailScreen
from briefing.tui.screens.note import NoteScreen
from briefing.tui.screens.pinned import PinnedScreen
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.screens.search import SearchScreen
from briefing.tui.screens.timeline import TimelineScreen
from briefing.workers.dashboard_workspace import DashboardWorkspace
from briefing.workspace import seed_store
from tests.helpers.cli import REPO
from tests.helpers.dashboard import recording_app
from tests.helpers.waiting import briefing_shown, until, workers_done

SIZE = (110, 36)


@pytest.fixture
def workspace(tmp_path) -> DashboardWorkspace:
    path = tmp_path / "store.db"
    with Store(path) as store:
        seed_store(store, REPO / "cache")
    return DashboardWorkspace(load_config(REPO / "feeds.toml"), path)


def stored(workspace: DashboardWorkspace):
    with Store(workspace.store_path) as store:
        return store.marks()


def screen_text(app) -> str:
    """The screen as plain text, from the real render (an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def marks_saved(pilot) -> None:
    await workers_done(pilot, "marks")


def highlight(app, prefix: str) -> None:
    """Put the open view's list cursor on its first option whose id starts with prefix."""
    widget = app.screen.query_one(OptionList)
    index = next(i for i in range(widget.option_count) if (widget.get_option_at_index(i).id or "").startswith(prefix))
    widget.highlighted = index


async def test_p_pins_lines_from_every_panel_and_view(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        briefing = app.briefing
        # The summary panel: its first line.
        await pilot.press("1", "p")
        await marks_saved(pilot)
        first = briefing.summary[0]
        assert [(p.kind, p.article_id, p.text) for p in stored(workspace).pins] == [
            ("summary", first.article_id, first.text)
        ]
        assert app.notices[-1] == "Pinned."
        # The feed: the article.
        await pilot.press("4", "p")
        await marks_saved(pilot)
        row = briefing.articles[0]
        assert ("article", row.id, row.title) in {(p.kind, p.article_id, p.text) for p in stored(workspace).pins}
        # A question's evidence, with the question as its context.
        question = next(q for q in briefing.questions if q.evidence)
        await pilot.press("3")
        panel = app.query_one("#questions")
        while panel.selected_question() != question:
            await pilot.press("j")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        highlight(app, "t0:")
        await pilot.press("p")
        await marks_saved(pilot)
        evidence = question.evidence[0]
        assert ("evidence", evidence.article_id, evidence.text, question.title) in {
            (p.kind, p.article_id, p.text, p.context) for p in stored(workspace).pins
        }
        # An actor's quote, with the speaker as its context.
        actor = next(a for a in briefing.actors if a.quotes)
        await pilot.press("escape", "2")
        actors = app.query_one("#actors")
        while actors.selected_actor() != actor:
            await pilot.press("j")
        await pilot.press("enter")
        highlight(app, "t0:")
        await pilot.press("p")
        await marks_saved(pilot)
        quote = actor.quotes[0]
        assert ("quote", quote.article_id, quote.text, quote.speaker) in {
            (p.kind, p.article_id, p.text, p.context) for p in stored(workspace).pins
        }
        # A row that is not a line from an article says so, and pins nothing.
        await pilot.press("escape", "2")
        count = len(stored(workspace).pins)
        await pilot.press("p")
        assert app.notices[-1].startswith("Nothing to pin here")
        assert len(stored(workspace).pins) == count
        # A search result: the article, pinned or (pressed again) unpinned.
        await pilot.press("slash")
        await pilot.press(*"Tartous")
        await until(pilot, lambda: app.screen.query_one("#search-results", OptionList).option_count > 0)
        await pilot.press("enter")
        assert isinstance(app.screen, SearchScreen)
        hit = app.screen.selected_article()

        def hit_pinned() -> bool:
            return any(p.kind == "article" and p.article_id == hit for p in stored(workspace).pins)

        before = hit_pinned()  # the feed's first article may be this one
        await pilot.press("p")
        await marks_saved(pilot)
        assert hit_pinned() is not before
        await pilot.press("p")
        await marks_saved(pilot)
        assert hit_pinned() is before
        # The reader: the article it shows, and a note on it.
        await pilot.press("escape", "4", "j", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        read = app.screen.article_id
        await pilot.press("p", "a")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Second source for the dam date", "enter")
        await marks_saved(pilot)
        marks = stored(workspace)
        assert any(p.kind == "article" and p.article_id == read for p in marks.pins)
        assert marks.article_note(read) == "Second source for the dam date"
        assert app.marks == marks


async def test_a_note_on_a_line_and_the_pinned_view(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        line = app.briefing.summary[0]
        await pilot.press("P")
        assert isinstance(app.screen, PinnedScreen)
        assert "Nothing pinned yet" in screen_text(app)
        await pilot.press("escape")
        # A note on a summary line pins it; the box takes every key as text (q, p, P, a, 1 ...).
        await pilot.press("1", "a")
        assert isinstance(app.screen, NoteScreen)
        assert "Note on this summary line" in screen_text(app)
        await pilot.press(*"q p P a 1: ask the ministry", "enter")
        await marks_saved(pilot)
        assert app.is_running
        [pin] = stored(workspace).pins
        assert (pin.kind, pin.text, pin.note) == ("summary", line.text, "q p P a 1: ask the ministry")
        # Esc leaves the note as it was.
        await pilot.press("a")
        assert app.screen.query_one("#note-input", Input).value == "q p P a 1: ask the ministry"
        await pilot.press(*" more", "escape")
        await marks_saved(pilot)
        assert stored(workspace).pins[0].note == "q p P a 1: ask the ministry"
        # The pinned view: the kind, the line, its source and the note.
        await pilot.press("P")
        assert isinstance(app.screen, PinnedScreen)
        await marks_saved(pilot)
        text = screen_text(app)
        assert "1 pinned" in text
        assert "Summary" in text and line.text[:40] in text and line.source in text
        assert "✎ q p P a 1: ask the ministry" in text
        # Enter opens the cited article; Esc comes back to the list.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        assert app.screen.article_id == line.article_id
        await pilot.press("escape")
        assert isinstance(app.screen, PinnedScreen)
        # p does not throw away a note: it says how to unpin.
        await pilot.press("p")
        await marks_saved(pilot)
        assert app.notices[-1].startswith("Still pinned: this pin has a note")
        assert len(stored(workspace).pins) == 1
        # Cleared, the note goes; then p unpins, and the view follows.
        await pilot.press("a", "ctrl+u", "enter")
        await marks_saved(pilot)
        assert app.notices[-1] == "Note deleted."
        assert "✎" not in screen_text(app)
        await pilot.press("p")
        await marks_saved(pilot)
        assert stored(workspace).pins == ()
        assert "Nothing pinned yet" in screen_text(app)


async def test_pinned_view_lists_notes_on_articles_and_what_others_pinned(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        row = app.briefing.articles[1]
        await pilot.press("4", "j", "a", *"Background only", "enter")
        await marks_saved(pilot)
        # Another process (a second dashboard) pins a line meanwhile: the view reads the store again.
        with Store(workspace.store_path) as store:
            from briefing.model import Pin

            store.pin(Pin("timeline", row.id, "The dam's second turbine started.", row.source, "2023-06"))
        await pilot.press("P")
        await marks_saved(pilot)
        text = screen_text(app)
        assert "Timeline, 2023-06" in text and "The dam's second turbine started." in text
        assert "Notes on articles" in text and "✎ Background only" in text
        highlight(app, "n")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None)
        assert app.screen.article_id == row.id


async def test_a_pin_waits_for_the_store_lock_off_the_screen(workspace):
    app = recording_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        await workers_done(pilot)
        # Another writer holds the store's write lock.
        other = sqlite3.connect(workspace.store_path, isolation_level=None, timeout=30)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("1", "p")
            # The screen still answers keys while the pin waits.
            await pilot.press("4")
            await until(pilot, lambda: app.focused is not None and app.focused.id == "feed", timeout=5)
            await pilot.press("P")
            assert isinstance(app.screen, PinnedScreen)
            assert app.marks.pins == ()
        finally:
            other.execute("COMMIT")
            other.close()
        await until(pilot, lambda: len(app.marks.pins) == 1, what="the pin saved once the lock was free")
        assert app.marks.pins[0].kind == "summary"
        await pilot.pause()
        assert "Summary" in screen_text(app)


async def test_p_pins_a_timeline_event(workspace) -> None:
    """The timeline's events are lines like any other: `p` pins the one
    under the cursor, with its date as the timeline gives it."""
    app = recording_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await briefing_shown(pilot)
        event = sorted(app.briefing.timeline, key=lambda e: e.when)[0]
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        highlight(app, "t0:")
        await pilot.press("p")
        await marks_saved(pilot)
        assert ("timeline", event.article_id, event.text) in {
            (p.kind, p.article_id, p.text) for p in stored(workspace).pins
        }
