"""Evidence for the open questions: rank, merge repeats, spread sources.

Candidates arrive from every relevant article (the best few sentences per
question were picked at analysis time); the builder keeps the POOL best by
term score, recency and the article's relevance, walking articles newest
first and stopping when nothing older can reach the pool. Then
near-identical sentences (several outlets carrying one line) merge into one
Cited whose `also` lists the other outlets, and a light penalty on repeated
outlets lets other sources through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from briefing.analysis.names import content_stems, words
from briefing.model import Cited

POOL = 40
SHOWN = 8
_SAME = 0.6  # Jaccard of content stems: the same sentence, lightly edited
_SOURCE_PENALTY = 0.8  # per earlier pick from the same outlet
TERM_WEIGHT, RECENCY_WEIGHT, ARTICLE_WEIGHT = 0.6, 0.3, 0.1


def evidence_score(term_score: float, recency: float, article_relevance: float) -> float:
    """Term relevance first, then recency (1 for the newest article, halving
    every week before it), then how much the whole article is on the story."""
    return TERM_WEIGHT * term_score + RECENCY_WEIGHT * recency + ARTICLE_WEIGHT * article_relevance


@dataclass
class Candidate:
    score: float
    article_id: int
    text: str
    source: str
    published: datetime | None
    also: list[str] = field(default_factory=list)
    new: bool = False
    stems: list[str] | None = None  # content stems of `text`, when already known


def finish(candidates: list[Candidate], shown: int = SHOWN) -> tuple[Cited, ...]:
    """Merge repeats, favour source diversity, best first."""
    merged: list[tuple[Candidate, set[str]]] = []
    for cand in sorted(candidates, key=lambda c: (-c.score, c.article_id)):
        stems = set(cand.stems if cand.stems is not None else content_stems(words(cand.text)))
        for kept, kept_stems in merged:
            if _jaccard(stems, kept_stems) >= _SAME:
                for source in (cand.source, *cand.also):
                    if source != kept.source and source not in kept.also:
                        kept.also.append(source)
                kept.new = kept.new or cand.new
                break
        else:
            merged.append((cand, stems))
    picked: list[Candidate] = []
    used: dict[str, int] = {}
    left = [c for c, _ in merged]
    while left and len(picked) < shown:
        best = max(left, key=lambda c: c.score * _SOURCE_PENALTY ** used.get(c.source, 0))
        left.remove(best)
        picked.append(best)
        used[best.source] = used.get(best.source, 0) + 1
    return tuple(
        Cited(
            text=c.text,
            article_id=c.article_id,
            source=c.source,
            published=c.published,
            also=tuple(c.also),
            new=c.new,
            score=round(c.score, 4),
        )
        for c in picked
    )


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
