"""Panel 2: the key actors, most prominent first, as columns: mentions,
articles, name, role. The counts come first so that a narrow panel cuts the
words, not the numbers. Under them, the names the articles keep mentioning
that the story file does not list (each opens like an actor), and a row for
the quotes of speakers who are not story actors."""

from __future__ import annotations

from rich.text import Text

from briefing.model import ActorView, Briefing, Quote
from briefing.tui.format import plain
from briefing.tui.panels.base import Panel
from briefing.tui.widgets.row_list import note

_HEADINGS = ("Ment.", "Art.", "Name", "Role")
# A name longer than this is cut with an ellipsis, so the counts stay in view.
NAME_WIDTH_MAX = 28
# Row keys: an actor's is its name; a name the story file does not list and
# the other voices' row are told apart by these.
OTHER = "other:"
OTHER_QUOTES = "other-quotes"


class ActorsPanel(Panel):
    number = 2
    heading = "Key actors"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actors: dict[str, ActorView] = {}
        self.other_quotes: tuple[Quote, ...] = ()

    def show(self, briefing: Briefing) -> None:
        listed, others = briefing.actors, briefing.others
        self.actors = {actor.name: actor for actor in listed}
        self.actors.update({OTHER + other.name: other for other in others})
        self.other_quotes = briefing.other_quotes
        every = (*listed, *others)
        names = [_name(actor) for actor in every]
        # Each column as wide as its heading or its widest cell.
        widths = (
            max([len(_HEADINGS[0])] + [len(str(a.mentions)) for a in every]),
            max([len(_HEADINGS[1])] + [len(str(a.articles)) for a in every]),
            min(NAME_WIDTH_MAX, max([len(_HEADINGS[2])] + [n.cell_len for n in names])),
        )
        mentions, articles, name, role = (Text(h) for h in _HEADINGS)
        heading = _line(mentions, articles, name, role, widths)
        heading.stylize("bold")
        self.set_header(heading)
        rows: list[tuple[str | None, Text]] = [
            (actor.name, _actor_line(actor, names[index], widths)) for index, actor in enumerate(listed)
        ]
        if not rows:
            rows += note("No actors named in the relevant articles yet.")
        if others:
            rows.append((None, Text(f"Also mentioned, not in the story file ({len(others)})", style="bold")))
            rows += [
                (OTHER + other.name, _actor_line(other, names[len(listed) + index], widths))
                for index, other in enumerate(others)
            ]
        if self.other_quotes:
            speakers = len({q.speaker for q in self.other_quotes})
            line = Text(f"Quotes by people not in the story file: {len(self.other_quotes)} from {speakers}")
            line.stylize("italic")
            rows.append((OTHER_QUOTES, line))
        self.set_rows(rows)
        subtitle = f"{sum(1 for a in listed if a.mentions)} active"
        if others:
            subtitle += f" · {len(others)} not listed"
        self.border_subtitle = subtitle

    def selected_actor(self) -> ActorView | None:
        return self.actors.get(self.highlighted_key or "")

    def other_quotes_selected(self) -> bool:
        return self.highlighted_key == OTHER_QUOTES


def _actor_line(actor: ActorView, name: Text, widths: tuple[int, int, int]) -> Text:
    return _line(
        Text(str(actor.mentions)),
        Text(str(actor.articles)),
        name,
        plain(actor.role or actor.kind, "" if actor.role else "dim italic"),
        widths,
    )


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
