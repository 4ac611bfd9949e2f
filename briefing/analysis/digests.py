"""What the briefing keeps of one relevant article between builds.

A stored analysis dict (see article.py) is several kilobytes of Python
objects; a `Doc` keeps the same facts as one flat tuple of small ints and
one machine array of scores, and every text (cited sentences, then
quotations) in one UTF-8 bytes object that is opened only for the few
articles a build actually cites. That is under a kilobyte an article
besides the text, and a few objects instead of hundreds.
(Compressing the text would save some of it, but decompressing every
article costs a full load more than the memory is worth.) Actors and questions are numbered as in the story;
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

# The sections of `ints`, after HEAD offsets (where each starts, and the end);
# each entry is so many ints long.
SIDS, SUMMARY, EVIDENCE, ACTORS, ROLES, QUOTES, NAMES, DATES, SPOTS, FLAGS = range(10)
_WIDTH = (1, 1, 0, 3, 2, 4, 2, 3, 2, 2)  # evidence: per question, its number, its count, then that many sidx
HEAD = 11
NO_ORG = -1


def name_code(name_id: int) -> int:
    """Who an entry of roles, spots or flags is about: an actor's index, or
    this (negative) for a name the story does not list."""
    return -1 - name_id


def org_code(string_id: int) -> int:
    """A quotation's organisation that is not an actor: below NO_ORG."""
    return -2 - string_id


class Doc:
    """ints: HEAD offsets, then the sections --
         sids      cited sentence indices, in the order of the texts
         summary   sidx                       (its prescore in floats)
         evidence  per question: question, n, then n sidx  (term scores in floats)
         actors    actor, mentions, sidx of the first mention
         roles     actor or name_code(name id), role (string id)
         quotes    actor or -1, sidx, speaker (string id), org: actor, NO_ORG
                   or org_code(string id)
         names     name id, mentions
         dates     iso date (string id), sidx, granularity rank (hits in floats)
         spots     actor or name_code(name id), sidx of a sentence naming it
         flags     actor or name_code(name id), TITLED | LED
    floats: summary prescores, then evidence term scores, then date hits."""

    __slots__ = ("aid", "ts", "first", "rel", "blob", "ints", "floats")

    def __init__(
        self, aid: int, ts: float, first: float, rel: float, ints: tuple[int, ...], floats: array, blob: bytes
    ) -> None:
        # ints is a tuple: building an array of ints costs ten times more, and
        # these are small ints or ids the builder's tables already hold.
        self.aid, self.ts, self.first, self.rel = aid, ts, first, rel
        self.ints, self.floats, self.blob = ints, floats, blob

    def section(self, which: int) -> tuple[int, ...]:
        ints = self.ints
        return ints[ints[which] : ints[which + 1]]

    def entries(self, which: int) -> list[tuple[int, ...]]:  # not for evidence
        values = self.section(which)
        width = _WIDTH[which]
        if width == 4:
            return list(zip(values[::4], values[1::4], values[2::4], values[3::4], strict=False))
        if width == 3:
            return list(zip(values[::3], values[1::3], values[2::3], strict=False))
        return list(zip(values[::2], values[1::2], strict=False)) if width == 2 else [(v,) for v in values]

    def keys(self, which: int) -> tuple[int, ...]:  # not for evidence
        """The first of each entry: the actors of `actors`, of `quotes`..."""
        ints = self.ints
        return ints[ints[which] : ints[which + 1] : _WIDTH[which]]

    @property
    def sids(self) -> tuple[int, ...]:
        ints = self.ints
        return ints[HEAD : ints[SUMMARY]]

    def summary(self) -> list[tuple[int, float]]:
        ints = self.ints
        return list(zip(ints[ints[SUMMARY] : ints[EVIDENCE]], self.floats, strict=False))

    def questions(self) -> list[int]:
        """The questions the article has evidence for."""
        ints = self.ints
        out, i, end = [], ints[EVIDENCE], ints[ACTORS]
        while i < end:
            out.append(ints[i])
            i += 2 + ints[i + 1]
        return out

    def evidence(self) -> list[tuple[int, int, float]]:
        ints, floats = self.ints, self.floats
        out: list[tuple[int, int, float]] = []
        i, end, f = ints[EVIDENCE], ints[ACTORS], ints[EVIDENCE] - ints[SUMMARY]
        while i < end:
            qi, n = ints[i], ints[i + 1]
            out += zip((qi,) * n, ints[i + 2 : i + 2 + n], floats[f : f + n], strict=False)
            i, f = i + 2 + n, f + n
        return out

    def evidence_for(self, question: int) -> list[tuple[int, float]]:
        """(sidx, term score) of one question's evidence."""
        ints = self.ints
        i, end, f = ints[EVIDENCE], ints[ACTORS], ints[EVIDENCE] - ints[SUMMARY]
        while i < end:
            n = ints[i + 1]
            if ints[i] == question:
                return list(zip(ints[i + 2 : i + 2 + n], self.floats[f : f + n], strict=False))
            i, f = i + 2 + n, f + n
        return []

    def dates(self) -> list[tuple[int, int, int, float]]:
        ints = self.ints
        start, end = ints[DATES], ints[DATES + 1]
        first = len(self.floats) - (end - start) // 3
        return list(
            zip(
                ints[start:end:3],
                ints[start + 1 : end : 3],
                ints[start + 2 : end : 3],
                self.floats[first:],
                strict=False,
            )
        )

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
        key = time_key(doc)
        i = bisect.bisect_left(items, key, key=time_key)
        while i < len(items) and items[i] is not doc and time_key(items[i]) == key:
            i += 1
        if i < len(items) and items[i] is doc:
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
