"""Assemble one Briefing from stored per-article analyses, incrementally.

A `BriefingBuilder` is fed the store's articles -- every article's row
data, and the analysis dict of each relevant one -- and keeps only what
building needs, compactly:

  rows.py      every article's row: machine columns, title and link as bytes
  digests.py   a `Doc` per relevant article: a flat tuple of small ints, an
               array of scores, its cited sentences and quotes as one bytes
  syndication  the clusters of near-identical relevant articles
  tally.py     counts of the names the story does not list
  pool.py      the best summary and timeline candidates, bounded
  here         actor counts and roles; per actor and per question the
               articles that can feed them, ordered by date; per outlet and
               per day the counts behind coverage and volume

Adding or replacing articles costs time in proportion to them (a big load
orders its lists and forms its clusters once, at the end). `build()` does
a bounded amount of work on top: LexRank on at most summary.POOL sentences
(skipped when they are the same as last time), merging at most
evidence.POOL per question, and walks that stop as soon as nothing older
can matter. Replacing or removing an article takes its contributions back
out: only the clusters it touched are formed again.

build() and the views it assembles are in assemble.py (`BriefingAssembly`,
which BriefingBuilder inherits): this module changes the state, that one
reads it. What counts as "new" and how syndicated copies are shown are
described there.

Every ranking has a total order (ties fall to the article id, then the
sentence), so the result depends only on the articles held, never on the
order or the batches they came in: `build_briefing` over a list is the
same as a builder fed any way to the same state.

Longer than most modules: every change to the builder's state is made
here, in one place; reading that state into a Briefing is assemble.py.
"""

from __future__ import annotations

import gc
import math
import operator
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from itertools import repeat
from operator import attrgetter, itemgetter

from briefing.analysis.article import ANALYSIS_VERSION, LED, TITLED
from briefing.analysis.assemble import BriefingAssembly
from briefing.analysis.digests import (
    ACTORS,
    DATES,
    EVIDENCE,
    FLAGS,
    NAMES,
    NO_ORG,
    QUOTES,
    ROLES,
    SPOTS,
    SUMMARY,
    ByTime,
    Doc,
    name_code,
    org_code,
    pack_texts,
)
from briefing.analysis.digests import HEAD as _HEAD
from briefing.analysis.names import fold
from briefing.analysis.pool import TopPool
from briefing.analysis.relevance import RELEVANCE_THRESHOLD
from briefing.analysis.rows import ArticleMeta, MetaLike, Rows, pack_row_texts
from briefing.analysis.story import compile_story
from briefing.analysis.summary import POOL
from briefing.analysis.syndication import Clusters
from briefing.analysis.tally import NameTally
from briefing.config import Story

_BULK = 500  # relevant articles in one add() past which lists and clusters are made at once
_REINDEX = 64  # relevant articles held past which a big load re-sorts once, not list by list
_GRANULARITY = {"d": 3, "p": 2, "m": 1, "y": 0}  # rank: a day beats a month beats a year
_SUMMARY_ROOM = 4 * POOL  # summary candidates kept; skipped copies need some slack
_TIMELINE_ROOM = 400
_DOC_ID, _DOC_DATE = attrgetter("aid"), attrgetter("ts")
_NO_ANALYSIS = {"v": None, "fp": None, "rel": 0.0}
_VERSION_REL = itemgetter("v", "fp", "rel")
_ID, _TITLE, _SOURCE, _LINK = attrgetter("id"), attrgetter("title"), attrgetter("source"), attrgetter("link")
_PUBLISHED, _FIRST_SEEN, _READ = attrgetter("published"), attrgetter("first_seen"), attrgetter("read")


class BriefingBuilder(BriefingAssembly):
    """The briefing's state for one story, fed as the store changes.

    add(metas, analyses)   new or changed articles: every article's row data
                           (ArticleMeta, or Article whose text is not used)
                           and, by id, its stored analysis -- the full dict
                           for a relevant one; for the others a light dict
                           (`light_analysis`) or nothing, which only leaves
                           the row's relevance at 0. Costs time in
                           proportion to what is added.
    remove(ids)            articles gone from the store.
    mark_read(id, read)    an article read (or unread again).
    mark_all_read()        every article read.
    build(now=...)         the Briefing; `article_limit` keeps the newest rows
                           (in assemble.py, with everything it calls).

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
        # Speakers and organisations that are not actors, by folded name:
        # the articles quoting them, for the names the briefing opens.
        self._quoting_named: dict[str, ByTime] = {}
        self._titled = [0] * n  # articles naming the actor in their title
        self._led = [0] * n  # ... in their lead
        self._quoted = [0] * n  # quotations by the actor or for it
        self._outlets = [Counter() for _ in range(n)]  # articles naming it, by outlet (source index)
        self._relevant_outlets: Counter[int] = Counter()  # relevant articles by outlet
        self._asking = [ByTime() for _ in story.questions]
        self._best_term = [Counter() for _ in story.questions]  # best term score of each article asking
        self._names = NameTally()
        # Per outlet (source index): [relevant, quotes, first, last, evidence per question...].
        self._coverage_stats: dict[int, list[float]] = {}
        self._outlet_span_stale: set[int] = set()  # outlets whose first or last article went away
        self._day_articles: Counter[int] = Counter()  # relevant articles per UTC day number
        self._day_outlet: Counter[tuple[int, int]] = Counter()  # (day, outlet): relevant articles
        self._day_outlets: Counter[int] = Counter()  # distinct outlets per day
        self._summary = TopPool(_SUMMARY_ROOM)
        self._summary_candidates = POOL  # at most this many go to LexRank; set here beside its pool
        self._timeline = TopPool(_TIMELINE_ROOM)
        self._signatures: list[tuple[int, Sequence[int]]] | None = None  # during a big load: clustered at its end
        self._reindex_needed = False  # after a big load: the date-ordered lists are made at once
        self._clusters = Clusters()
        self._cluster_cache: dict[int, tuple[int, int, tuple[str, ...], tuple[int, ...]]] = {}
        self._text_cache: dict[int, tuple[Doc, list[str]]] = {}
        self._replaced = 0  # articles taken out so far
        self._selected: tuple | None = None  # the last summary choice, by its candidates
        self._stem_cache: dict[tuple[int, int], list[str]] = {}
        self._texts_used: set[int] = set()  # by the build under way
        self._stems_used: set[tuple[int, int]] = set()
        self._seen = -math.inf  # last_viewed of the build under way, as a timestamp
        self._first_view = True
        # Where the titles and links of rows let go of are read back (forget_titles).
        self._titles_from: Callable[[list[int]], Mapping[int, tuple[str, str | None]]] = _no_titles

    def forget_titles(self, keep: int, titles_from: Callable[[list[int]], Mapping[int, tuple[str, str | None]]]) -> int:
        """Hold the title and link of the newest `keep` rows only; a build
        that shows an older row asks `titles_from(ids)` for (title, link) by
        id (the store). Rows added later keep theirs. Returns how many were
        let go."""
        self._titles_from = titles_from
        return self.rows.forget_texts(keep)

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
        for meta, aid in zip(metas, ids, strict=False):
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
        if result is not None and rel >= RELEVANCE_THRESHOLD:
            self._remember(meta.id, ts, first, rel, result)

    def _add_new(self, metas: list, ids: list[int], analyses: Mapping[int, dict]) -> None:
        """Articles not held yet, each once: rows column by column, then the relevant ones."""
        if not ids:
            return
        if any(map(operator.gt, ids, ids[1:])):
            # By id: a new article then usually joins the syndication buckets
            # at their ends instead of between two others, which re-forms
            # their whole cluster (workspace._update says what that cost).
            order = sorted(range(len(ids)), key=ids.__getitem__)
            metas, ids = [metas[i] for i in order], [ids[i] for i in order]
        version, fingerprint = ANALYSIS_VERSION, self._fingerprint
        results = list(map(analyses.get, ids, repeat(_NO_ANALYSIS)))
        try:
            rels = [rel if v == version and fp == fingerprint else 0.0 for v, fp, rel in map(_VERSION_REL, results)]
        except (KeyError, TypeError):  # a dict without one of them
            rels = [
                (r.get("rel", 0.0) if r.get("v") == version and r.get("fp") == fingerprint else 0.0)
                if isinstance(r, dict)
                else 0.0
                for r in results
            ]
        dates = list(map(_PUBLISHED, metas))
        if None in dates:
            nan = math.nan
            published = [p.timestamp() if p is not None else nan for p in dates]
        else:
            published = list(map(datetime.timestamp, dates))
        first_seen = list(map(datetime.timestamp, map(_FIRST_SEEN, metas)))
        when = [f if p != p else p for p, f in zip(published, first_seen, strict=False)]
        rows = self.rows
        rows.extend(
            ids,
            when,
            published,
            first_seen,
            rels,
            list(map(_READ, metas)),
            rows.source_indexes(list(map(_SOURCE, metas))),
            pack_row_texts(list(map(_TITLE, metas)), list(map(_LINK, metas))),
        )
        threshold = RELEVANCE_THRESHOLD
        relevant = [i for i, rel in enumerate(rels) if rel >= threshold]
        if len(relevant) <= _BULK:
            for i in relevant:
                self._remember(ids[i], when[i], first_seen[i], rels[i], results[i])
            return
        # A big load: docs ordered and clusters formed once, not article by article.
        self._reindex_needed = True
        signatures: list[tuple[int, Sequence[int]]] = []
        self._signatures = signatures
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

    def mark_all_read(self) -> None:
        self.rows.read[:] = b"\x01" * len(self.rows.read)

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
        signatures = self._signatures
        bulk = signatures is not None
        # ints: 9 offsets, then the sections in digests.py's order, filled as we go.
        ints = [_HEAD] * _HEAD
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
            for sidx, pre in zip(flat[::2], scores, strict=False):
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
        spots: list[int] = []
        source = self.rows.source[self.rows.slot[aid]]
        self._relevant_outlets[source] += 1
        for name, stats in (result.get("act") or {}).items():
            ai = actor_ix.get(name)
            if ai is not None and len(stats) >= 2:
                ints += (ai, stats[0], stats[1])
                mentions[ai] += stats[0]
                articles[ai] += 1
                self._outlets[ai][source] += 1
                if first < first_seen[ai]:
                    first_seen[ai] = first
                for sidx in stats[1:]:
                    spots += (ai, sidx)
        ints[ROLES] = len(ints)
        for name, role in (result.get("role") or {}).items():
            ai = actor_ix.get(name)
            if ai is not None:
                sid = known(role)
                ints += (ai, string(role) if sid is None else sid)
                self._roles[ai][role] += 1
        names = self._names
        counted = names.add(result.get("names"), not bulk, aid)
        for name, role in (result.get("nrole") or {}).items():
            nid = names.name_id(name)
            if nid is not None:
                sid = known(role)
                ints += (name_code(nid), string(role) if sid is None else sid)
        ints[QUOTES] = len(ints)
        quoting: list[int] = []
        named: list[str] = []
        for entry in result.get("quo") or ():
            text, speaker, actor, sidx = entry[:4]
            org = entry[4] if len(entry) > 4 else None
            ai = actor_ix.get(actor, -1) if actor else -1
            oi = NO_ORG
            if org:
                oi = actor_ix.get(org, NO_ORG)
                if oi == NO_ORG:
                    sid = known(org)
                    oi = org_code(string(org) if sid is None else sid)
                    named.append(fold(org))
                else:
                    self._quoted[oi] += oi != ai
            sid = known(speaker)
            ints += (ai, sidx, string(speaker) if sid is None else sid, oi)
            texts.append(text)
            if ai >= 0:
                self._quoted[ai] += 1
            else:
                named.append(fold(speaker))
            for group in (ai, oi):
                if group >= -1 and group not in quoting and (group >= 0 or group == ai):
                    quoting.append(group)
        ints[NAMES] = len(ints)
        ints += counted
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
        ints[SPOTS] = len(ints)
        ints += spots
        for name, sidxs in (result.get("nsid") or {}).items():
            nid = names.name_id(name)
            if nid is not None:
                for sidx in sidxs:
                    ints += (name_code(nid), sidx)
        ints[FLAGS] = len(ints)
        for name, bits in (result.get("flag") or {}).items():
            ai = actor_ix.get(name)
            if ai is not None:
                ints += (ai, bits)
                self._titled[ai] += bool(bits & TITLED)
                self._led[ai] += bool(bits & LED)
            else:
                nid = names.name_id(name)
                if nid is not None:
                    ints += (name_code(nid), bits)
        ints[FLAGS + 1] = len(ints)
        doc = Doc(aid, ts, first, rel, tuple(ints), array("d", scores), pack_texts(texts))
        self.docs[aid] = doc
        self._count_outlet(doc, 1)
        if not bulk:  # else ordered all at once by _reindex
            self._by_time.add(doc)
            for qi in asking:
                self._asking[qi].add(doc)
            for ai in doc.keys(ACTORS):
                self._naming[ai].add(doc)
            for ai in quoting:
                (self._quoting[ai] if ai >= 0 else self._quoting_other).add(doc)
            for key in dict.fromkeys(named):
                self._quoting_named.setdefault(key, ByTime()).add(doc)
        sig = result.get("sig") or ()
        if signatures is not None:
            signatures.append((aid, sig))
        else:
            for root in self._clusters.add(aid, sig):
                self._cluster_cache.pop(root, None)

    def _forget(self, aid: int, discard: bool = True) -> None:
        """Take a relevant article's contributions out again (from the
        pools too unless the caller does that for many at once)."""
        doc = self.docs.pop(aid)
        self._count_outlet(doc, -1)
        self._replaced += 1  # its sentences may come back different under the same ids
        self._by_time.remove(doc)
        for root in self._clusters.remove(aid):
            self._cluster_cache.pop(root, None)
        self._text_cache.pop(aid, None)
        source = self.rows.source[self.rows.slot[aid]]
        self._relevant_outlets[source] -= 1
        for ai, count, _ in doc.entries(ACTORS):
            self._mentions[ai] -= count
            self._articles[ai] -= 1
            self._outlets[ai][source] -= 1
            self._naming[ai].remove(doc)
            if doc.first <= self._first_seen[ai]:
                self._first_seen_stale.add(ai)
        for who, bits in doc.entries(FLAGS):
            if who >= 0:
                self._titled[who] -= bool(bits & TITLED)
                self._led[who] -= bool(bits & LED)
        for ai, role in doc.entries(ROLES):
            if ai < 0:
                continue  # a name's role: read from its articles at build time
            counter = self._roles[ai]
            counter[self._strings[role]] -= 1
            if counter[self._strings[role]] <= 0:
                del counter[self._strings[role]]
        groups, named = self._quote_groups(doc)
        for ai in groups:
            (self._quoting[ai] if ai >= 0 else self._quoting_other).remove(doc)
        for ai, _, _, oi in doc.entries(QUOTES):
            if ai >= 0:
                self._quoted[ai] -= 1
            if oi >= 0 and oi != ai:
                self._quoted[oi] -= 1
        for key in named:
            docs = self._quoting_named.get(key)
            if docs is not None:
                docs.remove(doc)
                if not len(docs):
                    del self._quoting_named[key]
        best: dict[int, float] = {}
        for qi, _, term in doc.evidence():
            best[qi] = max(best.get(qi, 0.0), term)
        for qi, term in best.items():
            self._asking[qi].remove(doc)
            terms = self._best_term[qi]
            terms[term] -= 1
            if terms[term] <= 0:
                del terms[term]
        self._names.remove(doc.section(NAMES), aid)
        if discard:
            gone = {aid}
            self._summary.discard(lambda key: key[1] not in gone)
            self._timeline.discard(lambda key: -key[3] not in gone)

    def _count_outlet(self, doc: Doc, sign: int) -> None:
        """A relevant article into (1) or out of (-1) its outlet's and its
        day's counts. Its row is in place: added before, removed after."""
        rows = self.rows
        source = rows.source[rows.slot[doc.aid]]
        stats = self._coverage_stats.get(source)
        if stats is None:
            stats = self._coverage_stats[source] = [0, 0, doc.ts, doc.ts] + [0] * len(self._asking)
        stats[0] += sign
        stats[1] += sign * len(doc.keys(QUOTES))
        for qi, _, _ in doc.evidence():
            stats[4 + qi] += sign
        if sign > 0:
            stats[2], stats[3] = min(stats[2], doc.ts), max(stats[3], doc.ts)
        elif stats[0] <= 0:
            del self._coverage_stats[source]
            self._outlet_span_stale.discard(source)
        elif doc.ts <= stats[2] or doc.ts >= stats[3]:
            self._outlet_span_stale.add(source)
        day = int(doc.ts // 86400)
        self._day_articles[day] += sign
        if self._day_articles[day] <= 0:
            del self._day_articles[day]
        key = (day, source)
        self._day_outlet[key] += sign
        held = self._day_outlet[key]
        if held <= 0:
            del self._day_outlet[key]
            self._day_outlets[day] -= 1
            if self._day_outlets[day] <= 0:
                del self._day_outlets[day]
        elif held == 1 and sign > 0:
            self._day_outlets[day] += 1

    # --- state brought up to date before a build --------------------------

    def _settle(self) -> None:
        by_time = self._by_time
        if self._reindex_needed or (len(by_time) > _REINDEX and by_time.waiting * 4 > len(by_time)):
            self._reindex()
            self._reindex_needed = False
        for ai in self._first_seen_stale:
            self._first_seen[ai] = min((d.first for d in self._naming[ai].items), default=math.inf)
        self._first_seen_stale.clear()
        stale = self._outlet_span_stale
        if stale:
            rows, outlets = self.rows, self._coverage_stats
            for stats in (outlets[source] for source in stale):
                stats[2], stats[3] = math.inf, -math.inf
            for doc in self._by_time.items:
                source = rows.source[rows.slot[doc.aid]]
                if source in stale:
                    stats = outlets[source]
                    stats[2], stats[3] = min(stats[2], doc.ts), max(stats[3], doc.ts)
            stale.clear()

    def _reindex(self) -> None:
        """After a big load: every date-ordered list from one sort of all
        the docs, rather than a sort of each."""
        ordered = list(self.docs.values())
        ordered.sort(key=_DOC_ID)
        ordered.sort(key=_DOC_DATE)
        self._by_time = ByTime(ordered)
        naming: list[list[Doc]] = [[] for _ in self._naming]
        quoting: list[list[Doc]] = [[] for _ in self._quoting]
        other: list[Doc] = []
        asking: list[list[Doc]] = [[] for _ in self._asking]
        quoting.append(other)  # [-1]: speakers who are not actors
        named: dict[str, list[Doc]] = {}
        for doc in ordered:
            for ai in doc.keys(ACTORS):
                naming[ai].append(doc)
            groups, keys = self._quote_groups(doc)
            for ai in groups:
                quoting[ai].append(doc)
            for key in keys:
                named.setdefault(key, []).append(doc)
            for qi in doc.questions():
                asking[qi].append(doc)
        quoting.pop()
        self._naming = [ByTime(docs) for docs in naming]
        self._quoting = [ByTime(docs) for docs in quoting]
        self._quoting_other = ByTime(other)
        self._quoting_named = {key: ByTime(docs) for key, docs in named.items()}
        self._asking = [ByTime(docs) for docs in asking]

    def _quote_groups(self, doc: Doc) -> tuple[list[int], list[str]]:
        """Whom a doc's quotations are listed under: actors (-1: speakers
        who are not actors), and the folded names of the other speakers
        and organisations."""
        groups: list[int] = []
        named: list[str] = []
        strings = self._strings
        for ai, _, speaker, oi in doc.entries(QUOTES):
            for group in (ai, oi):
                if group >= -1 and group not in groups and (group >= 0 or group == ai):
                    groups.append(group)
            if ai < 0:
                named.append(fold(strings[speaker]))
            if oi < NO_ORG:
                named.append(fold(strings[-2 - oi]))
        return groups, list(dict.fromkeys(named))


def _flat(pairs: list | None) -> list:
    """[sidx, score, sidx, score, ...]; the first stores of version 2 kept
    [[sidx, score], ...] and are read as well."""
    if not pairs:
        return []
    return [v for pair in pairs for v in pair[:2]] if type(pairs[0]) is list else pairs


__all__ = ["ArticleMeta", "BriefingBuilder"]


def _no_titles(ids: list[int]) -> Mapping[int, tuple[str, str | None]]:
    raise RuntimeError("rows' titles were let go with no way to read them back")
