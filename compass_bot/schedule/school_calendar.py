"""`SchoolCalendar`: the timetable the running bot holds, rebuilt when the coming month passes it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from compass_bot.features.schooltime.rules import Timetable
from compass_bot.schedule.ics import ScheduleError
from compass_bot.schedule.timetable import build_timetable, missing_vacations

if TYPE_CHECKING:
    from compass_bot.config import LoadedConfig

log = logging.getLogger(__name__)


class SchoolCalendar:
    """The school's timetable as the running bot holds it: built at start, rebuilt when the
    coming month passes the computed years. Shared by school time, grants and digests."""

    def __init__(self, loaded: LoadedConfig, timetable: Timetable) -> None:
        self.loaded = loaded
        self.timetable = timetable

    @classmethod
    def build(cls, loaded: LoadedConfig, now: datetime) -> SchoolCalendar:
        calendar = cls(loaded, build_timetable(loaded.config.schedule, loaded.base_dir, today=now))
        calendar.warn_missing_vacations(now)
        return calendar

    def warn_missing_vacations(self, now: datetime) -> list[str]:
        """Log (and return) the note for this year and the coming month's when the holidays
        package has no school vacations for them: a summer holiday would otherwise read as
        lesson time without a word (the admin lists them in the config or the .ics file)."""
        tz = self.timetable.tz
        years = (now.astimezone(tz).year, (now + timedelta(days=31)).astimezone(tz).year)
        notes = missing_vacations(self.timetable, years)
        for note in notes:
            log.warning("school calendar: %s", note)
        return notes

    def refresh(self, now: datetime) -> bool:
        """Rebuild the days off when the coming month is past the computed years.

        Called every few hours by the Discord bot (`CompassBot.keep_calendar`); returns
        whether it rebuilt. An .ics
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
        self.warn_missing_vacations(now)
        return True
