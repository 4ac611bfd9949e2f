"""Panel 2: the key actors, most prominent first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from briefing.model import ActorView, Briefing
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel


class ActorsPanel(Panel):
    number = 2
    heading = "Key actors"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actors: dict[str, ActorView] = {}

    def compose(self) -> ComposeResult:
        table = DataTable(id="actors-table", cursor_type="row", zebra_stripes=False)
        # Counts before the role, so a long role runs off the edge, not the numbers.
        table.add_column("Name", key="name")
        table.add_column(Text("Ment.", justify="right"), key="mentions")
        table.add_column(Text("Art.", justify="right"), key="articles")
        table.add_column("Role", key="role")
        yield table

    @property
    def list_widget(self) -> DataTable:
        return self.query_one("#actors-table", DataTable)

    def show(self, briefing: Briefing) -> None:
        table = self.list_widget
        selected = self.selected_actor()
        self.actors = {actor.name: actor for actor in briefing.actors}
        table.clear()
        for actor in briefing.actors:
            name = plain(actor.name, "bold" if actor.mentions else "dim")
            if actor.new:
                name.append(" •", style="bold green")
            table.add_row(
                name,
                Text(str(actor.mentions), justify="right"),
                Text(str(actor.articles), justify="right"),
                plain(actor.role or actor.kind, "" if actor.role else "dim italic"),
                key=actor.name,
            )
        self.border_subtitle = f"{sum(1 for a in briefing.actors if a.mentions)} active"
        if selected and selected.name in self.actors:
            table.move_cursor(row=table.get_row_index(selected.name), animate=False)

    def selected_actor(self) -> ActorView | None:
        table = self.list_widget
        if not table.row_count:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.actors.get(row_key.value)
