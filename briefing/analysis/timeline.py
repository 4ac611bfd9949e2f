"""Dates in sentences, and the story's timeline built from them.

A sentence's date comes from the text when it says one: "February 4,
2025", "4 February" (the year nearest the article's date), "on Tuesday",
"yesterday", "today", "tomorrow", "in December 2024" / "in December" (month
precision) and "in 2019" / "since 2011" (year precision). A month or a
year is kept as such (granularity "m" or "y", dated to its first day only
to be sorted): the text gave no day and none is made up. "Last month" and
"last week" are too vague and are skipped.

A weekday is placed as a reader would, by the tense of its own clause
(not of the whole sentence: in "the Kremlin said on Monday that talks would
continue" Monday belongs to "said"): the coming one for a plain future
("will meet on Thursday", "is expected to ... on Tuesday", "next Monday"),
the nearer of the two for a future seen from the past ("said talks would
resume on Monday": tomorrow in a Sunday article, two days ago in a
Wednesday one), else the latest on or before the article's date.

`event_date` is the date of something that happened or will: it declines
a date whose clause is negated ("is not expected to be finalised on
Tuesday" places nothing on Tuesday) and one whose clause carries a
background figure ("inflation stood at 5.1 percent in October": a
statistic's period, not an event).
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
# A bare year after a preposition; not a figure ("in 2019 dollars" aside,
# "by 2030 percent" does not occur) nor part of a longer number.
_YEAR_ONLY = re.compile(r"\b(?:in|since|until|by|from|during|early|late|mid-|of) ((?:19|20|21)\d\d)\b(?![.,]?\d|-)")
_WEEKDAY = re.compile(r"\b(?:(next|last|this) )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE = re.compile(r"\b(yesterday|today|tomorrow)\b", re.IGNORECASE)
_ANY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)|"
    r"yesterday|today|tomorrow|\b(?:19|20|21)\d\d\b",
    re.IGNORECASE,
)
# What ends a clause before or after a date: punctuation, and the words
# that open a new one ("said on Monday that talks would ...").
_CLAUSE_EDGE = re.compile(
    r"[,;:()\u2014\u2013\"\u201c\u201d]|\s-\s|"
    r"\b(?:that|and|but|while|whereas|which|who|because|although|though|when|where|after|before)\b",
    re.IGNORECASE,
)
_BE = r"(?:is|are|am|'s|'re|be|been)"
_WAS = r"(?:was|were)"
_PLANNED = r"(?:set|due|expected|likely|unlikely|scheduled|poised|slated|planned|going|to)"
# A future seen from the article's day.
_FUTURE = re.compile(
    rf"\b(?:will|shall|won't|{_BE}(?: not)? ?{_PLANNED}|plans? to|intends? to|aims? to|upcoming|next)\b|'ll\b",
    re.IGNORECASE,
)
# A future seen from a past moment (reported speech, a plan that was).
_PAST_FUTURE = re.compile(rf"\b(?:would|wouldn't|{_WAS}(?: not)? ?{_PLANNED})\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no|unlikely|neither|nor|without)\b|n't\b", re.IGNORECASE)
# Background figures: a percentage, a count in millions, a level that
# "stood at" some number. `_FIGURE` is any of them (enough to make a
# month's or a year's sentence background); `_STATISTIC` one that a verb
# of level states ("stood at 5.1 percent", "rose to 2 million"), which
# makes a day's clause a statistic rather than an event.
# (A number starts where no digit is before it: a long run of digits is
# then read once, not once from each of its digits.)
_AMOUNT = r"(?<![\d.,])\d[\d.,]*\s?(?:%|percent\b|per cent\b|percentage points?\b|million\b|billion\b|trillion\b|bn\b)"
_FIGURE = re.compile(_AMOUNT + r"|\b(?:stood|stands|averaged|totalled|totaled)\s+(?:at\s+)?\d", re.IGNORECASE)
_STATISTIC = re.compile(
    r"\b(?:stood|stands|standing|averaged|totalled|totaled|peaked|peaking|was|were|is|are|rose|fell|grew|"
    r"dropped|climbed|declined|increased|decreased|reached|hit)\b[^.]{0,30}?" + _AMOUNT,
    re.IGNORECASE,
)


def date_in(sentence: str, when: datetime, anchored: bool = True) -> tuple[date, str] | None:
    """The date a sentence speaks of, with granularity "d" (day), "m"
    (month) or "y" (year), read as its clause's tense says.

    `when` is the article's date. When it is not really known (`anchored`
    false: an imported file's import time), only dates that name their year
    are read; "on Tuesday" or "4 February" could be any year's.
    """
    found = _find(sentence, when, anchored)
    return (found[0], found[1]) if found else None


# A state held "since" a year further back than this is background.
_RECENT_YEARS = 2


def event_date(sentence: str, when: datetime, anchored: bool = True) -> tuple[date, str] | None:
    """The date of an event the sentence reports: `date_in`, less dates in
    a negated clause, or beside a background figure."""
    found = _find(sentence, when, anchored)
    if not found:
        return None
    start, end = _clause(sentence, found[2], found[3])
    clause = sentence[start:end]
    # A month or a year is where statistics live ("peaked at 3.8 million in
    # 2022" after "since 2011"): any figure in the sentence makes it
    # background. A day's event keeps a figure beside it ("rejected a 4
    # percent offer on Tuesday") unless its own clause states a level.
    if _STATISTIC.search(clause) if found[1] == "d" else _FIGURE.search(sentence):
        return None
    since = sentence.startswith("since", found[2])
    if not since and _NEGATED.search(clause):
        return None  # "has not ... since December" still dates a state; a negated event is none
    if since and found[1] == "y" and when.year - found[0].year > _RECENT_YEARS:
        return None  # "an insurgency since 1984": a long-standing state, background to the story
    return found[0], found[1]


def _find(sentence: str, when: datetime, anchored: bool) -> tuple[date, str, int, int] | None:
    """The date, its granularity, and where the text says it."""
    if not _ANY.search(sentence):
        return None  # most sentences: one cheap search instead of ten
    ref = when.date()
    for pattern, order in ((_MONTH_DAY_YEAR, "mdy"), (_DAY_MONTH_YEAR, "dmy")):
        match = pattern.search(sentence)
        if match:
            parts = dict(zip(order, match.groups(), strict=False))
            found = _make(int(parts["y"]), MONTHS[parts["m"].lower().rstrip(".")], int(parts["d"]))
            if found:
                return found, "d", match.start(), match.end()
    if not anchored:
        match = _MONTH_YEAR.search(sentence)
        found = _make(int(match.group(2)), MONTHS[match.group(1).lower()], 1) if match else None
        if match and found:
            return found, "m", match.start(), match.end()
        return _year(sentence)
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        match = pattern.search(sentence)
        if match:
            parts = dict(zip(order, match.groups(), strict=False))
            found = _nearest_year(ref, MONTHS[parts["m"].lower()], int(parts["d"]))
            if found:
                return found, "d", match.start(), match.end()
    match = _WEEKDAY.search(sentence)
    if match:
        return _weekday(sentence, match, ref), "d", match.start(), match.end()
    match = _RELATIVE.search(sentence)
    if match:
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[match.group(1).lower()]
        return ref + timedelta(days=shift), "d", match.start(), match.end()
    match = _MONTH_YEAR.search(sentence)
    if match:
        found = _make(int(match.group(2)), MONTHS[match.group(1).lower()], 1)
        if found:
            return found, "m", match.start(), match.end()
    match = _MONTH_ONLY.search(sentence)
    if match:
        month = MONTHS[match.group(1).lower()]
        year = ref.year if month <= ref.month else ref.year - 1
        return date(year, month, 1), "m", match.start(), match.end()
    return _year(sentence)


def _year(sentence: str) -> tuple[date, str, int, int] | None:
    match = _YEAR_ONLY.search(sentence)
    if match:
        found = _make(int(match.group(1)), 1, 1)
        if found:
            return found, "y", match.start(), match.end()
    return None


def _weekday(sentence: str, match: re.Match, ref: date) -> date:
    target = WEEKDAYS[match.group(2).lower()]
    ahead = (target - ref.weekday()) % 7
    back = (ref.weekday() - target) % 7
    which = match.group(1)
    if which == "next":
        return ref + timedelta(days=ahead or 7)
    if which == "last":
        return ref - timedelta(days=back or 7)
    start, end = _clause(sentence, match.start(), match.end())
    clause = sentence[start:end]
    if _PAST_FUTURE.search(clause):
        return ref + timedelta(days=ahead) if ahead <= back else ref - timedelta(days=back)
    if _FUTURE.search(clause):
        return ref + timedelta(days=ahead)
    return ref - timedelta(days=back)


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause around sentence[start:end]: from the last
    clause edge before it to the first after it (one pass over the sentence)."""
    left, right = 0, len(sentence)
    for edge in _CLAUSE_EDGE.finditer(sentence):
        if edge.end() <= start:
            left = edge.end()
        elif edge.start() >= end:
            right = edge.start()
            break
    return left, right


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
