"""The running bot says when its holidays package has no school vacations for this year or the
coming month's (a tester: in a year past the package the summer holiday would read as lesson time without a word);
check-time already says so on stderr."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compass_bot.schedule.school_calendar import SchoolCalendar
from compass_bot.schedule.timetable import vacation_note
from tests.conftest import TEST_CONFIG, make_loaded


def test_a_year_without_school_vacations_is_logged_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime(2099, 6, 10, 9, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="compass_bot.schedule.school_calendar"):
        calendar = SchoolCalendar.build(make_loaded(tmp_path), now)
    assert vacation_note(2099) in calendar.timetable.notes
    assert any(vacation_note(2099) in r.getMessage() for r in caplog.records)


def test_a_covered_year_logs_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with caplog.at_level(logging.WARNING, logger="compass_bot.schedule.school_calendar"):
        calendar = SchoolCalendar.build(make_loaded(tmp_path), now)
    assert calendar.warn_missing_vacations(now) == []
    assert not [r for r in caplog.records if "school vacations" in r.getMessage()]


def test_the_coming_month_in_a_new_year_counts_too(tmp_path: Path) -> None:
    """On 10 December the coming month reaches into the next year: its note is said then."""
    calendar = SchoolCalendar.build(make_loaded(tmp_path), datetime(2098, 12, 10, tzinfo=UTC))
    notes = calendar.warn_missing_vacations(datetime(2098, 12, 10, tzinfo=UTC))
    assert notes == [vacation_note(2098), vacation_note(2099)]


def test_a_year_the_school_lists_its_own_days_off_for_has_no_note(tmp_path: Path) -> None:
    """The note's own advice followed (`days_off.extra` for that year): it is said no more."""
    text = TEST_CONFIG.replace(
        "schedule:\n",
        "schedule:\n  days_off:\n    extra:\n      - {from: 2099-07-12, to: 2099-08-24, name: Zomervakantie}\n",
        1,
    )
    assert text != TEST_CONFIG
    calendar = SchoolCalendar.build(make_loaded(tmp_path, text), datetime(2099, 6, 10, tzinfo=UTC))
    assert vacation_note(2099) not in calendar.timetable.notes
    assert vacation_note(2098) in calendar.timetable.notes
