"""The baseline for the dashboard's start-up: a bare Textual app with the
same frame as briefing (Header, four empty bordered panels in a 2x2 grid,
a compact Footer) and nothing else: no store, no briefing.

    .venv/bin/python benchmarks/bare_app.py

The first panel holds the label BARE-APP-READY; benchmarks/dashboard.py
launches this under a pseudo-terminal and times until that label is written.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Container, Vertical
from textual.widgets import Footer, Header, Label

MARKER = "BARE-APP-READY"


class BareApp(App):
    CSS = """
    #panels { layout: grid; grid-size: 2 2; grid-columns: 1fr 1fr; grid-rows: 1fr 1fr; }
    #panels > Vertical { border: round $panel-lighten-2; border-title-color: $text-muted; height: 100%; }
    """
    BINDINGS = [("q", "quit", "Quit")]
    TITLE = "bare"

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panels"):
            for number, heading in enumerate(("Summary", "Key actors", "Open questions", "Feed"), 1):
                with Vertical() as panel:
                    panel.border_title = f"{number} {heading}"
                    if number == 1:
                        yield Label(MARKER)
        yield Footer(compact=True)


if __name__ == "__main__":
    BareApp().run()
