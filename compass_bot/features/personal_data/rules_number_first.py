"""A house number before its street, as English writes it: "she lives at 12 Kerkstraat",
"moved to 14 Maple Avenue", "address: 221B Baker Street".

Only right after a word that says a place follows (``number_first_cues``: at, on, to, naar,
address, ...) or after a comma before a capitalised street, since a number before a word is
mostly a count ("3 dagen", "2 Oak trees"); a bare number up to 24 there is a time ("meet at 4
Leidseplein") unless a word before it says a home follows (``home_words``). The street after it
ends in a Dutch street suffix (names, particles and abbreviations may stand before it), or is
one to three names and an English street type (``street_types_english``).
"""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_kinds import (
    HOME_WORDS,
    HOUSE_NUMBER_UNITS,
    NUMBER_FIRST_CUES,
    STREET_TYPE_WORDS,
    STREET_TYPES_ENGLISH,
    Finding,
)
from compass_bot.features.personal_data.rules_lookalikes import unit_follows
from compass_bot.features.personal_data.rules_street import is_street_word, name_word

_NEXT_WORD: Final = re.compile(r"[ \u00a0]([^\W\d_][\w'.-]*,?)")
_MAX_NAMES: Final = 3


def is_cue(word: str) -> bool:
    """Is ``word`` (the word right before a number, marks stripped) one that says a place
    follows?"""
    return word.lower() in NUMBER_FIRST_CUES


def street_after_number(text: str, end: int, capitalised: bool = False) -> int:
    """The end of a street that starts after the house number ending at ``end``, or -1;
    ``capitalised``: its first word must be ("now, 16 Dorpsstraat": no cue word before)."""
    if unit_follows(text, end):
        return -1
    pos = end
    for names in range(_MAX_NAMES + 1):
        m = _NEXT_WORD.match(text, pos)
        if m is None:
            return -1
        word = m.group(1)
        if capitalised and not names and not word[:1].isupper():
            return -1
        comma = word.endswith(",")
        bare = word.rstrip(",").rstrip(".")
        low = bare.lower()
        if low in STREET_TYPES_ENGLISH and low not in STREET_TYPE_WORDS:
            if not names:
                return -1  # "on 2 square metres": a type needs a name before it
            return m.start(1) + len(word.rstrip(","))
        if is_street_word(low) and (names == 0 or bare[:1].isupper()):
            return m.start(1) + len(word.rstrip(","))
        if comma or not _name(word, names):
            return -1
        pos = m.end()
    return -1


def _name(word: str, names: int) -> bool:
    """A word of a street's name after its number: capitalised, a particle or an
    abbreviation; or (the first only) a plain lower-case word of four letters or more that
    is no unit ("at 14 maple avenue"; not "the hard way")."""
    if name_word(word):
        return True
    return (
        not names
        and len(word) >= 4
        and word.isalpha()
        and word.islower()
        and word not in HOUSE_NUMBER_UNITS
    )


def after_comma(text: str, s: int) -> bool:
    """Is the number at s right after a comma and a space ("at our place now, 16 ...")? A
    list's next item: a street with a capital may follow its number there without a cue."""
    return s >= 2 and text[s - 2] == "," and text[s - 1] == " "


_HOURS: Final = 24
_HOME_WINDOW: Final = 40  # characters before the number: "she lives at 12 ...", "our place now, 16"
_WORDS: Final = re.compile(r"[^\W\d_]+")


def _home_before(text: str, s: int) -> bool:
    """Does a word that says a home follows (``home_words``: lives, adres, place, stuur ...)
    stand a few words before s? A bare number up to 24 after "at" is a time without one."""
    before = text[max(0, s - _HOME_WINDOW) : s].lower()
    return any(word in HOME_WORDS for word in _WORDS.findall(before))


def number_first_at(text: str, s: int, end: int, capitalised: bool = False) -> Finding | None:
    """The address whose house number is text[s:end] when a street follows it, or None.
    The caller has seen a cue word before s (``is_cue``), or a comma (``capitalised``).
    Not four digits ("6951 SW Wilhelminasingel": a postcode); the caller turns down a street
    with a house number of its own after it (``rules_address``)."""
    if end - s >= 4 and text[s : s + 4].isdigit():
        return None
    if text[s:end].isdigit() and int(text[s:end]) <= _HOURS and not _home_before(text, s):
        return None  # "meet at 4 Leidseplein", "now, 3 Havo": a time or a count
    street_end = street_after_number(text, end, capitalised)
    if street_end < 0:
        return None
    return Finding("address", s, street_end)
