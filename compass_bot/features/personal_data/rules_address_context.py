"""Addresses that need more of the post than the words before a number: a house number with no
word before it ("4 Privet Drive is where ...", "(11 Thornbury Avenue)", "... invite!! 2341 Oak
Street"), and a postcode a few words from an address ("Koningsweg 160, postcode 3582 GE",
"Postcode is 3723 HJ ... she's at Prinses Julianalaan 19"): the address's house number makes
it that home's postcode. A postcode with no house number anywhere stays unflagged."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from compass_bot.features.personal_data.rules_address import (
    POSTCODE_ALONE,
    number_first_opening,
)
from compass_bot.features.personal_data.rules_kinds import Finding, new_finding
from compass_bot.features.personal_data.rules_lookalikes import year_and_word
from compass_bot.features.personal_data.rules_number_first import says_home

# a bracket or a line break, or "!", "?" or a colon and a space, then a number and a
# capitalised word (not after a full stop: "blz. 45 Laan", "26.9878 Lokaal"); one character
# class leads the pattern, so the engine searches for it in C
_OPENING: Final = re.compile(
    r"[(\n!?:](?:(?<=[(\n])[ \u00a0]?|[ \u00a0])(?=[1-9]\d{0,3}[A-Za-z]?[ \u00a0][A-Z])"
)
_NAMED: Final = re.compile(
    r"\b(?:post[ \u00a0]?code|zip[ \u00a0]?code|postal[ \u00a0]code)(?:[ \u00a0]is)?[ \u00a0]?[:=]?[ \u00a0]?$",
    re.IGNORECASE,
)
_NEAR: Final = 80  # characters between an address and its postcode


def opening_addresses(text: str) -> list[tuple[Finding, ...]]:
    """The addresses (each with the postcode after it, if any) whose house number opens the
    post, a bracket, a line, a sentence or what a colon introduces; the street after it
    decides (``number_first_opening``)."""
    found: list[tuple[Finding, ...]] = []
    if "1" <= text[:1] <= "9" and (first := number_first_opening(text, 0)):
        found.append(first)
    # a mark first (a few memchr, no regex pass over a long post), then one search
    marked = "(" in text or "\n" in text or "!" in text or "?" in text or ":" in text
    if marked and (first_mark := _OPENING.search(text)) is not None:
        for m in _OPENING.finditer(text, first_mark.start()):
            if one := number_first_opening(text, m.end()):
                found.append(one)
    # read last, only for a candidate: the whole post's words ("21 Jump Street is een film")
    return found if found and says_home(text) else []


def postcodes_near(text: str, findings: list[Finding]) -> list[Finding]:
    """The postcodes (``1234 AB``) within ``_NEAR`` characters of an address found without one,
    outside every finding: each is that address's postcode. Before the address only when
    named ("Postcode is 3723 HJ ..."): "1011 AB, Kerkstraat nummer 4" may be two homes."""
    found: list[Finding] = []
    for address in findings:
        if address[0] != "address" or any(
            f[0] == "postcode" and f[1] < address[2] and address[1] < f[2] for f in findings
        ):
            continue
        lo, hi = max(0, address[1] - _NEAR), min(len(text), address[2] + _NEAR)
        for m in POSTCODE_ALONE.finditer(text, lo, hi):
            s, e = m.span()
            if (s and text[s - 1].isalnum()) or year_and_word(text, s):
                continue
            if any(s < f[2] and f[1] < e for f in (*findings, *found)):
                continue
            if e <= address[1] and not _NAMED.search(text, max(0, s - 20), s):
                continue
            found.append(new_finding(Finding, ("postcode", s, e)))
            break
    return found


def add_context(text: str, findings: list[Finding], taken: Callable[[int, int], bool]) -> None:
    """The scan's last step: the addresses opening a line (unless ``taken`` by a finding
    already) with their postcodes, then the postcodes near any address."""
    for address, *postcode in opening_addresses(text):
        if not taken(address[1], address[2]):
            findings.append(address)
            findings.extend(postcode)
    if findings and any(f[0] == "address" for f in findings):
        findings.extend(postcodes_near(text, findings))
