"""Closed word lists the analysis leans on (English news prose).

Nothing here names any story's people or places: everything story-specific
comes from the Story passed in.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    """
a about above after again against all almost also although am among an and another any
are around as at be became because been before being below between both but by can
could did do does doing done down during each either else ever every few for from
further had has have having he her here hers herself him himself his how however i if
in into is it its itself just least less like made make many may me might more most
much must my myself neither no nor not now of off on once only or other others our ours
ourselves out over own per quite rather said same say says she should since so some
still such than that the their theirs them themselves then there these they this those
though through thus to too under until up upon us very was we were what when where
whether which while who whom whose why will with within without would yet you your
yours yourself also s t
""".split()
)

# Words that open sentences and so arrive capitalised without being names.
SENTENCE_OPENERS = frozenset(
    """
according after although amid as at before but despite during earlier following for
from however if in last later meanwhile moreover neither next no nor now officials on
once one only other over see several should since so some sources speaking still such
that the their then there these they this those though thus to under unlike until upon
when where whether which while with without yet asked both many most two three we it
his her its our your my i he she you an a and or
""".split()
)

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

# Nouns that head a job title ("defense minister", "Foreign Minister").
ROLE_HEADS = frozenset(
    """
president minister premier chancellor leader commander chief head director spokesman
spokeswoman spokesperson secretary ambassador envoy general governor mayor chairman
chairwoman chair king queen prince emir sheikh official adviser advisor ceo founder
senator lawmaker judge negotiator coordinator officer colonel admiral marshal lieutenant
captain councillor councilor manager engineer deputy representative mp
""".split()
)

# Lowercase words allowed inside a title before a name ("new defense minister").
ROLE_MODIFIERS = frozenset(
    """
new former interim transitional acting deputy foreign defense defence senior top chief
then outgoing incoming military security intelligence vice prime de facto state
interior finance health justice economy trade energy communications press regional
local national town city county district water
""".split()
)

# Words that make a capitalised run an organisation or place, not a person.
ORG_WORDS = frozenset(
    """
forces force party ministry council army agency municipality center centre office news
times front group union organization organisation committee bank company university
court parliament assembly government administration department authority board
commission institute association federation league police guard brigade movement
network channel post press tv radio agency corporation corp inc ltd school college
hospital airport river dam valley mountains sea gulf city town county district region
province state states republic kingdom emirates nations alliance coalition
""".split()
)

SPEECH_VERBS = frozenset(
    """
said says stated states added adds told tells noted notes explained stressed
emphasized emphasised insisted warned declared announced wrote asked replied argued
continued affirmed remarked confirmed claimed tweeted posted urged recalled admitted
conceded acknowledged vowed pledged
""".split()
)

SPEECH_ADVERBS = frozenset(
    """
also later earlier then once previously recently separately further again
""".split()
)

PRONOUNS = frozenset({"he", "she"})
FIRST_SECOND_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours", "you", "your", "yours"})

# Name particles, dropped when matching so al-Sharaa, al Sharaa and Sharaa meet.
PARTICLES = frozenset(
    {"al", "el", "ul", "bin", "ibn", "bint", "von", "van", "der", "den", "de", "da", "di", "du", "del"}
)
