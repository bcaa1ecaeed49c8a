"""The outbox's delivery bookkeeping: claim the next due alert, mark it sent or failed.

Each claim is one atomic UPDATE, so two senders never take the same alert; a post keeps its
nonce until it is marked, so a post interrupted by a crash cannot make a second message.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import aiosqlite

from compass_bot.features.alerts.model import Alert
from compass_bot.storage.db import Database, from_db, to_db


@dataclass(frozen=True, slots=True)
class OutboxAlert(Alert):
    """An alert as the outbox keeps it: which version a delivered message must show, and the
    nonce of a post that was under way (set before the POST, cleared once it is marked)."""

    version: int = 1
    delivered_version: int = 0
    send_nonce: str | None = None


def outbox_alert(row: aiosqlite.Row) -> OutboxAlert:
    return OutboxAlert(
        id=row["id"],
        rule=row["rule"],
        member_id=row["member_id"],
        member_label=row["member_label"],
        created_at=cast(datetime, from_db(row["created_at"])),
        updated_at=cast(datetime, from_db(row["updated_at"])),
        count=row["count"],
        status=row["status"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        excerpt=row["excerpt"],
        name_field=row["name_field"],
        matched=row["matched"],
        detail=row["detail"],
        handled_by=row["handled_by"],
        handled_at=from_db(row["handled_at"]),
        delivery=row["delivery"],
        delivered_message_id=row["delivered_message_id"],
        attempts=row["attempts"],
        next_attempt_at=from_db(row["next_attempt_at"]),
        last_error=row["last_error"],
        version=row["version"],
        delivered_version=row["delivered_version"],
        send_nonce=row["send_nonce"],
        channels=read_channels(row["channels"]),
        note=row["note"],
        note_by=row["note_by"],
        note_at=from_db(row["note_at"]),
    )


def read_channels(stored: str | None) -> tuple[tuple[int, int], ...]:
    """The `channels` column: [[channel id, count], ...] as JSON, first seen first."""
    if not stored:
        return ()
    return tuple((int(channel), int(count)) for channel, count in json.loads(stored))


class DeliveryQueries:
    """The delivery's queries on the `alerts` table (a part of `OutboxRepo`)."""

    db: Database

    async def pending_alerts(self, now: datetime, limit: int = 50) -> list[OutboxAlert]:
        """Alerts to send or edit now, oldest first (claimed or not: for the console)."""
        rows = await self.db.fetchall(
            "SELECT * FROM alerts WHERE delivery = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            (to_db(now), limit),
        )
        return [outbox_alert(r) for r in rows]

    async def claim_next(
        self,
        now: datetime,
        claim_until: datetime,
        *,
        due_by: datetime | None = None,
        posts: bool = True,
        skip: Collection[int] = (),
    ) -> OutboxAlert | None:
        """Claim the oldest due alert for sending, atomically, until `claim_until`.

        One UPDATE statement, atomic on its own: of two senders (two loops, or two processes
        on one file) only one gets a row, so none is sent twice. A post (no message yet) gets
        its nonce here, before the POST, unless an interrupted post left one to reuse.
        `due_by` overrides the retry backoff (a start sends everything at once); `posts`
        False leaves alerts without a message for later (the new-alert budget); `skip` are
        alerts the caller holds back (an edit budget, a mark that failed to write).
        """
        due = to_db(due_by or now)
        sql = (
            "UPDATE alerts SET claimed_until = ?, send_nonce = CASE"
            " WHEN delivered_message_id IS NULL"
            " THEN COALESCE(send_nonce, printf('a%xv%x', id, version))"
            " ELSE send_nonce END"
            " WHERE id = (SELECT id FROM alerts WHERE delivery = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            " AND (claimed_until IS NULL OR claimed_until <= ?)"
            " AND (? OR delivered_message_id IS NOT NULL)"
            " AND id NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY id LIMIT 1) RETURNING *"
        )
        params = (to_db(claim_until), due, to_db(now), posts, json.dumps(sorted(skip)))
        async with self.db.write_lock:
            conn = await self.db.claims_connection()
            if conn is self.db.conn:  # an in-memory database: one connection, one statement
                rows = await conn.execute_fetchall(sql, params)
                await conn.commit()
            else:
                # A connection of its own in autocommit mode, so the claim is one statement,
                # its own transaction, taken and committed within one call on the database's
                # thread: the write lock is never held across a turn of the event loop (a
                # busy loop would otherwise make the other connection's writes wait), and a
                # cancelled sender cannot leave a transaction open.
                rows = await conn.execute_fetchall(sql, params)
        row = next(iter(rows), None)
        return outbox_alert(row) if row is not None else None

    async def release_claims(self) -> tuple[int, int]:
        """At start: drop the claims a stopped process left (the process lock makes this one
        the only sender). Returns (claims released, posts that were under way); those posts
        keep their nonce, so sending them again cannot make a second message."""
        async with self.db.write_lock:
            cur = await self.db.execute(
                "UPDATE alerts SET claimed_until = NULL WHERE claimed_until IS NOT NULL"
            )
            row = await self.db.fetchone(
                "SELECT COUNT(*) AS n FROM alerts WHERE send_nonce IS NOT NULL"
                " AND delivered_message_id IS NULL AND delivery = 'pending'"
            )
            await self.db.commit()
        return cur.rowcount, int(row["n"]) if row else 0

    async def next_pending_at(self) -> datetime | None:
        """When the next unclaimed alert falls due (a claim that lapsed counts as due)."""
        row = await self.db.fetchone(
            "SELECT MIN(MAX(COALESCE(next_attempt_at, ''), COALESCE(claimed_until, ''))) AS t"
            " FROM alerts WHERE delivery = 'pending'"
        )
        if row is None or row["t"] is None:
            return None
        return from_db(row["t"]) if row["t"] else datetime.min.replace(tzinfo=UTC)

    async def unposted_count(self) -> int:
        """Alerts waiting for their first message (held back by the new-alert budget)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS n FROM alerts WHERE delivery = 'pending'"
            " AND delivered_message_id IS NULL"
        )
        return int(row["n"]) if row else 0

    async def mark_delivered(self, alert_id: int, delivered_message_id: int, version: int) -> None:
        """The message now shows `version`: sent, unless the alert changed again meanwhile.

        The version is a counter, not a time: two changes in one millisecond still differ.
        """
        await self.db.execute(
            "UPDATE alerts SET delivered_message_id = ?, delivered_version = ?, attempts = 0,"
            " last_error = NULL, next_attempt_at = NULL, claimed_until = NULL,"
            " send_nonce = NULL,"
            " delivery = CASE WHEN version = ? THEN 'sent' ELSE 'pending' END WHERE id = ?",
            (delivered_message_id, version, version, alert_id),
        )
        await self.db.commit()

    async def mark_delivery_failed(
        self, alert_id: int, error: str, next_attempt_at: datetime
    ) -> None:
        await self.db.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
            " claimed_until = NULL WHERE id = ?",
            (error[:300], to_db(next_attempt_at), alert_id),
        )
        await self.db.commit()
