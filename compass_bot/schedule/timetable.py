"""`build_timetable`: a validated `schedule:` turned once into the plain `Timetable` the pure
verdict uses (hours, lunch breaks, and the days off from the package, the .ics file and config)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import holidays

from compass_bot.features.schooltime.rules import Timetable
from compass_bot.schedule.holidays_nl import REGION_SUBDIV, package_days
from compass_bot.schedule.ics import ScheduleError, read_ics_file
from compass_bot.schedule.settings import ScheduleConfig


def vacation_note(year: int) -> str:
    """The note for a year the holidays package has no school vacations for: without it a
    lesson in the summer holiday reads as lesson time, silently."""
    return (
        f"the holidays package has no school vacations for {year}; "
        "list them under schedule.days_off.extra or in ics_file"
    )


def missing_vacations(timetable: Timetable, years: Iterable[int]) -> list[str]:
    """The notes of `years` (in order) the holidays package has no school vacations for and
    the school listed no days off of its own for: what an admin must be told."""
    return [vacation_note(y) for y in sorted(set(years)) if vacation_note(y) in timetable.notes]


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
    listed = {day.year for day in names}  # the school's own days off: a year it has listed

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
        add_package(package_days(year_list, holidays.PUBLIC, None))
    if off.school_vacations:
        vacations = package_days(year_list, holidays.SCHOOL, REGION_SUBDIV[off.region])
        add_package(vacations)
        covered = {day.year for day in vacations} | listed  # the admin followed the note
        for year in year_list:
            if year not in covered:
                notes.append(vacation_note(year))

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
