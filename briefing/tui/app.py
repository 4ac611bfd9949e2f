"""The dashboard: four panels on one story, driven by keys from keys.py.

Slow work (assembling the briefing, searching, refreshing) runs in thread
workers that post typed messages back; the screen never waits on SQLite or
the network.

This module is the one App: its state, its layout, loading the briefing
and following the store, and the keys that move about and open things.
Each other concern's keys, workers and message handlers are a part of it
in tui/app_parts/ (reading, marks, story, refresh, full_text, links),
which BriefingApp inherits.
"""

from __future__ import annotations

import gc
import queue
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Container
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header
from textual.worker import WorkerState

from briefing.config import Config
from briefing.model import Briefing, Marks
from briefing.store.errors import StoreError, store_error
from briefing.text.plural import count
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.full_text import FullText
from briefing.tui.app_parts.links import Links, open_in_browser
from briefing.tui.app_parts.marks import PinsAndNotes
from briefing.tui.app_parts.reading import ReadingHabits
from briefing.tui.app_parts.refresh import Refreshing
from briefing.tui.app_parts.story import ADD_NAME_ELSEWHERE as ADD_NAME_ELSEWHERE  # tests read it here
from briefing.tui.app_parts.story import StoryEdits
from briefing.tui.keys import KEYS, bindings, view_of
from briefing.tui.messages import (
    ArticleShown,
    BriefingReady,
    MarksChanged,
    OpenArticle,
    RefreshProgress,
    StoreChanged,
)
from briefing.tui.panels.actors import ActorsPanel
from briefing.tui.panels.base import Panel
from briefing.tui.panels.feed import FeedPanel
from briefing.tui.panels.questions import QuestionsPanel
from briefing.tui.panels.summary import SummaryPanel
from briefing.tui.refresh_status import RefreshStatus
from briefing.tui.widgets.footer import SteadyFooter
from briefing.tui.widgets.row_list import RowList
from briefing.workers.dashboard_workspace import DashboardWorkspace

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from briefing.config_edit import StoryEditor
    from briefing.workers.full_text_worker import FullTextProcess
    from briefing.workers.refresh_worker import RefreshProcess

# The screens (tui/screens/) are imported when first opened: none of them is
# in the first frame, and start-up is the time to that frame.

# How long the full briefing waits for the saved one to be painted first.
FIRST_PAINT_WAIT = 3.0
# How often the store is looked at for another process's writes (a cron
# refresh, an import): one row read, so the dashboard shows them within
# about this long without a key press.
STORE_POLL_SECONDS = 1.0
# After a reload that failed, how long before the next change is reloaded.
RELOAD_BACKOFF_SECONDS = 5.0
# How long leaving waits for the store's watch and the marks' writer to end.
THREADS_END_WAIT = 2.0


def _collect_garbage_again() -> None:
    """After the first frame, when the CLI turned collection off for
    start-up: what start-up built lives all session, so it is frozen out of
    the collector's passes, and collection resumes. (An app run any other
    way, as in the tests, is left as it is.)"""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class DashboardScreen(Screen):
    """The four panels' screen, with the dashboard's keys. Textual repaints the whole screen whenever
    focus moves (Screen.focused repaints), which with four full panels makes
    a focus move slow; what focus changes the look of (the panels' borders, the
    lists' highlight) is refreshed by its own focus styles, so that repaint
    is not needed (benchmarks/README.md, "Dashboard at scale")."""

    view = "dashboard"
    BINDINGS = bindings("dashboard")
    # Textual's declaration with repaint off; tests/test_header_footer.py
    # fails if Textual's own changes, so this never hides a change to it.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class BriefingApp(ReadingHabits, PinsAndNotes, StoryEdits, Refreshing, FullText, Links, App):
    """The app answers every key's action (keys.py); each view binds the
    keys it has, so a key works, and shows, only where it means something.
    The parts it inherits (tui/app_parts/) answer their concern's keys and
    messages; the state they share is made here."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"

    def __init__(self, workspace: DashboardWorkspace, open_url: Callable[[str], str | None] = open_in_browser) -> None:
        super().__init__()
        self.core = workspace
        self.briefing: Briefing | None = None
        self._painted = threading.Event()  # set once a briefing is on the screen
        self._open_url = open_url  # injectable so tests never start a browser
        self.refreshing = False
        self.refresh_failures: list[str] = []
        self._failures_toasted = 0
        self._reached_any = False  # a feed of this refresh reached its server
        self.last_refresh: str | None = None  # its time and result, kept in the title bar
        self._counts = ""  # the briefing's counts, in the title bar
        # Another process's writes: the store's generation the briefing shown
        # was made from, and whether a load is on its way.
        self.shown_generation: int | None = None
        # When our own refresh (or f) began writing: update_briefing merges
        # every article stored since, whoever stored it.
        self._writes_since: datetime | None = None
        self._loading = False
        self._no_reload_until = 0.0
        self._watch_stop = threading.Event()
        # Read marks are written in the order given, one at a time, off the screen.
        self._read_marks: queue.Queue[tuple[tuple[int, ...], bool, bool] | None] = queue.Queue()
        self._read_marker = threading.Thread(target=self._write_read_marks, name="read-marks", daemon=True)
        self._watcher: threading.Thread | None = None
        # The generation the watch last read: what a load is made from at
        # least. Read by the watch's one connection, not by opening the store
        # again: a connection opened and closed beside others in this process
        # has been seen to leave a reader in another process with "database
        # disk image is malformed" (tests/test_two_writers.py).
        self._polled_generation: int | None = None
        self._first_look = threading.Event()
        self._refresh_process: RefreshProcess | None = None  # while one runs
        self._full_text_processes: dict[int, FullTextProcess] = {}  # by article, while `f` fetches its page
        self.fetching_full_text: set[int] = set()  # articles whose page `f` is fetching
        self.exit_error: str | None = None  # printed after the screen is given back
        self.marks = Marks()  # the user's pins and notes, read at start and after each change
        # One change to the marks at a time, in the order the keys came.
        self._marks_lock = threading.Lock()
        # The story file's editor, one a session (made at the first edit):
        # it knows the file as read, so a change on disk since is refused.
        self._story_editor: StoryEditor | None = None
        self._story_lock = threading.Lock()  # one edit at a time, in order
        self.title = clean_line(workspace.config.story.title) or "briefing"
        self.sub_title = "loading…"

    # -- layout ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return DashboardScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panels"):
            yield SummaryPanel(id="summary")
            yield ActorsPanel(id="actors")
            yield QuestionsPanel(id="questions")
            yield FeedPanel(id="feed")
        # The refresh bar is mounted by the first refresh (_refresh_bar): it
        # is hidden until then, and one widget fewer to style and mount
        # before the first frame.
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(_collect_garbage_again)
        self.query_one("#summary").focus()
        # The last session's briefing goes into the very first frame: reading it
        # is one row (WAL: a reader never waits for a writer) and decoding its
        # head costs less than painting empty panels first and then again.
        cached = self.core.cached_briefing()
        if cached is not None:
            self._show(cached)
        self._loading = True
        self.load_briefing(start_session=True, after_paint=cached is not None)
        # The pins and the read marks' writer after the first frame: nothing
        # in it needs them.
        self.call_after_refresh(self._start_marks)

    def _start_marks(self) -> None:
        self.change_marks(lambda: MarksChanged(self.core.marks()))
        # The read marks' writer: a thread for the session, as the store's watch.
        self._read_marker.start()

    # -- data ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_briefing(self, start_session: bool = False, after_paint: bool = False) -> None:
        if after_paint:
            # Start the briefing process once the saved briefing is on the
            # screen: the first frame is laid out with both cores to itself.
            self._painted.wait(FIRST_PAINT_WAIT)
        if start_session:
            self.core.start_session()
        # Assembled in a child process from here on (workers/briefing_worker.py): keys
        # are answered while a large store is loaded, analysed or merged.
        self.core.use_briefing_process()
        if start_session:
            # A thread of its own for the session, not a Textual worker: it
            # never ends by itself, and workers are waited on as work that does.
            self._watcher = threading.Thread(target=self._watch_store, name="store-watch", daemon=True)
            self._watcher.start()
            self._first_look.wait(FIRST_PAINT_WAIT)
        generation = self._polled_generation  # before: a write after it is seen as one
        self.post_message(BriefingReady(self.core.load_briefing(progress=self._analysis_progress), generation))

    def _analysis_progress(self, done: int, total: int) -> None:
        self.post_message(RefreshProgress(done, total, "", "analysing", None))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def update_briefing(self, changed_ids: tuple[int, ...]) -> None:
        generation = self._polled_generation
        # What another process (a cron refresh, an import) stored meanwhile
        # is merged too: the generation shown from now on counts its writes.
        since, self._writes_since = self._writes_since, None
        if since is not None:
            changed_ids = tuple(sorted({*changed_ids, *self.core.changed_since(since)}))
        self.post_message(BriefingReady(self.core.update_briefing(changed_ids), generation))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload_briefing(self) -> None:
        """The whole briefing again from the store, as another process left it."""
        generation = self._polled_generation
        self.post_message(BriefingReady(self.core.load_briefing(), generation))

    def _watch_store(self) -> None:
        """Look at the store's generation every STORE_POLL_SECONDS, on this
        thread: another process's write (a cron refresh, an import) is a
        StoreChanged message, and the screen never waits on the store."""

        def seen(generation: int) -> None:
            self._polled_generation = generation
            self._first_look.set()
            if self.shown_generation is not None and generation != self.shown_generation:
                self.post_message(StoreChanged(generation))

        self.core.watch_generation(self._watch_stop, STORE_POLL_SECONDS, seen)

    def on_store_changed(self, message: StoreChanged) -> None:
        # While a refresh of our own runs its writes are merged at its end;
        # while a load runs, the next look comes in a second.
        if self.refreshing or self._loading or time.monotonic() < self._no_reload_until:
            return
        if message.generation == self.shown_generation:
            return
        self._loading = True
        self.reload_briefing()

    def on_briefing_ready(self, message: BriefingReady) -> None:
        self._loading = False
        if message.generation is not None:
            self.shown_generation = message.generation
        self._show(message.briefing)
        if not self.refreshing:
            for bar in self.query(RefreshStatus):
                bar.remove_class("running")

    def _show(self, briefing: Briefing) -> None:
        self.briefing = briefing
        for panel in self.query(Panel):
            panel.show(briefing)
        # Over every article: the briefing's feed rows are only the newest.
        rows, _, relevant_rows = briefing.row_counts()
        relevant = briefing.extra.get("relevant", relevant_rows)
        total = briefing.extra.get("total_articles", rows)
        self._counts = f"{relevant} relevant of {count(total, 'article')}"
        self._show_title()
        self.call_after_refresh(self._painted.set)

    def _show_title(self) -> None:
        """The counts, and the last refresh's time and result: they stay
        once its notifications have faded."""
        self.sub_title = " · ".join(part for part in (self._counts, self.last_refresh) if part)

    # -- actions from keys.py --------------------------------------------------------

    def action_focus_panel(self, name: str) -> None:
        panel = self.screen_stack[0].query_one(f"#{name}", Panel)
        if len(self.screen_stack) == 1:
            panel.focus()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        # The dashboard screen gives focus back to what it had once it is
        # shown again; focus the panel after that.
        self.call_after_refresh(panel.focus)

    def action_cursor(self, direction: str) -> None:
        widget = self.focused
        if widget is None:
            return
        for name in (f"action_cursor_{direction}", f"action_scroll_{direction}"):
            method = getattr(widget, name, None)
            if method is not None:
                method()
                return

    async def action_back(self) -> None:
        """Esc, and q in any view but the dashboard: close the view."""
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        from briefing.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.core))

    def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()  # ? again closes it
        else:
            self.push_screen(HelpScreen(view_of(self.screen)))

    def action_open_selected(self) -> None:
        from briefing.tui.citations import Trail, cited_target, row_target
        from briefing.tui.screens.detail import actor_screen, other_quotes_screen, question_screen

        panel = self._focused_panel()
        briefing = self.briefing
        if isinstance(panel, ActorsPanel):
            actor = panel.selected_actor()
            if actor:
                self.push_screen(actor_screen(actor, panel.other_quotes))
            elif panel.other_quotes_selected():
                self.push_screen(other_quotes_screen(panel.other_quotes))
        elif isinstance(panel, QuestionsPanel):
            question = panel.selected_question()
            if question:
                self.push_screen(question_screen(question))
        elif isinstance(panel, SummaryPanel) and briefing is not None:
            index = panel.selected_index()
            if index is not None and index < len(briefing.summary):
                lines = Trail("Summary", tuple(cited_target(item) for item in briefing.summary))
                self.post_message(OpenArticle(briefing.summary[index].article_id, lines, index, choose=True))
        elif isinstance(panel, FeedPanel):
            row = panel.selected_row()
            if row is not None:
                rows = panel.ordered_rows()
                index = next((i for i, r in enumerate(rows) if r.id == row.id), None)
                feed = Trail("Feed", tuple(row_target(r) for r in rows)) if index is not None else None
                self.post_message(OpenArticle(row.id, feed, index or 0))

    def action_timeline(self) -> None:
        from briefing.tui.screens.timeline import TimelineScreen

        self._show_view(TimelineScreen)

    def action_coverage(self) -> None:
        from briefing.tui.screens.coverage import CoverageScreen

        self._show_view(CoverageScreen)

    def _show_view(self, kind: type) -> None:
        """A view made from the briefing: back to it when it is already open
        under this screen, else opened on top."""
        if self.briefing is None:
            self.notify("The briefing is still loading.", markup=False)
            return
        if any(isinstance(screen, kind) for screen in self.screen_stack):
            while not isinstance(self.screen, kind):
                self.pop_screen()
            return
        self.push_screen(kind(self.briefing))

    def action_step(self, delta: int) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            self.screen.step(delta)
        else:
            self.notify("Open a line in the reader first: ] and [ step through its list.", markup=False)

    def action_next_copy(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            self.screen.next_copy()
        else:
            self.notify("Open a line in the reader first: v opens another outlet's copy.", markup=False)

    # -- leaving, and workers that failed ----------------------------------------------

    def on_unmount(self) -> None:
        # Leaving mid-refresh ends the refresh process too (what it stored
        # so far stays); the worker reading its events then ends.
        if self._refresh_process is not None:
            self._refresh_process.stop()
        for child in list(self._full_text_processes.values()):
            child.stop()
        self._watch_stop.set()  # the store's watch and the marks' writer end
        self._read_marks.put(None)
        # Their connections closed before the app is gone: nothing of ours
        # touches the store after it (a last connection's close checkpoints).
        for thread in (self._watcher, self._read_marker):
            if thread is not None and thread.is_alive():
                thread.join(THREADS_END_WAIT)
        self.core.close()  # the briefing process

    def on_worker_state_changed(self, event) -> None:
        """A store that turns out damaged while loading ends the dashboard
        with the one-line error, instead of a traceback on the screen."""
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "load":
            self._loading = False
            # A store that fails to load is not loaded again at every look.
            self._no_reload_until = time.monotonic() + RELOAD_BACKOFF_SECONDS
        error = event.worker.error
        if event.worker.name == "reload_briefing":
            # A reload in the background (another process wrote) never ends
            # the dashboard: what is shown stays, and the next change tries again.
            self.notify(
                f"Could not reload the store: {clean_line(str(error))}; trying again shortly.",
                severity="warning",
                markup=False,
                timeout=5,
            )
            return
        if isinstance(error, sqlite3.Error):
            error = store_error(self.core.store_path, error)
        if isinstance(error, StoreError) and error.status == 2:
            self.exit_error = str(error)
            self.exit(return_code=2)
        else:
            self.notify(
                f"Could not load the briefing: {clean_line(str(error))}", severity="error", markup=False, timeout=10
            )

    # -- opening things ---------------------------------------------------------------

    def on_open_article(self, message: OpenArticle) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        trail, index = message.trail, message.index
        target = trail.items[index] if trail is not None and 0 <= index < len(trail.items) else None
        if target is None:
            trail = None

        def open_copy(copy: int | None) -> None:
            if copy is None:
                return  # the chooser was closed
            reader = ReaderScreen(message.article_id, self.core.config.story, self.core, trail, index, copy)
            self.push_screen(reader)
            self.screen_stack[0].query_one(FeedPanel).mark_read(reader.article_id)

        if target is not None and message.choose and target.copy_count > 1:
            from briefing.tui.screens.copy_chooser import CopyChooserScreen

            self.push_screen(CopyChooserScreen(target), open_copy)
        else:
            open_copy(0)

    def on_article_shown(self, message: ArticleShown) -> None:
        self.screen_stack[0].query_one(FeedPanel).mark_read(message.article_id)

    @on(RowList.Selected)
    def _list_selected(self, event: RowList.Selected) -> None:
        if isinstance(self.screen, Screen) and self.screen is self.screen_stack[0]:
            event.stop()
            self.action_open_selected()

    # -- helpers ------------------------------------------------------------------------

    def _focused_panel(self) -> Panel | None:
        node: DOMNode | None = self.focused
        while node is not None and not isinstance(node, Panel):
            node = node.parent
        return node

    def _selected_article(self) -> int | None:
        from briefing.tui.screens.detail import DetailScreen
        from briefing.tui.screens.reader import ReaderScreen
        from briefing.tui.screens.search import SearchScreen

        screen = self.screen
        if isinstance(screen, ReaderScreen):
            return screen.article_id
        if isinstance(screen, (DetailScreen, SearchScreen)):
            return screen.selected_article()
        selected = getattr(screen, "selected_article", None)  # the timeline
        if callable(selected):
            return selected()
        panel = self._focused_panel()
        if isinstance(panel, SummaryPanel):
            return panel.selected_article()
        if isinstance(panel, FeedPanel):
            row = panel.selected_row()
            return row.id if row else None
        return None

    def _selected_link(self) -> str | None:
        from briefing.tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            return self.screen.link
        article_id = self._selected_article()
        if article_id is None or self.briefing is None:
            return None
        row = next((a for a in self.briefing.articles if a.id == article_id), None)
        return row.link if row else None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers the same actions as the keys of the view it
        was opened over, from the same list."""
        view = view_of(screen)
        for key in KEYS:
            if key.palette and view in key.views:
                yield SystemCommand(
                    key.label, f"{key.help} (key: {key.display})", lambda action=key.action: self.run_action(action)
                )
        yield from super().get_system_commands(screen)


def run_dashboard(config: Config, store_path: Path, store_checked: Callable[[], None] = lambda: None) -> int:
    """The dashboard on an opened store. `store_checked` waits for the
    pre-screen check (workspace.open_store_for_dashboard) and raises what it
    found, so that a damaged store is a one-line error in the terminal."""
    store_checked()
    app = BriefingApp(DashboardWorkspace(config, Path(store_path)))
    app.run()
    if app.exit_error:
        print(f"briefing: error: {clean_line(app.exit_error)}", file=sys.stderr)
    return app.return_code or 0
