"""Direct quotations and who said them.

A quotation is text in straight, curly or angle quotes of four words or
more: shorter ones are scare quotes ("terrorists", "joint strategy") and are
left alone. The speaker comes from the words around it, outside every
quotation (a name inside the quote is never its speaker):
  after:  '"...," Erdogan said' / '"...," said Erdogan' / '"...," he added' /
          '"...," according to Fidan'
  before: 'Erdogan said: "..."' / 'Fidan told reporters, "..."' /
          'according to Fidan: "..."' / 'Abdi said the group would "..."'
A pronoun (he/she) goes to the last person named before it, outside
quotations, in the same paragraph or the one before. Unattributed
quotations are dropped.

A spokesperson speaks for an organisation: '"...," said Tom Reed, a
spokesman for Acme Corp' and '"...," an Acme spokeswoman said' give the
quotation an `org` ("Acme Corp", "Acme"), and an unnamed spokesperson is
named after it ("Acme spokeswoman").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from briefing.analysis.names import TOKEN_RE
from briefing.analysis.words import PRONOUNS, ROLE_HEADS, ROLE_MODIFIERS, SPEECH_ADVERBS, SPEECH_VERBS

_QUOTED = re.compile(r"“([^“”]{1,3000})”|\"([^\"]{1,3000})\"|«([^«»]{1,3000})»")
_MIN_WORDS = 4
_WORD = re.compile(r"[^\W_](?:[\w’'-]|\.(?=\w))*|[^\w\s]")
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der", "abu"})
_SPOKES = r"spokes(?:man|woman|person)"
_ORG = r"[A-Z][\w&'’.-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'’.-]*){0,5}"
# "a spokesman for Acme Corp" / "Acme's spokeswoman" / "an Acme spokesperson"
_SPEAKS_FOR = re.compile(rf"\b({_SPOKES})\s+for\s+(?:the\s+)?({_ORG})|(?<![\w'’])({_ORG})(?:'s|’s)?\s+({_SPOKES})\b")
_DETERMINERS = frozenset({"a", "an", "the"})
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“]|\s*$)")


@dataclass(frozen=True)
class Person:
    pos: int  # character offset in the paragraph
    name: str
    actor: int | None


@dataclass(frozen=True)
class Found:
    pos: int  # where the quotation starts in the paragraph
    text: str
    speaker: str
    actor: int | None
    org: str | None = None  # the organisation a spokesperson speaks for, as written


Resolver = Callable[[str], tuple[str, "int | None"]]


def quote_spans(paragraph: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of the real quotations (not scare quotes)."""
    out = []
    for match in _QUOTED.finditer(paragraph):
        inner = next(g for g in match.groups() if g is not None)
        if len(TOKEN_RE.findall(inner)) >= _MIN_WORDS:
            out.append((match.start(), match.end(), inner))
    return out


def quotes_in_paragraph(
    paragraph: str,
    spans: list[tuple[int, int, str]],
    persons: list[Person],
    carry: Person | None,
    resolve: Resolver,
) -> list[Found]:
    """Attribute each quotation; `persons` are people named in the paragraph
    (outside quotations), `carry` the last one named in the paragraph before."""
    found = []
    # Sorted once, searched for each quotation: a scan of every person for
    # each would cost their product in a long paragraph.
    persons = sorted(persons, key=lambda p: p.pos)
    positions = [p.pos for p in persons]
    for index, (start, end, inner) in enumerate(spans):
        next_start = spans[index + 1][0] if index + 1 < len(spans) else len(paragraph)
        prev_end = spans[index - 1][1] if index else 0
        after = paragraph[end:next_start]
        before = paragraph[prev_end:start]
        who = _after(after)
        window = _clause_after(after)
        if who is None and not (_said(window) and speaks_for(window)[0]):
            who = _before(before)
            window = _clause_before(before) if who is not None else ""
        org, spokes = speaks_for(window)
        if org and (who is None or (who[0] == "name" and fold_name(_undetermined(who[1])) == fold_name(org))):
            # "an Acme spokeswoman said": the speaker is the spokesperson.
            found.append(Found(start, _inner(inner), f"{org} {spokes}", resolve(org)[1], org))
            continue
        if who is None:
            continue
        kind, name, offset = who
        if kind == "pronoun":
            anchor = end + offset if offset >= 0 else start
            person = _last_person(persons, positions, anchor, carry)
            if person is None:
                continue
            speaker, actor = person.name, person.actor
        else:
            speaker, actor = resolve(name)
            if not speaker:
                continue
        found.append(Found(start, _inner(inner), speaker, actor, org))
    return found


def speaks_for(text: str) -> tuple[str | None, str]:
    """The organisation a spokesperson in `text` speaks for, and the word
    for them ("spokesman"); (None, "") when there is none."""
    match = _SPEAKS_FOR.search(text)
    if match is None:
        return None, ""
    if match.group(1):
        org, spokes = match.group(2), match.group(1)
    else:
        org, spokes = match.group(3), match.group(4)
    org = _undetermined(org).rstrip(".")
    return (org or None), spokes.lower()


def _undetermined(name: str) -> str:
    """A name without its leading article: "An Acme" -> "Acme"."""
    parts = name.split()
    while parts and parts[0].lower() in _DETERMINERS:
        parts = parts[1:]
    return " ".join(parts)


def _inner(inner: str) -> str:
    return inner.strip().rstrip(",").strip()


def _said(text: str) -> bool:
    return any(word.lower() in SPEECH_VERBS for word, _ in _head(text, 40))


def fold_name(name: str) -> str:
    return " ".join(name.lower().split())


def _clause_after(text: str) -> str:
    """The attribution after a quotation: up to the end of its sentence, at most 300 characters."""
    text = text[:300]
    end = _SENTENCE_END.search(text)
    return text[: end.start()] if end else text


def _clause_before(text: str) -> str:
    """The attribution before a quotation: from the start of its sentence, at most 300 characters."""
    text = text[-300:]
    cut = 0
    for match in _SENTENCE_END.finditer(text):
        cut = match.end()
    return text[cut:]


def _last_person(persons: list[Person], positions: list[int], pos: int, carry: Person | None) -> Person | None:
    """The person named last before pos (the first listed of those named
    there); `persons` sorted by position, `positions` their positions."""
    index = bisect_left(positions, pos) - 1
    if index < 0:
        return carry
    while index > 0 and positions[index - 1] == positions[index]:
        index -= 1
    return persons[index]


def _after(text: str) -> tuple[str, str, int] | None:
    """Attribution right after a quotation: kind, name, offset of pronoun."""
    words = _head(text, 14)
    if not words:
        return None
    i = 0
    while i < len(words) and words[i][0] in (",", "—", "–", "-"):
        i += 1
    if i >= len(words):
        return None
    lower = words[i][0].lower()
    if lower in PRONOUNS and _verb_at(words, i + 1):
        return ("pronoun", "", words[i][1])
    if lower in SPEECH_VERBS:
        name = _name_span(words, i + 1)[0]
        return ("name", name, 0) if name else None
    if lower == "according" and i + 1 < len(words) and words[i + 1][0].lower() == "to":
        name = _name_span(words, i + 2)[0]
        return ("name", name, 0) if name else None
    if lower in _DETERMINERS:
        i += 1  # "a spokesman for Acme said", "an Acme spokeswoman said"
    name, j = _name_span(words, i)
    if name and _verb_at(words, j):
        return ("name", name, 0)
    return None


def _before(text: str) -> tuple[str, str, int] | None:
    """Attribution before a quotation, within its sentence."""
    if not text.strip() or re.search(r"[.!?]\s*$", text):
        return None  # the quotation opens its own sentence
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[-1]
    words = _tail(sentence, 60)
    for i in range(len(words) - 1):  # 'according to Fidan: "..."'
        if words[i][0].lower() == "according" and words[i + 1][0].lower() == "to":
            name = _name_span(words, i + 2)[0]
            if name:
                return ("name", name, 0)
    # The speech verb nearest the quotation, with its subject before it.
    for i in range(len(words) - 1, -1, -1):
        if words[i][0].lower() not in SPEECH_VERBS:
            continue
        j = i - 1
        if j >= 0 and _is_adverb(words[j][0]):
            j -= 1
        if j >= 0 and words[j][0].lower() in PRONOUNS:
            return ("pronoun", "", -1)
        name = _name_ending(words, j) or _name_span(words, i + 1)[0]  # 'said Erdogan: "..."'
        if name:
            return ("name", name, 0)
    return None


def _head(text: str, limit: int) -> list[tuple[str, int]]:
    out = []
    for match in _WORD.finditer(text):
        out.append((match.group(), match.start()))
        if len(out) >= limit:
            break
    return out


def _tail(text: str, limit: int) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _WORD.finditer(text)][-limit:]


def _is_adverb(word: str) -> bool:
    return word.lower() in SPEECH_ADVERBS or (word.endswith("ly") and word.islower() and len(word) > 4)


def _verb_at(words: list[tuple[str, int]], i: int) -> bool:
    if i < len(words) and _is_adverb(words[i][0]):
        i += 1
    return i < len(words) and words[i][0].lower() in SPEECH_VERBS


def _is_name_word(word: str) -> bool:
    """Part of a (titled) name: "Syria's interim president Ahmed al-Sharaa"."""
    lower = word.lower()
    return (
        word[:1].isupper()
        or lower in _NAME_PARTICLES
        or lower.startswith(("al-", "el-"))
        or lower in ROLE_HEADS
        or lower in ROLE_MODIFIERS
    )


def _clean(parts: list[str]) -> str:
    """Trim lowercase words (particles, titles) off both ends of a name."""

    def capital(word: str) -> bool:
        return word[:1].isupper() or word.lower().startswith(("al-", "el-"))

    while parts and not capital(parts[-1]):
        parts = parts[:-1]
    while parts and not capital(parts[0]):
        parts = parts[1:]
    return " ".join(parts)


def _name_span(words: list[tuple[str, int]], i: int) -> tuple[str, int]:
    """The capitalised name starting at words[i], and the index after it; a
    ', appositive,' right after the name is skipped ('Fidan, the minister, said')."""
    parts: list[str] = []
    j = i
    while j < len(words) and _is_name_word(words[j][0]) and len(parts) < 6:
        parts.append(words[j][0])
        j += 1
    name = _clean(parts)
    if not name:
        return "", i
    if j < len(words) and words[j][0] == ",":
        k = j + 1
        while k < len(words) and k - j <= 10 and words[k][0] not in (",", ".", ";", ":"):
            k += 1
        if k < len(words) and words[k][0] == ",":
            j = k + 1
    return name, j


def _name_ending(words: list[tuple[str, int]], j: int) -> str:
    """The capitalised name whose last word is words[j]; across an appositive
    ('Fidan, the foreign minister, said'), or the appositive itself when it is
    the name ('The SDF commander, Mazloum Abdi, said')."""
    if j >= 0 and words[j][0] == ",":
        k = j - 1
        while k >= 0 and j - k <= 10 and words[k][0] not in (",", ".", ";", ":"):
            k -= 1
        inner = [w for w, _ in words[k + 1 : j]]
        if inner and all(_is_name_word(w) for w in inner) and _clean(inner):
            return _clean(inner)
        if k >= 0 and words[k][0] == ",":
            j = k - 1
        else:
            return ""
    parts: list[str] = []
    while j >= 0 and _is_name_word(words[j][0]) and len(parts) < 6:
        parts.append(words[j][0])
        j -= 1
    parts.reverse()
    return _clean(parts)
