"""The school calendar, shared by the features: the `schedule:` config, the days off (package,
.ics file, config) and the timetable built from them. The names stay importable from here."""

from compass_bot.schedule.fields import WEEKDAYS, ClockTime, Weekday, WeekdayName
from compass_bot.schedule.ics import (
    ICS_KEY,
    MAX_ICS_BYTES,
    ScheduleError,
    parse_ics_days_off,
    read_ics_file,
)
from compass_bot.schedule.school_calendar import SchoolCalendar
from compass_bot.schedule.settings import (
    DEFAULT_TIMEZONE,
    DateSpan,
    DaysOffConfig,
    HoursConfig,
    LunchConfig,
    RoleBreak,
    ScheduleConfig,
    TimeRange,
)
from compass_bot.schedule.timetable import build_timetable

__all__ = [
    "DEFAULT_TIMEZONE",
    "ICS_KEY",
    "MAX_ICS_BYTES",
    "WEEKDAYS",
    "ClockTime",
    "DateSpan",
    "DaysOffConfig",
    "HoursConfig",
    "LunchConfig",
    "RoleBreak",
    "ScheduleConfig",
    "ScheduleError",
    "SchoolCalendar",
    "TimeRange",
    "Weekday",
    "WeekdayName",
    "build_timetable",
    "parse_ics_days_off",
    "read_ics_file",
]
