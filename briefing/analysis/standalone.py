"""Whether a sentence stands on its own, or leans on the one before it.

"She appointed a new negotiator", "The third is pay", "Also, the union
..." mean nothing out of their article: the reader of a summary line or
of evidence has no "she", no list, nothing to add to. Only the opening
words are read, so the test costs a few characters, not the sentence.
"""

from __future__ import annotations

import re

# A pronoun or demonstrative that points back, as the sentence's first word.
_POINTS_BACK = frozenset(
    """
he she they it this these those that his her their its them him such both
""".split()
)
# "This week ...", "That morning ...": a demonstrative before a time word stands alone.
_TIME_WORDS = frozenset(
    """
week weekend month year morning afternoon evening night day spring summer autumn fall
winter time season quarter monday tuesday wednesday thursday friday saturday sunday
""".split()
)
_ORDINALS = r"first|second|third|fourth|fifth|sixth|last|final|next|latter|former|remaining"
# "The first is ...", "The third open question is ...", "The other ...", "Another ...",
# "Also, ...", "Others ...": a member of a list the sentence before began.
_LIST_MEMBER = re.compile(
    rf"(?:the\s+(?:{_ORDINALS})(?:\s+[\w'’-]+){{0,3}}?\s+(?:is|was|are|were|one|being)\b"
    r"|the\s+others?\b|another\b|others\b|also\b|in\s+addition\b|besides\b"
    # "Under the proposal, ...": a plan, deal or proposal the sentence before named.
    r"|under\s+(?:the|that|this|such\s+an?)\s+(?:proposal|plan|deal|agreement|arrangement|pact|scheme|terms)\b)",
    re.IGNORECASE,
)
_OPENING = re.compile(r"[\"'“‘«(\[\s]*([^\W\d_]+(?:['’][^\W\d_]+)?)(?:\s+([^\W\d_]+))?")


def leans_on_previous(sentence: str) -> bool:
    """Whether the sentence opens with a word that needs the one before it."""
    head = sentence[:120].lstrip(" \"'“‘«([")
    match = _OPENING.match(head)
    if match is None:
        return False
    first, second = match.group(1).lower(), (match.group(2) or "").lower()
    if first in _POINTS_BACK:
        return not (first in ("this", "that", "these", "those") and second in _TIME_WORDS)
    return _LIST_MEMBER.match(head) is not None
