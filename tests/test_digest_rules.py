"""The weekly digest's pure rules: which week is due (school-local, DST-safe, vacation weeks
skipped, one week caught up after downtime) and the counts of a week."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from compass_bot.features.digest.rules import (
    AlertFact,
    Facts,
    QuestionFact,
    WeekError,
    compose,
    due_at,
    due_period,
    next_due,
    parse_week,
)
from compass_bot.features.digest.settings import DigestSettings
from compass_bot.features.schooltime.rules import Interval, Timetable

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULT = DigestSettings()


def timetable(days_off: frozenset[date] = frozenset()) -> Timetable:
    hours = Interval(time(8, 30), time(16, 0))
    return Timetable(
        tz=AMS,
        school_days=frozenset(range(5)),
        hours={i: hours for i in range(5)},
        lunch_default=Interval(time(12, 15), time(12, 45)),
        days_off=days_off,
    )


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


def test_due_at_friday_16_local_on_both_sides_of_the_spring_dst_change() -> None:
    tt = timetable()
    before, after = parse_week("2026-W13", tt), parse_week("2026-W14", tt)  # DST on 29 March
    assert due_at(before, DEFAULT).astimezone(UTC) == datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
    assert due_at(after, DEFAULT).astimezone(UTC) == datetime(2026, 4, 3, 14, 0, tzinfo=UTC)
    # One second before 16:00 local the week is not yet due; at 16:00 it is.
    assert due_period(local(2026, 4, 3, 15, 59), tt, DEFAULT) == before
    assert due_period(local(2026, 4, 3, 16, 0), tt, DEFAULT) == after
    assert next_due(local(2026, 3, 27, 16, 0), tt, DEFAULT) == local(2026, 4, 3, 16, 0)


def test_autumn_dst_week_and_a_configured_weekday_and_time() -> None:
    tt = timetable()
    settings = DigestSettings.model_validate({"weekday": "maandag", "time": "08:00"})
    week = parse_week("2026-W44", tt)  # Monday 26 October, the day after the change
    assert due_at(week, settings).astimezone(UTC) == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert due_period(local(2026, 10, 26, 7, 59), tt, settings) == parse_week("2026-W43", tt)
    assert due_period(local(2026, 10, 26, 8, 0), tt, settings) == week
    # The week itself runs Monday 00:00 to Monday 00:00 local: 169 hours that week in autumn.
    assert (week.end - week.start) == timedelta(days=7)
    last = parse_week("2026-W43", tt)
    assert (last.end.astimezone(UTC) - last.start.astimezone(UTC)) == timedelta(hours=169)


def test_a_vacation_week_is_skipped_but_a_week_with_one_day_off_is_not() -> None:
    vacation = frozenset(date(2026, 12, 21) + timedelta(days=i) for i in range(14))
    tt = timetable(vacation | {date(2026, 12, 11)})
    assert due_period(local(2026, 12, 25, 17), tt, DEFAULT) is None
    assert due_period(local(2027, 1, 1, 17), tt, DEFAULT) is None
    assert due_period(local(2026, 12, 11, 17), tt, DEFAULT) == parse_week("2026-W50", tt)
    assert due_period(local(2027, 1, 8, 16), tt, DEFAULT) == parse_week("2027-W01", tt)


def test_after_downtime_only_the_latest_due_week_is_caught_up() -> None:
    tt = timetable()
    # Down from Thursday 5 November to Wednesday 25 November: weeks 45, 46 and 47 fell due.
    due = due_period(local(2026, 11, 25, 9), tt, DEFAULT)
    assert due == parse_week("2026-W47", tt)
    # Until the next Friday 16:00 the same week stays the due one (the run record says posted).
    assert due_period(local(2026, 11, 27, 15, 59), tt, DEFAULT) == due


@pytest.mark.parametrize("text", ["2027-W53", "2026-48", "week 48", "2026-W0", ""])
def test_a_bad_week_is_one_clear_error(text: str) -> None:
    with pytest.raises(WeekError):
        parse_week(text, timetable())


def test_compose_counts_this_week_against_the_same_span_of_last_week() -> None:
    tt = timetable()
    week = parse_week("2026-W14", tt)  # after the spring DST change
    alerts = [
        AlertFact("schooltijd", local(2026, 3, 30, 10, 15)),  # Monday 10:15 CEST
        AlertFact("schooltijd", local(2026, 3, 30, 10, 45), count=3),  # repeats folded in
        AlertFact("schooltijd", local(2026, 4, 2, 14, 5)),
        AlertFact("aanwijzing-6", local(2026, 4, 1, 20, 0)),
        AlertFact("aanwijzing-2", local(2026, 4, 4, 11, 0), about="name"),  # Saturday
        AlertFact("schooltijd", local(2026, 3, 23, 9, 0)),  # last week
        AlertFact("schooltijd", local(2026, 3, 27, 15, 0)),  # last week, Friday afternoon
        AlertFact("aanwijzing-6", local(2026, 3, 29, 0, 30)),  # last week, Sunday night
        AlertFact("schooltijd", local(2026, 4, 6, 9, 0)),  # next week: not counted
    ]
    questions = [
        QuestionFact("helpful", local(2026, 3, 31, 9), "schooltijd"),
        QuestionFact("unhelpful", local(2026, 3, 31, 10), "schooltijd"),
        QuestionFact("helpful", local(2026, 4, 1, 9), "aanwijzing-6"),
        QuestionFact("unanswered", local(2026, 4, 1, 11), None, "mag mijn hond op tiktok?"),
        QuestionFact("unanswered", local(2026, 3, 25, 11), None, "vorige week"),
    ]
    approvals = [local(2026, 4, 2, 9), local(2026, 3, 24, 9)]
    full = compose(week, Facts(local(2026, 4, 10, 0), alerts, approvals, questions))
    counts = {r.rule: (r.this_week, r.last_week) for r in full.rules}
    assert counts == {"schooltijd": (5, 2), "aanwijzing-6": (1, 1), "aanwijzing-2": (1, 0)}
    assert full.until == week.end
    hours = full.period.grid_hours
    assert full.period.grid_days == (0, 1, 2, 3, 4) and hours == tuple(range(8, 16))
    assert full.grid[0][hours.index(10)] == 4 and full.grid[3][hours.index(14)] == 1
    assert sum(map(sum, full.grid)) == 5  # only the lesson-time rule makes the grid
    assert [n for _, n in full.per_day] == [4, 0, 1, 1, 0, 1, 0]
    assert (full.names_flagged, full.names_approved) == (1, 1)
    assert [(c.clause_id, c.asked, c.helpful, c.unhelpful) for c in full.top_clauses] == [
        ("schooltijd", 2, 1, 1),
        ("aanwijzing-6", 1, 1, 0),
    ]
    assert full.unanswered == ("mag mijn hond op tiktok?",)

    # Posted on Friday at 16:00: this week so far against last week up to Friday 16:00.
    friday = compose(week, Facts(local(2026, 4, 3, 16, 0), alerts, approvals, questions))
    counts = {r.rule: (r.this_week, r.last_week) for r in friday.rules}
    assert counts == {"schooltijd": (5, 2), "aanwijzing-6": (1, 0)}
    assert json.loads(json.dumps(friday.to_json()))["total"] == {"this_week": 6, "last_week": 2}


def test_a_week_outside_the_bots_years_is_refused_in_one_line() -> None:
    """`0001-W01` has no week before it to compare with; `9999-W52` none after: refused
    before any date arithmetic overflows."""
    from compass_bot.features.digest.rules import WeekError, parse_week

    for text in ("0001-W01", "9999-W52"):
        with pytest.raises(WeekError, match="out of range"):
            parse_week(text, timetable())
