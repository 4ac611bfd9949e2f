"""Panel 1: the story in a few sentences, each with its source and date."""

from __future__ import annotations

from briefing.model import Briefing, Cited, Pin
from briefing.text.plural import count
from briefing.tui.format import cited_block
from briefing.tui.panels.base import Panel
from briefing.tui.widgets.row_list import note


class SummaryPanel(Panel):
    number = 1
    heading = "Summary"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.items: tuple[Cited, ...] = ()

    def show(self, briefing: Briefing) -> None:
        self.items = briefing.summary
        self.border_subtitle = count(len(briefing.summary), "line")
        if not briefing.summary:
            self.set_rows(note("No relevant articles in the cache yet. Press r to refresh."))
            return
        self.set_rows((f"s{index}:{item.article_id}", cited_block(item)) for index, item in enumerate(briefing.summary))

    def selected_index(self) -> int | None:
        """The selected line's place in the briefing's summary."""
        key = self.highlighted_key or ""
        return int(key[1:].split(":")[0]) if key.startswith("s") and ":" in key else None

    def selected_article(self) -> int | None:
        key = self.highlighted_key or ""
        return int(key.split(":")[1]) if ":" in key else None

    def selected_line(self) -> Pin | None:
        from briefing.tui.pin_lines import summary_line  # at the first pin: not in the first frame

        key = self.highlighted_key or ""
        if not key.startswith("s") or ":" not in key:
            return None
        index = int(key[1:].split(":")[0])
        return summary_line(self.items[index]) if index < len(self.items) else None
