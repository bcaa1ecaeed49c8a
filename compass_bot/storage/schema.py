"""The schema is the features' migrations plus the shared audit trail, in one numbering.

`PRAGMA user_version` stays one global counter, so database files from before the features
had homes open unchanged. `ordered` refuses gaps and doubles (two branches that took the
same number meet here).
"""

from __future__ import annotations

from collections.abc import Iterable

from compass_bot.storage.db import Migration

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
