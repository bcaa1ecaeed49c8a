"""Look-alike guards: times, dates, units, years and math that only look like data."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_kinds import (
    COORDINATE_CONTEXT_WORDS,
    COORDINATE_MATH_WORDS,
    HOUSE_NUMBER_UNITS,
    POSTCODE_NOT_LETTERS,
)

_DATE: Final = re.compile(
    r"(?:(?:[0-3]?\d)([-/.])(?:[01]?\d)\1(?:\d{4}|\d{2})|\d{4}-[01]\d-[0-3]\d)(?![-/.]?\d)"
)
_TIME: Final = re.compile(r"[0-2]?\d[:.][0-5]\d(?![.:]?\d)")
_MATH_CHARS: Final = "=≈~^×*÷√π"
_WORD: Final = re.compile(r"[^\W\d_]+")
_COORD_NUMBER: Final = re.compile(r"-?\d+(?=[.,]\d)")
# lower-case letters no unit starts with: after one space, the word is no unit
_NO_UNIT_STARTS: Final = frozenset(
    ch for ch in "abcdefghijklmnopqrstuvwxyz" if not any(u[:1] == ch for u in HOUSE_NUMBER_UNITS)
)
_POSTCODE_WORD_BEFORE: Final = re.compile(r"\b(?:postcode|pc|zip)\b\W{0,3}$", re.IGNORECASE)


def date_or_time_end(text: str, s: int, length: int, after: str) -> int:
    """The end of a date or time starting with the digit run text[s:s+length], or 0.

    A date starts with 1-2 digits and - / . or with a year and -; a time with 1-2 digits
    and : or . (``after`` is the character after the run).
    """
    e = s + length
    # a day-month date repeats its separator after 1-2 digits: no regex without it
    if (length <= 2 and after != ":" and after in text[e + 2 : e + 4]) or (
        length == 4 and after == "-"
    ):
        m = _DATE.match(text, s)
        if m:
            return m.end()
    if length <= 2 and after in (".", ":"):
        m = _TIME.match(text, s)
        if m:
            return m.end()
    return 0


def unit_follows(text: str, end: int) -> bool:
    """A unit or a decimal after a number: '12 km', '12:30', '12,5' are no house numbers."""
    rest = text[end : end + 12]
    first = rest[:1]
    if first == " " and rest[1:2] in _NO_UNIT_STARTS:  # " of", " in": no unit, at once
        return False
    if first in ("%", "€", "'", "°") and rest:
        return True
    if rest[:1] in (":", ".", ",") and rest[1:2].isdigit():
        return True
    words = rest.lower().split(maxsplit=1)
    return bool(words) and words[0].rstrip(".,!?)") in HOUSE_NUMBER_UNITS


def year_and_word(text: str, s: int) -> bool:
    """'in 2024 EN 8 jaar later': a year followed by a short word, not a postcode.

    Only a year-like number (1900-2099) with letters that are a word in the list, and
    not after the word 'postcode' (or 'pc'), which settles it.
    """
    if text[s : s + 2] not in ("19", "20"):
        return False
    letters = text[s + 4 : s + 7].strip().lower()
    if letters not in POSTCODE_NOT_LETTERS:
        return False
    return not _POSTCODE_WORD_BEFORE.search(text, max(0, s - 16), s)


def plausible_coordinates(text: str, start: int, end: int) -> bool:
    """Two decimals read as a position only outside math and, near 0,0, with a marker.

    Latitude and longitude ranges and 4+ decimals are in the pattern already. "pi is
    3.14159, e 2.71828" fails: a math word or operator stands near, and both integer
    parts are single digits (a spot in the Gulf of Guinea) without a degree sign,
    compass letter or a location word before it.
    """
    found = text[start:end]
    if "'" in found or "\u2032" in found:
        return True  # degrees, minutes, seconds: written as a position on purpose
    before = text[max(0, start - 40) : start].lower()
    after = text[end : end + 12]
    if any(ch in before[-12:] or ch in after for ch in _MATH_CHARS):
        return False
    words = set(_WORD.findall(before))
    if words & COORDINATE_MATH_WORDS:
        return False
    parts = _COORD_NUMBER.findall(found)
    if len(parts) != 2 or any(len(x.lstrip("-")) > 1 for x in parts):
        return True
    marked = "°" in found or found.rstrip()[-1:].isalpha()
    return marked or bool(words & COORDINATE_CONTEXT_WORDS)
