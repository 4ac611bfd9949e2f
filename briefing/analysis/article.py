"""Per-article analysis, done once when an article is stored.

The result is a compact JSON-ready dict holding everything the briefing
needs from this article, so building a briefing never re-reads its text:

  v      ANALYSIS_VERSION            fp    story fingerprint it was made for
  rel    relevance score 0..1
  s      {sentence index (str): text}  only the sentences cited below (sum, q,
         act, dates); a quote carries its own text
  sum    [sidx, prescore, sidx, prescore, ...]  best summary candidates, flat
         (their stems are recomputed from `s` for the few that reach the
         summary pool)
  q      {question id: [sidx, term score 0..1, ...]}  best evidence per question, flat
  act    {actor name: [mentions, sidx of each sentence naming it, ...]}
         (the first _SPOTS sentences)
  role   {actor name: role the text gives}
  quo    [[text, speaker, actor name or null, sidx(, org)], ...]
         org, when there is one: the organisation a spokesperson speaks for
         (an actor's name when it is one, else as written)
  names  {capitalised name not in the story: mentions}
  nsid   {name: [sidx of each sentence naming it, ...]}  the first _SPOTS
  nrole  {name: role the text gives}
  flag   {actor name or name: 1 named in the title | 2 named in the lead}
  dates  [[iso date, sidx, granularity "d"/"m"/"y", or "p" (publication), story hits], ...]
         the best few, and every dated evidence sentence (what moved a question when)
  sig    MinHash signature (24 ints < 65536) for syndication

It is equal to json.loads(json.dumps(it)): string keys, lists, no tuples.
Scores are rounded to 3 decimals and every list is capped, so a typical
dict is 1-2 KB of JSON. An article that is not about the story only needs
`light_analysis(it)` kept: the briefing uses nothing else of it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from briefing.analysis.names import (
    ends_in_demonym,
    fold,
    looks_like_person,
    name_key,
    name_runs,
    stem,
    strip_titles,
    term_tokens,
    tokens,
    words,
)
from briefing.analysis.outlets import outlet_spans
from briefing.analysis.quotes import Person, quote_spans, quotes_in_paragraph
from briefing.analysis.relevance import RELEVANCE_THRESHOLD, Concept, relevance
from briefing.analysis.roles import role_near
from briefing.analysis.sentences import paragraphs, sentence_spans
from briefing.analysis.standalone import leans_on_previous
from briefing.analysis.story import CompiledStory, compile_story
from briefing.analysis.summary import PER_ARTICLE, prescore
from briefing.analysis.syndication import signature
from briefing.analysis.timeline import event_date
from briefing.analysis.words import FIRST_SECOND_PERSON, ROLE_HEADS
from briefing.config import Story
from briefing.model import Article
from briefing.text.boilerplate import strip_boilerplate
from briefing.text.sanitize import clean_line

ANALYSIS_VERSION = 5

_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_EVIDENCE_PER_QUESTION = 3
_DATES_PER_ARTICLE = 4
_QUOTES_PER_ARTICLE = 20  # caps keep a very long article's dict compact
_NAMES_PER_ARTICLE = 30
# Sentences kept per actor and per name: "mentioned in" lists them. Each is
# text the store and the builder hold, so a few, the first ones.
_SPOTS = 4
_NAME_SPOTS = 2
_LEAD = 2  # the first sentences: the article's lead
TITLED, LED = 1, 2


def analyse_article(article: Article, story: Story) -> dict:
    return _Analysis(article, compile_story(story)).run()


def is_relevant(analysis: dict | None) -> bool:
    """Whether a stored analysis (full or light) says the article is about the story."""
    if not analysis:
        return False
    return analysis.get("rel", 0.0) >= RELEVANCE_THRESHOLD


def light_analysis(analysis: dict) -> dict:
    """The part of an analysis the briefing uses for an article that is not
    relevant: enough for its row and to know it is current."""
    return {"v": analysis.get("v"), "fp": analysis.get("fp"), "rel": analysis.get("rel", 0.0)}


class _Analysis:
    def __init__(self, article: Article, cs: CompiledStory) -> None:
        self.article = article
        self.cs = cs
        self.kinds = [a.kind for a in cs.story.actors]
        self.body: Counter = Counter()
        self.actor_stats: dict[int, list[int]] = {}
        self.roles: dict[int, str] = {}
        self.names: Counter[str] = Counter()
        self.name_spots: dict[str, list[int]] = {}
        self.name_roles: dict[str, str] = {}
        self.sidx = 0  # the sentence under way
        self.quotes: list[list] = []
        self.full_names: dict[str, str] = {}  # last word -> full person name seen
        self.sentences: list[str] = []
        self.summary: list[tuple[float, int]] = []
        self.evidence: dict[str, list[tuple[float, int]]] = {}
        self.dates: list[list] = []
        self.tokens: list[str] = []

    def run(self) -> dict:
        text = strip_boilerplate(self.article.text)
        lowercase_seen = set(_LOWER_WORD.findall(text))
        carry: Person | None = None
        for para in paragraphs(text):
            carry = self._paragraph(para, lowercase_seen, carry)
        return self._result()

    # --- one paragraph -------------------------------------------------

    def _paragraph(self, para: str, lowercase_seen: set[str], carry: Person | None) -> Person | None:
        spans = sentence_spans(para)
        quoted = quote_spans(para)
        persons: list[Person] = []
        first_index = len(self.sentences)
        # Sentences and quotations are both in order and do not overlap: one
        # walk pairs them, where testing every pair would cost their product.
        first_quote = 0
        for start, end in spans:
            sidx = len(self.sentences)
            sentence = para[start:end]
            self.sentences.append(sentence)
            while first_quote < len(quoted) and quoted[first_quote][1] <= start:
                first_quote += 1
            inside = []
            index = first_quote
            while index < len(quoted) and quoted[index][0] < end:
                inside.append((max(quoted[index][0], start) - start, min(quoted[index][1], end) - start))
                index += 1
            self._sentence(sidx, sentence, start, inside, persons, lowercase_seen)
        found = quotes_in_paragraph(para, quoted, persons, carry, self._resolve)
        for quote in found:
            sidx = first_index + _span_at(spans, quote.pos)
            actor = self.cs.story.actors[quote.actor].name if quote.actor is not None else None
            org = None
            if quote.org:
                found_org = self.cs.matcher.find(quote.org)
                org = self.cs.story.actors[found_org[0].actor].name if found_org else strip_titles(quote.org)
            self.quotes.append([quote.text, quote.speaker, actor, sidx] + ([org] if org else []))
        return max(persons, key=lambda p: p.pos) if persons else carry

    def _sentence(
        self,
        sidx: int,
        sentence: str,
        offset: int,
        inside: list[tuple[int, int]],
        persons: list[Person],
        lowercase_seen: set[str],
    ) -> None:
        full = tokens(sentence)
        toks = [t[0] for t in full]
        self.tokens.extend(toks)
        stems = [stem(w) for w in toks]
        heading = _is_heading(sentence, toks)
        concepts: set[Concept] = set()

        mentions = self.cs.matcher.find(sentence, full)
        outlets = outlet_spans(sentence)
        if outlets:
            # "The Times of Israel" names a newspaper, not Israel: its words
            # are neither actor mentions nor question evidence.
            mentions = [m for m in mentions if not _within(m.start, outlets)]
            stems = ["" if _within(t[1], outlets) else s for t, s in zip(full, stems, strict=False)]
        taken = []
        for m in mentions:
            concept = self.cs.actor_concept[m.actor]
            self.body[concept] += 1
            concepts.add(concept)
            stats = self.actor_stats.setdefault(m.actor, [0])
            stats[0] += 1
            if (len(stats) == 1 or stats[-1] != sidx) and len(stats) <= _SPOTS:
                stats.append(sidx)
            taken.append((m.start, m.end))
            if self.kinds[m.actor] == "person" and not _within(m.start, inside):
                persons.append(Person(offset + m.start, self.cs.story.actors[m.actor].name, m.actor))
                if m.actor not in self.roles:
                    role = role_near(sentence, m.start, m.end)
                    if role:
                        self.roles[m.actor] = role
        for owner, _ in self.cs.keywords.find(stems):
            concept = self.cs.keyword_concept[owner]
            self.body[concept] += 1
            concepts.add(concept)
        by_question: dict[str, list[tuple[str, ...]]] = {}
        for qid, term in self.cs.questions.find(stems):
            by_question.setdefault(qid, []).append(term)
            term_concept = self.cs.question_concept[term]
            if term_concept:
                self.body[term_concept] += 1
                concepts.add(term_concept)
        if not heading:
            self.sidx = sidx
            self._names(sentence, offset, inside, taken, persons, lowercase_seen)

        hits = sum(c[2] for c in concepts)
        if heading or len(toks) < 5:
            return
        quote_share = sum(b - a for a, b in inside) / max(len(sentence), 1)
        personal = _personal(full, inside)
        score = prescore(len(toks), sidx, hits, quote_share, sentence.rstrip().endswith("?"), personal, heading)
        # A sentence that leans on the one before ("She appointed ...", "The
        # third is ...") means nothing alone: neither a summary line nor evidence.
        dependent = leans_on_previous(sentence)
        if score > 0 and hits > 0 and not dependent:
            self.summary.append((score, sidx))
        for qid, terms in ({} if dependent else by_question).items():
            distinct = len(set(terms))
            wanted = min(3, self.cs.questions.owners.get(qid, 1))
            term_score = min(1.0, (distinct + 0.25 * (len(terms) - distinct)) / wanted)
            if mentions:
                term_score = min(1.0, term_score + 0.1)
            if sentence.rstrip().endswith("?") or quote_share > 0.5:
                term_score *= 0.8
            self.evidence.setdefault(qid, []).append((round(term_score, 3), sidx))
        if (hits > 0 or by_question) and not dependent:
            # A dependent sentence is no event on its own either. An
            # imported file without a date has only the time it was
            # imported: "on Tuesday" cannot be placed from that. (A feed's
            # undated entry was first seen about when it was published.)
            anchored = self.article.published is not None or self.article.feed is not None
            found = event_date(sentence, self.article.when, anchored=anchored)
            if found:
                self.dates.append([found[0].isoformat(), sidx, found[1], round(hits, 2)])

    def _names(
        self,
        sentence: str,
        offset: int,
        inside: list[tuple[int, int]],
        taken: list[tuple[int, int]],
        persons: list[Person],
        lowercase_seen: set[str],
    ) -> None:
        """Capitalised names the story does not list; people among them also
        serve pronoun resolution for quotes."""
        pieces = []
        for start, end, _run in name_runs(sentence, lowercase_seen):
            # "Saudi Crown Prince Mohammed bin Salman" where "Saudi" is an
            # actor: what is left around the actor's name may be a name too.
            pieces.extend(_outside(sentence, start, end, taken))
        for start, run in pieces:
            name = strip_titles(run)
            parts = name.split()
            if not parts or fold(parts[-1]) in ROLE_HEADS or ends_in_demonym(name):
                continue  # "Foreign Minister", "Gulf Arab": not names
            key = name_key(name)
            in_quote = _within(start, inside)
            if len(parts) >= 2:
                if key not in self.cs.known_names and not all(w in self.cs.known_words for w in key):
                    self.names[name] += 1
                    self._spot(name)
                    if name not in self.name_roles:
                        at = start + max(run.find(name), 0)
                        role = role_near(sentence, at, at + len(name))
                        if role:
                            self.name_roles[name] = role
                if looks_like_person(name) and not in_quote:
                    self.full_names[key[-1]] = name
                    persons.append(Person(offset + start, name, None))
            elif key and key[-1] in self.full_names:
                # "Aydin" after "Selin Aydın": the same person, counted as such.
                full = self.full_names[key[-1]]
                self.names[full] += 1
                self._spot(full)
                if not in_quote:
                    persons.append(Person(offset + start, full, None))

    def _spot(self, name: str) -> None:
        spots = self.name_spots.setdefault(name, [])
        if (not spots or spots[-1] != self.sidx) and len(spots) < _NAME_SPOTS:
            spots.append(self.sidx)

    def _resolve(self, name: str) -> tuple[str, int | None]:
        """A speaker's name as written -> (display name, actor index or None)."""
        name = strip_titles(name)
        for m in self.cs.matcher.find(name):
            return self.cs.story.actors[m.actor].name, m.actor
        key = name_key(name)
        if not key:
            return "", None
        if len(key) == 1 and key[0] in self.full_names:
            return self.full_names[key[0]], None
        return name, None

    # --- the stored result ----------------------------------------------

    def _result(self) -> dict:
        a = self.article
        cs = self.cs
        title = clean_line(a.title)
        title_concepts = {cs.actor_concept[m.actor] for m in cs.matcher.find(title)}
        title_stems = term_tokens(title)
        title_concepts.update(cs.keyword_concept[owner] for owner, _ in cs.keywords.find(title_stems))
        title_concepts.update(c for _, t in cs.questions.find(title_stems) if (c := cs.question_concept[t]) is not None)
        groups = sum(1 for present in (cs.story.actors, cs.keywords.owners, cs.questions.owners) if present)
        score = relevance(self.body, title_concepts, len(self.tokens), groups)

        used: set[int] = set()
        summary = sorted(self.summary, key=lambda c: (-c[0], c[1]))[:PER_ARTICLE]
        used.update(c[1] for c in summary)
        evidence = {}
        cited_as_evidence: set[int] = set()
        for qid, items in self.evidence.items():
            best = sorted(items, key=lambda e: (-e[0], e[1]))[:_EVIDENCE_PER_QUESTION]
            evidence[qid] = [v for s, sidx in best for v in (sidx, s)]
            cited_as_evidence.update(sidx for _, sidx in best)
        used |= cited_as_evidence
        ranked = sorted(self.dates, key=lambda d: (d[2] != "d", -d[3], d[1]))
        # Past the cap, an evidence sentence's date is still kept: it says
        # when its question moved.
        dates = ranked[:_DATES_PER_ARTICLE] + [d for d in ranked[_DATES_PER_ARTICLE:] if d[1] in cited_as_evidence]
        if a.published and self.summary:
            lead = min(self.summary, key=lambda c: c[1])[1]
            dates.append([a.published.date().isoformat(), lead, "p", 0.0])
        used.update(d[1] for d in dates)
        actors = cs.story.actors
        for stats in self.actor_stats.values():
            used.update(stats[1:])
        names = dict(self.names.most_common(_NAMES_PER_ARTICLE))
        spots = {name: self.name_spots.get(name, []) for name in names}
        for found in spots.values():
            used.update(found)
        flags = self._flags(title, names)
        return {
            "v": ANALYSIS_VERSION,
            "fp": cs.fingerprint,
            "rel": round(score, 3),
            "s": {str(i): self.sentences[i] for i in sorted(used)},
            "sum": [v for s, sidx in summary for v in (sidx, round(s, 3))],
            "q": evidence,
            "act": {actors[i].name: stats for i, stats in self.actor_stats.items()},
            "role": {actors[i].name: role for i, role in self.roles.items()},
            "quo": self.quotes[:_QUOTES_PER_ARTICLE],
            "names": names,
            "nsid": spots,
            "nrole": {name: role for name, role in self.name_roles.items() if name in names},
            "flag": flags,
            "dates": dates,
            "sig": signature(self.tokens if len(self.tokens) >= 12 else words(a.title) + self.tokens),
        }

    def _flags(self, title: str, names: dict[str, int]) -> dict[str, int]:
        """Which actors and names the title and the lead name."""
        actors = self.cs.story.actors
        flags: dict[str, int] = {}
        for m in self.cs.matcher.find(title):
            flags[actors[m.actor].name] = TITLED
        for i, stats in self.actor_stats.items():
            if stats[1] < _LEAD:
                flags[actors[i].name] = flags.get(actors[i].name, 0) | LED
        folded_title = fold(title)
        for name in names:
            bits = TITLED if fold(name) in folded_title else 0
            spots = self.name_spots.get(name)
            if spots and spots[0] < _LEAD:
                bits |= LED
            if bits:
                flags[name] = bits
        return flags


_EDGE_WORDS = re.compile(
    r"^(?:(?:of|al|el|bin|ibn|de|van|von|der|du|da|the)\b[\s-]*)+|"
    r"(?:[\s-]+\b(?:of|al|el|bin|ibn|de|van|von|der|du|da|the))+$"
)


def _outside(sentence: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Parts of sentence[start:end] not covered by `taken` spans (in order,
    not overlapping): (start, text)."""
    index = bisect_right(taken, start, key=lambda span: span[1])
    cuts = []
    while index < len(taken) and taken[index][0] < end:
        cuts.append((max(taken[index][0], start), min(taken[index][1], end)))
        index += 1
    if not cuts:
        return [(start, sentence[start:end])]
    out, pos = [], start
    for a, b in cuts + [(end, end)]:
        piece = sentence[pos:a]
        lead = len(piece) - len(piece.lstrip(" -'’"))
        piece = _EDGE_WORDS.sub("", piece.strip(" -'’"))
        if piece and piece[0].isupper():
            out.append((pos + lead, piece))
        pos = max(pos, b)
    return out


def _within(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether pos is inside one of the spans, which are in order and do not
    overlap: a binary search, as a sentence may hold thousands of them."""
    index = bisect_right(spans, pos, key=lambda span: span[0]) - 1
    return index >= 0 and pos < spans[index][1]


def _span_at(spans: list[tuple[int, int]], pos: int) -> int:
    """The index of the span (in order, not overlapping) holding pos, else 0."""
    index = bisect_right(spans, pos, key=lambda span: span[0]) - 1
    return index if index >= 0 and pos < spans[index][1] else 0


def _is_heading(sentence: str, toks: list[str]) -> bool:
    """A line without closing punctuation and few words: a crosshead."""
    return len(toks) <= 12 and sentence.rstrip()[-1:] not in ".!?\"”’')…:"


def _personal(full: list, inside: list[tuple[int, int]]) -> bool:
    """First or second person outside quotations (commentary, not report)."""
    for norm, start, _, word in full:
        if norm in FIRST_SECOND_PERSON and (word == "I" or not word.isupper()) and not _within(start, inside):
            return True
    return False
