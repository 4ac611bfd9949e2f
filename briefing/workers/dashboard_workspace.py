"""The dashboard's workspace: the same questions as Workspace, with the
briefing assembled in a child process (briefing_worker.py) so the screen's
keys never wait for the builder. If the child cannot start or dies, the
briefing is assembled in this process again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.config import Config
from briefing.model import Briefing
from briefing.workers.briefing_worker import BriefingProcess, BriefingProcessError
from briefing.workspace import Workspace


class DashboardWorkspace(Workspace):
    def __init__(self, config: Config, store_path: Path) -> None:
        super().__init__(config, store_path)
        self._child: BriefingProcess | None = None
        self._closed = False  # close() was called: the dashboard is leaving

    def use_briefing_process(self) -> None:
        """Assemble briefings in a child process from now on."""
        if self._child is None:
            try:
                self._child = BriefingProcess(self.config, self.store_path)
            except (OSError, BriefingProcessError):  # it died at once: assemble here
                self._child = None

    def use_config(self, config: Config) -> None:
        """A new story file: the briefing process, which holds the old one,
        is replaced by one for the new; the new one is in place before the
        old one stops, so a load the old one was answering asks the new."""
        super().use_config(config)
        old = self._child
        if old is None:
            return
        try:
            self._child = BriefingProcess(config, self.store_path)
        except (OSError, BriefingProcessError):  # it died at once: assemble here
            self._child = None
        old.stop()

    def close(self) -> None:
        """End the briefing process, if there is one (the dashboard is
        leaving: a request it was answering fails, and is not done here)."""
        self._closed = True
        self._drop_child()

    def _drop_child(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.stop()

    def _child_failed(self) -> None:
        """The child could not answer: assemble here from now on, unless the
        dashboard is leaving."""
        if self._closed:
            raise BriefingProcessError("the dashboard is closing")
        self._drop_child()

    def load_briefing(self, progress: Callable[[int, int], None] | None = None) -> Briefing:
        child = self._child
        while child is not None:
            try:
                return child.load(self.session_last_viewed, progress)
            except BriefingProcessError:
                if self._child is not child and self._child is not None:
                    child = self._child  # replaced for a new story (use_config): ask the new one
                    continue
                self._child_failed()  # and assemble it here instead
                break
        return super().load_briefing(progress)

    def update_briefing(self, changed_ids: Sequence[int]) -> Briefing:
        child = self._child
        if child is not None:
            try:
                return child.update(changed_ids, self.session_last_viewed)
            except BriefingProcessError:
                if self._child is child or self._child is None:
                    self._child_failed()
                return self.load_briefing()  # the new child's, after a story edit
        return super().update_briefing(changed_ids)

    def builder_read(self, article_id: int, read: bool = True) -> None:
        """The article was marked read (or unread): the child's builder follows too."""
        super().builder_read(article_id, read)
        child = self._child
        if child is not None:
            try:
                child.mark_read(article_id, read)
            except BriefingProcessError:
                self._drop_child()  # the next load is done here

    def builder_read_all(self) -> None:
        super().builder_read_all()
        child = self._child
        if child is not None:
            try:
                child.mark_all_read()
            except BriefingProcessError:
                self._drop_child()
