"""`?`: every key, from the one definition in keys.py."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui.keys import KEYS


def keys_table() -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Key", style="bold cyan", no_wrap=True)
    table.add_column("What it does")
    for key in KEYS:
        table.add_row(Text(key.display), Text(key.help))
    return table


class HelpScreen(ModalScreen):
    CSS_PATH = "screens.tcss"
    BINDINGS = [("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(keys_table(), id="help-keys")
            yield Static(Text("Esc or ? closes this help.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Help"
        self.query_one("#help").focus()
