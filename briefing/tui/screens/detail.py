"""The views behind Enter on an actor or a question: a heading and a list of
cited sentences, each of which opens its article."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.model import ActorView, QuestionView
from briefing.text.sanitize import clean_line
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, cited_block, plain, shorten, when
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.widgets.footer import SteadyFooter


class DetailScreen(Screen):
    """A heading over a list whose option ids end in ':<article id>'."""

    CSS_PATH = "screens.tcss"
    view = "detail"
    BINDINGS = bindings("detail")

    def __init__(self, heading: Text, options: list[Option]) -> None:
        super().__init__()
        self.heading = heading
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="detail"):
            yield Static(self.heading, id="detail-head")
            yield OptionList(*self.options, id="detail-list")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#detail-list").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if ":" in option_id:
            self.post_message(OpenArticle(int(option_id.rsplit(":", 1)[1])))

    def selected_article(self) -> int | None:
        widget = self.query_one("#detail-list", OptionList)
        if widget.highlighted is None:
            return None
        option_id = widget.get_option_at_index(widget.highlighted).id or ""
        return int(option_id.rsplit(":", 1)[1]) if ":" in option_id else None


def actor_screen(actor: ActorView) -> DetailScreen:
    head = plain(actor.name, "bold")
    head.append(f"  ({actor.kind})", style="dim")
    if actor.role:
        head.append("\n")
        head.append_text(plain(actor.role, "italic"))
    head.append(f"\n{actor.mentions} mentions in {actor.articles} articles", style="dim")
    if actor.first_seen:
        head.append(f" · first seen {when(actor.first_seen)} · last seen {when(actor.last_seen)}", style="dim")
    options: list[Option] = []
    options.append(
        Option(Text(f"What they said ({len(actor.quotes)})", style="bold underline"), id="h-quotes", disabled=True)
    )
    for index, quote in enumerate(actor.quotes):
        block = plain("“" + shorten(clean_line(quote.text), SENTENCE_MAX) + "”", limit=SENTENCE_MAX + 2)
        block.append("\n")
        block.append_text(plain(quote.source, "dim italic", limit=NAME_MAX))
        block.append(f" · {when(quote.published)}", style="dim italic")
        options.append(Option(block, id=f"q{index}:{quote.article_id}"))
    if not actor.quotes:
        options.append(Option(Text("No direct quotations found.", style="dim"), id="h-noquotes", disabled=True))
    options.append(
        Option(
            Text(f"Where they are mentioned ({len(actor.mentioned_in)})", style="bold underline"),
            id="h-mentions",
            disabled=True,
        )
    )
    for index, item in enumerate(actor.mentioned_in):
        options.append(Option(cited_block(item), id=f"m{index}:{item.article_id}"))
    return DetailScreen(head, options)


def question_screen(question: QuestionView) -> DetailScreen:
    head = plain(question.title, "bold")
    head.append(f"\n{len(question.evidence)} pieces of evidence from {question.outlets} outlets", style="dim")
    if question.last_moved:
        head.append(f" · last moved {when(question.last_moved)}", style="dim")
    options = [
        Option(cited_block(item), id=f"e{index}:{item.article_id}") for index, item in enumerate(question.evidence)
    ]
    if not options:
        options = [Option(Text("No evidence in the cache yet.", style="dim"), id="none", disabled=True)]
    return DetailScreen(head, options)
