"""What the briefing keeps of one relevant article between builds.

A stored analysis dict (see article.py) is several kilobytes of Python
objects; a `Doc` keeps the same facts as two machine arrays -- its small
ints and its scores -- and every text (cited sentences, then quotations)
in one UTF-8 bytes object that is opened only for the few articles a build
actually cites. That is about 600 bytes an article besides the text, and
three objects for the garbage collector to look at instead of a dozen.
(Compressing the text would save 40% of it, at 40 µs an article: too dear
for a full load.) Actors and questions are numbered as in the story;
names, roles, speakers and dates by the builder's tables.

`ByTime` is a list of docs ordered by (date, id), with additions batched.
"""

from __future__ import annotations

import bisect
from array import array
from operator import attrgetter

_SEP = "\x1f"

time_key = attrgetter("ts", "aid")
_by_id, _by_date = attrgetter("aid"), attrgetter("ts")

# The sections of `ints`, each entry so many ints long, after 8 counts.
SIDS, SUMMARY, EVIDENCE, ACTORS, ROLES, QUOTES, NAMES, DATES = range(8)
_WIDTH = (1, 1, 2, 3, 2, 3, 2, 3)


class Doc:
    """ints: the 8 section counts, then the sections --
         sids      cited sentence indices, in the order of the texts
         summary   sidx                       (its prescore in floats)
         evidence  question, sidx             (term score in floats)
         actors    actor, mentions, sidx of the first mention
         roles     actor, role (string id)
         quotes    actor or -1, sidx, speaker (string id)
         names     name id, mentions
         dates     iso date (string id), sidx, granularity rank (hits in floats)
    floats: summary prescores, then evidence term scores, then date hits."""

    __slots__ = ("aid", "ts", "first", "rel", "blob", "ints", "floats")

    def __init__(self, aid: int, ts: float, first: float, rel: float, sections: list[list[int]],
                 floats: list[float], blob: bytes) -> None:
        self.aid, self.ts, self.first, self.rel, self.blob = aid, ts, first, rel, blob
        counts = [len(section) // width for section, width in zip(sections, _WIDTH)]
        self.ints = array("i", counts + [v for section in sections for v in section])
        self.floats = array("d", floats)

    def section(self, which: int) -> array:
        ints = self.ints
        start = 8
        for i in range(which):
            start += ints[i] * _WIDTH[i]
        return ints[start:start + ints[which] * _WIDTH[which]]

    def entries(self, which: int) -> list[tuple[int, ...]]:
        values, width = self.section(which), _WIDTH[which]
        return list(zip(*(values[i::width] for i in range(width)))) if width > 1 else [(v,) for v in values]

    @property
    def sids(self) -> array:
        return self.section(SIDS)

    def summary(self) -> list[tuple[int, float]]:
        return list(zip(self.section(SUMMARY), self.floats[:self.ints[SUMMARY]]))

    def evidence(self) -> list[tuple[int, int, float]]:
        start = self.ints[SUMMARY]
        scores = self.floats[start:start + self.ints[EVIDENCE]]
        return [(qi, sidx, term) for (qi, sidx), term in zip(self.entries(EVIDENCE), scores)]

    def dates(self) -> list[tuple[int, int, int, float]]:
        hits = self.floats[self.ints[SUMMARY] + self.ints[EVIDENCE]:]
        return [(iso, sidx, g, h) for (iso, sidx, g), h in zip(self.entries(DATES), hits)]

    def texts(self) -> list[str]:
        """Cited sentences in `sids` order, then the quotations in `quotes` order."""
        return self.blob.decode("utf-8", "surrogatepass").split(_SEP) if self.blob else []


def pack_texts(texts: list[str]) -> bytes:
    if not texts:
        return b""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:
        joined = _SEP.join(t.replace(_SEP, " ") for t in texts)
    return joined.encode("utf-8", "surrogatepass")


class ByTime:
    """Docs ordered by (date, id); `add` is cheap, `items` settles first."""

    __slots__ = ("_items", "_pending", "add")

    def __init__(self, ordered: list[Doc] | None = None) -> None:
        self._items: list[Doc] = ordered if ordered is not None else []
        self._pending: list[Doc] = []
        self.add = self._pending.append  # a doc not held yet

    def __len__(self) -> int:
        return len(self._items) + len(self._pending)

    @property
    def waiting(self) -> int:
        return len(self._pending)

    def remove(self, doc: Doc) -> None:
        for i in range(len(self._pending)):
            if self._pending[i] is doc:
                del self._pending[i]
                return
        items = self._items
        i = bisect.bisect_left(items, time_key(doc), key=time_key)
        while i < len(items) and items[i] is not doc:
            i += 1
        if i < len(items):
            del items[i]

    @property
    def items(self) -> list[Doc]:
        pending = self._pending
        if pending:
            if len(pending) > 16 and len(pending) * 16 > len(self._items):
                self._items.extend(pending)
                self._items.sort(key=_by_id)  # stable: by id within one date
                self._items.sort(key=_by_date)
            else:
                for doc in pending:
                    bisect.insort(self._items, doc, key=time_key)
            pending.clear()
        return self._items
