"""Config for the school's timetable (`schedule:`) and clause `schooltijd` (`school_time:`).

The pydantic models validate what the school's admins write in config.yaml; `build_timetable`
turns a validated `ScheduleConfig` into the plain `Timetable` the pure verdict uses, doing the
expensive work once: Dutch public holidays and school vacations (the `holidays` package), extra
days off, and an optional iCalendar file of the school year.

Times are written "HH:MM". PyYAML (YAML 1.1) reads an unquoted 12:30 as the sexagesimal integer
750; such integers are read back as 12:30, never as 00:12:30.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from compass_bot.refs import Ref, describe_ref
from compass_bot.rules.schooltime import Interval, Scope, Timetable

__all__ = [
    "DEFAULT_TIMEZONE",
    "DateSpan",
    "DaysOffConfig",
    "HoursConfig",
    "LunchConfig",
    "RoleBreak",
    "ScheduleConfig",
    "ScheduleError",
    "SchoolTimeConfig",
    "TimeRange",
    "build_timetable",
    "parse_ics_days_off",
]

DEFAULT_TIMEZONE: Final = "Europe/Amsterdam"

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DUTCH: Final = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_WEEKDAY_ALIASES: Final[dict[str, str]] = {
    **{name: name for name in WEEKDAYS},
    **dict(zip(_DUTCH, WEEKDAYS, strict=True)),
    **{name[:3]: name for name in WEEKDAYS},
    **dict(zip(("ma", "di", "wo", "do", "vr", "za", "zo"), WEEKDAYS, strict=True)),
}

WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_REGION_SUBDIV: Final = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

_MAX_SPAN_DAYS: Final = 366


class ScheduleError(ValueError):
    """A schedule problem found while building the timetable (e.g. an unreadable .ics file)."""


# --------------------------------------------------------------------------------------------
# Scalar parsers
# --------------------------------------------------------------------------------------------

_CLOCK_RE: Final = re.compile(r"(\d{1,2}):(\d{2})")


def _parse_clock(value: object) -> time:
    """Read "HH:MM" (or an int from YAML's sexagesimal reading of an unquoted HH:MM) -> time."""
    if isinstance(value, bool):
        raise ValueError('expected a time "HH:MM", got a boolean')
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise ValueError("a school time is a wall-clock time without a time zone")
        return value
    if isinstance(value, int):
        # YAML 1.1 reads an unquoted 12:30 as 12*60 + 30 = 750.
        hours, minutes = divmod(value, 60)
        if value < 0 or hours > 23:
            raise ValueError(
                f'{value} is not a time: write times as "HH:MM" in quotes, e.g. "12:30"'
            )
        return time(hours, minutes)
    if isinstance(value, str):
        match = _CLOCK_RE.fullmatch(value.strip())
        if match is None:
            raise ValueError(f'{value!r} is not a time: write it as "HH:MM", e.g. "12:30"')
        hours, minutes = int(match[1]), int(match[2])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{value!r} is not a valid time of day (00:00 .. 23:59)")
        return time(hours, minutes)
    raise ValueError(
        f'expected a time "HH:MM", got {type(value).__name__} {value!r}; quote it: "12:30"'
    )


def _parse_weekday(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a weekday name, got {type(value).__name__} {value!r}")
    key = value.strip().casefold()
    try:
        return _WEEKDAY_ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown weekday {value!r}: use monday..sunday (or maandag..zondag)"
        ) from None


def _parse_date(value: object) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"expected a date (YYYY-MM-DD), got a date and time {value}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None
    raise ValueError(f"expected a date (YYYY-MM-DD), got {type(value).__name__} {value!r}")


def _parse_date_or_name(value: object) -> date | str:
    if isinstance(value, str) and not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        name = value.strip()
        if not name:
            raise ValueError("an empty holiday name")
        return name
    return _parse_date(value)


ClockTime = Annotated[time, BeforeValidator(_parse_clock)]
Weekday = Annotated[WeekdayName, BeforeValidator(_parse_weekday)]
DateValue = Annotated[date, BeforeValidator(_parse_date)]
DateOrName = Annotated[date | str, BeforeValidator(_parse_date_or_name)]


class _Model(BaseModel):
    """Unknown keys are refused (a typo must not silently change the schedule); read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------
# schedule:
# --------------------------------------------------------------------------------------------


class TimeRange(_Model):
    """start/end, "HH:MM"; half-open: the range is over at `end`."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end:%H:%M}) must be after start ({self.start:%H:%M})")
        return self

    def interval(self) -> Interval:
        return Interval(self.start, self.end)


def _range(start: str, end: str) -> TimeRange:
    return TimeRange(start=_parse_clock(start), end=_parse_clock(end))


class HoursConfig(_Model):
    """School hours: `default` plus optional per-weekday overrides (English or Dutch keys)."""

    default: TimeRange = Field(default_factory=lambda: _range("08:30", "16:00"))
    monday: TimeRange | None = None
    tuesday: TimeRange | None = None
    wednesday: TimeRange | None = None
    thursday: TimeRange | None = None
    friday: TimeRange | None = None
    saturday: TimeRange | None = None
    sunday: TimeRange | None = None

    @model_validator(mode="before")
    @classmethod
    def _weekday_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key == "default":
                name = "default"
            elif isinstance(key, str) and key.strip().casefold() in _WEEKDAY_ALIASES:
                name = _WEEKDAY_ALIASES[key.strip().casefold()]
            else:
                raise ValueError(
                    f"unknown key {key!r}: use 'default' or a weekday "
                    "(monday..sunday or maandag..zondag)"
                )
            if name in out:
                raise ValueError(f"{name} is given twice (key {key!r})")
            out[name] = value
        return out

    def for_weekday(self, weekday: int) -> TimeRange:
        override: TimeRange | None = getattr(self, WEEKDAYS[weekday])
        return override if override is not None else self.default

    def overridden(self) -> list[str]:
        return [name for name in WEEKDAYS if getattr(self, name) is not None]


class RoleBreak(TimeRange):
    """A lunch break for the students with one year-group role."""

    role: Ref


class LunchConfig(_Model):
    """One lunch break for everyone (`default`), or per year-group role (`by_role`).

    A student with several `by_role` roles gets all of their breaks; a student with none of them
    gets `default`.
    """

    default: TimeRange = Field(default_factory=lambda: _range("12:15", "12:45"))
    by_role: list[RoleBreak] = Field(default_factory=list)


class DateSpan(_Model):
    """One day off or an inclusive range: "2026-11-27", {date, name} or {from, to, name}."""

    from_: DateValue = Field(alias="from")
    to: DateValue | None = None
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {"from": data}
        if isinstance(data, dict) and "date" in data:
            if "from" in data or "to" in data:
                raise ValueError("give either 'date' or 'from'/'to', not both")
            data = dict(data)
            data["from"] = data.pop("date")
        return data

    @model_validator(mode="after")
    def _check_range(self) -> DateSpan:
        if self.to is not None:
            if self.to < self.from_:
                raise ValueError(f"'to' ({self.to}) is before 'from' ({self.from_})")
            if (self.to - self.from_).days >= _MAX_SPAN_DAYS:
                raise ValueError(f"{self.from_} .. {self.to} is longer than a year: a typo?")
        return self

    @field_validator("name")
    @classmethod
    def _blank_name(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def last(self) -> date:
        return self.to if self.to is not None else self.from_

    def days(self) -> list[date]:
        return [self.from_ + timedelta(days=i) for i in range((self.last - self.from_).days + 1)]


class DaysOffConfig(_Model):
    """Days without school.

    days off = (Dutch public holidays + school vacations of `region`, minus `not_observed`)
               + `ics_file` all-day events + `extra`, minus `school_days`.
    `not_observed` drops package days by name (Dutch or English, any case: "Goede Vrijdag",
    "Good Friday") or by date.
    """

    region: Literal["noord", "midden", "zuid"] = "midden"
    public_holidays: bool = True
    school_vacations: bool = True
    not_observed: list[DateOrName] = Field(default_factory=list)
    extra: list[DateSpan] = Field(default_factory=list)
    school_days: list[DateSpan] = Field(default_factory=list)
    ics_file: Path | None = None

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            key = value.strip().casefold()
            if key in _REGION_SUBDIV:
                return key
        raise ValueError(f"unknown region {value!r}: use noord, midden or zuid")

    @field_validator("not_observed")
    @classmethod
    def _known_names(cls, values: list[date | str]) -> list[date | str]:
        known, dutch = _known_holiday_names()
        for value in values:
            if isinstance(value, str) and value.casefold() not in known:
                raise ValueError(
                    f"unknown holiday name {value!r}; use a date or a name such as "
                    f"{', '.join(dutch)} (Dutch or English)"
                )
        return values

    @model_validator(mode="after")
    def _no_contradiction(self) -> DaysOffConfig:
        off = {d for span in self.extra for d in span.days()}
        both = sorted(off.intersection(d for span in self.school_days for d in span.days()))
        if both:
            shown = ", ".join(str(d) for d in both[:5]) + (" ..." if len(both) > 5 else "")
            raise ValueError(f"dates both in extra (day off) and in school_days: {shown}")
        return self


def _default_school_days() -> list[WeekdayName]:
    return ["monday", "tuesday", "wednesday", "thursday", "friday"]


class ScheduleConfig(_Model):
    """The `schedule:` section: time zone, school week, hours, lunch breaks and days off."""

    timezone: str = DEFAULT_TIMEZONE
    school_days: list[Weekday] = Field(default_factory=_default_school_days)
    hours: HoursConfig = Field(default_factory=HoursConfig)
    lunch_breaks: LunchConfig = Field(default_factory=LunchConfig)
    days_off: DaysOffConfig = Field(default_factory=DaysOffConfig)

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        name = value.strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Europe/Amsterdam"
            ) from None
        return name

    @field_validator("school_days")
    @classmethod
    def _some_days(cls, value: list[WeekdayName]) -> list[WeekdayName]:
        if not value:
            raise ValueError("at least one school day is needed")
        return sorted(set(value), key=WEEKDAYS.index)

    @model_validator(mode="after")
    def _hours_for_school_days(self) -> ScheduleConfig:
        stray = [day for day in self.hours.overridden() if day not in self.school_days]
        if stray:
            raise ValueError(f"hours.{stray[0]} is given, but {stray[0]} is not in school_days")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(day) for day in self.school_days)


# --------------------------------------------------------------------------------------------
# school_time:
# --------------------------------------------------------------------------------------------


def _default_staff_roles() -> list[int | str]:
    return ["Docent", "Moderator", "Schoolleiding"]


class SchoolTimeConfig(_Model):
    """The `school_time:` section: which channels clause `schooltijd` watches and how it acts.

    By default no channel is watched (the rule does nothing until channels are listed).
    """

    social_channels: list[Ref] = Field(default_factory=list)
    social_categories: list[Ref] = Field(default_factory=list)
    exempt_channels: list[Ref] = Field(default_factory=list)
    staff_roles: list[Ref] = Field(default_factory=_default_staff_roles)
    action: Literal["warn", "warn_and_delete"] = "warn"
    warning_cooldown_minutes: int = Field(default=30, ge=0, le=24 * 60)
    permission_default_minutes: int = Field(default=50, ge=1, le=24 * 60)
    _scope_cache: tuple[tuple[tuple[int | str, ...], ...], Scope] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _not_both(self) -> SchoolTimeConfig:
        exempt = {_ref_key(r) for r in self.exempt_channels}
        for ref in self.social_channels:
            if _ref_key(ref) in exempt:
                raise ValueError(
                    f"channel {describe_ref(ref)} is both in social_channels and exempt_channels"
                )
        return self

    def to_scope(self) -> Scope:
        """The plain `Scope` the verdict uses; cached, rebuilt when the ref lists change.

        `judge_post` and `is_watched` accept this config section directly and call this.
        """
        key = (
            tuple(self.social_channels),
            tuple(self.social_categories),
            tuple(self.exempt_channels),
            tuple(self.staff_roles),
        )
        # Read the private cache directly: pydantic's private-attribute lookup costs ~1 µs.
        private = self.__pydantic_private__
        cached = private.get("_scope_cache") if private else None
        if cached is not None and cached[0] == key:
            scope: Scope = cached[1]
            return scope
        scope = Scope.from_refs(
            social_channels=key[0],
            social_categories=key[1],
            exempt_channels=key[2],
            staff_roles=key[3],
        )
        self._scope_cache = (key, scope)
        return scope


def _ref_key(ref: int | str) -> int | str:
    return ref if isinstance(ref, int) else ref.casefold()


# --------------------------------------------------------------------------------------------
# Days off from the `holidays` package
# --------------------------------------------------------------------------------------------

_KNOWN_NAME_YEARS: Final = range(2024, 2031)  # includes lustrum years (Bevrijdingsdag)


@lru_cache(maxsize=64)
def _package_days(
    years: tuple[int, ...], category: str, subdiv: str | None
) -> dict[date, tuple[tuple[str, str], ...]]:
    """date -> ((Dutch name, English name), ...) for one holidays category."""
    names: dict[str, dict[date, list[str]]] = {}
    for language in ("nl", "en_US"):
        calendar = holidays.country_holidays(
            "NL", subdiv=subdiv, years=years, categories=(category,), language=language
        )
        names[language] = {day: calendar.get_list(day) for day in calendar}
    out: dict[date, tuple[tuple[str, str], ...]] = {}
    for day, dutch in names["nl"].items():
        english = names["en_US"].get(day, [])
        if len(english) != len(dutch):  # should not happen; keep the Dutch names usable
            english = dutch
        out[day] = tuple(zip(dutch, english, strict=True))
    return out


@lru_cache(maxsize=1)
def _known_holiday_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """(casefolded Dutch and English names, Dutch names) of public holidays and vacations."""
    years = tuple(_KNOWN_NAME_YEARS)
    known: set[str] = set()
    dutch: dict[str, None] = {}
    for category, subdiv in ((holidays.PUBLIC, None), (holidays.SCHOOL, "Midden")):
        for _, pairs in sorted(_package_days(years, category, subdiv).items()):
            for nl, en in pairs:
                known.update((nl.casefold(), en.casefold()))
                dutch.setdefault(nl, None)
    return frozenset(known), tuple(dutch)


# --------------------------------------------------------------------------------------------
# iCalendar (the small subset a school year calendar needs)
# --------------------------------------------------------------------------------------------


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.splitlines():
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def _ics_unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in ("n", "N") else nxt)
        else:
            out.append(ch)
    return "".join(out).strip()


_ICS_DATE_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ICS_DAYS_RE: Final = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?")


def parse_ics_days_off(text: str, *, source: str = "ics") -> dict[date, str]:
    """All-day VEVENTs of an iCalendar text as days off: date -> summary.

    DTSTART;VALUE=DATE:YYYYMMDD with an exclusive DTEND (or DURATION:PnD / PnW, or neither: one
    day). Timed events and cancelled events are skipped. Recurrence rules are not expanded: only
    the first occurrence counts. Raises ScheduleError on a malformed event.
    """
    days: dict[date, str] = {}
    event: dict[str, str] | None = None
    for lineno, line in enumerate(_unfold(text), start=1):
        if not line.strip():
            continue
        head, sep, value = line.partition(":")
        if not sep:
            continue
        name, *params = head.split(";")
        name = name.upper()
        if name == "BEGIN" and value.strip().upper() == "VEVENT":
            event = {}
            continue
        if name == "END" and value.strip().upper() == "VEVENT":
            if event is not None:
                _add_event(event, days, f"{source}: event ending at line {lineno}")
            event = None
            continue
        if event is not None and name in ("DTSTART", "DTEND", "DURATION", "SUMMARY", "STATUS"):
            is_date = any(p.upper() == "VALUE=DATE" for p in params)
            event[name] = value.strip()
            if is_date:
                event[name + ";DATE"] = "1"
    return days


def _ics_date(value: str, where: str) -> date | None:
    """YYYYMMDD -> date; a date-time (with 'T') -> None (not an all-day event)."""
    if "T" in value.upper():
        return None
    match = _ICS_DATE_RE.fullmatch(value)
    if match is None:
        raise ScheduleError(f"{where}: cannot read date {value!r}")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ScheduleError(f"{where}: invalid date {value!r}") from None


def _add_event(event: dict[str, str], days: dict[date, str], where: str) -> None:
    if event.get("STATUS", "").upper() == "CANCELLED" or "DTSTART" not in event:
        return
    start = _ics_date(event["DTSTART"], where)
    if start is None:
        return
    end: date | None = None
    if "DTEND" in event:
        end = _ics_date(event["DTEND"], where)
        if end is None:
            return
    elif "DURATION" in event:
        match = _ICS_DAYS_RE.fullmatch(event["DURATION"].strip().upper())
        if match is None or not (match[1] or match[2]):
            return  # a timed duration: not an all-day event
        end = start + timedelta(weeks=int(match[1] or 0), days=int(match[2] or 0))
    if end is None or end <= start:
        end = start + timedelta(days=1)
    if (end - start).days > _MAX_SPAN_DAYS:
        raise ScheduleError(f"{where}: event from {start} to {end} is longer than a year")
    summary = _ics_unescape(event.get("SUMMARY", "")) or "vrije dag"
    day = start
    while day < end:
        days.setdefault(day, summary)
        day += timedelta(days=1)


def _read_ics(path: Path) -> dict[date, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScheduleError(
            f"schedule.days_off.ics_file: cannot read {path}: {exc.strerror or exc}"
        ) from None
    except UnicodeDecodeError:
        raise ScheduleError(f"schedule.days_off.ics_file: {path} is not UTF-8 text") from None
    return parse_ics_days_off(text, source=str(path))


# --------------------------------------------------------------------------------------------
# build_timetable
# --------------------------------------------------------------------------------------------


def build_timetable(
    cfg: ScheduleConfig,
    base_dir: Path,
    *,
    years: Iterable[int] | None = None,
    today: datetime | None = None,
) -> Timetable:
    """The plain `Timetable` for a validated schedule.

    Days off are computed for `years` (default: the year of `today` in the school's zone ±2;
    one of the two must be given, since this module never reads the clock); a
    relative `ics_file` is read relative to `base_dir`. Raises ScheduleError when the .ics file
    cannot be read or parsed. Check `Timetable.covers(today)` now and then and rebuild when it
    says False; `Timetable.notes` lists things worth logging.
    """
    tz = cfg.zone
    if years is None:
        if today is None:
            raise ScheduleError("build_timetable: give `years` or `today`")
        this_year = today.astimezone(tz).year
        years = range(this_year - 2, this_year + 3)
    year_list = tuple(sorted(set(years)))
    if not year_list:
        raise ScheduleError("build_timetable: no years to compute days off for")

    off = cfg.days_off
    notes: list[str] = []
    names: dict[date, list[str]] = {}

    def add(day: date, name: str) -> None:
        bucket = names.setdefault(day, [])
        if name not in bucket:
            bucket.append(name)

    # Explicit school days off come first so their names lead in the message.
    for span in off.extra:
        for day in span.days():
            add(day, span.name or "vrije dag")

    if off.ics_file is not None:
        path = off.ics_file if off.ics_file.is_absolute() else base_dir / off.ics_file
        for day, summary in sorted(_read_ics(path).items()):
            add(day, summary)

    skip_dates = {v for v in off.not_observed if isinstance(v, date)}
    skip_names = {v.casefold() for v in off.not_observed if isinstance(v, str)}

    def add_package(days: dict[date, tuple[tuple[str, str], ...]]) -> None:
        for day in sorted(days):
            if day in skip_dates:
                continue
            for dutch, english in days[day]:
                if dutch.casefold() in skip_names or english.casefold() in skip_names:
                    continue
                add(day, dutch)

    if off.public_holidays:
        add_package(_package_days(year_list, holidays.PUBLIC, None))
    if off.school_vacations:
        vacations = _package_days(year_list, holidays.SCHOOL, _REGION_SUBDIV[off.region])
        add_package(vacations)
        covered = {day.year for day in vacations}
        for year in year_list:
            if year not in covered:
                notes.append(
                    f"the holidays package has no school vacations for {year}; "
                    "list them under schedule.days_off.extra or in ics_file"
                )

    school_dates = {day for span in off.school_days for day in span.days()}
    for day in school_dates:
        names.pop(day, None)

    weekdays = cfg.weekday_numbers()
    return Timetable(
        tz=tz,
        school_days=weekdays,
        hours={i: cfg.hours.for_weekday(i).interval() for i in range(7)},
        lunch_default=cfg.lunch_breaks.default.interval(),
        lunch_by_role=tuple((b.role, b.interval()) for b in cfg.lunch_breaks.by_role),
        days_off=frozenset(names),
        day_off_names={day: " / ".join(n) for day, n in names.items()},
        extra_school_days=frozenset(d for d in school_dates if d.weekday() not in weekdays),
        first_year=year_list[0],
        last_year=year_list[-1],
        notes=tuple(notes),
    )
