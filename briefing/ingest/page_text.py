"""An article's web page to its text: the body, without menus, footers,
related links, cookie banners or comments.

trafilatura finds the body (measured in benchmarks/extraction.md); a feed
may instead name the element that holds it with a CSS selector. The page is
hostile: it is capped in size, decoded leniently, cleaned of control
characters before parsing and of everything a terminal could obey after,
and never more than lxml's 256 levels deep, so that time stays linear in
its size. The text that comes out is plain text, paragraphs separated by a
blank line, for drawing as text and never as markup.

Imports inside functions: trafilatura, lxml and cssselect load only when a
page is extracted, never with the rest of the core.
"""

from __future__ import annotations

import codecs
import re
from typing import TypedDict

from briefing.record import record
from briefing.text.sanitize import clean_line, clean_text, html_to_text, strip_controls

# Bytes of HTML read, or characters when given a str; the rest is dropped.
# Real article pages are well under this (the largest of the measured
# pages is 1.1 MB); 5 MB of dense text takes some seconds to extract.
MAX_HTML_BYTES = 5_000_000


class _ExtractOptions(TypedDict):
    favor_precision: bool
    include_comments: bool


# trafilatura's options, chosen on the measured pages for their F1 and
# kept general: no rule for any one site.
EXTRACT_OPTIONS: _ExtractOptions = {"favor_precision": True, "include_comments": False}
# Fewer words than this is not an article: what is left of a consent
# wall, a paywall's teaser, an error page.
MIN_WORDS = 20
# lxml's limit when not given huge_tree: deeper elements end the parse.
_MAX_DEPTH = 256
# trafilatura spends some tens of microseconds on each element; real
# article pages have a few thousand, and a page of tiny elements (100,000
# line breaks make half a megabyte) would otherwise cost seconds a megabyte.
MAX_ELEMENTS = 100_000

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_READ_AS_1252 = frozenset({"iso8859-1", "latin-1", "ascii", "cp1252"})
_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_A_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9]*[\s/>]|!doctype\s)", re.IGNORECASE)
# Binary data read as text is one part in eight of these (controls, and
# bytes no codec could read); a page where they are one in twenty of its
# first 4 KB is not text, whatever it says it is.
_BINARY = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


@record
class PageText:
    """The article text of a page (plain text, paragraphs separated by a
    blank line), its title when it has one, and, when there is no text,
    why not in words."""

    text: str
    title: str | None = None
    problem: str | None = None


def load_extractor() -> None:
    """Import what extraction needs (trafilatura and lxml take a few tenths
    of a second): a parser process does it ahead of its first page."""
    import lxml.html  # noqa: F401
    import trafilatura  # noqa: F401


def extract_article(html: bytes | str, url: str | None = None, selector: str | None = None) -> PageText:
    """The article in an HTML page. `selector`, a CSS selector, takes the
    text of the elements it matches instead of the body trafilatura finds.
    Never raises for what the page holds; a bad selector is a problem too."""
    if isinstance(html, (bytes, bytearray)):
        source = _decode(bytes(html[:MAX_HTML_BYTES]), truncated=len(html) > MAX_HTML_BYTES)
    elif isinstance(html, str):
        source = html[:MAX_HTML_BYTES]
    else:
        raise TypeError("extract_article takes the page's bytes or text")
    not_html = _not_html(source)
    if not_html:
        return PageText("", None, not_html)
    # Controls and escape sequences go before parsing, so that none can end
    # up split across elements where no later cleaning would see it whole.
    source = strip_controls(source)

    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False, encoding="utf-8"
    )
    try:
        tree = lxml_html.document_fromstring(source.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return PageText("", None, "not HTML: nothing in it could be read as a page")
    too_deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        return PageText("", None, f"the page is too large to read: {elements:,} elements (at most {MAX_ELEMENTS:,})")
    _strip_referenced_controls(tree)
    title = _title(tree)
    if selector:
        text, problem = _selected_text(tree, selector)
    else:
        text, problem = _article_text(tree, url, title)
    if problem:
        return PageText("", title, problem)
    words = len(text.split())
    if words < MIN_WORDS:
        if too_deep:
            problem = f"the page is too deeply nested (over {_MAX_DEPTH} levels), with no article text above that"
        elif words:
            problem = f"the page has no article text, only {words} words (a consent or paywall page?)"
        else:
            problem = "the page has no article text (a consent or paywall page?)"
        return PageText("", title, problem)
    return PageText(text, title)


def _decode(data: bytes, truncated: bool) -> str:
    """Bytes to text: a byte-order mark, else UTF-8, else the charset the
    page declares, else Windows-1252; undecodable bytes become U+FFFD."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return data[len(mark) :].decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # The cap may have cut a character in two: that is still UTF-8.
        if truncated and error.start >= len(data) - 3:
            try:
                return data[: error.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = ""
        # A declaration readable as ASCII rules out UTF-16 and UTF-32;
        # Latin-1 and ASCII pages are read as Windows-1252, as browsers do.
        if codec and not codec.startswith(("utf-16", "utf-32")) and codec not in _READ_AS_1252:
            return data.decode(codec, "replace")
    return data.decode("cp1252", "replace")


def _not_html(source: str) -> str | None:
    head = source[:4096]
    if not head.strip():
        return "not HTML: the page is empty"
    if head.lstrip().startswith("%PDF-") or len(_BINARY.findall(head)) * 20 > len(head):
        return "not HTML: the page is binary data (an image, a PDF, an archive?)"
    if not _A_TAG.search(source):
        return "not HTML: the page has no HTML tags"
    return None


def _strip_referenced_controls(tree) -> None:
    """Character references (&#27;) bring back the controls cleaned from the
    source; one of them in the text makes trafilatura drop the whole page."""
    for element in tree.iter():
        text, tail = element.text, element.tail
        if text and _CONTROL.search(text):
            element.text = strip_controls(text)
        if tail and _CONTROL.search(tail):
            element.tail = strip_controls(tail)


def _title(tree) -> str | None:
    """The page's own title: its og:title, else <title>, else the first <h1>."""
    for path in (".//meta[@property='og:title']", ".//title", ".//h1"):
        element = next(tree.iterfind(path), None)
        if element is not None:
            title = clean_line(element.get("content") if element.tag == "meta" else element.text_content())[:300]
            if title:
                return title
    return None


def _article_text(tree, url: str | None, title: str | None) -> tuple[str, str | None]:
    import trafilatura

    try:
        extracted = trafilatura.extract(tree, url=url, **EXTRACT_OPTIONS)
    except RecursionError:
        return "", "the page is too deeply nested to read"
    except Exception as error:  # hostile pages must not stop a refresh; say what broke
        return "", f"the page could not be read ({type(error).__name__})"
    # trafilatura puts one paragraph a line; the project's text has a blank
    # line between paragraphs. A first line that is the page's title is
    # dropped: the title is kept apart.
    paragraphs = (extracted or "").splitlines()
    if paragraphs and title and clean_line(paragraphs[0]).casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    return clean_text("\n\n".join(paragraphs)), None


def _selected_text(tree, selector: str) -> tuple[str, str | None]:
    from cssselect import SelectorError
    from lxml import html as lxml_html
    from lxml.cssselect import CSSSelector

    try:
        matcher = CSSSelector(selector, translator="html")
    except (SelectorError, ValueError) as error:
        return "", f"the selector {clean_line(selector)[:80]!r} is not a CSS selector this can read ({error})"
    matches = matcher(tree)
    if not matches:
        return "", f"nothing on the page matches the selector {clean_line(selector)[:80]!r}"
    chosen = set(matches)
    # An element inside another match is already in that one's text.
    outermost = [element for element in matches if not any(ancestor in chosen for ancestor in element.iterancestors())]
    parts = [html_to_text(lxml_html.tostring(element, encoding="unicode", with_tail=False)) for element in outermost]
    return clean_text("\n\n".join(part for part in parts if part)), None
