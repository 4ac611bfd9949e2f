"""`c`: the story's coverage by outlet: its articles, relevant articles,
evidence on each open question (a column a question), quotes, first and
last article; a question an outlet says nothing on is marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from briefing.model import Briefing, OutletCoverage, QuestionView
from briefing.text.plural import count
from briefing.tui.format import NAME_MAX, plain, when
from briefing.tui.keys import bindings
from briefing.tui.widgets.footer import SteadyFooter

SILENT = "—"  # the mark for a question an outlet says nothing on
SILENT_STYLE = "bold red"
# A question's title in the legend above the table.
QUESTION_TITLE_MAX = 90


def question_label(index: int) -> str:
    return f"Q{index + 1}"


class CoverageScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "coverage"
    BINDINGS = bindings("coverage")

    def __init__(self, briefing: Briefing) -> None:
        super().__init__()
        self.questions: tuple[QuestionView, ...] = briefing.questions
        self.outlets: tuple[OutletCoverage, ...] = briefing.coverage

    def compose(self) -> ComposeResult:
        with Vertical(id="coverage"):
            yield Static(self._head(), id="coverage-head")
            yield DataTable(id="coverage-table", zebra_stripes=True, cursor_type="row")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#coverage-table", DataTable)
        columns = ["Outlet", "Articles", "Relevant"]
        columns += [question_label(i) for i in range(len(self.questions))]
        columns += ["Quotes", "First", "Last"]
        for column in columns:
            table.add_column(Text(column, style="bold"), key=column)
        for row_index, outlet in enumerate(self.outlets):
            table.add_row(*self._cells(outlet), key=f"o{row_index}")
        table.focus()

    def _head(self) -> Text:
        head = Text("Coverage by outlet", style="bold")
        head.append(f" · {count(len(self.outlets), 'outlet')}", style="dim")
        if not self.outlets:
            head.append("\nNo outlet has carried the story in the cache yet.", style="dim")
        for index, question in enumerate(self.questions):
            # Of the outlets that carried the story, as the Markdown counts them.
            carried = [o for o in self.outlets if o.relevant]
            silent = sum(1 for o in carried if question.id in o.silent_on)
            head.append(f"\n{question_label(index)} ", style="bold")
            head.append_text(plain(question.title, limit=QUESTION_TITLE_MAX))
            if silent:
                head.append(f"  ({silent} of {count(len(carried), 'outlet')} say nothing)", style="dim")
        if self.questions:
            head.append("\n")
            head.append(SILENT, style=SILENT_STYLE)
            head.append(" says nothing on that question", style="dim")
        return head

    def _cells(self, outlet: OutletCoverage) -> list[Text]:
        cells = [
            plain(outlet.source, "bold", limit=NAME_MAX),
            Text(str(outlet.articles), justify="right"),
            Text(str(outlet.relevant), justify="right"),
        ]
        for index, question in enumerate(self.questions):
            count = outlet.evidence[index] if index < len(outlet.evidence) else 0
            if question.id in outlet.silent_on:
                cells.append(Text(SILENT, style=SILENT_STYLE, justify="center"))
            else:
                cells.append(Text(str(count), justify="right"))
        cells += [
            Text(str(outlet.quotes), justify="right"),
            Text(when(outlet.first)),
            Text(when(outlet.last)),
        ]
        return cells
