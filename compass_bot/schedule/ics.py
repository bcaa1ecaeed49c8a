"""The school's iCalendar file as days off: icalendar parses, recurring-ical-events expands
RRULE/RDATE/EXDATE and moved or cancelled occurrences; every problem is one line."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from compass_bot.inputs import InputError, read_bounded, shown
from compass_bot.schedule.fields import MAX_SPAN_DAYS
from compass_bot.visible import show_controls


class ScheduleError(ValueError):
    """A schedule problem found while building the timetable (e.g. an unreadable .ics file)."""


ICS_KEY: Final = "schedule.days_off.ics_file"
MAX_ICS_BYTES: Final = 8 << 20
_MAX_OCCURRENCES: Final = 5000


def _ics_problem(source: str, problem: str) -> ScheduleError:
    return ScheduleError(f"{ICS_KEY}: {source}: {problem}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= 120 else line[:117] + "..."


def _first(value: object) -> str:
    """One text of a property the file may repeat: icalendar gives a list then (of vText,
    whose str() is the text but whose list's str() is Python's repr)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _summary(event: Any) -> str:
    """The event's name on one line, as students read it ("geen school (Kerstvakantie)"):
    the first Dutch SUMMARY (LANGUAGE=nl) or else the first that says something; control
    characters left out, the ones that reorder text written out (`show_controls`)."""
    values = event.get("SUMMARY")
    found = values if isinstance(values, list) else [] if values is None else [values]
    named: list[tuple[str, str]] = []
    for value in found:
        text = "".join(
            ch for ch in str(value) if unicodedata.category(ch) != "Cc" or ch in "\t\n\r"
        )
        text = " ".join(text.split())
        if text:
            params = getattr(value, "params", {})
            named.append((str(params.get("LANGUAGE", "")).casefold(), text))
    dutch = [text for language, text in named if language.startswith("nl")]
    return show_controls(dutch[0] if dutch else named[0][1] if named else "")


def _event_name(event: Any) -> str:
    uid = event.uid if isinstance(event, icalendar.Event) else event.get("UID")
    label = _summary(event) or _first(uid).strip() or "without a summary"
    return f"event {shown(label)}"


# What the days off and their expansion are read from: a second value would be ambiguous
# (two dates, cancelled or not) or crash the expansion, and RFC 5545 allows one. A repeated
# SUMMARY is harmless: the first names the day.
_ONCE: Final = ("UID", "DTSTART", "DTEND", "DURATION", "STATUS", "RECURRENCE-ID", "SEQUENCE")


def _check_once(component: Any, source: str, props: tuple[str, ...] = _ONCE) -> None:
    """One line naming the event, not the expansion's "'list' object has no attribute"."""
    for prop in props:
        values = component.get(prop)
        if isinstance(values, list):
            raise _ics_problem(
                source,
                f"{_event_name(component)}: {prop} appears {len(values)} times; "
                "an event has at most one",
            )


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
            _check_once(component, source, ("DTSTART",))
            start = component.get("DTSTART")
            if start is None:
                raise _ics_problem(source, f"{_event_name(component)} has no DTSTART (its date)")
            if isinstance(getattr(start, "dt", None), datetime):
                continue
            _check_once(component, source)
            all_day += 1
            _check_span(component, start, source)
            rules = component.get("RRULE")
            for rule in rules if isinstance(rules, list) else [rules] if rules else []:
                freq = {str(f).upper() for f in rule.get("FREQ", [])}
                if freq & _SUB_DAILY or any(k in rule for k in ("BYHOUR", "BYMINUTE", "BYSECOND")):
                    raise _ics_problem(
                        source,
                        f"{_event_name(component)}: an all-day event cannot repeat within a day "
                        f"(RRULE {_clip(rule.to_ical().decode(errors='replace'))})",
                    )
                if not all(_positive(i) for i in rule.get("INTERVAL", [])):
                    # RFC 5545: a positive integer; 0 would make the expansion repeat forever
                    raise _ics_problem(
                        source,
                        f"{_event_name(component)}: INTERVAL must be a whole number of at "
                        f"least 1 (RRULE {_clip(rule.to_ical().decode(errors='replace'))})",
                    )
        elif component.name == "VEVENT":  # a moved or cancelled occurrence
            _check_once(component, source, ("RECURRENCE-ID",))
            if isinstance(getattr(component.get("RECURRENCE-ID"), "dt", None), datetime):
                continue  # of a timed series (a lesson), dropped above with its series
            _check_once(component, source)
        kept.append(component)
    if all_day > _MAX_ALL_DAY_EVENTS:
        raise _ics_problem(source, f"more than {_MAX_ALL_DAY_EVENTS} all-day events")
    calendar.subcomponents = kept


def _check_span(component: Any, start: Any, source: str) -> None:
    """An all-day event that ends before it starts (DTEND before DTSTART, a negative
    DURATION) is refused: the expansion would silently drop it, and the day off with it."""
    if str(component.get("STATUS", "")).strip().upper() == "CANCELLED":
        return  # never a day off, whatever its dates say
    end, duration = component.get("DTEND"), component.get("DURATION")
    first, last = getattr(start, "dt", None), getattr(end, "dt", None)
    if isinstance(last, datetime):  # DTEND a moment where DTSTART is a day: RFC 5545 says no
        raise _ics_problem(
            source, f"{_event_name(component)}: DTEND is a time, DTSTART a date; make both dates"
        )
    if isinstance(first, date) and isinstance(last, date):
        backwards = last < first
    else:
        length = getattr(duration, "dt", None)
        backwards = isinstance(length, timedelta) and length < timedelta(0)
    if backwards:
        raise _ics_problem(source, f"{_event_name(component)} ends before it starts")


def _positive(value: object) -> bool:
    try:
        return int(str(value)) >= 1
    except ValueError:
        return False


def _clip(problem: object) -> str:
    text = str(problem).replace("\n", " ")
    return text if len(text) <= 120 else text[:117] + "..."


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
    if (end - start).days > MAX_SPAN_DAYS:
        raise _ics_problem(
            source, f"{_event_name(event)} from {start} to {end} is longer than a year"
        )
    summary = _summary(event) or "vrije dag"
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
