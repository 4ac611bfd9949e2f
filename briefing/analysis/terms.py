"""Story keywords and question terms, matched on stemmed, folded tokens.

"air base" meets "Air Bases" and "airbase" only if the story lists it; a
question without terms falls back to the content words of its title.
"""

from __future__ import annotations

from briefing.analysis.names import term_tokens
from briefing.analysis.words import STOPWORDS

_QUESTION_WORDS = frozenset(
    "will would does do did can could should is are was were how what when why who which".split()
)


class TermSet:
    """Terms (tuples of stems) owned by keys; find them in a stem list."""

    def __init__(self) -> None:
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.owners: dict[str, int] = {}  # owner -> number of terms

    def add(self, owner: str, phrase: str) -> None:
        key = tuple(term_tokens(phrase))
        if not key:
            return
        entries = self.index.setdefault(key[0], [])
        if any(k == key and o == owner for k, o in entries):
            return
        entries.append((key, owner))
        entries.sort(key=lambda e: -len(e[0]))
        self.owners[owner] = self.owners.get(owner, 0) + 1

    def find(self, stems: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        """(owner, term) for every occurrence; a term may serve several owners."""
        out = []
        index = self.index
        for i, word in enumerate(stems):
            entries = index.get(word)
            if not entries:
                continue
            for key, owner in entries:
                if len(key) == 1 or tuple(stems[i : i + len(key)]) == key:
                    out.append((owner, key))
        return out


def question_phrases(title: str, terms: tuple[str, ...]) -> list[str]:
    if terms:
        return list(terms)
    words = [w.strip("?.,!:;\"'") for w in title.split()]
    return [w for w in words if w and w.lower() not in STOPWORDS and w.lower() not in _QUESTION_WORDS]
