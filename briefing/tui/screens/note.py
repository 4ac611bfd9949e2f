"""`a`: a small box to write the note on an article or a line. Enter keeps
it, Esc leaves it as it was, an empty note deletes it. Answers with the
text, or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from briefing.model import Pin
from briefing.store.marks import NOTE_MAX
from briefing.tui.format import SENTENCE_MAX, plain

# What the box says it is on, by the kind of line.
ON_WHAT = {
    "summary": "summary line",
    "evidence": "piece of evidence",
    "quote": "quote",
    "mention": "mention",
    "timeline": "timeline event",
    "article": "article",
}


class NoteScreen(ModalScreen[str | None]):
    CSS_PATH = "screens.tcss"
    # The box's own key: every other key is text for the note.
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, line: Pin, note: str | None) -> None:
        super().__init__()
        self.line = line
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(plain(self.line.text, "italic", limit=SENTENCE_MAX), id="note-line")
            yield Input(value=self.note, max_length=NOTE_MAX, placeholder="Your note", id="note-input")
            hint = "Enter keeps the note · Esc leaves it as it was · an empty note deletes it"
            yield Static(Text(hint, style="dim"), id="note-hint")

    def on_mount(self) -> None:
        box = self.query_one("#note")
        box.border_title = f"Note on this {ON_WHAT.get(self.line.kind, 'line')}"
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def keep(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
