"""Phone numbers: a run of digit groups that phonenumbers' metadata calls a valid number."""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from compass_bot.features.personal_data.rules_kinds import DIGIT_RUN, SPACE
from compass_bot.features.personal_data.rules_phone_abroad import valid_or_possible

# A run of digit groups. Every quantifier but the first is possessive: giving back what it
# took would leave a space, bracket or plus where a digit or separator is needed, or free
# nothing that the rest needs (it can match empty), so the match is the same and the
# engine keeps no backtracking states. ``(?:\+|00)?`` stays as it is: "00" given back can
# be the number's first digits. A bracket may follow digits without a separator
# ("+31(0)20 ...": the trunk zero written after the country code). At most 16 groups after
# the first: a longer run has more digits than any number (15), so reading on changes no
# verdict, and each start reads a bounded stretch (a post of "0 0 0 ..." was quadratic).
_PHONE_RUN: Final = re.compile(
    rf"(?:\+|00)?{SPACE}?+\(?+\+?+\d{{1,12}}+\)?+"
    rf"(?:(?:{SPACE}{{0,2}}+[-./]{SPACE}{{0,2}}+|{SPACE}{{1,2}}+|(?<=\))|(?=\())\(?+\d{{1,12}}+\)?+){{0,16}}+"
)
_TRUNK: Final = re.compile(r"\(\s?0\s?\)")
_LAST_SEP: Final = re.compile(r"[^0-9]+(?=[0-9]+$)")
_NOT_DIGIT: Final = re.compile(r"[^0-9]+")

_NL_META = phonenumbers.PhoneMetadata.metadata_for_region("NL")
assert _NL_META is not None and _NL_META.general_desc is not None
_NL_GENERAL: Final = re.compile(str(_NL_META.general_desc.national_number_pattern))
_NL_TYPES: Final = re.compile(
    "|".join(
        f"(?:{desc.national_number_pattern})"
        for desc in (
            _NL_META.fixed_line,
            _NL_META.mobile,
            _NL_META.toll_free,
            _NL_META.premium_rate,
            _NL_META.shared_cost,
            _NL_META.personal_number,
            _NL_META.voip,
            _NL_META.pager,
            _NL_META.uan,
            _NL_META.voicemail,
        )
        if desc is not None and desc.national_number_pattern
    )
)


# both in one match: the general pattern as a look-ahead to the end, then the types
_NL_VALID: Final = re.compile(f"(?=(?:{_NL_GENERAL.pattern})\\Z)(?:{_NL_TYPES.pattern})")


def nl_number_is_valid(national_significant_number: str) -> bool:
    """phonenumbers.is_valid_number for an NL number, from phonenumbers' NL metadata."""
    return _NL_VALID.fullmatch(national_significant_number) is not None


# "+44 7700 ...", "0044 7700", "00 44 ...": the country code right after the plus or 00 says a
# phone number even in a range not in use; "00 - 436 251 188" is a list
_CODE_WRITTEN: Final = re.compile(r"[ \u00a0(]*(?:\+|00)[ \u00a0]?\(?[1-9]")


def phone_digits(candidate: str) -> tuple[str, bool]:
    """(digits, international?) of a written number; ``(0)`` after a country code dropped."""
    if candidate[:1] == "0" and candidate[1:2] != "0":  # the usual writing: no regex
        digits = candidate.replace("-", "").replace(" ", "")
        if not (digits.isdigit() and digits.isascii()):
            digits = _NOT_DIGIT.sub("", candidate)
        if digits[1:2] != "0":
            return digits, False
        return digits[2:], True  # "0 0031 ...": read as 00
    stripped = candidate.lstrip(" \u00a0(")
    international = stripped.startswith("+")
    if international or stripped.startswith("00"):
        candidate = _TRUNK.sub("", candidate)
    digits = candidate.replace("-", "").replace(" ", "")  # the usual writing: no regex
    if not (digits.isdigit() and digits.isascii()):
        digits = _NOT_DIGIT.sub("", candidate)
    if not international and digits.startswith("00"):
        return digits[2:], True
    return digits, international


def canonical_digits(digits: str, international: bool, possible_ok: bool = False) -> str | None:
    """Country code + national number when the digits are a valid number (or, foreign and
    ``possible_ok``, a possible one), else None."""
    if international:
        if digits.startswith("31"):
            nsn = digits[2:]
            if nsn.startswith("0"):
                nsn = nsn[1:]
            return "31" + nsn if 7 <= len(nsn) <= 10 and nl_number_is_valid(nsn) else None
        if 7 <= len(digits) <= 15 and valid_or_possible("+" + digits, None, possible_ok):
            return digits
        return None
    if len(digits) < 8 or digits[0] != "0" or digits[1] == "0":
        return None
    nsn = digits[1:]
    return "31" + nsn if len(nsn) <= 10 and nl_number_is_valid(nsn) else None


def phone_at(text: str, s: int, cache: dict[str, bool]) -> tuple[int, int] | None:
    """The span of a valid phone number whose digits start at s, or None.

    ``cache`` holds the verdicts on the written numbers of one post (a post repeating a
    number checks it once); it lives as long as the scan of that post.
    """
    p = s
    before = text[s - 1] if s else ""  # the character before text[p] ("" at the start)
    if before == "(":
        p -= 1
        before = text[p - 1] if p else ""
    if before == "+":
        p -= 1
        before = text[p - 1] if p else ""
    if before == "(":
        p -= 1
        before = text[p - 1] if p else ""
    if before and (before.isalnum() or before in "+-"):
        return None
    if text[s] != "0" and "+" not in text[p:s]:
        return None
    m = _PHONE_RUN.match(text, p)
    if not m:
        return None
    return phone_of_run(text, s, p, m, cache)


def usual_phone_at(text: str, s: int, cache: dict[str, bool]) -> tuple[int, int] | None:
    """``phone_at`` for a number starting with 0 after no bracket, plus, dash or letter:
    the usual national writing ("06-12345678") judged here, the rest by ``phone_of_run``
    (the same span, the same verdicts in the post's cache)."""
    m = _PHONE_RUN.match(text, s)
    if m is None:  # never at a digit
        return None
    end = m.end()
    if text[end - 1] == ")":
        end -= 1
    if end - s <= 16 and "0" <= text[end - 1] <= "9":
        written = text[s:end]
        digits = written.replace("-", "").replace(" ", "")
        if (
            8 <= len(digits) <= 11
            and digits[1] != "0"
            and digits.isdigit()
            and digits.isascii()  # other digits: _verdict reads them otherwise
        ):
            valid = cache.get(written)
            if valid is None:
                valid = cache[written] = _NL_VALID.fullmatch(digits, 1) is not None
            if valid:
                return s, end
    return phone_of_run(text, s, s, m, cache)


def phone_of_run(
    text: str, s: int, p: int, m: re.Match[str], cache: dict[str, bool]
) -> tuple[int, int] | None:
    """``phone_at`` once its tests before the number passed and ``m``, the match of
    ``PHONE_RUN`` at p, is read (the scan judges the usual writing itself first)."""
    end = m.end() - (text[m.end() - 1] == ")")
    if end - s <= 16 and "0" <= text[end - 1] <= "9":
        # end closes the last group of digits 0-9, and there are at most 8 groups, so the
        # loop below would try this one first
        written = text[p:end]
        digits = written.replace("-", "").replace(" ", "")
        if p == s and digits[1:2] != "0" and digits.isdigit() and digits.isascii():
            # "06-12345678": what _verdict does for the usual national writing, inline
            # (text[s] is "0" here: the test above)
            if 8 <= len(digits) <= 13:
                valid = cache.get(written)
                if valid is None:
                    valid = cache[written] = (
                        len(digits) <= 11 and _NL_VALID.fullmatch(digits, 1) is not None
                    )
                if valid:
                    return p, end
        elif _verdict(written, cache)[0]:
            return p, end
    ends = [d.end() for d in DIGIT_RUN.finditer(text, s, m.end())]
    if len(ends) > 8:
        # "0 6 1 2 3 4 5 6 7 8": a digit a group, the whole run one number when it is valid
        if _verdict(text[p : ends[-1]], cache)[0]:
            return p, ends[-1]
        ends = ends[:8]
    foreign_tries = 0
    for k in range(len(ends) - 1, -1, -1):
        end = ends[k]
        if k < len(ends) - 1 and not number_ends(text, p, end):
            continue  # "0612 345 678 9": the run goes on, so no prefix of it is a number
        valid, foreign = _verdict(text[p:end], cache, foreign_tries < 3)
        if foreign and valid is not None:
            foreign_tries += 1
        if valid:
            return p, end
    return None


def _verdict(
    candidate: str, cache: dict[str, bool], foreign_ok: bool = True
) -> tuple[bool | None, bool]:
    """(valid?, foreign?) of one written number; valid is None when it is not tried (its
    length rules it out, or it is foreign and ``foreign_ok`` is False)."""
    digits, international = phone_digits(candidate)
    if not international:  # the usual case, canonical_digits inlined (the hot path)
        if not 8 <= len(digits) <= 13:
            return None, False
        valid = cache.get(candidate)
        if valid is None:
            valid = cache[candidate] = (
                len(digits) <= 11
                and digits[0] == "0"
                and digits[1] != "0"
                and _NL_VALID.fullmatch(digits, 1) is not None
            )
        return valid, False
    foreign = not digits.startswith("31")
    if foreign:
        if not 7 <= len(digits) <= 15 or not foreign_ok:
            return None, foreign
    elif not 8 <= len(digits) <= 13:
        return None, foreign
    valid = cache.get(candidate)
    if valid is None:
        written = _CODE_WRITTEN.match(candidate) is not None
        valid = cache[candidate] = canonical_digits(digits, international, written) is not None
    return valid, foreign


def number_ends(text: str, p: int, end: int) -> bool:
    """Does the written number text[p:end] end at ``end`` although digits follow?

    Only at a clear break: another separator than the one before the number's last
    group ("06-12345678 20%", "0612345678 14"), a new number (starting with 0, + or a
    bracket, or a group of 6+ digits), or a group that is a time, decimal or count of
    its own ("0612 345 678 15:00", "2x"). Otherwise the following group is the rest of
    the number ("0612 345 678 9"), and no shorter number inside it is flagged.
    """
    m = DIGIT_RUN.search(text, end)
    if not m:
        return True
    gap = text[end : m.start()]
    last_sep = _LAST_SEP.search(text, p, end)
    if last_sep is None or gap != last_sep.group(0) or gap[-1] in "(+":
        return True
    if text[m.start()] == "0" or m.end() - m.start() >= 6:
        return True
    after = text[m.end() : m.end() + 2]
    return (after[:1] in (":", ".", ",") and after[1:].isdigit()) or after[:1].isalpha()
