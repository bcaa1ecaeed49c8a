"""Identity numbers named by the word before them: a passport or ID card's document number
("paspoortnr: NP4L8R2J7", "documentnummer IXB4K7N21"). It has no check digit to tell it from
other codes, so only the word that names it makes it one: a few words of the same sentence may
stand between (no digit, no line break, no ! or ?), and its letters and digits are mixed. Not
a student number: the labelled sets
call a student's own "leerlingnummer 204178" no data."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_kinds import Finding, new_finding

_BETWEEN: Final = r"[^\d\n!?]{0,40}?"
# a Dutch passport or ID card number: 9 capitals and digits, no letter O, the last a digit
_DOCUMENT: Final = re.compile(
    r"\b(?:paspoort(?:nummer|nr)?|passport(?: (?:number|no|nr))?|id[- ]?kaart(?:nummer)?"
    r"|id[- ]?card(?: number)?|identiteitskaart(?:nummer)?|document(?:nummer|nr| number))\b"
    rf"{_BETWEEN}(?<![\w-])(?P<nr>(?-i:(?=[A-Z0-9]{{0,8}}[A-Z])(?=[A-Z0-9]{{0,8}}\d)"
    r"[A-NP-Z0-9]{8}\d))(?![\w-])",
    re.IGNORECASE,
)


def named_ids(text: str) -> tuple[Finding, ...]:
    """Every passport or ID card number a few words after the word that names it."""
    low = text.lower()  # the gate's words, no generator on the per-post path
    if not (
        "paspoort" in low
        or "passport" in low
        or "kaart" in low
        or "card" in low
        or "document" in low
    ):
        return ()
    return tuple(
        new_finding(Finding, ("id-number", m.start("nr"), m.end("nr")))
        for m in _DOCUMENT.finditer(text)
        if _MIXED.search(m.group("nr"))
    )


# a document number mixes its letters and digits ("NP4L8R2J7", "IXB4K7N21"): a letter after
# a digit somewhere; letters then a number is a course, flight or exam code ("DUITS2024",
# "KL1234567", "WISKB2024") that an exam-day message names beside "ID-kaart"
_MIXED: Final = re.compile(r"\d[A-Z]")
