"""The main connection beside the outbox's claim connection: a read of one task never leaves
a stale snapshot that makes another task's write fail with "database is locked".

SQLite gives a write that has to upgrade an open read (a snapshot older than another
connection's commit, SQLITE_BUSY_SNAPSHOT) "database is locked" at once, without the busy
timeout. These tests interleave the two connections on a real file, as the bot does: the
claim connection commits while a read of the main connection is under way.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.features.names.repo import NameRepo
from compass_bot.storage.db import Database

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


def commit_elsewhere(path: Path) -> None:
    """Another connection (the outbox's claim) changes a row and commits."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("UPDATE alerts SET attempts = attempts + 1")
    finally:
        other.close()


async def claim_during_reads(store: Database) -> list[int]:
    """An SQL function `claim_meanwhile()` that, the first time a read calls it (inside the
    read, on the database's thread), lets the claim connection commit; the list counts its
    calls."""
    calls: list[int] = []

    def claim_meanwhile() -> int:
        if not calls:
            commit_elsewhere(store.path)
        calls.append(1)
        return 1

    await store.conn.create_function("claim_meanwhile", 0, claim_meanwhile)
    return calls


async def open_with_alert(path: Path) -> Database:
    store = await Database.open(path)
    await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=1, member_label="1", at=T0, window_start=T0
    )
    return store


async def test_a_read_beside_a_write_while_the_claim_commits_loses_no_write(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The restart's moderator click (approve names) queued behind a read of another task,
    while the claim connection commits in the middle of that read: both writes go through."""
    store = await open_with_alert(tmp_path / "compass.db")
    try:
        calls = await claim_during_reads(store)
        # Both are queued on the main connection's thread before either finishes: the read's
        # statement first, the write right behind it.
        read = asyncio.ensure_future(store.fetchall("SELECT id, claim_meanwhile() FROM alerts"))
        write = asyncio.ensure_future(NameRepo(store).approve_names(7, ["C0mpass"], 9, T0))
        rows, approved = await asyncio.gather(read, write)
        assert [r["id"] for r in rows] == [1] and calls == [1]
        assert [a.name for a in approved] == ["C0mpass"]
        await OutboxRepo(store).mark_delivered(1, 99, 1)  # and the next write too
        alert = await OutboxRepo(store).alert(1)
        assert alert is not None and alert.delivery == "sent" and alert.attempts == 0
        assert "trying it again" not in caplog.text  # no stale snapshot to begin with
    finally:
        await store.close()


async def test_a_one_row_read_leaves_no_statement_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`fetchone` of a query with more rows than it returns: the rest are not left open as a
    snapshot for a write queued behind it."""
    store = await open_with_alert(tmp_path / "compass.db")
    try:
        await OutboxRepo(store).record_alert(
            rule="schooltijd", member_id=2, member_label="2", at=T0, window_start=T0
        )
        calls = await claim_during_reads(store)
        read = asyncio.ensure_future(
            store.fetchone("SELECT id, claim_meanwhile() FROM alerts ORDER BY id")
        )
        write = asyncio.ensure_future(NameRepo(store).approve_names(7, ["C0mpass"], 9, T0))
        row, approved = await asyncio.gather(read, write)
        assert calls  # the claim committed inside the read
        assert row is not None and row["id"] == 1
        assert [a.name for a in approved] == ["C0mpass"]
        assert "trying it again" not in caplog.text
    finally:
        await store.close()


async def test_a_stale_snapshot_is_rolled_back_and_the_write_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The second line of defence: a transaction that only read (what a write that failed
    on "busy" leaves behind: Python's implicit BEGIN stays open) and is older than the claim
    connection's commit no longer fails every later write; the write is tried once more."""
    store = await open_with_alert(tmp_path / "compass.db")
    try:
        await store.conn.execute("BEGIN")
        assert len(await store.fetchall("SELECT * FROM alerts")) == 1  # the snapshot
        commit_elsewhere(store.path)
        approved = await NameRepo(store).approve_names(7, ["C0mpass"], 9, T0)
        assert [a.name for a in approved] == ["C0mpass"]
        assert "trying it again" in caplog.text
        alert = await OutboxRepo(store).alert(1)
        assert alert is not None and alert.attempts == 1  # the other commit is kept
    finally:
        await store.close()


async def test_a_write_busy_past_the_timeout_is_still_an_error(tmp_path: Path) -> None:
    """Another connection holding the write lock past the busy timeout, on both tries: the
    caller gets "database is locked" (its own retry or report), nothing is half written."""
    store = await open_with_alert(tmp_path / "compass.db")
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        await store.execute("PRAGMA busy_timeout=50")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await NameRepo(store).approve_names(7, ["C0mpass"], 9, T0)
        other.execute("ROLLBACK")
        await store.rollback()
        assert await NameRepo(store).approved_names(7) == []
    finally:
        other.close()
        await store.close()
