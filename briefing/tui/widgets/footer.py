"""The footer: the screen's keys on one line, drawn by one widget.

Textual's Footer is a container holding one widget a key, and rebuilds them
whenever the focused widget changes; each rebuild lays out and repaints the
whole screen. Its widgets were also a fifth of the dashboard's first frame,
which is its start-up time (issue 6). This footer draws the same line,
the keys of the screen's bindings that are shown (tui/keys.py) and the
command palette's at the right, as one line of text, and repaints only that
line when the keys shown change. A click on a key presses it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

# (key to press, how it is written, what it does, enabled)
Entry = tuple[str, str, str, bool]

GAP = 2  # columns between two entries


class KeyFooter(Widget):
    """A one-line footer of the screen's shown keys."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: tuple[Entry, ...] = ()
        self._palette: Entry | None = None
        self._spans: list[tuple[int, int, str]] = []  # (first column, end column, key) of each entry drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        entries, palette = shown_keys(screen)
        if (entries, palette) != (self._entries, self._palette):
            self._entries, self._palette = entries, palette
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        key_style = base + self.get_component_rich_style("key-footer--key")
        text_style = base + self.get_component_rich_style("key-footer--description")
        segments: list[Segment] = []
        spans: list[tuple[int, int, str]] = []
        column = 0

        def add(entry: Entry) -> None:
            nonlocal column
            key, shown, description, enabled = entry
            dim = Style() if enabled else Style(dim=True)
            start = column
            segments.append(Segment(shown, key_style + dim))
            segments.append(Segment(f" {description}", text_style + dim))
            column += cell_len(shown) + 1 + cell_len(description)
            spans.append((start, column, key))

        for entry in self._entries:
            if column:
                segments.append(Segment(" " * GAP, base))
                column += GAP
            add(entry)
        if self._palette is not None:
            label = self._palette[1] + " " + self._palette[2]
            at = max(column + GAP, width - cell_len(label) - 2)
            segments.append(Segment(" " * (at - column), base))
            segments.append(Segment("▏", base + Style(dim=True)))
            column = at + 1
            add(self._palette)
        self._spans = spans
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


def shown_keys(screen: Screen) -> tuple[tuple[Entry, ...], Entry | None]:
    """The keys a footer shows for this screen: its active bindings marked
    `show`, one for each action, and the command palette's key."""
    app = screen.app
    active = screen.active_bindings
    entries: dict[str, Entry] = {}
    for _node, binding, enabled, _tooltip in active.values():
        if binding.show and binding.action not in entries:
            entries[binding.action] = (binding.key, app.get_key_display(binding), binding.description, enabled)
    palette = None
    found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
    if found is not None:
        _node, binding, enabled, _tooltip = found
        palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
    return tuple(entries.values()), palette
