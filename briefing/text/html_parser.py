"""The full HTML-to-text reader behind sanitize.html_to_text, for the
fragments its quick path declines (comments, scripts and styles, stray
'<', tags that never close).

It reads the text in one pass, front to back, and never goes back: each
construct either ends where it says it ends or runs to the end of the text,
as in a browser's tokenizer, so the time it takes is linear in the length of
what it is given, however the markup is broken. (html.parser, which it
replaces, looks for the end of each unclosed tag to the end of the text and
then starts again just after it: many unclosed '<a' took minutes.)

Block elements become paragraph breaks; scripts, styles and embedded
objects vanish; links keep their words, never their targets. Nothing is ever
rendered or executed.
"""

from __future__ import annotations

import html as html_module
import re

from briefing.text.html_tags import BLOCK_TAGS, SKIP_TAGS, collapse_html_whitespace

# A tag's name, as the quick path reads it: up to whitespace, '/', '>', or
# a character that cannot be in a name.
_NAME = re.compile(r"[^\t\n\r\f />\x00<\"']*")
# What can end a tag or open a quoted attribute value.
_TAG_STOP = re.compile(r"[>\"']")
# Elements whose content is raw text, never markup, up to their end tag.
_RAW_TEXT = frozenset({"script", "style"})
_RAW_END = {name: re.compile(rf"</{name}(?=[\t\n\r\f />])", re.IGNORECASE) for name in _RAW_TEXT}


def html_text_parts(html: str) -> list[str]:
    """The pieces of text, and the paragraph breaks, that `html` holds."""
    parts: list[str] = []
    skipping = 0
    position = 0
    length = len(html)

    def text(piece: str) -> None:
        if piece and not skipping:
            parts.append(collapse_html_whitespace(html_module.unescape(piece)))

    while position < length:
        opening = html.find("<", position)
        if opening < 0:
            text(html[position:])
            break
        text(html[position:opening])
        following = html[opening + 1 : opening + 2]
        if following.isascii() and following.isalpha():
            end, name, self_closing = _tag(html, opening + 1)
            if end < 0:
                break  # a tag cut off by the end of the text is dropped
            position = end
            if name in SKIP_TAGS and not self_closing:
                skipping += 1
            elif name in BLOCK_TAGS:
                parts.append("\n\n" if name != "br" else "\n")
            if name in _RAW_TEXT and not self_closing:
                closing = _RAW_END[name].search(html, position)
                if not closing:
                    break  # a script that never ends takes the rest with it
                position = closing.start()
        elif following == "/":
            after = html[opening + 2 : opening + 3]
            if after.isascii() and after.isalpha():
                end, name, _ = _tag(html, opening + 2)
                if end < 0:
                    break
                position = end
                if name in SKIP_TAGS:
                    skipping = max(0, skipping - 1)
                elif name in BLOCK_TAGS:
                    parts.append("\n\n")
            elif after == ">":
                position = opening + 3  # '</>' is nothing
            else:
                position = _bogus_comment(html, opening + 2)
        elif html.startswith("<!--", opening):
            end = html.find("-->", opening + 4)
            position = end + 3 if end >= 0 else length  # an open comment runs to the end
        elif following in ("!", "?"):
            position = _bogus_comment(html, opening + 2)
        else:
            text("<")  # a '<' that starts nothing is a character like any other
            position = opening + 1
    return parts


def _tag(html: str, start: int) -> tuple[int, str, bool]:
    """A start or end tag whose name begins at `start`: (the index just past
    its '>', its name in lower case, whether it ends with '/>'); the index is
    -1 when the text ends before the tag does. A quoted attribute value may
    hold '>'; the tag ends at the first '>' outside one."""
    found = _NAME.match(html, start)
    name_end = found.end() if found else start  # never None: the pattern matches the empty string too
    name = html[start:name_end].lower()
    position = name_end
    while True:
        stop = _TAG_STOP.search(html, position)
        if not stop:
            return -1, name, False
        at = stop.start()
        if html[at] == ">":
            return at + 1, name, at > name_end and html[at - 1] == "/"
        if not _opens_value(html, at, name_end):
            position = at + 1  # a quote inside a name or an unquoted value ("alt=Don't") is a character
            continue
        closing = html.find(html[at], at + 1)
        if closing < 0:
            return -1, name, False
        position = closing + 1


def _opens_value(html: str, quote: int, floor: int) -> bool:
    """Whether the quote at `quote` starts a quoted attribute value: only
    right after '=' (spaces between), as browsers read it."""
    before = quote - 1
    while before >= floor and html[before] in " \t\n\r\f":
        before -= 1
    return before >= floor and html[before] == "="


def _bogus_comment(html: str, start: int) -> int:
    """'<!...>', '<?...>', '</ ...>': nothing up to the next '>', or to the end."""
    end = html.find(">", start)
    return end + 1 if end >= 0 else len(html)
