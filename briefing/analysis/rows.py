"""Every article's row, kept compactly for a store of 100,000 or more.

The briefing lists every article, relevant or not, so this is the one
per-article state that grows with the whole store. Columns of machine
numbers (dates as POSIX timestamps, NaN for no date, ids found through a
sorted index) plus one UTF-8 bytes object holding title and link cost
about 80 bytes an article besides its title and link, against some 600
for the same fields as Python objects.

`order` lists live slots oldest first, by (date, id); articles added since
the last read wait in `pending` and are merged in one go.
"""

from __future__ import annotations

import bisect
import heapq
import math
import operator
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, cast

UTC = UTC
_NO_LINK = b"\xff"  # never in UTF-8
_FORGOTTEN = b""  # a live row whose title and link are left to the store (Rows.forget_texts)


@dataclass(frozen=True)
class ArticleMeta:
    """What the store gives for every article, without its text."""

    id: int
    title: str
    source: str
    link: str | None
    published: datetime | None
    first_seen: datetime
    read: bool = False

    @property
    def when(self) -> datetime:
        """The date to sort and cite by: published, else first seen."""
        return self.published or self.first_seen


class MetaLike(Protocol):
    """ArticleMeta or the store's Article: read-only, so frozen classes fit."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def link(self) -> str | None: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def first_seen(self) -> datetime: ...
    @property
    def read(self) -> bool: ...


def pack_row_text(title: str, link: str | None) -> bytes:
    if link is None:
        return (title + "\x00").encode("utf-8", "surrogatepass") + _NO_LINK
    return (title + "\x00" + link).encode("utf-8", "surrogatepass")


def pack_row_texts(titles: list[str], links: list[str | None]) -> list[bytes]:
    if None in links:
        return list(map(pack_row_text, titles, links))
    present = cast("list[str]", links)  # no None in it, as just looked
    return [(t + "\x00" + link).encode("utf-8", "surrogatepass") for t, link in zip(titles, present, strict=False)]


def as_datetime(ts: float) -> datetime | None:
    return None if ts != ts else datetime.fromtimestamp(ts, UTC)


class IdIndex:
    """Article id -> slot, as two sorted machine arrays (16 bytes an entry
    where a dict of ints takes over 100) plus a small dict of recent ids."""

    _RECENT = 4096

    def __init__(self) -> None:
        self.keys = array("q")
        self.values = array("q")  # -1: removed
        self.recent: dict[int, int] = {}
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def get(self, key: int, default: int | None = None) -> int | None:
        value = self.recent.get(key)
        if value is not None:
            return value
        keys = self.keys
        i = bisect.bisect_left(keys, key)
        if i < len(keys) and keys[i] == key and self.values[i] >= 0:
            return self.values[i]
        return default

    def __getitem__(self, key: int) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None

    def held(self, ids: list[int]) -> set[int]:
        """Those of `ids` already in the index."""
        if not self.size or (
            min(ids, default=0) > (self.keys[-1] if self.keys else -1) and self.recent.keys().isdisjoint(ids)
        ):
            return set()
        return {key for key in ids if self.get(key) is not None}

    def __setitem__(self, key: int, value: int) -> None:
        keys = self.keys
        i = bisect.bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            self.size += self.values[i] < 0
            self.values[i] = value
            return
        self.size += key not in self.recent
        self.recent[key] = value
        if len(self.recent) > self._RECENT:
            self._merge()

    def extend(self, keys: list[int], values) -> None:
        """Ids not in the index yet, each once."""
        self.size += len(keys)
        if keys and (not self.keys or keys[0] > self.keys[-1]) and all(map(operator.lt, keys, keys[1:])):
            self.keys.extend(keys)
            self.values.extend(values)
        else:
            self.recent.update(zip(keys, values, strict=False))
            if len(self.recent) > self._RECENT:
                self._merge()

    def pop(self, key: int, default: int | None = None) -> int | None:
        value = self.recent.pop(key, None)
        if value is None:
            keys = self.keys
            i = bisect.bisect_left(keys, key)
            if i >= len(keys) or keys[i] != key or self.values[i] < 0:
                return default
            value, self.values[i] = self.values[i], -1
        self.size -= 1
        return value

    def _merge(self) -> None:
        pairs = sorted(
            [(k, v) for k, v in zip(self.keys, self.values, strict=False) if v >= 0] + list(self.recent.items())
        )
        self.keys = array("q", [k for k, _ in pairs])
        self.values = array("q", [v for _, v in pairs])
        self.recent = {}


class Rows:
    def __init__(self) -> None:
        self.slot = IdIndex()
        self.ids = array("q")
        self.ts = array("d")  # when: published, else first seen
        self.published = array("d")
        self.first_seen = array("d")
        self.rel = array("d")
        self.read = bytearray()
        self.source = array("I")
        self.text: list[bytes | None] = []  # title, NUL, link (or 0xff for none)
        self.sources: list[str] = []
        self._source_ix: dict[str, int] = {}
        self.free: list[int] = []
        self.order = array("q")  # live slots by (when, id)
        self.pending: list[int] = []

    def __len__(self) -> int:
        return len(self.slot)

    def unread(self) -> int:
        """How many rows are unread (slots freed by removed rows not counted)."""
        return self.read.count(0) - sum(1 for slot in self.free if not self.read[slot])

    def key(self, slot: int) -> tuple[float, int]:
        return self.ts[slot], self.ids[slot]

    def put(self, meta: MetaLike, rel: float) -> tuple[float, float]:
        """Add or replace one article's row; returns (when, first seen) as timestamps."""
        published = meta.published
        pub = published.timestamp() if published is not None else math.nan
        first = meta.first_seen.timestamp()
        ts = first if pub != pub else pub
        ix = self.source_index(meta.source)
        text = pack_row_text(meta.title, meta.link)
        slot = self.slot.get(meta.id)
        if slot is not None:
            if self.ts[slot] != ts:
                self._unplace(slot)
                self.ts[slot] = ts
                self.pending.append(slot)
            self.published[slot], self.first_seen[slot], self.rel[slot] = pub, first, rel
            self.read[slot], self.source[slot], self.text[slot] = bool(meta.read), ix, text
            return ts, first
        self._append((meta.id, ts, pub, first, rel, meta.read, ix, text))
        return ts, first

    def source_index(self, source: str) -> int:
        ix = self._source_ix.get(source)
        if ix is None:
            ix = self._source_ix[source] = len(self.sources)
            self.sources.append(source)
        return ix

    def source_indexes(self, sources: list[str]) -> list[int]:
        for source in set(sources).difference(self._source_ix):
            self.source_index(source)
        return list(map(self._source_ix.__getitem__, sources))

    def extend(
        self,
        ids: list[int],
        when: list[float],
        published: list[float],
        first_seen: list[float],
        rel: list[float],
        read: list,
        source: list[int],
        text: list[bytes],
    ) -> None:
        """New rows at once, column by column, for ids not yet held."""
        if self.free:
            for item in zip(ids, when, published, first_seen, rel, read, source, text, strict=False):
                self._append(item)
            return
        start = len(self.text)
        self.ids.extend(ids)
        self.ts.extend(when)
        self.published.extend(published)
        self.first_seen.extend(first_seen)
        self.rel.extend(rel)
        self.read.extend(map(bool, read))
        self.source.extend(source)
        self.text.extend(text)
        slots = range(start, start + len(ids))
        self.slot.extend(ids, slots)
        self.pending.extend(slots)  # ints for a moment: `order` keeps machine numbers

    def _append(self, item: tuple) -> None:
        aid, ts, pub, first, rel, read, ix, text = item
        if self.free:
            slot = self.free.pop()
            self.ids[slot], self.ts[slot], self.published[slot] = aid, ts, pub
            self.first_seen[slot], self.rel[slot], self.read[slot] = first, rel, bool(read)
            self.source[slot], self.text[slot] = ix, text
        else:
            slot = len(self.text)
            self.ids.append(aid)
            self.ts.append(ts)
            self.published.append(pub)
            self.first_seen.append(first)
            self.rel.append(rel)
            self.read.append(bool(read))
            self.source.append(ix)
            self.text.append(text)
        self.slot[aid] = slot
        self.pending.append(slot)

    def remove(self, article_id: int) -> None:
        slot = self.slot.pop(article_id, None)
        if slot is None:
            return
        self._unplace(slot)
        self.text[slot] = None
        self.free.append(slot)

    def _unplace(self, slot: int) -> None:
        if len(self.pending) > 256:
            self.settle()  # looking for a slot among many pending ones would cost more
        if slot in self.pending:
            self.pending.remove(slot)
            return
        i = bisect.bisect_left(self.order, self.key(slot), key=self.key)
        while self.order[i] != slot:
            i += 1
        del self.order[i]

    def settle(self) -> None:
        """Merge the pending slots into `order`."""
        pending = self.pending
        if not pending:
            return
        if len(pending) > 64 and len(pending) * 32 > len(self.order):
            order = self.order.tolist() + pending
            ids = list(map(self.ids.__getitem__, order))
            if not all(map(operator.lt, ids, ids[1:])):
                order.sort(key=self.ids.__getitem__)  # stable: by id within one date
            order.sort(key=self.ts.__getitem__)
            self.order = array("q", order)
        else:
            for slot in pending:
                bisect.insort(self.order, slot, key=self.key)
        pending.clear()

    def newest(self, limit: int | None) -> Sequence[int]:
        """Slots of the newest `limit` articles (all when None), newest first."""
        self.settle()
        if limit is None:
            return self.order[::-1]
        if limit <= 0:
            return []
        return self.order[: -limit - 1 : -1]

    def forget_texts(self, keep: int) -> int:
        """Let go of the title and link of every row older than the newest
        `keep`; returns how many. They are much of a large store's builder
        (benchmarks/README.md, "Memory"), and a briefing shows the newest
        1,000 rows: older ones are
        read back from the store when they are shown (`forgotten`,
        `put_text`). Safe to call while loading: a row with `keep` newer ones
        already held can only fall further back."""
        text, ts = self.text, self.ts
        held = [slot for slot, raw in enumerate(text) if raw]
        if len(held) <= keep:
            return 0
        cutoff = heapq.nlargest(keep, map(ts.__getitem__, held))[-1]
        dropped = 0
        for slot in held:
            if ts[slot] < cutoff:
                text[slot] = _FORGOTTEN
                dropped += 1
        return dropped

    def forgotten(self, slots) -> list[int]:
        """The ids among these slots whose title and link were let go."""
        text, ids = self.text, self.ids
        return [ids[slot] for slot in slots if text[slot] == _FORGOTTEN]

    def put_text(self, slot: int, title: str, link: str | None) -> None:
        self.text[slot] = pack_row_text(title, link)

    def title_link(self, slot: int) -> tuple[str, str | None]:
        raw = self.text[slot] or b"\x00" + _NO_LINK
        title, _, link = raw.rpartition(b"\x00")
        title_text = title.decode("utf-8", "surrogatepass")
        return title_text, None if link == _NO_LINK else link.decode("utf-8", "surrogatepass")

    def source_of(self, slot: int) -> str:
        return self.sources[self.source[slot]]
