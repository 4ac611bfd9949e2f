"""What the user typed in a search, read into a query: words (all of them
must be there), `"exact phrases"`, `OR` between two terms, `-word` to leave
out, and `prefix*`.

Words are folded as the actor matcher folds them (text/fold.py), the same
fold the search index was built with, so "Ostkai" finds "Østkai". The FTS5
query made from them quotes every word: nothing the user types is read as
FTS5 syntax. The index keeps no word positions (detail=column), so a phrase
is asked of FTS5 as its words, and `matches` then checks the words stand
together in the article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.record import record
from briefing.text.fold import fold, fold_with_origins

# More would make a query that costs more than any search is worth.
MAX_TERMS = 32
_WORD = re.compile(r"[^\W_]+")
# What stands between two words of a phrase in folded text.
_GAP = r"[\W_]+"
_START = r"(?<![^\W_])"
_END = r"(?![^\W_])"
# Typographic quotes, as some keyboards and phones type them, are quotes too.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


class SearchSyntaxError(ValueError):
    """A search that cannot be read. str() is the one line to show."""


@record
class Term:
    words: tuple[str, ...]  # folded; more than one: they must stand together
    prefix: bool = False  # the last word may go on ("negotiat*")
    negated: bool = False

    def pattern(self) -> str:
        body = _GAP.join(re.escape(w) for w in self.words)
        return _START + body + (r"[^\W_]*" if self.prefix else _END)

    def fts(self) -> str:
        quoted = ['"' + w.replace('"', '""') + '"' for w in self.words]
        if self.prefix:
            quoted[-1] += "*"
        return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


@record
class SearchQuery:
    groups: tuple[tuple[Term, ...], ...]  # every group must match; in a group, any term
    excluded: tuple[Term, ...] = ()

    @property
    def checks_text(self) -> bool:
        """Whether FTS5's answer must be checked against the text: a phrase
        (its words may be apart) or an excluded phrase."""
        terms = [t for g in self.groups for t in g] + list(self.excluded)
        return any(len(t.words) > 1 for t in terms)

    def fts(self, title_only: bool = False) -> str:
        """The FTS5 MATCH expression; with title_only, the wanted terms in titles."""
        wanted = " AND ".join("(" + " OR ".join(t.fts() for t in group) + ")" for group in self.groups)
        if title_only:
            wanted = f"title : ({wanted})"
        # A phrase left out is checked against the text (matches): left out
        # by its words, an article with those words anywhere would be lost.
        for term in self.excluded:
            if len(term.words) == 1:
                wanted = f"({wanted}) NOT {term.fts()}"
        return wanted

    def matches(self, title: str, text: str) -> bool:
        """The check FTS5 cannot make: phrases whole, in the title or the text."""
        folded = (fold(title), fold(text))
        for group in self.groups:
            if not any(_found(term, folded) for term in group):
                return False
        return not any(_found(term, folded) for term in self.excluded)

    def marks(self, text: str) -> list[tuple[int, int]]:
        """Where the wanted terms are in `text` (start, end), in order, for
        highlighting."""
        folded, origins = fold_with_origins(text)
        found: list[tuple[int, int]] = []
        for match in self._pattern().finditer(folded):
            if match.end() > match.start():
                found.append((origins[match.start()], origins[match.end() - 1] + 1))
        return found

    def first(self, folded: str) -> int | None:
        """Where the first wanted term starts in already folded text."""
        match = self._pattern().search(folded)
        return match.start() if match else None

    def _pattern(self) -> re.Pattern[str]:
        return _alternatives(tuple(sorted({t.pattern() for g in self.groups for t in g}, key=len, reverse=True)))


@lru_cache(maxsize=64)
def _alternatives(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(patterns))


def _found(term: Term, folded: tuple[str, str]) -> bool:
    pattern = _alternatives((term.pattern(),))
    return any(pattern.search(part) for part in folded)


def parse_query(text: str) -> SearchQuery | None:
    """The query, or None when there is nothing to search for (a blank
    line). Raises SearchSyntaxError with the reason in one line."""
    items = _items(text)
    if not items:
        return None
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # the last item was OR
    for index, item in enumerate(items):
        if item == "OR":
            before = items[index - 1] if index else None
            after = items[index + 1] if index + 1 < len(items) else None
            if not isinstance(before, Term) or not isinstance(after, Term):
                raise SearchSyntaxError("OR needs a word on each side, as in: Ankara OR Damascus")
            if before.negated or after.negated:
                raise SearchSyntaxError("-word cannot be one side of OR; put it apart: Ankara OR Damascus -Moscow")
            joining = True
            continue
        assert isinstance(item, Term)
        if item.negated:
            excluded.append(item)
        elif joining:
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False
    if not groups:
        raise SearchSyntaxError("only words to leave out (-word): add a word to search for")
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise SearchSyntaxError(f"too many words: a search takes at most {MAX_TERMS}")
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _items(text: str) -> list[Term | str]:
    """The terms of the query, and "OR" where it stands between them."""
    items: list[Term | str] = []
    text = text.translate(_QUOTES)
    i, n = 0, len(text)
    had_words = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise SearchSyntaxError('a quote is not closed: end the phrase with " (or remove the opening ")')
            words = tuple(_WORD.findall(fold(text[i + 1 : close])))
            if not words:
                raise SearchSyntaxError('empty quotes: put the exact words between them, as in "border crossing"')
            items.append(Term(words, negated=negated))
            had_words = True
            i = close + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        raw = text[i:end]
        i = end
        if raw == "OR" and not negated:
            items.append("OR")
            continue
        prefix = raw.endswith("*")
        core = raw.rstrip("*")
        if "*" in core or (prefix and not _WORD.search(core)):
            raise SearchSyntaxError("* goes at the end of a word, as in negotiat*")
        words = tuple(_WORD.findall(fold(core)))
        if words:
            items.append(Term(words, prefix=prefix, negated=negated))
            had_words = True
    if not items and text.strip() and not had_words:
        raise SearchSyntaxError("nothing to search for: type a word")
    return items
