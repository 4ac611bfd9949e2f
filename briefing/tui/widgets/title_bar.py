"""The line at the top: the story's title and the counts (the app's title
and sub_title), drawn by one widget.

Textual's Header is four widgets (icon, title, clock space, and itself)
whose title goes through Textual's content pipeline; on the dashboard's
first frame, which is its start-up time (issue 6), it cost as much as the
four panels' styling. This draws the same line: the icon at the left (a
click opens the command palette, as Textual's does), the title and the
dimmed sub-title centred between the icon and the right-hand margin.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget

ICON = "⭘"
LEFT = 8  # the icon's columns, as Textual's header has them
RIGHT = 10  # the clock's columns in Textual's header, kept blank


class TitleBar(Widget):
    """One line: an icon, then the app's title — sub_title, centred."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self, _value: str) -> None:
        self.refresh()

    def title_text(self) -> Text:
        text = Text(self.app.title, no_wrap=True, overflow="ellipsis", end="")
        if self.app.sub_title:
            text.append(" — ")
            text.append(self.app.sub_title, style="dim")
        return text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        middle = max(0, width - LEFT - RIGHT)
        title = self.title_text()
        title.truncate(middle, overflow="ellipsis")
        before = (middle - title.cell_len) // 2
        console = self.app.console
        segments = [Segment(f" {ICON}".ljust(LEFT), base), Segment(" " * before, base)]
        segments.extend(Segment.apply_style(title.render(console, end=""), base))
        return Strip(segments).crop(0, width).extend_cell_length(width, base)

    def on_click(self, event: events.Click) -> None:
        if event.x < LEFT:
            self.app.action_command_palette()

