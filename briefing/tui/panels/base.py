"""What the four panels share: a bordered box with a numbered title holding
one focusable list, refilled from a Briefing without moving the cursor."""

from __future__ import annotations

from textual.color import Color
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.model import Briefing


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
    def list_widget(self):
        raise NotImplementedError

    def focus_list(self) -> None:
        self.list_widget.focus()


def refill_options(widget: OptionList, options: list[Option]) -> None:
    """Replace the options, keeping the highlighted one (by id) where it is."""
    previous = None
    if widget.highlighted is not None and widget.option_count:
        previous = widget.get_option_at_index(widget.highlighted).id
    scroll_y = widget.scroll_y
    widget.clear_options()
    widget.add_options(options)
    if previous is not None:
        try:
            widget.highlighted = widget.get_option_index(previous)
        except Exception:  # the option is gone: keep the position instead
            widget.highlighted = min(len(options) - 1, 0) if options else None
        widget.scroll_to(y=scroll_y, animate=False)
    elif options:
        widget.highlighted = 0
