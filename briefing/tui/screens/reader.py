"""The reader: one article's title, source, date, link and clean text, with
the story's actors highlighted."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from briefing.config import Story
from briefing.model import Article
from briefing.tui.footer import KeyFooter
from briefing.tui.format import paragraph, plain, when
from briefing.tui.highlight import highlight_actors


class ReaderScreen(Screen):
    CSS_PATH = "screens.tcss"

    def __init__(self, article_id: int, story: Story) -> None:
        super().__init__()
        self.article_id = article_id
        self.story = story
        self.article: Article | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reader"):
            yield Static(Text("Loading…"), id="reader-head")
            yield Static(Text(""), id="reader-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reader").focus()
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        article = self.app.core.read_article(self.article_id)
        self.app.call_from_thread(self.show, article)

    def show(self, article: Article | None) -> None:
        self.article = article
        head = self.query_one("#reader-head", Static)
        if article is None:
            head.update(Text("This article is no longer in the cache."))
            return
        head.update(reader_head(article))
        self.query_one("#reader-body", Static).update(reader_body(article, self.story))

    @property
    def link(self) -> str | None:
        return self.article.link if self.article else None


def reader_head(article) -> Text:
    """Title, then source · date · author, then the link: all inert Text."""
    title = plain(article.title, "bold")
    meta = Text("\n")
    meta.append_text(plain(article.source, "italic"))
    meta.append(f" · {when(article.published, with_time=True)}", style="dim")
    if article.author:
        meta.append(" · ")
        meta.append_text(plain(article.author, "dim"))
    link = Text("\n")
    link.append_text(plain(article.link or "no link", "underline" if article.link else "dim"))
    return Text.assemble(title, meta, link, "\n")


def reader_body(article, story: Story) -> Text:
    return highlight_actors(paragraph(article.text), story)
