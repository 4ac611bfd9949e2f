"""The one sanitiser for text that strangers wrote.

Everything from a feed or an imported file goes through here on the way in,
and again where it is drawn or written out. It removes whatever a terminal
could take as an instruction: escape sequences (CSI, OSC including OSC 8
links and OSC 52 clipboard writes, DCS and friends), C0 controls other than
newline and tab, DEL, C1 controls, and bidirectional overrides and isolates
that can make text read differently from how it is stored.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# ESC followed by a sequence: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC
# (ESC ] ... terminated by BEL or ESC \ ), or a two-byte escape.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                          # CSI
    | \x1b[\]PX^_][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)  # OSC, DCS, SOS, PM, APC up to BEL or ST
    | \x1b[ -/]*[0-~]                                # other two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]                          # 8-bit CSI
    | [\x90\x98\x9d-\x9f][^\x07\x9c\n]{0,512}(?:\x07|\x9c)  # 8-bit OSC, DCS, SOS, PM, APC
    """,
    re.VERBOSE,
)
# A string sequence that never ends (a stray introducer, often mojibake such
# as a curly quote read as Latin-1) is not followed to the end of the text:
# the pattern above needs a terminator within the line, and the introducer
# alone is then removed below with the other controls, keeping the words.
# C0 (but \t and \n), DEL, C1, bidi embeddings/overrides/isolates, and a
# lone ESC that did not start a sequence.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; keep newline and tab."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Every escape sequence starts with a character _CONTROL matches, so
    # text with none (nearly all of it) is done after one quick scan.
    if not _CONTROL.search(text):
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_text(text: str | None) -> str:
    """Clean multi-line text: controls gone, spaces collapsed, paragraphs kept.

    Paragraphs come out separated by exactly one blank line.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(text))
    joined = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if "\n\n\n" in joined:
        joined = _BLANK_LINES.sub("\n\n", joined)
    return joined.strip()


def clean_line(text: str | None) -> str:
    """Clean text meant for one line (a title, a name): no newlines at all."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(text))
    return " ".join(text.split())


BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section "
    "article header footer figure figcaption hr dd dt dl aside".split()
)
_LOOKS_LIKE_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>")
SKIP_TAGS = frozenset("script style noscript template iframe object embed svg head title".split())


def collapse_html_whitespace(data: str) -> str:
    """Whitespace inside HTML text is not layout: each run is one space.
    (The same as re.sub(r"\\s+", " ", data): str.split() and \\s agree on
    what whitespace is; done with split because it is several times faster.)"""
    words = data.split()
    if not words:
        return " " if data else ""
    lead = " " if data[0].isspace() else ""
    trail = " " if data[-1].isspace() else ""
    return lead + " ".join(words) + trail


def looks_like_html(text: str) -> bool:
    return "<" in text and bool(_LOOKS_LIKE_TAG.search(text))


def html_to_text(html: str | None) -> str:
    """Turn an HTML fragment or page into clean plain text with paragraphs."""
    if not html:
        return ""
    if not looks_like_html(html):
        # Plain text may still carry entities (&amp;) from a feed.
        import html as html_module

        return clean_text(html_module.unescape(html))
    fast = _simple_html_to_text(html)
    if fast is not None:
        return fast
    return _parsed_html_to_text(html)


def _parsed_html_to_text(html: str) -> str:
    # html.parser is imported here, not at the top: the dashboard's start-up
    # cleans titles but never parses HTML.
    from briefing.text.html_parser import TextExtractor

    parser = TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; be safe with hostile input
        pass
    return clean_text("".join(parser.parts))


# A start or end tag whose attribute values, if quoted, are closed. The
# alternatives in the attribute part start with different characters, so
# the pattern cannot backtrack its way into slowness on hostile input.
_SIMPLE_TAG = re.compile(r"""<(/?)([A-Za-z][^\t\n\r\f />\x00<"']*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")
_NEEDS_PARSER = re.compile(r"<(?:script|style|noscript|template|iframe|object|embed|svg|head|title)\b",
                           re.IGNORECASE)


def _simple_html_to_text(html: str) -> str | None:
    """The same text sanitize_html.TextExtractor gives, for the common fragment: tags
    with no comments, scripts or other raw-text elements around them, and no
    stray '<'. Returns None for anything else, which then goes to the full
    parser. Feed descriptions are mostly like this, and html.parser, pure
    Python, was a quarter of the time a refresh spent parsing."""
    import html as html_module

    if _NEEDS_PARSER.search(html):
        return None
    parts: list[str] = []
    position = 0
    for tag in _SIMPLE_TAG.finditer(html):
        text = html[position:tag.start()]
        if "<" in text:
            return None
        if text:
            parts.append(collapse_html_whitespace(html_module.unescape(text)))
        name = tag.group(2).lower()
        if name in BLOCK_TAGS:
            closing = tag.group(1)
            parts.append("\n" if name == "br" and not closing else "\n\n")
        position = tag.end()
    text = html[position:]
    if "<" in text:
        return None
    if text:
        parts.append(collapse_html_whitespace(html_module.unescape(text)))
    return clean_text("".join(parts))


def safe_link(url: str | None) -> str | None:
    """Return the link if it is an http(s) URL a browser may be given, else None."""
    if not url:
        return None
    url = clean_line(url)
    # clean_line has made every run of whitespace one space.
    if not url or url.startswith("-") or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
