"""Panel 1: the story in a few sentences, each with its source and date."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.model import Briefing
from briefing.tui.format import cited_block
from briefing.tui.panels.base import Panel, refill_options


class SummaryPanel(Panel):
    number = 1
    heading = "Summary"

    def compose(self) -> ComposeResult:
        yield OptionList(id="summary-list")

    @property
    def list_widget(self) -> OptionList:
        return self.query_one("#summary-list", OptionList)

    def show(self, briefing: Briefing) -> None:
        self.border_subtitle = f"{len(briefing.summary)} lines"
        if not briefing.summary:
            refill_options(self.list_widget, [Option("No relevant articles in the cache yet. "
                                                     "Press r to refresh.", id="empty", disabled=True)])
            return
        options = []
        for index, item in enumerate(briefing.summary):
            options.append(Option(cited_block(item), id=f"s{index}:{item.article_id}"))
        refill_options(self.list_widget, options)

    def selected_article(self) -> int | None:
        widget = self.list_widget
        if widget.highlighted is None:
            return None
        option_id = widget.get_option_at_index(widget.highlighted).id or ""
        return int(option_id.split(":")[1]) if ":" in option_id else None
