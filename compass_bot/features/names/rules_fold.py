"""Folding a name to lower-case ASCII: look-alikes, styles, leet sequences, turned letters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import decancer_py

from compass_bot.lookalikes import flip_map, fold_map

# '#' stands for "a letter or digit of some other word"; a '#' in the name is a separator.
# '\x01' marks the 2nd.. characters of a multi-character letter (|\/| for m, () for o).
OTHER: Final = "#"
CONT: Final = "\x01"
# A symbol or emoji that is no look-alike: a separator, but one that may stand in for a letter
# in a near miss (C♡mpass) where a space or an underscore may not.
_SYMBOL: Final = "%"

# The letters of the school's name, and every character some pattern reads: the letters of
# Compass and its near misses (k, z, rn), those of the default allowed words, and the digits
# read as letters. A look-alike reading (below) never replaces a reading as one of these.
_NAME_LETTERS: Final = frozenset("compas")
_NAME_LEET: Final = frozenset("045")  # what decancer reads some fancy letters as (丂 as 5)
_READ_CHARS: Final = frozenset("compaskrnzdeigltuvy013457")


@lru_cache(maxsize=8192)
def fancy_letter(ch: str) -> str | None:
    """The letter of Compass that a letter or digit of any script is a look-alike of, if any.

    Why: "fancy text" generators pick letters of other scripts for their shape (Armenian ֆ for
    s, Greek Λ for A, CJK 卂 for a); Unicode's confusables list many, decancer (a kept library
    made for Discord names) also knows the fancy alphabets. Symbols are left out: they stay
    separators that a near miss may read as one letter.
    """
    if unicodedata.category(ch)[0] not in "LN":
        return None
    cured = str(decancer_py.parse(ch)).lower()
    return cured if cured in _NAME_LETTERS or cured in _NAME_LEET else None


def _load_table() -> dict[int, str]:
    table: dict[int, str] = {ord(key): value for key, value in fold_map().items()}
    for code in range(128):
        ch = chr(code)
        if "A" <= ch <= "Z":
            table[code] = ch.lower()
        elif code < 32 or code == 127:
            table[code] = " "
        elif ch == OTHER:
            table[code] = _SYMBOL
    # Compatibility forms of the ASCII symbols students use as letters (fullwidth ＠ ＄ ｜,
    # small ﹩): read as those symbols, as their letters already are (ｃ -> c).
    for start, end in _COMPATIBILITY_BLOCKS:
        for code in range(start, end):
            if code not in table:
                plain = unicodedata.normalize("NFKC", chr(code))
                if len(plain) == 1 and plain.isascii() and plain.isprintable():
                    table[code] = plain.lower()
    # The holes of the mathematical alphabets (Fraktur C, script B): their letters live among
    # the letterlike symbols (ℭ, ℬ), but fancy-text generators that count from the
    # alphabet's start emit the unassigned code point, which fonts may still draw.
    for code in range(_MATH_LETTERS, _MATH_LETTERS + 13 * 52):
        if code not in table and unicodedata.category(chr(code)) == "Cn":
            table[code] = _ALPHABET[(code - _MATH_LETTERS) % 52].lower()
    # A character the confusables read as a letter this rule never reads (Armenian ք as f) is
    # read as the letter of Compass it also stands for in fancy text (ք as p).
    for code, value in table.items():
        if code >= 128 and len(value) == 1 and value not in _READ_CHARS:
            letter = fancy_letter(chr(code))
            if letter is not None:
                table[code] = letter
    return table


_MATH_LETTERS: Final = 0x1D400  # 13 alphabets of A-Z and a-z, bold to monospace
_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Small form variants and the fullwidth ASCII block: their NFKC form is one ASCII character.
_COMPATIBILITY_BLOCKS: Final = ((0xFE50, 0xFE70), (0xFF01, 0xFF5F))
FOLD_TABLE: Final = _load_table()
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
INVISIBLE_EXTRA: Final = frozenset(chr(c) for c, v in FOLD_TABLE.items() if c >= 128 and v == "")


@lru_cache(maxsize=8192)
def _leftover(ch: str) -> str:
    """A non-ASCII character the table does not know: drop, other-word letter, or separator."""
    category = unicodedata.category(ch)
    if category in ("Cf", "Mn", "Me") or "\U0001f3fb" <= ch <= "\U0001f3ff":  # skin tones
        return ""
    if category[0] in "LN":
        return fancy_letter(ch) or OTHER
    if category == "Mc":
        return OTHER
    if category[0] in "ZP" or category == "Cc":
        return " "
    return _SYMBOL


def _leftover_match(m: re.Match[str]) -> str:
    return _leftover(m.group())


# Multi-character letters of the usual leetspeak alphabets for the letters of the school's
# name, replaced by the letter plus continuation marks (same length, so positions in the
# folded text stay valid). Longest first: /\/\ is an m before /\ is an a.
_LETTER_SEQUENCES: Final[dict[str, str]] = {
    "|\\/|": "m",
    "/\\/\\": "m",
    "|v|": "m",
    "/v\\": "m",
    "/-\\": "a",
    "/\\": "a",
    "|>": "p",
    "|*": "p",
    '|"': "p",
    "()": "o",
    "[]": "o",
}
_SEQUENCES: Final = re.compile(
    "|".join(re.escape(seq) for seq in sorted(_LETTER_SEQUENCES, key=len, reverse=True))
)


def _sequence(m: re.Match[str]) -> str:
    text = m.group()
    return _LETTER_SEQUENCES[text] + CONT * (len(text) - 1)


def _needs_sequences(folded: str) -> bool:
    return "|" in folded or "/" in folded or "()" in folded or "[]" in folded


def fold(name: str, table: dict[int, str] = FOLD_TABLE) -> str:
    """The folded form of `name` that the patterns are matched against (for tests and tools).

    `table`: the normal reading, or one of the turned / mirrored readings (`READINGS`).
    """
    folded = name.translate(table)
    if not folded.isascii():
        folded = _NON_ASCII.sub(_leftover_match, folded)
    if _needs_sequences(folded):
        folded = _SEQUENCES.sub(_sequence, folded)
    return folded


def _fold_char(ch: str, table: dict[int, str] = FOLD_TABLE) -> str:
    out = table.get(ord(ch))
    if out is None:
        return ch if ch.isascii() else _leftover(ch)
    return out


def fold_tracked(name: str, table: dict[int, str] = FOLD_TABLE) -> tuple[str, Sequence[int]]:
    """`fold(name)` plus, for every folded character, the index of the name's character."""
    if name.isascii() and table is FOLD_TABLE:  # every ASCII character folds to one character
        return fold(name), range(len(name))
    parts: list[str] = []
    owners: list[int] = []
    for index, ch in enumerate(name):
        out = _fold_char(ch, table)
        if out:
            parts.append(out)
            owners.extend([index] * len(out))
    folded = "".join(parts)
    if _needs_sequences(folded):
        folded = _SEQUENCES.sub(_sequence, folded)
    return folded, owners


# Turned and mirrored letters: ``ssɐdɯoɔ`` (upside-down text: every letter turned and the order
# reversed), ``ↃOMꟼASS`` (mirrored letters), ``ssɒqmoↄ`` (mirrored text). A character in
# `flip_map` reads as the letter it is a turned or mirrored form of; in a turned reading the
# ASCII letters that are each other turned also swap (d/p, b/q, n/u, m/w; of the capitals only
# M/W), in a mirrored reading those that are each other's mirror image (b/d, p/q; no capitals).
# These readings are only tried on names with a turned or mirrored character in them.
_FLIP: Final[dict[int, str]] = {ord(key): value for key, value in flip_map().items()}
_FLIP_CHARS: Final = frozenset(flip_map())
_NO_SWAP: Final[dict[int, int]] = {}


def _flipped_table(
    lower: dict[int, int], upper: dict[int, int], *, lookalikes_first: bool = False
) -> dict[int, str]:
    """The folding table of one reading: `lower`/`upper` swap the letters a flip turns into
    each other, for lower-case and capital letters (a turned N is an N, a turned n a u).

    `lookalikes_first`: a turned letter that is no letter of Compass but a look-alike of one
    reads as that letter (Λ, a turned V, as an A in ᄃӨMPΛƧƧ, where the mirrored Ƨ asks for
    these readings); upside-down text (ǝ for e) needs the turned reading instead.
    """
    table = {
        code: value.translate(upper if chr(code).isupper() else lower)
        for code, value in FOLD_TABLE.items()
    }
    for code in range(ord("a"), ord("z") + 1):
        table[code] = chr(code).translate(lower)
        table[code - 32] = chr(code).translate(upper)
    for code, value in _FLIP.items():
        plain = FOLD_TABLE.get(code) or fancy_letter(chr(code))
        if lookalikes_first and value not in _NAME_LETTERS and plain in _NAME_LETTERS:
            table[code] = plain
        else:
            table[code] = value
    return table


_LETTERS_TABLE: Final = _flipped_table(_NO_SWAP, _NO_SWAP)
_TURNED_TABLE: Final = _flipped_table(
    str.maketrans("dpbqnumw", "pdqbunwm"), str.maketrans("mw", "wm")
)
_MIRRORED_TABLE: Final = _flipped_table(str.maketrans("bdpq", "dbqp"), _NO_SWAP)
_LOOKALIKES_TABLE: Final = _flipped_table(_NO_SWAP, _NO_SWAP, lookalikes_first=True)
# (table, read backwards): turned/mirrored characters among normal letters (compɐss), the same
# backwards (ssɐpmoɔ), upside-down text forwards and backwards, mirrored text both ways, and
# turned letters among normal ones with the look-alikes first (ᄃӨMPΛƧƧ), both ways
READINGS: Final[tuple[tuple[dict[int, str], bool], ...]] = (
    (_LETTERS_TABLE, False),
    (_LETTERS_TABLE, True),
    (_TURNED_TABLE, True),
    (_TURNED_TABLE, False),
    (_MIRRORED_TABLE, True),
    (_MIRRORED_TABLE, False),
    (_LOOKALIKES_TABLE, False),
    (_LOOKALIKES_TABLE, True),
)


def has_flipped(name: str) -> bool:
    return not name.isascii() and not _FLIP_CHARS.isdisjoint(name)


# The compass emoji stands in for a letter of the school's name (c🧭mpass, 🧭ompass): one reading
# per letter it may replace; the emoji elsewhere ("🧭 Lars") spells nothing.
COMPASS_EMOJI: Final = "\U0001f9ed"
EMOJI_READINGS: Final[tuple[dict[int, str], ...]] = tuple(
    {**FOLD_TABLE, ord(COMPASS_EMOJI): letter} for letter in "compas"
)
