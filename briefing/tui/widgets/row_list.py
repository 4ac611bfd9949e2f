"""RowList: the one list widget of the dashboard's four panels.

Each row is a key and a Rich Text (feed text already cleaned and made inert
by tui/format.py); one row has the cursor. Rows wrap to the list's width,
are wrapped once per width (as they are added, in the order they are
shown), and are drawn line by line from the wrapped segments: the Line API
at its plainest.

Why not OptionList or DataTable: the dashboard's first frame is its
start-up time, and those two spent most of it turning each row
into Textual's Content and measuring it again. Drawing the same rows from
pre-rendered segments takes a fraction of that, and a cursor move only
repaints the lines of the two rows it leaves and reaches
(benchmarks/log.md, "Dashboard at scale"). For the same reason a frame wraps only
the rows down to the bottom of the view; the rest are wrapped once it is
painted. A list may have a header line (column headings) that stays at the
top while the rows scroll under it.

Longer than most modules: one widget, whose drawing, cursor, paging and
header line share one wrapped-rows state.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

DIM = Style(dim=True)  # notes and the header line

# A row: its key (None: a note such as "nothing here yet", which the cursor skips) and its text.
Row = tuple[str | None, Text]


class RowList(ScrollView, can_focus=True):
    """Rows of text with a cursor; Enter (or a click) selects."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    # Only the cursor's two looks come from the stylesheet: Textual works out
    # each component class of each list on every restyle (a virtual node
    # matched against the whole stylesheet), which was a tenth of the
    # dashboard's extra cost over a bare app at start-up. Notes and the
    # header line are dimmed with a plain style instead.
    COMPONENT_CLASSES = {"row-list--cursor", "row-list--cursor-blurred"}

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
    }
    RowList > .row-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    RowList > .row-list--cursor-blurred {
        color: $foreground;
        background: $block-cursor-blurred-background;
    }
    """

    # Right-hand margin inside the list, so wrapped text does not touch the scrollbar.
    MARGIN = 1

    class Selected(Message):
        """A row was chosen with Enter or a click."""

        def __init__(self, row_list: RowList, key: str, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.key = key
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys: list[str | None] = []
        self._texts: list[Text] = []
        self._index: dict[str, int] = {}
        self._pass_style: Style | None = None  # the widget's style during a render_lines pass
        # Laid out for _width: each row's first line and its wrapped lines.
        self._width = 0
        self._starts: list[int] = []
        self._wrapped: list[list[list[Segment]]] = []
        self._line_rows: list[int] = []  # line number -> row index
        self._cursor: int | None = None
        # Wrapped lines kept from before the last set_rows, by key: reused for
        # a row whose text is the very same object (nothing about it changed).
        self._reuse: dict[str, tuple[Text, list[list[Segment]]]] = {}
        self._more = False  # more rows to come (add_rows): keep _reuse until they are laid out
        self._header: Text | None = None  # a line pinned above the rows
        self._rest_pending = False  # the rows below the view are wrapped after this frame

    # -- reading ------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def key_at(self, index: int) -> str | None:
        return self._keys[index] if 0 <= index < len(self._keys) else None

    def row_text(self, index: int) -> Text | None:
        return self._texts[index] if 0 <= index < len(self._texts) else None

    @property
    def highlighted(self) -> int | None:
        """The cursor's row (None: no row can have it)."""
        return self._cursor

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and self._keys:
            index = max(0, min(index, len(self._keys) - 1))
            # Never on a note: the nearest row the cursor may have.
            nearest = self._nearest_selectable(index)
            index = nearest if nearest is not None else self._nearest_selectable(index, -1)
        self._set_cursor(index if self._keys else None)

    @property
    def highlighted_key(self) -> str | None:
        return self.key_at(self.highlighted) if self.highlighted is not None else None

    @property
    def header_height(self) -> int:
        return 0 if self._header is None else 1

    # -- changing -------------------------------------------------------------------

    def set_header(self, text: Text | None) -> None:
        """A line that stays above the rows (cut at the edge, never wrapped)."""
        if (self._header is None) != (text is None):
            self._width = 0  # the virtual height changes with it: lay out again
        self._header = text
        self.refresh()

    def set_rows(self, rows: Iterable[Row], more: bool = False) -> None:
        """Replace every row, keeping the cursor on the same key (else at the
        same place) and that row where it was on the screen: rows that
        arrive above it (new articles at the top of the feed) do not move
        what the user is looking at. `more`: add_rows will bring the rest."""
        previous, old_index = self.highlighted_key, self.highlighted
        on_screen = None  # how far below the top of the view the cursor's row started
        if old_index is not None and old_index < len(self._starts):
            on_screen = self._starts[old_index] - self.scroll_offset.y
        self._reuse = {
            key: (text, wrapped)
            for key, text, wrapped in zip(self._keys, self._texts, self._wrapped, strict=False)
            if key is not None
        }
        self._keys, self._texts, self._index = [], [], {}
        self._more = more
        self._forget_layout()
        self._append(rows)
        target = self._index.get(previous) if previous is not None else None
        if target is None and old_index is not None and self._keys:
            at = min(old_index, len(self._keys) - 1)
            target = self._nearest_selectable(at)
            if target is None:
                target = self._nearest_selectable(at, -1)
        if target is None:
            target = self._nearest_selectable(0)
        self._set_cursor(target, scroll=False)
        if target is not None and on_screen is not None:
            self._layout()
            if target < len(self._starts):
                self.scroll_to(y=max(0, self._starts[target] - on_screen), animate=False, force=True, immediate=True)
        self.refresh()

    def add_rows(self, rows: Iterable[Row], more: bool = False) -> None:
        """Rows after the last; `more`: still others to come."""
        self._more = more
        self._append(rows)
        if self.highlighted is None:
            self._set_cursor(self._nearest_selectable(0), scroll=False)
        self.refresh()

    def replace_row(self, key: str, text: Text) -> bool:
        """Give one row new text (same height or not); False if it is not here."""
        index = self._index.get(key)
        if index is None:
            return False
        self._texts[index] = text
        if index < len(self._wrapped):
            wrapped = self._wrap(text)
            if len(wrapped) == len(self._wrapped[index]):
                self._wrapped[index] = wrapped
            else:  # its height changed: lay out again from it
                self._truncate_layout(index)
        self.refresh()
        return True

    def _append(self, rows: Iterable[Row]) -> None:
        for key, text in rows:
            if key is not None:
                self._index[key] = len(self._keys)
            self._keys.append(key)
            self._texts.append(text)

    # -- layout -----------------------------------------------------------------------

    def _forget_layout(self) -> None:
        self._starts, self._wrapped, self._line_rows = [], [], []

    def _truncate_layout(self, index: int) -> None:
        if index < len(self._wrapped):
            del self._line_rows[self._starts[index] :]
            del self._starts[index:]
            del self._wrapped[index:]

    def _wrap(self, text: Text) -> list[list[Segment]]:
        console = self.app.console
        width = max(1, self._width - self.MARGIN)
        # A text that says no_wrap (a table-like row) is cut at the edge instead.
        lines = text.wrap(console, width, overflow=text.overflow or "fold")
        return [list(line.render(console, end="")) for line in lines] or [[]]

    def _layout(self, upto: int | None = None, lines: int | None = None) -> bool:
        """Wrap rows for the current width: all of them, or up to row `upto`,
        or until `lines` lines are laid out. True once every row is."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return False
        if width != self._width:
            self._width = width
            self._forget_layout()
            self._reuse = {}
        end = len(self._keys) if upto is None else min(len(self._keys), upto + 1)
        reuse = self._reuse
        line_rows = self._line_rows
        for index in range(len(self._wrapped), end):
            if lines is not None and len(line_rows) >= lines:
                break
            text = self._texts[index]
            # Taken out as used: what stays is only what the rows now shown no longer have.
            key = self._keys[index]
            kept = reuse.pop(key, None) if reuse and key is not None else None
            wrapped = kept[1] if kept is not None and kept[0] is text else self._wrap(text)
            self._starts.append(len(line_rows))
            self._wrapped.append(wrapped)
            line_rows.extend([index] * len(wrapped))
        done = len(self._wrapped) == len(self._keys)
        if done:
            self._set_height(len(line_rows))
            if not self._more:
                self._reuse = {}  # every row is laid out: what is left is of rows gone
        return done

    def _set_height(self, lines: int) -> None:
        size = Size(self._width, lines + self.header_height)
        if size != self.virtual_size:
            self.virtual_size = size

    def _layout_view(self) -> None:
        """Wrap the rows down to the bottom of the view; the rest wait until
        this frame is painted (the first frame of the dashboard is its
        start-up time, and most rows of a long list are below it)."""
        view_bottom = self.scroll_offset.y + self.size.height - self.header_height
        if self._layout(lines=view_bottom) or not self._wrapped:
            return
        # Until the rest are wrapped, a height from the rows wrapped so far,
        # so that the scrollbar is there from the first frame.
        laid = len(self._wrapped)
        estimate = len(self._line_rows) * len(self._keys) // laid
        self._set_height(max(estimate, self.virtual_size.height - self.header_height))
        if not self._rest_pending:
            self._rest_pending = True
            self.call_after_refresh(self._layout_rest)

    def _layout_rest(self) -> None:
        self._rest_pending = False
        self._layout()

    # -- drawing ------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._layout_view()
        # Textual works out a widget's style from all its ancestors on every
        # read of rich_style; one read serves every line of a pass.
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._pass_style if self._pass_style is not None else self.rich_style
        if self._header is not None:
            if y == 0:
                return self._header_strip(self._header, width, base)
            y -= 1
        line = self.scroll_offset.y + y
        if line >= len(self._line_rows):
            return Strip.blank(width, base)
        index = self._line_rows[line]
        if index == self.highlighted:
            name = "row-list--cursor" if self.has_focus else "row-list--cursor-blurred"
            style = base + self.get_component_rich_style(name)
        elif self._keys[index] is None:
            style = base + DIM
        else:
            style = base
        segments = self._wrapped[index][line - self._starts[index]]
        strip = Strip(Segment.apply_style(segments, style))
        if strip.cell_length > width:  # a row that does not wrap (a table-like one) is cut here
            return strip.crop(0, width)
        return strip.extend_cell_length(width, style)

    def _header_strip(self, header: Text, width: int, base: Style) -> Strip:
        style = base + DIM
        console = self.app.console
        header = header.copy()
        header.truncate(max(1, width - self.MARGIN), overflow="ellipsis")
        strip = Strip(Segment.apply_style(list(header.render(console, end="")), style))
        return strip.crop(0, width).extend_cell_length(width, style)

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and index < len(self._wrapped):
            self.refresh_lines(self._starts[index] + self.header_height, len(self._wrapped[index]))

    def on_resize(self, event: events.Resize) -> None:
        self._layout_view()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self._refresh_row(self.highlighted)

    def _on_blur(self, event: events.Blur) -> None:
        self._refresh_row(self.highlighted)

    # -- the cursor -------------------------------------------------------------------------

    def _selectable(self, index: int) -> bool:
        return 0 <= index < len(self._keys) and self._keys[index] is not None

    def _nearest_selectable(self, index: int, step: int = 1) -> int | None:
        while 0 <= index < len(self._keys):
            if self._keys[index] is not None:
                return index
            index += step
        return None

    def _set_cursor(self, index: int | None, scroll: bool = True) -> None:
        old, self._cursor = self._cursor, index
        if old != index:
            self._refresh_row(old)
            self._refresh_row(index)
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        self._layout(upto=index)
        if index >= len(self._wrapped):
            return
        if len(self._line_rows) + self.header_height > self.virtual_size.height:
            # Rows added since the last frame: without this the scroll is
            # clamped to the old height and the cursor left below the view.
            self._set_height(len(self._line_rows))
        header = self.header_height
        # The header covers the view's first line: a row must show below it.
        self.scroll_to_region(
            Region(0, self._starts[index] + header, max(1, self._width), len(self._wrapped[index])),
            spacing=Spacing(header, 0, 0, 0),
            animate=False,
            force=True,
            immediate=True,
        )

    def _step(self, step: int) -> None:
        if self.highlighted is None:
            start = 0 if step > 0 else len(self._keys) - 1
        else:
            start = self.highlighted + step
        index = self._nearest_selectable(start, step)
        if index is not None:
            self._set_cursor(index)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        self._set_cursor(self._nearest_selectable(0))

    def action_last(self) -> None:
        self._set_cursor(self._nearest_selectable(len(self._keys) - 1, -1))

    def _page(self, direction: int) -> None:
        if self.highlighted is None:
            return
        self._layout()
        if not self._line_rows:
            return
        here = self._starts[self.highlighted] if self.highlighted < len(self._starts) else 0
        page = max(1, self.scrollable_content_region.height - self.header_height)
        line = max(0, min(len(self._line_rows) - 1, here + direction * page))
        landing = self._line_rows[line]
        if landing == self.highlighted:  # its row is taller than the page: the next one
            landing = max(0, min(len(self._keys) - 1, landing + direction))
        index = self._nearest_selectable(landing, direction)
        if index is None:
            index = self._nearest_selectable(landing, -direction)
        if index is not None:
            self._set_cursor(index)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        index = self.highlighted
        key = self.key_at(index) if index is not None else None
        if index is not None and key is not None:  # a note (key None) is never chosen
            self.post_message(self.Selected(self, key, index))

    async def _on_click(self, event: events.Click) -> None:
        if event.y < self.header_height:
            return
        line = self.scroll_offset.y + event.y - self.header_height
        if 0 <= line < len(self._line_rows):
            index = self._line_rows[line]
            if self._selectable(index):
                self._set_cursor(index, scroll=False)
                self.action_select()


def note(text: str) -> list[Row]:
    """The rows of a list with nothing to show but a sentence."""
    return [(None, Text(text))]
