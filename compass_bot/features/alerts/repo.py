"""The alerts outbox's SQL: a flag is written here before anything is sent, and delivered
from here with retries, so no alert is lost when Discord or the bot is down."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, cast

from compass_bot.features.alerts.migrations import MIGRATIONS
from compass_bot.features.alerts.model import Alert, AlertStatus
from compass_bot.features.alerts.repo_delivery import (
    DeliveryQueries,
    OutboxAlert,
    outbox_alert,
    read_channels,
)
from compass_bot.storage.db import Database, to_db

__all__ = ["MIGRATIONS", "OutboxAlert", "OutboxRepo"]


# "handled": every status but open (resolved, false positive), as `/meldingen afgehandeld` lists
StatusFilter = AlertStatus | Literal["handled"]


def _alert_filter(
    status: StatusFilter | None,
    rule: str | None,
    member_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[str, list[object]]:
    """The WHERE clause (and its parameters) that listing and counting alerts share."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if status == "handled":
        where.append("status != 'open'")
        status = None
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


def _counted(channels: tuple[tuple[int, int], ...], channel_id: int | None) -> str | None:
    """The `channels` column after one more flag in `channel_id` (none: a name alert)."""
    counts = dict(channels)  # keeps the order: first seen first
    if channel_id is not None:
        counts[channel_id] = counts.get(channel_id, 0) + 1
    return json.dumps([[channel, count] for channel, count in counts.items()]) if counts else None


class OutboxRepo(DeliveryQueries):
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
        source: str = "",
        per_message: bool = False,
        repeats: bool = True,
    ) -> tuple[Alert, bool]:
        """Write a flag to the outbox before anything is sent.

        A repeat of the same member, rule and source (`""`: the feature that owns the rule;
        "automod": Discord's AutoMod citing it) since `window_start` on a still-open alert
        bumps that alert's count and marks it for re-delivery (an edit) instead of adding
        a new one, so a burst of flags makes one alert. `per_message`: only a repeat about
        the same message (a report of another message is an alert of its own). `repeats`
        False: always a new alert (a feature that restates its own alert, as one per heated
        episode, so another episode's flag never overwrites it). Returns (alert, created).
        """
        async with self.db.write_lock:  # check-then-insert: two flags at once make one alert
            row = (
                None
                if not repeats
                else await self.db.fetchone(
                    "SELECT id, channels FROM alerts WHERE member_id = ? AND rule = ?"
                    " AND source = ? AND status = 'open' AND updated_at >= ?"
                    + (" AND message_id IS ?" if per_message else "")
                    + " ORDER BY id DESC LIMIT 1",
                    (member_id, rule, source, to_db(window_start))
                    + ((message_id,) if per_message else ()),
                )
            )
            if row is not None:
                alert_id = int(row["id"])
                await self.db.execute(
                    "UPDATE alerts SET count = count + 1, updated_at = ?, delivery = 'pending',"
                    " version = version + 1,"
                    " next_attempt_at = NULL, excerpt = COALESCE(?, excerpt),"
                    " channel_id = COALESCE(?, channel_id), message_id = COALESCE(?, message_id),"
                    " name_field = COALESCE(?, name_field), matched = COALESCE(?, matched),"
                    " detail = COALESCE(?, detail), member_label = ?, channels = ?"
                    " WHERE id = ?",
                    (
                        to_db(at),
                        excerpt,
                        channel_id,
                        message_id,
                        name_field,
                        matched,
                        detail,
                        member_label,
                        _counted(read_channels(row["channels"]), channel_id),
                        alert_id,
                    ),
                )
                created = False
            else:
                cur = await self.db.execute(
                    "INSERT INTO alerts (rule, member_id, member_label, guild_id, channel_id,"
                    " message_id, excerpt, name_field, matched, detail, created_at, updated_at,"
                    " channels, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        _counted((), channel_id),
                        source,
                    ),
                )
                alert_id = cast(int, cur.lastrowid)
                created = True
            await self.db.commit()
            alert = await self.alert(alert_id)
            assert alert is not None
            return alert, created

    async def restate(
        self,
        alert_id: int,
        count: int,
        detail: str,
        at: datetime | None,
        excerpt: str | None = None,
    ) -> None:
        """A feature's own count and reason for an alert (reports: the distinct reporters and
        every reason given), shown by an edit: a new version, pending delivery. `at` None
        keeps the alert's time (an erasure changes what it shows, not when it happened);
        `excerpt` None keeps the post it shows. No commit: the caller commits with its own
        rows."""
        await self.db.execute(
            "UPDATE alerts SET count = ?, detail = ?, updated_at = COALESCE(?, updated_at),"
            " excerpt = COALESCE(?, excerpt), delivery = 'pending', version = version + 1,"
            " next_attempt_at = NULL WHERE id = ?",
            (count, detail, to_db(at) if at is not None else None, excerpt, alert_id),
        )

    async def redeliver(self, alert_ids: Sequence[int]) -> None:
        """Alerts whose stored text changed (an erasure took a mention out), shown by an
        edit: a new version, pending delivery. No commit: the caller commits."""
        for alert_id in alert_ids:
            await self.db.execute(
                "UPDATE alerts SET delivery = 'pending', version = version + 1,"
                " next_attempt_at = NULL WHERE id = ?",
                (alert_id,),
            )

    async def alert(self, alert_id: int) -> OutboxAlert | None:
        row = await self.db.fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return outbox_alert(row) if row else None

    async def _change(
        self,
        alert_id: int,
        assignments: str,
        params: tuple[object, ...],
        audit: tuple[int | None, str, datetime],
        only_open: bool = False,
    ) -> Alert | None:
        """One audited change of an alert, re-delivered (edited) to show it; None if the
        alert is gone (or, with `only_open`, no longer open)."""
        by, action, at = audit
        cur = await self.db.execute(
            f"UPDATE alerts SET {assignments}, delivery = 'pending', version = version + 1,"
            " next_attempt_at = NULL WHERE id = ?" + (" AND status = 'open'" if only_open else ""),
            (*params, alert_id),
        )
        if cur.rowcount == 0:
            return None
        await self.db.audit(at, by, action, None, {"alert": alert_id}, commit=False)
        await self.db.commit()
        return await self.alert(alert_id)

    async def settle(self, alert_id: int, note: str, at: datetime) -> Alert | None:
        """The bot resolves an open alert by itself (what it flagged was put right): no handler,
        the note added to the reason, re-delivered (edited) to show it; audited."""
        return await self._change(
            alert_id,
            "status = 'resolved', handled_by = NULL, handled_at = ?,"
            " detail = CASE WHEN detail IS NULL OR detail = '' THEN ? ELSE detail || '; ' || ? END",
            (to_db(at), note, note),
            (None, "alert.settled", at),
            only_open=True,
        )

    async def set_alert_status(
        self, alert_id: int, status: AlertStatus, by: int, at: datetime
    ) -> Alert | None:
        """Resolve or dismiss an alert; the alert is re-delivered (edited) to show it."""
        return await self._change(
            alert_id,
            "status = ?, handled_by = ?, handled_at = ?",
            (status, by, to_db(at)),
            (by, f"alert.{status}", at),
        )

    async def set_note(self, alert_id: int, note: str, by: int, at: datetime) -> Alert | None:
        """A moderator's note on an alert (it replaces the one before), shown by an edit; the
        audit trail keeps who and when, never the text."""
        return await self._change(
            alert_id,
            "note = ?, note_by = ?, note_at = ?",
            (note, by, to_db(at)),
            (by, "alert.note", at),
        )

    async def alerts(
        self,
        *,
        status: StatusFilter | None = None,
        rule: str | None = None,
        member_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts newest first, filtered; handled ones by when they were handled."""
        where, params = _alert_filter(status, rule, member_id, since, until)
        order = "handled_at DESC, id DESC" if status == "handled" else "id DESC"
        rows = await self.db.fetchall(
            f"SELECT * FROM alerts WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [outbox_alert(r) for r in rows]

    async def count_alerts(
        self, *, status: StatusFilter | None = None, rule: str | None = None
    ) -> int:
        where, params = _alert_filter(status, rule)
        row = await self.db.fetchone(f"SELECT COUNT(*) AS n FROM alerts WHERE {where}", params)
        return int(row["n"]) if row else 0
