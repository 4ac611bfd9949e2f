"""The reader: one article's title, source, date, link and clean text, with
the story's actors highlighted. It goes from article to article in place
(J, K, n), marking each read as it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from briefing.config import Story
from briefing.model import Article
from briefing.text.sanitize import clean_text
from briefing.tui.format import plain, plain_link, when
from briefing.tui.highlight import actor_pattern, mark_actors
from briefing.tui.keys import bindings
from briefing.tui.messages import ReadMarked
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
    view = "reader"
    BINDINGS = bindings("reader")

    def __init__(self, article_id: int, story: Story, workspace: DashboardWorkspace) -> None:
        super().__init__()
        self.article_id = article_id
        self.story = story
        self.workspace = workspace
        self.article: Article | None = None
        self.read = True  # its read mark as the store has it now (N changes it)

    def open_article(self, article_id: int) -> None:
        """Show another article in this reader."""
        self.article_id = article_id
        self.article = None
        view = self.query_one("#reader-body", TextView)
        view.set_pieces([Text("Loading…")])
        view.scroll_home(animate=False)
        self.load()

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
        article_id = self.article_id
        article, unread = self.workspace.read_article_counting(article_id)
        pieces = reader_pieces(article) if article is not None else []
        if unread is not None:
            # Marked read as it was read: the feed's unread count follows.
            self.app.post_message(ReadMarked((article_id,), True, unread))
        self.app.call_from_thread(self.show, article, pieces, article_id)

    def show(self, article: Article | None, pieces: list[Text | str], article_id: int | None = None) -> None:
        if not self.is_attached or (article_id is not None and article_id != self.article_id):
            return  # gone, or another article was asked for meanwhile
        self.read = True
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


def reader_head(article) -> Text:
    """Title, then source · date · author, then the link: all inert Text,
    each cut short when it is very long (the link in its middle)."""
    title = plain(article.title, "bold")
    meta = Text("\n")
    meta.append_text(plain(article.source, "italic"))
    meta.append(f" · {when(article.published, with_time=True)}", style="dim")
    if article.author:
        meta.append(" · ")
        meta.append_text(plain(article.author, "dim"))
    link = Text("\n")
    link.append_text(plain_link(article.link, "underline") if article.link else Text("no link", style="dim"))
    return Text.assemble(title, meta, link, "\n")


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
