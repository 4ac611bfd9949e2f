"""Names of news outlets inside a sentence.

"Sources told The Times of Israel ..." is about Türkiye and Syria, not about
Israel; "Daily Sabah reported ..." does not mention Sabah. Words that are part
of an outlet's name must not count as mentions of an actor or as evidence for
a question. An outlet's name is recognised by its shape: a run of capitalised
words (joined by "of", "the", "al", "de") that holds one of the words outlets
name themselves with ("Times", "Post", "News", "Agency", ...).
"""

from __future__ import annotations

import re

# Words that make a capitalised run an outlet's name. Kept to words that are
# rarely anything else when capitalised inside a name.
_OUTLET_WORDS = (
    "Times",
    "Post",
    "News",
    "Daily",
    "Herald",
    "Journal",
    "Telegraph",
    "Tribune",
    "Gazette",
    "Agency",
    "Press",
    "Monitor",
    "Hayom",
    "Sabah",
    "Haber",
    "Ajansı",
    "Ajansi",
    "TV",
    "Television",
    "Radio",
    "Broadcasting",
    "Observer",
    "Chronicle",
    "Courier",
    "Dispatch",
    "Express",
    "Wire",
    "Insider",
)
_HAS_OUTLET_WORD = re.compile(r"\b(?:" + "|".join(_OUTLET_WORDS) + r")\b")
_OUTLET_WORD = frozenset(_OUTLET_WORDS)
# A capitalised word, or a short joining word between two of them.
_CAPITALISED_RUN = re.compile(r"(?:The )?[A-Z][\w'’.-]*(?:(?: (?:of|the|de|al|el|for))* [A-Z][\w'’.-]*)*")


def outlet_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of every outlet's name in the sentence."""
    if not _HAS_OUTLET_WORD.search(sentence):
        return []  # nearly every sentence: one search
    spans = []
    for run in _CAPITALISED_RUN.finditer(sentence):
        words = run.group().split()
        if len(words) >= 2 and any(word.rstrip(".,'’") in _OUTLET_WORD for word in words):
            spans.append((run.start(), run.end()))
    return spans
