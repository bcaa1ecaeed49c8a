"""Text every feature shares: the protocol's footer, the language rule and counts said right.

Each feature keeps its own words in `features/<name>/texts.py`; the protocol's own clause texts
come from policy_text/ and are never rewritten.
"""

from __future__ import annotations

import re
from typing import Final

PROTOCOL_FOOTER = "Protocol sociale media (1.10) · Compass"

# A staff member never decides on what is about themselves (an alert, a report, erasure):
# a reported moderator could otherwise dismiss or erase the report.
ABOUT_YOURSELF = (
    "Een melding over jezelf handelt een andere moderator of de schoolleiding af. / "
    "An alert about yourself is handled by another moderator or the school leadership."
)
ERASE_YOURSELF = (
    "Je eigen gegevens wist een andere moderator of de schoolleiding (op jouw verzoek). / "
    "Another moderator or the school leadership erases your own data (at your request)."
)

# The days of the week, Monday first (`date.weekday()`), for every feature's texts and
# parsing: the one home of these words.
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")  # short Dutch weekday names
WEEKDAYS_EN_SHORT = tuple(day[:3] for day in WEEKDAYS_EN)


def quoted(typed: str) -> str:
    """What a member typed, quoted in a reply: “abc”, as the names feature quotes a name
    (not Python's 'abc', which reads as code and switches quotes when the text has one)."""
    return f"“{typed.strip()}”"


def lang_of(language: str) -> str:
    """Only nl and en exist; anything else reads Dutch."""
    return "en" if language == "en" else "nl"


# A word written for any count: "melding(en)", "alert(s)" (the ending of the plural in
# brackets) or "lid/leden", "is/zijn", "was/were" (singular/plural, no spaces).
_EITHER_NUMBER: Final = re.compile(r"(\w+)\((\w+)\)|(\w+)/(\w+)")


def for_count(text: str, count: int) -> str:
    """`text` with each word written for any count ("melding(en)", "lid/leden", "is/zijn")
    made singular for 1 and plural otherwise (0 too), in Dutch as in English: "1 berichten"
    and "0 melding(en)" read as mistakes. Applied before a template is filled in, so what is
    filled in is never changed."""
    one = count == 1

    def pick(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1) if one else m.group(1) + m.group(2)
        return m.group(3) if one else m.group(4)

    return _EITHER_NUMBER.sub(pick, text)


def counted(count: int, noun: str) -> str:
    """The count with its noun in the right number: "1 melding", "0 meldingen", "2 leden"
    (`noun` written as `for_count` reads it)."""
    return f"{count} {for_count(noun, count)}"
