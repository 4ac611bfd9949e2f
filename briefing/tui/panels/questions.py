"""Panel 3: the story's open questions and how much evidence each has."""

from __future__ import annotations

from rich.text import Text

from briefing.model import Briefing, QuestionView
from briefing.tui.format import plain, when
from briefing.tui.panels.base import Panel
from briefing.tui.widgets.row_list import note


class QuestionsPanel(Panel):
    number = 3
    heading = "Open questions"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.questions: dict[str, QuestionView] = {}

    def show(self, briefing: Briefing) -> None:
        self.questions = {q.id: q for q in briefing.questions}
        rows = [(q.id, _question_text(q)) for q in briefing.questions]
        self.set_rows(rows or note("The story file lists no questions."))
        self.border_subtitle = f"{len(briefing.questions)} questions"

    def selected_question(self) -> QuestionView | None:
        return self.questions.get(self.highlighted_key or "")


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
