"""Panel 2: the key actors, most prominent first, as columns: mentions,
articles, name, role. The counts come first so that a narrow panel cuts the
words, not the numbers."""

from __future__ import annotations

from rich.text import Text

from briefing.model import ActorView, Briefing
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel
from briefing.tui.widgets.row_list import note

_HEADINGS = ("Ment.", "Art.", "Name", "Role")
# A name longer than this is cut with an ellipsis, so the counts stay in view.
NAME_WIDTH_MAX = 28


class ActorsPanel(Panel):
    number = 2
    heading = "Key actors"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actors: dict[str, ActorView] = {}

    def show(self, briefing: Briefing) -> None:
        self.actors = {actor.name: actor for actor in briefing.actors}
        names = {actor.name: _name(actor) for actor in briefing.actors}
        # Each column as wide as its heading or its widest cell.
        widths = (
            max([len(_HEADINGS[0])] + [len(str(a.mentions)) for a in briefing.actors]),
            max([len(_HEADINGS[1])] + [len(str(a.articles)) for a in briefing.actors]),
            min(NAME_WIDTH_MAX, max([len(_HEADINGS[2])] + [n.cell_len for n in names.values()])),
        )
        mentions, articles, name, role = (Text(h) for h in _HEADINGS)
        heading = _line(mentions, articles, name, role, widths)
        heading.stylize("bold")
        self.set_header(heading)
        rows = [
            (
                actor.name,
                _line(
                    Text(str(actor.mentions)),
                    Text(str(actor.articles)),
                    names[actor.name],
                    plain(actor.role or actor.kind, "" if actor.role else "dim italic"),
                    widths,
                ),
            )
            for actor in briefing.actors
        ]
        self.set_rows(rows or note("No actors named in the relevant articles yet."))
        self.border_subtitle = f"{sum(1 for a in briefing.actors if a.mentions)} active"

    def selected_actor(self) -> ActorView | None:
        return self.actors.get(self.highlighted_key or "")


def _name(actor: ActorView) -> Text:
    name = plain(actor.name, "bold" if actor.mentions else "dim")
    if actor.new:
        name.append(" •", style="bold green")
    return name


def _line(mentions: Text, articles: Text, name: Text, role: Text, widths: tuple[int, int, int]) -> Text:
    """One row of the columns, counts right-aligned; a long role is cut at the
    right edge with an ellipsis rather than wrapped onto a second line."""
    name = name.copy()
    name.truncate(widths[2], overflow="ellipsis", pad=True)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(" " * (widths[0] - mentions.cell_len))
    line.append_text(mentions)
    line.append(" " * (1 + widths[1] - articles.cell_len))
    line.append_text(articles)
    line.append(" ")
    line.append_text(name)
    line.append(" ")
    line.append_text(role)
    return line
