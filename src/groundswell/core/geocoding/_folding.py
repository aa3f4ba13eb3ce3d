"""Name folding: the matching key of a place name (see ``fold``).

NFKD, case-folded, Latin/Greek/Cyrillic/Hebrew/Arabic diacritics dropped (other scripts' marks, e.g.
Devanagari vowel signs or Japanese dakuten, are kept), ø/ł/đ/æ/œ/þ spelled out, apostrophes dropped
("N'Djamena" == "Ndjamena"), other punctuation and whitespace collapsed to one space, and the abbreviations
St/Ste/Mt/Ft expanded to saint/sainte/mount/fort, so "Saint-Denis", "St Denis" and "st. denis" are the same
key.  Both the data and the query go through it, so a fold rule can only add matches.
"""

from __future__ import annotations

import unicodedata

_LETTERS = dict(zip("øłđðħıŧ", "olddhit", strict=True)) | {"þ": "th", "æ": "ae", "œ": "oe"}
_DROPPED = frozenset("'’‘ʼʻʹ`´")
_STRIPPED_MARKS = (
    (0x0300, 0x036F),  # combining diacritical marks (what NFKD splits off Latin, Greek, Cyrillic letters)
    (0x0591, 0x05C7),  # Hebrew points
    (0x0610, 0x061A),  # Arabic marks
    (0x064B, 0x065F),  # Arabic harakat
    (0x0670, 0x0670),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


class FoldTable(dict):
    """``str.translate`` table filled on demand: one ``unicodedata`` call per distinct character."""

    def __missing__(self, cp: int) -> str | int | None:
        char = chr(cp)
        category = unicodedata.category(char)
        if char in _LETTERS:
            value: str | int | None = _LETTERS[char]
        elif char in _DROPPED or category == "Cf" or _is_stripped_mark(cp, category):
            value = None
        elif category[0] in "PSZC":
            value = " "
        else:
            value = cp
        self[cp] = value
        return value


def _is_stripped_mark(cp: int, category: str) -> bool:
    return category.startswith("M") and any(lo <= cp <= hi for lo, hi in _STRIPPED_MARKS)


_TABLE = FoldTable()


_ASCII_TABLE = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)


def fold(text: str) -> str:
    """The matching key of a place name: "São Paulo" -> "sao paulo", "St. Denis" -> "saint denis"."""
    if not isinstance(text, str):
        return ""
    return fold_with(text, _TABLE)


def fold_with(text: str, table: FoldTable) -> str:
    if text.isascii():
        words = text.encode().translate(_ASCII_TABLE, b"'`").decode().split()
    else:
        folded = unicodedata.normalize("NFKD", text).casefold().translate(table)
        if not folded.isascii():
            folded = unicodedata.normalize("NFC", folded)
        words = folded.split()
    if not _ABBREVIATIONS.keys().isdisjoint(words):
        words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(words)
