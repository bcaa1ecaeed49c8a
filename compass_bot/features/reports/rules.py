"""Whether a member's report of a message or a member is taken (pure: no discord, no store).

A report is refused for a bot, a system message or oneself, for a message the reporter
cannot see, for an exact repeat of the reporter's report of the same message (or, without a
message, the same member within a day): a repeat with a new reason or a new note is taken as
an addition to it. Past the reporter's hourly limit, which counts accepted reports (additions
too), a report is refused. Each reason is mapped to the protocol clause it is about.
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
    note: str | None = None  # as it would be kept (masked, on one line, cut)


@dataclass(frozen=True, slots=True)
class PastReport:
    """An accepted report by the same reporter (refused ones are never stored)."""

    reported_id: int
    message_id: int | None
    at: datetime
    reason: str
    note: str | None  # None also once retention cleared it


@dataclass(frozen=True, slots=True)
class Accepted:
    reason: Reason
    # The reporter reported this before, and this report brings what that did not: a reason
    # or a note of its own (so it is added to it rather than refused as a repeat).
    adds_reason: bool = False
    adds_note: bool = False

    @property
    def clause_id(self) -> str:
        return self.reason.clause_id

    @property
    def adds(self) -> bool:
        return self.adds_reason or self.adds_note


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
    if (refused := _not_reportable(draft)) is not None:
        return refused
    earlier = [p for p in recent if _same_report(draft, p, settings)]
    adds_reason = adds_note = False
    if earlier:
        adds_reason = all(p.reason != reason.code for p in earlier)
        adds_note = draft.note is not None and all(p.note != draft.note for p in earlier)
        if not (adds_reason or adds_note):
            return Refused("duplicate")
    if _rate_limited(draft, recent, settings):
        return Refused("rate_limited")
    return Accepted(reason, adds_reason, adds_note)


def judge_opening(
    draft: ReportDraft, recent: Sequence[PastReport], settings: ReportSettings
) -> Refused | None:
    """What no reason or note could make acceptable, before the form opens (oneself, a bot,
    the hourly limit); a repeat is not refused here: its form may bring something new, and
    its verdict (`judge_report`) says "already reported" before the hourly limit."""
    if (refused := _not_reportable(draft)) is not None:
        return refused
    if any(_same_report(draft, past, settings) for past in recent):
        return None
    return Refused("rate_limited") if _rate_limited(draft, recent, settings) else None


def _not_reportable(draft: ReportDraft) -> Refused | None:
    if draft.reported_id == draft.reporter_id:
        return Refused("self")
    if draft.reported_is_bot:
        return Refused("bot")
    if draft.system_message:
        return Refused("system")
    if not draft.reporter_can_see:
        return Refused("not_visible")
    return None


def _same_report(draft: ReportDraft, past: PastReport, settings: ReportSettings) -> bool:
    """The same message whenever, or (without a message) the same member within a day."""
    if draft.message_id is not None:
        return past.message_id == draft.message_id
    return (
        past.message_id is None
        and past.reported_id == draft.reported_id
        and draft.at - past.at < settings.member_repeat
    )


def _rate_limited(
    draft: ReportDraft, recent: Sequence[PastReport], settings: ReportSettings
) -> bool:
    in_window = sum(1 for p in recent if draft.at - p.at < settings.window)
    return in_window >= settings.max_per_hour
