"""`briefing import`: articles from files the user has (.txt, .md, .html,
a feed file, or briefing's own JSON article format).

Every file is read and checked before anything is written, so a bad file in
the list changes nothing. Each problem is one ImportFileError line naming the
file.

Imports inside functions: the CLI imports this module for ImportFileError
before every command, the dashboard's included, and that needs none of them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from briefing.model import ParsedArticle
from briefing.record import replace
from briefing.store.values import DATE_RANGE, as_utc
from briefing.text.sanitize import MAX_LINE_CHARS, MAX_TEXT_CHARS, clean_line, clean_text, clip, html_to_text, safe_link

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
JSON_SUFFIXES = {".json"}


class ImportFileError(Exception):
    """A file that cannot be imported. str() is the one-line message."""


def parse_date(value: str, where: str) -> datetime:
    """ISO 8601 date or date-time; naive values are taken as UTC. A date
    outside the store's range (store/values.py, MIN_YEAR to MAX_YEAR) is refused."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ImportFileError(
            f"{where}: {value!r} is not an ISO 8601 date (e.g. 2025-02-04 or 2025-02-04T10:00:00Z)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    utc = as_utc(when)
    if utc is None:
        raise ImportFileError(f"{where}: {value!r} is out of range (dates from {DATE_RANGE}, UTC, are accepted)")
    return utc


def read_articles(
    path: Path, *, source: str | None = None, published: datetime | None = None, link: str | None = None
) -> list[ParsedArticle]:
    """Read one file into articles, or raise ImportFileError."""
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return _json_articles(path, _decode(path, data), source, published, link)
    if suffix in FEED_SUFFIXES or (suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and _sniff_feed(data)):
        return _feed_articles(path, data, source)
    text = _decode(path, data)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _sniff_html(text)):
        title, body = _html_article(text)
    else:
        title, body = _split_title(clip(text, MAX_TEXT_CHARS))
    from briefing.text.boilerplate import strip_boilerplate

    body = strip_boilerplate(body)
    if not body and not title:
        raise ImportFileError(f"{path}: no article text in the file")
    return [_article(path, title or path.stem, body, source, published, link)]


def _html_article(text: str) -> tuple[str, str]:
    """A saved web page's title and article text, found as a refresh finds
    them (page_text.py: the menus, links and footers left out); a fragment
    with too little text for that (a snippet, a bare list) is read whole."""
    from briefing.ingest.page_text import extract_article  # trafilatura only for an HTML import

    page = extract_article(text)
    if page.problem is None:
        return page.title or "", page.text
    title = clean_line(html_to_text(clip(_html_title(text), MAX_LINE_CHARS)))
    body = html_to_text(clip(text, MAX_TEXT_CHARS))
    if title and body.startswith(title):
        body = body[len(title) :]
    return title, body


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFileError(f"{path}: is a directory, not a file")
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"{path}: too large to import ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise ImportFileError(f"{path}: the file is empty")
    # UTF-16 text is half zero bytes: only its byte order mark tells it
    # from a binary file, which _decode then still checks for.
    if not _utf16(data) and b"\x00" in data[:8192]:
        raise _binary(path)
    return data


def _binary(path: Path) -> ImportFileError:
    return ImportFileError(f"{path}: a binary file, not text, HTML, JSON or a feed")


def _utf16(data: bytes) -> str | None:
    """The codec for UTF-16 that a byte order mark announces, if any."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    return None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), or UTF-16 with one."""
    codec = _utf16(data)
    if codec is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        text = data[2:].decode(codec)
    except UnicodeDecodeError:
        # Random bytes behind an FF FE start break UTF-16 (a lone surrogate,
        # an odd length) far sooner than text does.
        raise _binary(path) from None
    if "\x00" in text[:8192]:
        raise _binary(path)
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty")
    return text


def _sniff_feed(data: bytes) -> bool:
    codec = _utf16(data)
    # Latin-1 maps every byte to one character: a feed in any ASCII-based
    # encoding shows its tags.
    head = data[2:2050].decode(codec, "ignore") if codec else data[:1024].decode("latin-1")
    head = head.lstrip().lower()
    return head.startswith("<?xml") or "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def _sniff_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<p>" in head


_TITLE_OPEN = re.compile(r"<title", re.I)
_TITLE_CLOSE = re.compile(r"</title>", re.I)


def _html_title(text: str) -> str:
    """What the first <title ...>...</title> holds, or "". Each end is looked
    for once: one pattern for the whole element would look for the end of
    each of many unclosed '<title' all the way to the end of the text."""
    start = _TITLE_OPEN.search(text)
    if not start:
        return ""
    opened = text.find(">", start.end())
    if opened < 0:
        return ""
    # Any later '<title' would need a '</title>' after this one's.
    closed = _TITLE_CLOSE.search(text, opened)
    return text[opened + 1 : closed.start()] if closed else ""


def _split_title(text: str) -> tuple[str, str]:
    """A text or Markdown file: its first line (a '# heading' if it has one) is the title."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    first = clean_line(lines[0].lstrip("#").strip())
    rest = "\n".join(lines[1:])
    # A first line that is a whole paragraph is body text, not a title: the
    # title is then its first sentence, shortened.
    if len(first) > 160:
        rest = text
        from briefing.analysis.sentences import split_sentences

        sentences = split_sentences(first)
        first = _shorten(sentences[0] if sentences else first, 120)
    if re.search(r"<(?:p|div|br|html)\b", rest, re.I):
        return first, html_to_text(rest)
    if re.search(r"\n[ \t]*\n", rest.strip()):
        # Blank lines separate paragraphs; single newlines are only wrapping.
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", rest)]
    else:
        # No blank lines: one paragraph a line, as copied from a web page.
        paragraphs = rest.split("\n")
    return first, clean_text("\n\n".join(p for p in paragraphs if p.strip()))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _article(
    path: Path, title: str, body: str, source: str | None, published: datetime | None, link: str | None
) -> ParsedArticle:
    link = safe_link(link)
    import hashlib  # it loads OpenSSL

    identity = link or "sha1:" + hashlib.sha1(f"{title}\x00{body}".encode()).hexdigest()
    outlet = clean_line(source) or "Imported"
    return ParsedArticle(
        key=import_key(identity, outlet),
        title=clip(clean_line(title), 300),
        source=outlet,
        link=link,
        published=published,
        text=body,
        feed=None,
    )


def _json_articles(
    path: Path, text: str, source: str | None, published: datetime | None, link: str | None
) -> list[ParsedArticle]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ImportFileError(f"{path}: not an article file: arrays or objects nested too deeply to read") from None
    except ValueError:
        # The only other ValueError json raises: an integer longer than
        # Python will convert (sys.get_int_max_str_digits()).
        raise ImportFileError(f"{path}: not an article file: a number too long to read") from None
    items = data if isinstance(data, list) else [data]
    articles = []
    from briefing.text.boilerplate import strip_boilerplate

    for index, item in enumerate(items):
        where = f"{path}: article {index}" if isinstance(data, list) else str(path)
        if not isinstance(item, dict):
            raise ImportFileError(f"{where}: must be a JSON object with title, source and text")
        unknown = set(item) - {"title", "source", "link", "published", "author", "text"}
        if unknown:
            raise ImportFileError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        for key in ("title", "text"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ImportFileError(f"{where}: {key!r} must be a non-empty string")
        for key in ("source", "link", "published", "author"):
            if item.get(key) is not None and not isinstance(item[key], str):
                raise ImportFileError(f"{where}: {key!r} must be a string or null")
        when = published or (
            parse_date(clip(item["published"], MAX_LINE_CHARS), f"{where}: published")
            if item.get("published")
            else None
        )
        body = strip_boilerplate(html_to_text(clip(item["text"], MAX_TEXT_CHARS)))
        article = _article(
            path,
            clip(item["title"], MAX_LINE_CHARS),
            body,
            source or clip(item.get("source"), MAX_LINE_CHARS),
            when,
            link or item.get("link"),
        )
        if item.get("author"):
            article = replace(article, author=clean_line(clip(item["author"], MAX_LINE_CHARS)) or None)
        articles.append(article)
    return articles


def _feed_articles(path: Path, data: bytes, source: str | None) -> list[ParsedArticle]:
    from briefing.ingest.feed import NotAFeed, parse_feed

    try:
        feed = parse_feed(data, feed_name=source or path.stem)
    except NotAFeed as exc:
        raise ImportFileError(f"{path}: {exc}") from None
    if not feed.articles:
        raise ImportFileError(f"{path}: the feed has no entries")
    # Imported feed entries are not tied to a configured feed.
    return [replace(a, key=import_key(a.key.split("|", 1)[1], a.source), feed=None) for a in feed.articles]


_OUTLET_TAG = len("import|outlet:") + 16 + 1


def import_key(identity: str, source: str) -> str:
    """An imported article's key: what it is (its link, or a hash of its
    title and text) and the outlet it is from, so the same text imported for
    two outlets is two copies (shown as "also in"), not one replacing the
    other. The outlet is hashed to a fixed width, so the identity after it
    is read back whatever either holds (former_import_key)."""
    import hashlib

    outlet = hashlib.sha1(source.encode()).hexdigest()[:16]
    return f"import|outlet:{outlet}|{identity}"


def former_import_key(key: str) -> str | None:
    """The key the same import had before keys named the outlet, or None for
    a key that is not an import's."""
    if not key.startswith("import|outlet:") or len(key) <= _OUTLET_TAG:
        return None
    return "import|" + key[_OUTLET_TAG:]
