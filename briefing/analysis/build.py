"""Assemble one Briefing from stored per-article analyses, incrementally.

A `BriefingBuilder` is fed the store's articles -- every article's row
data, and the analysis dict of each relevant one -- and keeps only what
building needs, compactly:

  rows.py      every article's row: machine columns, title and link as bytes
  docs.py      a `Doc` per relevant article: a flat tuple of small ints, an
               array of scores, its cited sentences and quotes as one bytes
  syndication  the clusters of near-identical relevant articles
  tally.py     counts of the names the story does not list
  pool.py      the best summary and timeline candidates, bounded
  here         actor counts and roles; per actor and per question the
               articles that can feed them, ordered by date

Adding or replacing articles costs time in proportion to them (a big load
orders its lists and forms its clusters once, at the end). `build()` does
a bounded amount of work on top: LexRank on at most summary.POOL sentences
(skipped when they are the same as last time), merging at most
evidence.POOL per question, and walks that stop as soon as nothing older
can matter. Replacing or removing an article takes its contributions back
out: only the clusters it touched are formed again.

What is "new": an article whose first_seen is after `last_viewed`, and
evidence, quotes and actors that come from such articles (an actor is new
when every article naming it is new). When `last_viewed` is None -- the
very first view -- nothing is marked new: everything would be, which tells
the reader nothing. New marks are applied by `build()`, never stored.

Syndicated copies (see syndication.py; only relevant articles are
compared) are represented by their earliest member: only it feeds the
summary, evidence, quotes, "mentioned in" and timeline, and the other
outlets appear in `also`. Actor and name counts cover every relevant
article: they measure coverage.

Every ranking has a total order (ties fall to the article id, then the
sentence), so the result depends only on the articles held, never on the
order or the batches they came in: `build_briefing` over a list is the
same as a builder fed any way to the same state.
"""

from __future__ import annotations

import gc
import heapq
import math
from array import array
from collections import Counter
from datetime import datetime
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Iterable, Iterator, Mapping, Sequence

from ..config import Story
from ..model import ActorView, Article, ArticleRow, Briefing, Cited, NameCount, Quote, QuestionView, TimelineEvent
from . import evidence as ev
from .article import ANALYSIS_VERSION, analyse_article
from .docs import ACTORS, DATES, EVIDENCE, HEAD as _HEAD, NAMES, QUOTES, ROLES, SUMMARY, ByTime, Doc, pack_texts
from .names import content_stems, fold, words
from .pool import TopPool
from .relevance import RELEVANCE_THRESHOLD
from .rows import ArticleMeta, MetaLike, Rows, as_datetime, pack_row_texts
from .story import compile_story
from .summary import POOL, select
from .syndication import Clusters
from .tally import NameTally
from .timeline import as_datetime as day, short

QUOTES_PER_ACTOR = 8
OTHER_QUOTES = 20
MENTIONED_IN = 3
ALSO_MENTIONED = 15
TIMELINE_EVENTS = 40
TIMELINE_PER_DAY = 3
_BULK = 500  # relevant articles in one add() past which lists and clusters are made at once
_REINDEX = 64  # relevant articles held past which a big load re-sorts once, not list by list
_HALF_LIFE = 86400.0 * 7  # recency relative to the newest relevant article, seconds
_GRANULARITY = {"d": 2, "p": 1, "m": 0}
_SUMMARY_ROOM = 4 * POOL  # summary candidates kept; skipped copies need some slack
_TIMELINE_ROOM = 400
_DOC_ID, _DOC_DATE = attrgetter("aid"), attrgetter("ts")
_NO_ANALYSIS = {"v": None, "fp": None, "rel": 0.0}
_VERSION_REL = itemgetter("v", "fp", "rel")
_ID, _TITLE, _SOURCE, _LINK = attrgetter("id"), attrgetter("title"), attrgetter("source"), attrgetter("link")
_PUBLISHED, _FIRST_SEEN, _READ = attrgetter("published"), attrgetter("first_seen"), attrgetter("read")


def build_briefing(
    story: Story,
    articles: Sequence[Article],
    analyses: Mapping[int, dict],
    *,
    now: datetime,
    last_viewed: datetime | None = None,
    summary_size: int = 6,
    article_limit: int | None = None,
) -> Briefing:
    """The briefing over `articles` at once; an analysis that is missing or
    stale (other version or story) is computed from the article's text."""
    fingerprint = compile_story(story).fingerprint
    current = {}
    for article in articles:
        result = analyses.get(article.id)
        if not result or result.get("v") != ANALYSIS_VERSION or result.get("fp") != fingerprint:
            result = analyse_article(article, story)
        current[article.id] = result
    builder = BriefingBuilder(story)
    builder.add(articles, current)
    return builder.build(now=now, last_viewed=last_viewed, summary_size=summary_size, article_limit=article_limit)


class BriefingBuilder:
    """The briefing's state for one story, fed as the store changes.

    add(metas, analyses)   new or changed articles: every article's row data
                           (ArticleMeta, or Article whose text is not used)
                           and, by id, its stored analysis -- the full dict
                           for a relevant one; for the others a light dict
                           (`light_analysis`) or nothing, which only leaves
                           the row's relevance at 0. Costs time in
                           proportion to what is added.
    remove(ids)            articles gone from the store.
    mark_read(id)          an article read.
    build(now=...)         the Briefing; `article_limit` keeps the newest rows.

    Not thread-safe: one caller at a time."""

    def __init__(self, story: Story) -> None:
        self.story = story
        cs = compile_story(story)
        self._fingerprint = cs.fingerprint
        self._actor_ix = {a.name: i for i, a in enumerate(story.actors)}
        self._question_ix = {q.id: i for i, q in enumerate(story.questions)}
        self.rows = Rows()
        self.docs: dict[int, Doc] = {}
        self._by_time = ByTime()
        self._string_id: dict[str, int] = {}  # roles, speakers, dates
        self._strings: list[str] = []
        n = len(story.actors)
        self._mentions = [0] * n
        self._articles = [0] * n
        self._first_seen = [math.inf] * n  # earliest first_seen of an article naming the actor
        self._first_seen_stale: set[int] = set()  # actors whose earliest article went away
        self._roles = [Counter() for _ in range(n)]
        self._naming = [ByTime() for _ in range(n)]
        self._quoting = [ByTime() for _ in range(n)]
        self._quoting_other = ByTime()
        self._asking = [ByTime() for _ in story.questions]
        self._best_term = [Counter() for _ in story.questions]  # best term score of each article asking
        self._names = NameTally()
        self._summary = TopPool(_SUMMARY_ROOM)
        self._timeline = TopPool(_TIMELINE_ROOM)
        self._signatures: list | None = None  # during a big load: clustered at its end
        self._reindex_needed = False  # after a big load: the date-ordered lists are made at once
        self._clusters = Clusters()
        self._cluster_cache: dict[int, tuple[int, int, tuple[str, ...]]] = {}
        self._text_cache: dict[int, tuple[Doc, list[str]]] = {}
        self._replaced = 0  # articles taken out so far
        self._selected: tuple | None = None  # the last summary choice, by its candidates
        self._stem_cache: dict[tuple[int, int], list[str]] = {}
        self._texts_used: set[int] = set()  # by the build under way
        self._stems_used: set[tuple[int, int]] = set()
        self._seen = -math.inf  # last_viewed of the build under way, as a timestamp
        self._first_view = True

    # --- feeding --------------------------------------------------------

    def add(self, metas: Iterable[MetaLike], analyses: Mapping[int, dict]) -> None:
        """Add new articles or replace ones seen before. An article whose
        analysis is missing, stale or light counts as not relevant unless
        its relevance says otherwise."""
        # Nothing here makes reference cycles, and a full load makes
        # millions of small objects: the cyclic collector would only walk
        # them (and the caller's dicts) again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._add(metas, analyses)
        finally:
            if collecting:
                gc.enable()

    def _add(self, metas: Iterable[MetaLike], analyses: Mapping[int, dict]) -> None:
        metas = metas if isinstance(metas, list) else list(metas)
        ids = list(map(_ID, metas))
        known = self.rows.slot.held(ids)
        twice = Counter(ids) if len(set(ids)) < len(ids) else None
        if not known and twice is None:
            self._add_new(metas, ids, analyses)
            return
        once = [i for i, aid in enumerate(ids) if aid not in known and (twice is None or twice[aid] == 1)]
        self._add_new([metas[i] for i in once], [ids[i] for i in once], analyses)
        # Articles seen before (or twice in this call): one by one, in order.
        new = {ids[i] for i in once}
        for meta, aid in zip(metas, ids):
            if aid not in new:
                self._replace(meta, analyses.get(aid))

    def _current(self, result: dict | None) -> dict | None:
        if result is not None and result.get("v") == ANALYSIS_VERSION and result.get("fp") == self._fingerprint:
            return result
        return None

    def _replace(self, meta: MetaLike, result: dict | None) -> None:
        result = self._current(result)
        rel = result.get("rel", 0.0) if result else 0.0
        if meta.id in self.docs:
            self._forget(meta.id)
        ts, first = self.rows.put(meta, rel)
        if rel >= RELEVANCE_THRESHOLD:
            self._remember(meta.id, ts, first, rel, result)

    def _add_new(self, metas: list, ids: list[int], analyses: Mapping[int, dict]) -> None:
        """Articles not held yet, each once: rows column by column, then the relevant ones."""
        if not ids:
            return
        version, fingerprint = ANALYSIS_VERSION, self._fingerprint
        results = list(map(analyses.get, ids, repeat(_NO_ANALYSIS)))
        try:
            rels = [rel if v == version and fp == fingerprint else 0.0 for v, fp, rel in map(_VERSION_REL, results)]
        except (KeyError, TypeError):  # a dict without one of them
            rels = [(r.get("rel", 0.0) if r.get("v") == version and r.get("fp") == fingerprint else 0.0)
                    if isinstance(r, dict) else 0.0 for r in results]
        dates = list(map(_PUBLISHED, metas))
        if None in dates:
            nan = math.nan
            published = [p.timestamp() if p is not None else nan for p in dates]
        else:
            published = list(map(datetime.timestamp, dates))
        first_seen = list(map(datetime.timestamp, map(_FIRST_SEEN, metas)))
        when = [f if p != p else p for p, f in zip(published, first_seen)]
        rows = self.rows
        rows.extend(ids, when, published, first_seen, rels, list(map(_READ, metas)),
                    rows.source_indexes(list(map(_SOURCE, metas))),
                    pack_row_texts(list(map(_TITLE, metas)), list(map(_LINK, metas))))
        threshold = RELEVANCE_THRESHOLD
        relevant = [i for i, rel in enumerate(rels) if rel >= threshold]
        if len(relevant) <= _BULK:
            for i in relevant:
                self._remember(ids[i], when[i], first_seen[i], rels[i], results[i])
            return
        # A big load: docs ordered and clusters formed once, not article by article.
        self._reindex_needed = True
        self._signatures = signatures = []
        try:
            for i in relevant:
                self._remember(ids[i], when[i], first_seen[i], rels[i], results[i])
        finally:
            self._signatures = None
            self._clusters.load(signatures)
            self._cluster_cache.clear()
            self._names.rank_all()

    def remove(self, ids: Iterable[int]) -> None:
        gone = set()
        for aid in ids:
            if aid in self.docs:
                self._forget(aid, discard=False)
                gone.add(aid)
            self.rows.remove(aid)
        if gone:
            self._summary.discard(lambda key: key[1] not in gone)
            self._timeline.discard(lambda key: -key[3] not in gone)

    def mark_read(self, article_id: int, read: bool = True) -> None:
        slot = self.rows.slot.get(article_id)
        if slot is not None:
            self.rows.read[slot] = read

    def __len__(self) -> int:
        return len(self.rows)

    def _string(self, text: str) -> int:
        sid = self._string_id.get(text)
        if sid is None:
            sid = self._string_id[text] = len(self._strings)
            self._strings.append(text)
        return sid

    def _remember(self, aid: int, ts: float, first: float, rel: float, result: dict) -> None:
        """A relevant article's analysis into a Doc and the running aggregates."""
        actor_ix, question_ix, known, string = self._actor_ix, self._question_ix, self._string_id.get, self._string
        bulk = self._signatures is not None
        # ints: 9 offsets, then the sections in docs.py's order, filled as we go.
        ints = [_HEAD] * 9
        texts: list[str] = []
        sentences = result.get("s")
        if sentences:  # in any order: texts and indices stay aligned
            ints += map(int, sentences)
            texts = list(sentences.values())
        ints[SUMMARY] = len(ints)
        flat = result.get("sum") or []
        if flat and type(flat[0]) is list:
            flat = _flat(flat)
        scores = flat[1::2]
        ints += flat[::2]
        pool, weight = self._summary, 0.5 + rel
        if scores and (pool.floor is None or max(scores) * weight >= pool.floor[0]):
            for sidx, pre in zip(flat[::2], scores):
                pool.offer((pre * weight, aid, sidx))
        ints[EVIDENCE] = len(ints)
        asking = []
        for qid, flat in (result.get("q") or {}).items():
            qi = question_ix.get(qid)
            if qi is None or not flat:
                continue
            if type(flat[0]) is list:
                flat = _flat(flat)
            terms = flat[1::2]
            ints.append(qi)
            ints.append(len(terms))
            ints += flat[::2]
            scores += terms
            asking.append(qi)
            self._best_term[qi][max(terms)] += 1
        ints[ACTORS] = len(ints)
        mentions, articles, first_seen = self._mentions, self._articles, self._first_seen
        for name, (count, sidx) in (result.get("act") or {}).items():
            ai = actor_ix.get(name)
            if ai is not None:
                ints += (ai, count, sidx)
                mentions[ai] += count
                articles[ai] += 1
                if first < first_seen[ai]:
                    first_seen[ai] = first
        ints[ROLES] = len(ints)
        for name, role in (result.get("role") or {}).items():
            ai = actor_ix.get(name)
            if ai is not None:
                sid = known(role)
                ints += (ai, string(role) if sid is None else sid)
                self._roles[ai][role] += 1
        ints[QUOTES] = len(ints)
        quoting = []
        for text, speaker, actor, sidx in result.get("quo") or ():
            ai = actor_ix.get(actor, -1) if actor else -1
            sid = known(speaker)
            ints += (ai, sidx, string(speaker) if sid is None else sid)
            texts.append(text)
            if ai not in quoting:
                quoting.append(ai)
        ints[NAMES] = len(ints)
        ints += self._names.add(result.get("names"), not bulk)
        ints[DATES] = len(ints)
        pool = self._timeline
        for iso, sidx, granularity, hits in result.get("dates") or ():
            g = _GRANULARITY.get(granularity, 0)
            sid = known(iso)
            ints += (string(iso) if sid is None else sid, sidx, g)
            scores.append(hits)
            floor = pool.floor
            if floor is None or g > floor[0] or (g == floor[0] and hits >= floor[1]):
                pool.offer((g, hits, rel, -aid, sidx, iso))
        ints[8] = len(ints)
        doc = Doc(aid, ts, first, rel, tuple(ints), array("d", scores), pack_texts(texts))
        self.docs[aid] = doc
        if not bulk:  # else ordered all at once by _reindex
            self._by_time.add(doc)
            for qi in asking:
                self._asking[qi].add(doc)
            for ai in doc.keys(ACTORS):
                self._naming[ai].add(doc)
            for ai in quoting:
                (self._quoting[ai] if ai >= 0 else self._quoting_other).add(doc)
        sig = result.get("sig") or ()
        if bulk:
            self._signatures.append((aid, sig))
        else:
            for root in self._clusters.add(aid, sig):
                self._cluster_cache.pop(root, None)

    def _forget(self, aid: int, discard: bool = True) -> None:
        """Take a relevant article's contributions out again (from the
        pools too unless the caller does that for many at once)."""
        doc = self.docs.pop(aid)
        self._replaced += 1  # its sentences may come back different under the same ids
        self._by_time.remove(doc)
        for root in self._clusters.remove(aid):
            self._cluster_cache.pop(root, None)
        self._text_cache.pop(aid, None)
        for ai, count, _ in doc.entries(ACTORS):
            self._mentions[ai] -= count
            self._articles[ai] -= 1
            self._naming[ai].remove(doc)
            if doc.first <= self._first_seen[ai]:
                self._first_seen_stale.add(ai)
        for ai, role in doc.entries(ROLES):
            counter = self._roles[ai]
            counter[self._strings[role]] -= 1
            if counter[self._strings[role]] <= 0:
                del counter[self._strings[role]]
        for ai in set(doc.keys(QUOTES)):
            (self._quoting[ai] if ai >= 0 else self._quoting_other).remove(doc)
        best: dict[int, float] = {}
        for qi, _, term in doc.evidence():
            best[qi] = max(best.get(qi, 0.0), term)
        for qi, term in best.items():
            self._asking[qi].remove(doc)
            counter = self._best_term[qi]
            counter[term] -= 1
            if counter[term] <= 0:
                del counter[term]
        self._names.remove(doc.section(NAMES))
        if discard:
            gone = {aid}
            self._summary.discard(lambda key: key[1] not in gone)
            self._timeline.discard(lambda key: -key[3] not in gone)

    # --- state brought up to date before a build --------------------------

    def _settle(self) -> None:
        by_time = self._by_time
        if self._reindex_needed or (len(by_time) > _REINDEX and by_time.waiting * 4 > len(by_time)):
            self._reindex()
            self._reindex_needed = False
        for ai in self._first_seen_stale:
            self._first_seen[ai] = min((d.first for d in self._naming[ai].items), default=math.inf)
        self._first_seen_stale.clear()

    def _reindex(self) -> None:
        """After a big load: every date-ordered list from one sort of all
        the docs, rather than a sort of each."""
        ordered = list(self.docs.values())
        ordered.sort(key=_DOC_ID)
        ordered.sort(key=_DOC_DATE)
        self._by_time = ByTime(ordered)
        naming = [[] for _ in self._naming]
        quoting = [[] for _ in self._quoting]
        other: list[Doc] = []
        asking = [[] for _ in self._asking]
        quoting.append(other)  # [-1]: speakers who are not actors
        for doc in ordered:
            for ai in doc.keys(ACTORS):
                naming[ai].append(doc)
            for ai in doc.keys(QUOTES):
                docs = quoting[ai]
                if not docs or docs[-1] is not doc:
                    docs.append(doc)
            for qi in doc.questions():
                asking[qi].append(doc)
        quoting.pop()
        self._naming = [ByTime(docs) for docs in naming]
        self._quoting = [ByTime(docs) for docs in quoting]
        self._quoting_other = ByTime(other)
        self._asking = [ByTime(docs) for docs in asking]

    def _cluster(self, aid: int) -> tuple[int, int, tuple[str, ...]]:
        """(size, representative, outlets earliest first) of an article's cluster."""
        clusters = self._clusters
        root = clusters.find(aid)
        ids = clusters.members.get(root)
        if ids is None:
            return 1, aid, ()
        cached = self._cluster_cache.get(root)
        if cached is None or cached[0] != len(ids):
            docs, rows = self.docs, self.rows
            ordered = sorted(ids, key=lambda i: (docs[i].ts, i))
            outlets = tuple(dict.fromkeys(rows.source_of(rows.slot[i]) for i in ordered))
            cached = self._cluster_cache[root] = (len(ids), ordered[0], outlets)
        return cached

    def _is_rep(self, aid: int) -> bool:
        clusters = self._clusters
        root = clusters.find(aid)
        return root not in clusters.members or self._cluster(aid)[1] == aid

    def _also(self, aid: int, source: str) -> tuple[str, ...]:
        size, _, outlets = self._cluster(aid)
        return tuple(s for s in outlets if s != source) if size > 1 else ()

    def _texts(self, doc: Doc) -> list[str]:
        cached = self._text_cache.get(doc.aid)
        if cached is None or cached[0] is not doc:
            cached = self._text_cache[doc.aid] = (doc, doc.texts())
        self._texts_used.add(doc.aid)
        return cached[1]

    def _sentence(self, aid: int, sidx: int) -> str:
        doc = self.docs[aid]
        try:
            return self._texts(doc)[doc.sids.index(sidx)]
        except ValueError:
            return ""

    def _stems(self, aid: int, sidx: int) -> list[str]:
        key = (aid, sidx)
        stems = self._stem_cache.get(key)
        if stems is None:
            stems = self._stem_cache[key] = content_stems(words(self._sentence(aid, sidx)))
        self._stems_used.add(key)
        return stems

    # --- the briefing ---------------------------------------------------

    def build(self, *, now: datetime, last_viewed: datetime | None = None, summary_size: int = 6,
              article_limit: int | None = None) -> Briefing:
        """The briefing over everything added so far. `article_limit` keeps
        only the newest rows (extra["total_articles"] counts them all)."""
        self._settle()
        self._texts_used, self._stems_used = set(), set()
        self._seen = -math.inf if last_viewed is None else last_viewed.timestamp()
        self._first_view = last_viewed is None
        actors, other_quotes = self._actors()
        briefing = Briefing(
            story_id=self.story.id,
            story_title=self.story.title,
            generated_at=now,
            summary=self._summary_view(summary_size),
            actors=actors,
            questions=self._questions(),
            articles=self._rows(article_limit),
            also_mentioned=self._also_mentioned(),
            timeline=self._timeline_view(),
            last_viewed=last_viewed,
            # other_quotes: quotations of speakers who are not story actors.
            extra={"relevant": len(self.docs), "distinct_relevant": len(self._clusters),
                   "other_quotes": other_quotes, "total_articles": len(self.rows)},
        )
        # Caches keep only what this build used.
        self._text_cache = {aid: self._text_cache[aid] for aid in self._texts_used if aid in self._text_cache}
        self._stem_cache = {key: self._stem_cache[key] for key in self._stems_used}
        return briefing

    def _is_new(self, first_seen: float) -> bool:
        return not self._first_view and first_seen > self._seen

    def _cited(self, aid: int, sidx: int, score: float, also: tuple[str, ...]) -> Cited:
        rows = self.rows
        slot = rows.slot[aid]
        return Cited(text=self._sentence(aid, sidx), article_id=aid, source=rows.source_of(slot),
                     published=as_datetime(rows.published[slot]), also=also,
                     new=self._is_new(rows.first_seen[slot]), score=round(score, 4))

    def _rows(self, limit: int | None) -> tuple[ArticleRow, ...]:
        rows, docs = self.rows, self.docs
        out = []
        for slot in rows.newest(limit):
            aid = rows.ids[slot]
            title, link = rows.title_link(slot)
            source = rows.source_of(slot)
            relevant = aid in docs
            out.append(ArticleRow(
                id=aid, title=title, source=source, link=link, published=as_datetime(rows.published[slot]),
                read=bool(rows.read[slot]), relevance=rows.rel[slot], relevant=relevant,
                also_in=self._also(aid, source) if relevant else (), new=self._is_new(rows.first_seen[slot]),
            ))
        return tuple(out)

    def _summary_everything(self, wanted: int) -> list[tuple]:
        """Every summary candidate's key, or those that can be among the
        `wanted` best (their scores alone pick them)."""
        entries = [(doc, doc.summary()) for doc in self.docs.values()]
        scores = [pre * (0.5 + doc.rel) for doc, summary in entries for _, pre in summary]
        cut = heapq.nlargest(wanted, scores)[-1] if len(scores) > wanted else -math.inf
        return [(pre * (0.5 + doc.rel), doc.aid, sidx)
                for doc, summary in entries for sidx, pre in summary if pre * (0.5 + doc.rel) >= cut]

    def _summary_view(self, size: int) -> tuple[Cited, ...]:
        picked = []
        for score, aid, sidx in self._summary.walk(self._summary_everything):
            if self._is_rep(aid):
                picked.append((score, aid, sidx))
                if len(picked) >= POOL:
                    break
        memo = (tuple(picked), size, self._replaced)
        if self._selected is not None and self._selected[0] == memo:
            chosen = list(self._selected[1])  # the same candidates: LexRank would say the same
            self._stems_used.update((aid, sidx) for _, aid, sidx in picked)
        else:
            chosen = select([((aid, sidx, score), score, self._stems(aid, sidx), aid) for score, aid, sidx in picked],
                            size)
            self._selected = (memo, tuple(chosen))
        docs, rows = self.docs, self.rows
        chosen.sort(key=lambda k: (docs[k[0]].ts, k[0], k[1]))  # read as a story
        return tuple(self._cited(aid, sidx, score, self._also(aid, rows.source_of(rows.slot[aid])))
                     for aid, sidx, score in chosen)

    def _questions(self) -> tuple[QuestionView, ...]:
        items = self._by_time.items
        newest = items[-1].ts if items else 0.0
        rows = self.rows
        views = []
        for qi, question in enumerate(self.story.questions):
            heap: list[tuple[float, int, int]] = []
            # The best any article can still do, recency aside.
            top = ev.TERM_WEIGHT * max(self._best_term[qi], default=0.0) + ev.ARTICLE_WEIGHT + 1e-9
            for doc in reversed(self._asking[qi].items):
                recency = 0.5 ** ((newest - doc.ts) / _HALF_LIFE)
                if len(heap) >= ev.POOL and ev.RECENCY_WEIGHT * recency + top < heap[0][0]:
                    break  # nothing older can score higher
                if not self._is_rep(doc.aid):
                    continue
                base = ev.evidence_score(0.0, recency, doc.rel)
                for sidx, term in doc.evidence_for(qi):
                    _push(heap, ev.POOL, (base + ev.TERM_WEIGHT * term, -doc.aid, sidx))
            candidates = []
            # Ties: the older article, then the later sentence in it.
            for score, neg_aid, sidx in sorted(heap, reverse=True):
                aid = -neg_aid
                slot = rows.slot[aid]
                source = rows.source_of(slot)
                candidates.append(ev.Candidate(
                    score=score, article_id=aid, text=self._sentence(aid, sidx), source=source,
                    published=as_datetime(rows.published[slot]), also=list(self._also(aid, source)),
                    new=self._is_new(rows.first_seen[slot]), stems=self._stems(aid, sidx)))
            cited = ev.finish(candidates)
            outlets = {c.source for c in cited} | {s for c in cited for s in c.also}
            last = max((self.docs[c.article_id].ts for c in cited), default=None)
            views.append(QuestionView(
                id=question.id, title=question.title, evidence=cited, outlets=len(outlets),
                last_moved=as_datetime(last) if last is not None else None,
                new_evidence=sum(1 for c in cited if c.new)))
        return tuple(views)

    def _actors(self) -> tuple[tuple[ActorView, ...], tuple[Quote, ...]]:
        actors = self.story.actors
        views = []
        for i, actor in enumerate(actors):
            naming = self._naming[i].items
            role = actor.role or self._role(i)
            views.append(ActorView(
                name=actor.name, kind=actor.kind, role=role, mentions=self._mentions[i], articles=self._articles[i],
                first_seen=as_datetime(naming[0].ts) if naming else None,
                last_seen=as_datetime(naming[-1].ts) if naming else None,
                quotes=self._quotes(self._quoting[i], i, QUOTES_PER_ACTOR),
                mentioned_in=self._mentioned_in(i),
                new=bool(naming) and not self._first_view and self._first_seen[i] > self._seen,
            ))
        order = sorted(range(len(actors)), key=lambda i: (-views[i].mentions, -views[i].articles, i))
        return tuple(views[i] for i in order), self._quotes(self._quoting_other, -1, OTHER_QUOTES)

    def _role(self, i: int) -> str | None:
        """The role the articles give most often (folded); its most usual spelling."""
        by_key: dict[str, Counter] = {}
        for text, count in self._roles[i].items():
            by_key.setdefault(fold(text), Counter())[text] += count
        if not by_key:
            return None
        key = min(by_key, key=lambda k: (-sum(by_key[k].values()), k))
        return min(by_key[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def _mentioned_in(self, i: int) -> tuple[Cited, ...]:
        out = []
        for doc in reversed(self._naming[i].items):
            if self._is_rep(doc.aid):
                sidx = next(sidx for ai, _, sidx in doc.entries(ACTORS) if ai == i)
                out.append(self._cited(doc.aid, sidx, 0.0, ()))
                if len(out) >= MENTIONED_IN:
                    break
        return tuple(out)

    def _quotes(self, quoting: ByTime, actor: int, limit: int) -> tuple[Quote, ...]:
        """The latest quotations of one speaker group (an actor, or -1 for the
        rest): the 2 * limit latest, repeats dropped, at most `limit`."""
        wanted = 2 * limit
        items: list[tuple] = []
        for doc in reversed(quoting.items):
            if not self._is_rep(doc.aid):
                continue
            texts, first, strings = self._texts(doc), len(doc.sids), self._strings
            mine = sorted(((sidx, texts[first + k], strings[speaker])
                           for k, (ai, sidx, speaker) in enumerate(doc.entries(QUOTES)) if ai == actor), reverse=True)
            for sidx, text, speaker in mine[:wanted - len(items)]:
                items.append((doc, text, speaker))
            if len(items) >= wanted:
                break
        out, seen = [], set()
        rows = self.rows
        for doc, text, speaker in items:
            key = fold(text)[:120]
            if key in seen:
                continue
            seen.add(key)
            slot = rows.slot[doc.aid]
            out.append(Quote(text=text, speaker=speaker, article_id=doc.aid, source=rows.source_of(slot),
                             published=as_datetime(rows.published[slot]), new=self._is_new(doc.first)))
            if len(out) >= limit:
                break
        return tuple(out)

    def _also_mentioned(self) -> tuple[NameCount, ...]:
        return tuple(NameCount(*entry) for entry in self._names.top(ALSO_MENTIONED))

    def _timeline_everything(self, wanted: int) -> list[tuple]:
        """Every dated sentence's key, or those that can be among the `wanted` best."""
        entries = [(doc, doc.dates()) for doc in self.docs.values()]
        # (granularity, hits) rank first; hits have two decimals and stay far below 1e5.
        ranks = [g * 1e9 + hits * 1e3 for _, dates in entries for _, _, g, hits in dates]
        cut = heapq.nlargest(wanted, ranks)[-1] - 1.0 if len(ranks) > wanted else -math.inf
        strings = self._strings
        return [(g, hits, doc.rel, -doc.aid, sidx, strings[iso])
                for doc, dates in entries for iso, sidx, g, hits in dates if g * 1e9 + hits * 1e3 >= cut]

    def _timeline_view(self) -> tuple[TimelineEvent, ...]:
        """Walk dated sentences best first (precise dates, many story terms,
        relevant articles): at most TIMELINE_PER_DAY per date, each sentence
        once, no near repeat on one date, TIMELINE_EVENTS in all."""
        per_day: Counter[str] = Counter()
        told: set[tuple[int, int]] = set()
        said: dict[str, list[set[str]]] = {}
        events = []
        for key in self._timeline.walk(self._timeline_everything):
            aid, sidx, iso = -key[3], key[4], key[5]
            if per_day[iso] >= TIMELINE_PER_DAY or not self._is_rep(aid):
                continue
            per_day[iso] += 1
            if (aid, sidx) in told:
                continue  # one sentence, one date: the most precise one
            told.add((aid, sidx))
            text = self._sentence(aid, sidx)
            seen = set(fold(text).split())
            texts = said.setdefault(iso, [])
            if any(len(seen & t) / max(len(seen | t), 1) > 0.5 for t in texts):
                continue  # the same event told twice
            texts.append(seen)
            events.append((iso, self.docs[aid].ts, aid, sidx, text))
            if len(events) >= TIMELINE_EVENTS:
                break
        events.sort()  # by date, then as the articles tell it
        rows = self.rows
        return tuple(TimelineEvent(when=day(iso), text=short(text), article_id=aid,
                                   source=rows.source_of(rows.slot[aid])) for iso, _, aid, _, text in events)


def _flat(pairs: list | None) -> list:
    """[sidx, score, sidx, score, ...]; the first stores of version 2 kept
    [[sidx, score], ...] and are read as well."""
    if not pairs:
        return []
    return [v for pair in pairs for v in pair[:2]] if type(pairs[0]) is list else pairs


def _push(heap: list, size: int, item: tuple) -> None:
    """Keep the `size` largest items."""
    if len(heap) < size:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


__all__ = ["ArticleMeta", "BriefingBuilder", "build_briefing"]
