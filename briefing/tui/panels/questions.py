"""Panel 3: the story's open questions and how much evidence each has."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.model import Briefing, QuestionView
from briefing.tui.format import plain, when
from briefing.tui.panels.base import Panel, refill_options


class QuestionsPanel(Panel):
    number = 3
    heading = "Open questions"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.questions: dict[str, QuestionView] = {}

    def compose(self) -> ComposeResult:
        yield OptionList(id="questions-list")

    @property
    def list_widget(self) -> OptionList:
        return self.query_one("#questions-list", OptionList)

    def show(self, briefing: Briefing) -> None:
        self.questions = {q.id: q for q in briefing.questions}
        options = [Option(_question_text(q), id=q.id) for q in briefing.questions]
        if not options:
            options = [Option("The story file lists no questions.", id="empty", disabled=True)]
        refill_options(self.list_widget, options)
        self.border_subtitle = f"{len(briefing.questions)} questions"

    def selected_question(self) -> QuestionView | None:
        widget = self.list_widget
        if widget.highlighted is None:
            return None
        return self.questions.get(widget.get_option_at_index(widget.highlighted).id or "")


def _question_text(question: QuestionView) -> Text:
    text = plain(question.title, "bold")
    count = len(question.evidence)
    stats = f"\n{count} evidence · {question.outlets} outlets"
    if question.last_moved:
        stats += f" · moved {when(question.last_moved)}"
    text.append(stats, style="dim")
    if question.new_evidence:
        text.append(f" · {question.new_evidence} new", style="bold green")
    if question.evidence:
        best = question.evidence[0].text
        text.append("\n▸ ", style="dim")
        text.append_text(plain(best if len(best) <= 160 else best[:157].rstrip() + "…", "italic"))
    return text
