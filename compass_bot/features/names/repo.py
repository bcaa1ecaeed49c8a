"""The names the school leadership approved, exactly as they were (`approved_names`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import aiosqlite

from compass_bot.storage.db import Database, Migration, from_db, to_db


@dataclass(frozen=True, slots=True)
class ApprovedName:
    id: int
    member_id: int
    name: str
    approved_by: int
    approved_at: datetime


MIGRATIONS: tuple[Migration, ...] = (
    # 3: names the school leadership approved, exactly as they were.
    Migration(
        3,
        "approved_names",
        """
        CREATE TABLE approved_names (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            approved_by INTEGER NOT NULL,
            approved_at TEXT NOT NULL,
            UNIQUE (member_id, name)
        );
        """,
    ),
)


def _approved(row: aiosqlite.Row) -> ApprovedName:
    return ApprovedName(
        id=row["id"],
        member_id=row["member_id"],
        name=row["name"],
        approved_by=row["approved_by"],
        approved_at=cast(datetime, from_db(row["approved_at"])),
    )


class NameRepo:
    """`approved_names`: approve (idempotent, audited), list, revoke."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def approve_names(
        self, member_id: int, names: Iterable[str], by: int, at: datetime
    ) -> list[ApprovedName]:
        """Approve these exact names for this member (idempotent), audited."""
        unique = sorted(set(names))
        for name in unique:
            await self.db.execute(
                "INSERT OR IGNORE INTO approved_names (member_id, name, approved_by, approved_at)"
                " VALUES (?, ?, ?, ?)",
                (member_id, name, by, to_db(at)),
            )
        await self.db.audit(at, by, "name.approve", member_id, {"count": len(unique)}, commit=False)
        await self.db.commit()
        return await self.approved_names(member_id)

    async def approved_names(self, member_id: int | None = None) -> list[ApprovedName]:
        if member_id is None:
            rows = await self.db.fetchall("SELECT * FROM approved_names ORDER BY approved_at DESC")
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM approved_names WHERE member_id = ? ORDER BY id", (member_id,)
            )
        return [_approved(r) for r in rows]

    async def revoke_approved_names(self, member_id: int, by: int, at: datetime) -> int:
        cur = await self.db.execute("DELETE FROM approved_names WHERE member_id = ?", (member_id,))
        await self.db.audit(at, by, "name.revoke", member_id, {"count": cur.rowcount}, commit=False)
        await self.db.commit()
        return cur.rowcount
