"""Full-text search over the stored articles: running a query (read by
search_query.py) against the articles_fts index, checking what the index
cannot (phrases), and cutting each hit's snippet with its matches marked.

The index holds each article's title and text folded by text/fold.py
(schema v5), the fold the query's words get too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from briefing.record import record
from briefing.store.values import from_iso
from briefing.text.fold import fold

if TYPE_CHECKING:
    from briefing.store.search_query import SearchQuery

# How much text a snippet shows before its first match, and in all.
SNIPPET_BEFORE = 60
SNIPPET_CHARS = 180

Marks = tuple[tuple[int, int], ...]


@record
class SearchHit:
    id: int
    title: str
    source: str
    published: datetime | None
    snippet: str
    link: str | None = None
    first_seen: datetime | None = None
    title_marks: Marks = ()  # (start, end) of each match in the title
    snippet_marks: Marks = ()  # and in the snippet


def search_articles(
    db: sqlite3.Connection,
    query: str | SearchQuery,
    limit: int | None,
    *,
    newest_first: bool = False,
    snippets: bool = True,
) -> list[SearchHit]:
    """The query behind Store.search: raises SearchSyntaxError for a query
    that cannot be read. By default, articles with the terms in their title
    come first, then the others, each latest stored first. Not bm25: with
    detail=column FTS5 re-reads and re-tokenises an article's text to score
    it, so ranking the matches of a common word costs time in proportion to
    the store; walking the index newest first stops after `limit` matches
    (benchmarks/README.md, "Dashboard at scale"). With newest_first, every
    match in the order of its date (published, else first seen)."""
    from briefing.store.search_query import parse_query

    parsed = parse_query(query) if isinstance(query, str) else query
    if parsed is None or limit == 0:
        return []
    read_text = snippets or parsed.checks_text
    hits: list[SearchHit] = []
    seen: set[int] = set()
    if newest_first:
        passes = [(parsed.fts(), "coalesce(a.published, a.first_seen) DESC, a.id DESC")]
    else:
        passes = [(parsed.fts(title_only=True), "articles_fts.rowid DESC"), (parsed.fts(), "articles_fts.rowid DESC")]
    for match, order in passes:
        for row in _rows(db, match, order, read_text):
            if row["id"] in seen:
                continue
            if parsed.checks_text and not parsed.matches(row["title"], row["text"]):
                continue
            seen.add(row["id"])
            hits.append(_hit(row, parsed, snippets))
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


def _rows(db: sqlite3.Connection, match: str, order: str, read_text: bool) -> Iterator[sqlite3.Row]:
    text = "a.text" if read_text else "'' AS text"
    sql = (
        f"SELECT a.id, a.title, a.source, a.link, a.published, a.first_seen, {text}"
        " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        f" WHERE articles_fts MATCH ? ORDER BY {order}"
    )
    try:
        yield from db.execute(sql, (match,))
    except sqlite3.OperationalError as exc:
        # Only a word FTS5 splits differently from us can get here (quoted,
        # nothing the user typed is read as syntax): said as a search error.
        if "fts5" in str(exc):
            from briefing.store.search_query import SearchSyntaxError

            raise SearchSyntaxError(f"cannot search for that: {exc}") from None
        raise


def _hit(row: sqlite3.Row, query: SearchQuery, snippets: bool) -> SearchHit:
    snippet, snippet_marks = _snippet(row["text"], query) if snippets else ("", ())
    return SearchHit(
        id=row["id"],
        title=row["title"],
        source=row["source"],
        published=from_iso(row["published"]),
        snippet=snippet,
        link=row["link"],
        first_seen=from_iso(row["first_seen"]),
        title_marks=tuple(query.marks(row["title"])),
        snippet_marks=snippet_marks,
    )


def _snippet(text: str, query: SearchQuery) -> tuple[str, Marks]:
    """A stretch of the text around its first match, on one line, and where
    the matches are in it."""
    first = _first_match(text, query)
    start = max(0, first - SNIPPET_BEFORE)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(first, start), end)
        end = space if space > start else end
    snippet = " ".join(text[start:end].split())
    if start and snippet:
        snippet = "… " + snippet
    if end < len(text) and snippet:
        snippet += " …"
    return snippet, tuple(query.marks(snippet))


def _first_match(text: str, query: SearchQuery) -> int:
    """Where the first wanted term is in the text (0 when only in the title)."""
    folded = fold(text)
    found = query.first(folded)
    if found is None:
        return 0
    if len(folded) == len(text):
        return found  # nothing folded to more or fewer characters: same places
    marks = query.marks(text)
    return marks[0][0] if marks else 0


def fts_query(text: str) -> str:
    """The FTS5 expression for what the user typed ("" for nothing to search)."""
    from briefing.store.search_query import parse_query

    parsed = parse_query(text)
    return parsed.fts() if parsed else ""
