"""The one-line refresh status at the bottom: "Refreshing 12/200 ━━━━──────".

Drawn by one widget from three numbers. Textual's ProgressBar is three
widgets with an animation timer, and a Label beside it re-lays out the
screen on every update; during a 200-feed refresh those updates competed
with the keys. This widget only repaints its own line, and at most
MAX_REPAINTS_PER_SECOND times a second.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.widget import Widget

MAX_REPAINTS_PER_SECOND = 10


class RefreshStatus(Widget):
    """Shown (class "running") while a refresh runs."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.doing = "Refreshing"
        self.done = 0
        self.total: int | None = None
        self._painted_at = 0.0
        self._pending = False

    def show(self, doing: str, done: int, total: int | None) -> None:
        self.doing, self.done, self.total = doing, done, total
        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - self._painted_at >= 1 / MAX_REPAINTS_PER_SECOND:
            self._painted_at = now
            self.refresh()
        elif not self._pending:
            # A later update is drawn when the interval is up, even if no
            # other update comes to draw it.
            self._pending = True
            self.set_timer(1 / MAX_REPAINTS_PER_SECOND, self._catch_up)

    def _catch_up(self) -> None:
        self._pending = False
        self._painted_at = time.monotonic()
        self.refresh()

    def render(self) -> Text:
        if self.total is None:
            return Text(f"{self.doing}…")
        label = f"{self.doing} {self.done}/{self.total} "
        room = max(0, self.size.width - len(label))
        filled = room * self.done // self.total if self.total else room
        text = Text(label)
        text.append("━" * filled, style="bold")
        text.append("─" * (room - filled), style="dim")
        return text
