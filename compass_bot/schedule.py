"""Config for the school's timetable (`schedule:`) and clause `schooltijd` (`school_time:`).

The pydantic models validate what the school's admins write in config.yaml; `build_timetable`
turns a validated `ScheduleConfig` into the plain `Timetable` the pure verdict uses, doing the
expensive work once: Dutch public holidays and school vacations (the `holidays` package), extra
days off, and an optional iCalendar file of the school year.

Times are written "HH:MM". PyYAML (YAML 1.1) reads an unquoted 12:30 as the sexagesimal integer
750; such integers are read back as 12:30, never as 00:12:30.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from compass_bot.features.schooltime.rules import Interval, Timetable
from compass_bot.inputs import InputError, StrictBool, as_list, read_bounded, shown
from compass_bot.refs import Ref, describe_ref

if TYPE_CHECKING:
    from compass_bot.config import LoadedConfig

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_TIMEZONE",
    "DateSpan",
    "DaysOffConfig",
    "HoursConfig",
    "LunchConfig",
    "RoleBreak",
    "ScheduleConfig",
    "ScheduleError",
    "SchoolCalendar",
    "TimeRange",
    "build_timetable",
    "parse_ics_days_off",
    "read_ics_file",
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
            raise ValueError(f'{shown(value)} is not a time: write it as "HH:MM", e.g. "12:30"')
        hours, minutes = int(match[1]), int(match[2])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{shown(value)} is not a valid time of day (00:00 .. 23:59)")
        return time(hours, minutes)
    raise ValueError(
        f'expected a time "HH:MM", got {type(value).__name__} {shown(value)}; quote it: "12:30"'
    )


def _parse_weekday(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a weekday name, got {type(value).__name__} {shown(value)}")
    key = value.strip().casefold()
    try:
        return _WEEKDAY_ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown weekday {shown(value)}: use monday..sunday (or maandag..zondag)"
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
            raise ValueError(f"{shown(value)} is not a date: write it as YYYY-MM-DD") from None
    raise ValueError(f"expected a date (YYYY-MM-DD), got {type(value).__name__} {shown(value)}")


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
                    f"unknown key {shown(key)}: use 'default' or a weekday "
                    "(monday..sunday or maandag..zondag)"
                )
            if name in out:
                raise ValueError(f"{name} is given twice (key {shown(key)})")
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
    public_holidays: StrictBool = True
    school_vacations: StrictBool = True
    not_observed: Annotated[list[DateOrName], BeforeValidator(as_list)] = Field(
        default_factory=list
    )
    extra: Annotated[list[DateSpan], BeforeValidator(as_list)] = Field(default_factory=list)
    school_days: Annotated[list[DateSpan], BeforeValidator(as_list)] = Field(default_factory=list)
    ics_file: Path | None = None

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            key = value.strip().casefold()
            if key in _REGION_SUBDIV:
                return key
        raise ValueError(f"unknown region {shown(value)}: use noord, midden or zuid")

    @field_validator("not_observed")
    @classmethod
    def _known_names(cls, values: list[date | str]) -> list[date | str]:
        known, dutch = _known_holiday_names()
        for value in values:
            if isinstance(value, str) and value.casefold() not in known:
                raise ValueError(
                    f"unknown holiday name {shown(value)}; use a date or a name such as "
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
    school_days: Annotated[list[Weekday], BeforeValidator(as_list)] = Field(
        default_factory=_default_school_days
    )
    hours: HoursConfig = Field(default_factory=HoursConfig)
    lunch_breaks: LunchConfig = Field(default_factory=LunchConfig)
    days_off: DaysOffConfig = Field(default_factory=DaysOffConfig)

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        name = value.strip()
        try:
            if len(name) > 64:
                raise ValueError(name)
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
            raise ValueError(
                f"unknown time zone {shown(value)}: use an IANA name such as Europe/Amsterdam"
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

    @model_validator(mode="after")
    def _lunch_within_hours(self) -> ScheduleConfig:
        """A lunch break outside the school hours of every school day is a slip (a typo in a
        time, or hours and breaks from different years)."""
        days = [WEEKDAYS.index(day) for day in self.school_days]
        breaks: list[tuple[str, TimeRange]] = [("lunch_breaks.default", self.lunch_breaks.default)]
        breaks += [
            (f"lunch_breaks.by_role ({describe_ref(b.role)})", b) for b in self.lunch_breaks.by_role
        ]
        for where, lunch in breaks:
            if not any(
                self.hours.for_weekday(i).start <= lunch.start
                and lunch.end <= self.hours.for_weekday(i).end
                for i in days
            ):
                default = self.hours.default
                raise ValueError(
                    f"{where} {lunch.start:%H:%M}-{lunch.end:%H:%M} lies outside the school "
                    f"hours of every school day (hours.default {default.start:%H:%M}-"
                    f"{default.end:%H:%M})"
                )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(day) for day in self.school_days)


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
# iCalendar (icalendar parses, recurring-ical-events expands RRULE/RDATE/EXDATE/overrides)
# --------------------------------------------------------------------------------------------

ICS_KEY: Final = "schedule.days_off.ics_file"
MAX_ICS_BYTES: Final = 8 << 20
_MAX_OCCURRENCES: Final = 5000


def _ics_problem(source: str, problem: str) -> ScheduleError:
    return ScheduleError(f"{ICS_KEY}: {source}: {problem}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 120 else line[:117] + "..."


def _event_name(event: Any) -> str:
    summary = str(event.get("SUMMARY", "")).strip()
    uid = str(event.get("UID", "")).strip()
    label = summary or uid or "without a summary"
    return f"event {shown(label)}"


def parse_ics_days_off(
    data: str | bytes, years: Iterable[int], *, source: str = "ics"
) -> dict[date, str]:
    """The all-day events of an iCalendar text as days off within `years`: date -> summary.

    Recurring events (RRULE, RDATE, EXDATE, moved or cancelled occurrences) are expanded;
    DTEND is exclusive, DURATION or neither (one day) work too. Timed events (a parents'
    evening) and cancelled events (STATUS:CANCELLED) are not days off. Raises ScheduleError,
    one line naming the file and the event, for anything that is not a readable calendar.
    """
    year_list = sorted(set(years))
    if not year_list:
        return {}
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _ics_problem(source, "not UTF-8 text (export it as UTF-8)") from None
    data = data.removeprefix("\ufeff")
    if "BEGIN:VCALENDAR" not in data.upper():
        raise _ics_problem(source, "not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # the parser's errors are not one type; each is one line here
        raise _ics_problem(source, f"not a readable iCalendar file: {_first_line(exc)}") from None
    if not isinstance(calendar, icalendar.Calendar):
        raise _ics_problem(source, "not an iCalendar file (no VCALENDAR at the top)")
    for component in calendar.walk():
        for prop, problem in getattr(component, "errors", ()):
            name = _event_name(component) if component.name == "VEVENT" else component.name
            raise _ics_problem(source, f"{name}: cannot read {prop}: {_clip(problem)}")
    _keep_all_day_events(calendar, source)
    window_start = date(year_list[0], 1, 1)
    window_end = date(year_list[-1] + 1, 1, 1)
    days: dict[date, str] = {}
    count = 0
    try:
        query = recurring_ical_events.of(calendar)
        month = window_start
        while month < window_end:
            # A month at a time, so a rule that repeats too often is stopped early.
            next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            for event in query.between(month, next_month):
                count += 1
                if count > _MAX_OCCURRENCES:
                    raise _ics_problem(
                        source,
                        f"more than {_MAX_OCCURRENCES} all-day events in {year_list[0]}-"
                        f"{year_list[-1]}; does a rule repeat too often?",
                    )
                _add_occurrence(event, days, window_start, window_end, source)
            month = next_month
    except ScheduleError:
        raise
    except Exception as exc:  # a broken RRULE, DTSTART or time zone in the file
        raise _ics_problem(source, f"cannot expand the events: {_first_line(exc)}") from None
    return days


_SUB_DAILY: Final = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
_MAX_ALL_DAY_EVENTS: Final = 2000


def _keep_all_day_events(calendar: icalendar.Calendar, source: str) -> None:
    """Drop timed events before expansion (they are never days off, and a rule repeating
    every minute would take long to expand); refuse an all-day rule repeating within a day."""
    kept: list[Any] = []
    all_day = 0
    for component in calendar.subcomponents:
        if component.name == "VEVENT" and "RECURRENCE-ID" not in component:
            start = component.get("DTSTART")
            if isinstance(getattr(start, "dt", None), datetime):
                continue
            all_day += 1
            rules = component.get("RRULE")
            for rule in rules if isinstance(rules, list) else [rules] if rules else []:
                freq = {str(f).upper() for f in rule.get("FREQ", [])}
                if freq & _SUB_DAILY or any(k in rule for k in ("BYHOUR", "BYMINUTE", "BYSECOND")):
                    raise _ics_problem(
                        source,
                        f"{_event_name(component)}: an all-day event cannot repeat within a day "
                        f"(RRULE {_clip(rule.to_ical().decode(errors='replace'))})",
                    )
        kept.append(component)
    if all_day > _MAX_ALL_DAY_EVENTS:
        raise _ics_problem(source, f"more than {_MAX_ALL_DAY_EVENTS} all-day events")
    calendar.subcomponents = kept


def _clip(problem: object) -> str:
    text = str(problem).replace("\n", " ")
    return text if len(text) <= 120 else text[:117] + "..."


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _add_occurrence(
    event: Any, days: dict[date, str], window_start: date, window_end: date, source: str
) -> None:
    if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
        return
    start, end = event.start, event.end
    if isinstance(start, datetime) or isinstance(end, datetime):
        return  # a timed event (a parents' evening) is not a day off
    if end <= start:
        end = start + timedelta(days=1)
    if (end - start).days > _MAX_SPAN_DAYS:
        raise _ics_problem(
            source, f"{_event_name(event)} from {start} to {end} is longer than a year"
        )
    summary = " ".join(str(event.get("SUMMARY", "")).split()) or "vrije dag"
    day = max(start, window_start)
    while day < min(end, window_end):
        days.setdefault(day, summary)
        day += timedelta(days=1)


def read_ics_file(path: Path, years: Iterable[int]) -> dict[date, str]:
    """Read and parse the school's .ics file (a regular UTF-8 file of at most 8 MiB)."""
    try:
        data = read_bounded(path, MAX_ICS_BYTES)
    except FileNotFoundError:
        raise _ics_problem(str(path), "file not found") from None
    except InputError as exc:
        raise _ics_problem(str(path), str(exc)) from None
    return parse_ics_days_off(data, years, source=str(path))


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
        for day, summary in sorted(read_ics_file(path, year_list).items()):
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


class SchoolCalendar:
    """The school's timetable as the running bot holds it: built at start, rebuilt when the
    coming month passes the computed years. Shared by school time, grants and digests."""

    def __init__(self, loaded: LoadedConfig, timetable: Timetable) -> None:
        self.loaded = loaded
        self.timetable = timetable

    @classmethod
    def build(cls, loaded: LoadedConfig, now: datetime) -> SchoolCalendar:
        return cls(loaded, build_timetable(loaded.config.schedule, loaded.base_dir, today=now))

    def refresh(self, now: datetime) -> bool:
        """Rebuild the days off when the coming month is past the computed years.

        Called daily by the long-running front ends; returns whether it rebuilt. An .ics
        file that broke while the bot runs keeps the old timetable (one log line); the next
        day's call tries again.
        """
        ahead = (now + timedelta(days=31)).astimezone(self.timetable.tz).date()
        if self.timetable.covers(ahead):
            return False
        try:
            timetable = build_timetable(
                self.loaded.config.schedule, self.loaded.base_dir, today=now
            )
        except ScheduleError as exc:
            log.warning(
                "the timetable could not be rebuilt (%s); keeping the old one, trying again "
                "tomorrow",
                " ".join(str(exc).split()),
            )
            return False
        self.timetable = timetable
        return True
