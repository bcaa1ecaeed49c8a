"""A teacher's permission grant: whom it covers, when it starts and when it must end.

Pure: plain data and the time in, no discord, no store, no clock reads. A grant starts now or
later (later today, or on a coming school day) and never runs past the end of its school day;
`GrantTimes` says when it was cut short there, so the teacher can be told.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final, Literal

from compass_bot.inputs import duration_minutes
from compass_bot.texts import WEEKDAYS, WEEKDAYS_EN, WEEKDAYS_EN_SHORT, WEEKDAYS_NL, quoted

if TYPE_CHECKING:
    from compass_bot.features.schooltime.rules import Author, ChannelInfo, Timetable

GrantScope = Literal["member", "role", "channel"]

DAYS_AHEAD: Final = 14
"""How far ahead a grant may start: two weeks covers "next Monday's project lesson"."""


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment!r}")


@dataclass(frozen=True, slots=True)
class PermissionGrant:
    """A teacher's permission: for one member, everyone with a role, or everyone in a channel.

    Active on [starts_at, ends_at). A channel grant also covers the channel's threads, and a grant
    whose target is a category id covers every channel in that category. `cut_short`: the end
    of the school day came before the minutes the teacher asked for.
    """

    id: int
    scope: GrantScope
    target_id: int
    starts_at: datetime
    ends_at: datetime
    granted_by: int
    reason: str | None = None
    cut_short: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "PermissionGrant.starts_at")
        _require_aware(self.ends_at, "PermissionGrant.ends_at")

    def applies_to(self, author: Author, channel: ChannelInfo) -> bool:
        """Whether this grant concerns this author posting in this channel (ignores time)."""
        target = self.target_id
        if self.scope == "member":
            return author.member_id == target
        if self.scope == "role":
            return any(role_id == target for role_id, _ in author.roles)
        # channel: the channel itself, a thread's parent, or the enclosing category
        ch: ChannelInfo | None = channel
        while ch is not None:
            if ch.id == target or ch.category_id == target:
                return True
            ch = ch.parent
        return False

    def is_active(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def permission_end(start: datetime, minutes: int, timetable: Timetable) -> datetime:
    """When a permission starting at `start` for `minutes` minutes ends (school time zone).

    A grant never runs past the end of that school day: the result is
    min(start + minutes, end of school on start's date). When no school time is left that day
    (after school, a weekend, a day off) the result is `start` itself: an empty grant, which the
    caller should refuse. A grant given before school starts may cover the morning.
    """
    _require_aware(start, "start")
    if minutes <= 0:
        raise ValueError(f"minutes must be positive, got {minutes}")
    local = start.astimezone(timetable.tz)
    day = local.date()
    hours = timetable.school_hours(day)
    if hours is None or local.time() >= hours.end:
        return local
    # Elapsed-time arithmetic in UTC, so a DST change in between is counted correctly.
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(timetable.tz)
    cap = timetable.at(day, hours.end)
    return cap if cap.astimezone(UTC) < end.astimezone(UTC) else end


MAX_MINUTES: Final = 24 * 60
_NUMBER_LIKE: Final = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?")
_DURATION_FORMS: Final = (
    "20, 20 min, 1 uur, 1,5 uur of 1u30 (20, 20 min, 1 hour, 1.5 hours or 1h30)"
)


def _is_duration(text: str) -> bool:
    """A duration, or a number meant as one (`1.5`: refused by `grant_minutes`, not taken
    as a reason)."""
    stripped = text.strip()
    return duration_minutes(text) is not None or (
        len(stripped) <= 9 and bool(_NUMBER_LIKE.fullmatch(stripped))
    )


def split_duration(words: Sequence[str]) -> tuple[str | None, list[str]]:
    """A duration at the start of typed words (one word, "20min", or two, "20 min") and the
    words after it; None when the words do not start with one."""
    if len(words) >= 3 and _NUMBER_LIKE.fullmatch(words[0]) and _is_duration(" ".join(words[:3])):
        return " ".join(words[:3]), list(words[3:])  # "1 uur 30"
    if len(words) >= 2 and _NUMBER_LIKE.fullmatch(words[0]) and _is_duration(" ".join(words[:2])):
        return " ".join(words[:2]), list(words[2:])
    if words and _is_duration(words[0]):
        return words[0], list(words[1:])
    return None, list(words)


def grant_minutes(typed: int | str | None, default: int) -> int | str:
    """How long a grant runs, from the teacher's input (a number, typed text, or None for
    the default), or a line saying why it cannot."""
    if typed is None:
        return default
    if isinstance(typed, str):
        minutes = duration_minutes(typed)
        if minutes is None:
            shown = quoted(typed if len(typed) <= 40 else typed[:40] + "…")
            return (
                f"{shown} is geen aantal minuten: geef een heel getal van 1 tot 1440, "
                f"of een duur als {_DURATION_FORMS}. / {shown} is not a number of "
                "minutes: give a whole number from 1 to 1440, or a duration."
            )
        typed = minutes
    if not 1 <= typed <= MAX_MINUTES:
        return (
            f"{typed} minuten kan niet: de duur moet tussen 1 en 1440 minuten liggen. "
            f"({typed} minutes cannot be: between 1 and 1440.)"
        )
    return typed


def duration_and_reason(
    typed: int | str | None, reason: str | None, default: int
) -> tuple[int, str | None] | str:
    """The minutes and the reason a teacher gave, or a line saying why they cannot be.

    A reason that is only a duration ("20", "20 min") was meant as the duration: it is the
    duration when none was given, and refused when one was (never stored as the reason)."""
    if reason is not None and _is_duration(reason):
        if typed is not None:
            return (
                f"De reden {reason.strip()!r} is een duur, maar de duur is al {typed}: geef één "
                "duur en als reden woorden (bijvoorbeeld: projectwerk). (The reason is a "
                "duration, but a duration was already given: give one, and words as reason.)"
            )
        typed, reason = reason, None
    minutes = grant_minutes(typed, default)
    return minutes if isinstance(minutes, str) else (minutes, reason)


@dataclass(frozen=True, slots=True)
class GrantTimes:
    """When a grant runs, or why it cannot: `problem` is a Dutch line for the teacher."""

    starts_at: datetime
    ends_at: datetime
    cut_short: bool = False
    problem: str | None = None


CLOCK_TIME: Final = re.compile(r"(?P<h>[0-2]?\d)(?:[:.u](?P<m>[0-5]\d))?u?")
_ISO_DATE: Final = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})")
_DAY_MONTH: Final = re.compile(r"(?P<d>\d{1,2})[-/](?P<mo>\d{1,2})(?:[-/](?P<y>\d{4}))?")
_WEEKDAYS: Final = {
    word: number
    for number, words in enumerate(
        zip(
            WEEKDAYS_NL,
            WEEKDAYS,
            (day.lower() for day in WEEKDAYS_EN),
            (day.lower() for day in WEEKDAYS_EN_SHORT),
            strict=True,
        )
    )
    for word in words
}
_RELATIVE: Final = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
NO_SCHOOL_TODAY: Final = (
    "Vandaag is er geen schooltijd (weekend of vakantie): toestemming is niet nodig. "
    "(There is no school time today (weekend or holiday): no permission is needed.)"
)
START_FORMS: Final = "13:30, morgen 8:30 of maandag 10:00"
START_FORMS_EN: Final = "13:30, tomorrow 8:30 or Monday 10:00"
"""The start forms without a date: a fixed date in an example would one day lie in the past."""


def start_forms(today: date, timetable: Timetable, days_ahead: int = DAYS_AHEAD) -> tuple[str, str]:
    """The start forms with a dated example (Dutch, English): the first school day a week or
    more after `today`, so a teacher who copies it never gets "is al voorbij"."""
    for ahead in range(7, days_ahead + 1):
        day = today + timedelta(days=ahead)
        if timetable.school_hours(day) is not None:
            dated = f"{day.isoformat()} 10:00"
            return (
                f"13:30, morgen 8:30, maandag 10:00 of {dated}",
                f"13:30, tomorrow 8:30, Monday 10:00 or {dated}",
            )
    return START_FORMS, START_FORMS_EN


def _day(word: str, today: date) -> date | None:
    """The date a day word names: relative, a weekday (the next one, today included), or a
    date (this year's, or next year's once this year's has passed)."""
    if word in _RELATIVE:
        return today + timedelta(days=_RELATIVE[word])
    if word in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[word] - today.weekday()) % 7)
    try:
        if m := _ISO_DATE.fullmatch(word):
            return date(int(m["y"]), int(m["mo"]), int(m["d"]))
        if m := _DAY_MONTH.fullmatch(word):
            found = date(int(m["y"] or today.year), int(m["mo"]), int(m["d"]))
            if m["y"] is None and found < today:
                found = found.replace(year=today.year + 1)
            return found
    except ValueError:
        return None
    return None


def _clock_time(word: str) -> time | None:
    m = CLOCK_TIME.fullmatch(word)
    if m is None:
        return None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    return time(hour, minute) if hour < 24 else None


def grant_times(
    now: datetime,
    minutes: int,
    timetable: Timetable,
    start: str | None = None,
    days_ahead: int = DAYS_AHEAD,
) -> GrantTimes:
    """When a grant asked for now runs: from `now`, or from `start` ("13:30", "morgen 8:30",
    "maandag 10:00", "7-12 10:00", "2026-12-07 10:00"), for `minutes`, cut at the end of that
    school day. A start in the past, on a day without school, after school or more than
    `days_ahead` days away is a problem, said in one line."""
    _require_aware(now, "now")
    local_now = now.astimezone(timetable.tz)
    begins = local_now
    if start is not None and start.strip():
        words = start.strip().casefold().split()
        at = _clock_time(words[-1])
        day = local_now.date() if len(words) == 1 else _day(" ".join(words[:-1]), local_now.date())
        if at is None or day is None or len(words) > 2:
            forms_nl, forms_en = start_forms(local_now.date(), timetable, days_ahead)
            typed = repr(start.strip())
            return GrantTimes(
                now,
                now,
                problem=f"Begintijd {typed} begrijp ik niet: {forms_nl}. / "
                f"Start time {typed} not understood: {forms_en}.",
            )
        begins = timetable.at(day, at)
        if words[0] in _WEEKDAYS and begins < local_now:
            begins = timetable.at(day + timedelta(days=7), at)
        if begins < local_now - timedelta(minutes=1):
            past = f"{begins:%d-%m %H:%M}"
            return GrantTimes(
                now, now, problem=f"{past} is al voorbij. / {past} has already passed."
            )
        if begins.date() > local_now.date() + timedelta(days=days_ahead):
            return GrantTimes(
                now,
                now,
                problem=f"Een toestemming kan tot {days_ahead} dagen vooruit beginnen. / "
                f"A permission can start up to {days_ahead} days ahead.",
            )
        hours = timetable.school_hours(begins.date())
        if hours is not None and begins.time() < hours.start and begins > local_now:
            return GrantTimes(
                now,
                now,
                problem=f"School begint op {begins:%d-%m} om {hours.start:%H:%M}: "
                "kies een begintijd binnen schooltijd. / "
                f"School starts on {begins:%d-%m} at {hours.start:%H:%M}: "
                "pick a start within school time.",
            )
        begins = max(begins, local_now)
    ends = permission_end(begins, minutes, timetable)
    if ends <= begins:
        if begins == local_now and timetable.school_hours(begins.date()) is None:
            problem = NO_SCHOOL_TODAY  # a weekend or a day off: nothing to allow
        elif begins == local_now:
            problem = (
                "Er is vandaag geen schooltijd meer over om toestemming voor te geven. / "
                "There is no school time left today to give permission for."
            )
        else:
            on_day, at_time = f"{begins:%d-%m}", f"{begins:%H:%M}"
            problem = (
                f"Op {on_day} om {at_time} is er geen schooltijd om toestemming voor te geven. / "
                f"On {on_day} at {at_time} there is no school time to give permission for."
            )
        return GrantTimes(begins, ends, problem=problem)
    asked = begins.astimezone(UTC) + timedelta(minutes=minutes)
    return GrantTimes(begins, ends, cut_short=ends.astimezone(UTC) < asked)
