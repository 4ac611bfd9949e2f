"""Counts in words, one way everywhere: "1 article", "2 articles". The
dashboard, the command line and the Markdown export all say counts through
`count`, so they cannot disagree."""

from __future__ import annotations


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'1 article', '0 articles'; `plural` when adding s is wrong."""
    return f"{number} {noun_for(number, noun, plural)}"


def noun_for(number: int, noun: str, plural: str | None = None) -> str:
    """The noun as it goes after the number: 'article' for 1, else 'articles'."""
    return noun if number == 1 else plural or noun + "s"
