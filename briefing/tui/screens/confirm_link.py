"""Show a link before it is opened, and open it only when the user says so."""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui.format import NAME_MAX, plain_link, shorten


class ConfirmLinkScreen(ModalScreen[bool]):
    CSS_PATH = "screens.tcss"
    BINDINGS = [("y,enter", "answer(True)", "Open"), ("n,escape", "answer(False)", "Cancel")]

    def __init__(self, link: str) -> None:
        super().__init__()
        self.link = link  # opened whole; shown with its middle left out when long

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-link"):
            yield Static(Text("Open this link in your browser?", style="bold"))
            yield Static(plain_link(self.link, "underline"), id="confirm-link-url")
            warning = credentials_warning(self.link)
            if warning:
                yield Static(Text(warning, style="bold"), id="confirm-link-warning")
            yield Static(Text("y / Enter: open    n / Esc: cancel", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def credentials_warning(link: str) -> str | None:
    """A link with a user name (and password) before its host: what it sends
    and where it really goes, since `trusted.example@evil.example` reads
    like the first and goes to the second."""
    try:
        parts = urlsplit(link)
        user, password, host = parts.username, parts.password, parts.hostname
    except ValueError:
        return None
    if user is None and password is None:
        return None
    what = "a user name and password" if password is not None else "a user name"
    return f"Careful: this link carries {what}, and goes to {shorten(host or '?', NAME_MAX)}."
