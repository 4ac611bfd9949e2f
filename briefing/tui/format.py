"""Small helpers that turn plain values into Rich Text for the screen.

Feed text only ever enters the screen through Text(...) built here, after the
sanitiser: never through markup parsing.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from briefing.model import Cited
from briefing.text.sanitize import clean_line, clean_text


def when(value: datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "undated"
    local = value.astimezone()
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")


# The most of one line of feed text (a title, a source, an author, a name)
# that is drawn: the rest is cut with an ellipsis, so that one hostile title
# cannot fill a list with thousands of lines.
LINE_MAX = 300
# A sentence cited from an article (the summary, evidence, a quotation).
SENTENCE_MAX = 1_000
# A name in a list of outlets.
NAME_MAX = 80
# A link is shown by its start and its end, with an ellipsis between: where
# it goes and what it asks for both stay in view.
LINK_MAX = 200


def shorten(value: str, limit: int) -> str:
    """The value, or its first `limit` characters with an ellipsis at the end."""
    if len(value) <= limit:
        return value
    return value[: max(0, limit - 1)].rstrip() + "…"


def shorten_middle(value: str, limit: int) -> str:
    """The value, or its start and its end with an ellipsis between."""
    if len(value) <= limit:
        return value
    tail = (limit - 1) // 3
    return value[: limit - 1 - tail] + "…" + value[len(value) - tail :]


def plain(value: str | None, style: str = "", limit: int = LINE_MAX) -> Text:
    """Feed text as inert Text: cleaned, never parsed as markup, and cut at
    `limit` characters. The style is a span over this text only, so what is
    appended later does not inherit it."""
    text = Text(shorten(clean_line(value), limit))
    if style:
        text.stylize(style)
    return text


def plain_link(value: str, style: str = "") -> Text:
    """A link as inert Text, its middle left out when it is long."""
    text = Text(shorten_middle(clean_line(value), LINK_MAX))
    if style:
        text.stylize(style)
    return text


def paragraph(value: str | None, style: str = "") -> Text:
    text = Text(clean_text(value))
    if style:
        text.stylize(style)
    return text


# A widely syndicated story can be in dozens of outlets; a line names a few.
OUTLETS_NAMED = 3


def outlet_list(names, named: int = OUTLETS_NAMED) -> str:
    """'A, B, C and 36 more' (every name when there are few)."""
    names = [shorten(clean_line(n), NAME_MAX) for n in names]
    if len(names) <= named + 1:
        return ", ".join(names)
    return f"{', '.join(names[:named])} and {len(names) - named} more"


def citation(item: Cited) -> Text:
    sources = outlet_list((item.source, *item.also))
    # The names are cut one by one (NAME_MAX): the date after them stays.
    cite = plain(f"{sources} · {when(item.published)}", "dim italic", limit=SENTENCE_MAX)
    if len(item.copies) > 1:
        # Enter asks which outlet's copy to open.
        cite.append(f" · {len(item.copies)} copies", style="dim italic")
    if item.new:
        cite.append("  new", style="bold green")
    return cite


def cited_block(item: Cited) -> Text:
    """A sentence followed on its own line by where it came from."""
    block = plain(item.text, limit=SENTENCE_MAX)
    block.append("\n")
    block.append_text(citation(item))
    return block
