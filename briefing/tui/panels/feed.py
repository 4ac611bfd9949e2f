"""Panel 4: every cached article, newest first: an unread mark, the title,
then the source and time on a line of their own, so that the title stays
readable at 80 columns as well as at 200."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.model import ArticleRow, Briefing
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel, refill_options


class FeedPanel(Panel):
    number = 4
    heading = "Feed"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, ArticleRow] = {}

    def compose(self) -> ComposeResult:
        yield OptionList(id="feed-list")

    @property
    def list_widget(self) -> OptionList:
        return self.query_one("#feed-list", OptionList)

    def show(self, briefing: Briefing) -> None:
        self.rows = {str(row.id): row for row in briefing.articles}
        options = [Option(_row_text(row), id=str(row.id)) for row in briefing.articles]
        if not options:
            options = [Option(Text("No articles cached yet. Press r to refresh.", style="dim"),
                              id="empty", disabled=True)]
        refill_options(self.list_widget, options)
        total = briefing.extra.get("total_articles", len(briefing.articles))
        shown = f"newest {len(briefing.articles)} of {total}" if total > len(briefing.articles) else str(total)
        unread = sum(1 for row in briefing.articles if not row.read)
        self.border_subtitle = f"{shown} articles · {unread} unread"

    def mark_read(self, article_id: int) -> None:
        key = str(article_id)
        row = self.rows.get(key)
        if row is None or row.read:
            return
        self.rows[key] = replace(row, read=True)
        self.list_widget.replace_option_prompt(key, _row_text(self.rows[key]))

    def selected_row(self) -> ArticleRow | None:
        widget = self.list_widget
        if widget.highlighted is None or not widget.option_count:
            return None
        return self.rows.get(widget.get_option_at_index(widget.highlighted).id or "")


def _row_text(row: ArticleRow) -> Text:
    mark = "● " if not row.read else "  "
    text = Text()
    text.append(mark, style="bold green" if row.new else "cyan")
    title_style = ("bold" if not row.read else "") if row.relevant else "dim"
    text.append_text(plain(row.title, title_style))
    text.append("\n  ")
    text.append_text(plain(row.source, "italic dim"))
    stamp = row.published.astimezone().strftime("%d %b %H:%M") if row.published else "undated"
    text.append(f" · {stamp}", style="dim")
    if row.also_in:
        text.append(f" · also in {len(row.also_in)}: ", style="dim")
        text.append_text(plain(", ".join(row.also_in), "dim"))
    if row.new:
        text.append(" · new", style="bold green")
    return text
