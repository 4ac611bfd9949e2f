"""Feed bytes in, clean ParsedArticles out.

feedparser is only ever given bytes: given a string it would take it for a
URL or a local path and go and read it. Every piece of text is cleaned here,
once, on the way in, and stored clean.
"""

from __future__ import annotations

import calendar
import hashlib
import heapq
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import feedparser

from briefing.model import ParsedArticle
from briefing.store.values import MAX_YEAR
from briefing.text.boilerplate import strip_boilerplate
from briefing.text.sanitize import MAX_LINE_CHARS, MAX_TEXT_CHARS, clean_line, clip, html_to_text, safe_link

# The largest number of entries taken from one feed: a hostile feed with a
# million entries should not become a million rows.
MAX_ENTRIES = 2000


# An internal DTD subset that declares entities. (A plain DOCTYPE naming an
# external DTD, as RSS 0.91 feeds carry, is harmless: nothing fetches it.)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)


def _declares_entities(head: bytes) -> bool:
    """Whether a '<!ENTITY' follows a DOCTYPE and a '[' after it. Three
    searches, each once over the head: one pattern for the whole subset
    looked for its end from each of many '<!DOCTYPE' (seconds for 64 KB).
    It may refuse a feed that only quotes '<!ENTITY' after a DOCTYPE; none
    that declares an entity gets through."""
    doctype = _DOCTYPE.search(head)
    if not doctype:
        return False
    subset = head.find(b"[", doctype.end())
    return subset >= 0 and _ENTITY.search(head, subset) is not None


class NotAFeed(Exception):
    """The bytes are not a feed. str() says what they were, in words."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    articles: tuple[ParsedArticle, ...] = ()
    warning: str | None = None  # set when feedparser could only partly read it
    skipped: int = field(default=0)
    capped: str | None = None  # "kept the newest 2,000 of 50,000 entries", when it had more

    @property
    def note(self) -> str | None:
        """What to keep with the feed's status: the cap first, so that a
        shortened status still shows it, then the warning."""
        return "; ".join(n for n in (self.capped, self.warning) if n) or None


def clean_body(html_or_text: str) -> str:
    """HTML or text to clean story text, boilerplate removed."""
    return strip_boilerplate(html_to_text(html_or_text))


def parse_feed(data: bytes, feed_name: str, content_type: str | None = None) -> ParsedFeed:
    """Parse one feed document. Raises NotAFeed when it is not one."""
    if not isinstance(data, bytes):
        raise TypeError("parse_feed takes bytes, never a URL or a path")
    if _declares_entities(data[:65536]):
        # Entity declarations are how billion-laughs and external-entity
        # attacks work; no real feed needs them.
        raise NotAFeed("not a feed: refused, the document declares its own XML entities")
    headers = {"content-type": content_type} if content_type else {}
    # feedparser's own HTML sanitising and link resolving are off: every
    # piece of HTML is turned into plain text right below (html_to_text keeps
    # text only, no tag or attribute survives), so they would be work thrown
    # away, about a fifth of the parsing time.
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeed(_describe_non_feed(data, parsed))
    feed_title = clean_line(clip(parsed.feed.get("title"), MAX_LINE_CHARS))
    source_default = clean_line(feed_name) or feed_title or "unknown"
    entries, capped = _newest(parsed.entries)
    articles = []
    skipped = 0
    for entry in entries:
        article = _entry_article(entry, source_default, feed_name)
        if article is None:
            skipped += 1
        else:
            articles.append(article)
    warning = None
    if parsed.get("bozo"):
        warning = f"partly malformed feed: {clean_line(str(parsed.get('bozo_exception')))[:160]}"
    return ParsedFeed(
        title=feed_title or source_default, articles=tuple(articles), warning=warning, skipped=skipped, capped=capped
    )


def _newest(entries: list) -> tuple[list, str | None]:
    """At most MAX_ENTRIES entries, the newest by date (undated ones after
    the dated, and among equals the earlier in the feed, since feeds list
    newest first), in the feed's order; and the words saying so when
    entries were left out. A feed need not list its newest first, so its
    first entries are not taken to be the newest."""
    if len(entries) <= MAX_ENTRIES:
        return entries, None

    def age(index: int) -> tuple[float, int]:
        when = _entry_date(partial(dict.get, entries[index]))
        return (-when.timestamp() if when else math.inf, index)

    kept = sorted(heapq.nsmallest(MAX_ENTRIES, range(len(entries)), key=age))
    return ([entries[i] for i in kept], f"kept the newest {MAX_ENTRIES:,} of {len(entries):,} entries")


def _describe_non_feed(data: bytes, parsed) -> str:
    head = data[:2048].lstrip().lower()
    if not head:
        return "not a feed: the body is empty"
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return "not a feed: got an HTML page"
    if head[:1] in (b"{", b"["):
        return "not a feed: got JSON"
    reason = parsed.get("bozo_exception")
    if reason:
        return f"not a feed: {clean_line(str(reason))[:160]}"
    return "not a feed: no RSS or Atom content found"


def _entry_article(entry, source_default: str, feed_name: str) -> ParsedArticle | None:
    # feedparser's dict maps old key names on every read; the keys read here
    # are the ones it stores under, so a plain dict read finds the same
    # value, several times faster.
    field = partial(dict.get, entry)
    # Each field is cut to its cap before any work on it (see sanitize).
    title = clean_line(html_to_text(clip(field("title", ""), MAX_LINE_CHARS)))
    body_html = clip(_longest_content(field), MAX_TEXT_CHARS)
    text = clean_body(body_html)
    if not title and not text:
        return None
    if not title:
        title = text.split("\n", 1)[0][:120]
    link = safe_link(field("link"))
    published = _entry_date(field)
    # Aggregators (Google News) name the real outlet in <source>.
    source = source_default
    entry_source = field("source")
    if isinstance(entry_source, dict):
        source = clean_line(clip(entry_source.get("title"), MAX_LINE_CHARS)) or source
    identity = clean_line(clip(field("id"), MAX_LINE_CHARS)) or link
    if not identity:
        stamp = published.isoformat() if published else ""
        identity = "sha1:" + hashlib.sha1(f"{title}\x00{stamp}".encode()).hexdigest()
    return ParsedArticle(
        key=f"{feed_name}|{identity}",
        title=title,
        source=source,
        link=link,
        published=published,
        text=text,
        author=clean_line(clip(field("author"), MAX_LINE_CHARS)) or None,
        feed=feed_name,
    )


def _longest_content(field) -> str:
    candidates = [c.get("value", "") for c in field("content", []) if isinstance(c, dict)]
    candidates.append(field("summary", "") or "")
    return max(candidates, key=len)


def _entry_date(field) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = field(key)
        if value:
            try:
                when = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
            # Feeds date nothing before the web; a date past what the store
            # keeps is a wrong one. Either way the entry is kept, undated.
            if 1990 <= when.year <= MAX_YEAR:
                return when
    return None
