"""The `digest:` section: when the weekly digest is posted, and in which language."""

from __future__ import annotations

from datetime import time
from typing import Literal

from compass_bot.inputs import StrictBool
from compass_bot.schedule import ClockTime, Weekday, WeekdayName
from compass_bot.sections import Section


class DigestSettings(Section):
    """Posted in the moderators' channel on `weekday` at `time`, school-local (DST-safe)."""

    enabled: StrictBool = True
    weekday: Weekday = "friday"
    time: ClockTime = time(16, 0)
    language: Literal["nl", "en"] = "nl"


__all__ = ["DigestSettings", "WeekdayName"]
