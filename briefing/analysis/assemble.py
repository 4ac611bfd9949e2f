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
from briefing.analysis.article import LED, TITLED
from briefing.analysis.digests import FLAGS, NO_ORG, QUOTES, ROLES, SPOTS, ByTime, Doc, name_code, time_key
from briefing.analysis.names import content_stems, fold, looks_like_org, looks_like_person, words
from briefing.analysis.paraphrase import negated, same_report
from briefing.analysis.prominence import Presence, prominence
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
# Lines of "mentioned in" per actor: every mention, newest article first, up
# to this many (a bound for the snapshot the first frame decodes); how many
# articles were left out is in extra["mentioned_in_left_out"].
MENTIONED_IN = 200
ALSO_MENTIONED = 15
_COPY_MATCH = 0.5  # Jaccard: a copy's own sentence for the cited one
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
    _quoting_named: dict[str, ByTime]
    _titled: list[int]
    _led: list[int]
    _quoted: list[int]
    _outlets: list[Counter[int]]
    _relevant_outlets: Counter[int]
    _asking: list[ByTime]
    _mentions: list[int]
    _articles: list[int]
    _first_seen: list[float]
    _roles: list[Counter[str]]
    _best_term: list[Counter[float]]
    _names: NameTally
    _coverage_stats: dict[int, list[float]]
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
    _cluster_cache: dict[int, tuple[int, int, tuple[str, ...], tuple[int, ...]]]
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
        left_out: dict[str, int] = {}
        actors = self._actors(left_out)
        keys = self._proposed_names()
        questions = self._questions()
        briefing = Briefing(
            story_id=self.story.id,
            story_title=self.story.title,
            generated_at=now,
            summary=self._summary_view(summary_size),
            actors=actors,
            questions=questions,
            articles=self._rows(article_limit),
            also_mentioned=tuple(NameCount(*self._names.counts(k)) for k in keys),
            timeline=self._timeline_view(),
            last_viewed=last_viewed,
            others=self._others(keys, left_out),
            other_quotes=self._quotes(self._quoting_other, lambda ai, speaker, oi: ai < 0, OTHER_QUOTES),
            coverage=self._coverage(questions),
            volume=self._volume(),
            extra={
                "relevant": len(self.docs),
                "distinct_relevant": len(self._clusters),
                "total_articles": len(self.rows),
                "unread": self.rows.unread(),
                # Articles naming an actor or name whose mentions the view leaves out.
                "mentioned_in_left_out": left_out,
            },
        )
        # Caches keep only what this build used.
        self._text_cache = {aid: self._text_cache[aid] for aid in self._texts_used if aid in self._text_cache}
        self._stem_cache = {key: self._stem_cache[key] for key in self._stems_used}
        return briefing

    def _is_new(self, first_seen: float) -> bool:
        return not self._first_view and first_seen > self._seen

    def _cited(self, aid: int, sidx: int, score: float, also: tuple[str, ...], copies: tuple[Copy, ...] = ()) -> Cited:
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
            copies=copies if len(copies) > 1 else (),
        )

    def _copies(self, aid: int, sidx: int) -> list[Copy]:
        """The cited sentence as each article of its syndication cluster has
        it, this one first (a copy whose own sentence cannot be found
        carries this one's text)."""
        rows = self.rows
        text = self._sentence(aid, sidx)
        slot = rows.slot[aid]
        out = [
            Copy(article_id=aid, source=rows.source_of(slot), text=text, published=as_datetime(rows.published[slot]))
        ]
        size, _, _, members = self._cluster(aid)
        if size <= 1:
            return out
        stems = set(self._stems(aid, sidx))
        for other in members:
            if other == aid:
                continue
            if len(out) >= ev.COPIES:
                break
            own, best = text, _COPY_MATCH
            for candidate in self._texts(self.docs[other])[: len(self.docs[other].sids)]:
                theirs = set(content_stems(words(candidate)))
                score = len(stems & theirs) / max(len(stems | theirs), 1)
                if score >= best:
                    own, best = candidate, score
            other_slot = rows.slot[other]
            out.append(
                Copy(
                    article_id=other,
                    source=rows.source_of(other_slot),
                    text=own,
                    published=as_datetime(rows.published[other_slot]),
                )
            )
        return out

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
            chosen, tellings = list(self._selected[1]), self._selected[2]  # the same candidates: the same choice
            self._stems_used.update((aid, sidx) for _, aid, sidx in picked)
        else:
            kept, tellings = self._same_reports(picked)
            chosen = select(
                [((aid, sidx, score), score, self._stems(aid, sidx), aid) for score, aid, sidx in kept], size
            )
            self._selected = (memo, tuple(chosen), tellings)
        docs = self.docs
        chosen.sort(key=lambda k: (docs[k[0]].ts, k[0], k[1]))  # read as a story
        out = []
        for aid, sidx, score in chosen:
            cand = self._candidate(aid, sidx, score)
            for other_aid, other_sidx, other_score in tellings.get((aid, sidx), ()):
                ev.merge(cand, self._candidate(other_aid, other_sidx, other_score))
            out.append(self._cited(aid, sidx, score, tuple(cand.also), tuple(cand.copies)))
        return tuple(out)

    def _candidate(self, aid: int, sidx: int, score: float) -> ev.Candidate:
        """A cited line with its syndicated copies, to merge other tellings into."""
        rows = self.rows
        slot = rows.slot[aid]
        source = rows.source_of(slot)
        return ev.Candidate(
            score=score,
            article_id=aid,
            text=self._sentence(aid, sidx),
            source=source,
            published=as_datetime(rows.published[slot]),
            also=list(self._also(aid, source)),
            new=self._is_new(rows.first_seen[slot]),
            stems=self._stems(aid, sidx),
            copies=self._copies(aid, sidx),
        )

    def _event(self, aid: int, sidx: int) -> tuple[frozenset[int], str] | None:
        """What a sentence reports, told in any words: the story's actors it
        names (two or more) and the day it happened (the day it names, else
        its article's). The lead of five outlets ("X will receive Y in Ankara
        today", "X welcomed Y on Tuesday") is one event (_same_event); None
        when the sentence names fewer actors, and only its words can tell."""
        doc = self.docs[aid]
        actors = frozenset(who for who, at in doc.entries(SPOTS) if at == sidx and who >= 0)
        if len(actors) < 2:
            return None
        strings = self._strings
        named = next((strings[iso] for iso, at, rank, _ in doc.dates() if at == sidx and rank == 3), None)
        return actors, named[:10] if named else datetime.fromtimestamp(doc.ts, UTC).date().isoformat()

    def _same_reports(self, picked: list[tuple]) -> tuple[list[tuple], dict[tuple[int, int], list[tuple]]]:
        """Summary candidates (best first) less those telling the same report
        as a better one from another article (five outlets' leads: the
        story's lead once); the tellings left out, by the one kept."""
        kept: list[tuple] = []
        held: list[tuple[set[str], bool, int, tuple[int, int], tuple | None]] = []
        tellings: dict[tuple[int, int], list[tuple]] = {}
        for score, aid, sidx in picked:
            stems = set(self._stems(aid, sidx))
            neg = negated(self._sentence(aid, sidx))
            event = self._event(aid, sidx)
            for other_stems, other_neg, other_aid, key, other_event in held:
                if other_aid == aid:
                    continue
                if same_report(stems, other_stems, neg, other_neg) or (
                    neg == other_neg and _same_event(event, other_event)
                ):
                    tellings.setdefault(key, []).append((aid, sidx, score))
                    break
            else:
                kept.append((score, aid, sidx))
                held.append((stems, neg, aid, (aid, sidx), event))
        return kept, tellings

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
                        copies=self._copies(aid, sidx),
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

    def _proposed_names(self) -> list[int]:
        """The keys of the names shown as "also mentioned": the most
        mentioned, less those the story file says to ignore."""
        ignored = {fold(name) for name in self.story.ignore}
        if not ignored:
            return self._names.top_keys(ALSO_MENTIONED)
        keys = self._names.top_keys(ALSO_MENTIONED + len(ignored))
        return [k for k in keys if fold(self._names.counts(k)[0]) not in ignored][:ALSO_MENTIONED]

    def _actors(self, left_out: dict[str, int]) -> tuple[ActorView, ...]:
        """The story's actors, most prominent first (prominence.py), each
        with its quotations (its own, and a spokesperson's for it) and
        every sentence naming it."""
        actors = self.story.actors
        relevant, outlets, newest = self._story_reach()
        views = []
        for i, actor in enumerate(actors):
            naming = self._naming[i].items
            presence = Presence(
                titled=self._titled[i],
                led=self._led[i],
                quotes=self._quoted[i],
                outlets=sum(1 for n in self._outlets[i].values() if n > 0),
                articles=self._articles[i],
                last=naming[-1].ts if naming else None,
            )
            mentioned, left = self._mentioned_in(naming, {i})
            if left:
                left_out[actor.name] = left
            views.append(
                ActorView(
                    name=actor.name,
                    kind=actor.kind,
                    role=actor.role or _most_usual(self._roles[i]),
                    mentions=self._mentions[i],
                    articles=self._articles[i],
                    first_seen=as_datetime(naming[0].ts) if naming else None,
                    last_seen=as_datetime(naming[-1].ts) if naming else None,
                    quotes=self._quotes(self._quoting[i], _by_or_for(i), QUOTES_PER_ACTOR),
                    mentioned_in=mentioned,
                    new=bool(naming) and not self._first_view and self._first_seen[i] > self._seen,
                    prominence=prominence(presence, relevant, outlets, newest),
                )
            )
        order = sorted(
            range(len(actors)), key=lambda i: (-views[i].prominence, -views[i].mentions, -views[i].articles, i)
        )
        return tuple(views[i] for i in order)

    def _story_reach(self) -> tuple[int, int, float | None]:
        """Relevant articles, their outlets, the newest one's timestamp."""
        items = self._by_time.items
        outlets = sum(1 for n in self._relevant_outlets.values() if n > 0)
        return len(self.docs), outlets, items[-1].ts if items else None

    def _others(self, keys: list[int], left_out: dict[str, int]) -> tuple[ActorView, ...]:
        """The names the story file does not list (the top of the tally),
        opened like actors, most prominent first."""
        names, docs, strings, rows = self._names, self.docs, self._strings, self.rows
        relevant, outlets, newest = self._story_reach()
        views = []
        for key in keys:
            display, mentions, articles = names.counts(key)
            spellings = names.spellings_of(key)
            codes = {name_code(nid) for nid in spellings}
            folded = {fold(names.name_text(nid)) for nid in spellings}
            naming = sorted((docs[aid] for aid in names.articles_of(key) if aid in docs), key=time_key)
            roles: Counter[str] = Counter()
            titled = led = 0
            sources = set()
            for doc in naming:
                sources.add(rows.source[rows.slot[doc.aid]])
                for who, bits in doc.entries(FLAGS):
                    if who in codes:
                        titled += bool(bits & TITLED)
                        led += bool(bits & LED)
                for who, role in doc.entries(ROLES):
                    if who in codes:
                        roles[strings[role]] += 1
            quoting = [d for k in folded if (by := self._quoting_named.get(k)) is not None for d in by.items]
            quoting = sorted({d.aid: d for d in quoting}.values(), key=time_key)

            def said(ai: int, speaker: int, oi: int, folded: set[str] = folded) -> bool:
                return (ai < 0 and fold(strings[speaker]) in folded) or (
                    oi < NO_ORG and fold(strings[-2 - oi]) in folded
                )

            quotes = self._quotes(ByTime(quoting), said, QUOTES_PER_ACTOR)
            count = sum(1 for d in quoting for ai, _, speaker, oi in d.entries(QUOTES) if said(ai, speaker, oi))
            mentioned, left = self._mentioned_in(naming, codes)
            if left:
                left_out[display] = left
            presence = Presence(titled, led, count, len(sources), articles, naming[-1].ts if naming else None)
            kind = "person" if looks_like_person(display) else "organization" if looks_like_org(display) else "name"
            views.append(
                ActorView(
                    name=display,
                    kind=kind,
                    role=_most_usual(roles),
                    mentions=mentions,
                    articles=articles,
                    first_seen=as_datetime(naming[0].ts) if naming else None,
                    last_seen=as_datetime(naming[-1].ts) if naming else None,
                    quotes=quotes,
                    mentioned_in=mentioned,
                    new=bool(naming) and not self._first_view and min(d.first for d in naming) > self._seen,
                    listed=False,
                    prominence=prominence(presence, relevant, outlets, newest),
                )
            )
        views.sort(key=lambda v: (-v.prominence, -v.mentions, -v.articles, fold(v.name)))
        return tuple(views)

    def _mentioned_in(self, naming: list[Doc], codes: set[int]) -> tuple[tuple[Cited, ...], int]:
        """Every sentence naming one of `codes` (an actor, or a name's
        spellings), newest article first, in text order within one; a
        syndicated copy is its earliest member's line, which names the
        other outlets. At most MENTIONED_IN lines: also returns how many
        articles were left out."""
        out: list[Cited] = []
        visited = 0
        for doc in reversed(naming):
            if len(out) >= MENTIONED_IN:
                break
            visited += 1
            if not self._is_rep(doc.aid):
                continue
            source = self.rows.source_of(self.rows.slot[doc.aid])
            also = self._also(doc.aid, source)
            for who, sidx in doc.entries(SPOTS):
                if who in codes and len(out) < MENTIONED_IN:
                    out.append(self._cited(doc.aid, sidx, 0.0, also))
        return tuple(out), len(naming) - visited

    def _quotes(self, quoting: ByTime, wanted: Callable[[int, int, int], bool], limit: int) -> tuple[Quote, ...]:
        """The latest quotations `wanted(actor, speaker, org)` accepts among
        the docs of `quoting`: the 2 * limit latest, repeats dropped, at most
        `limit`."""
        room = 2 * limit
        items: list[tuple] = []
        for doc in reversed(quoting.items):
            if not self._is_rep(doc.aid):
                continue
            texts, first, strings = self._texts(doc), len(doc.sids), self._strings
            mine = sorted(
                (
                    (sidx, texts[first + k], strings[speaker])
                    for k, (ai, sidx, speaker, oi) in enumerate(doc.entries(QUOTES))
                    if wanted(ai, speaker, oi)
                ),
                reverse=True,
            )
            for _sidx, text, speaker in mine[: room - len(items)]:
                items.append((doc, text, speaker))
            if len(items) >= room:
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
            stats = self._coverage_stats.get(source)
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

    def _cluster(self, aid: int) -> tuple[int, int, tuple[str, ...], tuple[int, ...]]:
        """(size, representative, outlets earliest first, members earliest
        first) of an article's cluster."""
        clusters = self._clusters
        root = clusters.find(aid)
        ids = clusters.members.get(root)
        if ids is None:
            return 1, aid, (), (aid,)
        cached = self._cluster_cache.get(root)
        if cached is None or cached[0] != len(ids):
            docs, rows = self.docs, self.rows
            ordered = sorted(ids, key=lambda i: (docs[i].ts, i))
            outlets = tuple(dict.fromkeys(rows.source_of(rows.slot[i]) for i in ordered))
            cached = self._cluster_cache[root] = (len(ids), ordered[0], outlets, tuple(ordered))
        return cached

    def _is_rep(self, aid: int) -> bool:
        clusters = self._clusters
        root = clusters.find(aid)
        return root not in clusters.members or self._cluster(aid)[1] == aid

    def _also(self, aid: int, source: str) -> tuple[str, ...]:
        size, _, outlets, _ = self._cluster(aid)
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


def _same_event(a: tuple[frozenset[int], str] | None, b: tuple[frozenset[int], str] | None) -> bool:
    """Two sentences report one event: the same day, and two or more of the
    story's actors in both."""
    return a is not None and b is not None and a[1] == b[1] and len(a[0] & b[0]) >= 2


def _by_or_for(actor: int) -> Callable[[int, int, int], bool]:
    """Quotations by the actor, or by someone speaking for it."""
    return lambda ai, speaker, oi: ai == actor or oi == actor


def _most_usual(roles: Mapping[str, int]) -> str | None:
    """The role the articles give most often (folded); its most usual spelling."""
    by_key: dict[str, Counter] = {}
    for text, count in roles.items():
        if count > 0:
            by_key.setdefault(fold(text), Counter())[text] += count
    if not by_key:
        return None
    key = min(by_key, key=lambda k: (-sum(by_key[k].values()), k))
    return min(by_key[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]


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
