"""Clause `schooltijd`: the pure verdict (compass_bot.features.schooltime.rules)."""

from __future__ import annotations

import re
import timeit
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from compass_bot.features.schooltime.rules import (
    Author,
    ChannelInfo,
    Interval,
    Scope,
    Timetable,
    TimeVerdict,
    is_watched,
    judge_post,
)
from compass_bot.features.schooltime.rules_grants import (
    PermissionGrant,
    duration_and_reason,
    duration_minutes,
    grant_minutes,
    grant_times,
    permission_end,
    split_duration,
)
from compass_bot.features.schooltime.settings import SchoolTimeConfig
from compass_bot.schedule import ScheduleConfig, build_timetable

AMS = ZoneInfo("Europe/Amsterdam")
YEARS = range(2026, 2028)

# A plain school week: Tuesday 2026-06-09 (no holiday), short Wednesday 2026-06-10.
TUESDAY = date(2026, 6, 9)
WEDNESDAY = date(2026, 6, 10)


def make_timetable(**schedule: Any) -> Timetable:
    base: dict[str, Any] = {
        "hours": {
            "default": {"start": "08:30", "end": "16:00"},
            "wednesday": {"start": "08:30", "end": "13:00"},
        }
    }
    base.update(schedule)
    return build_timetable(ScheduleConfig.model_validate(base), Path("."), years=YEARS)


TT = make_timetable()
SCOPE = SchoolTimeConfig.model_validate(
    {
        "social_channels": ["algemeen", "memes", 900000000000000001],
        "social_categories": ["Sociaal"],
        "exempt_channels": ["wiskunde-3b"],
        "staff_roles": ["Docent", "Moderator", 800000000000000001],
    }
).to_scope()

ALGEMEEN = ChannelInfo(id=101, name="algemeen", category_id=None, category_name=None)
LESSON = ChannelInfo(id=102, name="wiskunde-3b", category_id=200, category_name="Sociaal")
IN_CATEGORY = ChannelInfo(id=103, name="gamen", category_id=200, category_name="Sociaal")
OTHER = ChannelInfo(id=104, name="huiswerk", category_id=300, category_name="Lessen")
STUDENT = Author(member_id=1, roles=((501, "Leerling"),))
OTHER_STUDENT = Author(member_id=2, roles=((501, "Leerling"),))


def at(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=AMS)


def judge(
    moment: datetime,
    author: Author = STUDENT,
    channel: ChannelInfo = ALGEMEEN,
    grants: tuple[PermissionGrant, ...] = (),
    timetable: Timetable = TT,
    scope: Scope = SCOPE,
) -> TimeVerdict:
    return judge_post(moment, author, channel, grants, timetable, scope)


def test_dates_used_are_the_weekdays_assumed() -> None:
    assert TUESDAY.weekday() == 1
    assert WEDNESDAY.weekday() == 2
    assert date(2026, 5, 14).weekday() == 3  # Hemelvaartsdag, a Thursday
    assert date(2027, 4, 27).weekday() == 1  # Koningsdag, a Tuesday


# -- the school day's boundaries (half-open) ---------------------------------------------------


@pytest.mark.parametrize(
    ("hh", "mm", "reason"),
    [
        (8, 29, "outside_school_hours"),
        (8, 30, "lesson_time"),
        (8, 31, "lesson_time"),
        (12, 14, "lesson_time"),
        (12, 15, "lunch_break"),
        (12, 16, "lunch_break"),
        (12, 44, "lunch_break"),
        (12, 45, "lesson_time"),
        (12, 46, "lesson_time"),
        (15, 59, "lesson_time"),
        (16, 0, "outside_school_hours"),
        (16, 1, "outside_school_hours"),
        (0, 0, "outside_school_hours"),
        (23, 59, "outside_school_hours"),
    ],
)
def test_boundaries_of_the_day(hh: int, mm: int, reason: str) -> None:
    verdict = judge(at(TUESDAY, hh, mm))
    assert verdict.reason == reason
    assert verdict.allowed is (reason != "lesson_time")
    assert verdict.clause_id == "schooltijd"
    if verdict.allowed:
        assert verdict.next_allowed_at is None


def test_lesson_time_message_and_next_allowed_is_lunch() -> None:
    verdict = judge(at(TUESDAY, 10, 15))
    assert not verdict.allowed
    assert verdict.next_allowed_at == at(TUESDAY, 12, 15)
    assert verdict.next_allowed_at is not None
    assert verdict.next_allowed_at.tzinfo == AMS
    assert "lestijd (10:15)" in verdict.message
    assert "middagpauze" in verdict.message
    assert "toestemming van je docent" in verdict.message
    assert verdict.message.endswith("Je mag weer vanaf 12:15.")


def test_after_lunch_next_allowed_is_end_of_school() -> None:
    verdict = judge(at(TUESDAY, 13, 0))
    assert verdict.next_allowed_at == at(TUESDAY, 16, 0)
    assert "16:00, na schooltijd" in verdict.message


def test_short_wednesday() -> None:
    assert judge(at(WEDNESDAY, 12, 59)).reason == "lesson_time"
    assert judge(at(WEDNESDAY, 13, 0)).reason == "outside_school_hours"
    assert judge(at(WEDNESDAY, 14, 0)).reason == "outside_school_hours"
    assert judge(at(WEDNESDAY, 12, 50)).next_allowed_at == at(WEDNESDAY, 13, 0)
    assert judge(at(WEDNESDAY, 12, 20)).reason == "lunch_break"


def test_school_end_before_lunch_comes_first() -> None:
    tt = Timetable(
        tz=AMS,
        school_days=frozenset(range(5)),
        hours={i: Interval(time(8, 30), time(12, 0) if i == 2 else time(16, 0)) for i in range(5)},
        lunch_default=Interval(time(12, 15), time(12, 45)),
    )
    verdict = judge(at(WEDNESDAY, 11, 0), timetable=tt)
    assert verdict.next_allowed_at == at(WEDNESDAY, 12, 0)


def test_naive_moment_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        judge(datetime(2026, 6, 9, 10, 0))  # noqa: DTZ001 - naive on purpose


# -- days without school ----------------------------------------------------------------------


def test_weekend() -> None:
    for day in (date(2026, 6, 13), date(2026, 6, 14)):
        verdict = judge(at(day, 10, 0))
        assert verdict.allowed
        assert verdict.reason == "not_school_day"
        assert "weekend" in verdict.message


def test_public_holiday_hemelvaart() -> None:
    verdict = judge(at(date(2026, 5, 14), 10, 0))
    assert verdict.reason == "day_off"
    assert "Hemelvaartsdag" in verdict.message
    assert judge(at(date(2026, 5, 13), 10, 0)).reason == "lesson_time"


def test_koningsdag_named_even_inside_may_vacation() -> None:
    verdict = judge(at(date(2027, 4, 27), 10, 0))
    assert verdict.reason == "day_off"
    assert "Koningsdag" in verdict.message


def test_koningsdag_as_public_holiday_alone() -> None:
    tt = make_timetable(days_off={"school_vacations": False})
    assert judge(at(date(2027, 4, 27), 10, 0), timetable=tt).reason == "day_off"
    assert judge(at(date(2027, 4, 28), 10, 0), timetable=tt).reason == "lesson_time"


def test_public_holidays_can_be_switched_off() -> None:
    tt = make_timetable(days_off={"public_holidays": False})
    assert judge(at(date(2026, 5, 14), 10, 0), timetable=tt).reason == "lesson_time"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 10, 19), "Herfstvakantie"),
        (date(2026, 10, 23), "Herfstvakantie"),
        (date(2026, 12, 21), "Kerstvakantie"),
        (date(2027, 1, 1), "Nieuwjaarsdag"),
    ],
)
def test_vacation_midden(day: date, name: str) -> None:
    verdict = judge(at(day, 10, 0))
    assert verdict.reason == "day_off"
    assert name in verdict.message


def test_day_after_autumn_break_is_a_school_day() -> None:
    assert judge(at(date(2026, 10, 26), 10, 0)).reason == "lesson_time"


def test_region_matters() -> None:
    # Autumn break 2026 (holidays package): Noord from 10 Oct, Midden and Zuid from 17 Oct.
    noord = make_timetable(days_off={"region": "Noord"})
    assert judge(at(date(2026, 10, 12), 10, 0), timetable=noord).reason == "day_off"
    assert judge(at(date(2026, 10, 12), 10, 0)).reason == "lesson_time"
    assert judge(at(date(2026, 10, 19), 10, 0), timetable=noord).reason == "lesson_time"


def test_extra_study_day() -> None:
    tt = make_timetable(
        days_off={"extra": ["2026-11-27", {"date": "2026-11-30", "name": "Studiedag"}]}
    )
    first = judge(at(date(2026, 11, 27), 10, 0), timetable=tt)
    assert first.reason == "day_off"
    assert "vrije dag" in first.message
    assert "Studiedag" in judge(at(date(2026, 11, 30), 10, 0), timetable=tt).message
    assert judge(at(date(2026, 11, 27), 10, 0)).reason == "lesson_time"


def test_vacation_moved() -> None:
    tt = make_timetable(
        days_off={
            "school_days": [{"from": "2026-10-19", "to": "2026-10-23"}],
            "extra": [{"from": "2026-10-26", "to": "2026-10-30", "name": "Herfstvakantie"}],
        }
    )
    assert judge(at(date(2026, 10, 20), 10, 0), timetable=tt).reason == "lesson_time"
    moved = judge(at(date(2026, 10, 28), 10, 0), timetable=tt)
    assert moved.reason == "day_off"
    assert "Herfstvakantie" in moved.message
    # the weekend inside the package's vacation stays a weekend
    assert judge(at(date(2026, 10, 24), 10, 0), timetable=tt).reason == "not_school_day"


def test_saturday_make_up_day() -> None:
    tt = make_timetable(days_off={"school_days": ["2026-06-13"]})
    assert judge(at(date(2026, 6, 13), 10, 0), timetable=tt).reason == "lesson_time"
    assert judge(at(date(2026, 6, 13), 16, 0), timetable=tt).reason == "outside_school_hours"
    assert judge(at(date(2026, 6, 20), 10, 0), timetable=tt).reason == "not_school_day"


GOOD_FRIDAY = date(2026, 4, 3)


def test_goede_vrijdag_observed_by_default() -> None:
    verdict = judge(at(GOOD_FRIDAY, 10, 0))
    assert verdict.reason == "day_off"
    assert "Goede vrijdag" in verdict.message


@pytest.mark.parametrize("spec", ["Goede Vrijdag", "Good Friday", "goede vrijdag", "2026-04-03"])
def test_goede_vrijdag_not_observed(spec: str) -> None:
    tt = make_timetable(days_off={"not_observed": [spec]})
    assert judge(at(GOOD_FRIDAY, 10, 0), timetable=tt).reason == "lesson_time"
    # other holidays stay
    assert judge(at(date(2026, 5, 14), 10, 0), timetable=tt).reason == "day_off"


# -- time zones and DST -----------------------------------------------------------------------


def test_utc_moment_in_summer_time() -> None:
    # CEST = UTC+2
    assert judge(datetime(2026, 6, 9, 6, 29, tzinfo=UTC)).reason == "outside_school_hours"
    assert judge(datetime(2026, 6, 9, 6, 30, tzinfo=UTC)).reason == "lesson_time"
    assert judge(datetime(2026, 6, 9, 10, 15, tzinfo=UTC)).reason == "lunch_break"
    assert judge(datetime(2026, 6, 9, 10, 45, tzinfo=UTC)).reason == "lesson_time"
    assert judge(datetime(2026, 6, 9, 14, 0, tzinfo=UTC)).reason == "outside_school_hours"
    verdict = judge(datetime(2026, 6, 9, 8, 0, tzinfo=UTC))
    assert verdict.next_allowed_at == datetime(2026, 6, 9, 10, 15, tzinfo=UTC)
    assert "(10:00)" in verdict.message


def test_utc_moment_in_winter_time() -> None:
    # CET = UTC+1; Tuesday 2026-11-10
    assert judge(datetime(2026, 11, 10, 7, 29, tzinfo=UTC)).reason == "outside_school_hours"
    assert judge(datetime(2026, 11, 10, 7, 30, tzinfo=UTC)).reason == "lesson_time"
    assert judge(datetime(2026, 11, 10, 11, 15, tzinfo=UTC)).reason == "lunch_break"
    assert judge(datetime(2026, 11, 10, 11, 45, tzinfo=UTC)).reason == "lesson_time"
    assert judge(datetime(2026, 11, 10, 14, 59, tzinfo=UTC)).reason == "lesson_time"
    assert judge(datetime(2026, 11, 10, 15, 0, tzinfo=UTC)).reason == "outside_school_hours"


def test_other_offset_is_converted() -> None:
    new_york = ZoneInfo("America/New_York")
    # 04:15 in New York (EDT, UTC-4) = 10:15 in Amsterdam (CEST)
    verdict = judge(datetime(2026, 6, 9, 4, 15, tzinfo=new_york))
    assert verdict.reason == "lesson_time"
    assert "(10:15)" in verdict.message


def test_spring_forward_sunday_and_around() -> None:
    # 2026-03-29: 02:00 CET -> 03:00 CEST
    assert judge(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)).reason == "not_school_day"
    assert judge(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).reason == "not_school_day"
    # Friday before: CET
    friday = judge(datetime(2026, 3, 27, 7, 30, tzinfo=UTC))
    assert friday.reason == "lesson_time"
    assert friday.next_allowed_at is not None
    assert friday.next_allowed_at.utcoffset() == timedelta(hours=1)
    assert friday.next_allowed_at == datetime(2026, 3, 27, 11, 15, tzinfo=UTC)
    # Monday after: CEST
    assert judge(datetime(2026, 3, 30, 6, 29, tzinfo=UTC)).reason == "outside_school_hours"
    monday = judge(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))
    assert monday.reason == "lesson_time"
    assert monday.next_allowed_at is not None
    assert monday.next_allowed_at.utcoffset() == timedelta(hours=2)
    assert monday.next_allowed_at == datetime(2026, 3, 30, 10, 15, tzinfo=UTC)


def test_fall_back_sunday_and_around() -> None:
    # 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 local happens twice
    for utc_hour in (0, 1):
        assert judge(datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC)).reason == "not_school_day"
    ambiguous = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMS)
    assert judge(ambiguous).reason == "not_school_day"
    monday = date(2026, 10, 26)  # first day after the Midden autumn break, CET
    assert judge(datetime(2026, 10, 26, 7, 29, tzinfo=UTC)).reason == "outside_school_hours"
    verdict = judge(datetime(2026, 10, 26, 7, 30, tzinfo=UTC))
    assert verdict.reason == "lesson_time"
    assert verdict.next_allowed_at == at(monday, 12, 15)
    assert verdict.next_allowed_at is not None
    assert verdict.next_allowed_at.utcoffset() == timedelta(hours=1)


# -- per-role lunch breaks --------------------------------------------------------------------

ROLE_TT = make_timetable(
    lunch_breaks={
        "by_role": [
            {"role": "Klas 1-2", "start": "12:00", "end": "12:30"},
            {"role": "Klas 3-6", "start": "12:30", "end": "13:00"},
            {"role": 700000000000000001, "start": "11:00", "end": "11:30"},
        ]
    }
)
JUNIOR = Author(member_id=11, roles=((601, "klas 1-2"),))  # names match case-insensitively
SENIOR = Author(member_id=12, roles=((602, "Klas 3-6"),))
BOTH = Author(member_id=13, roles=((601, "Klas 1-2"), (602, "Klas 3-6")))
BY_ID = Author(member_id=14, roles=((700000000000000001, "renamed"),))


@pytest.mark.parametrize(
    ("author", "hh", "mm", "reason"),
    [
        (JUNIOR, 11, 59, "lesson_time"),
        (JUNIOR, 12, 0, "lunch_break"),
        (JUNIOR, 12, 29, "lunch_break"),
        (JUNIOR, 12, 30, "lesson_time"),
        (SENIOR, 12, 15, "lesson_time"),
        (SENIOR, 12, 30, "lunch_break"),
        (SENIOR, 13, 0, "lesson_time"),
        (BOTH, 12, 0, "lunch_break"),
        (BOTH, 12, 45, "lunch_break"),
        (BOTH, 13, 0, "lesson_time"),
        (STUDENT, 12, 10, "lesson_time"),
        (STUDENT, 12, 15, "lunch_break"),
        (STUDENT, 12, 45, "lesson_time"),
        (BY_ID, 11, 0, "lunch_break"),
        (BY_ID, 12, 15, "lesson_time"),
    ],
)
def test_role_breaks(author: Author, hh: int, mm: int, reason: str) -> None:
    assert judge(at(TUESDAY, hh, mm), author=author, timetable=ROLE_TT).reason == reason


def test_role_break_next_allowed() -> None:
    def next_at(author: Author, hh: int, mm: int) -> datetime | None:
        return judge(at(TUESDAY, hh, mm), author=author, timetable=ROLE_TT).next_allowed_at

    assert next_at(SENIOR, 12, 15) == at(TUESDAY, 12, 30)
    assert next_at(JUNIOR, 12, 30) == at(TUESDAY, 16, 0)
    assert next_at(BOTH, 10, 0) == at(TUESDAY, 12, 0)
    assert next_at(BY_ID, 10, 0) == at(TUESDAY, 11, 0)


def test_lunch_message_names_end() -> None:
    assert "12:30" in judge(at(TUESDAY, 12, 10), author=JUNIOR, timetable=ROLE_TT).message


def test_touching_breaks_of_two_roles_are_one_break_told_to_its_end() -> None:
    """Klas 1-2 (12:00-12:30) and Klas 3-6 (12:30-13:00): one break until 13:00, not 12:30."""
    assert ROLE_TT.breaks_for(BOTH) == (Interval(time(12, 0), time(13, 0)),)
    verdict = judge(at(TUESDAY, 12, 10), author=BOTH, timetable=ROLE_TT)
    assert verdict.message == "Het is nu middagpauze (tot 13:00)."


def test_break_past_the_end_of_a_short_day_says_school_is_out_then() -> None:
    """A Wednesday that ends at 12:30 inside the 12:15-12:45 break: no "tot 12:45" (that
    would suggest posting stops then, while school is out from 12:30)."""
    short = make_timetable(
        hours={
            "default": {"start": "08:30", "end": "16:00"},
            "wednesday": {"start": "08:30", "end": "12:30"},
        }
    )
    wednesday = judge(at(WEDNESDAY, 12, 20), timetable=short)
    assert (wednesday.reason, wednesday.message) == (
        "lunch_break",
        "Het is nu middagpauze; om 12:30 is de school uit.",
    )
    assert judge(at(TUESDAY, 12, 20), timetable=short).message == (
        "Het is nu middagpauze (tot 12:45)."
    )
    assert judge(at(WEDNESDAY, 12, 30), timetable=short).reason == "outside_school_hours"


# -- which channels -----------------------------------------------------------------------------


def thread_in(parent: ChannelInfo, name: str = "draadje") -> ChannelInfo:
    return ChannelInfo(
        id=999,
        name=name,
        category_id=parent.category_id,
        category_name=parent.category_name,
        parent=parent,
    )


def test_listed_channel_by_name_and_id() -> None:
    assert is_watched(ALGEMEEN, SCOPE)
    assert is_watched(ChannelInfo(900000000000000001, "hernoemd", None, None), SCOPE)
    assert is_watched(ChannelInfo(105, "MEMES", None, None), SCOPE)
    assert not is_watched(OTHER, SCOPE)
    assert judge(at(TUESDAY, 10, 0), channel=OTHER).reason == "not_watched"


def test_channel_in_watched_category() -> None:
    assert is_watched(IN_CATEGORY, SCOPE)
    assert judge(at(TUESDAY, 10, 0), channel=IN_CATEGORY).reason == "lesson_time"
    by_id = Scope.from_refs(social_categories=[200])
    assert is_watched(IN_CATEGORY, by_id)
    assert not is_watched(ALGEMEEN, by_id)


def test_exempt_lesson_channel_inside_watched_category() -> None:
    assert not is_watched(LESSON, SCOPE)
    verdict = judge(at(TUESDAY, 10, 0), channel=LESSON)
    assert verdict.allowed
    assert verdict.reason == "not_watched"


def test_threads_follow_parent() -> None:
    assert judge(at(TUESDAY, 10, 0), channel=thread_in(ALGEMEEN)).reason == "lesson_time"
    assert judge(at(TUESDAY, 10, 0), channel=thread_in(IN_CATEGORY)).reason == "lesson_time"
    # a thread called "memes" inside a lesson channel is part of the lesson channel
    assert judge(at(TUESDAY, 10, 0), channel=thread_in(LESSON, "memes")).reason == "not_watched"
    assert judge(at(TUESDAY, 10, 0), channel=thread_in(OTHER, "memes")).reason == "not_watched"


def test_empty_scope_watches_nothing() -> None:
    scope = SchoolTimeConfig().to_scope()
    assert judge(at(TUESDAY, 10, 0), scope=scope).reason == "not_watched"


def test_staff_exempt() -> None:
    teacher = Author(member_id=3, roles=((501, "Leerling"), (502, "docent")))
    by_id = Author(member_id=4, roles=((800000000000000001, "Mentor"),))
    for author in (teacher, by_id):
        verdict = judge(at(TUESDAY, 10, 0), author=author)
        assert verdict.allowed
        assert verdict.reason == "staff"


def test_a_post_addressed_to_the_bot_is_school_use() -> None:
    moment = at(TUESDAY, 10, 0)
    assert not judge(moment).allowed
    verdict = judge_post(moment, STUDENT, ALGEMEEN, (), TT, SCOPE, to_the_bot=True)
    assert verdict.allowed and verdict.reason == "to_the_bot"
    # An unwatched channel keeps its own reason.
    assert judge_post(moment, STUDENT, OTHER, (), TT, SCOPE, to_the_bot=True).reason == (
        "not_watched"
    )


# -- permission grants ------------------------------------------------------------------------


def grant(
    scope: str,
    target: int,
    start: datetime,
    minutes: int = 50,
    grant_id: int = 7,
) -> PermissionGrant:
    return PermissionGrant(
        id=grant_id,
        scope=scope,  # type: ignore[arg-type]
        target_id=target,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        granted_by=99,
        reason="project",
    )


def test_member_grant_half_open() -> None:
    g = grant("member", STUDENT.member_id, at(TUESDAY, 10, 0))
    assert judge(at(TUESDAY, 9, 59), grants=(g,)).reason == "lesson_time"
    inside = judge(at(TUESDAY, 10, 0), grants=(g,))
    assert inside.allowed
    assert inside.reason == "permission"
    assert inside.grant_id == 7
    assert "10:50" in inside.message
    assert judge(at(TUESDAY, 10, 49), grants=(g,)).reason == "permission"
    expired = judge(at(TUESDAY, 10, 50), grants=(g,))
    assert expired.reason == "lesson_time"
    assert expired.grant_id is None
    assert judge(at(TUESDAY, 10, 0), author=OTHER_STUDENT, grants=(g,)).reason == "lesson_time"


def test_role_grant() -> None:
    g = grant("role", 601, at(TUESDAY, 10, 0))
    assert judge(at(TUESDAY, 10, 10), author=JUNIOR, grants=(g,)).reason == "permission"
    assert judge(at(TUESDAY, 10, 10), author=SENIOR, grants=(g,)).reason == "lesson_time"


def test_channel_grant_covers_threads_not_other_channels() -> None:
    g = grant("channel", ALGEMEEN.id, at(TUESDAY, 10, 0))
    assert judge(at(TUESDAY, 10, 10), grants=(g,)).reason == "permission"
    assert judge(at(TUESDAY, 10, 10), channel=thread_in(ALGEMEEN), grants=(g,)).reason == (
        "permission"
    )
    assert judge(at(TUESDAY, 10, 10), channel=IN_CATEGORY, grants=(g,)).reason == "lesson_time"


def test_category_grant() -> None:
    g = grant("channel", 200, at(TUESDAY, 10, 0))
    assert judge(at(TUESDAY, 10, 10), channel=IN_CATEGORY, grants=(g,)).reason == "permission"


def test_grant_in_utc_and_picks_the_active_one() -> None:
    stale = grant("member", 1, datetime(2026, 6, 9, 6, 0, tzinfo=UTC), grant_id=1)
    active = grant("member", 1, datetime(2026, 6, 9, 8, 0, tzinfo=UTC), grant_id=2)
    verdict = judge(at(TUESDAY, 10, 30), grants=(stale, active))
    assert verdict.reason == "permission"
    assert verdict.grant_id == 2


def test_two_grants_covering_a_student_tell_the_later_end() -> None:
    """Her own grant until 10:20 and her class's until 10:50: she may post until 10:50,
    whichever grant comes first."""
    own = grant("member", STUDENT.member_id, at(TUESDAY, 10, 0), minutes=20, grant_id=1)
    klas = grant("role", 501, at(TUESDAY, 10, 0), minutes=50, grant_id=2)
    for grants in ((own, klas), (klas, own)):
        verdict = judge(at(TUESDAY, 10, 5), grants=grants)
        assert verdict.grant_id == 2 and verdict.until == time(10, 50)
        assert verdict.message == "Je hebt toestemming van je docent tot 10:50."


def test_grant_starting_later_is_next_allowed() -> None:
    later = grant("member", 1, at(TUESDAY, 11, 0))
    other = grant("member", 2, at(TUESDAY, 9, 30))
    verdict = judge(at(TUESDAY, 9, 0), grants=(later, other))
    assert verdict.next_allowed_at == at(TUESDAY, 11, 0)
    assert "11:00." in verdict.message
    # a grant after lunch does not move next_allowed_at past lunch
    after_lunch = grant("member", 1, at(TUESDAY, 14, 0))
    assert judge(at(TUESDAY, 9, 0), grants=(after_lunch,)).next_allowed_at == at(TUESDAY, 12, 15)


def test_grants_not_consumed_when_not_needed() -> None:
    def explode() -> Any:
        raise AssertionError("grants iterated")
        yield  # pragma: no cover

    assert judge(at(TUESDAY, 17, 0), grants=explode()).reason == "outside_school_hours"
    assert judge(at(TUESDAY, 12, 20), grants=explode()).reason == "lunch_break"


def test_naive_grant_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        grant("member", 1, datetime(2026, 6, 9, 10, 0))  # noqa: DTZ001 - naive on purpose


# -- permission_end ---------------------------------------------------------------------------


def test_permission_end_plain() -> None:
    assert permission_end(at(TUESDAY, 10, 0), 50, TT) == at(TUESDAY, 10, 50)


def test_permission_end_capped_at_end_of_school() -> None:
    end = permission_end(at(TUESDAY, 15, 30), 50, TT)
    assert end == at(TUESDAY, 16, 0)
    assert end.tzinfo == AMS
    assert permission_end(at(WEDNESDAY, 12, 30), 50, TT) == at(WEDNESDAY, 13, 0)
    assert permission_end(at(TUESDAY, 7, 0), 24 * 60, TT) == at(TUESDAY, 16, 0)


def test_permission_end_without_school_time_left_is_empty() -> None:
    # After school, on a weekend or on a day off there is nothing to grant: end == start.
    for start in (
        at(TUESDAY, 16, 0),
        at(TUESDAY, 16, 30),
        at(date(2026, 6, 13), 10, 0),
        at(date(2026, 5, 14), 10, 0),
    ):
        assert permission_end(start, 50, TT) == start


def test_permission_end_utc_input_and_dst() -> None:
    # Monday after spring-forward: 15:30 CEST = 13:30 UTC; school ends 16:00 CEST = 14:00 UTC
    end = permission_end(datetime(2026, 3, 30, 13, 30, tzinfo=UTC), 50, TT)
    assert end == datetime(2026, 3, 30, 14, 0, tzinfo=UTC)
    assert end.utcoffset() == timedelta(hours=2)
    # Across the clock change itself the minutes are real elapsed minutes (a school that is
    # open all Sunday, to have a school day with a clock change).
    always = Timetable(
        tz=AMS,
        school_days=frozenset(range(7)),
        hours={i: Interval(time(0, 0), time(23, 59)) for i in range(7)},
        lunch_default=Interval(time(12, 15), time(12, 45)),
    )
    sunday = permission_end(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 120, always)
    assert sunday == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert (sunday.hour, sunday.minute) == (4, 30)  # 01:30 CET + 2 h = 04:30 CEST
    autumn = permission_end(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 120, always)
    assert autumn == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert (autumn.hour, autumn.minute) == (3, 30)  # 02:30 CEST + 2 h = 03:30 CET


def test_permission_end_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        permission_end(datetime(2026, 6, 9, 10, 0), 50, TT)  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValueError, match="positive"):
        permission_end(at(TUESDAY, 10, 0), 0, TT)


# -- plain data -------------------------------------------------------------------------------


def test_interval_rejects_empty() -> None:
    with pytest.raises(ValueError, match="after start"):
        Interval(time(12, 0), time(12, 0))
    assert time(12, 0) in Interval(time(12, 0), time(12, 30))
    assert time(12, 30) not in Interval(time(12, 0), time(12, 30))


def test_timetable_needs_hours_for_school_days() -> None:
    with pytest.raises(ValueError, match="vrijdag"):
        Timetable(
            tz=AMS,
            school_days=frozenset(range(5)),
            hours={i: Interval(time(8, 30), time(16, 0)) for i in range(4)},
            lunch_default=Interval(time(12, 15), time(12, 45)),
        )


def test_timetable_helpers() -> None:
    assert TT.school_hours(TUESDAY) == Interval(time(8, 30), time(16, 0))
    assert TT.school_hours(WEDNESDAY) == Interval(time(8, 30), time(13, 0))
    assert TT.school_hours(date(2026, 6, 13)) is None
    assert TT.school_hours(date(2026, 5, 14)) is None
    assert TT.covers(date(2026, 1, 1))
    assert TT.covers(date(2027, 12, 31))
    assert not TT.covers(date(2028, 1, 1))
    assert not TT.covers(date(2025, 12, 31))


# -- cost -------------------------------------------------------------------------------------


def test_no_action_paths_are_cheap() -> None:
    # Generous bounds (the real cost is ~0.5-3 µs); this guards against accidental heavy work.
    cases = [
        (at(TUESDAY, 10, 0), STUDENT, OTHER),  # not watched
        (at(TUESDAY, 10, 0), Author(3, ((502, "Docent"),)), ALGEMEEN),  # staff
        (at(TUESDAY, 18, 0), STUDENT, ALGEMEEN),  # outside school hours
        (at(date(2026, 6, 13), 10, 0), STUDENT, ALGEMEEN),  # weekend
    ]
    n = 2000
    for moment, author, channel in cases:

        def run(m: datetime = moment, a: Author = author, c: ChannelInfo = channel) -> None:
            judge_post(m, a, c, (), TT, SCOPE)

        seconds = timeit.timeit(run, number=n)
        assert seconds / n < 50e-6


# -- when a grant runs: now or later, never past the end of its school day ----------------------


@pytest.mark.parametrize(
    ("start", "begins", "ends"),
    [
        (None, (24, 10, 15), (24, 11, 5)),
        ("13:30", (24, 13, 30), (24, 14, 20)),
        ("13.30", (24, 13, 30), (24, 14, 20)),
        ("13u30", (24, 13, 30), (24, 14, 20)),
        ("morgen 8:30", (25, 8, 30), (25, 9, 20)),
        ("Tomorrow 8:30", (25, 8, 30), (25, 9, 20)),
        ("di 11:00", (24, 11, 0), (24, 11, 50)),  # today's Tuesday, still ahead
        ("di 9:00", (1, 9, 0), (1, 9, 50)),  # today's has passed: next week's
        ("ma 10:00", (30, 10, 0), (30, 10, 50)),
        ("27-11 15:40", (27, 15, 40), (27, 16, 0)),
        ("2026-12-01 8:30", (1, 8, 30), (1, 9, 20)),
    ],
)
def test_a_grant_runs_from_now_or_from_its_start_within_its_school_day(
    start: str | None, begins: tuple[int, int, int], ends: tuple[int, int, int]
) -> None:
    now = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)  # a Tuesday

    def moment(day: int, hh: int, mm: int) -> datetime:
        return datetime(2026, 11 if day > 20 else 12, day, hh, mm, tzinfo=AMS)

    times = grant_times(now, 50, TT, start)
    assert times.problem is None
    assert (times.starts_at, times.ends_at) == (moment(*begins), moment(*ends))
    assert times.cut_short == (start == "27-11 15:40")


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        ("9:00", "24-11 09:00 is al voorbij."),
        ("za 10:00", "Op 28-11 om 10:00 is er geen schooltijd"),
        ("16:30", "Op 24-11 om 16:30 is er geen schooltijd"),
        ("wo 14:00", "Op 25-11 om 14:00 is er geen schooltijd"),  # a short Wednesday
        ("morgen 7:00", "School begint op 25-11 om 08:30"),  # it would end before school
        ("2027-02-01 10:00", "tot 14 dagen vooruit"),
        ("1-11 10:00", "tot 14 dagen vooruit"),  # 1 November has passed: next year's
        ("25:00", "begrijp ik niet"),
        ("morgen", "begrijp ik niet"),
        ("morgen na de les 9:00", "begrijp ik niet"),
        ("30-02 10:00", "begrijp ik niet"),
    ],
)
def test_a_start_that_cannot_be_is_said_in_one_line(start: str, problem: str) -> None:
    times = grant_times(datetime(2026, 11, 24, 10, 15, tzinfo=AMS), 50, TT, start)
    assert times.problem is not None and problem in times.problem
    assert "\n" not in times.problem


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 24, 10, 15, tzinfo=AMS),
        datetime(2027, 3, 2, 9, 0, tzinfo=AMS),  # long after any fixed example date
        datetime(2027, 12, 17, 9, 0, tzinfo=AMS),  # the Christmas holiday follows
    ],
)
def test_the_start_forms_example_is_a_coming_school_day_that_works(now: datetime) -> None:
    """A teacher who copies the dated example from "begrijp ik niet" gets a grant, never
    "is al voorbij": the example is built from the clock passed in, not fixed."""
    problem = grant_times(now, 50, TT, "straks").problem
    assert problem is not None and " / Start time 'straks' not understood: " in problem
    dated = re.search(r"of (\d{4}-\d\d-\d\d 10:00)\. /", problem)
    assert dated is not None, problem
    times = grant_times(now, 50, TT, dated[1])
    assert times.problem is None and times.starts_at.date() > now.date()


@pytest.mark.parametrize(
    ("now", "problem"),
    [
        (datetime(2026, 11, 28, 10, 0, tzinfo=AMS), "Vandaag is er geen schooltijd (weekend"),
        (datetime(2026, 12, 24, 10, 0, tzinfo=AMS), "Vandaag is er geen schooltijd (weekend"),
        (datetime(2026, 11, 24, 16, 5, tzinfo=AMS), "Er is vandaag geen schooltijd meer over"),
    ],
)
def test_a_grant_now_on_a_day_without_school_says_so(now: datetime, problem: str) -> None:
    """A Saturday or a holiday has no school time at all; a school day after hours has none
    left: each is said in its own words."""
    times = grant_times(now, 20, TT)
    assert times.problem is not None and times.problem.startswith(problem)


def test_a_grant_starting_later_is_not_active_before_its_start() -> None:
    times = grant_times(datetime(2026, 11, 24, 10, 15, tzinfo=AMS), 30, TT, "13:30")
    grant = PermissionGrant(1, "member", 5, times.starts_at, times.ends_at, granted_by=9)
    anna, chat = Author(member_id=5), ChannelInfo(id=1, name="algemeen")
    before = judge_post(datetime(2026, 11, 24, 10, 20, tzinfo=AMS), anna, chat, [grant], TT, SCOPE)
    assert not before.allowed and "Je mag weer vanaf 12:15" in before.message
    during = judge_post(datetime(2026, 11, 24, 13, 40, tzinfo=AMS), anna, chat, [grant], TT, SCOPE)
    assert during.allowed and during.reason == "permission"


# -- a grant's duration as typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("20", 20),
        (" 20 ", 20),
        ("20min", 20),
        ("20 min", 20),
        ("20m", 20),
        ("20 minuten", 20),
        ("1 minuut", 1),
        ("90 minutes", 90),
        ("1u", 60),
        ("1 uur", 60),
        ("2 uren", 120),
        ("1h", 60),
        ("1,5 uur", 90),
        ("1.5 hours", 90),
        ("-5", -5),  # a number: `grant_minutes` says why it cannot be
        ("1.5", None),  # no whole number of minutes
        ("1,01 uur", None),
        ("20 dagen", None),
        ("projectwerk", None),
        ("", None),
    ],
)
def test_a_duration_is_read_in_minutes_or_hours(typed: str, minutes: int | None) -> None:
    assert duration_minutes(typed) == minutes


@pytest.mark.parametrize(
    ("words", "duration", "rest"),
    [
        ("20 projectwerk", "20", "projectwerk"),
        ("20min projectwerk", "20min", "projectwerk"),
        ("20 min projectwerk", "20 min", "projectwerk"),
        ("1 uur", "1 uur", ""),
        ("1.5 vanaf 13:30", "1.5", "vanaf 13:30"),  # refused later, not taken as a reason
        ("vanaf 13:30 20", None, "vanaf 13:30 20"),
        ("projectwerk 20 min", None, "projectwerk 20 min"),
        ("", None, ""),
    ],
)
def test_typed_words_may_start_with_a_duration(words: str, duration: str | None, rest: str) -> None:
    assert split_duration(words.split()) == (duration, rest.split())


def test_a_reason_that_is_only_a_duration_is_the_duration_or_refused() -> None:
    assert duration_and_reason(None, "20 min", 50) == (20, None)
    assert duration_and_reason(None, "20", 50) == (20, None)
    assert duration_and_reason("1u", "projectwerk", 50) == (60, "projectwerk")
    assert duration_and_reason(None, "20 minuten projectwerk", 50) == (50, "20 minuten projectwerk")
    assert duration_and_reason(None, None, 50) == (50, None)
    refused = duration_and_reason(20, "30", 50)
    assert isinstance(refused, str) and refused.startswith("De reden '30' is een duur")
    assert "\n" not in refused
    refused = duration_and_reason("20 dagen", None, 50)
    assert isinstance(refused, str) and refused.startswith("“20 dagen” is geen aantal minuten")


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("1u30", 90), ("1:30", 90), ("1 uur 30", 90), ("1h30m", 90), ("0u45", 45)],
)
def test_hours_and_minutes_together_are_a_duration(typed: str, minutes: int) -> None:
    """A reviewer: "1u30" and "1:30" fell through to the reason and gave the default 50."""
    assert duration_minutes(typed) == minutes
    assert duration_and_reason(None, typed, 50) == (minutes, None)


def test_a_huge_number_of_minutes_is_one_short_refusal() -> None:
    """Past Python's 4,300 digits no int is made (a traceback in the console before), and the
    refusal quotes at most 40 characters of what was typed."""
    refusal = grant_minutes("9" * 4400 + " uur", 50)
    assert isinstance(refusal, str) and "geen aantal minuten" in refusal and len(refusal) < 400
