"""`?`: every key, view by view (the open view first), from the one
definition in keys.py."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui.keys import VIEWS, bindings, view_keys
from briefing.tui.widgets.footer import SteadyFooter


def keys_table(view: str) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("Key", style="bold cyan", no_wrap=True, min_width=11)
    table.add_column("What it does")
    for key in view_keys(view):
        table.add_row(Text(key.display), Text(key.help))
    return table


def views_in_order(first: str) -> list[str]:
    """Every view help lists, the one it was opened from first."""
    return [first, *(name for name in VIEWS if name != first)] if first in VIEWS else list(VIEWS)


def keys_by_view(first: str) -> Group:
    parts: list[Text | Table] = []
    for number, view in enumerate(views_in_order(first)):
        heading = Text(("\n" if number else "") + VIEWS[view], style="bold underline")
        if number == 0:
            heading.append("  (here)", style="dim")
        parts += [heading, keys_table(view)]
    return Group(*parts)


class HelpScreen(ModalScreen):
    CSS_PATH = "screens.tcss"
    view = "help"
    BINDINGS = bindings("help")

    def __init__(self, opened_from: str = "dashboard") -> None:
        super().__init__()
        self.opened_from = opened_from

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys, view by view", style="bold"), id="help-title")
            yield Static(keys_by_view(self.opened_from), id="help-keys")
            yield Static(Text("Esc, q or ? closes this help; j / k and PgUp / PgDn scroll it.", style="dim"))
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help"
        self.query_one("#help").focus()
