"""Marks: pinning the selected line, writing a note on it, the pinned
view, and every change to the pins and notes run off the screen, one at a
time in the order the keys came."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work

from briefing.model import Marks, Pin
from briefing.store.errors import StoreError, store_error
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.base import AppPart
from briefing.tui.messages import MarksChanged

if TYPE_CHECKING:
    from briefing.tui.panels.base import Panel
    from briefing.workers.dashboard_workspace import DashboardWorkspace

# Why `p` left a pin where it was.
KEPT_PIN = "Still pinned: this pin has a note. Clear the note (a, then an empty note) to unpin it."


class PinsAndNotes(AppPart):
    """The App's keys for pins and notes (BriefingApp defines the state)."""

    core: DashboardWorkspace
    marks: Marks  # the user's pins and notes, read at start and after each change
    _marks_lock: threading.Lock
    _focused_panel: Callable[[], Panel | None]

    def action_toggle_pin(self) -> None:
        line = self._selected_line()
        if line is None:
            self.notify(
                "Nothing to pin here: select a line or an article (open an actor or a question to pin its lines).",
                markup=False,
            )
            return

        def toggle() -> MarksChanged:
            outcome, marks = self.core.toggle_pin(line)
            if outcome == "kept":
                return MarksChanged(marks, KEPT_PIN, warning=True)
            return MarksChanged(marks, "Pinned." if outcome == "pinned" else "Unpinned.")

        self.change_marks(toggle)

    def action_annotate(self) -> None:
        line = self._selected_line()
        if line is None:
            self.notify("Nothing to write a note on here: select a line or an article.", markup=False)
            return
        from briefing.tui.screens.note import NoteScreen

        def written(text: str | None) -> None:
            if text is not None:
                said = "Note kept." if text.strip() else "Note deleted."
                self.change_marks(lambda: MarksChanged(self.core.set_note(line, text), said))

        self.push_screen(NoteScreen(line, self.marks.note_on(line)), written)

    def action_show_pinned(self) -> None:
        from briefing.tui.screens.pinned import PinnedScreen

        if not isinstance(self.screen, PinnedScreen):
            self.push_screen(PinnedScreen(self.marks))
            # Read again: another process (a second dashboard) may have pinned too.
            self.change_marks(lambda: MarksChanged(self.core.marks()))

    @work(thread=True, group="marks")
    def change_marks(self, change: Callable[[], MarksChanged]) -> None:
        """Run a change to the marks (or a read) on a thread, one at a time
        in the order asked: a write may wait for another writer's lock, and
        the screen must not."""
        with self._marks_lock:
            try:
                message = change()
            except (sqlite3.Error, StoreError) as exc:
                error = store_error(self.core.store_path, exc) if isinstance(exc, sqlite3.Error) else exc
                message = MarksChanged(self.marks, f"Not saved: {clean_line(str(error))}", warning=True)
        self.post_message(message)

    def on_marks_changed(self, message: MarksChanged) -> None:
        from briefing.tui.screens.pinned import PinnedScreen

        self.marks = message.marks
        for screen in self.screen_stack:
            if isinstance(screen, PinnedScreen):
                screen.show(message.marks)
        if message.notice:
            self.notify(message.notice, severity="warning" if message.warning else "information", markup=False)

    def _selected_line(self) -> Pin | None:
        """The line `p` and `a` act on: the open view's selected line, or on
        the dashboard the focused panel's."""
        if self.screen is not self.screen_stack[0]:
            selected = getattr(self.screen, "selected_line", None)
            return selected() if selected is not None else None
        panel = self._focused_panel()
        return panel.selected_line() if panel is not None else None
