"""The one reader of the wall clock.

Every "now" in the bot comes from a `Clock` handed in by whoever builds the service and the
front ends: the real process passes `Clock()`, the console moves it with `/tijd`, and tests
start it wherever they like. Nothing else may call `datetime.now`, `date.today` or
`time.time` (ruff's banned-api enforces it), so the suite passes on any day of any year.

A clock that was `set` keeps running from that moment at the wall clock's pace, so rate
limits and retries still clear; `freeze` stops it for tests that want one exact moment.
All arithmetic is in UTC, so adding minutes across a daylight-saving change is exact.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


def _wall() -> datetime:
    return datetime.now(UTC)  # the only wall-clock read in the bot


class Clock:
    """Now, as the bot sees it: the wall clock, optionally moved and/or frozen."""

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        if frozen:
            self.freeze(start)
        elif start is not None:
            self.set(start)

    @property
    def moved(self) -> bool:
        """True when this clock no longer shows the wall clock (the console says so)."""
        return self._frozen_at is not None or self._offset != timedelta(0)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> datetime:
        """The current moment, timezone-aware in UTC."""
        if self._frozen_at is not None:
            return self._frozen_at
        return _wall() + self._offset

    def set(self, at: datetime) -> None:
        """Move the clock to `at` (aware); it keeps running from there unless frozen."""
        if at.tzinfo is None:
            raise ValueError("Clock.set needs a timezone-aware moment")
        at = at.astimezone(UTC)
        if self._frozen_at is not None:
            self._frozen_at = at
        else:
            self._offset = at - _wall()

    def advance(self, delta: timedelta) -> None:
        """Move the clock by real elapsed time (UTC arithmetic, so DST-safe)."""
        self.set(self.now() + delta)

    def freeze(self, at: datetime | None = None) -> None:
        """Stop the clock at `at` (default: now), for tests that need one exact instant."""
        if at is not None and at.tzinfo is None:
            raise ValueError("Clock.freeze needs a timezone-aware moment")
        self._frozen_at = (at or self.now()).astimezone(UTC)

    def reset(self) -> None:
        """Back to the wall clock, running."""
        self._offset = timedelta(0)
        self._frozen_at = None

    @staticmethod
    def monotonic() -> float:
        """Seconds for measuring intervals (pacing, progress); never a date."""
        return time.monotonic()
