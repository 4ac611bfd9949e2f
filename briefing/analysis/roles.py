"""The role the text gives a person, from appositives and titles.

Three shapes, all anchored on a job-title noun (minister, president, ...):
  "Syria's new defense minister, Murhaf Abu Qasra, said"   (role, NAME,)
  "Murhaf Abu Qasra, Syria's defense minister, said"       (NAME, role,)
  "Turkish Foreign Minister Hakan Fidan said"              (Title NAME)
"""

from __future__ import annotations

import re

from briefing.analysis.names import fold
from briefing.analysis.words import MONTHS, ROLE_HEADS, ROLE_MODIFIERS, SENTENCE_OPENERS, WEEKDAYS

_MAX_WORDS = 8
_WINDOW = 400  # characters read on each side of a name: more than any role takes
_CLAUSE_BREAK = re.compile(r"[,;:()—–\"“”]")
_NOT_APPOSITIVE = frozenset(
    """
who which that whose whom where when while speaking said says added according
after before as and but or if because although since
""".split()
)
_DETERMINERS = ("the ", "The ", "a ", "A ", "an ", "An ")


def role_near(sentence: str, start: int, end: int) -> str | None:
    """A role for the name at sentence[start:end], or None.

    Only _WINDOW characters on each side are read: a role is a few words,
    and reading the whole sentence for each of the many names a long one
    may hold would cost the square of its length."""
    cut = start > _WINDOW  # whether `before` starts inside the sentence
    before = sentence[max(0, start - _WINDOW) : start]
    after = sentence[end : end + _WINDOW]
    if before.rstrip().endswith(",") and after.startswith((",", ".")):
        clauses = _CLAUSE_BREAK.split(before.rstrip()[:-1])
        # A clause that fills the window is longer than any role.
        role = _clause_role(clauses[-1]) if len(clauses) > 1 or not cut else None
        if role:
            return role
    if after.startswith(", "):
        clause = after[2:]
        stop = _CLAUSE_BREAK.search(clause)
        if stop and clause[stop.start()] == ",":
            role = _clause_role(clause[: stop.start()])
            if role:
                return role
    return _title_role(before, cut)


def _clause_role(clause: str) -> str | None:
    clause = clause.strip()
    for det in _DETERMINERS:
        if clause.startswith(det):
            clause = clause[len(det) :]
            break
    words = clause.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    if fold(words[0]) in _NOT_APPOSITIVE:
        return None
    if not any(fold(w.strip(".")) in ROLE_HEADS for w in words):
        return None
    return clause


def _title_role(before: str, cut: bool = False) -> str | None:
    words = before.split()
    if cut and words and not before[0].isspace():
        words = words[1:]  # the window began inside this word
    if not words or fold(words[-1]) not in ROLE_HEADS or not words[-1][:1].isalpha():
        return None
    taken = [words[-1]]
    for word in reversed(words[:-1]):
        if len(taken) >= 6 or word[-1:] in ',;:."“”()':
            break
        lower = fold(word)
        possessive = lower.endswith("'s")
        if word[:1].isupper() and lower not in SENTENCE_OPENERS and lower not in MONTHS and lower not in WEEKDAYS:
            taken.append(word)
        elif possessive or lower in ROLE_MODIFIERS:
            taken.append(word)
        else:
            break
    return " ".join(reversed(taken))
