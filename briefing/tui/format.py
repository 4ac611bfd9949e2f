"""Small helpers that turn plain values into Rich Text for the screen.

Feed text only ever enters the screen through Text(...) built here, after the
sanitiser: never through markup parsing.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from briefing.model import Cited
from briefing.sanitize import clean_line, clean_text


def when(value: datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "undated"
    local = value.astimezone()
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")


def plain(value: str | None, style: str = "") -> Text:
    """Feed text as inert Text: cleaned, never parsed as markup. The style is
    a span over this text only, so what is appended later does not inherit it."""
    text = Text(clean_line(value))
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
    names = [clean_line(n) for n in names]
    if len(names) <= named + 1:
        return ", ".join(names)
    return f"{', '.join(names[:named])} and {len(names) - named} more"


def citation(item: Cited) -> Text:
    sources = outlet_list((item.source, *item.also))
    cite = plain(f"{sources} · {when(item.published)}", "dim italic")
    if item.new:
        cite.append("  new", style="bold green")
    return cite


def cited_block(item: Cited) -> Text:
    """A sentence followed on its own line by where it came from."""
    block = plain(item.text)
    block.append("\n")
    block.append_text(citation(item))
    return block
