"""School time's tables: the teachers' permission grants, the warning cooldown per student,
and the last post seen per watched channel (for the catch-up after downtime)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import aiosqlite

from compass_bot.features.schooltime.rules_grants import PermissionGrant
from compass_bot.storage.db import Database, Migration, from_db, to_db


def _grant(row: aiosqlite.Row) -> PermissionGrant:
    return PermissionGrant(
        id=row["id"],
        scope=row["scope"],
        target_id=row["target_id"],
        starts_at=cast(datetime, from_db(row["starts_at"])),
        ends_at=cast(datetime, from_db(row["ends_at"])),
        granted_by=row["granted_by"],
        reason=row["reason"],
        cut_short=bool(row["cut_short"]),
    )


MIGRATIONS: tuple[Migration, ...] = (
    # 2: teachers' permission grants and the warning cooldown per student.
    Migration(
        2,
        "permission_grants",
        """
        CREATE TABLE permission_grants (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL CHECK (scope IN ('member', 'role', 'channel')),
            target_id INTEGER NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            granted_by INTEGER NOT NULL,
            reason TEXT,
            revoked_at TEXT,
            revoked_by INTEGER
        );
        CREATE TABLE warning_cooldowns (
            member_id INTEGER PRIMARY KEY,
            warned_at TEXT NOT NULL
        );
        """,
    ),
    # 7: catch-up after downtime: the last post seen per watched channel (ids only, no text).
    Migration(
        7,
        "channel_marks",
        """
        CREATE TABLE channel_marks (
            channel_id INTEGER PRIMARY KEY,
            last_message_id INTEGER NOT NULL
        );
        """,
    ),
    # 13: grants that start later, and telling the teacher when the school day cut one short.
    Migration(
        13,
        "grant_cut_short",
        """
        ALTER TABLE permission_grants ADD COLUMN cut_short INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE permission_grants ADD COLUMN end_told_at TEXT;
        """,
    ),
)


class SchoolTimeRepo:
    """`permission_grants`, `warning_cooldowns` and `channel_marks`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_grant(
        self,
        scope: str,
        target_id: int,
        starts_at: datetime,
        ends_at: datetime,
        granted_by: int,
        reason: str | None,
        *,
        cut_short: bool = False,
        at: datetime | None = None,
    ) -> PermissionGrant:
        """Store a grant given at `at` (default: its start; it may start later), audited."""
        cur = await self.db.execute(
            "INSERT INTO permission_grants (scope, target_id, starts_at, ends_at, granted_by,"
            " reason, cut_short) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                scope,
                target_id,
                to_db(starts_at),
                to_db(ends_at),
                granted_by,
                reason,
                int(cut_short),
            ),
        )
        grant_id = cast(int, cur.lastrowid)
        await self.db.audit(
            at or starts_at,
            granted_by,
            "permission.grant",
            target_id,
            {"grant": grant_id, "scope": scope, "from": to_db(starts_at), "until": to_db(ends_at)},
            commit=False,
        )
        await self.db.commit()
        row = await self.db.fetchone("SELECT * FROM permission_grants WHERE id = ?", (grant_id,))
        assert row is not None
        return _grant(row)

    async def revoke_grant(self, grant_id: int, by: int, at: datetime) -> PermissionGrant | None:
        row = await self.db.fetchone(
            "SELECT * FROM permission_grants WHERE id = ? AND revoked_at IS NULL AND ends_at > ?",
            (grant_id, to_db(at)),
        )
        if row is None:
            return None
        await self.db.execute(
            "UPDATE permission_grants SET revoked_at = ?, revoked_by = ? WHERE id = ?",
            (to_db(at), by, grant_id),
        )
        await self.db.audit(
            at, by, "permission.revoke", row["target_id"], {"grant": grant_id}, commit=False
        )
        await self.db.commit()
        return _grant(row)

    async def active_grants(self, at: datetime) -> list[PermissionGrant]:
        """Grants not revoked and not yet ended at `at` (including ones that start later)."""
        rows = await self.db.fetchall(
            "SELECT * FROM permission_grants WHERE revoked_at IS NULL AND ends_at > ?"
            " ORDER BY starts_at",
            (to_db(at),),
        )
        return [_grant(r) for r in rows]

    async def cut_short_ended(self, since: datetime, at: datetime) -> list[PermissionGrant]:
        """Grants the school day cut short that ended in (since, at] and whose teacher has not
        been told yet; older ones (downtime) are not worth a message any more."""
        rows = await self.db.fetchall(
            "SELECT * FROM permission_grants WHERE cut_short = 1 AND end_told_at IS NULL"
            " AND revoked_at IS NULL AND ends_at > ? AND ends_at <= ? ORDER BY ends_at",
            (to_db(since), to_db(at)),
        )
        return [_grant(r) for r in rows]

    async def set_end_told(self, grant_id: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE permission_grants SET end_told_at = ? WHERE id = ?", (to_db(at), grant_id)
        )
        await self.db.commit()

    async def set_warned(self, member_id: int, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO warning_cooldowns (member_id, warned_at) VALUES (?, ?)"
            " ON CONFLICT(member_id) DO UPDATE SET warned_at = excluded.warned_at",
            (member_id, to_db(at)),
        )
        await self.db.commit()

    async def warning_cooldowns(self) -> dict[int, datetime]:
        rows = await self.db.fetchall("SELECT member_id, warned_at FROM warning_cooldowns")
        return {r["member_id"]: cast(datetime, from_db(r["warned_at"])) for r in rows}

    async def channel_marks(self) -> dict[int, int]:
        """The last post seen per channel (snowflakes)."""
        rows = await self.db.fetchall("SELECT channel_id, last_message_id FROM channel_marks")
        return {r["channel_id"]: r["last_message_id"] for r in rows}

    async def save_channel_marks(self, marks: dict[int, int]) -> None:
        """Remember the last post seen per channel; a mark never moves back."""
        await self.db.executemany(
            "INSERT INTO channel_marks (channel_id, last_message_id) VALUES (?, ?)"
            " ON CONFLICT(channel_id) DO UPDATE SET last_message_id ="
            " MAX(last_message_id, excluded.last_message_id)",
            list(marks.items()),
        )
        await self.db.commit()
