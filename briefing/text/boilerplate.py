"""Remove page furniture from an article's clean text, keep the story.

Pages append things to the story that are not part of it: a legal or
copyright notice and, after it, headlines of unrelated stories; embedded
posts leave "pic.twitter.com/..." links and "— Name (@handle) Month D, YYYY"
lines; share, "Read more" and "Follow us" lines; and sometimes tags or
entities that survived HTML extraction. Everything else is kept, paragraph
breaks included. Idempotent: stripping twice changes nothing.
"""

from __future__ import annotations

import html
import re

from briefing.text.sanitize import strip_controls

# Comments are found by hand (_drop_tags): a pattern for them would look for
# the end of each of many unclosed '<!--' all the way to the end of the text.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*+(?:\s[^<>]*+)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Lines that begin a legal notice: the notice and all after it go.
_LEGAL_START = re.compile(
    r"^\W{0,3}(?:legal (?:warning|notice|disclaimer)\b|©|\(c\)\s*\d{4}|all rights (?:are )?reserved|"
    r"copyright\s*(?:©|\(c\))?\s*(?:\d{4}|:|by\b|of\b))",
    re.IGNORECASE,
)
# Phrases that only a rights notice uses, wherever they sit in a short line.
_LEGAL_ANYWHERE = re.compile(
    r"all rights (?:are )?reserved|rights of the published news|"
    r"may not be (?:re)?(?:published|produced|distributed|broadcast|rewritten)|"
    r"without (?:a |the )?(?:prior )?written (?:permission|consent|contract|agreement)",
    re.IGNORECASE,
)
# Headings after which a page lists other stories.
_TAIL_HEADING = re.compile(
    r"^\W{0,3}(?:related (?:news|articles?|stories|posts|coverage|content)|"
    r"(?:you )?may also (?:like|be interested in)|more (?:from|on) [\w ]{1,30}|"
    r"recommended(?: for you| stories)?|most (?:read|popular)|latest news|trending(?: now)?)"
    r"\W{0,3}$",
    re.IGNORECASE,
)
# Whole lines that are sharing or navigation prompts.
_CHROME_LINE = re.compile(
    r"^\W{0,3}(?:share(?: this| on| via|:)|read (?:more|also|next)\b|also read\b|see also\b|"
    r"follow us\b|follow (?:@|\w+ on )|click here\b|sign up\b|subscribe\b|"
    r"(?:tweet|email|print|whatsapp|facebook|twitter|telegram|linkedin)(?:\s*[|/,]\s*\w+)*\W*$|"
    r"advertisement\W*$|scroll to continue\b)",
    re.IGNORECASE,
)
_EMBED_LINK = re.compile(r"\s*(?:https?://)?pic\.twitter\.com/\S+|\s*https?://t\.co/\S+")
_EMBED_BYLINE = re.compile(
    r"^[—–-]{1,2}\s*[^\n()]{0,80}\(@\w{1,30}\)\s+(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\s*$"
)
_EMBED_SHARED = re.compile(r"^A post shared by .{0,80}\(@[\w.]{1,30}\)", re.IGNORECASE)
_LEADING_HASHTAG = re.compile(r"^#[A-Z]+:\s*")  # "#BREAKING: " of an embedded post
_CHROME_MAX = 120  # a real paragraph is longer than a share prompt
_HEADING_MAX = 60  # the longest line _TAIL_HEADING can match
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Words one of which every _LEGAL_ANYWHERE phrase contains, lower case.
_LEGAL_ANYWHERE_WORDS = ("reserved", "rights of the", "may not be", "written")


def strip_boilerplate(text: str) -> str:
    if not text:
        return ""
    text = _unhtml(text)
    # Most articles carry none of the rarer furniture: look once over the
    # whole text rather than once a line (this runs for every article a
    # refresh brings).
    lowered = text.lower()
    has_embed_link = "pic.twitter.com/" in lowered or "t.co/" in lowered
    may_be_legal_inside = any(word in lowered for word in _LEGAL_ANYWHERE_WORDS)
    kept_paragraphs: list[str] = []
    last_embedded: str | None = None  # the last kept line, if it held an embedded post's link
    for paragraph in _PARAGRAPH_BREAK.split(text):
        kept_lines: list[str] = []
        stop = False
        for line in paragraph.split("\n"):
            line = " ".join(line.split())  # spaces folded, ends trimmed
            if not line:
                continue
            if _is_legal(line, may_be_legal_inside) or (len(line) <= _HEADING_MAX and _TAIL_HEADING.match(line)):
                stop = True
                break
            embedded = False
            if has_embed_link:
                stripped = _EMBED_LINK.sub("", line).strip()
                embedded = stripped != line
                line = stripped
                if not line:
                    continue
            if _EMBED_BYLINE.match(line):
                # "— Outlet (@handle) February 4, 2025" closes an embedded
                # post; the line before it is the post itself, someone
                # else's words, when it carried the post's link.
                if kept_lines and kept_lines[-1] is last_embedded:
                    kept_lines.pop()
                elif (
                    not kept_lines
                    and kept_paragraphs
                    and last_embedded is not None
                    and kept_paragraphs[-1].endswith(last_embedded)
                ):
                    # The post was a paragraph of its own.
                    rest = kept_paragraphs.pop()[: -len(last_embedded)].rstrip("\n")
                    if rest:
                        kept_paragraphs.append(rest)
                last_embedded = None
                continue
            if _is_chrome(line):
                continue
            if line[0] == "#":
                line = _LEADING_HASHTAG.sub("", line)
            kept_lines.append(line)
            last_embedded = line if embedded else None
        if kept_lines:
            kept_paragraphs.append("\n".join(kept_lines))
        if stop:
            break
    return "\n\n".join(kept_paragraphs)


def _unhtml(text: str) -> str:
    """Tags that slipped through go; entities (even double-escaped) decode."""
    if "<" in text:
        text = _drop_tags(text)
    for _ in range(2):
        if "&" not in text or not _ENTITY.search(text):
            break
        # An entity may spell a control character ("&#27;"): sanitise again.
        text = strip_controls(html.unescape(text))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _drop_tags(text: str) -> str:
    """Tags and closed comments removed, in one pass over the text. A tag
    holds no '<', so none can reach into or across a comment."""
    pieces = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        if end < 0:
            break  # no later comment can close either
        pieces.append(_TAG.sub("", text[position:start]))
        position = end + 3
    pieces.append(_TAG.sub("", text[position:]))
    return "".join(pieces)


def _is_legal(line: str, may_be_legal_inside: bool = True) -> bool:
    if _LEGAL_START.match(line):
        return True
    if not may_be_legal_inside:
        return False
    # Inside a line, one such phrase may be reporting (a story about rights);
    # a notice stacks them, or is a short line saying "all rights reserved".
    found = {m.group().lower() for m in _LEGAL_ANYWHERE.finditer(line)}
    if len(found) >= 2:
        return True
    return len(line) < 200 and any(f.startswith("all rights") for f in found)


def _is_chrome(line: str) -> bool:
    if _EMBED_BYLINE.match(line) or _EMBED_SHARED.match(line):
        return True
    return len(line) <= _CHROME_MAX and bool(_CHROME_LINE.match(line))
