"""How much an article is about the story, in [0, 1).

Each story concept (an actor, a keyword, a question term) found in the body
adds a saturating amount that shrinks with article length (BM25-style), so a
long article that names Türkiye once scores less than a short one that does,
and ten mentions are not ten times one. A concept in the title adds more.
An article that touches only one kind of concept (say, only actors) when the
story defines several is damped: a football report that names a president
is not about his defence pact. Concept weights are set in story.py: states
and lone proper names ("Ankara") weigh half, question terms half again.
"""

from __future__ import annotations

import math

RELEVANCE_THRESHOLD = 0.35

_AVG_TOKENS = 300  # a typical article body
_TITLE_WEIGHT = 0.8
_SCALE = 2.0  # raw score giving 1 - 1/e
_ONE_GROUP = 0.7  # damping when only one kind of concept matched


Concept = tuple[str, str, float]  # (group "a"/"k"/"q", id, weight)


def relevance(body: dict[Concept, int], title: set[Concept], tokens: int, groups_defined: int) -> float:
    """`body` counts each concept's occurrences in the text, `title` lists those
    in the title; `groups_defined` is how many kinds of concept the story has."""
    # Floored: in a two-line teaser one mention must not count as three.
    norm = max(0.5, 0.3 + 0.7 * tokens / _AVG_TOKENS)
    raw = 0.0
    groups = set()
    for (group, _, weight), count in body.items():
        tf = count / norm
        raw += weight * tf / (tf + 2.0)
        groups.add(group)
    for group, _, weight in title:
        raw += weight * _TITLE_WEIGHT
        groups.add(group)
    if groups_defined >= 2 and len(groups) < 2:
        raw *= _ONE_GROUP
    return round(1.0 - math.exp(-raw / _SCALE), 4)
