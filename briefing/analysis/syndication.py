"""Near-duplicate articles: the same wire copy, lightly edited, in several outlets.

Each article gets a MinHash signature of its word 4-shingles when analysed,
by one-permutation hashing: one hash per shingle, K bins, the minimum of
each bin (empty bins borrow from the next bin, "densification"), so it
costs one pass. The share of equal bins estimates the Jaccard similarity.

Clustering buckets signatures by LSH bands of ROWS bins, so only articles
sharing a band are ever compared: linear in the number of articles, never
all pairs. A pair is merged when its estimated Jaccard reaches SIMILAR;
clusters are the connected components.
"""

from __future__ import annotations

import operator
import zlib
from typing import Iterable, Sequence

SHINGLE = 4
K = 24
ROWS = 2  # 12 bands: a pair at Jaccard 0.5 shares a band with p ~ 0.97
SIMILAR = 0.5
_MIX = 0x9E3779B1  # odd: multiplying mod 2**32 is a bijection that spreads crc32's bits
_MASK = 0xFFFFFFFF
_BORROWED = 1 << 28  # marks a value borrowed from a later bin, per step


def signature(tokens: Sequence[str]) -> list[int]:
    """MinHash signature of the article's word shingles; [] when too short."""
    if len(tokens) < SHINGLE + 4:
        return []
    mins: list[int | None] = [None] * K
    for i in range(len(tokens) - SHINGLE + 1):
        h = (zlib.crc32(" ".join(tokens[i:i + SHINGLE]).encode("utf-8")) * _MIX) & _MASK
        b, v = h % K, h // K
        current = mins[b]
        if current is None or v < current:
            mins[b] = v
    out = []
    for b in range(K):
        step = 0
        while mins[(b + step) % K] is None:
            step += 1
        out.append(mins[(b + step) % K] + step * _BORROWED)
    return out


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(map(operator.eq, a, b)) / len(a)


def clusters(signatures: Iterable[tuple[int, Sequence[int]]]) -> dict[int, int]:
    """Map each article id to its cluster id (the cluster's smallest id);
    articles without duplicates map to themselves."""
    parent: dict[int, int] = {}
    sigs: dict[int, Sequence[int]] = {}
    buckets: dict[tuple[int, ...], int] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article_id, sig in signatures:
        parent[article_id] = article_id
        if len(sig) != K:
            continue
        sigs[article_id] = sig
        for band in range(0, K, ROWS):
            key = (band, *sig[band:band + ROWS])
            other = buckets.get(key)
            # Keep the latest member per bucket: copies edited a little more
            # each time still chain together.
            buckets[key] = article_id
            if other is None:
                continue
            ra, rb = find(article_id), find(other)
            if ra != rb and similarity(sig, sigs[other]) >= SIMILAR:
                parent[max(ra, rb)] = min(ra, rb)
    return {article_id: find(article_id) for article_id in parent}
