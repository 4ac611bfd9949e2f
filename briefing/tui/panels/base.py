"""What the four panels share: each panel is the list itself, a RowList in a
bordered box with a numbered title, refilled from a Briefing without moving
the cursor. (One widget a panel, not a box holding a list: Textual's cost of
styling, laying out and painting a widget is most of the dashboard's first
frame, and the first frame is its start-up time.)"""

from __future__ import annotations

from textual import events
from textual.color import Color

from briefing.model import Briefing, Pin
from briefing.tui.widgets.row_list import RowList


class Panel(RowList):
    """A numbered panel. Subclasses fill themselves in `show`."""

    number: int = 0
    heading: str = ""

    def on_mount(self) -> None:
        self.border_title = f"{self.number} {self.heading}"

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._lit(True)

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._lit(False)

    def _lit(self, lit: bool) -> None:
        # Set inline on this widget alone, so a focus move restyles the two
        # panels it touches and not the screen; the theme's own $accent, as
        # the stylesheet resolves it.
        colour = Color.parse(self.app.theme_variables["accent"]) if lit else None
        self.styles.border = ("round", colour) if colour is not None else None
        self.styles.border_title_color = colour
        # $text-muted, the unlit title colour, is an "auto" colour: a set
        # colour must say it is not one.
        self.styles.auto_border_title_color = False if lit else None

    def show(self, briefing: Briefing) -> None:
        raise NotImplementedError

    def selected_line(self) -> Pin | None:
        """The line `p` pins and `a` writes a note on; None where a row is
        not a line from an article (an actor, a question: open it first)."""
        return None
