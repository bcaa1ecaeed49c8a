"""`PostJudge` gives `judge_post`'s verdicts: `judge_post` (unchanged) is the oracle, asked
about many generated moments across two school years with every kind of author, channel and
grant, in zones with summer time and with half-hour offsets."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from compass_bot.features.schooltime.rules import (
    Author,
    ChannelInfo,
    Interval,
    Scope,
    Timetable,
    judge_post,
)
from compass_bot.features.schooltime.rules_fast import PostJudge
from compass_bot.features.schooltime.rules_grants import PermissionGrant
from tests.test_rules_schooltime import SCOPE, TT

AMS = ZoneInfo("Europe/Amsterdam")
ST_JOHNS = ZoneInfo("America/St_Johns")  # -03:30 with summer time: no whole-hour buckets

ALGEMEEN = ChannelInfo(id=101, name="algemeen")
LESSON = ChannelInfo(id=102, name="wiskunde-3b", category_id=200, category_name="Sociaal")
IN_CATEGORY = ChannelInfo(id=103, name="gamen", category_id=200, category_name="Sociaal")
OTHER = ChannelInfo(id=104, name="huiswerk", category_id=300, category_name="Lessen")
THREAD = ChannelInfo(id=105, name="draadje", parent=IN_CATEGORY)
BY_ID = ChannelInfo(id=900000000000000001, name="anders")
CHANNELS = (ALGEMEEN, LESSON, IN_CATEGORY, OTHER, THREAD, BY_ID)

ROLES: tuple[tuple[tuple[int, str], ...], ...] = (
    (),
    ((501, "Leerling"),),
    ((501, "Leerling"), (502, "Klas 1")),
    ((503, "klas 3"),),
    ((504, "DOCENT"),),
    ((800000000000000001, "iets"),),
    ((502, "Klas 1"), (503, "Klas 3")),
)


def _timetable(tz: ZoneInfo) -> Timetable:
    """Role breaks by id and by name, a day off, a Saturday make-up day."""
    return Timetable(
        tz=tz,
        school_days=frozenset(range(5)),
        hours={d: Interval(time(8, 30), time(16, 0)) for d in range(6)}
        | {2: Interval(time(8, 30), time(13, 0))},
        lunch_default=Interval(time(12, 15), time(12, 45)),
        lunch_by_role=(
            (502, Interval(time(11, 30), time(12, 0))),
            ("klas 3", Interval(time(12, 45), time(13, 15))),
        ),
        days_off=frozenset({date(2026, 10, 26), date(2026, 12, 24), date(2027, 4, 27)}),
        day_off_names={date(2026, 12, 24): "kerstvakantie"},
        extra_school_days=frozenset({date(2026, 11, 7)}),
    )


def _grants(rng: random.Random, around: datetime) -> list[PermissionGrant]:
    grants = []
    for gid in range(rng.randint(0, 4)):
        scope = rng.choice(("member", "role", "channel"))
        target = {
            "member": rng.choice((1, 2)),
            "role": rng.choice((501, 502, 503)),
            "channel": rng.choice((101, 103, 200, 300)),
        }[scope]
        starts = around + timedelta(minutes=rng.randint(-90, 60))
        ends = starts + timedelta(minutes=rng.randint(0, 90))
        grants.append(PermissionGrant(gid + 1, scope, target, starts, ends, 9))  # type: ignore[arg-type]
    return grants


def _moments(rng: random.Random, tz: ZoneInfo, count: int) -> list[datetime]:
    """Random moments over two years, dense school hours, every boundary +-1 us, the summer
    time switches, in UTC, the school's zone and a fixed offset."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    found = []
    for _ in range(count):
        found.append(start + timedelta(seconds=rng.randint(0, 2 * 365 * 86400)))
        day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 730))
        wall = time(rng.randint(7, 17), rng.choice((0, 15, 29, 30, 44, 45, 59)), rng.randint(0, 59))
        found.append(datetime.combine(day, wall, tzinfo=tz))
    for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1)):
        for minutes in range(0, 26 * 60, 7):
            found.append(datetime.combine(day, time(0), tzinfo=tz) + timedelta(minutes=minutes))
    for day in (date(2026, 6, 9), date(2026, 6, 10), date(2026, 11, 7), date(2026, 12, 24)):
        for hh, mm in ((8, 30), (11, 30), (12, 0), (12, 15), (12, 45), (13, 0), (13, 15), (16, 0)):
            edge = datetime.combine(day, time(hh, mm), tzinfo=tz)
            found += [edge - timedelta(microseconds=1), edge, edge + timedelta(microseconds=1)]
    shifted = timezone(timedelta(hours=5, minutes=45))
    return [
        m.astimezone(rng.choice((UTC, tz, shifted))) if rng.random() < 0.5 else m for m in found
    ]


@pytest.mark.parametrize(
    ("timetable", "seed"), [(TT, 1), (_timetable(AMS), 2), (_timetable(ST_JOHNS), 3)]
)
def test_the_same_verdict_as_judge_post(timetable: Timetable, seed: int) -> None:
    rng = random.Random(seed)
    fast = PostJudge(timetable, SCOPE)
    reasons: set[str] = set()
    for moment in _moments(rng, timetable.tz, 1500):
        grants = _grants(rng, moment)
        for _ in range(3):
            roles = rng.choice(ROLES)
            member_id = rng.choice((1, 2, 3))
            channel = rng.choice(CHANNELS)
            to_the_bot = rng.random() < 0.05
            author = Author(member_id=member_id, roles=roles)
            expected = judge_post(
                moment, author, channel, grants, timetable, SCOPE, to_the_bot=to_the_bot
            )
            got = fast.judge(moment, member_id, roles, channel, grants, to_the_bot=to_the_bot)
            assert got == expected, (moment, roles, channel, grants)
            reasons.add(got.reason)
    assert reasons == {
        "not_watched",
        "staff",
        "to_the_bot",
        "not_school_day",
        "day_off",
        "outside_school_hours",
        "lunch_break",
        "permission",
        "lesson_time",
    }


def test_a_naive_moment_is_refused_as_judge_post_refuses_it() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PostJudge(TT, SCOPE).judge(datetime(2026, 6, 9, 10, 0), 1, (), OTHER, [])  # noqa: DTZ001


def test_times_with_microseconds_are_judged_by_judge_post() -> None:
    odd = Interval(time(12, 15, 0, 500), time(12, 45))
    timetable = Timetable(
        tz=AMS,
        school_days=frozenset(range(5)),
        hours={d: Interval(time(8, 30), time(16, 0)) for d in range(5)},
        lunch_default=odd,
    )
    fast = PostJudge(timetable, SCOPE)
    edge = datetime(2026, 6, 9, 12, 15, tzinfo=AMS)
    for moment in (edge, edge + timedelta(microseconds=499), edge + timedelta(microseconds=500)):
        expected = judge_post(moment, Author(1), ALGEMEEN, (), timetable, SCOPE)
        assert fast.judge(moment, 1, (), ALGEMEEN, []) == expected
    assert fast.judge(edge + timedelta(microseconds=500), 1, (), ALGEMEEN, []).reason == (
        "lunch_break"
    )


def test_a_scope_object_is_one_scope() -> None:
    """The judge keeps per channel object whether it is watched; another scope is another
    judge (the service builds a new one when its config section is replaced)."""
    watched = PostJudge(TT, SCOPE)
    none = PostJudge(TT, Scope())
    moment = datetime(2026, 6, 9, 10, 0, tzinfo=AMS)
    assert watched.judge(moment, 1, (), ALGEMEEN, []).reason == "lesson_time"
    assert none.judge(moment, 1, (), ALGEMEEN, []).reason == "not_watched"


def test_a_member_whose_roles_change_is_asked_about_with_the_new_roles() -> None:
    """The judge keeps one `Author` per member id for the grants; a member who gets or loses
    a role is judged by the roles of the post, not by those seen first."""
    fast = PostJudge(TT, SCOPE)
    lesson = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)  # 10:15 in Amsterdam: a lesson
    grant = PermissionGrant(
        1, "role", 502, lesson - timedelta(minutes=5), lesson + timedelta(hours=1), 9
    )
    plain, in_class = ((501, "Leerling"),), ((501, "Leerling"), (502, "Klas 1"))
    for roles, reason in [(plain, "lesson_time"), (in_class, "permission"), (plain, "lesson_time")]:
        got = fast.judge(lesson, 7, roles, ALGEMEEN, [grant])
        expected = judge_post(
            lesson, Author(member_id=7, roles=roles), ALGEMEEN, [grant], TT, SCOPE
        )
        assert got == expected and got.reason == reason, (roles, got)


def test_a_second_grant_that_runs_longer_is_told_after_the_first_was_kept() -> None:
    """The judge keeps a grant's verdict; once a longer grant covers the student too, the
    later end is told, as `judge_post` tells it."""
    fast = PostJudge(TT, SCOPE)
    lesson = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam: a lesson
    own = PermissionGrant(1, "member", 7, lesson, lesson + timedelta(minutes=20), 9)
    klas = PermissionGrant(2, "role", 501, lesson, lesson + timedelta(minutes=50), 9)
    roles = ((501, "Leerling"),)
    assert fast.judge(lesson, 7, roles, ALGEMEEN, [own]).until == time(10, 20)
    got = fast.judge(lesson + timedelta(minutes=1), 7, roles, ALGEMEEN, [own, klas])
    assert got.grant_id == 2 and got.until == time(10, 50)
