"""Migration 12 on a file from before it: an alert keeps its one channel with its whole count,
and the next repeat in another channel is counted beside it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.registry import migrations
from compass_bot.storage.db import Database

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


async def test_an_alert_from_before_keeps_its_channel_and_counts_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "v11.db"
    conn = sqlite3.connect(path)
    conn.executescript("\n".join(m.sql for m in migrations()[:11]) + "\nPRAGMA user_version = 11;")
    conn.execute(
        "INSERT INTO alerts (rule, member_id, member_label, channel_id, count, created_at,"
        " updated_at) VALUES ('schooltijd', 7, 'anna', 500, 2, ?, ?)",
        (T0.isoformat(), T0.isoformat()),
    )
    conn.execute(
        "INSERT INTO alerts (rule, member_id, member_label, created_at, updated_at)"
        " VALUES ('naam', 8, 'bram', ?, ?)",
        (T0.isoformat(), T0.isoformat()),
    )
    conn.commit()
    conn.close()
    store = await Database.open(path)
    try:
        repo = OutboxRepo(store)
        name, old = await repo.alerts()
        assert old.channels == ((500, 2),) and name.channels == ()
        at = T0 + timedelta(minutes=1)
        again, created = await repo.record_alert(
            rule="schooltijd",
            member_id=7,
            member_label="anna",
            at=at,
            window_start=at - timedelta(minutes=30),
            channel_id=600,
        )
        assert not created and again.count == 3
        assert again.channels == ((500, 2), (600, 1))
        assert again.where(lambda c: f"#{c}") == "#500 x2, #600 x1"
    finally:
        await store.close()
