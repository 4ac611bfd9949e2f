"""Queries about article pages: which articles a refresh may fetch the page
of, and which failed pages are worth one more try. Storing a page's text
is the Store's (store_page, store_page_failure): it drops the analysis and
counts the change, as every write to an article does."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from briefing.record import record
from briefing.store.lookup import IDS_A_QUERY, where_ids
from briefing.store.values import from_iso, to_iso


@record
class PageTarget:
    """An article whose web page a refresh may fetch: its link, the feed
    version it has now (content_hash), and how its last page went."""

    id: int
    feed: str | None
    link: str
    content_hash: str
    page_status: str | None = None
    page_hash: str | None = None
    page_fetched: datetime | None = None
    feed_words: int = 0  # words of the text the feed (or file) gave

    @property
    def page_current(self) -> bool:
        """Its page was tried for the article as it is now (ok or failed)."""
        return self.page_status is not None and self.page_hash == self.content_hash


# The words of the text the feed (or file) gave, counted by SQLite: a
# refresh asks for thousands of articles, whose texts need not come to
# Python for it. The cleaner leaves one space between words and newlines
# between paragraphs, so separators and one more count them (a blank line
# between paragraphs counts once more).
_FEED_TEXT = "CASE WHEN text_source = 'page' THEN coalesce(summary, '') ELSE text END"
_FEED_WORDS = (
    f"CASE WHEN length({_FEED_TEXT}) = 0 THEN 0 ELSE 1 + length({_FEED_TEXT})"
    f" - length(replace(replace({_FEED_TEXT}, ' ', ''), char(10), '')) END"
)


def page_targets(db: sqlite3.Connection, ids: Sequence[int], max_chars: int | None = None) -> list[PageTarget]:
    """Those of these articles with an http(s) link (and, given
    max_chars, a feed text no longer than that), in the order of ids:
    what fetching their pages needs to know."""
    if not ids:
        return []
    found = {}
    for start in range(0, len(ids), IDS_A_QUERY):
        chunk = list(ids[start : start + IDS_A_QUERY])
        where, params = where_ids(chunk)
        for row in db.execute(
            "SELECT id, feed, link, content_hash, page_status, page_hash, page_fetched, "
            + _FEED_WORDS
            + " FROM articles"
            + where
            + " AND (link LIKE 'http://%' OR link LIKE 'https://%')"
            + ("" if max_chars is None else f" AND length({_FEED_TEXT}) <= {int(max_chars)}"),
            params,
        ):
            found[row[0]] = PageTarget(row[0], row[1], row[2], row[3], row[4], row[5], from_iso(row[6]), row[7])
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def failed_pages(
    db: sqlite3.Connection, feeds: Sequence[str], tried_before: datetime, seen_since: datetime
) -> list[int]:
    """Articles of these feeds whose page failed for the article as it is
    now, last tried before `tried_before`, first seen since `seen_since`:
    the failures worth one more try."""
    if not feeds:
        return []
    marks = ",".join("?" * len(feeds))
    return [
        row[0]
        for row in db.execute(
            f"SELECT id FROM articles WHERE feed IN ({marks}) AND page_status = 'failed'"
            " AND page_hash = content_hash AND page_fetched < ? AND first_seen >= ? ORDER BY id",
            (*feeds, to_iso(tried_before), to_iso(seen_since)),
        )
    ]
