"""Budgets for what the bot sends, below Discord's limits and the moderators' patience.

A `Pacer` is a token bucket: a short burst goes out at once, after that one send per
`60 / per_minute` seconds, in the order asked. A `Window` counts events in a sliding
window (at most N new alerts in any minute). Both measure with `Clock.monotonic`, so a
test that freezes the bot's date still sees its sends paced in real time.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from collections.abc import Awaitable, Callable

from compass_bot.clock import Clock

log = logging.getLogger("compass_bot.discord.pacing")
DM_BURST = 5


class Pacer:
    """At most `burst` at once, then `per_minute` a minute; waiters are served in order."""

    def __init__(
        self,
        per_minute: float,
        burst: int = 1,
        monotonic: Callable[[], float] = Clock.monotonic,
    ) -> None:
        self.interval = 60.0 / per_minute
        self.burst = max(1, burst)
        self._monotonic = monotonic
        self._tokens = float(self.burst)
        self._at = monotonic()
        self._lock = asyncio.Lock()  # FIFO: the first to wait is the first to send
        self._tasks: set[asyncio.Task[None]] = set()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._at) / self.interval)
        self._at = now

    def delay(self) -> float:
        """Seconds until a send would be allowed (0: now)."""
        self._refill()
        return 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) * self.interval

    def try_take(self) -> bool:
        """Take a token if one is there, without waiting."""
        if self._lock.locked() or self.delay() > 0:
            return False
        self._tokens -= 1.0
        return True

    def idle(self) -> bool:
        """Nobody waiting and the bucket full: this pacer can be forgotten."""
        return (
            not self._lock.locked()
            and not self._tasks
            and self.delay() == 0
            and (self._tokens >= self.burst)
        )

    async def wait(self) -> None:
        """Wait for a token and take it."""
        async with self._lock:
            while (pause := self.delay()) > 0:
                await asyncio.sleep(pause)
            self._tokens -= 1.0

    def later(self, send: Callable[[], Awaitable[object]], what: str) -> None:
        """Send in the background when a token is free (the caller goes on at once); a
        failure is logged as `what`."""

        async def run() -> None:
            await self.wait()
            try:
                await send()
            except Exception as exc:
                log.info("%s failed: %s", what, exc)

        task = asyncio.get_running_loop().create_task(run(), name=f"paced: {what}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class Window:
    """At most `limit` events in any `seconds`-long window (monotonic time)."""

    def __init__(
        self, limit: int, seconds: float, monotonic: Callable[[], float] = Clock.monotonic
    ) -> None:
        self.limit, self.seconds, self._monotonic = limit, seconds, monotonic
        self._events: deque[float] = deque()

    def _prune(self) -> float:
        now = self._monotonic()
        while self._events and self._events[0] <= now - self.seconds:
            self._events.popleft()
        return now

    def used(self) -> int:
        self._prune()
        return len(self._events)

    def left(self) -> int:
        return max(0, self.limit - self.used())

    def delay(self) -> float:
        """Seconds until one more event fits (0: now)."""
        now = self._prune()
        if len(self._events) < self.limit:
            return 0.0
        return self._events[len(self._events) - self.limit] + self.seconds - now

    def add(self) -> None:
        self._events.append(self._prune())


_DM_PACERS: weakref.WeakKeyDictionary[object, Pacer] = weakref.WeakKeyDictionary()


def dm_pacer(bot: object, per_minute: int) -> Pacer:
    """The one DM pacer of this bot, shared by every cog that writes to members.

    A board's schools share one bot, so one DM budget: it keeps the slowest school's
    `alerts.dms_per_minute` (a pace that changed with the school asking would start a new
    burst each time)."""
    schools = getattr(bot, "schools", ())
    per_minute = min([per_minute, *(s.loaded.config.alerts.dms_per_minute for s in schools)])
    pacer = _DM_PACERS.get(bot)
    if pacer is None or pacer.interval != 60.0 / per_minute:
        pacer = _DM_PACERS[bot] = Pacer(per_minute, burst=DM_BURST)
    return pacer


async def woken(event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set, at most `seconds`; whether it was set.

    A loop that sleeps between rounds waits here. `asyncio.timeout`, not `asyncio.wait_for`:
    on Python 3.11, `wait_for` drops a cancellation that arrives just as the event is set,
    so a loop stopped at that moment would run on and its cog's unload would wait forever.
    """
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
