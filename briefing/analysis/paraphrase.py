"""Whether two sentences from different articles tell the same report.

Near-verbatim copies share most of their content words (Jaccard of
content stems at NEAR_COPY or more). Paraphrases -- three outlets' own
words for "the port authority said on Monday that talks were continuing"
-- share fewer, but the few they share are most of the shorter one: the
overlap coefficient (shared / the smaller set) is high while the Jaccard
is middling. A sentence that says the opposite shares as many words (the
negation is a stopword), so a pair where only one side is negated ("not",
"no", "never", "n't") is never merged. Bags of words cannot tell everything: "talks collapsed" and "talks
continued" with the same subject and day would still be merged when the
rest of both sentences is alike; the thresholds keep that to sentences
that share nearly all they say.
"""

from __future__ import annotations

import re

NEAR_COPY = 0.6  # Jaccard: the same sentence, lightly edited
OVERLAP = 0.6  # shared / smaller set: one sentence's content is mostly in the other
MIN_SHARED = 4  # content stems shared at least: short lines meet too easily
MIN_JACCARD = 0.3
_NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|without)\b|n[’']t\b", re.IGNORECASE)


def negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def same_report(a: set[str], b: set[str], a_negated: bool = False, b_negated: bool = False) -> bool:
    """`a` and `b` are the sentences' content stems; the flags say whether
    each is negated (`negated(text)`)."""
    if not a or not b:
        return False
    if a_negated != b_negated:
        return False
    shared = len(a & b)
    jaccard = shared / len(a | b)
    if jaccard >= NEAR_COPY:
        return True
    return shared >= MIN_SHARED and jaccard >= MIN_JACCARD and shared / min(len(a), len(b)) >= OVERLAP
