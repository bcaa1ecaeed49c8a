"""Whether a member's report of a message or a member is taken (pure: no discord, no store).

A report is refused for a bot, a system message or oneself, for a message the reporter
cannot see, for a second report of the same message (or, without a message, the same member
within a day), and past the reporter's hourly limit, which counts accepted reports only.
Each reason is mapped to the protocol clause it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

RULE = "aanwijzing-9"  # the alerts of reports: complaints are handled by the school's rules
# What a warned author is reminded of when the reports name no rule of their own ("iets
# anders"): they answer for what they post, under any name (aanwijzing-1).
OWN_RESPONSIBILITY = "aanwijzing-1"


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    label: str
    label_en: str
    clause_id: str
    word_en: str = ""  # the English word for it on a command line (/report bullying)


REASONS: tuple[Reason, ...] = (
    Reason(
        "pesten", "Pesten of uitschelden", "Bullying or name-calling", "aanwijzing-5", "bullying"
    ),
    Reason(
        "gegevens",
        "Gegevens of foto's van iemand zonder toestemming",
        "Someone's data or photos without consent",
        "aanwijzing-6",
        "data",
    ),
    Reason("naam", "Compass in een naam", "Compass in a name", "aanwijzing-2", "name"),
    Reason(
        "school",
        "Negatief over school of namens school",
        "Negative about or on behalf of the school",
        "aanwijzing-4",
        "school",
    ),
    Reason("anders", "Iets anders", "Something else", "aanwijzing-9", "other"),
)
REASON_BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}
# a reason as typed: its code or its English word
REASON_BY_WORD: dict[str, Reason] = REASON_BY_CODE | {r.word_en: r for r in REASONS}

RefusalCode = Literal[
    "unknown_reason", "self", "bot", "system", "not_visible", "duplicate", "rate_limited"
]


@dataclass(frozen=True, slots=True)
class ReportSettings:
    max_per_hour: int = 5
    window: timedelta = timedelta(hours=1)
    member_repeat: timedelta = timedelta(days=1)  # one report of the same member per day


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """What a member wants to report, as the front end saw it at that moment."""

    reporter_id: int
    reported_id: int
    reason: str
    at: datetime
    message_id: int | None = None  # None: a member (name, avatar, behaviour in DMs)
    reported_is_bot: bool = False
    system_message: bool = False
    reporter_can_see: bool = True


@dataclass(frozen=True, slots=True)
class PastReport:
    """An accepted report by the same reporter (refused ones are never stored)."""

    reported_id: int
    message_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Accepted:
    reason: Reason

    @property
    def clause_id(self) -> str:
        return self.reason.clause_id


@dataclass(frozen=True, slots=True)
class Refused:
    code: RefusalCode


def judge_report(
    draft: ReportDraft, recent: Sequence[PastReport], settings: ReportSettings
) -> Accepted | Refused:
    """The verdict on one report; `recent` are the reporter's earlier accepted reports."""
    reason = REASON_BY_CODE.get(draft.reason)
    if reason is None:
        return Refused("unknown_reason")
    if draft.reported_id == draft.reporter_id:
        return Refused("self")
    if draft.reported_is_bot:
        return Refused("bot")
    if draft.system_message:
        return Refused("system")
    if not draft.reporter_can_see:
        return Refused("not_visible")
    for past in recent:
        if draft.message_id is not None and past.message_id == draft.message_id:
            return Refused("duplicate")
        if (
            draft.message_id is None
            and past.message_id is None
            and past.reported_id == draft.reported_id
            and draft.at - past.at < settings.member_repeat
        ):
            return Refused("duplicate")
    in_window = sum(1 for p in recent if draft.at - p.at < settings.window)
    if in_window >= settings.max_per_hour:
        return Refused("rate_limited")
    return Accepted(reason)
