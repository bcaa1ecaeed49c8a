"""Phone numbers that are no valid Dutch number: British and American numbers written the
national way ("07700 900461", "020 7946 0958", "(212) 555-0182", "212-555-0182", "555-0173"),
and the cue words that make a number the library calls possible (not valid) a phone number.

``phonenumbers`` judges each with its region. A valid number is one; a number it calls only
possible (the drama ranges careful writers use: +44 7700 900xxx, 555-01xx) is one after a
word that says a phone number follows ("call", "text", "bel", "mijn nummer", ...;
``phone_cues``), and with a ``+``/``00`` country code (``rules_phone``)."""

from __future__ import annotations

import re
from typing import Final

import phonenumbers
from phonenumbers import ValidationResult

from compass_bot.features.personal_data.rules_kinds import (
    NUMBER_NOT_PHONE,
    PHONE_CALL_CUES,
    PHONE_CUES,
)
from compass_bot.features.personal_data.rules_lookalikes import unit_follows

_CUE_WINDOW: Final = 48  # characters before the number: "Call Mr. Holt at 555-0173"
_CUE: Final = re.compile(
    r"\b(?:" + "|".join(re.escape(c) for c in sorted(PHONE_CUES, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_WORD_BEFORE: Final = re.compile(r"([^\W\d_]+)[^\w]*$")
_NUMBER_WORDS: Final = frozenset({"nummer", "number", "numero"})


def phone_cue_before(text: str, s: int, calls: bool = False) -> bool:
    """Does a word that says a phone number follows stand a few words before s? "nummer" and
    "number" only when no other thing's number is meant ("order number", "page number");
    ``calls``: only a word that asks for a call or text ("call", "bel": ``phone_call_cues``)."""
    lo = max(0, s - _CUE_WINDOW)
    for m in _CUE.finditer(text, lo, s):
        word = m.group(0).lower()
        if calls:
            if word in PHONE_CALL_CUES:
                return True
            continue
        if word not in _NUMBER_WORDS:
            return True
        before = _WORD_BEFORE.search(text, lo, m.start())
        if before is None or before.group(1).lower() not in NUMBER_NOT_PHONE:
            return True
    return False


def possible(number: phonenumbers.PhoneNumber) -> bool:
    """A number of its region's length and shape (its general pattern), valid or not."""
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        return False
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    desc = meta.general_desc if meta is not None else None
    pattern = desc.national_number_pattern if desc is not None else None
    national = str(number.national_number)
    return pattern is not None and re.fullmatch(pattern, national) is not None


def valid_or_possible(written: str, region: str | None, possible_ok: bool) -> bool:
    """A written number phonenumbers calls valid for `region` (None: its country code is
    written), or, where `possible_ok` (a cue, a written code), only possible there."""
    try:
        number = phonenumbers.parse(written, region)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    return possible_ok and possible(number)


# "07700 900461", "020 7946 0958", "07911-123456": 11 digits led by one 0 (checked after)
_UK: Final = re.compile(r"0\d{2,4}(?:[ \u00a0-]?\d{3,6}){1,2}(?!\w|[ \u00a0.,/:-]\d)")
_GROUPS: Final = re.compile(r"\d+")
# the British groupings of 11 digits ("07911 123456", "020 7946 0958", "0161 496 0000"); a
# Dutch number with a digit too many ("020 123 45679") is written otherwise
_UK_GROUPS: Final = frozenset({(11,), (5, 6), (3, 4, 4), (4, 3, 4), (5, 3, 3)})
# "(212) 555-0182", "212-555-0182", "212.555.0182"; "555-0173" (seven digits: "call" before)
_US: Final = re.compile(
    r"(?:\([2-9]\d\d\)[ \u00a0]?\d{3}[-. \u00a0]|[2-9]\d\d(?P<sep>[-.])\d{3}(?P=sep)|(?P<local>[2-9]\d\d-))"
    r"\d{4}(?![\w]|[-.]\d)"
)


# a call word and at most a name, a title and "at"/"on" before a seven-digit local number:
# "call 555-0173", "Call Mr. Holt at 555-0173", "text me on 555-0173"
_CALL_RIGHT_BEFORE: Final = re.compile(
    r"\b(?:call|text|txt|ring|phone|bel|app)(?:[ \u00a0]+(?:me|him|her|them|us|mij|hem|haar"
    r"|(?:mr|mrs|ms|dr|meneer|mevrouw|juf|meester)\.?(?:[ \u00a0]+(?-i:[A-Z])[\w'-]*)?"
    r"|(?-i:[A-Z])[\w'-]*))?"
    r"(?:[ \u00a0]+(?:at|on|op|:))?[ \u00a0:]*\Z",
    re.IGNORECASE,
)

# the word right after a seven-digit number: a range of something ("250-1500 woorden") unless
# it goes on about the call ("call 555-0173 after school", "or text ...")
_WORD_AFTER: Final = re.compile(r"[ \u00a0]+([^\W\d_]+)")
_GO_ON: Final = frozenset(
    {"or", "of", "and", "en", "after", "na", "tonight", "vanavond", "morgen", "tomorrow",
     "pls", "please", "aub", "if", "als", "for", "voor", "anytime", "to", "om", "at"}
)  # fmt: skip


def abroad_phone_at(text: str, s: int) -> tuple[int, int] | None:
    """The span of a British or American number written the national way whose digits start
    at s (an American one may open with a bracket before s), or None."""
    before = text[s - 1] if s else ""
    if text[s] == "0":
        if before.isalnum() or before in "+-(":
            return None
        m = _UK.match(text, s)
        if m is None or tuple(map(len, _GROUPS.findall(m.group(0)))) not in _UK_GROUPS:
            return None
        # valid or only possible, a British number written the national way needs a phone
        # word before it in a Dutch school's chat ("bestelnummer 07911123456": an order)
        cue = phone_cue_before(text, s)
        return m.span() if cue and valid_or_possible(m.group(0), "GB", cue) else None
    p = s - 1 if before == "(" else s
    lead = text[p - 1] if p else ""
    if lead.isalnum() or lead in "+-.,/#@_":
        return None
    m = _US.match(text, p)
    if m is None:
        return None
    local = m.group("local") is not None
    cue = phone_cue_before(text, p, calls=local)
    if local:  # seven digits: only right after "call", "text", ..., never valid alone
        if not cue or _CALL_RIGHT_BEFORE.search(text, max(0, p - 32), p) is None:
            return None  # "the text should be 500-1000 words", "Call of Duty lobby 555-0123"
        after = _WORD_AFTER.match(text, m.end())
        if unit_follows(text, m.end()) or (after and after.group(1).lower() not in _GO_ON):
            return None  # "text: 250-1500 woorden": a range of something
        number = phonenumbers.parse(m.group(0), "US")
        reason = phonenumbers.is_possible_number_with_reason(number)
        return m.span() if reason == ValidationResult.IS_POSSIBLE_LOCAL_ONLY else None
    return m.span() if valid_or_possible(m.group(0), "US", cue) else None
