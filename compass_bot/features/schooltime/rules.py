"""Protocol clause `schooltijd`: no private social media during school time.

"Leerlingen van de Compass mogen onder schooltijd (alléén tijdens de middagpauze en na
toestemming van de docent) gebruikmaken van sociale netwerken voor privé gebruik, voor zover
dat niet ten koste gaat van het werk. Sociale netwerken kunnen ook ingezet worden in lessen of
voor school."

In the school's Discord server a student who posts in a social (non-lesson) channel during school
time, outside their lunch break and without a teacher's permission, gets a friendly warning.

This module is the pure verdict: plain data in, a `TimeVerdict` out. No discord import, no clock
reads, no I/O. Everything that costs something (holidays, name folding of config refs) is
precomputed when a `Timetable` / `Scope` is built, so the common "no action needed" paths are a
handful of set lookups.

Every interval is half-open [start, end): at 12:45 a break that ends at 12:45 is over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Final, Literal, Protocol
from zoneinfo import ZoneInfo

from compass_bot.features.schooltime.rules_grants import PermissionGrant
from compass_bot.texts import WEEKDAYS_NL

CLAUSE_ID: Final = "schooltijd"

TimeReason = Literal[
    "not_watched",  # not a social channel (or an exempt lesson/school channel)
    "staff",  # the author has a staff role
    "to_the_bot",  # addressed to the bot (a question): school use, never a breach
    "not_school_day",  # a weekday the school is closed (weekend)
    "day_off",  # holiday / vacation / study day
    "outside_school_hours",  # before school starts or after it ends
    "lunch_break",  # inside one of the author's lunch breaks
    "permission",  # an active teacher's permission grant applies
    "lesson_time",  # NOT allowed
]

RefValue = int | str
"""A channel or role reference as validated config gives it: id (int) or name (str)."""


# --------------------------------------------------------------------------------------------
# Plain data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open stretch of wall-clock time within one day: [start, end)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Interval times are wall-clock times and must not carry a tzinfo")
        if self.end <= self.start:
            raise ValueError(f"end ({self.end:%H:%M}) must be after start ({self.start:%H:%M})")

    def __contains__(self, t: object) -> bool:
        return isinstance(t, time) and self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class RefSet:
    """A set of channel/role references, prepared for cheap matching.

    Ids match exactly, names case-insensitively (same rule as `compass_bot.refs.ref_matches`).
    """

    __slots__ = ("ids", "names")

    def __init__(self, refs: Iterable[RefValue] = ()) -> None:
        ids: set[int] = set()
        names: set[str] = set()
        for ref in refs:
            if isinstance(ref, int):
                ids.add(ref)
            else:
                names.add(ref.casefold())
        self.ids: frozenset[int] = frozenset(ids)
        self.names: frozenset[str] = frozenset(names)

    def matches(self, obj_id: int | None, obj_name: str | None) -> bool:
        if obj_id is not None and obj_id in self.ids:
            return True
        return obj_name is not None and bool(self.names) and obj_name.casefold() in self.names

    def __bool__(self) -> bool:
        return bool(self.ids or self.names)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RefSet) and (self.ids, self.names) == (other.ids, other.names)

    def __hash__(self) -> int:
        return hash((self.ids, self.names))

    def __repr__(self) -> str:
        return f"RefSet(ids={sorted(self.ids)}, names={sorted(self.names)})"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which channels the rule watches and who is exempt. Build once (config load)."""

    social_channels: RefSet = field(default_factory=RefSet)
    social_categories: RefSet = field(default_factory=RefSet)
    exempt_channels: RefSet = field(default_factory=RefSet)
    staff_roles: RefSet = field(default_factory=RefSet)

    @classmethod
    def from_refs(
        cls,
        *,
        social_channels: Iterable[RefValue] = (),
        social_categories: Iterable[RefValue] = (),
        exempt_channels: Iterable[RefValue] = (),
        staff_roles: Iterable[RefValue] = (),
    ) -> Scope:
        return cls(
            social_channels=RefSet(social_channels),
            social_categories=RefSet(social_categories),
            exempt_channels=RefSet(exempt_channels),
            staff_roles=RefSet(staff_roles),
        )


class ScopeSource(Protocol):
    """Anything that gives a `Scope`, e.g. the `school_time:` config section (it caches it)."""

    def to_scope(self) -> Scope: ...


def _as_scope(scope: Scope | ScopeSource) -> Scope:
    return scope if isinstance(scope, Scope) else scope.to_scope()


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """Where a message was posted. For a thread, `parent` is the channel it lives in."""

    id: int
    name: str
    category_id: int | None = None
    category_name: str | None = None
    parent: ChannelInfo | None = None


@dataclass(frozen=True, slots=True)
class Author:
    """Who posted: the member id and their roles as (role id, role name) pairs."""

    member_id: int
    roles: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, eq=False)
class Timetable:
    """The school's week and year as plain, precomputed data. Built by
    `compass_bot.schedule.build_timetable` from config; tests may build one directly.

    - `school_days`: weekdays with school, 0 = Monday ... 6 = Sunday.
    - `hours`: school hours per weekday; must hold every weekday in `school_days` (and the weekday
      of every date in `extra_school_days`).
    - `lunch_by_role`: per year-group role breaks. A student with several of these roles gets all
      their breaks; a student with none of them gets `lunch_default`.
    - `days_off`: dates without school (holidays, vacations, study days); `day_off_names` names
      them (Dutch) for the message.
    - `extra_school_days`: dates that are school days although their weekday is not (a Saturday
      make-up day). Dates in `days_off` always win.
    - `first_year`/`last_year`: the years `days_off` was computed for (None = not limited);
      see `covers`.
    - `notes`: things the builder wants an admin to know (e.g. a year without vacation data).
    """

    tz: ZoneInfo
    school_days: frozenset[int]
    hours: Mapping[int, Interval]
    lunch_default: Interval
    lunch_by_role: tuple[tuple[RefValue, Interval], ...] = ()
    days_off: frozenset[date] = frozenset()
    day_off_names: Mapping[date, str] = field(default_factory=dict)
    extra_school_days: frozenset[date] = frozenset()
    first_year: int | None = None
    last_year: int | None = None
    notes: tuple[str, ...] = ()
    _lunch_by_id: dict[int, tuple[Interval, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _lunch_by_name: dict[str, tuple[Interval, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    # Prebuilt verdicts for the cheap "allowed" paths (filled in __post_init__).
    _closed: dict[int, TimeVerdict] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _off: dict[date, TimeVerdict] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _outside: dict[int, TimeVerdict] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    # per (break, weekday): its end is told unless school ends first (`lunch_verdict`)
    _lunch: dict[tuple[Interval, int], TimeVerdict] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if not self.school_days <= frozenset(range(7)):
            raise ValueError("school_days holds weekday numbers 0 (Monday) .. 6 (Sunday)")
        needed = set(self.school_days) | {d.weekday() for d in self.extra_school_days}
        missing = sorted(needed - set(self.hours))
        if missing:
            raise ValueError("no school hours for " + ", ".join(WEEKDAYS_NL[i] for i in missing))
        by_id: dict[int, list[Interval]] = {}
        by_name: dict[str, list[Interval]] = {}
        for ref, interval in self.lunch_by_role:
            if isinstance(ref, int):
                by_id.setdefault(ref, []).append(interval)
            else:
                by_name.setdefault(ref.casefold(), []).append(interval)
        self._lunch_by_id.update({k: tuple(v) for k, v in by_id.items()})
        self._lunch_by_name.update({k: tuple(v) for k, v in by_name.items()})
        for weekday in range(7):
            what = "weekend" if weekday >= 5 else "geen schooldag"
            self._closed[weekday] = TimeVerdict(
                allowed=True,
                reason="not_school_day",
                message=(
                    f"Het is {WEEKDAYS_NL[weekday]}, {what}: de schooltijdregel geldt nu niet."
                ),
            )
        for weekday, hours in self.hours.items():
            self._outside[weekday] = TimeVerdict(
                allowed=True,
                reason="outside_school_hours",
                message=(
                    f"Het is nu buiten schooltijd; school is op {WEEKDAYS_NL[weekday]} "
                    f"van {hours.start:%H:%M} tot {hours.end:%H:%M}."
                ),
            )
        for day in self.days_off:
            name = self.day_off_names.get(day) or "vrije dag"
            self._off[day] = TimeVerdict(
                allowed=True, reason="day_off", message=f"Vandaag is er geen school ({name})."
            )

    # -- queries (all pure) -------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        """Whether `days_off` was computed for this date's year (rebuild when it is not)."""
        if self.first_year is not None and day.year < self.first_year:
            return False
        return self.last_year is None or day.year <= self.last_year

    def school_hours(self, day: date) -> Interval | None:
        """School hours on this date, or None when there is no school that day."""
        if day in self.days_off:
            return None
        weekday = day.weekday()
        if weekday in self.school_days or day in self.extra_school_days:
            return self.hours[weekday]
        return None

    def breaks_for(self, author: Author) -> tuple[Interval, ...]:
        """The lunch breaks that apply to this author, sorted by start; breaks that overlap
        or touch are one (two year-group roles with 12:00-12:30 and 12:30-13:00: one break
        until 13:00, so its end is told right)."""
        if not self.lunch_by_role:
            return (self.lunch_default,)
        found: list[Interval] = []
        for role_id, role_name in author.roles:
            found.extend(self._lunch_by_id.get(role_id, ()))
            found.extend(self._lunch_by_name.get(role_name.casefold(), ()))
        if not found:
            return (self.lunch_default,)
        merged: list[Interval] = []
        for interval in sorted(set(found), key=lambda i: (i.start, i.end)):
            if merged and interval.start <= merged[-1].end:
                if interval.end > merged[-1].end:
                    merged[-1] = Interval(merged[-1].start, interval.end)
            else:
                merged.append(interval)
        return tuple(merged)

    def lunch_verdict(self, brk: Interval, weekday: int) -> TimeVerdict:
        """The verdict inside this break on this weekday: its end, or that school is out
        then (a short day whose school ends inside the break). Built once per pair."""
        key = (brk, weekday)
        verdict = self._lunch.get(key)
        if verdict is None:
            hours = self.hours.get(weekday)
            if hours is not None and brk.end >= hours.end:
                until = hours.end
                message = f"Het is nu middagpauze; om {until:%H:%M} is de school uit."
            else:
                until = brk.end
                message = f"Het is nu middagpauze (tot {until:%H:%M})."
            verdict = TimeVerdict(allowed=True, reason="lunch_break", message=message, until=until)
            self._lunch[key] = verdict
        return verdict

    def at(self, day: date, t: time) -> datetime:
        """That day at that wall-clock time, aware in the school's zone."""
        return datetime.combine(day, t, tzinfo=self.tz)


@dataclass(frozen=True, slots=True)
class TimeVerdict:
    """The outcome for one post.

    `message` is a friendly Dutch sentence meant for the student. `next_allowed_at` is when
    posting becomes allowed again for this author (aware, school time zone); None when allowed.
    """

    allowed: bool
    reason: TimeReason
    message: str
    next_allowed_at: datetime | None = None
    clause_id: str = CLAUSE_ID
    grant_id: int | None = None
    # When an allowance that ends today ends (the lunch break, or school out inside it; a
    # grant), wall clock in the school's zone: what `message` says, for another language.
    until: time | None = None


# --------------------------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------------------------

_NOT_WATCHED: Final = TimeVerdict(
    allowed=True,
    reason="not_watched",
    message="Dit kanaal valt niet onder de schooltijdregel.",
)
_TO_THE_BOT: Final = TimeVerdict(
    allowed=True,
    reason="to_the_bot",
    message="Een vraag aan de bot is gebruik voor school.",
)
_STAFF: Final = TimeVerdict(
    allowed=True,
    reason="staff",
    message="Medewerkers vallen niet onder de schooltijdregel.",
)


def _is_aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.tzinfo.utcoffset(moment) is not None


def _require_aware(moment: datetime, what: str) -> None:
    if not _is_aware(moment):
        raise ValueError(f"{what} must be a timezone-aware datetime, got naive {moment!r}")


def is_watched(channel: ChannelInfo, scope: Scope | ScopeSource) -> bool:
    """Whether posts in this channel fall under the rule.

    A thread follows its parent channel. An exempt (lesson/school) channel is never watched, even
    inside a watched category; otherwise a channel is watched when it is listed itself or its
    category is.
    """
    scope = _as_scope(scope)
    while channel.parent is not None:
        channel = channel.parent
    if scope.exempt_channels.matches(channel.id, channel.name):
        return False
    if scope.social_channels.matches(channel.id, channel.name):
        return True
    return (
        channel.category_id is not None or channel.category_name is not None
    ) and scope.social_categories.matches(channel.category_id, channel.category_name)


def is_staff(author: Author, scope: Scope | ScopeSource) -> bool:
    """Whether the author has one of the staff roles."""
    staff = _as_scope(scope).staff_roles
    ids = staff.ids
    names = staff.names
    for role_id, role_name in author.roles:
        if role_id in ids or (names and role_name.casefold() in names):
            return True
    return False


def judge_post(
    moment: datetime,
    author: Author,
    channel: ChannelInfo,
    grants: Iterable[PermissionGrant],
    timetable: Timetable,
    scope: Scope | ScopeSource,
    *,
    to_the_bot: bool = False,
) -> TimeVerdict:
    """Decide whether posting this message at `moment` is fine under clause `schooltijd`.

    `moment` must be timezone-aware (ValueError otherwise); it is read in the school's zone.
    `grants` is only iterated when the post falls in lesson time. A post addressed to the bot
    (a mention, a reply to it, the questions channel) is a question, so school use.
    """
    _require_aware(moment, "moment")
    scope = _as_scope(scope)
    if not is_watched(channel, scope):
        return _NOT_WATCHED
    if to_the_bot:
        return _TO_THE_BOT
    if is_staff(author, scope):
        return _STAFF

    local = moment.astimezone(timetable.tz)
    day = local.date()
    weekday = day.weekday()
    if weekday not in timetable.school_days and day not in timetable.extra_school_days:
        return timetable._closed[weekday]
    off = timetable._off.get(day)
    if off is not None:
        return off
    now = local.time()
    hours = timetable.hours[weekday]
    if not hours.start <= now < hours.end:
        return timetable._outside[weekday]

    breaks = timetable.breaks_for(author)
    for brk in breaks:
        if brk.start <= now < brk.end:
            return timetable.lunch_verdict(brk, weekday)

    moment_utc = moment.astimezone(UTC)
    later_grant: datetime | None = None
    covering: PermissionGrant | None = None  # the active grant that runs longest
    for grant in grants:
        if not grant.applies_to(author, channel):
            continue
        if grant.is_active(moment_utc):
            if covering is None or grant.ends_at > covering.ends_at:
                covering = grant
            continue
        if (
            grant.starts_at > moment_utc
            and grant.ends_at > grant.starts_at
            and (later_grant is None or grant.starts_at < later_grant)
        ):
            later_grant = grant.starts_at
    if covering is not None:  # two grants: the student may post until the later end
        until = covering.ends_at.astimezone(timetable.tz)
        return TimeVerdict(
            allowed=True,
            reason="permission",
            message=f"Je hebt toestemming van je docent tot {until.hour:02d}:{until.minute:02d}.",
            grant_id=covering.id,
            until=until.time(),
        )

    school_end = timetable.at(day, hours.end)
    next_at = school_end
    for brk in breaks:
        if brk.start > now:
            next_at = min(next_at, timetable.at(day, brk.start))
            break  # breaks are sorted by start
    if later_grant is not None and later_grant < next_at:
        next_at = later_grant.astimezone(timetable.tz)
    when = f"{next_at:%H:%M}" + (", na schooltijd" if next_at == school_end else "")
    return TimeVerdict(
        allowed=False,
        reason="lesson_time",
        message=(
            f"Het is nu lestijd ({now:%H:%M}). Sociale media mag alleen in de middagpauze "
            f"of met toestemming van je docent. Je mag weer vanaf {when}."
        ),
        next_allowed_at=next_at,
    )
