"""Normalisation shared by every matcher: folding, tokens, stems, name runs.

Everything that compares words (actor aliases, keywords, question terms)
goes through `fold` so that Erdoğan/Erdogan, Türkiye/Turkiye and
Sharaa's/Sharaa’s meet, whatever the case or accents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from briefing.analysis.words import MONTHS, ORG_WORDS, PARTICLES, ROLE_HEADS, SENTENCE_OPENERS, STOPWORDS, WEEKDAYS
from briefing.text.fold import TRANSLIT as _TRANSLIT
from briefing.text.sanitize import limit_marks

# A word, with inner apostrophes (don't, Sharaa's) but never hyphens, so
# "al-Sharaa" is two tokens and matches "al Sharaa".
TOKEN_RE = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


def fold(text: str) -> str:
    """Lowercase, transliterated, accents stripped; same length not promised."""
    if text.isascii():
        return text.lower()
    # Marks past 30 in a row would make NFKD's reordering quadratic; they
    # are dropped below anyway.
    text = unicodedata.normalize("NFKD", limit_marks(text.translate(_TRANSLIT)))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=65536)
def norm_word(word: str) -> str:
    """One token's comparable form: folded, possessive and apostrophes gone."""
    word = fold(word)
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    return word.replace("'", "")


def words(text: str) -> list[str]:
    """Normalised tokens of a text, in order."""
    return [norm_word(w) for w in TOKEN_RE.findall(text)]


Token = tuple[str, int, int, str]  # normalised, start, end, as written


def tokens(text: str) -> list[Token]:
    return [(norm_word(m.group()), m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed, final e.

    Both sides of every comparison are stemmed the same way, so it only has to
    be consistent (bases/based/base -> bas), not linguistically right.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def term_tokens(text: str) -> list[str]:
    """Stemmed tokens for matching keywords and question terms (stopwords kept
    so multi-word terms stay contiguous)."""
    return [stem(w) for w in words(text) if w]


def content_stems(tokens: list[str]) -> list[str]:
    """Stemmed content words from normalised tokens: the vocabulary for
    similarity (LexRank, near-duplicate sentences)."""
    return [stem(w) for w in tokens if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]


def name_key(name: str) -> tuple[str, ...]:
    """A name as comparable tokens, particles dropped: al-Sharaa == Sharaa."""
    return tuple(w for w in words(name) if w and w not in PARTICLES)


# --- capitalised runs: candidate names of people and organisations -------

_CONNECTORS = frozenset({"of", "al", "el", "bin", "ibn", "de", "van", "von", "der", "du", "da"})
# A run token: a capitalised word (hyphenated parts allowed), or a connector.
_RUN_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def name_runs(sentence: str, lowercase_seen: set[str] | frozenset = frozenset()) -> list[tuple[int, int, str]]:
    """Capitalised multi-word runs in a sentence: (start, end, text).

    The sentence's first word is dropped when it is a common opener or when
    the article uses it in lowercase elsewhere (`lowercase_seen`); months and
    weekdays break runs; possessives end them ("Syria's Defense Ministry").
    """
    runs: list[tuple[int, int, str]] = []
    current: list[tuple[int, int, str]] = []

    def flush() -> None:
        while current and current[-1][2].lower() in _CONNECTORS:
            current.pop()
        if current:
            runs.append((current[0][0], current[-1][1], sentence[current[0][0] : current[-1][1]]))
        current.clear()

    first = True
    for match in _RUN_TOKEN.finditer(sentence):
        word = match.group()
        if not first and not word[0].isupper() and word not in _CONNECTORS and "-" not in word:
            if current:
                flush()
            continue
        start, end = match.start(), match.end()
        gap = sentence[current[-1][1] : start] if current else ""
        if current and gap.strip() not in ("", "-"):
            flush()  # punctuation between words breaks a name
        possessive = False
        if word.endswith(("'s", "’s")):
            word, end, possessive = word[:-2], end - 2, True
        lower = fold(word)
        head = lower.split("-")[0].split("'")[0]
        is_opener = first and (lower in SENTENCE_OPENERS or lower in lowercase_seen)
        first = False
        if head in MONTHS or head in WEEKDAYS or is_opener:
            flush()
            continue
        if _name_like(word):
            current.append((start, end, word))
        elif lower in _CONNECTORS and current:
            current.append((start, end, word))
        else:
            flush()
            continue
        if possessive:
            flush()
    flush()
    return runs


def _name_like(word: str) -> bool:
    """Capitalised, and every hyphenated part too except leading particles:
    "Frank-Walter" and "al-Sharaa" are name-like, "Kurdish-led" is not."""
    parts = [p for p in re.split(r"[-'’]", word) if p]
    while len(parts) > 1 and parts[0].lower() in _CONNECTORS:
        parts = parts[1:]
    if not parts or not parts[0][:1].isupper():
        return False
    # Single letters after an apostrophe or hyphen are elisions, not words.
    return all(p[:1].isupper() for p in parts[1:] if len(p) > 1)


def strip_titles(name: str) -> str:
    """Drop whatever precedes the last job-title word, if a name is left
    after it: Turkish Foreign Minister Hakan Fidan -> Hakan Fidan."""
    parts = name.split()
    for index in range(len(parts) - 1, -1, -1):
        if fold(parts[index]) in ROLE_HEADS:
            rest = parts[index + 1 :]
            if rest:
                return " ".join(rest)
            break
    while parts and fold(parts[0]) in ("the", "a", "an"):
        parts = parts[1:]
    return " ".join(parts)


def looks_like_org(name: str) -> bool:
    tokens = [fold(t) for t in re.split(r"[\s-]+", name) if t]
    if any(t in ORG_WORDS for t in tokens):
        return True
    # An acronym alone (PKK, SDF) is an organisation far more often than a person.
    return len(tokens) == 1 and name.isupper() and len(name) > 1


# Nationality adjectives end runs like "Gulf Arab" (states) or "Syrian Kurdish"
# (groups) that are shaped like a person's name but are not one.
_DEMONYM_ENDINGS = ("ish", "ese")
_DEMONYMS = frozenset(
    """
arab israeli iraqi kuwaiti saudi emirati yemeni omani qatari pakistani afghan thai swiss
dutch french greek syrian iranian russian american european african asian
""".split()
)


def ends_in_demonym(name: str) -> bool:
    last = fold(name.split()[-1]) if name.split() else ""
    return last in _DEMONYMS or last.endswith(_DEMONYM_ENDINGS)


def looks_like_person(name: str) -> bool:
    """A name shaped like a person's: 2-4 words, no organisation words, not
    ending in a nationality adjective."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 4 or looks_like_org(name) or name.isupper():
        return False
    return not ends_in_demonym(name)
