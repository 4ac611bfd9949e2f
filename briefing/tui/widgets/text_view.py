"""TextView: read-only text of any length, wrapped to the width and drawn
line by line (the Line API), for the reader.

The text comes as pieces (a paragraph each, or a part of a long one), each
a Rich Text without newlines, or a string made into one (`make`) when it is
laid out: styling a long text is spread over the steps too. A frame wraps only the pieces down to the
bottom of the view; the rest are wrapped after it, a few milliseconds at a
time between other messages, so an article of megabytes is on the screen at
once and keys are answered while the rest is laid out. Until then the
height is an estimate from what is laid out so far, and lines not yet
wrapped are drawn blank for the moment it takes to reach them.

Why not Static: it wraps and measures the whole text before the first
frame, several times over, which froze the dashboard for many seconds on an
article of megabytes, and again when it was closed. Textual's TextArea also
lays out the whole text before showing it, and Log does not wrap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

# How long one step of laying out the rest may hold the event loop.
SLICE_SECONDS = 0.02
# How long a frame may spend wrapping what it shows, before drawing the rest
# blank until the steps after it reach there (a jump to the end of a long
# text would otherwise wrap all of it at once).
FRAME_SECONDS = 0.05


class TextView(ScrollView, can_focus=True):
    """Pieces of text, one under another, scrolled with the keys and mouse."""

    DEFAULT_CSS = """
    TextView {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    def __init__(self, pieces: Sequence[Text | str] = (), *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._pieces: list[Text | str] = list(pieces)
        self._make: Callable[[str], Text] = Text
        self._chars = [0]  # characters in the pieces before each one, for the estimate
        self._count_chars()
        self._width = 0
        self._lines: list[list[Segment]] = []
        self._wrapped = 0  # how many pieces are in _lines
        self._stepping = False  # a step of laying out the rest is on its way

    @property
    def laid_out(self) -> bool:
        """True once every piece is wrapped for the current width."""
        return self._width > 0 and self._wrapped == len(self._pieces)

    def set_pieces(self, pieces: Sequence[Text | str], make: Callable[[str], Text] = Text) -> None:
        """Show these pieces from the top; a string piece is made Text by `make`."""
        self._pieces = list(pieces)
        self._make = make
        self._count_chars()
        self._forget_layout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _count_chars(self) -> None:
        self._chars = [0]
        for piece in self._pieces:
            self._chars.append(self._chars[-1] + len(piece) + 1)

    def _forget_layout(self) -> None:
        self._lines = []
        self._wrapped = 0

    # -- layout ----------------------------------------------------------------------

    def _wrap(self, piece: Text | str) -> list[list[Segment]]:
        if isinstance(piece, str):
            piece = self._make(piece)
        console = self.app.console
        lines = piece.wrap(console, max(1, self._width), overflow=piece.overflow or "fold")
        made = []
        for line in lines:
            line.rstrip()  # the space a line was broken at is not part of it
            made.append(list(line.render(console, end="")))
        return made or [[]]

    def _layout(self, lines: int | None = None, seconds: float | None = None) -> bool:
        """Wrap pieces until `lines` lines are laid out or `seconds` have gone
        (either may be None: no limit). True once every piece is."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return False
        if width != self._width:
            self._width = width
            self._forget_layout()
        deadline = None if seconds is None else time.perf_counter() + seconds
        pieces, out = self._pieces, self._lines
        while self._wrapped < len(pieces):
            if lines is not None and len(out) >= lines:
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
            out.extend(self._wrap(pieces[self._wrapped]))
            self._wrapped += 1
        self._set_height()
        return self._wrapped == len(pieces)

    def _set_height(self) -> None:
        if not self._width:
            return  # not laid out yet: the first frame sets it
        lines = len(self._lines)
        height = self.virtual_size.height
        wrapped_chars = self._chars[self._wrapped]
        if self._wrapped < len(self._pieces) and wrapped_chars:
            # The rest as tall, for its length, as what is laid out so far.
            estimate = max(lines, lines * self._chars[-1] // wrapped_chars)
            # A new height lays out the screen again: the estimate is only
            # changed when it is well off, not on every step.
            close = abs(estimate - height) * 10 <= height
            if close and lines <= height and self._width == self.virtual_size.width:
                return
            lines = estimate
        size = Size(self._width, lines)
        if size != self.virtual_size:
            self.virtual_size = size

    def _layout_view(self) -> None:
        bottom = self.scroll_offset.y + self.size.height
        if not self._layout(lines=bottom, seconds=FRAME_SECONDS):
            self._step_later()

    def _step_later(self) -> None:
        if not self._stepping:
            self._stepping = True
            self.call_after_refresh(self._step)

    def _step(self) -> None:
        self._stepping = False
        if not self.is_attached:
            return
        before = len(self._lines)
        done = self._layout(seconds=SLICE_SECONDS)
        top = self.scroll_offset.y
        if before < top + self.size.height and len(self._lines) > top:
            self.refresh()  # lines drawn blank in the view are there now
        if not done:
            self._step_later()

    # -- drawing ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout_view()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        style = self.rich_style
        line = self.scroll_offset.y + y
        if line >= len(self._lines):
            return Strip.blank(width, style)
        strip = Strip(Segment.apply_style(self._lines[line], style))
        if strip.cell_length > width:
            return strip.crop(0, width)
        return strip.extend_cell_length(width, style)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
