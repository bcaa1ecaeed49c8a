"""The alerts outbox's SQL: a flag is written here before anything is sent, and delivered
from here with retries, so no alert is lost when Discord or the bot is down."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import aiosqlite

from compass_bot.features.alerts.model import Alert, AlertStatus
from compass_bot.storage.db import Database, Migration, from_db, to_db


@dataclass(frozen=True, slots=True)
class OutboxAlert(Alert):
    """An alert as the outbox keeps it: which version a delivered message must show, and the
    nonce of a post that was under way (set before the POST, cleared once it is marked)."""

    version: int = 1
    delivered_version: int = 0
    send_nonce: str | None = None


MIGRATIONS: tuple[Migration, ...] = (
    # 4: the alerts outbox: written before it is sent, delivered with retries.
    Migration(
        4,
        "alerts",
        """
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            member_id INTEGER NOT NULL,
            member_label TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            message_id INTEGER,
            excerpt TEXT,
            name_field TEXT,
            matched TEXT,
            detail TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open',
            handled_by INTEGER,
            handled_at TEXT,
            delivery TEXT NOT NULL DEFAULT 'pending',
            delivered_message_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT
        );
        CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
        CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
        """,
    ),
    # 6: alert numbers are never reused, also after `/privacy wissen` deleted the newest ones:
    # the table is rebuilt with AUTOINCREMENT (rows and ids kept) and the counter starts past
    # the highest number ever seen, in the table or in the audit trail of handled alerts.
    Migration(
        6,
        "alerts_autoincrement",
        """
        CREATE TABLE alerts_v6 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rule TEXT NOT NULL,
            member_id INTEGER NOT NULL,
            member_label TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            message_id INTEGER,
            excerpt TEXT,
            name_field TEXT,
            matched TEXT,
            detail TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open',
            handled_by INTEGER,
            handled_at TEXT,
            delivery TEXT NOT NULL DEFAULT 'pending',
            delivered_message_id INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT
        );
        INSERT INTO alerts_v6 (id, rule, member_id, member_label, guild_id, channel_id, message_id,
            excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
            handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error)
        SELECT id, rule, member_id, member_label, guild_id, channel_id, message_id,
            excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
            handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error
        FROM alerts;
        DROP TABLE alerts;
        ALTER TABLE alerts_v6 RENAME TO alerts;
        CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
        CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
        DELETE FROM sqlite_sequence WHERE name IN ('alerts', 'alerts_v6');
        INSERT INTO sqlite_sequence (name, seq) SELECT 'alerts', MAX(
            COALESCE((SELECT MAX(id) FROM alerts), 0),
            COALESCE((SELECT MAX(CAST(json_extract(detail, '$.alert') AS INTEGER)) FROM audit
                      WHERE action LIKE 'alert.%' AND json_valid(detail)), 0)
        );
        """,
    ),
    # 8: the outbox's own bookkeeping (it only adds columns, so it can take any number):
    # `version` counts every change a moderator must see (never a time, which two flags in one
    # millisecond share) and `delivered_version` is what the message shows; `claimed_until`
    # is a sender's claim on the row, and `send_nonce` the nonce of a post under way, kept
    # until the post is marked, so a post interrupted by a crash is sent again with the same
    # nonce and Discord returns the first message instead of making a second.
    Migration(
        8,
        "outbox_bookkeeping",
        """
        ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE alerts ADD COLUMN delivered_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alerts ADD COLUMN claimed_until TEXT;
        ALTER TABLE alerts ADD COLUMN send_nonce TEXT;
        UPDATE alerts SET delivered_version = version WHERE delivery = 'sent';
        """,
    ),
)


def _alert(row: aiosqlite.Row) -> OutboxAlert:
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
    )


def _alert_filter(
    status: AlertStatus | None,
    rule: str | None,
    member_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[str, list[object]]:
    """The WHERE clause (and its parameters) that listing and counting alerts share."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    for column, value in (("status", status), ("rule", rule), ("member_id", member_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("created_at >= ?")
        params.append(to_db(since))
    if until:
        where.append("created_at < ?")
        params.append(to_db(until))
    return " AND ".join(where), params


class OutboxRepo:
    """The `alerts` table: record (repeats make one alert), claim, mark, list, count."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_alert(
        self,
        *,
        rule: str,
        member_id: int,
        member_label: str,
        at: datetime,
        window_start: datetime,
        guild_id: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
        excerpt: str | None = None,
        name_field: str | None = None,
        matched: str | None = None,
        detail: str | None = None,
    ) -> tuple[Alert, bool]:
        """Write a flag to the outbox before anything is sent.

        A repeat of the same member and rule since `window_start` on a still-open alert
        bumps that alert's count and marks it for re-delivery (an edit) instead of adding
        a new one, so a burst of flags makes one alert. Returns (alert, created).
        """
        async with self.db.write_lock:  # check-then-insert: two flags at once make one alert
            row = await self.db.fetchone(
                "SELECT id FROM alerts WHERE member_id = ? AND rule = ? AND status = 'open'"
                " AND updated_at >= ? ORDER BY id DESC LIMIT 1",
                (member_id, rule, to_db(window_start)),
            )
            if row is not None:
                alert_id = int(row["id"])
                await self.db.execute(
                    "UPDATE alerts SET count = count + 1, updated_at = ?, delivery = 'pending',"
                    " version = version + 1,"
                    " next_attempt_at = NULL, excerpt = COALESCE(?, excerpt),"
                    " channel_id = COALESCE(?, channel_id), message_id = COALESCE(?, message_id),"
                    " name_field = COALESCE(?, name_field), matched = COALESCE(?, matched),"
                    " detail = COALESCE(?, detail), member_label = ? WHERE id = ?",
                    (
                        to_db(at),
                        excerpt,
                        channel_id,
                        message_id,
                        name_field,
                        matched,
                        detail,
                        member_label,
                        alert_id,
                    ),
                )
                created = False
            else:
                cur = await self.db.execute(
                    "INSERT INTO alerts (rule, member_id, member_label, guild_id, channel_id,"
                    " message_id, excerpt, name_field, matched, detail, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        rule,
                        member_id,
                        member_label,
                        guild_id,
                        channel_id,
                        message_id,
                        excerpt,
                        name_field,
                        matched,
                        detail,
                        to_db(at),
                        to_db(at),
                    ),
                )
                alert_id = cast(int, cur.lastrowid)
                created = True
            await self.db.commit()
            alert = await self.alert(alert_id)
            assert alert is not None
            return alert, created

    async def restate(self, alert_id: int, count: int, detail: str, at: datetime) -> None:
        """A feature's own count and reason for an alert (reports: the distinct reporters and
        every reason given), shown by an edit: a new version, pending delivery. No commit:
        the caller commits with its own rows."""
        await self.db.execute(
            "UPDATE alerts SET count = ?, detail = ?, updated_at = ?, delivery = 'pending',"
            " version = version + 1, next_attempt_at = NULL WHERE id = ?",
            (count, detail, to_db(at), alert_id),
        )

    async def alert(self, alert_id: int) -> OutboxAlert | None:
        row = await self.db.fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return _alert(row) if row else None

    async def pending_alerts(self, now: datetime, limit: int = 50) -> list[OutboxAlert]:
        """Alerts to send or edit now, oldest first (claimed or not: for the console)."""
        rows = await self.db.fetchall(
            "SELECT * FROM alerts WHERE delivery = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            (to_db(now), limit),
        )
        return [_alert(r) for r in rows]

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

        One UPDATE inside BEGIN IMMEDIATE: of two senders (two loops, or two processes on
        one file) only one gets a row, so none is sent twice. A post (no message yet) gets
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
                # A connection of its own, so the transaction holds only the claim (the main
                # one may have another method's statement open at this moment).
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = await conn.execute_fetchall(sql, params)
                    await conn.commit()
                except BaseException:
                    await conn.rollback()
                    raise
        row = next(iter(rows), None)
        return _alert(row) if row is not None else None

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

    async def settle(self, alert_id: int, note: str, at: datetime) -> Alert | None:
        """The bot resolves an open alert by itself (what it flagged was put right): no handler,
        the note added to the reason, re-delivered (edited) to show it; audited."""
        cur = await self.db.execute(
            "UPDATE alerts SET status = 'resolved', handled_by = NULL, handled_at = ?,"
            " detail = CASE WHEN detail IS NULL OR detail = '' THEN ? ELSE detail || '; ' || ? END,"
            " delivery = 'pending', version = version + 1, next_attempt_at = NULL"
            " WHERE id = ? AND status = 'open'",
            (to_db(at), note, note, alert_id),
        )
        if cur.rowcount == 0:
            return None
        await self.db.audit(at, None, "alert.settled", None, {"alert": alert_id}, commit=False)
        await self.db.commit()
        return await self.alert(alert_id)

    async def set_alert_status(
        self, alert_id: int, status: AlertStatus, by: int, at: datetime
    ) -> Alert | None:
        """Resolve or dismiss an alert; the alert is re-delivered (edited) to show it."""
        cur = await self.db.execute(
            "UPDATE alerts SET status = ?, handled_by = ?, handled_at = ?, delivery = 'pending',"
            " version = version + 1, next_attempt_at = NULL WHERE id = ?",
            (status, by, to_db(at), alert_id),
        )
        if cur.rowcount == 0:
            return None
        await self.db.audit(at, by, f"alert.{status}", None, {"alert": alert_id}, commit=False)
        await self.db.commit()
        return await self.alert(alert_id)

    async def alerts(
        self,
        *,
        status: AlertStatus | None = None,
        rule: str | None = None,
        member_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts newest first, filtered."""
        where, params = _alert_filter(status, rule, member_id, since, until)
        rows = await self.db.fetchall(
            f"SELECT * FROM alerts WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_alert(r) for r in rows]

    async def count_alerts(
        self, *, status: AlertStatus | None = None, rule: str | None = None
    ) -> int:
        where, params = _alert_filter(status, rule)
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM alerts WHERE {where}", params)
        return int(row["n"]) if row else 0
