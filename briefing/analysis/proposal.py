"""What a name the text keeps mentioning would be as a story actor: its
kind and role proposed from the text, for the user to edit before saving.

A proposal, not a fact: the words of the name and the role the text gives
it decide, and the user sees both before anything is written.
"""

from __future__ import annotations

from briefing.analysis.names import fold
from briefing.analysis.words import ORG_WORDS, ROLE_HEADS
from briefing.model import ActorView

# Names of these words are states, not organisations.
_STATE_WORDS = frozenset("republic kingdom emirates state states federation principality".split())
# Armed or political groups the story file calls "group".
_GROUP_WORDS = frozenset("forces force front brigade brigades militia movement rebels army guard union".split())


def propose_actor(view: ActorView) -> tuple[str, str | None]:
    """(kind, role) for an unlisted name: one of config.ACTOR_KINDS, and the
    role the text gives it, if any."""
    words = [fold(word.strip(".,'’")) for word in view.name.split()]
    role = view.role
    if any(word in _STATE_WORDS for word in words):
        return "state", role
    if any(word in _GROUP_WORDS for word in words):
        return "group", role
    if any(word in ORG_WORDS for word in words):
        return "organization", role
    if role and any(fold(word.strip(".,")) in ROLE_HEADS for word in role.split()):
        return "person", role
    # Two or three capitalised words with no organisation word: most often a person.
    return ("person" if 2 <= len(words) <= 4 else "organization"), role
