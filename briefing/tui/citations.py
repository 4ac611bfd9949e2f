"""What a line that cites an article opens, and the list it belongs to.

A Target is one line of a list (a summary line, a piece of evidence, a
quote, a mention, a timeline event, a feed row): the article to open, the
sentence to scroll to and highlight, and every outlet's copy when several
carried it. A Trail is the list itself, so that the reader can step to the
next and previous line without going back.
"""

from __future__ import annotations

from datetime import datetime

from briefing.model import ArticleRow, Cited, Copy, Quote, TimelineEvent
from briefing.record import record


@record
class Opened:
    """One copy of a target: the article, the sentence as it has it, its outlet."""

    article_id: int
    sentence: str | None
    source: str
    published: datetime | None = None


@record
class Target:
    article_id: int
    sentence: str | None = None
    source: str = ""
    published: datetime | None = None
    copies: tuple[Copy, ...] = ()

    @property
    def copy_count(self) -> int:
        return max(1, len(self.copies))

    def opened(self, copy: int = 0) -> Opened:
        """The `copy`th outlet's copy (the first when there are none)."""
        if self.copies:
            chosen = self.copies[copy % len(self.copies)]
            return Opened(chosen.article_id, chosen.text or self.sentence, chosen.source, chosen.published)
        return Opened(self.article_id, self.sentence, self.source, self.published)


@record
class Trail:
    """A list of targets, named for the reader's line ("Summary", "Evidence: …")."""

    name: str
    items: tuple[Target, ...] = ()


def cited_target(item: Cited) -> Target:
    copies = item.copies if len(item.copies) > 1 else ()
    return Target(item.article_id, item.text, item.source, item.published, copies)


def quote_target(quote: Quote) -> Target:
    return Target(quote.article_id, quote.text, quote.source, quote.published)


def event_target(event: TimelineEvent) -> Target:
    copies = event.copies if len(event.copies) > 1 else ()
    return Target(event.article_id, event.text, event.source, None, copies)


def row_target(row: ArticleRow) -> Target:
    return Target(row.id, None, row.source, row.published)
