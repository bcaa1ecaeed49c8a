"""The school-time verdict as every post gets it: `judge_post`'s answers, cheaper.

`judge_post` reads each moment in the school's zone (`astimezone`), folds role and channel
names and walks the scope per call. Every post pays for that, so `PostJudge` keeps what
repeats: the local day per quarter hour of UTC (its weekday, school hours and day off, with
the wall-clock seconds of the day as the moment minus a per-quarter base), whether a
channel is watched, and per roles tuple whether it is staff and which breaks apply. Anything
it does not cover (a breach, a quarter hour with a zone change or midnight inside, times
with microseconds) goes to `judge_post` itself, so the answers are the same by construction
and by test (tests/test_rules_schooltime_fast.py compares them over a year of moments).

Pure like `rules.py`: the time is a parameter, no discord, no store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Final

from compass_bot.features.schooltime.rules import (
    _NOT_WATCHED,
    _STAFF,
    _TO_THE_BOT,
    Author,
    ChannelInfo,
    Scope,
    Timetable,
    TimeVerdict,
    _require_aware,
    is_staff,
    is_watched,
    judge_post,
)
from compass_bot.features.schooltime.rules_grants import PermissionGrant

QUARTER: Final = 900  # seconds: every zone's offset and midnight fall on a quarter hour
_KEPT: Final = 4096  # entries per memo before it starts over (bounded memory)

Role = tuple[int, str]
# A local day: None when there is school (hours in seconds), else the verdict of the day.
_Day = tuple[float, float, float, int, TimeVerdict | None]  # lo, hi, base, weekday, closed
# A break of an author's roles: its start and end (seconds of the day) and its verdict per
# weekday, looked up once per roles (not per post: an `Interval` key hashes its fields on
# every lookup).
_Break = tuple[int, int, tuple[TimeVerdict, ...]]


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class PostJudge:
    """`judge_post` for one timetable and scope, with what repeats from post to post kept."""

    __slots__ = (
        "_authors",
        "_channels",
        "_days",
        "_exact",
        "_granted",
        "_members",
        "scope",
        "timetable",
    )

    def __init__(self, timetable: Timetable, scope: Scope) -> None:
        self.timetable = timetable
        self.scope = scope
        times = [timetable.lunch_default.start, timetable.lunch_default.end]
        times += [t for _, i in timetable.lunch_by_role for t in (i.start, i.end)]
        times += [t for i in timetable.hours.values() for t in (i.start, i.end)]
        # Whole seconds keep the float arithmetic exact at every boundary.
        self._exact = all(t.microsecond == 0 for t in times)
        self._days: dict[int, _Day | None] = {}
        self._channels: dict[int, tuple[ChannelInfo, bool]] = {}
        self._authors: dict[tuple[Role, ...], tuple[bool, tuple[_Break, ...]]] = {}
        self._granted: dict[int, tuple[PermissionGrant, TimeVerdict]] = {}
        # per member id, the `Author` the grants are asked about (as of its roles): every post
        # while a grant runs asks, and building one costs more than the rest of the verdict
        self._members: dict[int, Author] = {}

    def judge(
        self,
        moment: datetime,
        member_id: int,
        roles: tuple[Role, ...],
        channel: ChannelInfo,
        grants: Sequence[PermissionGrant],
        *,
        to_the_bot: bool = False,
    ) -> TimeVerdict:
        """The verdict `judge_post` gives for this post (same arguments, the author split)."""
        if moment.tzinfo is not UTC:
            _require_aware(moment, "moment")
        seen = self._channels.get(id(channel))
        if not (seen[1] if seen is not None and seen[0] is channel else self.watched(channel)):
            return _NOT_WATCHED
        if to_the_bot:
            return _TO_THE_BOT
        known = self._authors.get(roles)
        if known is None:
            known = self._author(roles)
        staff, breaks = known
        if staff:
            return _STAFF
        ts = moment.timestamp()
        bucket = int(ts // QUARTER)
        try:
            day = self._days[bucket]
        except KeyError:
            day = self._day(bucket)
        if day is None or not self._exact:
            return self._slow(moment, member_id, roles, channel, grants)
        start, end, base, weekday, closed = day
        if closed is not None:
            return closed
        now = ts - base
        if not start <= now < end:
            return self.timetable._outside[weekday]
        for brk_start, brk_end, lunch in breaks:
            if brk_start <= now < brk_end:
                return lunch[weekday]
        if grants:
            author = self._members.get(member_id)
            if author is None or (author.roles is not roles and author.roles != roles):
                author = Author(member_id=member_id, roles=roles)
                if len(self._members) >= _KEPT:
                    self._members.clear()
                self._members[member_id] = author
            covering: PermissionGrant | None = None  # as `judge_post`: the longest-running
            for grant in grants:
                if (
                    grant.starts_at <= moment < grant.ends_at
                    and (covering is None or grant.ends_at > covering.ends_at)
                    and grant.applies_to(author, channel)
                ):
                    covering = grant
            if covering is not None:
                kept = self._granted.get(id(covering))
                if kept is not None and kept[0] is covering:
                    return kept[1]
                verdict = self._slow(moment, member_id, roles, channel, grants)
                if verdict.grant_id == covering.id:
                    if len(self._granted) >= _KEPT:
                        self._granted.clear()
                    self._granted[id(covering)] = (covering, verdict)
                return verdict
        return self._slow(moment, member_id, roles, channel, grants)

    def watched(self, channel: ChannelInfo) -> bool:
        """`is_watched(channel, scope)`, kept per channel object (the front end keeps one per
        channel as it is, so a renamed or moved channel is another object)."""
        seen = self._channels.get(id(channel))
        if seen is not None and seen[0] is channel:
            return seen[1]
        watched = is_watched(channel, self.scope)
        if len(self._channels) >= _KEPT:
            self._channels.clear()
        self._channels[id(channel)] = (channel, watched)  # kept alive: its id stays its own
        return watched

    def _slow(
        self,
        moment: datetime,
        member_id: int,
        roles: tuple[Role, ...],
        channel: ChannelInfo,
        grants: Sequence[PermissionGrant],
    ) -> TimeVerdict:
        """`judge_post` itself: a breach builds its message, which repeats nothing."""
        author = Author(member_id=member_id, roles=roles)
        return judge_post(moment, author, channel, grants, self.timetable, self.scope)

    def _author(self, roles: tuple[Role, ...]) -> tuple[bool, tuple[_Break, ...]]:
        author = Author(member_id=0, roles=roles)
        verdict = self.timetable.lunch_verdict
        breaks = tuple(
            (_seconds(b.start), _seconds(b.end), tuple(verdict(b, day) for day in range(7)))
            for b in self.timetable.breaks_for(author)
        )
        known = (is_staff(author, self.scope), breaks)
        if len(self._authors) >= _KEPT:
            self._authors.clear()
        self._authors[roles] = known
        return known

    def _day(self, bucket: int) -> _Day | None:
        """The local day of one quarter hour of UTC, or None when the zone's offset or the
        local date changes inside it (then `judge_post` reads each moment itself)."""
        tz = self.timetable.tz
        lo = bucket * QUARTER
        first = datetime.fromtimestamp(lo, tz)
        last = datetime.fromtimestamp(lo + QUARTER - 1, tz)
        day: _Day | None = None
        if first.utcoffset() == last.utcoffset() and first.date() == last.date():
            base = lo - (first.hour * 3600 + first.minute * 60 + first.second)
            local = first.date()
            weekday = local.weekday()
            timetable = self.timetable
            closed: TimeVerdict | None = None
            start = end = 0
            if weekday not in timetable.school_days and local not in timetable.extra_school_days:
                closed = timetable._closed[weekday]
            elif (off := timetable._off.get(local)) is not None:
                closed = off
            else:
                hours = timetable.hours[weekday]
                start, end = _seconds(hours.start), _seconds(hours.end)
            day = (start, end, base, weekday, closed)
        if len(self._days) >= _KEPT:
            self._days.clear()
        self._days[bucket] = day
        return day
