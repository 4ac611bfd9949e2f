"""How values go into the store's columns and come back out: timestamps as
UTC ISO text, an article's content hash, per-article analyses as compressed
JSON, and an article row turned back into an Article.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import UTC, datetime

from briefing.model import Article, ParsedArticle

# The dates the store keeps: UTC instants in the years 1800 to 2199. Wide
# enough for any archive of news a user imports, and narrow enough that every
# one is written as four-digit-year text (which sorts as time does, the way
# prune and the index compare it) and stays in range under any UTC offset.
MIN_YEAR, MAX_YEAR = 1800, 2199
EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
DATE_RANGE = f"{MIN_YEAR}-01-01 to {MAX_YEAR}-12-31"


def as_utc(value: datetime) -> datetime | None:
    """value in UTC, or None when it is outside the store's range. Never
    raises: the value's own year is looked at first, so that an offset near
    year 1 or 9999 cannot overflow the conversion."""
    if not MIN_YEAR - 1 <= value.year <= MAX_YEAR + 1:
        return None
    utc = value.astimezone(UTC)
    return utc if MIN_YEAR <= utc.year <= MAX_YEAR else None


def to_iso(value: datetime | None) -> str | None:
    """UTC ISO text; None for None and for a date outside the store's range
    (callers refuse those earlier, with a message; this keeps any other way
    in from writing text that cannot be read back)."""
    utc = as_utc(value) if value is not None else None
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ") if utc is not None else None


def from_iso(value: str | None) -> datetime | None:
    """What to_iso wrote, back as a UTC datetime. Anything else in the column
    (a date out of range, garbage, a number) is an unknown date, never an
    error: one odd row must not make the rest of the store unreadable."""
    if not isinstance(value, str) or len(value) != 20 or value[-1] != "Z":
        return None
    try:
        # fromisoformat, in C, because strptime was most of the time spent
        # loading a large store; "Z" makes it UTC-aware.
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if MIN_YEAR <= when.year <= MAX_YEAR else None


def sql_date(column: str) -> str:
    """SQL for the column's value when from_iso would read it as a date, else
    NULL: what a query that compares stored dates as text must compare."""
    digit = "[0-9]"
    shape = (
        "-".join([digit * 4, "[01]" + digit, "[0-3]" + digit])
        + "T"
        + ":".join(["[0-2]" + digit, "[0-5]" + digit, "[0-5]" + digit])
        + "Z"
    )
    return (
        f"(CASE WHEN {column} GLOB '{shape}' AND {column} >= '{MIN_YEAR}' AND {column} < '{MAX_YEAR + 1}'"
        f" THEN {column} END)"
    )


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def content_hash(article: ParsedArticle, published_iso: str | None = None) -> str:
    """What tells a changed article from the one stored. Stored hashes are
    compared with new ones, so these bytes never change: each field, then
    a NUL. published_iso: to_iso(article.published), if the caller has it."""
    import hashlib  # here, not at the top: the dashboard's start-up never stores

    if published_iso is None:
        published_iso = to_iso(article.published)
    fields = (
        article.title,
        article.text,
        article.link or "",
        published_iso or "",
        article.author or "",
        article.source,
        "",
    )
    return hashlib.blake2b("\x00".join(fields).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode_analysis(data: dict) -> bytes:
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode(), 6)


def decode_analysis(data: bytes | str) -> dict:
    if isinstance(data, bytes):
        data = zlib.decompress(data)
    return json.loads(data)


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        key=row["key"],
        title=row["title"],
        source=row["source"],
        link=row["link"],
        # An unreadable first-seen time counts as the earliest: such a row is
        # never "new", sorts last, and prune takes it as old.
        published=from_iso(row["published"]),
        first_seen=from_iso(row["first_seen"]) or EARLIEST,
        text=row["text"],
        author=row["author"],
        feed=row["feed"],
        read=bool(row["read"]),
        text_source=row["text_source"],
        summary=row["summary"],
        page_status=row["page_status"],
        page_error=row["page_error"],
        page_fetched=from_iso(row["page_fetched"]),
    )
