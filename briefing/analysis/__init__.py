"""Story analysis: from stored articles to one plain Briefing value.

Two halves. `analyse_article` runs once per stored article and returns a
compact JSON-ready dict (see article.py for its keys); a `BriefingBuilder`
is fed every article's row data and the dicts of the relevant ones, keeps
running aggregates, and builds the Briefing in bounded time; adding a
refresh's articles costs time in proportion to them (build.py).
`build_briefing` does both at once for a list of articles. A store keeps
each dict with ANALYSIS_VERSION and `story_fingerprint(story)` and
re-analyses when either changes; for an article that is not relevant it
need keep only `light_analysis(dict)`. Pure standard library; nothing here
knows about the screen.
"""

from __future__ import annotations

from .article import ANALYSIS_VERSION, analyse_article, is_relevant, light_analysis
from .build import BriefingBuilder, build_briefing
from .relevance import RELEVANCE_THRESHOLD
from .rows import ArticleMeta
from .story import story_fingerprint

__all__ = ["ANALYSIS_VERSION", "RELEVANCE_THRESHOLD", "ArticleMeta", "BriefingBuilder", "analyse_article",
           "build_briefing", "is_relevant", "light_analysis", "story_fingerprint"]
