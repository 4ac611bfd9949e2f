"""Find the story's actors in a sentence, by name, alias or bare surname.

Names are compared as folded tokens with particles dropped, so
"Ahmed al-Sharaa", "Al-Sharaa", "al Sharaa", "Sharaa's" and "Sharaa’s" all
meet, as do Erdoğan/Erdogan. Türkiye/Turkey only meet through the story's
aliases: no country list is built in. A person's surname alone counts when no
other actor claims it and it is written capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.analysis.names import Token, name_key
from briefing.analysis.names import tokens as tokenize
from briefing.analysis.words import PARTICLES, ROLE_HEADS, ROLE_MODIFIERS, STOPWORDS
from briefing.config import Actor

# Prefixes that belong to an Arabic surname ("Abu Qasra" is the surname).
_SURNAME_PREFIXES = frozenset({"abu", "abd", "abdul", "abdel", "bou", "ould"})


@dataclass(frozen=True)
class Mention:
    actor: int  # index into story.actors
    start: int  # character span in the sentence
    end: int
    surname_only: bool


class ActorMatcher:
    def __init__(self, actors: tuple[Actor, ...]) -> None:
        self.actors = actors
        patterns: dict[tuple[str, ...], int] = {}
        for index, actor in enumerate(actors):
            for name in (actor.name, *actor.aliases):
                key = name_key(name)
                if key and key not in patterns:
                    patterns[key] = index
        self.patterns = patterns
        surnames = self._surnames(patterns)
        self.own_tokens = [set(name_key(a.name)).union(*(name_key(x) for x in a.aliases)) for a in actors]
        # first token -> [(pattern, actor, surname_only)], longest first
        self.index: dict[str, list[tuple[tuple[str, ...], int, bool]]] = {}
        for key, position in patterns.items():
            self.index.setdefault(key[0], []).append((key, position, False))
        for key, position in surnames.items():
            self.index.setdefault(key[0], []).append((key, position, True))
        for entries in self.index.values():
            entries.sort(key=lambda e: (-len(e[0]), e[2]))

    def _surnames(self, patterns: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], int]:
        claims: dict[tuple[str, ...], set[int]] = {}
        for index, actor in enumerate(self.actors):
            if actor.kind != "person":
                continue
            key = name_key(actor.name)
            if len(key) < 2:
                continue
            options = [key[-1:]]
            if len(key) >= 3 and key[-2] in _SURNAME_PREFIXES:
                options.append(key[-2:])
            for option in options:
                if option[0] in STOPWORDS:
                    continue
                claims.setdefault(option, set()).add(index)
        out = {}
        for option, owners in claims.items():
            owner = next(iter(owners))
            # Ambiguous between actors, or another actor's own alias: skip.
            if len(owners) == 1 and patterns.get(option, owner) == owner:
                out[option] = owner
        return out

    def find(self, sentence: str, toks: list[Token] | None = None) -> list[Mention]:
        """Mentions in `sentence`; pass its `names.tokens()` if already made."""
        tokens = toks if toks is not None else tokenize(sentence)
        core = [i for i, t in enumerate(tokens) if t[0] not in PARTICLES]
        found: list[Mention] = []
        j = 0
        while j < len(core):
            entries = self.index.get(tokens[core[j]][0])
            matched = False
            for pattern, actor, surname_only in entries or ():
                size = len(pattern)
                if j + size > len(core):
                    continue
                if any(tokens[core[j + k]][0] != pattern[k] for k in range(1, size)):
                    continue
                first = core[j]
                if surname_only and not self._surname_ok(tokens, first, actor):
                    continue
                start = tokens[first][1]
                if first > 0 and tokens[first - 1][0] in PARTICLES and tokens[first - 1][2] >= start - 1:
                    start = tokens[first - 1][1]  # "al-" belongs to the mention
                end = tokens[core[j + size - 1]][2]
                if sentence[end - 2 : end] in ("'s", "’s"):
                    end -= 2
                found.append(Mention(actor, start, end, surname_only))
                j += size
                matched = True
                break
            if not matched:
                j += 1
        return found

    def _surname_ok(self, tokens: list, first: int, actor: int) -> bool:
        text = tokens[first][3]
        if not text[:1].isupper():
            return False
        # "Ali Fidan" is someone else than actor "Hakan Fidan"; "President
        # Fidan", "Syria's Fidan" and "Recep Erdogan" are fine.
        prev = first - 1
        while prev >= 0 and tokens[prev][0] in PARTICLES:
            prev -= 1
        if prev < 0:
            return True
        word, _, prev_end, prev_text = tokens[prev]
        adjacent = tokens[first][1] - prev_end <= 1
        if (
            not adjacent
            or not prev_text[:1].isupper()
            or prev_text.endswith(("'s", "’s"))
            or word in ROLE_HEADS
            or word in ROLE_MODIFIERS
            or word in self.own_tokens[actor]
        ):
            return True
        return prev == 0 and word in STOPWORDS
