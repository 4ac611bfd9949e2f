"""How central an actor (or a name the story does not list) is to the story.

Raw mentions reward whoever the articles keep recalling in background:
a former official named three times in every article's last paragraph
outnumbers the principal who is in the headlines and speaks. Prominence
weighs what an editor would: named in titles, named in the lead, quoted,
carried by many outlets, in many of the relevant articles, and recently.
Each part is a share between 0 and 1, so no single count can run away;
the weights say which matter most.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
QUOTED_WEIGHT = 1.5
OUTLETS_WEIGHT = 1.0
ARTICLES_WEIGHT = 1.0
RECENT_WEIGHT = 0.5
HALF_LIFE = 86400.0 * 7  # seconds: recency halves every week before the newest article


@dataclass(frozen=True)
class Presence:
    """One actor's presence in the relevant articles."""

    titled: int  # articles naming it in their title
    led: int  # articles naming it in their lead
    quotes: int  # quotations by it, or by someone speaking for it
    outlets: int  # outlets whose articles name it
    articles: int  # relevant articles naming it
    last: float | None  # when the newest of them was published (timestamp)


def prominence(presence: Presence, relevant: int, outlets: int, newest: float | None) -> float:
    """A score from 0 to 9: the parts' shares, weighted. `relevant` and
    `outlets` are the story's relevant articles and their outlets, `newest`
    the newest relevant article's timestamp."""
    if presence.articles <= 0 or relevant <= 0:
        return 0.0
    quoted = 1.0 - 0.5**presence.quotes  # one quotation counts most; more add less
    recent = 0.0
    if presence.last is not None and newest is not None:
        recent = 0.5 ** (max(newest - presence.last, 0.0) / HALF_LIFE)
    score = (
        TITLE_WEIGHT * min(presence.titled / relevant, 1.0)
        + LEAD_WEIGHT * min(presence.led / relevant, 1.0)
        + QUOTED_WEIGHT * quoted
        + OUTLETS_WEIGHT * min(presence.outlets / max(outlets, 1), 1.0)
        + ARTICLES_WEIGHT * min(presence.articles / relevant, 1.0)
        + RECENT_WEIGHT * recent
    )
    return round(score, 4)
