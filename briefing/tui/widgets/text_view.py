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

import re
import time
from collections.abc import Callable, Sequence

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.tui.highlight import fold

# How long one step of laying out the rest may hold the event loop.
SLICE_SECONDS = 0.02
# How long a frame may spend wrapping what it shows, before drawing the rest
# blank until the steps after it reach there (a jump to the end of a long
# text would otherwise wrap all of it at once).
FRAME_SECONDS = 0.05
# Lines above a sentence scrolled to, so that what leads up to it shows.
CONTEXT_LINES = 2
# A sentence not found whole is looked for by its first words.
PREFIX_WORDS = 8

# Typographic quotes and apostrophes match their plain forms: one character
# for one, so that positions stay positions in the text.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def find_sentence(pieces: Sequence[str], sentence: str) -> list[tuple[int, int, int]]:
    """Where `sentence` is in the text the pieces make (joined by line
    breaks), whatever its whitespace, case, accents or quote marks: a
    (piece, start, end) for each piece it covers, or [] when it is not
    there. Linear in the text's length: the text is squeezed of whitespace
    once, searched with str.find, and the match mapped back word by word."""
    text = "\n".join(pieces)
    folded = fold(text.translate(_QUOTES))
    squeezed = _SPACE.sub("", folded)
    found = _find_squeezed(squeezed, sentence)
    if found is None:
        return []
    first, length = found
    span = _unsqueeze(folded, first, first + length)
    if span is None:
        return []
    start, end = span
    marks = []
    offset = 0
    for index, piece in enumerate(pieces):
        piece_end = offset + len(piece)
        if piece_end > start and offset < end:
            marks.append((index, max(start, offset) - offset, min(end, piece_end) - offset))
        offset = piece_end + 1
        if offset >= end:
            break
    return marks


def _find_squeezed(squeezed: str, sentence: str) -> tuple[int, int] | None:
    words = fold(sentence.translate(_QUOTES)).split()
    tries = [words]
    if len(words) > PREFIX_WORDS:
        tries.append(words[:PREFIX_WORDS])
    for words in tries:
        needle = "".join(words)
        if needle:
            at = squeezed.find(needle)
            if at >= 0:
                return at, len(needle)
    return None


def _unsqueeze(folded: str, first: int, stop: int) -> tuple[int, int] | None:
    """The span of `folded` whose non-space characters are [first, stop) of its squeezed form."""
    seen = 0
    start = None
    for word in _WORD.finditer(folded):
        size = word.end() - word.start()
        if start is None and seen + size > first:
            start = word.start() + (first - seen)
        if seen + size >= stop:
            return (start if start is not None else word.start()), word.start() + (stop - seen)
        seen += size
    return None


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
        self._starts: list[int] = []  # the first line of each piece laid out
        self._target: int | None = None  # a piece to scroll to once it is laid out

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
        self._target = None
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def scroll_to_piece(self, index: int) -> None:
        """Scroll so that the piece is near the top, as soon as it is laid out
        (the pieces before it are laid out first, a slice at a time)."""
        if 0 <= index < len(self._pieces):
            self._target = index
            self._reach_target()
            self.refresh()

    def _reach_target(self) -> None:
        target = self._target
        if target is None or self._wrapped <= target:
            return
        self._target = None
        line = max(0, self._starts[target] - CONTEXT_LINES)
        # After this frame, and forced: the scrollbar that would allow it is
        # only shown once the new height is laid out.
        self.call_after_refresh(self.scroll_to, y=line, animate=False, immediate=True, force=True)

    def _count_chars(self) -> None:
        self._chars = [0]
        for piece in self._pieces:
            self._chars.append(self._chars[-1] + len(piece) + 1)

    def _forget_layout(self) -> None:
        self._lines = []
        self._starts = []
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
            wanted = self._target is not None and self._wrapped <= self._target
            if lines is not None and len(out) >= lines and not wanted:
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
            self._starts.append(len(out))
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
        done = self._layout(lines=bottom, seconds=FRAME_SECONDS)
        self._reach_target()
        if not done:
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
        self._reach_target()
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
