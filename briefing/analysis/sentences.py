"""Paragraphs and sentences of cleaned article text.

A newline always ends a sentence (feeds put headings and embedded posts on
their own lines). Inside a line a sentence ends at . ! ? or an ellipsis,
plus any closing quotes, when whitespace and an uppercase letter, digit or
opening quote follow -- except after titles (Mr., Gen.), initials (T.),
month abbreviations (Feb. 4), and when a quotation is followed by its
attribution ('"Why now?" Fidan asked.').
"""

from __future__ import annotations

import re

from briefing.analysis.words import SENTENCE_OPENERS, SPEECH_VERBS

# A run of stops is matched from its first character only (the lookbehind),
# and each part keeps what it took: started again from every character of a
# long run, the search would cost the square of the run's length.
_BOUNDARY = re.compile(r"((?<![.!?])(?:\.{2,}+|[.!?]++)|…)([\"'”’»)\]]*+)(\s++)")
_FIRST_WORD = re.compile(r"[\"'“‘«(\[]*([^\W_]+)")

# Never the end of a sentence: a title or a unit that needs what follows.
_ALWAYS_ABBREV = frozenset(
    """
mr mrs ms dr prof gen col lt sgt capt maj rep sen gov rev st jr sr adm cmdr brig pres
hon mt ft vs cf approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec
""".split()
)
# Can end a sentence too: split only when a typical opener follows.
_MAYBE_ABBREV = frozenset("inc ltd co corp etc".split())
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, U.N, a.m
_ATTRIBUTION = re.compile(r"(?:[A-Z][\w’'.-]*\s+){1,4}(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")


def paragraphs(text: str) -> list[str]:
    """Non-empty lines: each newline-separated block is treated as a paragraph."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        if match.end() == len(paragraph):
            break
        if _is_boundary(paragraph, match):
            end = match.end(2)
            if paragraph[start:end].strip():
                spans.append((start, end))
            start = match.end()
    if paragraph[start:].strip():
        spans.append((start, len(paragraph.rstrip())))
    return spans


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    # The rest of the paragraph is read in place: a copy of it for each
    # boundary would cost the square of the paragraph's length.
    rest = match.end()
    first = _FIRST_WORD.match(paragraph, rest)
    if not first:
        return False
    next_word = first.group(1)
    if not (next_word[0].isupper() or next_word[0].isdigit()):
        return False  # '"...," he said' / 'Feb. 4' style continuations
    punct, closing = match.group(1), match.group(2)
    if closing and punct != "." and _ATTRIBUTION.match(paragraph, rest):
        # '"Why now?" Fidan asked.' -- a '."' before a name starts a new sentence.
        return False
    if punct != ".":
        return True
    # Only a short window: searching from the paragraph start is quadratic.
    before = paragraph[max(0, match.start(1) - 40) : match.start(1)].split()
    if not before:
        return True
    word = before[-1].lstrip("\"'“‘«([")
    lower = word.lower()
    if lower in _ALWAYS_ABBREV:
        return False
    if lower == "no" and next_word[0].isdigit():
        return False  # "No. 3"
    if len(word) == 1 and word.isupper():
        return False  # an initial: "Recep T. Erdogan"
    if lower in _MAYBE_ABBREV or _DOTTED.match(word):
        return next_word.lower() in SENTENCE_OPENERS
    return True


def split_sentences(text: str) -> list[str]:
    """All sentences of a text, paragraph by paragraph."""
    out: list[str] = []
    for para in paragraphs(text):
        out.extend(para[a:b].strip() for a, b in sentence_spans(para))
    return out
