"""Forms that grow the story from the dashboard: a name the text keeps
mentioning added as an actor, as another actor's alias, or ignored; a
keyword; an open question. Each form answers with a plain StoryEdit for
the app to save (config_edit.py does the writing, off the screen's thread),
or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from briefing.config import ACTOR_KINDS
from briefing.record import record


@record
class StoryEdit:
    """One edit the user asked for: `what` is "actor", "alias", "ignore",
    "keyword" or "question"; the other fields are what that edit needs."""

    what: str
    name: str = ""
    kind: str = "person"
    role: str = ""
    aliases: tuple[str, ...] = ()
    actor: str = ""  # for an alias: whose
    terms: tuple[str, ...] = ()


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class AddNameScreen(ModalScreen[StoryEdit | None]):
    """A name from "also mentioned": add it as an actor (kind and role
    proposed from the text, editable), as an alias of a story actor, or to
    the names never proposed again."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, name: str, kind: str, role: str | None, actors: tuple[str, ...]) -> None:
        super().__init__()
        self.proposed_name = name
        self.kind = kind
        self.role = role or ""
        self.actors = actors

    def compose(self) -> ComposeResult:
        with Vertical(id="story-edit", classes="story-form"):
            yield Static(Text.assemble(("Add to the story: ", "bold"), self.proposed_name))
            yield Label("Name")
            yield Input(self.proposed_name, id="edit-name")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Kind (proposed from the text)")
                    yield Select([(k, k) for k in ACTOR_KINDS], value=self.kind, allow_blank=False, id="edit-kind")
                with Vertical():
                    yield Label("Role (optional)")
                    yield Input(self.role, id="edit-role")
            yield Label("Other spellings, comma separated (optional)")
            yield Input("", id="edit-aliases")
            yield Button("Add as an actor", id="as-actor", variant="primary")
            if self.actors:
                yield Label("…or as another way of writing")
                yield Select([(a, a) for a in self.actors], prompt="an actor of the story", id="edit-actor")
                yield Button("Add as that actor's alias", id="as-alias")
            yield Button("Ignore this name: stop proposing it", id="as-ignored")
            yield Static(Text("Esc: cancel. Saved to your feeds.toml, comments kept.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#edit-name", Input).focus()

    @on(Button.Pressed, "#as-actor")
    def _as_actor(self) -> None:
        kind = self.query_one("#edit-kind", Select).value
        self.dismiss(
            StoryEdit(
                "actor",
                name=self.query_one("#edit-name", Input).value,
                kind=kind if isinstance(kind, str) else "person",
                role=self.query_one("#edit-role", Input).value,
                aliases=_split(self.query_one("#edit-aliases", Input).value),
            )
        )

    @on(Button.Pressed, "#as-alias")
    def _as_alias(self) -> None:
        actor = self.query_one("#edit-actor", Select).value
        if not isinstance(actor, str):
            self.notify("Choose the actor this name is another way of writing", severity="warning")
            return
        self.dismiss(StoryEdit("alias", name=self.query_one("#edit-name", Input).value, actor=actor))

    @on(Button.Pressed, "#as-ignored")
    def _as_ignored(self) -> None:
        self.dismiss(StoryEdit("ignore", name=self.proposed_name))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddToStoryScreen(ModalScreen[StoryEdit | None]):
    """A keyword, or an open question with the terms its evidence is found by."""

    CSS_PATH = "screens.tcss"
    BINDINGS = [("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="story-add", classes="story-form"):
            yield Static(Text("Add to the story", style="bold"))
            yield Label("A keyword: a word or phrase that makes an article part of the story")
            yield Input("", id="edit-keyword")
            yield Button("Add the keyword", id="as-keyword", variant="primary")
            yield Label("…or an open question, and the terms (comma separated) that bear on it")
            yield Input("", placeholder="Will the port reopen before the holidays?", id="edit-question")
            yield Input("", placeholder="reopen, port, sailings", id="edit-terms")
            yield Button("Add the question", id="as-question")
            yield Static(Text("Esc: cancel. Saved to your feeds.toml, comments kept.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#edit-keyword", Input).focus()

    @on(Input.Submitted, "#edit-keyword")
    @on(Button.Pressed, "#as-keyword")
    def _as_keyword(self) -> None:
        self.dismiss(StoryEdit("keyword", name=self.query_one("#edit-keyword", Input).value))

    @on(Input.Submitted, "#edit-terms")
    @on(Button.Pressed, "#as-question")
    def _as_question(self) -> None:
        self.dismiss(
            StoryEdit(
                "question",
                name=self.query_one("#edit-question", Input).value,
                terms=_split(self.query_one("#edit-terms", Input).value),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
