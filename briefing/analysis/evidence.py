"""Evidence for the open questions: rank, merge repeats, spread sources.

Candidates arrive from every relevant article (the best few sentences per
question were picked at analysis time); the builder keeps the POOL best by
term score, recency and the article's relevance, walking articles newest
first and stopping when nothing older can reach the pool. Then
sentences telling the same report (several outlets carrying one line, or
each putting it in its own words: paraphrase.py) merge into one Cited
whose `also` lists the other outlets and whose `copies` holds every
article's own sentence, and a light penalty on repeated outlets lets
other sources through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from briefing.analysis.names import content_stems, words
from briefing.analysis.paraphrase import negated, same_report
from briefing.model import Cited, Copy

POOL = 40
SHOWN = 8
COPIES = 12  # copies listed on one cited line, at most (`also` names every outlet)
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
    copies: list[Copy] = field(default_factory=list)  # its syndicated copies' sentences, this one first


def finish(candidates: list[Candidate], shown: int = SHOWN) -> tuple[Cited, ...]:
    """Merge repeats, favour source diversity, best first."""
    merged: list[tuple[Candidate, set[str], bool]] = []
    for cand in sorted(candidates, key=lambda c: (-c.score, c.article_id)):
        stems = set(cand.stems if cand.stems is not None else content_stems(words(cand.text)))
        neg = negated(cand.text)
        if not cand.copies:
            cand.copies = [_copy(cand)]
        for kept, kept_stems, kept_neg in merged:
            if kept.article_id != cand.article_id and same_report(stems, kept_stems, neg, kept_neg):
                merge(kept, cand)
                break
        else:
            merged.append((cand, stems, neg))
    picked: list[Candidate] = []
    used: dict[str, int] = {}
    left = [c for c, _, _ in merged]
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
            copies=tuple(c.copies) if len(c.copies) > 1 else (),
        )
        for c in picked
    )


def merge(kept: Candidate, cand: Candidate) -> None:
    """`cand` tells the same report as `kept`: its outlets and copies join kept's."""
    for source in (cand.source, *cand.also):
        if source != kept.source and source not in kept.also:
            kept.also.append(source)
    held = {c.article_id for c in kept.copies}
    fresh = [c for c in (cand.copies or [_copy(cand)]) if c.article_id not in held]
    kept.copies.extend(fresh[: max(COPIES - len(kept.copies), 0)])
    kept.new = kept.new or cand.new


def _copy(cand: Candidate) -> Copy:
    return Copy(article_id=cand.article_id, source=cand.source, text=cand.text, published=cand.published)
