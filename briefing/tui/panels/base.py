"""What the four panels share: a bordered box with a numbered title holding
one focusable RowList, refilled from a Briefing without moving the cursor."""

from __future__ import annotations

from textual.color import Color
from textual.containers import Vertical
from briefing.model import Briefing
from briefing.tui.row_list import RowList


class Panel(Vertical):
    """A numbered panel. Subclasses fill `list_widget` in `show`."""

    number: int = 0
    heading: str = ""

    def on_mount(self) -> None:
        self.border_title = f"{self.number} {self.heading}"

    def on_descendant_focus(self) -> None:
        self._lit(True)

    def on_descendant_blur(self) -> None:
        self._lit(False)

    def _lit(self, lit: bool) -> None:
        # Inline, not a :focus-within rule: a pseudo-class change restyles
        # the panel's whole subtree (the list's every cell) on each focus move.
        # The theme's own $accent, as the stylesheet resolves it.
        colour = Color.parse(self.app.theme_variables["accent"]) if lit else None
        self.styles.border = ("round", colour) if lit else None
        self.styles.border_title_color = colour
        # $text-muted, the unlit title colour, is an "auto" colour: a set
        # colour must say it is not one.
        self.styles.auto_border_title_color = False if lit else None

    def show(self, briefing: Briefing) -> None:
        raise NotImplementedError

    @property
    def list_widget(self) -> RowList:
        return self.query_one(RowList)

    def focus_list(self) -> None:
        self.list_widget.focus()
