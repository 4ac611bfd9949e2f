"""A Story compiled once for matching, and its fingerprint.

The fingerprint hashes exactly what per-article results depend on (actors,
their aliases and kinds, keywords, question ids, titles and terms), so a
store can tell when stored analyses are stale. Roles and the story title are
left out: they are applied when the briefing is built.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import TYPE_CHECKING

from briefing.analysis.actors import ActorMatcher
from briefing.analysis.names import fold, name_key, term_tokens, words
from briefing.analysis.terms import TermSet, question_phrases
from briefing.analysis.words import STOPWORDS
from briefing.config import Story

if TYPE_CHECKING:
    from briefing.analysis.relevance import Concept

_STATE_WEIGHT = 0.5  # a country is named in countless unrelated stories


def story_fingerprint(story: Story) -> str:
    data = {
        "actors": [[a.name, list(a.aliases), a.kind] for a in story.actors],
        "keywords": list(story.keywords),
        "questions": [[q.id, q.title, list(q.terms)] for q in story.questions],
    }
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]


class CompiledStory:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.fingerprint = story_fingerprint(story)
        self.matcher = ActorMatcher(story.actors)
        # Relevance concepts: (group, id, weight). A word scores once: a
        # keyword or question term that is also an actor's name counts as
        # the actor, a question term that is also a keyword as the keyword.
        self.actor_concept = [
            ("a", str(i), _STATE_WEIGHT if a.kind == "state" else 1.0) for i, a in enumerate(story.actors)
        ]
        self.keywords = TermSet()
        self.keyword_concept: dict[str, Concept] = {}
        keyword_terms = set()
        for index, keyword in enumerate(story.keywords):
            if name_key(keyword) not in self.matcher.patterns:
                self.keywords.add(str(index), keyword)
                self.keyword_concept[str(index)] = ("k", str(index), _weight(keyword, 1.0))
                keyword_terms.add(tuple(term_tokens(keyword)))
        self.questions = TermSet()
        self.question_concept: dict[tuple[str, ...], Concept | None] = {}
        for question in story.questions:
            for phrase in question_phrases(question.title, question.terms):
                self.questions.add(question.id, phrase)
                key = tuple(term_tokens(phrase))
                duplicate = name_key(phrase) in self.matcher.patterns or key in keyword_terms
                self.question_concept[key] = None if duplicate else ("q", " ".join(key), _weight(phrase, 0.5))
        # Names "also mentioned" must not repeat what the story already lists.
        self.known_names = {name_key(k) for k in story.keywords}
        for actor in story.actors:
            self.known_names.update(name_key(n) for n in (actor.name, *actor.aliases))
        self.known_words = {fold(w) for key in self.known_names for w in key}
        self.persons = {i for i, a in enumerate(story.actors) if a.kind == "person"}
        # The first letters of every concept's words (a prefix, so that
        # "Syrian" and "pacts" meet "Syria" and "pact"): a text with none of
        # them names no concept and cannot be relevant (may_be_relevant).
        phrases = [*story.keywords, *(q for question in story.questions for q in question.terms)]
        phrases += [name for actor in story.actors for name in (actor.name, *actor.aliases)]
        self.concept_prefixes = frozenset(
            word[:_PREFIX] for phrase in phrases for word in words(phrase) if word not in STOPWORDS and len(word) > 1
        )


# Letters of a word compared by may_be_relevant: short enough for any
# ending the matchers allow, long enough to rule out most words.
_PREFIX = 4


def may_be_relevant(title: str, text: str, story: Story) -> bool:
    """A cheap necessary condition for relevance: the title or text has a
    word that starts like one of the story's concepts. False means the
    analysis would find the article not about the story; True means only
    that it must be asked (a refresh asks for the few teasers that pass)."""
    prefixes = compile_story(story).concept_prefixes
    return any(word[:_PREFIX] in prefixes for word in words(f"{title}\n{text}"))


def _weight(phrase: str, weight: float) -> float:
    # A lone proper name ("Ankara") turns up in unrelated news (weather,
    # sport) far more than a phrase like "defense pact": it weighs half.
    return weight / 2 if len(phrase.split()) == 1 and phrase[:1].isupper() else weight


@lru_cache(maxsize=8)
def _cached(story: Story) -> CompiledStory:
    return CompiledStory(story)


def compile_story(story: Story) -> CompiledStory:
    """Compiled once per distinct story (analysis runs article by article)."""
    try:
        return _cached(story)
    except TypeError:  # a Story built with lists is not hashable: no cache
        return CompiledStory(story)
