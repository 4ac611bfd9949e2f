"""How values go into the store's columns and come back out: timestamps as
UTC ISO text, an article's content hash, per-article analyses as compressed
JSON, and an article row turned back into an Article.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import datetime, timezone

from briefing.model import Article, ParsedArticle


def to_iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 20 and value[-1] == "Z":
        # What to_iso writes. fromisoformat (C) is ~40x faster than strptime,
        # which dominated loading 100,000 rows; "Z" makes it UTC-aware.
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def content_hash(article: ParsedArticle, published_iso: str | None = None) -> str:
    """What tells a changed article from the one stored. Stored hashes are
    compared with new ones, so these bytes never change: each field, then
    a NUL. published_iso: to_iso(article.published), if the caller has it."""
    import hashlib  # here, not at the top: the dashboard's start-up never stores

    if published_iso is None:
        published_iso = to_iso(article.published)
    fields = (article.title, article.text, article.link or "", published_iso or "", article.author or "",
              article.source, "")
    return hashlib.blake2b("\x00".join(fields).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode_analysis(data: dict) -> bytes:
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode(), 6)


def decode_analysis(data: bytes | str) -> dict:
    if isinstance(data, bytes):
        data = zlib.decompress(data)
    return json.loads(data)


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], key=row["key"], title=row["title"], source=row["source"], link=row["link"],
        published=from_iso(row["published"]), first_seen=from_iso(row["first_seen"]),
        text=row["text"], author=row["author"], feed=row["feed"], read=bool(row["read"]),
    )
