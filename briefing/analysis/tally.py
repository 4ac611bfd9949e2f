"""Names the articles keep mentioning that the story file does not list:
running counts, kept as articles come and go.

Spellings that fold alike (Aydın, Aydin) count as one name, shown in its
most usual spelling (most articles, then most mentions, then the first
alphabetically). Counts are mentions and articles, per folded key and,
only for names spelled more than one way, per spelling too.

`top` ranks by mentions, then articles, then the folded name, keeping
names met at least twice. It remembers a few times more names than it
gives and the rank just below them, so the next ranking looks only at
those and at the names counted (or taken back) since -- what changed, not
every name ever seen -- unless too many of them fell below that rank.

It also knows, per name, which articles name it (`articles_of`), so a
name in the briefing opens like an actor: every article that mentions it.
"""

from __future__ import annotations

from array import array

from briefing.analysis.names import fold


class NameTally:
    def __init__(self) -> None:
        self._name_id: dict[str, int] = {}
        self._name_text: list[str] = []
        self._name_key: list[int] = []
        self._key_id: dict[str, int] = {}
        self._key_text: list[str] = []
        self._mentions = array("q")  # per key
        self._articles = array("q")
        self._first: list[int] = []  # each key's first spelling
        self._docs: list[list[int]] = []  # per key, the ids of the articles naming it
        self._spellings: dict[int, dict[int, list[int]]] = {}  # keys spelled several ways
        self._top: list[int] = []  # the best few times the last size asked for
        self._bar: tuple | None = None  # no name outside _top ranks above this
        self._touched: set[int] = set()  # counted since the last ranking
        self._everything = False  # the next ranking looks at every name

    def add(self, names: dict[str, int] | None, track: bool = True, article_id: int = -1) -> list[int]:
        """Count one article's {name: mentions}; returns what `remove` needs
        to take it back: (name id, mentions) pairs, flat. `track=False`
        (many at once) leaves out noting what changed: call rank_all()."""
        if not names:
            return []
        out: list = []
        name_id, name_key, mentions, articles = self._name_id, self._name_key, self._mentions, self._articles
        spellings, touched, docs = self._spellings, self._touched, self._docs
        for name, count in names.items():
            nid = name_id.get(name)
            if nid is None:
                nid = self._new(name)
            kid = name_key[nid]
            mentions[kid] += count
            articles[kid] += 1
            held = docs[kid]
            if not held or held[-1] != article_id:
                held.append(article_id)
            if spellings and kid in spellings:
                counts = spellings[kid][nid]
                counts[0] += count
                counts[1] += 1
            if track:
                touched.add(kid)
            out.append(nid)
            out.append(count)
        return out

    def remove(self, counted, article_id: int = -1) -> None:
        for k in range(0, len(counted), 2):
            nid, count = counted[k], counted[k + 1]
            kid = self._name_key[nid]
            held = self._docs[kid]
            if article_id in held:
                held.remove(article_id)
            self._mentions[kid] -= count
            self._articles[kid] -= 1
            counts = self._spellings.get(kid, {}).get(nid)
            if counts is not None:
                counts[0] -= count
                counts[1] -= 1
            self._touched.add(kid)

    def rank_all(self) -> None:
        """The next `top` looks at every name."""
        self._everything = True

    def _new(self, name: str) -> int:
        nid = self._name_id[name] = len(self._name_text)
        self._name_text.append(name)
        key = fold(name)
        kid = self._key_id.get(key)
        if kid is None:
            kid = self._key_id[key] = len(self._key_text)
            self._key_text.append(key)
            self._mentions.append(0)
            self._articles.append(0)
            self._first.append(nid)
            self._docs.append([])
        else:
            # Another spelling of a known name: from now on counted by
            # spelling too (the first one has had every mention so far).
            spellings = self._spellings.setdefault(kid, {self._first[kid]: [self._mentions[kid], self._articles[kid]]})
            spellings[nid] = [0, 0]
        self._name_key.append(kid)
        return nid

    def top(self, size: int) -> list[tuple[str, int, int]]:
        """The `size` most mentioned names: (spelling, mentions, articles)."""
        mentions, articles = self._mentions, self._articles
        return [(self._display(k), mentions[k], articles[k]) for k in self.top_keys(size)]

    def key_of(self, name_id: int) -> int:
        return self._name_key[name_id]

    def name_id(self, name: str) -> int | None:
        return self._name_id.get(name)

    def name_text(self, name_id: int) -> str:
        return self._name_text[name_id]

    def spellings_of(self, key: int) -> list[int]:
        """The name ids of a key's spellings."""
        spellings = self._spellings.get(key)
        return list(spellings) if spellings else [self._first[key]]

    def articles_of(self, key: int) -> list[int]:
        return self._docs[key]

    def counts(self, key: int) -> tuple[str, int, int]:
        return self._display(key), self._mentions[key], self._articles[key]

    def top_keys(self, size: int) -> list[int]:
        """The keys of the `size` most mentioned names, best first."""
        mentions, articles, keys = self._mentions, self._articles, self._key_text

        def rank(k: int) -> tuple:
            return -mentions[k], -articles[k], keys[k]

        def kept(candidates) -> list[int]:
            return sorted((k for k in candidates if mentions[k] >= 2 or articles[k] >= 2), key=rank)

        room = 4 * size
        best = None
        if not self._everything:
            # Names outside the last top and not counted since all rank at
            # `_bar` or below: if `size` of the others rank above, they win.
            best = kept(set(self._top) | self._touched)
            if self._bar is not None and (len(best) < size or rank(best[size - 1]) >= self._bar):
                best = None
        if best is None:
            best = kept(range(len(keys)))
            self._bar = rank(best[room]) if len(best) > room else None
        elif len(best) > room:
            self._bar = min(rank(best[room]), self._bar) if self._bar is not None else rank(best[room])
        self._top, self._touched, self._everything = best[:room], set(), False
        return best[:size]

    def _display(self, kid: int) -> str:
        spellings = self._spellings.get(kid)
        texts = self._name_text
        if not spellings:
            return texts[self._first[kid]]
        return texts[min(spellings, key=lambda n: (-spellings[n][1], -spellings[n][0], texts[n]))]
