"""Which articles of a batch being stored may already be in the store, found
with a few queries for the whole batch (Store.upsert_articles); and the
WHERE clause every query by article ids is made with."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.model import ParsedArticle


# Article ids a query names at most: under SQLite's limit on parameters.
IDS_A_QUERY = 500


def where_ids(ids: Sequence[int] | None) -> tuple[str, list]:
    """A WHERE clause for these article ids (none: every article), and its parameters."""
    if ids is None:
        return "", []
    return f" WHERE id IN ({','.join('?' * len(ids))})", list(ids)


def maybe_known_articles(db: sqlite3.Connection, articles: list[ParsedArticle], feed: str | None) -> set:
    """The keys, and (feed, link) pairs, of a batch that may already name a
    stored article by the time it is reached: those in the store, and
    those the batch holds twice (the first one stored). Only these are
    looked up one by one; a refresh's new articles, nearly all of a
    first fetch, go straight in, with two queries a batch instead of two
    an article."""
    keys: dict[str, int] = {}
    links: dict[tuple[str | None, str], int] = {}
    for article in articles:
        keys[article.key] = keys.get(article.key, 0) + 1
        if article.link:
            pair = (feed if feed is not None else article.feed, article.link)
            links[pair] = links.get(pair, 0) + 1
    found: set = {key for key, count in keys.items() if count > 1}
    found.update(pair for pair, count in links.items() if count > 1)
    for chunk in _chunks(list(keys)):
        found.update(
            row[0] for row in db.execute(f"SELECT key FROM articles WHERE key IN ({','.join('?' * len(chunk))})", chunk)
        )
    by_feed: dict[str | None, list[str]] = {}
    for article_feed, link in links:
        by_feed.setdefault(article_feed, []).append(link)
    for article_feed, feed_links in by_feed.items():
        for chunk in _chunks(feed_links):
            found.update(
                (article_feed, row[0])
                for row in db.execute(
                    f"SELECT link FROM articles WHERE feed IS ? AND link IN ({','.join('?' * len(chunk))})",
                    (article_feed, *chunk),
                )
            )
    return found


def _chunks(items: list, size: int = IDS_A_QUERY) -> list[list]:
    """Split a long IN (...) list: SQLite caps the parameters of one statement."""
    return [items[i : i + size] for i in range(0, len(items), size)]
