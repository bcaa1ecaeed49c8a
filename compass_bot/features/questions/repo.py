"""Questions the bot could not answer and answers marked (un)helpful; never the asker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from compass_bot.storage.db import Database, Migration, from_db, to_db


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    id: int
    asked_at: datetime
    question: str
    clause_id: str | None
    kind: str


MIGRATIONS: tuple[Migration, ...] = (
    # 5: questions the bot could not answer, and answers marked unhelpful (no asker kept).
    Migration(
        5,
        "question_feedback",
        """
        CREATE TABLE question_feedback (
            id INTEGER PRIMARY KEY,
            asked_at TEXT NOT NULL,
            question TEXT NOT NULL,
            clause_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'unhelpful', 'helpful'))
        );
        """,
    ),
)


class QuestionRepo:
    """`question_feedback`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_question(
        self, question: str, clause_id: str | None, kind: str, at: datetime
    ) -> int:
        """The new row's id (a changed vote replaces its row, see `replace_kind`)."""
        cur = await self.db.execute(
            "INSERT INTO question_feedback (asked_at, question, clause_id, kind) VALUES (?, ?, ?, ?)",
            (to_db(at), question, clause_id, kind),
        )
        await self.db.commit()
        return int(cur.lastrowid or 0)

    async def replace_kind(self, row_id: int, question: str, kind: str) -> bool:
        """Turn a stored vote into the other kind; False when the row is gone (purged)."""
        cur = await self.db.execute(
            "UPDATE question_feedback SET question = ?, kind = ? WHERE id = ?",
            (question, kind, row_id),
        )
        await self.db.commit()
        return cur.rowcount > 0

    async def count(self, kinds: Sequence[str]) -> int:
        marks = ", ".join("?" for _ in kinds)
        row = await self.db.fetchone(
            f"SELECT COUNT(*) AS n FROM question_feedback WHERE kind IN ({marks})", tuple(kinds)
        )
        return int(row["n"]) if row is not None else 0

    async def questions(self, kinds: Sequence[str], limit: int = 50) -> list[StoredQuestion]:
        marks = ", ".join("?" for _ in kinds)
        rows = await self.db.fetchall(
            f"SELECT * FROM question_feedback WHERE kind IN ({marks}) ORDER BY id DESC LIMIT ?",
            (*kinds, limit),
        )
        return [
            StoredQuestion(
                id=r["id"],
                asked_at=cast(datetime, from_db(r["asked_at"])),
                question=r["question"],
                clause_id=r["clause_id"],
                kind=r["kind"],
            )
            for r in rows
        ]
