"""The schema is the features' migrations plus the shared audit trail, in one numbering.

`PRAGMA user_version` stays one global counter, so database files from before the features
had homes open unchanged. `ordered` refuses gaps and doubles (two branches that took the
same number meet here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compass_bot.storage.db import Database, Migration

SHARED_MIGRATIONS: tuple[Migration, ...] = (
    # 1: the audit trail: who did what to whom, when. Ids and codes only, never message text.
    Migration(
        1,
        "audit",
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor_id INTEGER,
            action TEXT NOT NULL,
            subject_id INTEGER,
            detail TEXT
        );
        CREATE INDEX audit_subject ON audit(subject_id);
        """,
    ),
)


def ordered(migrations: Iterable[Migration]) -> tuple[Migration, ...]:
    """The migrations sorted by number; raises ValueError on a gap or a double."""
    result = tuple(sorted(migrations, key=lambda m: m.number))
    numbers = [m.number for m in result]
    if numbers != list(range(1, len(result) + 1)):
        raise ValueError(f"migration numbers must run 1..{len(result)} once each: {numbers}")
    return result


def migrations() -> tuple[Migration, ...]:
    """Every declared migration (the registry collects them from the features)."""
    from compass_bot.registry import migrations as declared

    return declared()


_MADE = re.compile(
    r"(?:CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?|RENAME\s+TO\s+)(\w+)", re.I
)


def foreign_tables(tables: Iterable[str], migrations: Iterable[Migration]) -> set[str]:
    """The tables no migration makes (creates, or renames a table to): another program's,
    in a file `storage.database` points at by mistake (it may set user_version too)."""
    ours = {name for m in migrations for name in _MADE.findall(m.sql)}
    return {t for t in tables if t not in ours}


async def not_ours(db: Database, version: int) -> bool:
    """Whether the file holds tables that are not the bot's: any table before our first
    migration, or one no migration makes (a file of another program with a user_version)."""
    rows = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    tables = [str(r[0]) for r in rows]
    return bool(tables) and (version == 0 or bool(foreign_tables(tables, db.migrations)))
