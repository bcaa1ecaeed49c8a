"""Folding a post's text for the heat lexicon: accents, look-alikes, leet, spacing, repeats."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.lookalikes import fold_map


def _load_fold_table() -> dict[int, str]:
    """Accents and look-alike letters to ASCII letters (the name rule's generated table);
    digits and everything else stay as they are, so emoji survive for the banter markers."""
    mapping = fold_map()
    table: dict[int, str] = {}
    for key, value in mapping.items():
        if len(key) == 1 and value.isascii() and value.isalpha():
            table[ord(key)] = value.lower()
    for ch in "\u2019\u2018\u00b4`":
        table[ord(ch)] = "'"
    return table


FOLD_TABLE: Final = _load_fold_table()
_LEET_TABLE: Final = str.maketrans("013457@$!", "oieastasi")
# Leet digits next to letters (h4h4, k4nk3r, 1diot); @ $ ! only between letters (k@nker).
_LEET: Final = re.compile(
    r"(?<=[a-z])[013457@$!]+(?=[a-z])|(?<![a-z0-9])[013457]+(?=[a-z])|(?<=[a-z])[013457]+(?![a-z0-9])"
)
# Three or more single letters with separators between them: "k a n k e r", "k.u.t".
_SPACED: Final = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*/|+]+[a-z013457](?![a-z0-9])){2,}")
_SPACED_SEPS: Final = re.compile(r"[^a-z]+")
_REPEATS: Final = re.compile(r"([a-z])\1+")
_LEET_ANY: Final = re.compile(r"[013457@$!]")
# An apostrophe inside a word is dropped: "you're", "that's", "zo'n" read as "youre", "thats".
_APOSTROPHE: Final = re.compile(r"(?<=[a-z])'(?=[a-z])")


def _leet(m: re.Match[str]) -> str:
    return m.group().translate(_LEET_TABLE)


_WORD_GAP: Final = re.compile(r"\s{2,}")


def _unspace(m: re.Match[str]) -> str:
    """Join spaced letters; two or more spaces are the gap between words ("j e  b e n t")."""
    parts = _WORD_GAP.split(m.group().translate(_LEET_TABLE))
    return " ".join(_SPACED_SEPS.sub("", part) for part in parts)


def _first(m: re.Match[str]) -> str:
    return m.group(1)


def fold(text: str) -> str:
    """The folded text the lexicon is matched against (also used for the lexicon itself)."""
    folded = text.lower()
    if not folded.isascii():
        folded = folded.translate(FOLD_TABLE)
    if _LEET_ANY.search(folded):
        folded = _LEET.sub(_leet, folded)
    folded = _SPACED.sub(_unspace, folded)
    if "'" in folded:
        folded = _APOSTROPHE.sub("", folded)
    return _REPEATS.sub(_first, folded)
