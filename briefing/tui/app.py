"""The dashboard: four panels on one story, driven by keys from keys.py.

Slow work (assembling the briefing, searching, refreshing) runs in thread
workers that post typed messages back; the screen never waits on SQLite or
the network.

Longer than most modules: it is the one App, its bindings' actions and
its message handlers; the panels, screens and widgets are already apart,
and what stays is the wiring between them.
"""

from __future__ import annotations

import gc
import os
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
from briefing.model import ActorView, Briefing, Marks, Pin
from briefing.store.errors import StoreError, store_error
from briefing.store.values import utcnow
from briefing.text.plural import count
from briefing.text.sanitize import clean_line, safe_link
from briefing.tui.format import LINE_MAX, NAME_MAX, shorten
from briefing.tui.keys import KEYS, bindings, view_of
from briefing.tui.messages import (
    ArticleShown,
    BriefingReady,
    FullTextDone,
    MarksChanged,
    OpenArticle,
    ReadMarked,
    RefreshFinished,
    RefreshProgress,
    StoreChanged,
    StoryEdited,
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
    from briefing.tui.screens.story_edit import StoryEdit
    from briefing.workers.full_text_worker import FullTextProcess
    from briefing.workers.refresh_worker import RefreshProcess

# The screens (tui/screens/) are imported when first opened: none of them is
# in the first frame, and start-up is the time to that frame.

MAX_FAILURE_TOASTS = 3
# How many more failed feeds the end-of-refresh notice names; the rest are
# counted, and `briefing feeds` lists them all.
MAX_FAILURES_LISTED = 5
# Why `p` left a pin where it was.
KEPT_PIN = "Still pinned: this pin has a note. Clear the note (a, then an empty note) to unpin it."
# What `+` does, said where there is no "also mentioned" name to add.
ADD_NAME_ELSEWHERE = (
    '+ adds a name from "Also mentioned" in the actors panel (2) to the story; E adds a keyword or a question.'
)
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


def has_display() -> bool:
    """Whether a browser can show a window here: not over SSH or on a
    console without one (where webbrowser would run a text browser inside
    our screen), unless $BROWSER names what to run."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> str | None:
    """Open a link in the user's browser: None when one was started, else
    why none was (webbrowser.open says False when nothing could start)."""
    if not has_display():
        return "no graphical display here (DISPLAY is not set, as over SSH), so no browser can start"
    import webbrowser  # only for a link the user opens

    try:
        opened = webbrowser.open(url)
    except (webbrowser.Error, OSError) as exc:
        return f"the browser did not start ({clean_line(str(exc)) or type(exc).__name__})"
    return None if opened else "no browser could be started (none found, or it failed at once)"


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


class BriefingApp(App):
    """The app answers every key's action (keys.py); each view binds the
    keys it has, so a key works, and shows, only where it means something."""

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

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Every link the app opens goes to the opener it was given."""
        self._open_url(url)

    @property
    def feed(self) -> FeedPanel:
        return self.screen_stack[0].query_one(FeedPanel)

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

    def action_open_link(self) -> None:
        link = self._selected_link()
        if not link:
            self.notify("No article with a link is selected.", severity="warning", markup=False)
            return
        from briefing.tui.screens.confirm_link import ConfirmLinkScreen

        safe = safe_link(link)
        if safe is None:
            self.notify(
                f"Not opening {clean_line(link)[:80]}: only http and https links are opened.",
                severity="warning",
                markup=False,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_link_now(safe)

        self.push_screen(ConfirmLinkScreen(safe), answered)

    @work(thread=True, group="link", exit_on_error=False)
    def open_link_now(self, link: str) -> None:
        """On a thread: a browser named by $BROWSER is waited for, and the
        screen must not wait with it."""
        why_not = self._open_url(link)
        if why_not is None:
            self.call_from_thread(self.notify, f"Opened {link[:80]}", markup=False)
        else:
            self.call_from_thread(
                self.notify,
                f"Not opened: {clean_line(str(why_not))}. Press y to copy the link instead.",
                title="No browser",
                severity="warning",
                markup=False,
                timeout=8,
            )

    def action_copy_link(self) -> None:
        link = self._selected_link()
        if not link:
            self.notify("No article with a link is selected.", severity="warning", markup=False)
            return
        safe = safe_link(link)
        if safe is None:
            self.notify(
                f"Not copying {clean_line(link)[:80]}: only http and https links are copied.",
                severity="warning",
                markup=False,
            )
            return
        self.copy_to_clipboard(safe)
        self.notify(
            f"Copied {safe[:80]}\n(sent to your terminal's clipboard by OSC 52, which works over SSH "
            "if the terminal allows it)",
            title="Link copied",
            markup=False,
        )

    # -- reading habits ------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        screen = self.screen
        article_id: int | None
        if isinstance(screen, ReaderScreen):
            if screen.article is None:
                return  # still loading: it is marked read once shown
            article_id, read = screen.article_id, not screen.read
            screen.read = read
        else:
            article_id = self._selected_article()
            if article_id is None:
                self.notify("No article is selected.", severity="warning", markup=False)
                return
            row = self.feed.rows.get(str(article_id))
            read = not row.read if row is not None else True
        self.feed.mark_read(article_id, read)
        self._read_marks.put(((article_id,), read, False))
        self.notify("Marked read." if read else "Marked unread.", markup=False, timeout=2)

    def action_mark_all_read(self) -> None:
        self.feed.mark_all_read()
        self._read_marks.put(((), True, True))
        self.notify("Marked every article read.", markup=False, timeout=3)

    def action_next_unread(self) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        feed = self.feed
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            target = feed.next_unread(screen.article_id)
        else:
            key = feed.highlighted_key
            target = feed.next_unread(int(key) if key is not None else None)
            if target is not None and feed.highlighted_key == str(target):
                target = None  # the only unread one is here already
        if target is None:
            self.notify("No unread articles left in the feed.", markup=False, timeout=3)
            return
        feed.go_to(target)
        if isinstance(screen, ReaderScreen):
            self._read_in_place(screen, target)
        elif len(self.screen_stack) == 1:
            feed.focus()

    def action_next_article(self, step: int) -> None:
        from briefing.tui.screens.reader import ReaderScreen

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return
        target = self.feed.neighbour(screen.article_id, step)
        if target is None:
            if str(screen.article_id) not in self.feed.order:
                words = "This article is not in the feed list (J and K go through the feed)."
            else:
                words = f"This is the {'last' if step > 0 else 'first'} article in the feed."
            self.notify(words, markup=False, timeout=3)
            return
        self.feed.go_to(target)
        self._read_in_place(screen, target)

    def _read_in_place(self, screen, article_id: int) -> None:
        screen.open_article(article_id)
        self.feed.mark_read(article_id)

    def action_relevant_only(self) -> None:
        hidden = self.feed.toggle_relevant_only()
        self.notify(
            "Feed: only the articles relevant to the story (F shows every article)."
            if hidden
            else "Feed: every article.",
            markup=False,
            timeout=3,
        )

    def _write_read_marks(self) -> None:
        """Write read marks in the order they were given, each waiting for
        the store's write lock here and not on the screen's thread."""
        while True:
            mark = self._read_marks.get()
            if mark is None:  # the app is leaving
                return
            ids, read, every = mark
            try:
                unread = self.core.mark_all_read() if every else self.core.set_read(ids, read)
            except (sqlite3.Error, StoreError) as exc:
                self.notify(  # posts a message: safe from this thread
                    f"Could not save the read mark: {clean_line(str(exc))}",
                    severity="error",
                    markup=False,
                )
                continue
            self.post_message(ReadMarked(ids, read, unread, every))

    def on_read_marked(self, message: ReadMarked) -> None:
        feed = self.feed
        if message.every:
            feed.mark_all_read()
        for article_id in message.article_ids:
            feed.mark_read(article_id, message.read)
        if message.unread is not None:
            feed.set_unread(message.unread)

    async def action_refresh(self) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", markup=False)
            return
        if not any(feed.enabled for feed in self.core.config.feeds):
            self.notify(
                f"{self.core.config.path.name} lists no enabled feeds to refresh.", severity="warning", markup=False
            )
            return
        self.refreshing = True
        self._writes_since = self._writes_since or utcnow()
        self.refresh_failures = []
        self._failures_toasted = 0
        self._reached_any = False
        bar = await self._refresh_bar()
        bar.show("Refreshing", 0, None)
        bar.add_class("running")
        self.run_refresh()

    async def _refresh_bar(self) -> RefreshStatus:
        found = self.query("#refresh-bar")
        if found:
            return found.first(RefreshStatus)
        bar = RefreshStatus(id="refresh-bar")
        await self.mount(bar, before=self.query_one(SteadyFooter))
        return bar

    # -- marks: pins and notes ---------------------------------------------------------

    def action_toggle_pin(self) -> None:
        line = self._selected_line()
        if line is None:
            self.notify(
                "Nothing to pin here: select a line or an article (open an actor or a question to pin its lines).",
                markup=False,
            )
            return

        def toggle() -> MarksChanged:
            outcome, marks = self.core.toggle_pin(line)
            if outcome == "kept":
                return MarksChanged(marks, KEPT_PIN, warning=True)
            return MarksChanged(marks, "Pinned." if outcome == "pinned" else "Unpinned.")

        self.change_marks(toggle)

    def action_annotate(self) -> None:
        line = self._selected_line()
        if line is None:
            self.notify("Nothing to write a note on here: select a line or an article.", markup=False)
            return
        from briefing.tui.screens.note import NoteScreen

        def written(text: str | None) -> None:
            if text is not None:
                said = "Note kept." if text.strip() else "Note deleted."
                self.change_marks(lambda: MarksChanged(self.core.set_note(line, text), said))

        self.push_screen(NoteScreen(line, self.marks.note_on(line)), written)

    def action_show_pinned(self) -> None:
        from briefing.tui.screens.pinned import PinnedScreen

        if not isinstance(self.screen, PinnedScreen):
            self.push_screen(PinnedScreen(self.marks))
            # Read again: another process (a second dashboard) may have pinned too.
            self.change_marks(lambda: MarksChanged(self.core.marks()))

    @work(thread=True, group="marks")
    def change_marks(self, change: Callable[[], MarksChanged]) -> None:
        """Run a change to the marks (or a read) on a thread, one at a time
        in the order asked: a write may wait for another writer's lock, and
        the screen must not."""
        with self._marks_lock:
            try:
                message = change()
            except (sqlite3.Error, StoreError) as exc:
                error = store_error(self.core.store_path, exc) if isinstance(exc, sqlite3.Error) else exc
                message = MarksChanged(self.marks, f"Not saved: {clean_line(str(error))}", warning=True)
        self.post_message(message)

    def on_marks_changed(self, message: MarksChanged) -> None:
        from briefing.tui.screens.pinned import PinnedScreen

        self.marks = message.marks
        for screen in self.screen_stack:
            if isinstance(screen, PinnedScreen):
                screen.show(message.marks)
        if message.notice:
            self.notify(message.notice, severity="warning" if message.warning else "information", markup=False)

    def _selected_line(self) -> Pin | None:
        """The line `p` and `a` act on: the open view's selected line, or on
        the dashboard the focused panel's."""
        if self.screen is not self.screen_stack[0]:
            selected = getattr(self.screen, "selected_line", None)
            return selected() if selected is not None else None
        panel = self._focused_panel()
        return panel.selected_line() if panel is not None else None

    # -- the story file: names, keywords and questions added from the dashboard --------

    def action_add_name(self) -> None:
        name = self._selected_other_name()
        if isinstance(name, str):
            self.notify(name, markup=False)
            return
        from briefing.analysis.proposal import propose_actor
        from briefing.tui.screens.story_edit import AddNameScreen

        kind, role = propose_actor(name)
        actors = tuple(actor.name for actor in self.core.config.story.actors)
        self.push_screen(AddNameScreen(name.name, kind, role, actors), self._story_form_done)

    def action_add_to_story(self) -> None:
        from briefing.tui.screens.story_edit import AddToStoryScreen

        self.push_screen(AddToStoryScreen(), self._story_form_done)

    def _selected_other_name(self) -> ActorView | str:
        """The "also mentioned" name `+` is for: the actors panel's selected
        row, or the open view's name; else what `+` does, in words."""
        from briefing.tui.screens.detail import DetailScreen

        if isinstance(self.screen, DetailScreen):
            actor = self.screen.actor
        else:
            panel = self._focused_panel() if self.screen is self.screen_stack[0] else None
            actor = panel.selected_actor() if isinstance(panel, ActorsPanel) else None
        if actor is None:
            return ADD_NAME_ELSEWHERE
        if actor.listed:
            return f"{shorten(clean_line(actor.name), NAME_MAX)} is already in the story. {ADD_NAME_ELSEWHERE}"
        return actor

    def _story_form_done(self, edit: StoryEdit | None) -> None:
        if edit is not None:
            self.save_story_edit(edit)

    @work(thread=True, group="story")
    def save_story_edit(self, edit: StoryEdit) -> None:
        """Write the edit on a thread (the file is read, checked and written),
        then follow the new file: the briefing process is replaced by one
        for the new story."""
        from briefing.config_edit import StoryEditor
        from briefing.tui.story_file import save_story_edit

        with self._story_lock:
            if self._story_editor is None:
                self._story_editor = StoryEditor(self.core.config)
            message = save_story_edit(self._story_editor, edit)
            if message.config is not None:
                self.core.use_config(message.config)
        self.post_message(message)

    def on_story_edited(self, message: StoryEdited) -> None:
        self.notify(message.notice, severity="warning" if message.config is None else "information", markup=False)
        if message.config is not None:
            self.title = clean_line(message.config.story.title) or "briefing"
            self.load_briefing()

    # -- refresh -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="refresh")
    def run_refresh(self) -> None:
        # In a process of its own (briefing/workers/refresh_worker.py): fetching,
        # storing and analysing the new articles never hold this process's
        # interpreter lock, so keys are answered as fast during a refresh as
        # without one. Imported at the first refresh: start-up needs none of it.
        from briefing.refresh.outcomes import FAILED, unreachable
        from briefing.workers.refresh_worker import Analysing, FeedDone, Finished, PagesFetching, RefreshProcess

        try:
            child = self._refresh_process = RefreshProcess(self.core.config, self.core.store_path)
        except OSError as exc:
            self.post_message(RefreshFinished(f"Refresh failed: {exc}", ok=False, changed_ids=()))
            return
        for event in child.events():
            if isinstance(event, FeedDone):
                outcome = event.outcome
                self.post_message(
                    RefreshProgress(
                        event.done,
                        event.total,
                        outcome.name,
                        outcome.status,
                        outcome.error,
                        unreachable=outcome.status == FAILED and unreachable(outcome.error),
                    )
                )
            elif isinstance(event, PagesFetching):
                self.post_message(RefreshProgress(event.done, event.total, "", "pages", None))
            elif isinstance(event, Analysing):
                self._analysis_progress(event.done, event.total)
            elif isinstance(event, Finished):
                report = event.report
                if report is None:
                    self.post_message(RefreshFinished(event.error or "Refresh failed", ok=False, changed_ids=()))
                else:
                    self.post_message(
                        RefreshFinished(
                            report.summary_line(),
                            ok=report.ok,
                            changed_ids=tuple(report.changed_ids),
                            offline=report.offline,
                            new=report.new_articles,
                            failed=report.count(FAILED),
                            feeds=len(report.outcomes),
                        )
                    )

    async def on_refresh_progress(self, message: RefreshProgress) -> None:
        doing = {"analysing": "Analysing new articles", "pages": "Fetching full text"}.get(message.status, "Refreshing")
        bar = await self._refresh_bar()  # analysis at start comes before any refresh
        bar.add_class("running")
        bar.show(doing, message.done, message.total)
        if message.status == "failed":
            failure = (
                f"{shorten(clean_line(message.feed), NAME_MAX)}: "
                f"{shorten(clean_line(message.error or 'failed'), LINE_MAX)}"
            )
            self.refresh_failures.append(failure)
        if message.status in ("updated", "not_modified") or (message.status == "failed" and not message.unreachable):
            self._reached_any = True
        # The first few failures show at once, but a server that could not
        # be reached only once another feed has reached its own: offline,
        # every feed fails so, and one notice at the end says the network
        # seems down. The rest are listed together at the end.
        if self._reached_any:
            while self._failures_toasted < min(len(self.refresh_failures), MAX_FAILURE_TOASTS):
                failure = self.refresh_failures[self._failures_toasted]
                self._failures_toasted += 1
                self.notify(failure, title="Feed failed", severity="warning", markup=False, timeout=8)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        self._refresh_process = None
        self.query_one("#refresh-bar").remove_class("running")
        self.last_refresh = _refresh_result(message, time.localtime())
        self._show_title()
        if message.offline:
            first = clean_line(self.refresh_failures[0]) if self.refresh_failures else ""
            self.notify(
                f"The network seems down: none of the {message.feeds:,} feeds could be reached"
                + (f" ({first})" if first else "")
                + ". The dashboard shows what is stored.",
                title="Offline",
                severity="warning",
                markup=False,
                timeout=10,
            )
            self._loading = True
            self.reload_briefing()  # r shows what the store holds, offline too
            return
        summary = clean_line(message.summary)
        hidden = self.refresh_failures[self._failures_toasted :]
        if hidden:
            summary += "\nAlso failed:\n" + "\n".join(hidden[:MAX_FAILURES_LISTED])
            if len(hidden) > MAX_FAILURES_LISTED:
                summary += (
                    f"\nand {len(hidden) - MAX_FAILURES_LISTED:,} more: `briefing feeds` lists every feed's last error"
                )
        self.notify(
            summary, severity="information" if message.ok else "error", markup=False, timeout=8 if hidden else 5
        )
        self._loading = True
        if message.changed_ids:
            self.update_briefing(message.changed_ids)
        else:
            # Nothing new from the feeds, but the store may hold what
            # another process wrote meanwhile: r shows that too.
            self.reload_briefing()

    # -- full text (f) ----------------------------------------------------------------

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
        if safe_link(link) is None:
            self.notify(
                f"Not fetching {clean_line(link)[:80]}: only http and https pages are fetched.",
                severity="warning",
                markup=False,
            )
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


def _refresh_result(message: RefreshFinished, when: time.struct_time) -> str:
    """The last refresh in a few words, for the title bar: 'refreshed 14:32: 3 new'."""
    stamp = time.strftime("%H:%M", when)
    if message.offline:
        return f"refreshed {stamp}: offline"
    if not message.feeds:
        return f"refresh {stamp} failed"
    result = f"refreshed {stamp}: {message.new:,} new"
    if message.failed:
        result += f", {message.failed:,} of {message.feeds:,} feeds failed"
    return result


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
