"""Which outlet's copy to open, for a line several outlets carried: each
copy's outlet and date over the sentence as that article has it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.text.plural import count
from briefing.tui.citations import Target
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, plain, when


class CopyChooserScreen(ModalScreen[int | None]):
    """Dismissed with the chosen copy's index, or None (Esc)."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [("escape", "dismiss(None)", "Back")]

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="copies"):
            yield Static(
                Text(f"{count(len(self.target.copies), 'copy', 'copies')} of this line: open which?", style="bold"),
                id="copies-head",
            )
            yield OptionList(*self._options(), id="copies-list")
            yield Static(Text("Enter opens the copy · Esc goes back · v in the reader: next copy", style="dim"))

    def _options(self) -> list[Option]:
        options = []
        for index, copy in enumerate(self.target.copies):
            block = plain(copy.source, "bold", limit=NAME_MAX)
            block.append(f" · {when(copy.published)}", style="dim")
            block.append("\n")
            block.append_text(plain(copy.text or self.target.sentence, "italic", limit=SENTENCE_MAX))
            options.append(Option(block, id=f"copy{index}"))
        return options

    def on_mount(self) -> None:
        self.query_one("#copies-list").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)
