"""The values an admin writes in `schedule:`: "HH:MM" times, weekday names and dates.

PyYAML (YAML 1.1) reads an unquoted 12:30 as the sexagesimal integer 750; such integers are
read back as 12:30, never as 00:12:30.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Final, Literal

from pydantic import BeforeValidator

from compass_bot.inputs import shown
from compass_bot.texts import WEEKDAYS_NL

WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_ALIASES: Final[dict[str, str]] = {
    **{name: name for name in WEEKDAYS},
    **dict(zip(WEEKDAYS_NL, WEEKDAYS, strict=True)),
    **{name[:3]: name for name in WEEKDAYS},
    **dict(zip(("ma", "di", "wo", "do", "vr", "za", "zo"), WEEKDAYS, strict=True)),
}

WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

MAX_SPAN_DAYS: Final = 366

_CLOCK_RE: Final = re.compile(r"(\d{1,2}):(\d{2})")


def parse_clock(value: object) -> time:
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
        return WEEKDAY_ALIASES[key]
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


ClockTime = Annotated[time, BeforeValidator(parse_clock)]
Weekday = Annotated[WeekdayName, BeforeValidator(_parse_weekday)]
DateValue = Annotated[date, BeforeValidator(_parse_date)]
DateOrName = Annotated[date | str, BeforeValidator(_parse_date_or_name)]
