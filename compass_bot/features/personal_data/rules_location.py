"""Locations: map and live-location links, what3words, Life360 codes, coordinates, plus codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from compass_bot.features.personal_data.rules_kinds import LOCATION_LINK_MARKERS
from compass_bot.features.personal_data.rules_lookalikes import plausible_coordinates

_NONSPACE: Final = re.compile(r"\S+")
_STRIP_URL_TAIL = ").,!?;:'\">]*_"
_COORD: Final = re.compile(
    r"-?(?:[1-8]?\d)[.,]\d{4,10}°?\s?[NSns]?\s?[,;/ ]\s?"
    # "52.5168 lon 6.0830", "52.5168, lng: 6.0830": the longitude named
    r"(?:(?i:lon|lng|long|longitude|lengte|lengtegraad)\.?\s?[:=]?\s?|[EWO]\s?)?"
    r"-?(?:1[0-7]\d|[1-9]?\d)[.,]\d{4,10}°?"
    r"(?:\s?[EWOewo](?![A-Za-z]))?"
    r"|\d{1,2}°\s?\d{1,2}(?:[.,]\d{1,4})?['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?\s?[NSns],?\s{0,2}"
    r"\d{1,3}°\s?\d{1,2}(?:[.,]\d{1,4})?['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?\s?[EWOewo](?![A-Za-z])"
    # "N 52°05.432' E 5°07.281'": the hemispheres before the degrees (GPS, geocaching); the
    # N or S before the match (`coordinates_at`)
    r"|(?P<lat>\d{1,2}°\s?\d{1,2}(?:[.,]\d{1,4})?['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?)"
    r",?\s{0,2}[EWO]\s?\d{1,3}°\s?\d{1,2}(?:[.,]\d{1,4})?['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?"
)
_HEMISPHERE_BEFORE: Final = re.compile(r"(?<![A-Za-z])[NSns]\s?$")
_PLUS_CODE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:[2-9CFGHJMPQRVWX]{8}|[2-9CFGHJMPQRVWX]{6}|[2-9CFGHJMPQRVWX]{4})"
    r"\+[2-9CFGHJMPQRVWX]{2,3}"
    r"|(?:[2-9cfghjmpqrvwx]{8}|[2-9cfghjmpqrvwx]{6}|[2-9cfghjmpqrvwx]{4})"
    r"\+[2-9cfghjmpqrvwx]{2,3}"
    r")(?![A-Za-z0-9])"
)
# an invite code after the word: right after it or after "code" ("life360 code: XMBPRD"),
# else a dashed one with a letter (XMB-PRD, not a range "100-120") within a few words on its
# line ("life360 circle, code XMB-PRD", "life360 code van emma: RKP-WTB")
_LIFE360_CODE: Final = re.compile(
    r"[Ll][Ii][Ff][Ee]360\b(?:"
    r"\W{1,3}(?:[^\n]{0,40}?\b[Cc][Oo][Dd][Ee]\W{1,3})?([A-Z0-9]{3}-?[A-Z0-9]{3})"
    r"|[^\n]{0,60}?(?<![\w-])((?=[A-Z0-9-]{0,6}[A-Z])[A-Z0-9]{3}-[A-Z0-9]{3})"
    r")(?![\w-])"
)


def _token_bounds(text: str, i: int) -> tuple[int, int]:
    # the nearest space first, then a line break or tab only after it: each search stops at
    # the token's start instead of reading the whole text before it at every link
    space = text.rfind(" ", 0, i)
    start = max(space, text.rfind("\n", space + 1, i), text.rfind("\t", space + 1, i)) + 1
    m = _NONSPACE.match(text, i)
    end = m.end() if m else i
    while start < end and text[start] in "<(\"'[":
        start += 1
    while end > start and text[end - 1] in _STRIP_URL_TAIL:
        end -= 1
    return start, end


def link_at(text: str, i: int) -> tuple[int, int, bool | None]:
    """The token with a '/' at i: (start, end, is it a map link?); None: it is no link."""
    start, end = _token_bounds(text, i)
    if end - start < 4 or "." not in text[start:end]:
        return start, end, None
    token = text[start:end].lower()
    return start, end, any(marker in token for marker in LOCATION_LINK_MARKERS)


def coordinates_at(text: str, s: int) -> tuple[int, int] | None:
    """The span of a latitude and longitude whose first digits start at s, or None."""
    p = s - 1 if s and text[s - 1] == "-" else s
    m = _COORD.match(text, p)
    if not m or not plausible_coordinates(text, p, m.end()):
        return None
    if m.group("lat") is not None:
        before = _HEMISPHERE_BEFORE.search(text, max(0, p - 2), p)
        if before is None:
            return None
        return before.start(), m.end()
    return p, m.end()


def plus_codes(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the plus codes (Open Location Code, one case) in the text."""
    n = len(text)
    i = text.find("+")
    while i >= 0:
        m = _PLUS_CODE.search(text, max(0, i - 8), min(n, i + 4))
        if m and m.start() <= i < m.end() and not text[m.end() : m.end() + 1].isalnum():
            code = m.group(0)
            if any(c.isalpha() for c in code) and any(c.isdigit() for c in code):
                yield m.start(), m.end()
        i = text.find("+", i + 1)


def life360_codes(text: str) -> Iterator[tuple[int, int]]:
    """The spans of Life360 invite codes (the code only, after the word Life360)."""
    for m in _LIFE360_CODE.finditer(text):
        group = 1 if m.start(1) >= 0 else 2
        yield m.start(group), m.end(group)
