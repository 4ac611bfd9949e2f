"""Mark the story's actors in an article's text, whatever the diacritics:
"Erdogan" in the text is found for the actor "Erdoğan"."""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

from briefing.config import Story

_EXTRA = str.maketrans({"ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "ß": "s"})


def _fold_char(ch: str) -> str:
    kept = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    low = (kept or ch)[:1].lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """Lower-case and drop accents, one output character per input character,
    so that positions in the folded text are positions in the original."""
    if text.isascii():
        return text.lower()
    text = text.translate(_EXTRA)
    # Each distinct character is folded once and the text translated in one
    # pass: a character at a time in Python took seconds on a long article.
    return text.translate({ord(ch): _fold_char(ch) for ch in set(text)})


def actor_pattern(story: Story) -> re.Pattern | None:
    names = {fold(n) for actor in story.actors for n in (actor.name, *actor.aliases) if len(n) > 2}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def highlight_actors(text: Text, story: Story, style: str = "bold yellow") -> Text:
    return mark_actors(text, actor_pattern(story), style)


def mark_actors(text: Text, pattern: re.Pattern | None, style: str = "bold yellow") -> Text:
    """highlight_actors with the pattern made once, for text in many pieces."""
    if pattern is None:
        return text
    folded = fold(text.plain)
    if len(folded) != len(text.plain):
        return text
    for match in pattern.finditer(folded):
        text.stylize(style, match.start(), match.end())
    return text
