"""What the digest reads (alerts, the audit trail, stored questions: no member ids) and its
own table `digest_runs`, which makes each week's post happen once."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from compass_bot.features.digest.rules import QuestionFact
from compass_bot.storage.db import Database, Migration, from_db, to_db

MIGRATIONS: tuple[Migration, ...] = (
    # 11: one row per week whose digest was posted (written before the post: never twice).
    Migration(
        11,
        "digest_runs",
        """
        CREATE TABLE digest_runs (
            period_start TEXT PRIMARY KEY,
            week TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            message_id INTEGER
        );
        """,
    ),
)


class DigestRepo:
    """Reads across the features' shared tables; writes only `digest_runs`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def alerts(self, since: datetime, until: datetime) -> list[tuple[str, datetime, int]]:
        """(rule, created_at, count) of the alerts raised in [since, until), but for the ones
        a moderator marked wrongly flagged ("onterecht"): not events the week had."""
        rows = await self.db.fetchall(
            "SELECT rule, created_at, count FROM alerts WHERE created_at >= ? AND created_at < ?"
            " AND status != 'false_positive'",
            (to_db(since), to_db(until)),
        )
        return [(r["rule"], cast(datetime, from_db(r["created_at"])), r["count"]) for r in rows]

    async def approvals(self, since: datetime, until: datetime) -> list[datetime]:
        rows = await self.db.fetchall(
            "SELECT at FROM audit WHERE action = 'name.approve' AND at >= ? AND at < ?",
            (to_db(since), to_db(until)),
        )
        return [cast(datetime, from_db(r["at"])) for r in rows]

    async def questions(self, since: datetime, until: datetime) -> list[QuestionFact]:
        rows = await self.db.fetchall(
            "SELECT kind, asked_at, clause_id, question FROM question_feedback"
            " WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, id",
            (to_db(since), to_db(until)),
        )
        return [
            QuestionFact(
                kind=r["kind"],
                asked_at=cast(datetime, from_db(r["asked_at"])),
                clause_id=r["clause_id"],
                question=r["question"] if r["kind"] == "unanswered" else "",
            )
            for r in rows
        ]

    async def claim_run(self, period_start: datetime, week: str, at: datetime) -> bool:
        """Record a week's run; False when it was recorded before (then do not post)."""
        async with self.db.write_lock:
            cursor = await self.db.execute(
                "INSERT OR IGNORE INTO digest_runs (period_start, week, posted_at)"
                " VALUES (?, ?, ?)",
                (to_db(period_start), week, to_db(at)),
            )
            await self.db.commit()
        return cursor.rowcount == 1

    async def release_run(self, period_start: datetime) -> None:
        """Take back a week's claim whose post failed, so a later check posts it."""
        async with self.db.write_lock:
            await self.db.execute(
                "DELETE FROM digest_runs WHERE period_start = ? AND message_id IS NULL",
                (to_db(period_start),),
            )
            await self.db.commit()

    async def posted(self, period_start: datetime, message_id: int) -> None:
        await self.db.execute(
            "UPDATE digest_runs SET message_id = ? WHERE period_start = ?",
            (message_id, to_db(period_start)),
        )
        await self.db.commit()

    async def runs(self) -> list[tuple[str, datetime, int | None]]:
        rows = await self.db.fetchall(
            "SELECT week, posted_at, message_id FROM digest_runs ORDER BY period_start"
        )
        return [(r["week"], cast(datetime, from_db(r["posted_at"])), r["message_id"]) for r in rows]
