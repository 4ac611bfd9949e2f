"""`/`: full-text search over every cached article."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from briefing.tui.format import plain, when
from briefing.tui.keys import bindings
from briefing.tui.messages import OpenArticle
from briefing.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from briefing.workers.dashboard_workspace import DashboardWorkspace


class SearchScreen(Screen):
    CSS_PATH = "screens.tcss"
    view = "search"
    BINDINGS = bindings("search")

    def __init__(self, workspace: DashboardWorkspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        with Vertical(id="search"):
            yield Input(placeholder="Search every cached article (Enter to go to the results)", id="search-input")
            yield Static(Text("Type to search titles and text.", style="dim"), id="search-status")
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
        hits = self.workspace.search(query) if query.strip() else []
        self.app.call_from_thread(self.show_hits, query, hits)

    def show_hits(self, query: str, hits: list) -> None:
        if self.query_one("#search-input", Input).value != query:
            return  # a newer query is on its way
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        for hit in hits:
            prompt = plain(hit.title, "bold")
            prompt.append("\n")
            prompt.append_text(plain(hit.source, "italic"))
            prompt.append(f" · {when(hit.published)}", style="dim")
            if hit.snippet:
                prompt.append("\n")
                prompt.append_text(plain(hit.snippet, "dim"))
            results.add_option(Option(prompt, id=f"hit:{hit.id}"))
        status = f"{len(hits)} articles" if query.strip() else "Type to search titles and text."
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
