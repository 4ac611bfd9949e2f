"""`P`: the user's pinned lines, each with its note, then the notes on
articles not pinned. Enter opens the cited article; `p` unpins, `a` edits
the note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.model import PIN_HEADS, ArticleNote, Marks, Pin
from briefing.text.plural import count
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, plain, when
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.pin_lines import article_line
from briefing.tui.widgets.footer import SteadyFooter

# How each kind of pin is labelled, before its context.


class PinnedScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "pinned"
    BINDINGS = bindings("pinned")

    def __init__(self, marks: Marks) -> None:
        super().__init__()
        self.marks = marks
        self.lines: dict[str, Pin] = {}  # option id -> the pin or article it shows

    def compose(self) -> ComposeResult:
        with Vertical(id="pinned"):
            yield Static(id="pinned-head")
            yield OptionList(id="pinned-list")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.show(self.marks)
        self.query_one("#pinned-list").focus()

    def show(self, marks: Marks) -> None:
        """Fill the list from the marks, keeping the cursor where it was."""
        self.marks = marks
        widget = self.query_one("#pinned-list", OptionList)
        kept = widget.highlighted
        widget.clear_options()
        self.lines = {}
        pinned_articles = {pin.article_id for pin in marks.pins if pin.kind == "article"}
        notes = [note for note in marks.notes if note.article_id not in pinned_articles]
        head = Text(f"{len(marks.pins)} pinned", style="bold")
        head.append(f" · {count(len(marks.notes), 'note')} on articles", style="dim")
        head.append("\nEnter opens the article · p unpins · a writes the note", style="dim")
        self.query_one("#pinned-head", Static).update(head)
        if not marks.pins and not notes:
            empty = Text("Nothing pinned yet: press p on a line or an article.", style="dim")
            widget.add_option(Option(empty, id="none", disabled=True))
            return
        for pin in marks.pins:
            option_id = f"p{pin.id}:{pin.article_id}"
            self.lines[option_id] = pin
            said = marks.article_note(pin.article_id) if pin.kind == "article" else pin.note
            widget.add_option(Option(_pin_text(pin, said), id=option_id))
        if notes:
            widget.add_option(Option(Text("Notes on articles", style="bold underline"), id="h-notes", disabled=True))
            for note in notes:
                option_id = f"n{note.article_id}:{note.article_id}"
                self.lines[option_id] = article_line(note.article_id, note.title or "", note.source or "")
                widget.add_option(Option(_note_text(note), id=option_id))
        # The cursor stays where it was, or starts on the first mark.
        place = min(kept, widget.option_count - 1) if kept is not None else 0
        if widget.get_option_at_index(place).disabled:
            place = next(i for i in range(widget.option_count) if not widget.get_option_at_index(i).disabled)
        widget.highlighted = place

    def _selected_id(self) -> str:
        widget = self.query_one("#pinned-list", OptionList)
        if widget.highlighted is None or not widget.option_count:
            return ""
        return widget.get_option_at_index(widget.highlighted).id or ""

    def selected_line(self) -> Pin | None:
        return self.lines.get(self._selected_id())

    def selected_article(self) -> int | None:
        line = self.selected_line()
        return line.article_id if line else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self.lines.get(event.option.id or "")
        if line is None:
            return
        if not self._in_cache(line):
            self.notify("That article is no longer in the cache; the pinned line is kept.", markup=False)
            return
        self.post_message(OpenArticle(line.article_id))

    def _in_cache(self, line: Pin) -> bool:
        if line.id is not None:
            return line.title is not None
        return any(note.title is not None for note in self.marks.notes if note.article_id == line.article_id)


def _pin_text(pin: Pin, note: str | None) -> Text:
    text = Text(PIN_HEADS.get(pin.kind, pin.kind), style="bold cyan")
    if pin.context:
        text.append(" ")
        text.append_text(plain(pin.context, "bold cyan"))
    text.append("\n")
    shown = pin.title if pin.kind == "article" and pin.title else pin.text
    text.append_text(plain(shown, "bold" if pin.kind == "article" else "", limit=SENTENCE_MAX))
    text.append("\n")
    text.append_text(plain(pin.source, "dim italic", limit=NAME_MAX))
    text.append(f" · {when(pin.published)}", style="dim italic")
    if pin.title is None:
        text.append(" · no longer in the cache", style="dim")
    elif pin.kind != "article":
        text.append(" · in ", style="dim")
        text.append_text(plain(pin.title, "dim italic"))
    if note:
        text.append("\n✎ ", style="yellow")
        text.append_text(plain(note, "yellow", limit=SENTENCE_MAX))
    return text


def _note_text(note: ArticleNote) -> Text:
    text = plain(note.title, "bold") if note.title is not None else Text("An article no longer in the cache", "dim")
    if note.title is not None:
        text.append("\n")
        text.append_text(plain(note.source, "dim italic", limit=NAME_MAX))
        text.append(f" · {when(note.published)}", style="dim italic")
    text.append("\n✎ ", style="yellow")
    text.append_text(plain(note.text, "yellow", limit=SENTENCE_MAX))
    return text
