"""The cool-down feature's tables: the slowmodes the bot set (so a restart restores them) and
the channels staff switched off. Channel ids and times only: nothing of a post, no member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

import aiosqlite

from compass_bot.storage.db import Database, Migration, from_db, to_db

MIGRATIONS: tuple[Migration, ...] = (
    # 10: the slowmodes the bot set, with the value to restore; channels never watched.
    Migration(
        10,
        "heat_slowmodes",
        """
        CREATE TABLE heat_slowmodes (
            channel_id INTEGER PRIMARY KEY,
            previous_seconds INTEGER NOT NULL CHECK (previous_seconds >= 0),
            seconds INTEGER NOT NULL CHECK (seconds > 0),
            until TEXT NOT NULL
        );
        CREATE TABLE heat_channels_off (
            channel_id INTEGER PRIMARY KEY,
            since TEXT NOT NULL
        );
        """,
    ),
)


@dataclass(frozen=True, slots=True)
class Slowmode:
    """A slowmode the bot set: what it set, until when, and the value it found before."""

    channel_id: int
    previous_seconds: int
    seconds: int
    until: datetime


def _slowmode(row: aiosqlite.Row) -> Slowmode:
    return Slowmode(
        channel_id=int(row["channel_id"]),
        previous_seconds=int(row["previous_seconds"]),
        seconds=int(row["seconds"]),
        until=cast(datetime, from_db(row["until"])),
    )


class HeatRepo:
    """`heat_slowmodes` and `heat_channels_off`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def slowmodes(self) -> list[Slowmode]:
        rows = await self.db.fetchall("SELECT * FROM heat_slowmodes ORDER BY until")
        return [_slowmode(r) for r in rows]

    async def save_slowmode(self, slowmode: Slowmode) -> None:
        """Remember a slowmode; one already running keeps the value found first."""
        await self.db.execute(
            "INSERT INTO heat_slowmodes (channel_id, previous_seconds, seconds, until)"
            " VALUES (?, ?, ?, ?) ON CONFLICT(channel_id) DO UPDATE SET"
            " seconds = excluded.seconds, until = excluded.until",
            (
                slowmode.channel_id,
                slowmode.previous_seconds,
                slowmode.seconds,
                to_db(slowmode.until),
            ),
        )
        await self.db.commit()

    async def drop_slowmode(self, channel_id: int) -> None:
        await self.db.execute("DELETE FROM heat_slowmodes WHERE channel_id = ?", (channel_id,))
        await self.db.commit()

    async def channels_off(self) -> set[int]:
        rows = await self.db.fetchall("SELECT channel_id FROM heat_channels_off")
        return {int(r["channel_id"]) for r in rows}

    async def set_channel_off(self, channel_id: int, off: bool, at: datetime) -> None:
        if off:
            await self.db.execute(
                "INSERT OR IGNORE INTO heat_channels_off (channel_id, since) VALUES (?, ?)",
                (channel_id, to_db(at)),
            )
        else:
            await self.db.execute(
                "DELETE FROM heat_channels_off WHERE channel_id = ?", (channel_id,)
            )
