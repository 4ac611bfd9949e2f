"""Full-text search over the stored articles: turning what the user typed
into an FTS5 query, and running that query against the articles_fts index.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from briefing.record import record
from briefing.store.values import from_iso


@record
class SearchHit:
    id: int
    title: str
    source: str
    published: datetime | None
    snippet: str


def search_articles(db: sqlite3.Connection, query: str, limit: int) -> list[SearchHit]:
    """The query behind Store.search. Not bm25: with detail=column FTS5
    re-reads and re-tokenises an article's text to score it, so ranking
    the matches of a common word costs time in proportion to the store;
    walking the index newest first stops after `limit` matches
    (benchmarks/README.md, "Dashboard at scale")."""
    match = fts_query(query)
    if not match:
        return []
    sql = (
        "SELECT a.id, a.title, a.source, a.published,"
        " snippet(articles_fts, 1, '', '', ' … ', 12) AS snippet"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        " WHERE articles_fts MATCH ?{} ORDER BY articles_fts.rowid DESC LIMIT ?"
    )
    rows = db.execute(sql.format(""), (f"title : ({match})", limit)).fetchall()
    if len(rows) < limit:
        seen = [r["id"] for r in rows]
        skip = f" AND articles_fts.rowid NOT IN ({','.join('?' * len(seen))})" if seen else ""
        rows += db.execute(sql.format(skip), (match, *seen, limit - len(rows))).fetchall()
    return [SearchHit(r["id"], r["title"], r["source"], from_iso(r["published"]), r["snippet"] or "") for r in rows]


def fts_query(text: str) -> str:
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    if not words:
        return ""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
