"""`member_reports`: one row per accepted report, linked to the alert it went into.

The reporter's id is kept only to refuse a repeat of the same report (or add a new reason or
note to it), for the hourly limit, and to count distinct reporters; it is never shown to
anyone. The snapshot (excerpt, attachment names) and the note expire after retention.days,
and so does the reporter's id. A reporter's addition (a new reason or note to their open
report) is a row without the snapshot: their first report holds it once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import aiosqlite

from compass_bot.storage.db import Database, Migration, from_db, to_db

MIGRATIONS: tuple[Migration, ...] = (
    # 9: members' reports of a message or a member (the reporter is never shown).
    Migration(
        9,
        "member_reports",
        """
        CREATE TABLE member_reports (
            id INTEGER PRIMARY KEY,
            reporter_id INTEGER,
            reported_id INTEGER NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            message_id INTEGER,
            reason TEXT NOT NULL,
            clause_id TEXT NOT NULL,
            note TEXT,
            excerpt TEXT,
            attachments TEXT,
            attachment_count INTEGER NOT NULL DEFAULT 0,
            alert_id INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX member_reports_reporter ON member_reports(reporter_id, created_at);
        CREATE INDEX member_reports_message ON member_reports(message_id);
        CREATE INDEX member_reports_alert ON member_reports(alert_id);
        """,
    ),
)


@dataclass(frozen=True, slots=True)
class StoredReport:
    id: int
    reporter_id: int | None
    reported_id: int
    channel_id: int | None
    message_id: int | None
    reason: str
    clause_id: str
    note: str | None
    excerpt: str | None
    attachments: tuple[str, ...]
    attachment_count: int
    alert_id: int | None
    created_at: datetime


def _report(row: aiosqlite.Row) -> StoredReport:
    names = json.loads(row["attachments"]) if row["attachments"] else []
    return StoredReport(
        id=row["id"],
        reporter_id=row["reporter_id"],
        reported_id=row["reported_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        reason=row["reason"],
        clause_id=row["clause_id"],
        note=row["note"],
        excerpt=row["excerpt"],
        attachments=tuple(str(n) for n in names),
        attachment_count=row["attachment_count"],
        alert_id=row["alert_id"],
        created_at=cast(datetime, from_db(row["created_at"])),
    )


class ReportRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def author_warned(self, alert_id: int) -> bool:
        """Whether a moderator already warned the author of this report alert (the audit's
        "report.warn" entry, written once the DM went out)."""
        return await self._audited("report.warn", alert_id)

    async def message_deleted(self, alert_id: int) -> bool:
        """Whether a moderator already deleted this report alert's message (the audit's
        "report.delete" entry, written once it was gone)."""
        return await self._audited("report.delete", alert_id)

    async def _audited(self, action: str, alert_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM audit WHERE action = ?"
            " AND CAST(json_extract(detail, '$.alert') AS INTEGER) = ? LIMIT 1",
            (action, alert_id),
        )
        return row is not None

    async def by_reporter(
        self, reporter_id: int, message_id: int | None, since: datetime
    ) -> list[StoredReport]:
        """The reporter's reports of this message, and all of theirs since `since`."""
        rows = await self.db.fetchall(
            "SELECT * FROM member_reports WHERE reporter_id = ?"
            " AND (message_id = ? OR created_at >= ?) ORDER BY id DESC LIMIT 500",
            (reporter_id, message_id, to_db(since)),
        )
        return [_report(r) for r in rows]

    async def open_alert_for(self, reported_id: int, message_id: int | None) -> int | None:
        """The still-open alert the reports of this message (or this member) went into."""
        if message_id is not None:
            where, params = "r.message_id = ?", (message_id,)
        else:
            where, params = "r.reported_id = ? AND r.message_id IS NULL", (reported_id,)
        row = await self.db.fetchone(
            "SELECT r.alert_id FROM member_reports r JOIN alerts a ON a.id = r.alert_id"
            f" WHERE {where} AND a.status = 'open' ORDER BY r.id DESC LIMIT 1",
            params,
        )
        return int(row["alert_id"]) if row else None

    async def add(
        self,
        *,
        reporter_id: int,
        reported_id: int,
        guild_id: int | None,
        channel_id: int | None,
        message_id: int | None,
        reason: str,
        clause_id: str,
        note: str | None,
        excerpt: str | None,
        attachments: Sequence[str],
        attachment_count: int,
        alert_id: int | None,
        at: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO member_reports (reporter_id, reported_id, guild_id, channel_id,"
            " message_id, reason, clause_id, note, excerpt, attachments, attachment_count,"
            " alert_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reporter_id,
                reported_id,
                guild_id,
                channel_id,
                message_id,
                reason,
                clause_id,
                note,
                excerpt,
                json.dumps(list(attachments)) if attachments else None,
                attachment_count,
                alert_id,
                to_db(at),
            ),
        )

    async def of_alert(self, alert_id: int) -> list[StoredReport]:
        rows = await self.db.fetchall(
            "SELECT * FROM member_reports WHERE alert_id = ? ORDER BY id", (alert_id,)
        )
        return [_report(r) for r in rows]

    async def main_clause(self, alert_id: int) -> str | None:
        """The clause most reporters chose for this alert (the earliest on a tie); a reporter
        counts once per clause, also when they added a note to their report."""
        reports = await self.of_alert(alert_id)
        if not reports:
            return None
        voices = {
            (r.reporter_id if r.reporter_id is not None else -r.id, r.clause_id) for r in reports
        }
        counts = Counter(clause for _, clause in voices)
        best = max(counts.values())
        return next(r.clause_id for r in reports if counts[r.clause_id] == best)

    async def reported_by(self, alert_id: int, reporter_id: int) -> bool:
        """Whether this reporter's report is in the alert already (their repeat adds to it)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM member_reports WHERE alert_id = ? AND reporter_id = ? LIMIT 1",
            (alert_id, reporter_id),
        )
        return row is not None

    async def reporters(self, alert_id: int) -> list[int]:
        """The distinct reporters of an alert still known (erased and expired ones are not)."""
        rows = await self.db.fetchall(
            "SELECT reporter_id FROM member_reports WHERE alert_id = ? AND reporter_id IS NOT NULL"
            " GROUP BY reporter_id ORDER BY MIN(id)",
            (alert_id,),
        )
        return [int(r["reporter_id"]) for r in rows]
