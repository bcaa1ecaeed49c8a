"""The `schedule:` config models: time zone, school week, hours, lunch breaks and days off."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from compass_bot.features.schooltime.rules import Interval
from compass_bot.inputs import FilePath, StrictBool, as_list, shown
from compass_bot.refs import Ref, describe_ref
from compass_bot.schedule.fields import (
    MAX_SPAN_DAYS,
    WEEKDAY_ALIASES,
    WEEKDAYS,
    ClockTime,
    DateOrName,
    DateValue,
    Weekday,
    WeekdayName,
    parse_clock,
)
from compass_bot.schedule.holidays_nl import REGION_SUBDIV, known_holiday_names

DEFAULT_TIMEZONE: Final = "Europe/Amsterdam"


class _Model(BaseModel):
    """Unknown keys are refused (a typo must not silently change the schedule); read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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
    return TimeRange(start=parse_clock(start), end=parse_clock(end))


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
            elif isinstance(key, str) and key.strip().casefold() in WEEKDAY_ALIASES:
                name = WEEKDAY_ALIASES[key.strip().casefold()]
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
            if (self.to - self.from_).days >= MAX_SPAN_DAYS:
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
    ics_file: FilePath | None = None

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            key = value.strip().casefold()
            if key in REGION_SUBDIV:
                return key
        raise ValueError(f"unknown region {shown(value)}: use noord, midden or zuid")

    @field_validator("not_observed")
    @classmethod
    def _known_names(cls, values: list[date | str]) -> list[date | str]:
        known, dutch = known_holiday_names()
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
