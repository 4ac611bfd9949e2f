"""Folding for comparison: lower case, accents dropped, and the letters
readers write the plain way (ø as o, ß as ss, dotless ı as i) transliterated.

Every matcher folds with this one table: the analysis's names and actors
(analysis/names.py), and the search index and its queries (store/search*.py),
so a search finds what the actor matcher would: "Ostkai" finds "Østkai".
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode's decomposition leaves alone (dotless ı, ø, ß, ł) or
# that readers transliterate by convention; the rest is general accent stripping.
TRANSLIT = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ğ": "g",
        "Ğ": "G",
        "ş": "s",
        "Ş": "S",
        "ü": "u",
        "Ü": "U",
        "ö": "o",
        "Ö": "O",
        "ç": "c",
        "Ç": "C",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        # Halfwidth sound marks, which NFKD makes combining marks: as marks
        # they are counted by sanitize.limit_marks, and dropped here.
        "\uff9e": "\u3099",
        "\uff9f": "\u309a",
    }
)

# Each character seen folded once; bounded, since hostile text can bring
# many distinct characters (the rest are folded each time).
_FOLDED: dict[int, str] = {}
_MAX_CACHED = 1 << 16


def fold_char(ch: str) -> str:
    """One character folded: possibly none (a combining mark) or several (ß)."""
    decomposed = unicodedata.normalize("NFKD", ch.translate(TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """The text folded a character at a time, in one translate pass (linear,
    and at C speed: a long article costs a few milliseconds)."""
    if text.isascii():
        return text.lower()
    table = _table_for(text)
    return text.translate(table).lower()


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the position in
    `text` it came from (folding can drop or add characters): what puts a
    match found in folded text back on the original."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    table = _table_for(text)
    pieces: list[str] = []
    origins: list[int] = []
    for index, ch in enumerate(text):
        folded = table.get(ord(ch), ch).lower()
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return "".join(pieces), origins


def _table_for(text: str) -> dict[int, str]:
    """The folds of the text's non-ASCII characters. A table of the call's
    own: the shared cache may be cleared by another thread meanwhile, and
    the search index needs the same text always folded the same way."""
    table: dict[int, str] = {}
    for ch in set(text):
        code = ord(ch)
        if code > 127:
            folded = _FOLDED.get(code)
            if folded is None:
                folded = fold_char(ch)
                if len(_FOLDED) < _MAX_CACHED:
                    _FOLDED[code] = folded
            table[code] = folded
    return table
