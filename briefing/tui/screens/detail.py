"""The views behind Enter on an actor, a name the story file does not list,
or a question: a heading and a list of cited lines, each of which opens its
article at its sentence; the reader steps through the list's lines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.model import ActorView, Cited, Pin, QuestionView, Quote
from briefing.text.plural import count
from briefing.text.sanitize import clean_line
from briefing.tui.citations import Target, Trail, cited_target, quote_target
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, cited_block, plain, shorten, when
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.pin_lines import evidence_line, mention_line, quote_line
from briefing.tui.widgets.footer import SteadyFooter


class DetailScreen(Screen):
    """A heading over a list whose openable options have ids
    't<line>:<article id>', the line's place in `trail`."""

    CSS_PATH = "screens.tcss"
    view = "detail"
    BINDINGS = bindings("detail")

    def __init__(
        self, heading: Text, options: list[Option], trail: Trail | None = None, lines: dict[str, Pin] | None = None
    ) -> None:
        super().__init__()
        self.heading = heading
        self.options = options
        self.trail = trail or Trail("")
        self.lines = lines or {}  # option id -> the line `p` and `a` act on
        self.actor: ActorView | None = None  # an actor's or a name's view: whose (`+` adds a name)

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
        if option_id.startswith("t") and ":" in option_id:
            line, article_id = option_id[1:].split(":", 1)
            self.post_message(OpenArticle(int(article_id), self.trail, int(line), choose=True))

    def _selected_id(self) -> str:
        widget = self.query_one("#detail-list", OptionList)
        if widget.highlighted is None:
            return ""
        return widget.get_option_at_index(widget.highlighted).id or ""

    def selected_article(self) -> int | None:
        option_id = self._selected_id()
        return int(option_id.rsplit(":", 1)[1]) if ":" in option_id else None

    def selected_line(self) -> Pin | None:
        return self.lines.get(self._selected_id())


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _Lines:
    """The options of a detail view and the trail of its openable lines, built together."""

    def __init__(self) -> None:
        self.options: list[Option] = []
        self.targets: list[Target] = []
        self.pins: dict[str, Pin] = {}

    def heading(self, text: str) -> None:
        self.options.append(Option(Text(text, style="bold underline"), id=f"h{len(self.options)}", disabled=True))

    def note(self, text: Text) -> None:
        self.options.append(Option(text, id=f"h{len(self.options)}", disabled=True))

    def line(self, block: Text, target: Target, pin: Pin | None = None) -> None:
        option_id = f"t{len(self.targets)}:{target.article_id}"
        self.options.append(Option(block, id=option_id))
        self.targets.append(target)
        if pin is not None:
            self.pins[option_id] = pin

    def screen(self, head: Text, name: str) -> DetailScreen:
        return DetailScreen(head, self.options, Trail(name, tuple(self.targets)), self.pins)


def quote_block(quote: Quote, speaker: bool = False) -> Text:
    block = plain("“" + shorten(clean_line(quote.text), SENTENCE_MAX) + "”", limit=SENTENCE_MAX + 2)
    block.append("\n")
    if speaker:
        block.append_text(plain(quote.speaker, "bold", limit=NAME_MAX))
        block.append(" · ", style="dim")
    block.append_text(plain(quote.source, "dim italic", limit=NAME_MAX))
    block.append(f" · {when(quote.published)}", style="dim italic")
    if quote.new:
        block.append("  new", style="bold green")
    return block


def _newest_first(items: Iterable[Cited]) -> list[list[Cited]]:
    """Mentions grouped by article, the newest article first, each
    article's mentions in the order given."""
    groups: dict[int, list[Cited]] = {}
    for item in items:
        groups.setdefault(item.article_id, []).append(item)
    return sorted(groups.values(), key=lambda g: (g[0].published is None, -(g[0].published or _EPOCH).timestamp()))


def actor_screen(actor: ActorView, other_quotes: Iterable[Quote] = ()) -> DetailScreen:
    """An actor, or a name the story file does not list: the role the text
    gives, what they said (with the quotes found for the name outside the
    story's actors), and every mention, by article, newest first."""
    head = plain(actor.name, "bold")
    head.append(f"  ({actor.kind})", style="dim")
    if not actor.listed:
        head.append("  not in the story file", style="dim italic")
        head.append(" · + adds it", style="dim")
    if actor.role:
        head.append("\n")
        head.append_text(plain(actor.role, "italic"))
    head.append(f"\n{count(actor.mentions, 'mention')} in {count(actor.articles, 'article')}", style="dim")
    if actor.first_seen:
        head.append(f" · first seen {when(actor.first_seen)} · last seen {when(actor.last_seen)}", style="dim")
    quotes = list(actor.quotes)
    seen = {(q.text, q.article_id) for q in quotes}
    quotes += [q for q in other_quotes if q.speaker == actor.name and (q.text, q.article_id) not in seen]
    lines = _Lines()
    lines.heading(f"What they said ({len(quotes)})")
    for quote in quotes:
        lines.line(quote_block(quote, speaker=quote.speaker != actor.name), quote_target(quote), quote_line(quote))
    if not quotes:
        lines.note(Text("No direct quotations found.", style="dim"))
    groups = _newest_first(actor.mentioned_in)
    shown = len(actor.mentioned_in)
    heading = f"Where they are mentioned ({shown} in {count(len(groups), 'article')}, newest first)"
    lines.heading(heading)
    if shown < actor.mentions:
        lines.note(Text(f"{shown} of {count(actor.mentions, 'mention')} have their sentence kept.", style="dim"))
    for group in groups:
        first = group[0]
        article = plain(first.source, "bold", limit=NAME_MAX)
        article.append(f" · {when(first.published)} · {count(len(group), 'mention')}", style="dim")
        lines.note(article)
        for item in group:
            lines.line(cited_block(item), cited_target(item), mention_line(item, actor.name))
    screen = lines.screen(head, actor.name)
    screen.actor = actor
    return screen


def other_quotes_screen(quotes: Iterable[Quote]) -> DetailScreen:
    """Every quote by a speaker the story file does not list, by speaker."""
    by_speaker: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_speaker.setdefault(quote.speaker, []).append(quote)
    total = sum(len(q) for q in by_speaker.values())
    head = Text("Quotes by people not in the story file", style="bold")
    head.append(f"\n{count(total, 'quote')} from {count(len(by_speaker), 'speaker')}", style="dim")
    lines = _Lines()
    for speaker, said in by_speaker.items():
        lines.heading(f"{shorten(clean_line(speaker), NAME_MAX)} ({len(said)})")
        for quote in said:
            lines.line(quote_block(quote), quote_target(quote), quote_line(quote))
    if not by_speaker:
        lines.note(Text("No quotes by anyone outside the story file.", style="dim"))
    return lines.screen(head, "Other voices")


def question_screen(question: QuestionView) -> DetailScreen:
    head = plain(question.title, "bold")
    head.append(
        f"\n{count(len(question.evidence), 'piece')} of evidence from {count(question.outlets, 'outlet')}", style="dim"
    )
    if question.last_moved:
        head.append(f" · last moved {when(question.last_moved)}", style="dim")
    lines = _Lines()
    for item in question.evidence:
        lines.line(cited_block(item), cited_target(item), evidence_line(item, question.title))
    if not question.evidence:
        lines.note(Text("No evidence in the cache yet.", style="dim"))
    return lines.screen(head, f"Evidence: {question.title}")
