"""Identity numbers: a BSN that passes the elfproef and an IBAN that passes mod-97."""

from __future__ import annotations

import re
from typing import Final

from stdnum import iban as _iban
from stdnum.nl import bsn as _bsn

_BSN: Final = re.compile(
    r"\d{9}(?![\d])|\d{4}\.\d{2}\.\d{3}(?![.\d])|\d{3}[ .-]\d{3}[ .-]\d{3}(?![ .-]?\d)"
    # other groupings by spaces ("1907 63085", "484283 704"); with dots or dashes only
    # the usual ones above (a decimal "1205.12345" or a range is no BSN)
    # (the whole run: no digit group before or after it, no degree or unit after it)
    r"|(?<![\d+()/])(?<![\d)][ .\-\u00a0])[1-9]\d{2,6} \d{2,6}(?: \d{2,6}){0,2}"
    r"(?![ .\-\u00a0]?\d|[°'′%€])"
)
_IBAN: Final = re.compile(
    r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])"
)


_GROUP_STARTS: Final = re.compile(r"(?<=[A-Za-z0-9]) (?=[A-Za-z0-9])")


def bsn_at(text: str, s: int) -> int:
    """The end of a valid BSN starting at s, or 0."""
    m = _BSN.match(text, s)
    if not m:
        return 0
    digits = "".join(ch for ch in m.group(0) if ch.isdigit())
    return m.end() if len(digits) == 9 and _bsn.is_valid(digits) else 0


def iban_at(text: str, s: int) -> tuple[int, int] | None:
    """The span of a valid IBAN whose check digits start at s (after its country code)."""
    found = iban_or_shape_at(text, s)
    return found[:2] if found is not None and found[2] else None


def iban_or_shape_at(text: str, s: int) -> tuple[int, int, bool] | None:
    """The span of an IBAN whose check digits start at s, and whether it passes mod-97.

    One that fails only its check digits is still an account number ("NL04 RABO 0137 3248
    06" with a wrong check, `_mistyped`): its digits are no phone number or BSN either, so
    the caller blocks the span."""
    p = s - 2
    if p < 0 or (p and text[p - 1].isalnum()):
        return None
    m = _IBAN.match(text, p)
    if not m:
        return None
    if _iban.is_valid(m.group(0)):
        return p, m.end(), True
    # "BE45 7350 4128 3689 kan", "BE34957925371490 want": the next word may have been read
    # as a group; then fewer groups (an IBAN has at least 15 characters)
    ends = [g.start() for g in _GROUP_STARTS.finditer(text, p + 4, m.end())]
    ends.append(m.end())
    ends.reverse()
    candidates = [(end, text[p:end]) for end in ends]
    for end, candidate in candidates:
        if len(candidate) - candidate.count(" ") >= 15 and _iban.is_valid(candidate):
            return p, end, True
    for end, candidate in candidates:
        if len(candidate) - candidate.count(" ") >= 15 and _mistyped(candidate):
            return p, end, False
    return None


def _mistyped(candidate: str) -> bool:
    """Whether the candidate is an IBAN of its country's length and structure that only
    fails mod-97 (a typo): the kept library's own check digits make it valid."""
    compact = _iban.compact(candidate)  # upper-cased: "nl04 rabo ..." is one as well
    fixed = compact[:2] + _iban.calc_check_digits(compact) + compact[4:]
    return _iban.is_valid(fixed)
