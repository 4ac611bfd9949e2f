"""The reader: one article's title, source, date, link and clean text, with
the story's actors highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from briefing.config import Story
from briefing.model import Article, Pin
from briefing.text.sanitize import clean_text, safe_link
from briefing.tui.format import SENTENCE_MAX, plain, plain_link, when
from briefing.tui.highlight import actor_pattern, mark_actors
from briefing.tui.keys import bindings
from briefing.tui.pin_lines import article_line
from briefing.tui.widgets.footer import SteadyFooter
from briefing.tui.widgets.text_view import TextView

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace

# A paragraph longer than this is made into parts, cut after a sentence (or
# else a word) near this length: the reader lays out a part at a time, and
# no part may hold up the keys for long.
PIECE_CHARS = 8_000


class ReaderScreen(Screen):
    CSS_PATH = "screens.tcss"
    BINDINGS = bindings("reader")

    def __init__(self, article_id: int, story: Story, workspace: DashboardWorkspace) -> None:
        super().__init__()
        self.article_id = article_id
        self.story = story
        self.workspace = workspace
        self.article: Article | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="reader"):
            yield TextView([Text("Loading…")], id="reader-body")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#reader-body").focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        # Reading and cleaning the text, and cutting it into parts, is done
        # here, off the event loop; the parts are styled and wrapped by the
        # view a few at a time, so a long article is on the screen at once.
        article = self.workspace.read_article(self.article_id)
        pieces = reader_pieces(article) if article is not None else []
        self.app.call_from_thread(self.show, article, pieces)

    def show(self, article: Article | None, pieces: list[Text | str]) -> None:
        if not self.is_attached:
            return
        view = self.query_one("#reader-body", TextView)
        self.article = article
        if article is None:
            view.set_pieces([Text("This article is no longer in the cache.")])
            return
        pattern = actor_pattern(self.story)
        view.set_pieces(pieces, make=lambda part: mark_actors(Text(part), pattern))

    @property
    def link(self) -> str | None:
        return self.article.link if self.article else None

    def selected_line(self) -> Pin | None:
        article = self.article
        return article_line(article.id, article.title, article.source) if article else None


def reader_head(article) -> Text:
    """Title, then source · date · author, then the link, then where the
    text came from: all inert Text, each cut short when it is very long
    (the link in its middle)."""
    title = plain(article.title, "bold")
    meta = Text("\n")
    meta.append_text(plain(article.source, "italic"))
    meta.append(f" · {when(article.published, with_time=True)}", style="dim")
    if article.author:
        meta.append(" · ")
        meta.append_text(plain(article.author, "dim"))
    link = Text("\n")
    link.append_text(plain_link(article.link, "underline") if article.link else Text("no link", style="dim"))
    origin = Text("\n")
    origin.append_text(text_origin(article))
    return Text.assemble(title, meta, link, origin, "\n")


def text_origin(article) -> Text:
    """Where the text below came from, and for a page that gave none, why:
    plain Text (the reason is the server's or the page's, so never markup).
    An article not stored yet (a ParsedArticle) has only the feed's text."""
    source = getattr(article, "text_source", "feed")
    fetched = getattr(article, "page_fetched", None)
    line = Text(style="dim")
    if source == "page":
        line.append("Text from the page")
        if fetched is not None:
            line.append(f", fetched {when(fetched, with_time=True)}")
    elif source == "file":
        line.append("Text from a file")
    else:
        line.append("Text from the feed")
    if source != "page" and getattr(article, "page_status", None) == "failed":
        tried = f" {when(fetched, with_time=True)}" if fetched is not None else ""
        line.append(f"; the page (tried{tried}) gave none: ")
        line.append_text(plain(article.page_error or "no reason was recorded", "yellow", limit=SENTENCE_MAX))
    if source != "page" and safe_link(article.link):
        line.append(" · f fetches the full text")
    return line


def body_parts(article) -> list[str]:
    """The clean text: a part a line, a long paragraph in parts of about PIECE_CHARS."""
    parts: list[str] = []
    for line in clean_text(article.text).split("\n"):
        parts.extend(_parts(line))
    return parts


def reader_body(article, story: Story) -> Text:
    """The body as one Text, as the reader shows it part by part."""
    pattern = actor_pattern(story)
    return Text("\n").join(mark_actors(Text(part), pattern) for part in body_parts(article))


def reader_pieces(article) -> list[Text | str]:
    """What the reader's TextView shows: the head, a blank line, the body's
    parts (plain strings, styled by the view as it lays them out)."""
    return [*reader_head(article).split("\n", allow_blank=True), Text(""), *body_parts(article)]


def _parts(line: str) -> list[str]:
    if len(line) <= PIECE_CHARS:
        return [line]
    parts = []
    start = 0
    while len(line) - start > PIECE_CHARS:
        end = start + PIECE_CHARS
        floor = start + PIECE_CHARS // 2
        cut = line.rfind(". ", floor, end)
        if cut >= 0:
            cut += 2
        else:
            cut = line.rfind(" ", floor, end)
            cut = cut + 1 if cut >= 0 else end
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return parts
