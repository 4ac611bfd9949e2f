"""Full text: `f` fetches the page of the article in the reader, or of the
feed's selected row, in a process of its own, and shows what it found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from briefing.store.values import utcnow
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.base import AppPart
from briefing.tui.format import NAME_MAX, shorten
from briefing.tui.messages import FullTextDone
from briefing.tui.panels.feed import FeedPanel

if TYPE_CHECKING:
    from briefing.tui.panels.base import Panel
    from briefing.workers.dashboard_workspace import DashboardWorkspace
    from briefing.workers.full_text_worker import FullTextProcess


class FullText(AppPart):
    """The App's `f` (BriefingApp defines the state)."""

    core: DashboardWorkspace
    _full_text_processes: dict[int, FullTextProcess]  # by article, while `f` fetches its page
    fetching_full_text: set[int]  # articles whose page `f` is fetching
    _writes_since: datetime | None
    _focused_panel: Callable[[], Panel | None]
    _web_link: Callable[[str, str, str], str | None]
    update_briefing: Callable[[tuple[int, ...]], object]

    def action_fetch_full_text(self) -> None:
        target = self._full_text_target()
        if isinstance(target, str):
            self.notify(target, severity="warning", markup=False)
            return
        article_id, title, link = target
        name = shorten(clean_line(title), NAME_MAX)
        if not link:
            self.notify(f"“{name}” has no link to fetch its page from.", severity="warning", markup=False)
            return
        if self._web_link(link, "Not fetching", "pages are fetched") is None:
            return
        if article_id in self.fetching_full_text:
            self.notify(f"Already fetching the full text of “{name}”.", markup=False)
            return
        self.fetching_full_text.add(article_id)
        self.notify(f"Fetching the full text of “{name}”…", markup=False)
        self.fetch_full_text(article_id)

    def _full_text_target(self) -> tuple[int, str, str | None] | str:
        """(id, title, link) of the article `f` is for, or why there is none, in words."""
        from briefing.tui.screens.reader import ReaderScreen

        screen = self.screen
        if isinstance(screen, ReaderScreen):
            article = screen.article
            if article is None:
                return "The article is not loaded yet."
            return article.id, article.title, article.link
        panel = self._focused_panel() if screen is self.screen_stack[0] else None
        if isinstance(panel, FeedPanel):
            row = panel.selected_row()
            if row is None:
                return "No article is selected in the feed."
            return row.id, row.title, row.link
        return "f fetches the full text of the article in the reader, or of the selected row of the feed (4)."

    @work(thread=True, group="full-text", exit_on_error=False)
    def fetch_full_text(self, article_id: int) -> None:
        # In a process of its own (workers/full_text_worker.py): fetching and
        # extracting the page never hold this process's interpreter lock,
        # and the extractor is never imported here. Imported at the first
        # `f`: start-up needs none of it.
        from briefing.workers.full_text_worker import FullTextProcess

        self._writes_since = self._writes_since or utcnow()
        try:
            child = FullTextProcess(self.core.config, self.core.store_path, article_id)
        except OSError as exc:
            self.post_message(FullTextDone(article_id, False, f"Could not fetch the full text: {exc}", False))
            return
        self._full_text_processes[article_id] = child
        try:
            result = child.result()
        finally:
            self._full_text_processes.pop(article_id, None)
        self.post_message(FullTextDone(article_id, result.ok, result.words, result.changed))

    def on_full_text_done(self, message: FullTextDone) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        self.fetching_full_text.discard(message.article_id)
        self.notify(
            clean_line(message.words),
            title="Full text" if message.ok else "No full text",
            severity="information" if message.ok else "warning",
            markup=False,
            timeout=5 if message.ok else 8,
        )
        # The reader shows the new text, or the page's failure, whichever it was.
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen) and screen.article_id == message.article_id:
                screen.load()
        if message.changed:
            self.update_briefing((message.article_id,))
