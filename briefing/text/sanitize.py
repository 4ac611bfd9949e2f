"""The one sanitiser for text that strangers wrote.

Everything from a feed or an imported file goes through here on the way in,
and again where it is drawn or written out. It removes whatever a terminal
could take as an instruction: escape sequences (CSI, OSC including OSC 8
links and OSC 52 clipboard writes, DCS and friends), C0 controls other than
newline and tab, DEL, C1 controls, and bidirectional overrides, isolates and
marks that can make text read differently from how it is stored; and the
invisible characters that hide text or break a line's width (Unicode tag
characters, interlinear annotation marks).

Every function here takes time linear in the length of its input, whatever
the input: no pattern can backtrack over the rest of the text from each of
many starting points, and a run of combining marks is cut to the length
Unicode's stream-safe format allows before the text is normalised.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from briefing.text.html_tags import BLOCK_TAGS, collapse_html_whitespace

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
# C0 (but \t and \n), DEL, C1, bidi embeddings/overrides/isolates and the
# bidi marks (LRM, RLM, ALM), interlinear annotation marks, tag characters
# (they spell hidden text), a byte-order mark, and a lone ESC that did not
# start a sequence.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_BLANK_LINES = re.compile(r"\n{3,}")

# The most one field may hold before any heavy work is done on it, counted
# in characters of what arrived (markup and entities included): the rest is
# cut off. A title, a name or an id is a line, and a few KB is many times
# the longest real one. The longest real articles are a few hundred KB of
# HTML; a million characters keeps them whole and bounds what cleaning and
# analysing one article may cost to seconds.
MAX_LINE_CHARS = 4096
MAX_TEXT_CHARS = 1_000_000
# A link longer than this is dropped rather than cut: a cut link leads elsewhere.
MAX_LINK_CHARS = 8192

# Unicode's stream-safe format allows 30 combining marks in a row; putting a
# longer run in canonical order (which normalising does) takes time growing
# with the square of its length, so the marks past that are dropped. No
# combining mark is a word character, whitespace or ASCII, so only runs of
# other characters this long need a look, one character at a time.
_MAX_MARKS = 30
_MAY_HOLD_MARKS = re.compile(rf"[^\w\s\x00-\x7f]{{{_MAX_MARKS + 1},}}")
# Letters that decompose to combining marks only.
_DECOMPOSE_TO_MARKS = frozenset("\u0f73\u0f75\u0f81")
# What joins the character before it into one glyph: a cut never falls just
# before one of these (nor just after a joiner or a lone high surrogate).
_ATTACHES = re.compile(
    "[\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef\udc00-\udfff]"
)


def limit_marks(text: str) -> str:
    """Keep at most 30 combining marks in a row, as Unicode's stream-safe format does."""
    if text.isascii() or not _MAY_HOLD_MARKS.search(text):
        return text
    return _MAY_HOLD_MARKS.sub(_limit_run, text)


def _limit_run(match: re.Match) -> str:
    kept = []
    marks = 0
    for ch in match.group():
        if unicodedata.combining(ch) or ch in _DECOMPOSE_TO_MARKS:
            marks += 1
            if marks > _MAX_MARKS:
                continue
        else:
            marks = 0
        kept.append(ch)
    return "".join(kept)


def clip(text: str | None, limit: int) -> str:
    """The text cut to at most `limit` characters, between two whole
    characters as a reader sees them (never between a letter and its accent,
    inside an emoji sequence or a surrogate pair), and at a space when there
    is one near the cut."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 0 and (
        unicodedata.combining(text[cut])
        or _ATTACHES.match(text[cut])
        or text[cut - 1] == "\u200d"
        or "\ud800" <= text[cut - 1] <= "\udbff"
    ):
        cut -= 1
    # A word cut in half reads as a different word.
    for space in range(cut, max(0, cut - 200), -1):
        if text[space - 1].isspace():
            return text[: space - 1]
    return text[:cut]


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
    text = unicodedata.normalize("NFC", limit_marks(strip_controls(text)))
    joined = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if "\n\n\n" in joined:
        joined = _BLANK_LINES.sub("\n\n", joined)
    return joined.strip()


def clean_line(text: str | None) -> str:
    """Clean text meant for one line (a title, a name): no newlines at all."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", limit_marks(strip_controls(text)))
    return " ".join(text.split())


# A tag's inside stops at the next '<': with '[^>]*' each of many unclosed
# '<a' would be followed to the end of the text.
_LOOKS_LIKE_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*+\b[^<>]*+|/[a-zA-Z][a-zA-Z0-9]*+\s*+)>")


def looks_like_html(text: str) -> bool:
    return "<" in text and bool(_LOOKS_LIKE_TAG.search(text))


def html_to_text(html: str | None) -> str:
    """Turn an HTML fragment or page into clean plain text with paragraphs."""
    if not html:
        return ""
    if not looks_like_html(html):
        # Plain text may still carry entities (&amp;) from a feed.
        import html as html_module  # not at the top: the dashboard's start-up never calls html_to_text

        return clean_text(html_module.unescape(html))
    fast = _simple_html_to_text(html)
    if fast is not None:
        return fast
    return _parsed_html_to_text(html)


def _parsed_html_to_text(html: str) -> str:
    # Imported here, not at the top: the dashboard's start-up cleans titles
    # but never reads HTML.
    from briefing.text.html_parser import html_text_parts

    return clean_text("".join(html_text_parts(html)))


# A start or end tag whose attribute values, if quoted, are closed. The
# alternatives in the attribute part start with different characters, and
# the name and the attributes take what they can and never give it back
# (possessive), so a tag that does not close costs one scan of it, not one
# for each way of dividing it between name and attributes.
# A quote opens a quoted value only right after '=' (as in _tag of
# html_parser.py); elsewhere it is a character ("alt=Don't"). An '=' before an
# unclosed quote matches nothing, and the full reader takes the fragment.
_SIMPLE_TAG = re.compile(
    r"""<(/?)([A-Za-z][^\t\n\r\f />\x00<"']*+)"""
    r"""((?:[^<>"'=]|=\s*+"[^"]*+"|=\s*+'[^']*+'|=(?!\s*+["'])|["'])*+)>"""
)
_NEEDS_PARSER = re.compile(r"<(?:script|style|noscript|template|iframe|object|embed|svg|head|title)\b", re.IGNORECASE)


def _simple_html_to_text(html: str) -> str | None:
    """The same text html_parser.html_text_parts gives, for the common fragment: tags
    with no comments, scripts or other raw-text elements around them, and no
    stray '<'. Returns None for anything else, which then goes to the full
    reader. Feed descriptions are mostly like this, and one pattern over
    them is several times faster than reading them a construct at a time
    in Python."""
    import html as html_module  # not at the top: the dashboard's start-up never calls html_to_text

    if _NEEDS_PARSER.search(html):
        return None
    parts: list[str] = []
    position = 0
    for tag in _SIMPLE_TAG.finditer(html):
        text = html[position : tag.start()]
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
    if not url or len(url) > MAX_LINK_CHARS:
        return None
    url = clean_line(url)
    # clean_line has made every run of whitespace one space.
    # A backslash is a '/' to browsers but not to urlsplit, so the host we
    # would name is not the one the browser visits.
    if not url or url.startswith("-") or " " in url or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
