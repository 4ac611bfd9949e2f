"""What an edit asked for in the story forms (screens/story_edit.py) does to
the story file, and what the user is told about it. Called on a thread:
config_edit reads and writes the file."""

from __future__ import annotations

from briefing.config_edit import ConfigEditError, Edited, StoryEditor
from briefing.text.sanitize import clean_line
from briefing.tui.format import NAME_MAX, shorten
from briefing.tui.messages import StoryEdited
from briefing.tui.screens.story_edit import StoryEdit


def save_story_edit(editor: StoryEditor, edit: StoryEdit) -> StoryEdited:
    """Make the edit with the session's editor: the new config and where it
    went, or why nothing was written."""
    try:
        edited, done = _apply(editor, edit)
    except ConfigEditError as exc:
        reason = clean_line(str(exc))
        # Some reasons say so already ("... not saved, ...").
        return StoryEdited(None, reason if "not saved" in reason.casefold() else f"Not saved: {reason}")
    except Exception as exc:
        # A file the editor cannot handle is told, never a crash; nothing
        # was written, since writing is the editor's last step.
        return StoryEdited(None, f"Not saved: {editor.path}: {clean_line(str(exc)) or type(exc).__name__}")
    notice = f"{done} in {edited.path}."
    if edited.copied_from is not None:
        notice += (
            f" First edit: the bundled {edited.copied_from.name} was copied to {edited.path}"
            " (the bundled file is never edited), and briefing reads the copy from now on."
        )
    return StoryEdited(edited.config, notice)


def _apply(editor: StoryEditor, edit: StoryEdit) -> tuple[Edited, str]:
    name = _quoted(edit.name)
    if edit.what == "actor":
        return editor.add_actor(edit.name, edit.kind, edit.role, edit.aliases), f"Added {name} to the story's actors"
    if edit.what == "alias":
        return editor.add_alias(edit.actor, edit.name), f"Added {name} as another name of {_quoted(edit.actor)}"
    if edit.what == "ignore":
        return editor.ignore_name(edit.name), f"{name} will not be proposed again: ignored"
    if edit.what == "keyword":
        return editor.add_keyword(edit.name), f"Added the keyword {name}"
    if edit.what == "question":
        return editor.add_question(edit.name, edit.terms), f"Added the question {name}"
    raise ConfigEditError(f"no such edit: {edit.what!r}")


def _quoted(text: str) -> str:
    return f"“{shorten(clean_line(text), NAME_MAX)}”"
