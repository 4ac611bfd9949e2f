"""Show a link before it is opened, and open it only when the user says so."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui.format import plain


class ConfirmLinkScreen(ModalScreen[bool]):
    CSS_PATH = "screens.tcss"
    BINDINGS = [("y,enter", "answer(True)", "Open"), ("n,escape", "answer(False)", "Cancel")]

    def __init__(self, link: str) -> None:
        super().__init__()
        self.link = link

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-link"):
            yield Static(Text("Open this link in your browser?", style="bold"))
            yield Static(plain(self.link, "underline"), id="confirm-link-url")
            yield Static(Text("y / Enter: open    n / Esc: cancel", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
