"""The reader: one article's title, source, date, link and clean text, with
the story's actors highlighted. Opened from a line that cites the article,
it scrolls to the cited sentence and highlights it, and steps through the
list the line came from (`]` / `[`) and through the outlets' copies of a
line several carried (`v`). It also goes from article to article of the
feed in place (J, K, n), marking each read as it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from briefing.config import Story
from briefing.model import Article, Pin
from briefing.text.sanitize import clean_text, safe_link
from briefing.tui.citations import Opened, Trail
from briefing.tui.format import NAME_MAX, SENTENCE_MAX, plain, plain_link, shorten, when
from briefing.tui.highlight import actor_pattern, mark_actors
from briefing.tui.keys import bindings
from briefing.tui.messages import ArticleShown, ReadMarked
from briefing.tui.pin_lines import article_line
from briefing.tui.widgets.footer import SteadyFooter
from briefing.tui.widgets.text_view import TextView, find_sentence

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace

# A paragraph longer than this is made into parts, cut after a sentence (or
# else a word) near this length: the reader lays out a part at a time, and
# no part may hold up the keys for long.
PIECE_CHARS = 8_000
# How the cited sentence is marked: reversed, whatever the theme's colours.
CITED_STYLE = "reverse"
# The most of a list's name the reader's trail line shows.
TRAIL_NAME_MAX = 60

# Where a cited sentence is in the pieces: (piece, start, end) for each it covers.
Marks = list[tuple[int, int, int]]


class ReaderScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "reader"
    BINDINGS = bindings("reader")

    def __init__(
        self,
        article_id: int,
        story: Story,
        workspace: DashboardWorkspace,
        trail: Trail | None = None,
        index: int = 0,
        copy: int = 0,
    ) -> None:
        super().__init__()
        self.story = story
        self.workspace = workspace
        self.article: Article | None = None
        self.trail = trail
        self.index = index
        self.copy_index = copy
        self.sentence: str | None = None
        self.source = ""
        self.article_id = article_id
        if trail is not None and 0 <= index < len(trail.items):
            self._aim(trail.items[index].opened(copy))
        self.marks: Marks = []  # where the cited sentence is, once loaded
        self.read = True  # its read mark as the store has it now (N changes it)

    def open_article(self, article_id: int) -> None:
        """Show another article of the feed in this reader (J, K, n): no
        longer a line of the list it was opened from."""
        self.article_id = article_id
        self.article = None
        self.trail, self.sentence, self.marks = None, None, []
        trail = self.query_one("#reader-trail", Static)
        trail.update(self._trail_line())
        trail.add_class("hidden")
        view = self.query_one("#reader-body", TextView)
        view.set_pieces([Text("Loading…")])
        view.scroll_home(animate=False)
        self.load()

    def _aim(self, opened: Opened) -> None:
        self.article_id = opened.article_id
        self.sentence = opened.sentence
        self.source = opened.source

    def compose(self) -> ComposeResult:
        with Vertical(id="reader"):
            yield Static(self._trail_line(), id="reader-trail", classes="" if self.trail else "hidden")
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
        article_id, sentence = self.article_id, self.sentence
        article, unread = self.workspace.read_article_counting(article_id)
        pieces = reader_pieces(article) if article is not None else []
        if unread is not None:
            # Marked read as it was read: the feed's unread count follows.
            self.app.post_message(ReadMarked((article_id,), True, unread))
        marks: Marks = []
        if sentence and pieces:
            marks = find_sentence([p.plain if isinstance(p, Text) else p for p in pieces], sentence)
        self.app.call_from_thread(self.show, article, pieces, marks, article_id)
        if unread is not None:
            self.workspace.builder_read(article_id)  # after the article is on the screen

    def show(self, article: Article | None, pieces: list[Text | str], marks: Marks, article_id: int) -> None:
        if not self.is_attached or article_id != self.article_id:
            return  # closed, or a step to another line came first
        self.read = True
        view = self.query_one("#reader-body", TextView)
        self.article = article
        self.marks = marks
        self.query_one("#reader-trail", Static).update(self._trail_line())
        if article is None:
            view.set_pieces([Text("This article is no longer in the cache.")])
            return
        pattern = actor_pattern(self.story)

        def make(part: str) -> Text:
            return mark_actors(Text(part), pattern)

        for index, start, end in marks:
            piece = pieces[index]
            marked = piece.copy() if isinstance(piece, Text) else make(piece)
            marked.stylize(CITED_STYLE, start, end)
            pieces[index] = marked
        view.set_pieces(pieces, make=make)
        if marks:
            view.scroll_to_piece(marks[0][0])

    # -- the list it was opened from ------------------------------------------------

    def _trail_line(self) -> Text:
        """Which line of which list this is, which copy, and whether the
        sentence was found: inert Text, the names cut short."""
        line = Text()
        if self.trail is None:
            return line
        line.append_text(plain(self.trail.name, "bold", limit=TRAIL_NAME_MAX))
        line.append(f" · {self.index + 1} of {len(self.trail.items)}", style="dim")
        line.append("  ] next  [ previous", style="dim")
        target = self.trail.items[self.index] if self.index < len(self.trail.items) else None
        if target is not None and target.copy_count > 1:
            line.append(f"\ncopy {self.copy_index % target.copy_count + 1} of {target.copy_count}: ", style="dim")
            line.append_text(plain(shorten(self.source, NAME_MAX), "italic"))
            line.append("  v next copy", style="dim")
        if self.sentence and self.article is not None and not self.marks:
            line.append("\nThe cited sentence is not in this article's text as stored now.", style="yellow")
        return line

    def step(self, delta: int) -> None:
        if self.trail is None:
            self.notify("Opened on its own: there is no list to step through.", markup=False)
            return
        index = self.index + delta
        if not 0 <= index < len(self.trail.items):
            end = "last" if delta > 0 else "first"
            self.notify(f"This is the {end} line of the list.", markup=False)
            return
        self._open(index, 0)

    def next_copy(self) -> None:
        target = self.trail.items[self.index] if self.trail is not None else None
        if target is None or target.copy_count < 2:
            self.notify("Only one outlet's copy of this line.", markup=False)
            return
        self._open(self.index, (self.copy_index + 1) % target.copy_count)

    def _open(self, index: int, copy: int) -> None:
        assert self.trail is not None
        self.index, self.copy_index = index, copy
        self._aim(self.trail.items[index].opened(copy))
        self.article = None
        self.marks = []
        self.query_one("#reader-trail", Static).update(self._trail_line())
        self.query_one("#reader-body", TextView).set_pieces([Text("Loading…")])
        self.post_message(ArticleShown(self.article_id))
        self.load()

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
