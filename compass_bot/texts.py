"""Text every feature shares: the protocol's footer and the language rule.

Each feature keeps its own words in `features/<name>/texts.py`; the protocol's own clause texts
come from policy_text/ and are never rewritten.
"""

from __future__ import annotations

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


def lang_of(language: str) -> str:
    """Only nl and en exist; anything else reads Dutch."""
    return "en" if language == "en" else "nl"
