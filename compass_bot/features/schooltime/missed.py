"""Posts made while the bot was away: judged once when it is back.

Discord replays missed events only on a resumed session; after a crash, a restart or a
reconnect that could not resume, posts in the watched channels would never be judged. The
bot remembers the last post it saw per channel (in memory on every post, written to the
store now and then and whenever a post is flagged), and on start reads each watched
channel's history after that mark, bounded in time and count.

A flagged post is always written with its mark, so it is never judged twice; an allowed
post judged again is allowed again. A late breach is alerted, but the student is only
warned while the post is still recent: a warning about something from an hour ago helps
nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from compass_bot.features.schooltime.repo import SchoolTimeRepo

CATCH_UP_WINDOW = timedelta(hours=2)  # never read further back than this
CATCH_UP_LIMIT = 200  # posts per channel at the most
LATE_WARNING = timedelta(minutes=10)  # a breach older than this gets an alert, no warning


def still_worth_a_warning(posted_at: datetime, now: datetime) -> bool:
    """A late-judged breach warns the student only while it is recent."""
    return now - posted_at <= LATE_WARNING


class SeenPosts:
    """The last post seen per watched channel, so a post is judged once even across a crash."""

    def __init__(self, store: SchoolTimeRepo) -> None:
        self._store = store
        self._seen: dict[int, int] = {}
        self._dirty: dict[int, int] = {}
        self._stored: dict[int, int] = {}

    async def load(self) -> None:
        self._stored = await self._store.channel_marks()

    def saw(self, channel_id: int, message_id: int) -> None:
        """Called for every post in a watched channel: memory only, no disk on this path."""
        if message_id > self._seen.get(channel_id, 0):
            self._seen[channel_id] = message_id
            self._dirty[channel_id] = message_id

    def mark(self, channel_id: int) -> int | None:
        """The last post seen in this channel, by this process or an earlier one.

        A channel with no post seen yet falls back to the latest post seen anywhere (the bot
        was there then); with nothing seen at all there is nothing to catch up on."""
        known = max(self._seen.get(channel_id, 0), self._stored.get(channel_id, 0))
        if known:
            return known
        return max([*self._seen.values(), *self._stored.values()], default=0) or None

    async def flush(self) -> None:
        """Write the marks that moved since the last flush."""
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, {}
        try:
            await self._store.save_channel_marks(dirty)
        except BaseException:
            for channel_id, message_id in dirty.items():  # keep them for the next try
                self._dirty[channel_id] = max(message_id, self._dirty.get(channel_id, 0))
            raise
        for channel_id, message_id in dirty.items():
            self._stored[channel_id] = max(message_id, self._stored.get(channel_id, 0))
