"""Reading habits: read and unread marks, the next unread or neighbouring
article, the feed's relevant-only filter, and the thread that writes the
read marks to the store in the order they were given."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing.store.errors import StoreError
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.base import AppPart
from briefing.tui.messages import ReadMarked
from briefing.tui.panels.feed import FeedPanel

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace


class ReadingHabits(AppPart):
    """The App's keys for reading through the feed (BriefingApp defines the state)."""

    core: DashboardWorkspace
    # Read marks are written in the order given, one at a time, off the screen.
    _read_marks: queue.Queue[tuple[tuple[int, ...], bool, bool] | None]
    _read_marker: threading.Thread
    _selected_article: Callable[[], int | None]

    @property
    def feed(self) -> FeedPanel:
        return self.screen_stack[0].query_one(FeedPanel)

    def action_toggle_read(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        screen = self.screen
        article_id: int | None
        if isinstance(screen, ReaderScreen):
            if screen.article is None:
                return  # still loading: it is marked read once shown
            article_id, read = screen.article_id, not screen.read
            screen.read = read
        else:
            article_id = self._selected_article()
            if article_id is None:
                self.notify("No article is selected.", severity="warning", markup=False)
                return
            row = self.feed.rows.get(str(article_id))
            read = not row.read if row is not None else True
        self.feed.mark_read(article_id, read)
        self._read_marks.put(((article_id,), read, False))
        self.notify("Marked read." if read else "Marked unread.", markup=False, timeout=2)

    def action_mark_all_read(self) -> None:
        self.feed.mark_all_read()
        self._read_marks.put(((), True, True))
        self.notify("Marked every article read.", markup=False, timeout=3)

    def action_next_unread(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        feed = self.feed
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            target = feed.next_unread(screen.article_id)
        else:
            key = feed.highlighted_key
            target = feed.next_unread(int(key) if key is not None else None)
            if target is not None and feed.highlighted_key == str(target):
                target = None  # the only unread one is here already
        if target is None:
            self.notify("No unread articles left in the feed.", markup=False, timeout=3)
            return
        feed.go_to(target)
        if isinstance(screen, ReaderScreen):
            self._read_in_place(screen, target)
        elif len(self.screen_stack) == 1:
            feed.focus()

    def action_next_article(self, step: int) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return
        target = self.feed.neighbour(screen.article_id, step)
        if target is None:
            if str(screen.article_id) not in self.feed.order:
                words = "This article is not in the feed list (J and K go through the feed)."
            else:
                words = f"This is the {'last' if step > 0 else 'first'} article in the feed."
            self.notify(words, markup=False, timeout=3)
            return
        self.feed.go_to(target)
        self._read_in_place(screen, target)

    def _read_in_place(self, screen, article_id: int) -> None:
        screen.open_article(article_id)
        self.feed.mark_read(article_id)

    def action_relevant_only(self) -> None:
        hidden = self.feed.toggle_relevant_only()
        self.notify(
            "Feed: only the articles relevant to the story (F shows every article)."
            if hidden
            else "Feed: every article.",
            markup=False,
            timeout=3,
        )

    def _write_read_marks(self) -> None:
        """Write read marks in the order they were given, each waiting for
        the store's write lock here and not on the screen's thread."""
        while True:
            mark = self._read_marks.get()
            if mark is None:  # the app is leaving
                return
            ids, read, every = mark
            try:
                unread = self.core.mark_all_read() if every else self.core.set_read(ids, read)
            except (sqlite3.Error, StoreError) as exc:
                self.notify(  # posts a message: safe from this thread
                    f"Could not save the read mark: {clean_line(str(exc))}",
                    severity="error",
                    markup=False,
                )
                continue
            self.post_message(ReadMarked(ids, read, unread, every))

    def on_read_marked(self, message: ReadMarked) -> None:
        feed = self.feed
        if message.every:
            feed.mark_all_read()
        for article_id in message.article_ids:
            feed.mark_read(article_id, message.read)
        if message.unread is not None:
            feed.set_unread(message.unread)
