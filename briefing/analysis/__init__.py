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

from collections.abc import Mapping, Sequence
from datetime import datetime

from briefing.analysis.article import ANALYSIS_VERSION, analyse_article, is_relevant, light_analysis
from briefing.analysis.build import BriefingBuilder
from briefing.analysis.relevance import RELEVANCE_THRESHOLD
from briefing.analysis.rows import ArticleMeta
from briefing.analysis.story import compile_story, story_fingerprint
from briefing.config import Story
from briefing.model import Article, Briefing

__all__ = [
    "ANALYSIS_VERSION",
    "RELEVANCE_THRESHOLD",
    "ArticleMeta",
    "BriefingBuilder",
    "analyse_article",
    "build_briefing",
    "is_relevant",
    "light_analysis",
    "story_fingerprint",
]


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
