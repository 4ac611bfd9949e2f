"""Extractive multi-document summary: pre-score, LexRank, then MMR.

Per article (at analysis time) each sentence gets a pre-score favouring
reported facts: story terms, early position, a normal length; it is
penalised for being mostly quotation, a question, a heading, very short or
very long, or for speaking in the first or second person. The few best per
article are stored with their content stems.

At build time the best POOL of those, across all relevant articles, are
ranked by LexRank (TF-IDF cosine graph, power iteration) blended with the
pre-score, and MMR picks `size` of them that do not repeat each other.
Cost depends on POOL, never on the number of articles.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Sequence

POOL = 200
PER_ARTICLE = 5
_EDGE = 0.08  # cosine below this is no edge
_DAMPING = 0.15
_REDUNDANT = 0.6  # cosine above this: a near repeat of a chosen sentence
_MMR_LAMBDA = 0.7


def prescore(
    tokens: int, position: int, hits: float, quote_share: float, question: bool, personal: bool, heading: bool
) -> float:
    if heading or tokens < 6:
        return 0.0
    score = (0.3 + min(hits, 4.0) / 4.0) / (1.0 + 0.12 * position)
    if tokens < 10:
        score *= 0.6
    elif tokens > 45:
        score *= 0.6
    if quote_share > 0.5:
        score *= 0.3
    elif quote_share > 0.2:
        score *= 0.7
    if question:
        score *= 0.3
    if personal:
        score *= 0.4
    return round(score, 4)


def select(candidates: Sequence[tuple[object, float, Sequence[str], object]], size: int) -> list[object]:
    """candidates: (key, pre-score, content stems, group). Returns chosen keys,
    best first; one group (article) supplies at most a third of them while
    other groups have something to offer."""
    unique: dict[tuple[str, ...], tuple[object, float, Sequence[str], object]] = {}
    for cand in candidates:
        sig = tuple(sorted(set(cand[2])))
        if sig and (sig not in unique or unique[sig][1] < cand[1]):
            unique[sig] = cand  # exact repeats (syndicated lines) count once
    cands = list(unique.values())
    if not cands or size <= 0:
        return []
    vectors = _tfidf([c[2] for c in cands])
    sims = _similarities(vectors)
    ranks = _lexrank(sims, len(cands))
    top_rank = max(ranks) or 1.0
    top_pre = max(c[1] for c in cands) or 1.0
    scores = [0.5 * ranks[i] / top_rank + 0.5 * cands[i][1] / top_pre for i in range(len(cands))]
    groups = [c[3] for c in cands]
    per_group = max(1, size // 3)
    return [cands[i][0] for i in _mmr(scores, vectors, groups, per_group, size)]


def _tfidf(docs: list[Sequence[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    vectors = []
    for doc in docs:
        counts = Counter(doc)
        vec = {t: c * math.log((1 + n) / (1 + df[t])) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items() if v > 0})
    return vectors


def _similarities(vectors: list[dict[str, float]]) -> list[dict[int, float]]:
    """Sparse cosine via an inverted index: only pairs sharing a term meet."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, vec in enumerate(vectors):
        for term, weight in vec.items():
            postings.setdefault(term, []).append((i, weight))
    sims: list[dict[int, float]] = [{} for _ in vectors]
    crowded = max(8, len(vectors) // 3)
    for plist in postings.values():
        # Terms in most sentences carry little weight (low idf) and cost the
        # most pairs: leave them out of the graph.
        if len(plist) < 2 or len(plist) > crowded:
            continue
        for x in range(len(plist)):
            i, wi = plist[x]
            row = sims[i]
            for y in range(x + 1, len(plist)):
                j, wj = plist[y]
                row[j] = row.get(j, 0.0) + wi * wj
    full: list[dict[int, float]] = [{} for _ in vectors]
    for i, row in enumerate(sims):
        for j, value in row.items():
            full[i][j] = value
            full[j][i] = value
    return full


def _lexrank(sims: list[dict[int, float]], n: int, iterations: int = 40) -> list[float]:
    edges = [{j: w for j, w in row.items() if w >= _EDGE} for row in sims]
    out_weight = [sum(row.values()) for row in edges]
    dangling = [i for i in range(n) if not out_weight[i]]
    # Incoming edges of each sentence as (sources, weights shared out by
    # their sources), so one update is a C-level sum.
    sources: list[list[int]] = [[] for _ in range(n)]
    shares: list[list[float]] = [[] for _ in range(n)]
    for i, row in enumerate(edges):
        for j, w in row.items():
            sources[j].append(i)
            shares[j].append((1 - _DAMPING) * w / out_weight[i])
    rank = [1.0 / n] * n
    get = rank.__getitem__
    for _ in range(iterations):
        # Gauss-Seidel: each new rank is used at once, which settles in
        # fewer rounds than updating all from the last round's.
        base = (_DAMPING + (1 - _DAMPING) * sum(rank[i] for i in dangling)) / n  # like-no-other spreads evenly
        delta = 0.0
        for j in range(n):
            new = base + sum(map(operator.mul, map(get, sources[j]), shares[j]))
            delta += abs(new - rank[j])
            rank[j] = new
        if delta < 1e-5:  # ranks within 0.1% of where they settle
            break
    total = sum(rank)
    return [r / total for r in rank]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _mmr(
    scores: list[float], vectors: list[dict[str, float]], groups: list[object], per_group: int, size: int
) -> list[int]:
    """Maximal marginal relevance; overlap with what is already chosen uses the
    exact cosine (the graph left out common terms)."""
    chosen: list[int] = []
    left = set(range(len(scores)))
    overlap_with: dict[int, float] = {}
    taken: Counter = Counter()
    while left and len(chosen) < size:
        if chosen:
            last = vectors[chosen[-1]]
            for i in left:
                overlap_with[i] = max(overlap_with.get(i, 0.0), cosine(vectors[i], last))
        best, best_value = -1, -math.inf
        for i in left:
            overlap = overlap_with.get(i, 0.0)
            if overlap > _REDUNDANT or taken[groups[i]] >= per_group:
                continue
            value = _MMR_LAMBDA * scores[i] - (1 - _MMR_LAMBDA) * overlap
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            if per_group >= size:
                break
            per_group = size  # too few groups: let the best ones fill in
            continue
        chosen.append(best)
        taken[groups[best]] += 1
        left.discard(best)
    return chosen
