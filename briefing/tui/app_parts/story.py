"""The story file: names, keywords and questions added from the dashboard,
written to the file on a thread, and the briefing made again for the new story."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work

from briefing.model import ActorView
from briefing.text.sanitize import clean_line
from briefing.tui.app_parts.base import AppPart
from briefing.tui.format import NAME_MAX, shorten
from briefing.tui.messages import StoryEdited
from briefing.tui.panels.actors import ActorsPanel

if TYPE_CHECKING:
    from briefing.config_edit import StoryEditor
    from briefing.tui.panels.base import Panel
    from briefing.tui.screens.story_edit import StoryEdit
    from briefing.workers.dashboard_workspace import DashboardWorkspace

# What `+` does, said where there is no "also mentioned" name to add.
ADD_NAME_ELSEWHERE = (
    '+ adds a name from "Also mentioned" in the actors panel (2) to the story; E adds a keyword or a question.'
)


class StoryEdits(AppPart):
    """The App's keys that add to the story file (BriefingApp defines the state)."""

    core: DashboardWorkspace
    # The story file's editor, one a session (made at the first edit):
    # it knows the file as read, so a change on disk since is refused.
    _story_editor: StoryEditor | None
    _story_lock: threading.Lock  # one edit at a time, in order
    _focused_panel: Callable[[], Panel | None]
    load_briefing: Callable[..., object]

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
