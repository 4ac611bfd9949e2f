"""Dates in sentences, and the story's timeline built from them.

A sentence's date comes from the text when it says one: "February 4,
2025", "4 February" (the year nearest the article's date), "on Tuesday"
(the latest Tuesday on or before the article's date, or the next one when
the sentence speaks of the future: "will", "is set to", "next Tuesday"),
"yesterday", "today", "tomorrow", and "in December 2024" / "in December"
(month granularity: the first of the month). "Last month", "last week" and
bare years are too vague and are skipped.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from briefing.analysis.words import MONTHS, WEEKDAYS

_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.? {_DAY},? (\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY} {_MONTH}\.?,? (\d{{4}})\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\.? {_DAY}\b(?!,? \d)")
_DAY_MONTH = re.compile(rf"\b{_DAY} {_MONTH}\b(?!\.?,? \d)")
_MONTH_YEAR = re.compile(rf"\b(?:in|since|until|by|from|during|early|late|mid-|of) {_MONTH},? (\d{{4}})\b")
_MONTH_ONLY = re.compile(rf"\b(?:in|since|until|by|from|during|early|late|mid-|last) {_MONTH}\b(?!\.? ?\d)")
_WEEKDAY = re.compile(r"\b(?:(next|last|this) )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE = re.compile(r"\b(yesterday|today|tomorrow)\b", re.IGNORECASE)
_ANY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)|"
    r"yesterday|today|tomorrow",
    re.IGNORECASE,
)
# "Is not expected to ... on Tuesday" speaks of the coming Tuesday as much
# as "is expected to" does.
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|(?:is|are)(?: not| un)? ?(?:set|due|expected|likely|scheduled|poised)|"
    r"plans? to|upcoming|next)\b",
    re.IGNORECASE,
)


def date_in(sentence: str, when: datetime, anchored: bool = True) -> tuple[date, str] | None:
    """The date a sentence speaks of, with granularity "d" (day) or "m" (month).

    `when` is the article's date. When it is not really known (`anchored`
    false: an imported file's import time), only dates that name their year
    are read; "on Tuesday" or "4 February" could be any year's.
    """
    if not _ANY.search(sentence):
        return None  # most sentences: one cheap search instead of nine
    ref = when.date()
    for pattern, order in ((_MONTH_DAY_YEAR, "mdy"), (_DAY_MONTH_YEAR, "dmy")):
        match = pattern.search(sentence)
        if match:
            parts = dict(zip(order, match.groups(), strict=False))
            found = _make(int(parts["y"]), MONTHS[parts["m"].lower().rstrip(".")], int(parts["d"]))
            if found:
                return found, "d"
    if not anchored:
        match = _MONTH_YEAR.search(sentence)
        found = _make(int(match.group(2)), MONTHS[match.group(1).lower()], 1) if match else None
        return (found, "m") if found else None
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        match = pattern.search(sentence)
        if match:
            parts = dict(zip(order, match.groups(), strict=False))
            found = _nearest_year(ref, MONTHS[parts["m"].lower()], int(parts["d"]))
            if found:
                return found, "d"
    future = bool(_FUTURE.search(sentence))
    match = _WEEKDAY.search(sentence)
    if match:
        target = WEEKDAYS[match.group(2).lower()]
        if match.group(1) == "next" or (future and match.group(1) != "last"):
            ahead = (target - ref.weekday()) % 7 or (7 if match.group(1) == "next" else 0)
            return ref + timedelta(days=ahead), "d"
        return ref - timedelta(days=(ref.weekday() - target) % 7), "d"
    match = _RELATIVE.search(sentence)
    if match:
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[match.group(1).lower()]
        return ref + timedelta(days=shift), "d"
    match = _MONTH_YEAR.search(sentence)
    if match:
        found = _make(int(match.group(2)), MONTHS[match.group(1).lower()], 1)
        if found:
            return found, "m"
    match = _MONTH_ONLY.search(sentence)
    if match:
        month = MONTHS[match.group(1).lower()]
        year = ref.year if month <= ref.month else ref.year - 1
        return date(year, month, 1), "m"
    return None


def _make(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(ref: date, month: int, day: int) -> date | None:
    options = [d for d in (_make(ref.year + k, month, day) for k in (-1, 0, 1)) if d]
    return min(options, key=lambda d: abs((d - ref).days)) if options else None


def as_datetime(iso: str) -> datetime:
    y, m, d = (int(x) for x in iso.split("-"))
    return datetime(y, m, d, tzinfo=UTC)


def short(text: str, limit: int = 200) -> str:
    """A sentence cut at a word boundary, for a timeline line."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
