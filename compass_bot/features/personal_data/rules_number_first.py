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
    STREET_TYPES_PUBLIC,
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


def street_after_number(text: str, end: int, capitalised: bool = False) -> tuple[int, bool]:
    """The end of a street that starts after the house number ending at ``end`` (-1: none),
    and whether it is capitalised names and an English street type ("4 Elm Grove", which no
    time or count is; not a square or place where people meet, "at 7 Station Square"); ``capitalised``: its first word must be ("now, 16 Dorpsstraat")."""
    if unit_follows(text, end):
        return -1, False
    pos = end
    all_capitals = True
    for names in range(_MAX_NAMES + 1):
        m = _NEXT_WORD.match(text, pos)
        if m is None:
            return -1, False
        word = m.group(1)
        if capitalised and not names and not word[:1].isupper():
            return -1, False
        comma = word.endswith(",")
        bare = word.rstrip(",").rstrip(".")
        low = bare.lower()
        if low in STREET_TYPES_ENGLISH and low not in STREET_TYPE_WORDS:
            if not names:
                return -1, False  # "on 2 square metres": a type needs a name before it
            english = (
                all_capitals
                and bare[:1].isupper()
                and low not in STREET_TYPES_PUBLIC
                and not (low == "st" and _SAINT.match(text, m.end()))  # "St. Jans": a saint
            )
            return m.start(1) + len(word.rstrip(",")), english
        if is_street_word(low) and (names == 0 or bare[:1].isupper()):
            return m.start(1) + len(word.rstrip(",")), False
        if comma or not _name(word, names):
            return -1, False
        all_capitals = all_capitals and name_word(word) == "cap"
        pos = m.end()
    return -1, False


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


def says_home(text: str) -> bool:
    """Does a word of `text` say a home is meant (``home_words``: lives, adres, place, stuur
    ...)? The one test for a number before a street that may be a time, a count or a title."""
    return any(word in HOME_WORDS for word in _WORDS.findall(text.lower()))


def _home_before(text: str, s: int) -> bool:
    """``says_home`` for the few words before s: a bare number up to 24 after "at" is a time
    without one."""
    return says_home(text[max(0, s - _HOME_WINDOW) : s])


_TIME_CUE: Final = re.compile(r"(?:^|[^\w])(?:at|om|on|@)[ \u00a0]*\Z", re.IGNORECASE)


def _time_cue(text: str, s: int) -> bool:
    """Is the word right before the number at s one a time follows ("at", "om", "on")? A
    number up to 24 there is a time even before names and a street type ("Lunch at 12 Food
    Court", "we play at 4 Basketball Court") unless a home word says otherwise."""
    return _TIME_CUE.search(text, max(0, s - 4), s) is not None


def number_first_at(text: str, s: int, end: int, capitalised: bool = False) -> Finding | None:
    """The address whose house number is text[s:end] when a street follows it, or None.
    The caller has seen a cue word before s (``is_cue``), or a comma (``capitalised``).
    Not four digits ("6951 SW Wilhelminasingel": a postcode); the caller turns down a street
    with a house number of its own after it (``rules_address``)."""
    four = end - s >= 4 and text[s : s + 4].isdigit()
    if four and (_TWO_CAPITALS.match(text, s + 4) or text[s : s + 2] in ("19", "20")):
        return None  # "6951 SW Wilhelminasingel": a postcode; "2024": a year
    street_end, english = street_after_number(text, end, capitalised)
    if street_end < 0 or (four and not english):  # "2341 Oak Street": an American number
        return None
    if (
        (not english or _time_cue(text, s))
        and text[s:end].isdigit()
        and int(text[s:end]) <= _HOURS
        and not _home_before(text, s)
    ):
        return None  # "meet at 4 Leidseplein", "lunch at 12 Food Court": a time or a count
    return Finding("address", s, street_end)


_SAINT: Final = re.compile(r"[ \u00a0][A-Z]")
_TWO_CAPITALS: Final = re.compile(r"[ \u00a0-]?[A-Z]{2}(?![^\W\d_])")
# "nr 15 van de Wilhelminastraat", "number 8 on Poplar Street": after the house number and a
# word that joins it to its street
_NR_JOIN: Final = re.compile(
    r",?[ \u00a0](?:van|in|op|aan|on|at|of)(?:[ \u00a0](?:de|het|den|der|'t|the))?(?=[ \u00a0])",
    re.IGNORECASE,
)
_NR_WORDS: Final = frozenset({"nr", "nummer", "no", "number", "huisnummer", "hnr"})


def is_nr_word(word: str) -> bool:
    """Is ``word`` (the word before a number, marks stripped) one that names a house number?"""
    return word.lower() in _NR_WORDS


def street_after_nr(text: str, end: int) -> int:
    """The end of a capitalised street named after the house number ending at ``end`` and a
    joining word ("nr 15 van de Wilhelminastraat"), or -1. The number word before it says the
    number is a house number: no time or count reading. Only a Dutch street: "nr 1 of the
    Abbey Road album" is a track."""
    m = _NR_JOIN.match(text, end)
    if m is None:
        return -1
    street_end, english = street_after_number(text, m.end(), capitalised=True)
    return -1 if english else street_end  # "track nr 1 of the Abbey Road album": a title
