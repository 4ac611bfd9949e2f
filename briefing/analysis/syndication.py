"""Near-duplicate articles: the same wire copy, lightly edited, in several outlets.

Each article gets a MinHash signature of its word 4-shingles when analysed,
by one-permutation hashing: one hash per shingle, K bins, the minimum of
each bin (empty bins borrow from the next bin, "densification"), so it
costs one pass. Only the low 16 bits of each minimum are kept (b-bit
MinHash): two unrelated bins agree by chance once in 65,536, and the
signature stays small. The share of equal bins estimates the Jaccard
similarity.

Clustering buckets signatures by LSH bands of ROWS bins, so only articles
sharing a band are ever compared: linear in the number of articles, never
all pairs. Articles are taken in increasing id order and each is compared
with the latest earlier member of each of its buckets; a pair is merged
when its estimated Jaccard reaches SIMILAR; clusters are the connected
components, named by their smallest id. `Clusters` keeps that state
between builds (see there).
"""

from __future__ import annotations

import bisect
import operator
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from itertools import compress, repeat

SHINGLE = 4
K = 24
ROWS = 2  # 12 bands: a pair at Jaccard 0.5 shares a band with p ~ 0.97
SIMILAR = 0.5
_MIX = 0x9E3779B1  # odd: multiplying mod 2**32 is a bijection that spreads crc32's bits
_MASK = 0xFFFFFFFF
_BITS = 0xFFFF
_BORROWED = 0x9E37  # added per step to a value borrowed from a later bin


def signature(tokens: Sequence[str]) -> list[int]:
    """MinHash signature of the article's word shingles; [] when too short."""
    if len(tokens) < SHINGLE + 4:
        return []
    mins: list[int | None] = [None] * K
    for i in range(len(tokens) - SHINGLE + 1):
        h = (zlib.crc32(" ".join(tokens[i : i + SHINGLE]).encode("utf-8")) * _MIX) & _MASK
        b, v = h % K, h // K
        current = mins[b]
        if current is None or v < current:
            mins[b] = v
    out: list[int] = []
    for b in range(K):
        step = 0
        while (found := mins[(b + step) % K]) is None:
            step += 1
        out.append((found + step * _BORROWED) & _BITS)
    return out


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)


_BANDS = K // ROWS
_PACKED = struct.Struct(f"<{K}H")
# ROWS == 2 16-bit values make one 32-bit word, in native order as memoryview.cast reads them
_BAND_WORDS = struct.Struct(f"={_BANDS}I")
_LANES = sum(1 << (16 * i) for i in range(K))  # the lowest bit of each 16-bit value


def pack_signature(sig: Sequence[int]) -> int:
    """A signature as one int, 16 bits a value: small, and compared at once."""
    try:
        return int.from_bytes(_PACKED.pack(*sig), "little")
    except struct.error:
        return int.from_bytes(_PACKED.pack(*(v & _BITS for v in sig)), "little")


def band_words(packed: int) -> tuple[int, ...]:
    """One 32-bit word per LSH band of a packed signature (its ROWS values)."""
    return _BAND_WORDS.unpack(packed.to_bytes(2 * K, "little"))


def close(a: int, b: int) -> bool:
    """similarity(...) >= SIMILAR for two packed signatures, without unpacking them."""
    x = a ^ b
    x |= x >> 8
    x |= x >> 4
    x |= x >> 2
    x |= x >> 1  # the lowest bit of each value now says whether it differs
    return (K - (x & _LANES).bit_count()) / K >= SIMILAR


class _Band:
    """One LSH band: (word, id) pairs sorted by word, then id, in two
    machine arrays, so that a bucket's members sit side by side in id order
    at 12 bytes a member (a dict of buckets costs ten times that)."""

    __slots__ = ("words", "ids")

    def __init__(self, words: array | None = None, ids: array | None = None) -> None:
        self.words = words if words is not None else array("I")
        self.ids = ids if ids is not None else array("q")

    def place(self, word: int, article_id: int) -> tuple[int | None, int | None, int]:
        """The bucket neighbours of (word, id) -- just before and just after
        it, it left aside -- and the index where it is or would go."""
        words, ids = self.words, self.ids
        lo = bisect.bisect_left(words, word)
        hi = bisect.bisect_right(words, word, lo)
        i = bisect.bisect_left(ids, article_id, lo, hi)
        before = ids[i - 1] if i > lo else None
        j = i + 1 if i < hi and ids[i] == article_id else i
        return before, ids[j] if j < hi else None, i

    def insert(self, i: int, word: int, article_id: int) -> None:
        self.words.insert(i, word)
        self.ids.insert(i, article_id)

    def delete(self, i: int) -> None:
        del self.words[i]
        del self.ids[i]


class Clusters:
    """Syndication clusters, kept up to date as articles come and go.

    The clusters are those `clusters` finds: taking ids in increasing order
    and comparing each with the latest earlier member of each bucket is
    comparing every pair of neighbours in a bucket's id-ordered member list,
    so the edges -- neighbours at least SIMILAR -- depend only on who is
    there, and the clusters are their connected components.

    Adding an article finds its neighbours in each band by bisection and
    only compares with them; when its id is not the largest of a bucket, or
    when one leaves, only the clusters touched are formed again. `load`
    takes many at once: one sort per band, then each pair of neighbours
    compared once.

    `members` lists the ids of every cluster of two or more, by its root
    (smallest id); `parent` holds only ids that are not roots."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.sigs: dict[int, int] = {}  # packed, for articles with a full signature
        self.short: set[int] = set()  # articles too short to have one: alone for ever
        self.bands = [_Band() for _ in range(_BANDS)]
        self.members: dict[int, list[int]] = {}
        self.count = 0  # number of clusters

    def __len__(self) -> int:
        return self.count

    def __contains__(self, article_id: int) -> bool:
        return article_id in self.sigs or article_id in self.short

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while root in parent:
            root = parent[root]
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def _union(self, a: int, b: int) -> int | None:
        """Merge the clusters of a and b (signatures known close): returns
        the root that went away, if any."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        root, gone = (ra, rb) if ra < rb else (rb, ra)
        self.parent[gone] = root
        ids = self.members.pop(root, None) or [root]
        theirs = self.members.pop(gone, None)
        ids.extend(theirs or [gone])
        self.members[root] = ids
        self.count -= 1
        return gone

    def add(self, article_id: int, sig: Sequence[int]) -> set[int]:
        """Add (or replace) one article; returns every root, old or new, of
        the clusters that changed."""
        changed = self.remove(article_id) if article_id in self else set()
        self.count += 1
        if len(sig) != K:
            self.short.add(article_id)
            return changed
        packed = self.sigs[article_id] = pack_signature(sig)
        pairs: set[int] = set()
        broken: list[int] = []
        for band, word in zip(self.bands, band_words(packed), strict=False):
            before, after, i = band.place(word, article_id)
            band.insert(i, word, article_id)
            if before is not None:
                pairs.add(before)
            if after is not None:
                pairs.add(after)
                if before is not None:
                    broken += (before, after)  # neighbours no more
        if broken:
            return changed | self._reform({article_id, *pairs})
        for other in pairs:
            if close(packed, self.sigs[other]):
                gone = self._union(article_id, other)
                if gone is not None:
                    changed.update((gone, self.find(article_id)))
        return changed

    def remove(self, article_id: int) -> set[int]:
        """Take an article out; returns the roots of the clusters that changed."""
        if article_id in self.short:
            self.short.discard(article_id)
            self.count -= 1
            return {article_id}
        packed = self.sigs.get(article_id)
        if packed is None:
            return set()
        touched = {article_id}
        for band, word in zip(self.bands, band_words(packed), strict=False):
            before, after, i = band.place(word, article_id)
            band.delete(i)
            touched.update(x for x in (before, after) if x is not None)  # new neighbours
        roots = self._reform(touched, gone=article_id)
        del self.sigs[article_id]
        return roots

    def _reform(self, ids: set[int], gone: int | None = None) -> set[int]:
        """Form again the clusters holding `ids`, from their members' buckets."""
        roots = {self.find(i) for i in ids}
        everyone: set[int] = set()
        for root in roots:
            members = self.members.pop(root, None)
            everyone.update(members or (root,))
        for i in everyone:
            self.parent.pop(i, None)
        if gone is not None:
            everyone.discard(gone)
        self.count += len(everyone) - len(roots)
        sigs = self.sigs
        for i in sorted(everyone):
            packed = sigs.get(i)
            if packed is None:
                continue
            for band, word in zip(self.bands, band_words(packed), strict=False):
                _, after, _ = band.place(word, i)
                # Pairs leaving `everyone` were never close: else one cluster.
                if after is not None and after in everyone and close(packed, sigs[after]):
                    self._union(i, after)
        return roots | {self.find(i) for i in everyone}

    def load(self, items: Iterable[tuple[int, Sequence[int]]]) -> None:
        """Add many articles not held yet, all at once."""
        for article_id, sig in items:
            self.count += 1
            if len(sig) == K:
                self.sigs[article_id] = pack_signature(sig)
            else:
                self.short.add(article_id)
        self._rebuild()

    def _rebuild(self) -> None:
        """Every cluster from the signatures: one sort per band, then each
        pair of neighbours compared once."""
        self.parent, self.members = {}, {}
        self.count = len(self.sigs) + len(self.short)
        sigs = self.sigs
        aids = sorted(sigs)
        n = len(aids)
        table = memoryview(b"".join([sigs[aid].to_bytes(2 * K, "little") for aid in aids])).cast("I")
        shift = max(32, aids[-1].bit_length()) if aids else 32
        pairs: set[int] = set()  # a << shift | b
        for band in range(_BANDS):
            words = table[band::_BANDS].tolist()
            order = sorted(range(n), key=words.__getitem__)  # stable: by id within a bucket
            words = list(map(words.__getitem__, order))
            ids = list(map(aids.__getitem__, order))
            self.bands[band] = _Band(array("I", words), array("q", ids))
            same = list(compress(range(n - 1), map(operator.eq, words, words[1:])))
            pairs.update(
                map(
                    operator.or_,
                    map(operator.lshift, map(ids.__getitem__, same), repeat(shift)),
                    map(ids.__getitem__, map((1).__add__, same)),
                )
            )
        low = (1 << shift) - 1
        for pair in pairs:  # in any order: the same clusters, named by their smallest id
            a, b = pair >> shift, pair & low
            if close(sigs[a], sigs[b]):
                self._union(a, b)


def clusters(signatures: Iterable[tuple[int, Sequence[int]]]) -> dict[int, int]:
    """Map each article id to its cluster id (the cluster's smallest id);
    articles without duplicates map to themselves."""
    state = Clusters()
    items = dict(signatures)
    state.load(items.items())
    return {article_id: state.find(article_id) for article_id in items}
