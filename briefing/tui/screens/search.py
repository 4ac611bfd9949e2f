"""`/`: full-text search over every cached article: words, "phrases", OR,
-word and prefix*, matches highlighted; a query that cannot be read says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.model import Pin
from briefing.store.search_query import SearchSyntaxError
from briefing.text.plural import count
from briefing.tui.format import plain, when
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.pin_lines import article_line
from briefing.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace


PLACEHOLDER = "Search every cached article (Enter to go to the results)"
HINT = 'Type to search titles and text: words, "exact phrase", OR, -word, prefix*.'
MATCH_STYLE = "bold reverse"


class SearchScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "search"
    BINDINGS = bindings("search")

    def __init__(self, workspace: DashboardWorkspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.hits: dict[int, Pin] = {}  # each result's article, as `p` and `a` take it

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Input(placeholder=PLACEHOLDER, id="search-input")
            yield Static(Text(HINT, style="dim"), id="search-status")
            yield OptionList(id="search-results")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#search-input").focus()

    @on(Input.Changed, "#search-input")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def go_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @work(thread=True, exclusive=True)
    def run_search(self, query: str) -> None:
        try:
            hits = self.workspace.search(query) if query.strip() else []
        except SearchSyntaxError as exc:
            self.app.call_from_thread(self.show_problem, query, str(exc))
            return
        self.app.call_from_thread(self.show_hits, query, hits)

    def show_problem(self, query: str, problem: str) -> None:
        """A query that cannot be read: the reason instead of "0 articles"."""
        if self.query_one("#search-input", Input).value != query:
            return
        self.query_one("#search-results", OptionList).clear_options()
        self.query_one("#search-status", Static).update(plain(f"Cannot search: {problem}", "bold red"))

    def show_hits(self, query: str, hits: list) -> None:
        if self.query_one("#search-input", Input).value != query:
            return  # a newer query is on its way
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        self.hits = {hit.id: article_line(hit.id, hit.title, hit.source) for hit in hits}
        for hit in hits:
            prompt = marked(plain(hit.title, "bold"), hit.title, hit.title_marks)
            prompt.append("\n")
            prompt.append_text(plain(hit.source, "italic"))
            prompt.append(f" · {when(hit.published)}", style="dim")
            if hit.snippet:
                prompt.append("\n")
                prompt.append_text(marked(plain(hit.snippet, "dim"), hit.snippet, hit.snippet_marks))
            results.add_option(Option(prompt, id=f"hit:{hit.id}"))
        status = count(len(hits), "article") if query.strip() else HINT
        self.query_one("#search-status", Static).update(Text(status, style="dim"))

    @on(OptionList.OptionSelected, "#search-results")
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(OpenArticle(int((event.option.id or "hit:0").split(":")[1])))

    def selected_article(self) -> int | None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is None or not results.option_count:
            return None
        return int((results.get_option_at_index(results.highlighted).id or "hit:0").split(":")[1])

    def selected_line(self) -> Pin | None:
        article_id = self.selected_article()
        return self.hits.get(article_id) if article_id is not None else None


def marked(text: Text, original: str, marks: tuple[tuple[int, int], ...]) -> Text:
    """The matches styled, when `text` still reads as `original` (plain()
    may have cleaned or cut it: then it is left as it is)."""
    if text.plain != original:
        limit = len(text.plain)
        if not original.startswith(text.plain.rstrip("…")):
            return text
        marks = tuple((a, min(b, limit)) for a, b in marks if a < limit)
    for start, end in marks:
        text.stylize(MATCH_STYLE, start, end)
    return text
