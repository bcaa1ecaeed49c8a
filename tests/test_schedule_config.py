"""The `schedule:` and `school_time:` config models and build_timetable (compass_bot.schedule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from pydantic import ValidationError

from compass_bot.features.schooltime.rules import (
    Author,
    ChannelInfo,
    Interval,
    is_watched,
    judge_post,
)
from compass_bot.features.schooltime.settings import SchoolTimeConfig
from compass_bot.schedule import (
    ScheduleConfig,
    ScheduleError,
    build_timetable,
    parse_ics_days_off,
)

YEARS = range(2026, 2028)


def schedule(text: str) -> ScheduleConfig:
    return ScheduleConfig.model_validate(yaml.safe_load(text) or {})


def errors_of(text: str, model: type[Any] = ScheduleConfig) -> list[tuple[str, str]]:
    """(dotted location, message) of each validation error for a YAML snippet."""
    with pytest.raises(ValidationError) as info:
        model.model_validate(yaml.safe_load(text))
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in info.value.errors()]


def one_error(text: str, model: type[Any] = ScheduleConfig) -> tuple[str, str]:
    errors = errors_of(text, model)
    assert len(errors) == 1, errors
    return errors[0]


# -- defaults ---------------------------------------------------------------------------------


def test_shipped_defaults() -> None:
    for cfg in (ScheduleConfig(), schedule(""), ScheduleConfig.model_validate({})):
        assert cfg.timezone == "Europe/Amsterdam"
        assert cfg.zone == ZoneInfo("Europe/Amsterdam")
        assert cfg.school_days == ["monday", "tuesday", "wednesday", "thursday", "friday"]
        assert (cfg.hours.default.start, cfg.hours.default.end) == (time(8, 30), time(16, 0))
        assert cfg.hours.wednesday is None
        lunch = cfg.lunch_breaks.default
        assert (lunch.start, lunch.end) == (time(12, 15), time(12, 45))
        assert cfg.lunch_breaks.by_role == []
        off = cfg.days_off
        assert off.region == "midden"
        assert off.public_holidays and off.school_vacations
        assert off.not_observed == [] and off.extra == [] and off.school_days == []
        assert off.ics_file is None


def test_default_timetable() -> None:
    tt = build_timetable(ScheduleConfig(), Path("."), years=YEARS)
    assert tt.tz == ZoneInfo("Europe/Amsterdam")
    assert tt.school_days == frozenset(range(5))
    assert all(tt.hours[i] == Interval(time(8, 30), time(16, 0)) for i in range(7))
    assert tt.lunch_default == Interval(time(12, 15), time(12, 45))
    assert tt.lunch_by_role == ()
    assert date(2026, 5, 14) in tt.days_off  # Hemelvaartsdag
    assert date(2026, 4, 27) in tt.days_off  # Koningsdag
    assert date(2026, 10, 19) in tt.days_off  # Herfstvakantie, midden
    assert date(2026, 10, 12) not in tt.days_off  # only noord is off then
    assert tt.day_off_names[date(2026, 10, 19)] == "Herfstvakantie"
    assert (tt.first_year, tt.last_year) == (2026, 2027)
    assert tt.notes == ()


def test_default_years_are_around_today() -> None:
    moment = datetime(2031, 3, 1, 12, tzinfo=UTC)
    tt = build_timetable(ScheduleConfig(), Path("."), today=moment)
    today = moment.date()
    assert tt.first_year is not None and tt.last_year is not None
    assert tt.first_year <= today.year - 2
    assert tt.last_year >= today.year + 2
    assert tt.covers(today)


def test_school_time_defaults() -> None:
    for st in (SchoolTimeConfig(), SchoolTimeConfig.model_validate({})):
        assert st.social_channels == [] and st.social_categories == []
        assert st.exempt_channels == []
        assert st.staff_roles == ["Docent", "Moderator", "Schoolleiding"]
        assert st.action == "warn"
        assert st.warning_cooldown_minutes == 30
        assert st.permission_default_minutes == 50


def test_note_when_package_has_no_vacations() -> None:
    tt = build_timetable(ScheduleConfig(), Path("."), years=[2031])
    assert any("2031" in note for note in tt.notes)
    cfg = schedule("days_off: {school_vacations: false}")
    assert build_timetable(cfg, Path("."), years=[2031]).notes == ()


# -- times ------------------------------------------------------------------------------------


def test_unquoted_yaml_times_are_sexagesimal_ints() -> None:
    raw = yaml.safe_load("start: 12:30\nend: 8:30\nother: 08:30")
    assert raw == {"start": 750, "end": 510, "other": "08:30"}  # what PyYAML does


def test_unquoted_times_read_back() -> None:
    cfg = schedule(
        """
        hours:
          default: {start: 8:30, end: 16:00}
          wednesday: {start: 08:30, end: 13:00}
        lunch_breaks:
          default: {start: 12:15, end: 12:45}
          by_role:
            - {role: Klas 1-2, start: 12:00, end: 12:30}
        """
    )
    assert cfg.hours.default.start == time(8, 30)
    assert cfg.hours.default.end == time(16, 0)
    assert cfg.hours.wednesday is not None
    assert cfg.hours.wednesday.end == time(13, 0)
    assert cfg.lunch_breaks.default.start == time(12, 15)
    assert cfg.lunch_breaks.by_role[0].start == time(12, 0)
    assert cfg.lunch_breaks.by_role[0].end == time(12, 30)
    assert cfg.lunch_breaks.by_role[0].role == "Klas 1-2"


def test_quoted_times() -> None:
    cfg = schedule('hours: {default: {start: "7:45", end: "15:30"}}')
    assert (cfg.hours.default.start, cfg.hours.default.end) == (time(7, 45), time(15, 30))


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        ("{start: 8:30, end: 24:00}", '1440 is not a time: write times as "HH:MM"'),
        ("{start: 12:30:00, end: 13:00}", "45000 is not a time"),
        ("{start: 12.30, end: 13:00}", "got float 12.3"),
        ('{start: "25:00", end: "26:00"}', "not a valid time of day"),
        ('{start: "noon", end: "13:00"}', "'noon' is not a time"),
        ("{start: true, end: 13:00}", "boolean"),
    ],
)
def test_bad_times(snippet: str, fragment: str) -> None:
    errors = errors_of(f"hours: {{default: {snippet}}}")
    assert any(fragment in msg for _, msg in errors), errors
    assert all(loc.startswith("hours.default.") for loc, _ in errors)


def test_end_must_be_after_start() -> None:
    loc, msg = one_error("hours: {wednesday: {start: 13:00, end: 12:00}}")
    assert loc == "hours.wednesday"
    assert "end (12:00) must be after start (13:00)" in msg
    loc, msg = one_error("lunch_breaks: {default: {start: 12:15, end: 12:15}}")
    assert loc == "lunch_breaks.default"
    assert "must be after start" in msg


def test_short_wednesday_by_dutch_key() -> None:
    cfg = schedule("hours: {woensdag: {start: 8:30, end: 13:00}}")
    assert cfg.hours.wednesday is not None
    assert cfg.hours.for_weekday(2).end == time(13, 0)
    assert cfg.hours.for_weekday(1).end == time(16, 0)
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert tt.hours[2] == Interval(time(8, 30), time(13, 0))


# -- weekdays ---------------------------------------------------------------------------------


def test_dutch_and_english_weekdays() -> None:
    cfg = schedule("school_days: [maandag, Tuesday, woensdag, do, fri, vrijdag]")
    assert cfg.school_days == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert cfg.weekday_numbers() == frozenset(range(5))


def test_bad_weekdays() -> None:
    loc, msg = one_error("school_days: [monday, fryday]")
    assert loc == "school_days.1"
    assert "unknown weekday 'fryday'" in msg
    loc, msg = one_error("school_days: []")
    assert "at least one school day" in msg
    loc, msg = one_error("hours: {fryday: {start: 9:00, end: 12:00}}")
    assert loc == "hours"
    assert "unknown key 'fryday'" in msg
    loc, msg = one_error(
        "hours: {wednesday: {start: 9:00, end: 12:00}, woensdag: {start: 9:00, end: 12:00}}"
    )
    assert "given twice" in msg
    loc, msg = one_error("hours: {saturday: {start: 9:00, end: 12:00}}")
    assert "hours.saturday is given, but saturday is not in school_days" in msg


def test_saturday_school() -> None:
    cfg = schedule(
        """
        school_days: [ma, di, wo, do, vr, za]
        hours: {zaterdag: {start: 9:00, end: 12:00}}
        """
    )
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert 5 in tt.school_days
    assert tt.hours[5] == Interval(time(9, 0), time(12, 0))


# -- other refusals ---------------------------------------------------------------------------


def test_unknown_keys_refused_everywhere() -> None:
    for text, where in [
        ("timezon: Europe/Amsterdam", "timezon"),
        ("hours: {default: {start: 8:30, end: 16:00, pause: 10}}", "hours.default.pause"),
        ("lunch_breaks: {everyone: {start: 12:00, end: 12:30}}", "lunch_breaks.everyone"),
        (
            "lunch_breaks: {by_role: [{role: x, start: 12:00, end: 12:30, day: mon}]}",
            "lunch_breaks.by_role.0.day",
        ),
        ("days_off: {regio: midden}", "days_off.regio"),
        ("days_off: {extra: [{from: 2026-11-27, until: 2026-11-28}]}", "days_off.extra.0.until"),
    ]:
        loc, msg = one_error(text)
        assert loc == where
        assert "Extra inputs are not permitted" in msg
    loc, _ = one_error("social_media: [x]", SchoolTimeConfig)
    assert loc == "social_media"


@pytest.mark.parametrize("zone", ["Europe/Amsterdan", "Mars/Olympus", "../etc/passwd", ""])
def test_unknown_timezone(zone: str) -> None:
    loc, msg = one_error(f"timezone: '{zone}'")
    assert loc == "timezone"
    assert "unknown time zone" in msg


def test_other_timezone() -> None:
    cfg = schedule("timezone: Europe/Brussels")
    assert build_timetable(cfg, Path("."), years=YEARS).tz == ZoneInfo("Europe/Brussels")


def test_region() -> None:
    assert schedule("days_off: {region: Zuid}").days_off.region == "zuid"
    assert schedule("days_off: {region: NOORD}").days_off.region == "noord"
    loc, msg = one_error("days_off: {region: west}")
    assert loc == "days_off.region"
    assert "unknown region 'west': use noord, midden or zuid" in msg


# -- days off ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Goede Vrijdag", "goede vrijdag", "Good Friday", "GOOD FRIDAY"])
def test_not_observed_by_name(name: str) -> None:
    cfg = schedule(f"days_off: {{not_observed: ['{name}']}}")
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert date(2026, 4, 3) not in tt.days_off
    assert date(2027, 3, 26) not in tt.days_off
    assert date(2026, 4, 6) in tt.days_off  # Tweede paasdag stays


def test_not_observed_by_date_keeps_other_years() -> None:
    cfg = schedule("days_off: {not_observed: [2026-04-03, '2027-03-26']}")
    assert cfg.days_off.not_observed == [date(2026, 4, 3), date(2027, 3, 26)]
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert date(2026, 4, 3) not in tt.days_off
    assert date(2027, 3, 26) not in tt.days_off


def test_not_observed_vacation_name_keeps_koningsdag() -> None:
    cfg = schedule("days_off: {not_observed: [Meivakantie]}")
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert date(2027, 4, 26) not in tt.days_off
    assert date(2027, 4, 27) in tt.days_off
    assert tt.day_off_names[date(2027, 4, 27)] == "Koningsdag"


def test_unknown_holiday_name() -> None:
    loc, msg = one_error("days_off: {not_observed: [Goede Vrydag]}")
    assert loc == "days_off.not_observed"
    assert "unknown holiday name 'Goede Vrydag'" in msg
    assert "Goede vrijdag" in msg


def test_extra_forms() -> None:
    cfg = schedule(
        """
        days_off:
          extra:
            - 2026-11-27
            - "2026-11-30"
            - {date: 2026-12-01, name: Studiedag}
            - {from: 2027-02-15, to: 2027-02-19, name: Carnaval}
        """
    )
    extra = cfg.days_off.extra
    assert [(e.from_, e.last, e.name) for e in extra] == [
        (date(2026, 11, 27), date(2026, 11, 27), None),
        (date(2026, 11, 30), date(2026, 11, 30), None),
        (date(2026, 12, 1), date(2026, 12, 1), "Studiedag"),
        (date(2027, 2, 15), date(2027, 2, 19), "Carnaval"),
    ]
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert tt.day_off_names[date(2026, 11, 27)] == "vrije dag"
    assert tt.day_off_names[date(2026, 12, 1)] == "Studiedag"
    assert all(date(2027, 2, d) in tt.days_off for d in range(15, 20))
    assert tt.day_off_names[date(2027, 2, 17)] == "Carnaval"


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ("20261127", "expected a date (YYYY-MM-DD), got int"),
        ("'2026-13-01'", "not a date"),
        ("2026-11-27 10:00:00", "a date and time"),
        ("{from: 2026-11-27, to: 2026-11-20}", "'to' (2026-11-20) is before 'from' (2026-11-27)"),
        ("{date: 2026-11-27, to: 2026-11-30}", "either 'date' or 'from'/'to'"),
        ("{from: 2026-01-01, to: 2027-06-01}", "longer than a year"),
        ("{to: 2026-11-30}", "Field required"),
    ],
)
def test_bad_extra(item: str, fragment: str) -> None:
    errors = errors_of(f"days_off: {{extra: [{item}]}}")
    assert any(fragment in msg for _, msg in errors), errors
    assert all(loc.startswith("days_off.extra.0") for loc, _ in errors)


def test_vacation_moved_with_school_days() -> None:
    cfg = schedule(
        """
        days_off:
          school_days: [{from: 2026-10-19, to: 2026-10-23}]
          extra: [{from: 2026-10-26, to: 2026-10-30, name: Herfstvakantie}]
        """
    )
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert not any(date(2026, 10, d) in tt.days_off for d in range(19, 24))
    assert all(date(2026, 10, d) in tt.days_off for d in range(26, 31))
    assert tt.extra_school_days == frozenset()  # all weekdays already
    assert tt.school_hours(date(2026, 10, 20)) == Interval(time(8, 30), time(16, 0))


def test_contradiction_between_extra_and_school_days() -> None:
    loc, msg = one_error(
        "days_off: {extra: [2026-11-27], school_days: [{from: 2026-11-23, to: 2026-11-27}]}"
    )
    assert loc == "days_off"
    assert "2026-11-27" in msg


def test_switch_off_package_days() -> None:
    cfg = schedule("days_off: {public_holidays: false, school_vacations: false}")
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert tt.days_off == frozenset()


# -- iCalendar --------------------------------------------------------------------------------

ICS = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Compass//Jaarplanning//NL\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:1@compass\r\n"
    "DTSTART;VALUE=DATE:20261127\r\n"
    "DTEND;VALUE=DATE:20261128\r\n"
    "SUMMARY:Studiedag\\, docenten\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:2@compass\r\n"
    "DTSTART;VALUE=DATE:20270215\r\n"
    "DTEND;VALUE=DATE:20270220\r\n"
    "SUMMARY:Carnavals\r\n"
    " vakantie\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:3@compass\r\n"
    "DTSTART:20261201\r\n"
    "SUMMARY:Sinterklaas vrij\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:4@compass\r\n"
    "DTSTART;VALUE=DATE:20270301\r\n"
    "DURATION:P2D\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:5@compass\r\n"
    "DTSTART;TZID=Europe/Amsterdam:20261203T190000\r\n"
    "DTEND;TZID=Europe/Amsterdam:20261203T210000\r\n"
    "SUMMARY:Ouderavond\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:6@compass\r\n"
    "DTSTART;VALUE=DATE:20261204\r\n"
    "STATUS:CANCELLED\r\n"
    "SUMMARY:Afgelast\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_parse_ics() -> None:
    days = parse_ics_days_off(ICS, YEARS)
    assert days == {
        date(2026, 11, 27): "Studiedag, docenten",
        date(2027, 2, 15): "Carnavalsvakantie",
        date(2027, 2, 16): "Carnavalsvakantie",
        date(2027, 2, 17): "Carnavalsvakantie",
        date(2027, 2, 18): "Carnavalsvakantie",
        date(2027, 2, 19): "Carnavalsvakantie",  # DTEND is exclusive
        date(2026, 12, 1): "Sinterklaas vrij",  # no DTEND: one day
        date(2027, 3, 1): "vrije dag",  # DURATION, no SUMMARY
        date(2027, 3, 2): "vrije dag",
    }


def test_ics_file_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "jaarplanning.ics").write_bytes(b"\xef\xbb\xbf" + ICS.encode())  # with a BOM
    cfg = schedule("days_off: {ics_file: jaarplanning.ics}")
    tt = build_timetable(cfg, tmp_path, years=YEARS)
    assert tt.day_off_names[date(2026, 11, 27)] == "Studiedag, docenten"
    assert date(2026, 12, 3) not in tt.days_off
    assert date(2026, 12, 4) not in tt.days_off
    # school_days overrides beat the calendar too
    cfg = schedule("days_off: {ics_file: jaarplanning.ics, school_days: [2026-11-27]}")
    assert date(2026, 11, 27) not in build_timetable(cfg, tmp_path, years=YEARS).days_off


def test_ics_file_absolute(tmp_path: Path) -> None:
    path = tmp_path / "year.ics"
    path.write_text(ICS, encoding="utf-8")
    cfg = ScheduleConfig.model_validate({"days_off": {"ics_file": str(path)}})
    tt = build_timetable(cfg, Path("/nonexistent"), years=YEARS)
    assert date(2027, 2, 15) in tt.days_off


def test_ics_file_missing(tmp_path: Path) -> None:
    cfg = schedule("days_off: {ics_file: missing.ics}")
    with pytest.raises(ScheduleError, match=r"ics_file: .*missing\.ics: file not found"):
        build_timetable(cfg, tmp_path, years=YEARS)


def _calendar(*lines: str) -> str:
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//NL", *lines, "END:VCALENDAR", ""]
    )


def _event(*lines: str) -> list[str]:
    return ["BEGIN:VEVENT", *lines, "END:VEVENT"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (
            _calendar(*_event("UID:a", "SUMMARY:Studiedag", "DTSTART;VALUE=DATE:2026-11-27")),
            "event 'Studiedag': cannot read DTSTART",
        ),
        (_calendar(*_event("UID:b", "DTSTART;VALUE=DATE:20261327")), "cannot read DTSTART"),
        (
            _calendar(*_event("UID:c", "DTSTART;VALUE=DATE:20261127", "RRULE:FREQ=BOGUS")),
            "cannot read RRULE",
        ),
        ("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261127\nEND:VEVENT\n", "not an iCalendar file"),
        ("just some notes\n", "not an iCalendar file"),
        (
            "BEGIN:VCALENDAR\nthis is not a content line\nEND:VCALENDAR\n",
            "not a readable iCalendar",
        ),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:caf\xe9\r\nEND:VCALENDAR\r\n", "not UTF-8"),
    ],
)
def test_broken_ics_is_one_schedule_error(data: str | bytes, fragment: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_ics_days_off(data, YEARS, source="jaar.ics")
    message = str(info.value)
    assert message.startswith("schedule.days_off.ics_file: jaar.ics: ")
    assert fragment in message and "\n" not in message


def test_ics_recurring_events_with_exdate_and_a_cancelled_occurrence() -> None:
    data = _calendar(
        # Every Friday from 2026-11-06, 4 times, without 2026-11-13; the 2026-11-20 one cancelled.
        *_event(
            "UID:weekly@compass",
            "DTSTART;VALUE=DATE:20261106",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;VALUE=DATE:20261113",
            "SUMMARY:Vrije vrijdag",
        ),
        *_event(
            "UID:weekly@compass",
            "RECURRENCE-ID;VALUE=DATE:20261120",
            "DTSTART;VALUE=DATE:20261120",
            "STATUS:CANCELLED",
            "SUMMARY:Vrije vrijdag",
        ),
        # A yearly all-day event, expanded only within the requested years.
        *_event(
            "UID:yearly@compass",
            "DTSTART;VALUE=DATE:20200101",
            "RRULE:FREQ=YEARLY",
            "SUMMARY:Nieuwjaar",
        ),
        # A timed recurring event is never a day off.
        *_event(
            "UID:timed@compass",
            "DTSTART:20261102T190000Z",
            "DTEND:20261102T210000Z",
            "RRULE:FREQ=WEEKLY",
            "SUMMARY:Ouderavond",
        ),
    )
    days = parse_ics_days_off(data, YEARS)
    assert days == {
        date(2026, 11, 6): "Vrije vrijdag",
        date(2026, 11, 27): "Vrije vrijdag",
        date(2026, 1, 1): "Nieuwjaar",
        date(2027, 1, 1): "Nieuwjaar",
    }


def test_ics_rules_that_repeat_too_often_are_refused_quickly() -> None:
    import time

    data = _calendar(*_event("UID:x", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY"))
    assert len(parse_ics_days_off(data, [2026])) == 365  # daily all-day: every day of a year
    # A timed rule every minute is dropped before expansion (never a day off).
    timed = _calendar(
        *_event("UID:y", "DTSTART:20260101T000000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY")
    )
    started = time.monotonic()
    assert parse_ics_days_off(timed, YEARS) == {}
    hourly = _calendar(*_event("UID:z", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=HOURLY"))
    with pytest.raises(ScheduleError, match="cannot repeat within a day"):
        parse_ics_days_off(hourly, YEARS)
    many = _calendar(
        *[
            line
            for i in range(20)
            for line in _event(f"UID:{i}", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY")
        ]
    )
    with pytest.raises(ScheduleError, match="more than 5000 all-day events"):
        parse_ics_days_off(many, YEARS)
    assert time.monotonic() - started < 5


def test_an_ics_event_without_its_date_is_named_in_one_line() -> None:
    data = _calendar(*_event("UID:x", "SUMMARY:Kerstvakantie"))
    with pytest.raises(ScheduleError, match="event 'Kerstvakantie' has no DTSTART") as raised:
        parse_ics_days_off(data, YEARS)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_ics_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    import os

    target = tmp_path / "jaar.ics"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    cfg = schedule("days_off: {ics_file: jaar.ics}")
    with pytest.raises(ScheduleError, match=r"ics_file: .*jaar\.ics: is (a folder|not a regular)"):
        build_timetable(cfg, tmp_path, years=YEARS)


# -- per-role lunch breaks in the timetable ---------------------------------------------------


def test_role_breaks_in_timetable() -> None:
    cfg = schedule(
        """
        lunch_breaks:
          by_role:
            - {role: Klas 1-2, start: 12:00, end: 12:30}
            - {role: "123456789012345678", start: 12:30, end: 13:00}
        """
    )
    tt = build_timetable(cfg, Path("."), years=YEARS)
    assert tt.lunch_by_role == (
        ("Klas 1-2", Interval(time(12, 0), time(12, 30))),
        (123456789012345678, Interval(time(12, 30), time(13, 0))),
    )
    both = Author(1, ((5, "KLAS 1-2"), (123456789012345678, "Klas 3")))
    # the two breaks touch: one break from 12:00 to 13:00 (its end told as 13:00)
    assert tt.breaks_for(both) == (Interval(time(12, 0), time(13, 0)),)
    assert tt.breaks_for(Author(2, ((9, "Leerling"),))) == (tt.lunch_default,)


# -- school_time ------------------------------------------------------------------------------


def test_school_time_section() -> None:
    st = SchoolTimeConfig.model_validate(
        yaml.safe_load(
            """
            social_channels: ["#algemeen", memes, "123456789012345678"]
            social_categories: [Sociaal]
            exempt_channels: [wiskunde-3b]
            staff_roles: ["@Docent", 987654321098765432]
            action: warn_and_delete
            warning_cooldown_minutes: 0
            permission_default_minutes: 45
            """
        )
    )
    assert st.social_channels == ["algemeen", "memes", 123456789012345678]
    assert st.staff_roles == ["Docent", 987654321098765432]
    assert st.action == "warn_and_delete"
    scope = st.to_scope()
    assert scope.social_channels.ids == frozenset({123456789012345678})
    assert scope.social_channels.names == frozenset({"algemeen", "memes"})
    assert scope.staff_roles.names == frozenset({"docent"})


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("action: shout", "action", "'warn' or 'warn_and_delete'"),
        ("warning_cooldown_minutes: -1", "warning_cooldown_minutes", "greater than or equal"),
        ("permission_default_minutes: 0", "permission_default_minutes", "greater than or equal"),
        ("staff_roles: [true]", "staff_roles.0", "boolean"),
        ("social_channels: ['']", "social_channels.0", "empty name"),
        (
            "{social_channels: [algemeen], exempt_channels: [Algemeen]}",
            "",
            "both in social_channels and exempt_channels",
        ),
    ],
)
def test_bad_school_time(text: str, where: str, fragment: str) -> None:
    loc, msg = one_error(text, SchoolTimeConfig)
    assert loc == where
    assert fragment in msg


def test_config_section_usable_as_scope() -> None:
    st = SchoolTimeConfig(social_channels=["algemeen"])
    channel = ChannelInfo(1, "algemeen", None, None)
    assert is_watched(channel, st)
    assert st.to_scope() is st.to_scope()  # cached
    tt = build_timetable(ScheduleConfig(), Path("."), years=YEARS)
    moment = datetime(2026, 6, 9, 8, 0, tzinfo=UTC)
    assert judge_post(moment, Author(1), channel, (), tt, st).reason == "lesson_time"
    # the cache follows changes to the lists
    st.social_channels.clear()
    assert not is_watched(channel, st)
    copy = st.model_copy(update={"social_channels": ["algemeen"]})
    assert is_watched(channel, copy)
    assert not is_watched(channel, st)


@pytest.mark.parametrize("interval", ["0", "-1"])
def test_ics_a_rule_with_no_positive_interval_is_one_line_not_a_hang(interval: str) -> None:
    """RFC 5545: INTERVAL is a positive integer; 0 made the expansion loop forever."""
    data = _calendar(
        *_event("UID:x", "DTSTART;VALUE=DATE:20261123", f"RRULE:FREQ=DAILY;INTERVAL={interval}")
    )
    with pytest.raises(ScheduleError, match="INTERVAL must be a whole number of at least 1"):
        parse_ics_days_off(data, YEARS)
    every_other = _calendar(
        *_event("UID:y", "DTSTART;VALUE=DATE:20260101", "RRULE:FREQ=DAILY;INTERVAL=2")
    )
    assert len(parse_ics_days_off(every_other, [2026])) == 183


@pytest.mark.parametrize("ending", ["DTEND;VALUE=DATE:20261120", "DURATION:-P1D"])
def test_ics_an_all_day_event_that_ends_before_it_starts_is_one_line(ending: str) -> None:
    """Not silently dropped (and the day off with it): the file is refused, naming the event;
    DTEND on the start day still means that one day."""
    data = _calendar(*_event("UID:z", "SUMMARY:Studiedag", "DTSTART;VALUE=DATE:20261124", ending))
    with pytest.raises(ScheduleError, match="event 'Studiedag' ends before it starts"):
        parse_ics_days_off(data, YEARS)
    same_day = _calendar(
        *_event(
            "UID:s", "SUMMARY:Studiedag", "DTSTART;VALUE=DATE:20261124", "DTEND;VALUE=DATE:20261124"
        )
    )
    assert list(parse_ics_days_off(same_day, [2026])) == [date(2026, 11, 24)]


def test_ics_a_date_event_with_a_time_end_or_cancelled_backwards() -> None:
    """DTEND a moment where DTSTART is a day is one line (it compared a datetime with a
    date and crashed); a cancelled event is never a day off, whatever its dates."""
    mixed = _calendar(
        *_event(
            "UID:m", "SUMMARY:Studiedag", "DTSTART;VALUE=DATE:20261124", "DTEND:20261125T000000"
        )
    )
    with pytest.raises(ScheduleError, match="DTEND is a time, DTSTART a date"):
        parse_ics_days_off(mixed, YEARS)
    cancelled = _calendar(
        *_event(
            "UID:c",
            "SUMMARY:Studiedag",
            "DTSTART;VALUE=DATE:20261124",
            "DTEND;VALUE=DATE:20261120",
            "STATUS:CANCELLED",
        )
    )
    assert parse_ics_days_off(cancelled, YEARS) == {}


def test_ics_an_event_with_two_summaries_is_named_by_the_first_never_a_repr() -> None:
    """icalendar gives a repeated property as a list, whose str() is Python's repr:
    "Vandaag is er geen school ([vText(b'a'), vText(b'x')])" and in every error line."""
    two = _calendar(*_event("UID:t", "DTSTART;VALUE=DATE:20261124", "SUMMARY:a", "SUMMARY:x"))
    assert parse_ics_days_off(two, [2026]) == {date(2026, 11, 24): "a"}
    languages = _calendar(
        *_event(
            "UID:l",
            "DTSTART;VALUE=DATE:20261124",
            "SUMMARY;LANGUAGE=nl:Studiedag",
            "SUMMARY;LANGUAGE=en:Study day",
        )
    )
    assert parse_ics_days_off(languages, [2026]) == {date(2026, 11, 24): "Studiedag"}
    backwards = _calendar(
        *_event(
            "UID:b",
            "DTSTART;VALUE=DATE:20261124",
            "DTEND;VALUE=DATE:20261120",
            "SUMMARY:a",
            "SUMMARY:x",
        )
    )
    with pytest.raises(ScheduleError) as refused:
        parse_ics_days_off(backwards, [2026], source="jaar.ics")
    assert (
        str(refused.value)
        == "schedule.days_off.ics_file: jaar.ics: event 'a' ends before it starts"
    )


def test_ics_a_day_off_is_named_in_dutch_by_its_first_summary_that_says_something() -> None:
    """An empty first SUMMARY does not make it "vrije dag"; a Dutch SUMMARY (LANGUAGE=nl)
    names the day in the Dutch message even when an English one comes first; a control
    character in it never reaches a student's message raw."""
    empty_first = _calendar(
        *_event("UID:e", "DTSTART;VALUE=DATE:20261124", "SUMMARY:", "SUMMARY:Studiedag")
    )
    assert parse_ics_days_off(empty_first, [2026]) == {date(2026, 11, 24): "Studiedag"}
    english_first = _calendar(
        *_event(
            "UID:l",
            "DTSTART;VALUE=DATE:20261124",
            "SUMMARY;LANGUAGE=en:Study day",
            "SUMMARY;LANGUAGE=nl-NL:Studiedag",
        )
    )
    assert parse_ics_days_off(english_first, [2026]) == {date(2026, 11, 24): "Studiedag"}
    escape = _calendar(*_event("UID:c", "DTSTART;VALUE=DATE:20261124", "SUMMARY:Ker\x1bst"))
    assert parse_ics_days_off(escape, [2026]) == {date(2026, 11, 24): "Kerst"}


def test_ics_a_moved_lesson_is_no_day_off_whatever_it_repeats() -> None:
    """An override of a timed series (a lesson moved: RECURRENCE-ID a date-time) is dropped
    with its series, so a slip in it (two DTSTARTs) does not refuse the school's calendar."""
    lessons = _calendar(
        *_event("UID:les", "DTSTART:20261124T090000", "RRULE:FREQ=WEEKLY", "SUMMARY:Wiskunde"),
        *_event(
            "UID:les",
            "RECURRENCE-ID:20261201T090000",
            "DTSTART:20261201T100000",
            "DTSTART:20261201T110000",
            "SUMMARY:Wiskunde",
        ),
        *_event("UID:d", "DTSTART;VALUE=DATE:20261124", "SUMMARY:Studiedag"),
    )
    assert parse_ics_days_off(lessons, [2026]) == {date(2026, 11, 24): "Studiedag"}


@pytest.mark.parametrize(
    ("prop", "second"),
    [
        ("DTSTART", "DTSTART;VALUE=DATE:20261125"),
        ("DTEND", "DTEND;VALUE=DATE:20261126"),
        ("DURATION", "DURATION:P2D"),
        ("STATUS", "STATUS:CANCELLED"),
        ("UID", "UID:other"),
        ("SEQUENCE", "SEQUENCE:2"),
    ],
)
def test_ics_a_repeated_date_or_status_is_one_line_naming_the_event(prop: str, second: str) -> None:
    """Two dates or two statuses are ambiguous (and RFC 5545 allows one): refused in one
    line, where it crashed the expansion ("'list' object has no attribute 'dt'") or read
    CONFIRMED + CANCELLED as not cancelled."""
    first = {"DTEND": "DTEND;VALUE=DATE:20261125", "DURATION": "DURATION:P1D"}.get(
        prop, {"STATUS": "STATUS:CONFIRMED", "SEQUENCE": "SEQUENCE:1"}.get(prop, "")
    )
    lines = ["UID:r", "DTSTART;VALUE=DATE:20261124", "SUMMARY:Studiedag", first, second]
    data = _calendar(*_event(*[line for line in lines if line]))
    with pytest.raises(ScheduleError) as refused:
        parse_ics_days_off(data, [2026], source="jaar.ics")
    assert str(refused.value) == (
        f"schedule.days_off.ics_file: jaar.ics: event 'Studiedag': {prop} appears 2 times; "
        "an event has at most one"
    )


def test_ics_a_timed_event_with_a_repeated_uid_is_still_skipped() -> None:
    """A parents' evening is never a day off: its slip does not refuse the school's file."""
    data = _calendar(
        *_event("UID:e", "UID:f", "DTSTART:20261124T190000Z", "SUMMARY:Ouderavond"),
        *_event("UID:d", "DTSTART;VALUE=DATE:20261127", "SUMMARY:Studiedag"),
    )
    assert parse_ics_days_off(data, [2026]) == {date(2026, 11, 27): "Studiedag"}
