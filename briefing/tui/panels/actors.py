"""Panel 2: the key actors, most prominent first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from briefing.model import ActorView, Briefing
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel


_COLUMNS = (("Name", "name"), (Text("Ment.", justify="right"), "mentions"),
            (Text("Art.", justify="right"), "articles"), ("Role", "role"))


class ActorsPanel(Panel):
    number = 2
    heading = "Key actors"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actors: dict[str, ActorView] = {}

    def compose(self) -> ComposeResult:
        table = DataTable(id="actors-table", cursor_type="row", zebra_stripes=False)
        self._add_columns(table, {})
        yield table

    @staticmethod
    def _add_columns(table: DataTable, widths: dict[str, int]) -> None:
        # Widths are given, not left to the table: it works out fitted widths
        # when it is next idle, and a frame drawn before that stayed cached
        # with every column at its header's width ("Türk" for "Türkiye").
        # Counts before the role, so a long role runs off the edge, not the numbers.
        for label, key in _COLUMNS:
            table.add_column(label, key=key, width=widths.get(key))

    @property
    def list_widget(self) -> DataTable:
        return self.query_one("#actors-table", DataTable)

    def show(self, briefing: Briefing) -> None:
        table = self.list_widget
        selected = self.selected_actor()
        self.actors = {actor.name: actor for actor in briefing.actors}
        rows = []
        for actor in briefing.actors:
            name = plain(actor.name, "bold" if actor.mentions else "dim")
            if actor.new:
                name.append(" •", style="bold green")
            rows.append((actor.name, (
                name,
                Text(str(actor.mentions), justify="right"),
                Text(str(actor.articles), justify="right"),
                plain(actor.role or actor.kind, "" if actor.role else "dim italic"),
            )))
        # Each column as wide as its header or its widest cell.
        widths = {key: max([Text(label).cell_len if isinstance(label, str) else label.cell_len]
                           + [cells[i].cell_len for _, cells in rows])
                  for i, (label, key) in enumerate(_COLUMNS)}
        table.clear(columns=True)
        self._add_columns(table, widths)
        for key, cells in rows:
            table.add_row(*cells, key=key)
        self.border_subtitle = f"{sum(1 for a in briefing.actors if a.mentions)} active"
        if selected and selected.name in self.actors:
            table.move_cursor(row=table.get_row_index(selected.name), animate=False)

    def selected_actor(self) -> ActorView | None:
        table = self.list_widget
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.actors.get(row_key.value)
