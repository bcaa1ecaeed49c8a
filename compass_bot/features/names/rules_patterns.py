"""The regexes over a folded name: Compass itself, its near misses, and the allowed words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from compass_bot.features.names.rules_fold import CONT, OTHER, fold

_SEP: Final = r"[^a-z0-9#$@]"
"""A separator: anything that is no letter, digit, other-word letter or letter-like symbol."""
WORD_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz#")
_MAX_GAP: Final = 12  # separators between two letters
_MAX_REPEAT: Final = 40  # extra copies of one letter

# ( < [ { stand for a c only right before an o (a few separators allowed) and not right before
# a real c: "(ompass" and "< o m p a s s", but not the bracket of "[Compass]".
_C_LEET: Final = rf"[(<\[{{](?!{_SEP}{{0,3}}+[ck])(?={_SEP}{{0,3}}+[o0])"

# Letter classes: the letter and its leetspeak stand-ins.
_CLASS: Final[dict[str, str]] = {
    "c": rf"(?:c|{_C_LEET})",
    "o": "[o0]",
    "m": "(?:m|rn)",
    "p": "p",
    "a": "[a4@]",
    "s": "[s5$]",
    "e": "[e3]",
    "i": "[i1]",
    "l": "[l1]",
    "t": "[t7]",
}
# the single characters each class of _CLASS can start with
_CLASS_FIRST: Final[dict[str, str]] = {
    "c": "c(<[{",
    "o": "o0",
    "m": "mr",
    "a": "a4@",
    "s": "s5$",
    "e": "e3",
    "i": "i1",
    "l": "l1",
    "t": "t7",
}
# each digit or sign of those classes as the letter it stands for, to read a word written in
# leetspeak ("h4v0", "l33rl1ng"); the first class wins (1 is an i)
LEET_LETTERS: Final = str.maketrans(
    {
        ch: letter
        for letter, chars in reversed(_CLASS_FIRST.items())
        for ch in chars
        if not ch.isalpha()
    }
)
LETTER_CHARS: Final[dict[str, str]] = {
    "c": "c(<[{",
    "k": "k",
    "o": "o0",
    "m": "mrn",
    "p": "p",
    "a": "a4@",
    "s": "s5$",
}


def _strict_pattern() -> str:
    # Bounded gaps and repeats keep the search linear on hostile 10,000-character input; a
    # Discord name has at most 32 characters.
    gap = rf"{_SEP}{{0,{_MAX_GAP}}}+"

    def repeat(cls: str) -> str:
        return rf"{cls}(?:{gap}{cls}){{0,{_MAX_REPEAT}}}+"

    return (
        rf"(?<![ck])(?P<c>(?:[ck]|{_C_LEET})[ck]*+)"
        rf"{gap}(?P<o>{repeat('[o0]')})"
        rf"{gap}(?P<m>{repeat('(?:m|rn)')})"
        rf"{gap}(?P<p>{repeat('p')})"
        rf"{gap}(?P<a>{repeat('[a4@]')})"
        rf"{gap}(?P<s>[s5$]{gap}[s5$][s5$]*+)"
    )


# Near misses: written in one piece, each letter may repeat; K counts as C, z as s.
_LOOSE_CLASS: Final[dict[str, str]] = {
    "c": r"(?:[ck]|[(<\[{](?![ck]))",
    "o": "[o0]",
    "m": "(?:m|rn)",
    "p": "p",
    "a": "[a4@]",
    "s": "[s5$z]",
}
_LOOSE_CHARS: Final[dict[str, str]] = {
    "c": "ck(<[{",
    "o": "o0",
    "m": "mr",
    "p": "p",
    "a": "a4@",
    "s": "s5$z",
}
# characters that never stand in for a letter in a near miss: word separators
_NOT_A_LETTER: Final = " \t_.,'\"|/\\-" + CONT


def _seq(units: list[str], *, k_for_c: bool = False) -> str:
    """Units are letters of _LOOSE_CLASS or '?x y' for one other character (not in x, y).

    `k_for_c`: a K may stand for the C.
    """
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.startswith("?"):
            excluded = "".join(_LOOSE_CHARS[k] for k in unit[1:].split()) + _NOT_A_LETTER
            out.append("[^" + re.escape(excluded) + "]")
            i += 1
            continue
        count = 1
        while i + count < len(units) and units[i + count] == unit:
            count += 1
        cls = _LOOSE_CLASS[unit]
        if unit == "c" and not k_for_c:
            cls = _LOOSE_CLASS["c"].replace("[ck]", "c")
        out.append(f"(?:{cls}){{{count},}}+")
        i += count
    return f"(?<![{re.escape(_LOOSE_CHARS[units[0]])}])" + "".join(out)


def _loose_pattern() -> str:
    word = ["c", "o", "m", "p", "a", "s", "s"]
    compas = _seq(word[:-1], k_for_c=True)
    # A dropped vowel (Cmpass, Compss) is flagged, the rest of the near misses are not: with the
    # C, the consonants c-m-p-s-s all there and a vowel left out, the name is Compass written
    # the way short messages are, and no Dutch or English word reads so. A dropped consonant
    # or s may make a word of its own (Compas: the Dutch kompas with a C, Spanish compás; comass,
    # copass) and a K makes the Dutch/German spelling: a moderator decides those, unless the
    # near miss with a C is all the name says (`rules_match._whole_name`). Two
    # neighbouring letters swapped where a word starts (Copmass, Cmopass) make no word of any
    # language: flagged too (`rules_match`).
    # Only a real C starts it (a bracket is no C here) and only real s end it (no z).
    plain = {**_LOOSE_CLASS, "c": "c", "s": "[s5$]"}
    dropped = "|".join(
        r"(?<![ck(<\[{])" + "".join(f"(?:{plain[unit]})++" for unit in units[:-2]) + "[s5$]{2,}+"
        for units in (word[:1] + word[2:], word[:4] + word[5:])
    )
    missing: list[str] = []
    other: list[str] = []
    swapped: list[str] = []
    for i in range(len(word) - 2):
        missing.append(_seq(word[:i] + word[i + 1 :], k_for_c=True))
    for i in range(1, 6):
        any_char = f"?{word[i - 1]} {word[i + 1]}"
        other.append(_seq([*word[:i], any_char, *word[i + 1 :]]))
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            swapped.append(_seq([*word[:i], word[i + 1], word[i], *word[i + 2 :]]))
    # every variant starts with a c (or k, or leet c) or an o: the lookahead lets the search
    # skip other positions at once
    return (
        r"(?=[ck(<\[{o0])"
        f"(?:(?P<dropped>{dropped})"
        f"|(?P<compas>{compas})"
        f"|(?P<missing>{'|'.join(missing)})"
        f"|(?P<other>{'|'.join(other)})"
        f"|(?P<swapped>{'|'.join(swapped)}))"
    )


STRICT: Final = re.compile(_strict_pattern())
LOOSE: Final = re.compile(_loose_pattern())
# A cheap necessary condition for LOOSE: every near miss has p next to an a or s (or m), or
# m, a, s close together (comass, com?ass). Most names fail it and skip the big pattern.
LOOSE_PRE: Final = re.compile(r"p(?:[a4@s5$zm]|rn|.[s5$z])|[a4@]p|(?:m|rn).?[a4@][s5$z]")
SEP_RE: Final = re.compile(_SEP)
# "c.o.m.p.a.s", "Kom-Pas College": the near miss with one s (compas, kompas) with signs, not
# spaces, between its letters ("ik kom pas" are words): LOOSE reads only letters written together
_GAP_SIGN = r"[^a-z0-9\s]{0,2}"
SPLIT_NEAR: Final = re.compile(
    rf"(?<![a-z0-9])[ck]{_GAP_SIGN}o{_GAP_SIGN}m{_GAP_SIGN}p{_GAP_SIGN}a{_GAP_SIGN}s(?![a-z0-9])"
)
# A cheap necessary condition for Compass written backwards (ssapmoc): a p and, later, an m.
BACKWARDS_PRE: Final = re.compile(r"p.*(?:m|rn)", re.DOTALL)


_PREFIXED: Final = re.compile(r"[a-z]+c[o0]mpas")


def allowed_pattern(words: Iterable[str]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One alternation matching any allowed word (longest first), and its group -> word map.

    Each word matches written in one piece or with separators between all of its letters, with
    the same leetspeak and repeated letters as Compass itself.
    """
    folded_words: dict[str, str] = {}
    for word in words:
        key = fold(word).strip()
        if key and key not in folded_words:
            folded_words[key] = word
    if not folded_words:
        return None, {}
    gap = f"{_SEP}{{0,{_MAX_GAP}}}+"
    branches: list[str] = []
    groups: dict[str, str] = {}
    first = ""
    for index, key in enumerate(sorted(folded_words, key=lambda k: (-len(k), k))):
        units: list[tuple[str, int]] = []  # (class, or "" for a separator; count)
        for ch in key:
            is_letter = ch.isdigit() or (ch in WORD_CHARS and ch != OTHER)
            cls = _CLASS.get(ch, ch) if is_letter else ""
            if units and units[-1][0] == cls:
                units[-1] = (cls, units[-1][1] + 1)
            else:
                units.append((cls, 1))
        whole = "".join(
            gap if not cls else f"(?:{cls}){{{count},{count + _MAX_REPEAT}}}+"
            for cls, count in units
        )
        spaced = f"{_SEP}{{1,{_MAX_GAP}}}+".join(
            f"(?:{cls})(?:{_SEP}{{0,{_MAX_GAP}}}+(?:{cls}))"
            f"{{{count - 1},{count - 1 + _MAX_REPEAT}}}+"
            for cls, count in units
            if cls
        )
        # letters before the school's name in the word (encompass): only where a word starts,
        # as glued after other letters the name may stand on its own ("ikbencompass")
        start = "(?<![a-z0-9])" if _PREFIXED.match(key) else ""
        branches.append(f"{start}(?P<w{index}>{whole}|{spaced})")
        groups[f"w{index}"] = folded_words[key]
        first += _CLASS_FIRST.get(key[0], key[0]) if key[0].isalnum() else ""
    if not first:
        return re.compile("|".join(branches)), groups
    # a lookahead on the possible first characters makes the search skip other positions fast
    starts = "".join(sorted(set(first)))
    return re.compile(f"(?=[{re.escape(starts)}])(?:{'|'.join(branches)})"), groups
