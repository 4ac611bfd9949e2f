"""Story analysis: from stored articles to one plain Briefing value.

Two halves. `analyse_article` runs once per stored article and returns a
compact JSON-ready dict (see article.py for its keys); `build_briefing`
assembles the Briefing from those dicts in roughly linear time. A store
keeps each dict with ANALYSIS_VERSION and `story_fingerprint(story)` and
re-analyses when either changes. Pure standard library; nothing here knows
about the screen.
"""

from __future__ import annotations

from .article import ANALYSIS_VERSION, analyse_article
from .build import build_briefing
from .relevance import RELEVANCE_THRESHOLD
from .story import story_fingerprint

__all__ = ["ANALYSIS_VERSION", "RELEVANCE_THRESHOLD", "analyse_article", "build_briefing", "story_fingerprint"]
