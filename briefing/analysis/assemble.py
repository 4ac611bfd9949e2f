"""The second half of a BriefingBuilder: `build()` and the views it assembles.

build.py keeps the running state (rows, docs, clusters, counts, pools) and
changes it as articles come and go; this module only reads that state, at
build time, and turns it into one Briefing: summary, actors and their
quotes, questions and their evidence, article rows, names also mentioned,
timeline, the story's volume by day and its coverage by outlet. It is
separate so that each half can be read on its own: here nothing is added
or taken out, and everything is bounded by the sizes below, never by the
number of articles (but for one count of the rows' outlet column, made in
C, for the coverage).

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

Longer than most modules: each view of the Briefing is assembled here from
one read of the builder's state; each is short and bounded.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from briefing.analysis import evidence as ev
from briefing.analysis.digests import ACTORS, QUOTES, ByTime, Doc
from briefing.analysis.names import content_stems, fold, words
from briefing.analysis.rows import as_datetime
from briefing.analysis.summary import select
from briefing.analysis.timeline import as_datetime as day
from briefing.analysis.timeline import short
from briefing.model import (
    ActorView,
    ArticleRow,
    Briefing,
    Cited,
    Copy,
    DayVolume,
    NameCount,
    OutletCoverage,
    QuestionView,
    Quote,
    TimelineEvent,
)

if TYPE_CHECKING:  # for the declarations only
    from briefing.analysis.pool import TopPool
    from briefing.analysis.rows import Rows
    from briefing.analysis.syndication import Clusters
    from briefing.analysis.tally import NameTally
    from briefing.config import Story

QUOTES_PER_ACTOR = 8
OTHER_QUOTES = 20
MENTIONED_IN = 3
ALSO_MENTIONED = 15
TIMELINE_EVENTS = 40
TIMELINE_PER_DAY = 3
TIMELINE_COPIES = 12  # copies of one event kept (its outlets), beyond the first
VOLUME_DAYS = 366  # the volume chart's days at most, ending on the story's last day
_SAME_LINE = 0.6  # Jaccard of content stems: one line lightly edited (as evidence.py merges)
_SAME_EVENT = 0.5  # Jaccard of content stems: one event told by two articles on one date
_PRECISION = {3: "day", 2: "day", 1: "month", 0: "year"}  # by build.py's granularity rank
_DAY = 86400
_HALF_LIFE = 86400.0 * 7  # recency relative to the newest relevant article, seconds


class BriefingAssembly:
    """Mixin for BriefingBuilder (build.py): the Briefing from its state.

    It reads what BriefingBuilder.__init__ sets up and the feeding methods
    keep current -- self.story, rows, docs, the date-ordered lists
    (_by_time, _naming, _quoting, _quoting_other, _asking), the counts
    (_mentions, _articles, _first_seen, _roles, _best_term, _names), the
    pools (_summary, _timeline, _summary_candidates), _clusters, _strings
    -- and calls its `_settle()` before reading. It writes only its caches
    (texts, stems, clusters, the last summary choice) and the marks of the
    build under way."""

    # The state it reads, declared here for the type checker (no values: BriefingBuilder sets them).
    story: Story
    rows: Rows
    docs: dict[int, Doc]
    _by_time: ByTime
    _naming: list[ByTime]
    _quoting: list[ByTime]
    _quoting_other: ByTime
    _asking: list[ByTime]
    _mentions: list[int]
    _articles: list[int]
    _first_seen: list[float]
    _roles: list[Counter[str]]
    _best_term: list[Counter[float]]
    _names: NameTally
    _outlets: dict[int, list[float]]
    _day_articles: Counter[int]
    _day_outlets: Counter[int]
    _summary: TopPool
    _summary_candidates: int
    _timeline: TopPool
    _clusters: Clusters
    _strings: list[str]
    _replaced: int
    _titles_from: Callable[[list[int]], Mapping[int, tuple[str, str | None]]]
    _settle: Callable[[], None]
    # What it writes: its caches and the marks of the build under way.
    _cluster_cache: dict[int, tuple[int, int, tuple[str, ...]]]
    _text_cache: dict[int, tuple[Doc, list[str]]]
    _stem_cache: dict[tuple[int, int], list[str]]
    _selected: tuple | None
    _texts_used: set[int]
    _stems_used: set[tuple[int, int]]
    _seen: float
    _first_view: bool

    # --- the briefing ---------------------------------------------------

    def build(
        self,
        *,
        now: datetime,
        last_viewed: datetime | None = None,
        summary_size: int = 6,
        article_limit: int | None = None,
    ) -> Briefing:
        """The briefing over everything added so far. `article_limit` keeps
        only the newest rows (extra["total_articles"] and extra["unread"]
        count them all)."""
        self._settle()
        self._texts_used, self._stems_used = set(), set()
        self._seen = -math.inf if last_viewed is None else last_viewed.timestamp()
        self._first_view = last_viewed is None
        actors, other_quotes = self._actors()
        questions = self._questions()
        briefing = Briefing(
            story_id=self.story.id,
            story_title=self.story.title,
            generated_at=now,
            summary=self._summary_view(summary_size),
            actors=actors,
            questions=questions,
            articles=self._rows(article_limit),
            also_mentioned=self._also_mentioned(),
            timeline=self._timeline_view(),
            last_viewed=last_viewed,
            coverage=self._coverage(questions),
            volume=self._volume(),
            # other_quotes: quotations of speakers who are not story actors.
            extra={
                "relevant": len(self.docs),
                "distinct_relevant": len(self._clusters),
                "other_quotes": other_quotes,
                "total_articles": len(self.rows),
                "unread": self.rows.unread(),
            },
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
        return Cited(
            text=self._sentence(aid, sidx),
            article_id=aid,
            source=rows.source_of(slot),
            published=as_datetime(rows.published[slot]),
            also=also,
            new=self._is_new(rows.first_seen[slot]),
            score=round(score, 4),
        )

    def _rows(self, limit: int | None) -> tuple[ArticleRow, ...]:
        rows, docs = self.rows, self.docs
        out = []
        slots = rows.newest(limit)
        forgotten = rows.forgotten(slots)
        if forgotten:  # rows whose title and link the builder let go (forget_titles)
            found = self._titles_from(forgotten)
            for slot in slots:
                if rows.ids[slot] in found:
                    rows.put_text(slot, *found[rows.ids[slot]])
        for slot in slots:
            aid = rows.ids[slot]
            title, link = rows.title_link(slot)
            source = rows.source_of(slot)
            relevant = aid in docs
            out.append(
                ArticleRow(
                    id=aid,
                    title=title,
                    source=source,
                    link=link,
                    published=as_datetime(rows.published[slot]),
                    read=bool(rows.read[slot]),
                    relevance=rows.rel[slot],
                    relevant=relevant,
                    also_in=self._also(aid, source) if relevant else (),
                    new=self._is_new(rows.first_seen[slot]),
                )
            )
        return tuple(out)

    def _summary_everything(self, wanted: int) -> list[tuple]:
        """Every summary candidate's key, or those that can be among the
        `wanted` best (their scores alone pick them)."""
        entries = [(doc, doc.summary()) for doc in self.docs.values()]
        scores = [pre * (0.5 + doc.rel) for doc, summary in entries for _, pre in summary]
        cut = heapq.nlargest(wanted, scores)[-1] if len(scores) > wanted else -math.inf
        return [
            (pre * (0.5 + doc.rel), doc.aid, sidx)
            for doc, summary in entries
            for sidx, pre in summary
            if pre * (0.5 + doc.rel) >= cut
        ]

    def _summary_view(self, size: int) -> tuple[Cited, ...]:
        picked = []
        for score, aid, sidx in self._summary.walk(self._summary_everything):
            if self._is_rep(aid):
                picked.append((score, aid, sidx))
                if len(picked) >= self._summary_candidates:
                    break
        memo = (tuple(picked), size, self._replaced)
        if self._selected is not None and self._selected[0] == memo:
            chosen = list(self._selected[1])  # the same candidates: LexRank would say the same
            self._stems_used.update((aid, sidx) for _, aid, sidx in picked)
        else:
            chosen = select(
                [((aid, sidx, score), score, self._stems(aid, sidx), aid) for score, aid, sidx in picked], size
            )
            self._selected = (memo, tuple(chosen))
        docs, rows = self.docs, self.rows
        chosen.sort(key=lambda k: (docs[k[0]].ts, k[0], k[1]))  # read as a story
        return tuple(
            self._cited(aid, sidx, score, self._also(aid, rows.source_of(rows.slot[aid])))
            for aid, sidx, score in chosen
        )

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
            told: list[tuple[int, int, str, set[str]]] = []  # each candidate's article, sentence, text, stems
            # Ties: the older article, then the later sentence in it.
            for score, neg_aid, sidx in sorted(heap, reverse=True):
                aid = -neg_aid
                slot = rows.slot[aid]
                source = rows.source_of(slot)
                stems = self._stems(aid, sidx)
                text = self._sentence(aid, sidx)
                told.append((aid, sidx, text, set(stems)))
                candidates.append(
                    ev.Candidate(
                        score=score,
                        article_id=aid,
                        text=text,
                        source=source,
                        published=as_datetime(rows.published[slot]),
                        also=list(self._also(aid, source)),
                        new=self._is_new(rows.first_seen[slot]),
                        stems=stems,
                    )
                )
            cited = ev.finish(candidates)
            outlets = {c.source for c in cited} | {s for c in cited for s in c.also}
            last = max((self._moved(c, told) for c in cited), default=None)
            views.append(
                QuestionView(
                    id=question.id,
                    title=question.title,
                    evidence=cited,
                    outlets=len(outlets),
                    last_moved=as_datetime(last) if last is not None else None,
                    new_evidence=sum(1 for c in cited if c.new),
                )
            )
        return tuple(views)

    def _moved(self, cited: Cited, told: list[tuple[int, int, str, set[str]]]) -> float:
        """When a line of evidence first moved its question: the earliest of
        its copies (its own, those merged into it, the candidates that tell
        it alike), each at the day it names or else its article's date."""
        own = (cited.article_id, cited.text)
        copies = {own} | {(c.article_id, c.text) for c in cited.copies}
        mine = next((stems for aid, _, text, stems in told if (aid, text) == own), set())
        times = [
            self._evidence_time(aid, sidx)
            for aid, sidx, text, stems in told
            if (aid, text) in copies or _jaccard(stems, mine) >= _SAME_LINE
        ]
        return min(times, default=self.docs[cited.article_id].ts)

    def _evidence_time(self, aid: int, sidx: int) -> float:
        """When a piece of evidence happened: the earlier day its sentence
        names ("said on Monday", in a Thursday article), else its article's
        date. A round-up that repeats Monday's news did not move its
        question on Thursday."""
        doc = self.docs[aid]
        strings = self._strings
        for iso, at, rank, _ in doc.dates():
            if at == sidx and rank == 3:
                said = day(strings[iso]).timestamp()
                if said + _DAY <= doc.ts:
                    return said
        return doc.ts

    def _actors(self) -> tuple[tuple[ActorView, ...], tuple[Quote, ...]]:
        actors = self.story.actors
        views = []
        for i, actor in enumerate(actors):
            naming = self._naming[i].items
            role = actor.role or self._role(i)
            views.append(
                ActorView(
                    name=actor.name,
                    kind=actor.kind,
                    role=role,
                    mentions=self._mentions[i],
                    articles=self._articles[i],
                    first_seen=as_datetime(naming[0].ts) if naming else None,
                    last_seen=as_datetime(naming[-1].ts) if naming else None,
                    quotes=self._quotes(self._quoting[i], i, QUOTES_PER_ACTOR),
                    mentioned_in=self._mentioned_in(i),
                    new=bool(naming) and not self._first_view and self._first_seen[i] > self._seen,
                )
            )
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
            mine = sorted(
                (
                    (sidx, texts[first + k], strings[speaker])
                    for k, (ai, sidx, speaker) in enumerate(doc.entries(QUOTES))
                    if ai == actor
                ),
                reverse=True,
            )
            for _sidx, text, speaker in mine[: wanted - len(items)]:
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
            out.append(
                Quote(
                    text=text,
                    speaker=speaker,
                    article_id=doc.aid,
                    source=rows.source_of(slot),
                    published=as_datetime(rows.published[slot]),
                    new=self._is_new(doc.first),
                )
            )
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
        return [
            (g, hits, doc.rel, -doc.aid, sidx, strings[iso])
            for doc, dates in entries
            for iso, sidx, g, hits in dates
            if g * 1e9 + hits * 1e3 >= cut
        ]

    def _timeline_view(self) -> tuple[TimelineEvent, ...]:
        """Walk dated sentences best first (precise dates, many story terms,
        relevant articles): at most TIMELINE_PER_DAY events per date, each
        sentence once, TIMELINE_EVENTS in all. A sentence telling an event
        already listed on its date (another outlet's wording, a syndicated
        copy) becomes one of that event's copies instead."""
        per_day: Counter[str] = Counter()
        told: set[tuple[int, int]] = set()
        said: dict[str, list[_Event]] = {}
        events: list[_Event] = []
        for key in self._timeline.walk(self._timeline_everything):
            rank, aid, sidx, iso = key[0], -key[3], key[4], key[5]
            if (aid, sidx) in told:
                continue  # one sentence, one date: the most precise one
            told.add((aid, sidx))
            stems = set(self._stems(aid, sidx))
            same = next((e for e in said.get(iso, ()) if _jaccard(stems, e.stems) > _SAME_EVENT), None)
            if same is not None:
                same.add(aid, sidx)
                continue
            if per_day[iso] >= TIMELINE_PER_DAY or not self._is_rep(aid):
                continue
            per_day[iso] += 1
            event = _Event(iso, rank, self.docs[aid].ts, aid, sidx, stems)
            said.setdefault(iso, []).append(event)
            events.append(event)
            if len(events) >= TIMELINE_EVENTS:
                break
        for event in events:
            self._syndicated_copies(event)
        events.sort(key=lambda e: (e.iso, e.ts, e.aid, e.sidx))  # by date, then as the articles tell it
        return tuple(self._timeline_event(event) for event in events)

    def _syndicated_copies(self, event: _Event) -> None:
        """The event's sentence in the other members of its article's
        syndication cluster, where they date it alike."""
        clusters = self._clusters
        members = clusters.members.get(clusters.find(event.aid))
        if not members:
            return
        strings = self._strings
        for aid in sorted(members):
            if len(event.copies) >= TIMELINE_COPIES or aid in event.aids or aid not in self.docs:
                continue
            for iso, sidx, _, _ in self.docs[aid].dates():
                if strings[iso] == event.iso and _jaccard(set(self._stems(aid, sidx)), event.stems) > _SAME_EVENT:
                    event.add(aid, sidx)
                    break

    def _timeline_event(self, event: _Event) -> TimelineEvent:
        rows = self.rows
        text = self._sentence(event.aid, event.sidx)
        copies: tuple[Copy, ...] = ()
        if event.copies:
            first, *rest = [(event.aid, event.sidx)] + event.copies
            rest.sort(key=lambda c: (self.docs[c[0]].ts, c[0]))
            copies = tuple(
                Copy(
                    article_id=aid,
                    source=rows.source_of(rows.slot[aid]),
                    text=self._sentence(aid, sidx),
                    published=as_datetime(rows.published[rows.slot[aid]]),
                )
                for aid, sidx in [first, *rest]
            )
        return TimelineEvent(
            when=day(event.iso),
            text=short(text),
            article_id=event.aid,
            source=rows.source_of(rows.slot[event.aid]),
            precision=_PRECISION.get(event.rank, "day"),
            copies=copies,
        )

    # --- volume and coverage: read from counts build.py keeps -------------

    def _volume(self) -> tuple[DayVolume, ...]:
        """Relevant articles and outlets per UTC day, oldest first, every
        day from the first to the last (quiet days as zeros), at most the
        last VOLUME_DAYS of them."""
        counts, outlets = self._day_articles, self._day_outlets
        if not counts:
            return ()
        last = max(counts)
        first = max(min(counts), last - VOLUME_DAYS + 1)
        return tuple(
            DayVolume(day=datetime.fromtimestamp(d * _DAY, UTC), articles=counts.get(d, 0), outlets=outlets.get(d, 0))
            for d in range(first, last + 1)
        )

    def _coverage(self, questions: tuple[QuestionView, ...]) -> tuple[OutletCoverage, ...]:
        """Each outlet that carried an article: its articles, those about the
        story, its evidence sentences per question (in the order of
        `questions`), its quotations, its first and last story article, and
        the questions it says nothing on. Most relevant articles first, then
        the outlet that speaks on more questions, then by name."""
        rows = self.rows
        articles = Counter(rows.source)
        for slot in rows.free:  # slots of removed rows keep their old outlet
            articles[rows.source[slot]] -= 1
        out = []
        ids = [q.id for q in questions]
        for source, count in articles.items():
            if count <= 0:
                continue
            stats = self._outlets.get(source)
            evidence = tuple(int(n) for n in stats[4:]) if stats else (0,) * len(ids)
            out.append(
                OutletCoverage(
                    source=rows.sources[source],
                    articles=count,
                    relevant=int(stats[0]) if stats else 0,
                    quotes=int(stats[1]) if stats else 0,
                    first=as_datetime(stats[2]) if stats else None,
                    last=as_datetime(stats[3]) if stats else None,
                    evidence=evidence,
                    silent_on=tuple(qid for qid, n in zip(ids, evidence, strict=False) if n == 0),
                )
            )
        out.sort(key=lambda c: (-c.relevant, len(c.silent_on), -sum(c.evidence), -c.articles, c.source))
        return tuple(out)

    # --- reading the held articles: clusters and texts, cached -------------

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


class _Event:
    """A timeline event while the walk collects it: its first telling and
    the (article, sentence) of every other copy."""

    __slots__ = ("iso", "rank", "ts", "aid", "sidx", "stems", "copies", "aids")

    def __init__(self, iso: str, rank: int, ts: float, aid: int, sidx: int, stems: set[str]) -> None:
        self.iso, self.rank, self.ts, self.aid, self.sidx, self.stems = iso, rank, ts, aid, sidx, stems
        self.copies: list[tuple[int, int]] = []
        self.aids = {aid}

    def add(self, aid: int, sidx: int) -> None:
        if aid not in self.aids and len(self.copies) < TIMELINE_COPIES:
            self.aids.add(aid)
            self.copies.append((aid, sidx))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _push(heap: list, size: int, item: tuple) -> None:
    """Keep the `size` largest items."""
    if len(heap) < size:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


__all__ = ["BriefingAssembly"]
