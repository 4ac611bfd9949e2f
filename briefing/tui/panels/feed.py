"""Panel 4: every cached article, newest first, with an unread mark."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from briefing.model import ArticleRow, Briefing
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel


class FeedPanel(Panel):
    number = 4
    heading = "Feed"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, ArticleRow] = {}

    def compose(self) -> ComposeResult:
        table = DataTable(id="feed-table", cursor_type="row")
        table.add_column(" ", key="mark", width=1)
        table.add_column("Time", key="time")
        table.add_column("Source", key="source")
        table.add_column("Title", key="title")
        yield table

    @property
    def list_widget(self) -> DataTable:
        return self.query_one("#feed-table", DataTable)

    def show(self, briefing: Briefing) -> None:
        table = self.list_widget
        selected = self.selected_row()
        scroll_y = table.scroll_y
        self.rows = {str(row.id): row for row in briefing.articles}
        table.clear()
        for row in briefing.articles:
            table.add_row(*self._cells(row), key=str(row.id))
        unread = sum(1 for row in briefing.articles if not row.read)
        self.border_subtitle = f"{len(briefing.articles)} articles · {unread} unread"
        if selected and str(selected.id) in self.rows:
            table.move_cursor(row=table.get_row_index(str(selected.id)), animate=False)
            table.scroll_to(y=scroll_y, animate=False)

    @staticmethod
    def _cells(row: ArticleRow) -> tuple[Text, Text, Text, Text]:
        mark = Text("●" if not row.read else " ", style="bold green" if row.new else "cyan")
        title = plain(row.title, "" if row.relevant else "dim")
        if row.also_in:
            title.append(f"  +{len(row.also_in)}", style="dim")
        source = plain(row.source, "italic")
        source.truncate(16, overflow="ellipsis")
        stamp = row.published.astimezone().strftime("%m-%d %H:%M") if row.published else "undated"
        return mark, Text(stamp, style="dim"), source, title

    def mark_read(self, article_id: int) -> None:
        key = str(article_id)
        row = self.rows.get(key)
        if row is None or row.read:
            return
        from dataclasses import replace

        self.rows[key] = replace(row, read=True)
        self.list_widget.update_cell(key, "mark", Text(" "))

    def selected_row(self) -> ArticleRow | None:
        table = self.list_widget
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.rows.get(row_key.value)
