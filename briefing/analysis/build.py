"""Assemble one Briefing from stored per-article analyses.

One pass over the articles gathers everything; every pool (summary
candidates, evidence, quotes, timeline) is bounded, so the cost is linear in
the number of articles and the expensive steps (LexRank, merging repeats)
run on a fixed number of sentences.

What is "new": an article whose first_seen is after `last_viewed`, and
evidence, quotes, timeline lines and actors that come from such articles
(an actor is new when every article naming it is new). When `last_viewed`
is None -- the very first view -- nothing is marked new: everything would
be, which tells the reader nothing.

Syndicated copies (see syndication.py) are represented by their earliest
relevant member: only it feeds the summary, evidence, quotes and timeline,
and the other outlets appear in `also`. Actor and name counts cover every
relevant article: they measure coverage.
"""

from __future__ import annotations

import heapq
from collections import Counter
from datetime import datetime
from typing import Mapping, Sequence

from ..config import Story
from ..model import ActorView, Article, ArticleRow, Briefing, Cited, NameCount, Quote, QuestionView, TimelineEvent
from . import evidence as ev
from .article import ANALYSIS_VERSION, analyse_article
from .names import fold
from .relevance import RELEVANCE_THRESHOLD
from .story import compile_story
from .summary import POOL, select
from .syndication import clusters
from .timeline import as_datetime, short

QUOTES_PER_ACTOR = 8
OTHER_QUOTES = 20
MENTIONED_IN = 3
ALSO_MENTIONED = 15
TIMELINE_EVENTS = 40
_HALF_LIFE_DAYS = 7.0  # recency relative to the newest relevant article
_GRANULARITY = {"d": 2, "p": 1, "m": 0}


def build_briefing(
    story: Story,
    articles: Sequence[Article],
    analyses: Mapping[int, dict],
    *,
    now: datetime,
    last_viewed: datetime | None = None,
    summary_size: int = 6,
) -> Briefing:
    return _Builder(story, articles, analyses, last_viewed).build(now, summary_size)


class _Builder:
    def __init__(self, story: Story, articles: Sequence[Article], analyses: Mapping[int, dict],
                 last_viewed: datetime | None) -> None:
        self.story = story
        self.cs = compile_story(story)
        self.last_viewed = last_viewed
        fp = self.cs.fingerprint
        self.articles = {}
        self.results = {}
        for article in articles:
            result = analyses.get(article.id)
            if not result or result.get("v") != ANALYSIS_VERSION or result.get("fp") != fp:
                result = analyse_article(article, story)
            self.articles[article.id] = article
            self.results[article.id] = result
        self.when = {aid: a.when.timestamp() for aid, a in self.articles.items()}
        self._outlets: dict[int, tuple[str, ...]] = {}

    def is_new(self, article: Article) -> bool:
        return self.last_viewed is not None and article.first_seen > self.last_viewed

    def build(self, now: datetime, summary_size: int) -> Briefing:
        results, when = self.results, self.when
        cluster_of = clusters((aid, results[aid].get("sig") or []) for aid in sorted(results))
        members: dict[int, list[int]] = {}
        for aid in sorted(results, key=lambda i: (when[i], i)):
            members.setdefault(cluster_of[aid], []).append(aid)
        relevant = {aid for aid, r in results.items() if r.get("rel", 0.0) >= RELEVANCE_THRESHOLD}
        # The earliest relevant member speaks for its cluster.
        reps = {}
        for root, ids in members.items():
            rep = next((i for i in ids if i in relevant), None)
            if rep is not None:
                reps[rep] = ids

        rows = self._rows(members, cluster_of, relevant)
        newest = max((when[i] for i in relevant), default=0.0)
        summary = self._summary(reps, summary_size)
        actors, other_quotes = self._actors(relevant, reps)
        questions = self._questions(reps, newest)
        return Briefing(
            story_id=self.story.id,
            story_title=self.story.title,
            generated_at=now,
            summary=summary,
            actors=actors,
            questions=questions,
            articles=rows,
            also_mentioned=self._also_mentioned(relevant),
            timeline=self._timeline(reps),
            last_viewed=self.last_viewed,
            # other_quotes: quotations of speakers who are not story actors.
            extra={"relevant": len(relevant), "distinct_relevant": len(reps), "other_quotes": other_quotes},
        )

    # --- pieces ---------------------------------------------------------

    def _sources(self, ids: list[int], exclude: str) -> tuple[str, ...]:
        """Outlets of a cluster (earliest first) but `exclude`; cached per
        cluster so a wire story copied a thousand times stays linear."""
        key = ids[0]
        outlets = self._outlets.get(key)
        if outlets is None:
            outlets = tuple(dict.fromkeys(self.articles[i].source for i in ids))
            self._outlets[key] = outlets
        return tuple(s for s in outlets if s != exclude)

    def _rows(self, members, cluster_of, relevant) -> tuple[ArticleRow, ...]:
        rows = []
        for aid in sorted(self.articles, key=lambda i: (-self.when[i], -i)):
            article = self.articles[aid]
            ids = members[cluster_of[aid]]
            rows.append(ArticleRow(
                id=aid, title=article.title, source=article.source, link=article.link,
                published=article.published, read=article.read,
                relevance=self.results[aid].get("rel", 0.0), relevant=aid in relevant,
                also_in=self._sources(ids, article.source) if len(ids) > 1 else (),
                new=self.is_new(article),
            ))
        return tuple(rows)

    def _cited(self, aid: int, sidx: int, score: float, also: tuple[str, ...]) -> Cited:
        article = self.articles[aid]
        return Cited(text=self.results[aid]["s"][str(sidx)], article_id=aid, source=article.source,
                     published=article.published, also=also, new=self.is_new(article), score=round(score, 4))

    def _summary(self, reps: dict[int, list[int]], size: int) -> tuple[Cited, ...]:
        heap: list[tuple[float, int, int, list[str]]] = []
        for aid in reps:
            result = self.results[aid]
            weight = 0.5 + result["rel"]
            for sidx, pre, stems in result.get("sum", ()):
                item = (pre * weight, aid, sidx, stems)
                if len(heap) < POOL:
                    heapq.heappush(heap, item)
                elif item[:3] > heap[0][:3]:
                    heapq.heapreplace(heap, item)
        chosen = select([((aid, sidx, score), score, stems, aid) for score, aid, sidx, stems in heap], size)
        chosen.sort(key=lambda k: (self.when[k[0]], k[0], k[1]))  # read as a story
        return tuple(self._cited(aid, sidx, score, self._sources(reps[aid], self.articles[aid].source))
                     for aid, sidx, score in chosen)

    def _questions(self, reps: dict[int, list[int]], newest: float) -> tuple[QuestionView, ...]:
        pools = {q.id: ev.EvidencePool() for q in self.story.questions}
        scale = 86400.0 * _HALF_LIFE_DAYS
        for aid in reps:
            result = self.results[aid]
            recency = 0.5 ** ((newest - self.when[aid]) / scale)
            base = ev.evidence_score(0.0, recency, result["rel"])
            for qid, items in result.get("q", {}).items():
                pool = pools.get(qid)
                if pool is None:
                    continue
                floor = pool.floor()
                for sidx, term_score in items:
                    score = base + ev.TERM_WEIGHT * term_score  # evidence_score, inlined
                    if score > floor:
                        pool.offer(score, aid, (score, aid, sidx))
                        floor = pool.floor()
        views = []
        for question in self.story.questions:
            candidates = []
            for score, aid, sidx in pools[question.id].payloads():
                article = self.articles[aid]
                candidates.append(ev.Candidate(
                    score=score, article_id=aid, text=self.results[aid]["s"][str(sidx)],
                    source=article.source, published=article.published,
                    also=list(self._sources(reps[aid], article.source)), new=self.is_new(article)))
            cited = ev.finish(candidates)
            outlets = {c.source for c in cited} | {s for c in cited for s in c.also}
            dates = [self.articles[c.article_id].when for c in cited]
            views.append(QuestionView(
                id=question.id, title=question.title, evidence=cited, outlets=len(outlets),
                last_moved=max(dates) if dates else None, new_evidence=sum(1 for c in cited if c.new)))
        return tuple(views)

    def _actors(self, relevant: set[int], reps: dict[int, list[int]]):
        actors = self.story.actors
        index = {a.name: i for i, a in enumerate(actors)}
        mentions = [0] * len(actors)
        counts = [0] * len(actors)
        first: list[Article | None] = [None] * len(actors)
        last: list[Article | None] = [None] * len(actors)
        all_new = [True] * len(actors)
        roles = [Counter() for _ in actors]
        role_text: dict[str, str] = {}
        cited: list[list] = [[] for _ in actors]
        quotes: list[list] = [[] for _ in actors]
        other: list = []
        when = self.when
        for aid in relevant:
            result = self.results[aid]
            article = self.articles[aid]
            is_rep = aid in reps
            new = self.is_new(article)
            ts = when[aid]
            for name, (count, sidx) in result.get("act", {}).items():
                i = index.get(name)
                if i is None:
                    continue
                mentions[i] += count
                counts[i] += 1
                if first[i] is None or ts < when[first[i].id]:
                    first[i] = article
                if last[i] is None or ts > when[last[i].id]:
                    last[i] = article
                if not new:
                    all_new[i] = False
                heap = cited[i]
                if is_rep and (len(heap) < MENTIONED_IN or ts > heap[0][0]):
                    _push(heap, MENTIONED_IN, (ts, aid, sidx))
            for name, role in result.get("role", {}).items():
                i = index.get(name)
                if i is not None:
                    key = fold(role)
                    roles[i][key] += 1
                    role_text.setdefault(key, role)
            if is_rep:
                for text, speaker, actor, sidx in result.get("quo", ()):
                    i = index.get(actor) if actor else None
                    target, size = (quotes[i], 2 * QUOTES_PER_ACTOR) if i is not None else (other, 2 * OTHER_QUOTES)
                    if len(target) < size or ts > target[0][0]:
                        _push(target, size, (ts, aid, sidx, text, speaker))
        views = []
        for i, actor in enumerate(actors):
            role = actor.role
            if not role and roles[i]:
                role = role_text[roles[i].most_common(1)[0][0]]
            views.append(ActorView(
                name=actor.name, kind=actor.kind, role=role, mentions=mentions[i], articles=counts[i],
                first_seen=first[i].when if first[i] else None,
                last_seen=last[i].when if last[i] else None,
                quotes=self._quotes(quotes[i], QUOTES_PER_ACTOR),
                mentioned_in=tuple(self._cited(aid, sidx, 0.0, ()) for _, aid, sidx in sorted(cited[i], reverse=True)),
                new=bool(counts[i]) and self.last_viewed is not None and all_new[i],
            ))
        order = sorted(range(len(actors)), key=lambda i: (-views[i].mentions, -views[i].articles, i))
        return tuple(views[i] for i in order), self._quotes(other, OTHER_QUOTES)

    def _quotes(self, items: list, limit: int) -> tuple[Quote, ...]:
        out, seen = [], set()
        for _, aid, _sidx, text, speaker in sorted(items, reverse=True):
            key = fold(text)[:120]
            if key in seen:
                continue
            seen.add(key)
            article = self.articles[aid]
            out.append(Quote(text=text, speaker=speaker, article_id=aid, source=article.source,
                             published=article.published, new=self.is_new(article)))
            if len(out) >= limit:
                break
        return tuple(out)

    def _also_mentioned(self, relevant: set[int]) -> tuple[NameCount, ...]:
        mentions: Counter[str] = Counter()
        articles: Counter[str] = Counter()
        display: dict[str, str] = {}
        keys: dict[str, str] = {}
        for aid in relevant:
            for name, count in self.results[aid].get("names", {}).items():
                key = keys.get(name)
                if key is None:
                    key = keys[name] = fold(name)
                mentions[key] += count
                articles[key] += 1
                display.setdefault(key, name)
        keep = [k for k in mentions if mentions[k] >= 2 or articles[k] >= 2]
        keep.sort(key=lambda k: (-mentions[k], -articles[k], k))
        return tuple(NameCount(display[k], mentions[k], articles[k]) for k in keep[:ALSO_MENTIONED])

    def _timeline(self, reps: dict[int, list[int]]) -> tuple[TimelineEvent, ...]:
        best: dict[str, list[tuple]] = {}
        for aid in reps:
            result = self.results[aid]
            for iso, sidx, granularity, hits in result.get("dates", ()):
                rank = (_GRANULARITY.get(granularity, 0), hits, result["rel"], -aid)
                heap = best.get(iso)
                if heap is None:
                    best[iso] = [(rank, aid, sidx)]
                elif len(heap) < 3 or rank > heap[0][0]:
                    _push(heap, 3, (rank, aid, sidx))
        events = []
        told: set[tuple[int, int]] = set()
        for iso, items in sorted(best.items(), key=lambda kv: -max(kv[1])[0][0]):
            texts: list[set[str]] = []
            for rank, aid, sidx in sorted(items, reverse=True):
                if (aid, sidx) in told:
                    continue  # one sentence, one date: the most precise one
                told.add((aid, sidx))
                text = self.results[aid]["s"][str(sidx)]
                words = set(fold(text).split())
                if any(len(words & t) / max(len(words | t), 1) > 0.5 for t in texts):
                    continue  # the same event told twice
                texts.append(words)
                events.append((rank, iso, aid, text))
        events.sort(key=lambda e: e[0], reverse=True)
        events = events[:TIMELINE_EVENTS]
        events.sort(key=lambda e: (e[1], self.when[e[2]], e[2]))
        return tuple(TimelineEvent(when=as_datetime(iso), text=short(text), article_id=aid,
                                   source=self.articles[aid].source) for _, iso, aid, text in events)


def _push(heap: list, size: int, item: tuple) -> None:
    """Keep the `size` largest items."""
    if len(heap) < size:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)
