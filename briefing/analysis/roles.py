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
_CLAUSE_BREAK = re.compile(r"[,;:()—–\"“”]")
_NOT_APPOSITIVE = frozenset("""
who which that whose whom where when while speaking said says added according
after before as and but or if because although since
""".split())
_DETERMINERS = ("the ", "The ", "a ", "A ", "an ", "An ")


def role_near(sentence: str, start: int, end: int) -> str | None:
    """A role for the name at sentence[start:end], or None."""
    before = sentence[:start]
    after = sentence[end:]
    if before.rstrip().endswith(",") and after.startswith((",", ".")):
        role = _clause_role(_CLAUSE_BREAK.split(before.rstrip()[:-1])[-1])
        if role:
            return role
    if after.startswith(", "):
        clause = after[2:]
        cut = _CLAUSE_BREAK.search(clause)
        if cut and clause[cut.start()] == ",":
            role = _clause_role(clause[:cut.start()])
            if role:
                return role
    return _title_role(before)


def _clause_role(clause: str) -> str | None:
    clause = clause.strip()
    for det in _DETERMINERS:
        if clause.startswith(det):
            clause = clause[len(det):]
            break
    words = clause.split()
    if not words or len(words) > _MAX_WORDS:
        return None
    if fold(words[0]) in _NOT_APPOSITIVE:
        return None
    if not any(fold(w.strip(".")) in ROLE_HEADS for w in words):
        return None
    return clause


def _title_role(before: str) -> str | None:
    words = before.split()
    if not words or fold(words[-1]) not in ROLE_HEADS or not words[-1][:1].isalpha():
        return None
    taken = [words[-1]]
    for word in reversed(words[:-1]):
        if len(taken) >= 6 or word[-1:] in ",;:.\"“”()":
            break
        lower = fold(word)
        possessive = lower.endswith("'s")
        if word[:1].isupper() and lower not in SENTENCE_OPENERS and lower not in MONTHS \
                and lower not in WEEKDAYS:
            taken.append(word)
        elif possessive or lower in ROLE_MODIFIERS:
            taken.append(word)
        else:
            break
    return " ".join(reversed(taken))
