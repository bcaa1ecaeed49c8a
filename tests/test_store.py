"""The SQLite store: migrations on a fresh and an existing file, and each table's behaviour."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.features.names.repo import NameRepo
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.questions.repo import QuestionRepo
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.model import Member
from compass_bot.registry import migrations
from compass_bot.storage.db import Database, StoreError
from tests.conftest import make_loaded

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
MODERATOR = Member(9, "mod", ((1, "Moderator"),))


async def _app(db: Database) -> App:
    """Every feature on this database, as the bot builds them (for erasure and the purge)."""
    return await App.create(make_loaded(db.path.parent), db=db)


async def purge(db: Database, before: datetime, now: datetime) -> dict[str, int]:
    app = await _app(db)
    assert now - before == timedelta(days=app.config.retention.days)
    return await app[PrivacyService].purge_expired(now)


async def erase(db: Database, member_id: int, by: int, at: datetime) -> dict[str, int]:
    result = await (await _app(db))[PrivacyService].erase(
        Member(by, "mod", MODERATOR.roles), member_id, at
    )
    assert isinstance(result, dict)
    return result


async def test_fresh_database_is_created_with_wal_and_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "compass.db"
    store = await Database.open(path)
    try:
        assert path.exists()
        assert await store.schema_version() == len(migrations())
    finally:
        await store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"audit", "permission_grants", "approved_names", "alerts", "question_feedback"} <= tables


async def test_the_database_and_its_wal_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """Alert excerpts and notes about minors: the live file is 0600 like a backup, also when
    the bot's umask (022 by default) would make it world-readable, and an older file made
    under that umask is narrowed at the next start."""
    old_umask = os.umask(0o022)
    try:
        db = await Database.open(tmp_path / "new.db")
        await db.execute("CREATE TABLE t (x)")
        await db.commit()
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("new.db*")}
        await db.close()
        assert modes["new.db"] == 0o600 and modes["new.db-wal"] == 0o600, modes

        loose = tmp_path / "loose.db"
        sqlite3.connect(loose).close()
        loose.chmod(0o644)
        db = await Database.open(loose)
        await db.close()
        assert stat.S_IMODE(loose.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


async def test_a_database_sqlite_cannot_open_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The private empty file made before SQLite opens it is removed when the open fails, so
    `status` and `backup` later say "no database yet", not "an empty file"."""
    import aiosqlite

    async def refuse(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(aiosqlite, "connect", refuse)
    with pytest.raises(StoreError):
        await Database.open(tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


async def test_existing_database_is_migrated_forward_keeping_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(migrations()[0].sql + "\nPRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO audit (at, actor_id, action, subject_id, detail) VALUES (?, 1, 'x', 2, '{}')",
        (T0.isoformat(),),
    )
    conn.commit()
    conn.close()
    store = await Database.open(path)
    try:
        assert await store.schema_version() == len(migrations())
        entries = await store.audit_entries()
        assert [(e.action, e.subject_id) for e in entries] == [("x", 2)]
        await SchoolTimeRepo(store).set_warned(5, T0)
        assert await SchoolTimeRepo(store).warning_cooldowns() == {5: T0}
    finally:
        await store.close()
    # Opening again is a no-op.
    store = await Database.open(path)
    assert await store.schema_version() == len(migrations())
    await store.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(migrations()) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        await Database.open(path)


async def test_a_bad_migration_list_fails_before_a_connection_is_left_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two features taking one migration number is a programming error: it fails at once,
    and no aiosqlite worker thread is left behind to keep the process from exiting."""
    import threading

    from compass_bot.storage import schema

    def gap() -> tuple[object, ...]:
        raise ValueError("migration numbers must run 1..12 once each")

    monkeypatch.setattr(schema, "migrations", gap)
    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(ValueError, match="once each"):
        await Database.open(tmp_path / "db")
    assert {t.ident for t in threading.enumerate() if t.is_alive()} <= before


async def test_grants_are_audited_and_revocable(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    grant = await SchoolTimeRepo(store).add_grant(
        "member", 42, T0, T0 + timedelta(minutes=50), 7, "project"
    )
    assert [g.id for g in await SchoolTimeRepo(store).active_grants(T0)] == [grant.id]
    assert await SchoolTimeRepo(store).active_grants(T0 + timedelta(minutes=50)) == []
    assert await SchoolTimeRepo(store).revoke_grant(grant.id, 7, T0) is not None
    assert await SchoolTimeRepo(store).revoke_grant(grant.id, 7, T0) is None
    assert await SchoolTimeRepo(store).active_grants(T0) == []
    actions = [e.action for e in await store.audit_entries()]
    assert actions == ["permission.revoke", "permission.grant"]
    await store.close()


async def test_alert_repeat_window_counts_instead_of_adding(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    window = timedelta(minutes=30)
    first, created = await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=1, member_label="a", at=T0, window_start=T0 - window
    )
    assert created and first.count == 1
    at = T0 + timedelta(minutes=10)
    again, created = await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=1, member_label="a", at=at, window_start=at - window
    )
    assert not created and again.id == first.id and again.count == 2
    other, created = await OutboxRepo(store).record_alert(
        rule="aanwijzing-2", member_id=1, member_label="a", at=at, window_start=at - window
    )
    assert created and other.id != first.id
    late = T0 + timedelta(minutes=41)
    fresh, created = await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=1, member_label="a", at=late, window_start=late - window
    )
    assert created and fresh.id not in (first.id, other.id)
    await store.close()


async def test_delivery_marks_and_changes_while_sending(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    alert, _ = await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=1, member_label="a", at=T0, window_start=T0
    )
    assert [a.id for a in await OutboxRepo(store).pending_alerts(T0)] == [alert.id]
    # A repeat arrives while the first version is being sent: it stays pending for an edit.
    await OutboxRepo(store).record_alert(
        rule="schooltijd",
        member_id=1,
        member_label="a",
        at=T0 + timedelta(seconds=5),
        window_start=T0,
    )
    await OutboxRepo(store).mark_delivered(alert.id, 999, alert.version)
    pending = await OutboxRepo(store).pending_alerts(T0 + timedelta(seconds=5))
    assert [(a.id, a.delivered_message_id, a.count) for a in pending] == [(alert.id, 999, 2)]
    await OutboxRepo(store).mark_delivered(alert.id, 999, pending[0].version)
    assert await OutboxRepo(store).pending_alerts(T0 + timedelta(hours=1)) == []
    # A failure schedules a retry rather than dropping it.
    await OutboxRepo(store).set_alert_status(alert.id, "resolved", 3, T0)
    await OutboxRepo(store).mark_delivery_failed(alert.id, "500", T0 + timedelta(seconds=30))
    assert await OutboxRepo(store).pending_alerts(T0 + timedelta(seconds=10)) == []
    assert [
        a.attempts for a in await OutboxRepo(store).pending_alerts(T0 + timedelta(seconds=30))
    ] == [1]
    await store.close()


async def test_purge_and_erase(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    old = T0 - timedelta(days=40)
    await OutboxRepo(store).record_alert(
        rule="schooltijd",
        member_id=1,
        member_label="anna",
        at=old,
        window_start=old,
        excerpt="oud bericht",
    )
    await OutboxRepo(store).record_alert(
        rule="schooltijd",
        member_id=2,
        member_label="bob",
        at=T0,
        window_start=T0,
        excerpt="nieuw bericht",
    )
    await QuestionRepo(store).record_question("oude vraag", None, "unanswered", old)
    await QuestionRepo(store).record_question("nieuwe vraag", None, "unanswered", T0)
    # Teachers' free-text reasons are often about a student: they expire like excerpts.
    await SchoolTimeRepo(store).add_grant(
        "role", 11, old, old + timedelta(minutes=50), 7, "anna is ziek"
    )
    await SchoolTimeRepo(store).add_grant(
        "member", 3, T0, T0 + timedelta(minutes=50), 7, "projectwerk"
    )
    counts = await purge(store, T0 - timedelta(days=30), T0)
    assert counts == {"alerts": 1, "questions": 1, "grant_reasons": 1, "member_reports": 0}
    conn = sqlite3.connect(tmp_path / "db")
    reasons = conn.execute("SELECT target_id, reason FROM permission_grants ORDER BY id").fetchall()
    conn.close()
    assert reasons == [(11, None), (3, "projectwerk")]
    alerts = {a.member_id: a for a in await OutboxRepo(store).alerts()}
    assert alerts[1].excerpt is None and alerts[1].member_label == "(verlopen)"
    assert alerts[2].excerpt == "nieuw bericht"
    assert [q.question for q in await QuestionRepo(store).questions(["unanswered"])] == [
        "nieuwe vraag"
    ]

    await NameRepo(store).approve_names(2, ["Compass Fan"], 9, T0)
    await SchoolTimeRepo(store).set_warned(2, T0)
    erased = await erase(store, 2, 9, T0)
    assert erased["alerts"] == 1 and erased["approved_names"] == 1
    assert [a.member_id for a in await OutboxRepo(store).alerts()] == [1]
    assert await NameRepo(store).approved_names(2) == []
    assert 2 not in await SchoolTimeRepo(store).warning_cooldowns()
    assert (await store.audit_entries(1))[0].action == "privacy.erase"
    await store.close()


async def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    with pytest.raises(ValueError, match="naive"):
        await SchoolTimeRepo(store).set_warned(1, datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    await store.close()


async def test_alert_numbers_are_never_reused_after_an_old_file_is_migrated(
    tmp_path: Path,
) -> None:
    """A file from before AUTOINCREMENT: #3 was handled and erased, #2 is still there."""
    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path)
    conn.executescript("\n".join(m.sql for m in migrations()[:5]) + "\nPRAGMA user_version = 5;")
    for alert_id in (1, 2):
        conn.execute(
            "INSERT INTO alerts (id, rule, member_id, member_label, excerpt, created_at,"
            " updated_at) VALUES (?, 'schooltijd', 7, 'anna', 'hoi', ?, ?)",
            (alert_id, T0.isoformat(), T0.isoformat()),
        )
    conn.execute(
        "INSERT INTO audit (at, actor_id, action, subject_id, detail)"
        " VALUES (?, 4, 'alert.resolved', NULL, '{\"alert\": 3}')",
        (T0.isoformat(),),
    )
    conn.commit()
    conn.close()
    store = await Database.open(path)
    try:
        assert await store.schema_version() == len(migrations())
        kept = await OutboxRepo(store).alerts()
        assert [(a.id, a.member_label, a.excerpt) for a in kept] == [
            (2, "anna", "hoi"),
            (1, "anna", "hoi"),
        ]
        new, created = await OutboxRepo(store).record_alert(
            rule="schooltijd", member_id=8, member_label="bram", at=T0, window_start=T0
        )
        assert created and new.id == 4  # past #3, known only from the audit trail
        await erase(store, 8, 4, T0)
        after, _ = await OutboxRepo(store).record_alert(
            rule="schooltijd", member_id=9, member_label="cas", at=T0, window_start=T0
        )
        assert after.id == 5  # #4 was erased; its number is not given out again
    finally:
        await store.close()
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'alerts'").fetchone()[0]
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert "AUTOINCREMENT" in sql and {"alerts_member_rule", "alerts_delivery"} <= indexes


async def test_a_fresh_database_never_reuses_an_erased_alert_number(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "fresh.db")
    try:
        first, _ = await OutboxRepo(store).record_alert(
            rule="schooltijd", member_id=7, member_label="anna", at=T0, window_start=T0
        )
        await erase(store, 7, 4, T0)
        second, _ = await OutboxRepo(store).record_alert(
            rule="schooltijd", member_id=8, member_label="bram", at=T0, window_start=T0
        )
        assert (first.id, second.id) == (1, 2)
    finally:
        await store.close()


async def test_a_checkpoint_while_a_statement_is_open_is_a_warning_not_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A read of this connection still under way locks the WAL's truncation ("database table
    is locked"): like a reader of another connection, the WAL is truncated next time, and the
    retention purge (which has committed) does not end in a traceback."""
    store = await Database.open(tmp_path / "compass.db")
    try:
        for _ in range(3):
            await store.audit(datetime(2026, 1, 5, tzinfo=UTC), None, "test", None, {})
        cursor = await store.conn.execute("SELECT * FROM audit")
        await cursor.fetchone()  # the statement stays open
        await store.checkpoint()
        await cursor.close()
        assert "could not be truncated" in caplog.text
    finally:
        await store.close()


async def test_a_transaction_keeps_other_tasks_out_and_takes_none_of_theirs_along(
    tmp_path: Path,
) -> None:
    """Erasure's unit: a statement another task sends while it is open waits for its end, a
    failing unit rolls back only its own statements, and what another task had pending before
    it opened is kept (committed first), not thrown away with it."""
    import asyncio

    store = await Database.open(tmp_path / "db")
    try:
        await store.execute(
            "INSERT INTO audit (at, actor_id, action, subject_id, detail) VALUES (?, 1, 'a', 1, '{}')",
            ("2026-11-24T09:15:00+00:00",),
        )  # pending: another task's write before the unit, not yet committed
        inside = asyncio.Event()
        release = asyncio.Event()

        async def failing_unit() -> None:
            async with store.transaction():
                await store.execute("DELETE FROM audit")
                inside.set()
                await release.wait()
                raise RuntimeError("a feature's erasure failed")

        unit = asyncio.create_task(failing_unit())
        await asyncio.wait_for(inside.wait(), 5)

        async def other_task() -> None:  # an alert recorded meanwhile
            await store.audit(T0, 2, "b", 2, {})

        other = asyncio.create_task(other_task())
        await asyncio.sleep(0.05)
        assert not other.done()  # waits for the unit: its commit lands none of it
        release.set()
        with pytest.raises(RuntimeError):
            await unit
        await other
        actions = [e.action for e in await store.audit_entries(10)]
        assert actions == ["b", "a"]  # the unit's DELETE undone; both other writes kept
    finally:
        await store.close()


async def test_a_failing_erasure_erases_nothing_and_loses_no_alert(tmp_path: Path) -> None:
    """One feature's erasure fails after another's ran, while an alert is recorded: the member's
    rows are all still there (nothing half-erased) and the alert is kept."""
    import asyncio

    store = await Database.open(tmp_path / "db")
    try:
        app = await _app(store)
        await NameRepo(store).approve_names(2, ["Compass Fan"], 9, T0)
        await SchoolTimeRepo(store).set_warned(2, T0)
        started = asyncio.Event()
        release = asyncio.Event()
        services = app.kernel.services
        last = services[-1]
        original = last.erase_member

        async def slow_failing(member_id: int) -> dict[str, int]:
            started.set()
            await release.wait()
            raise RuntimeError("disk gone")

        last.erase_member = slow_failing  # type: ignore[method-assign]
        try:
            erase = asyncio.create_task(
                app[PrivacyService].erase(Member(9, "mod", MODERATOR.roles), 2, T0)
            )
            await asyncio.wait_for(started.wait(), 5)
            record = asyncio.create_task(
                OutboxRepo(store).record_alert(
                    rule="schooltijd", member_id=3, member_label="cem", at=T0, window_start=T0
                )
            )
            await asyncio.sleep(0.05)
            release.set()
            with pytest.raises(RuntimeError):
                await erase
            await record
        finally:
            last.erase_member = original  # type: ignore[method-assign]
        assert [n.name for n in await NameRepo(store).approved_names(2)] == ["Compass Fan"]
        assert 2 in await SchoolTimeRepo(store).warning_cooldowns()
        assert [a.member_id for a in await OutboxRepo(store).alerts()] == [3]
    finally:
        await store.close()


async def test_wipe_empties_every_table_in_one_unit_and_restarts_the_numbering(
    tmp_path: Path,
) -> None:
    """The console's `/reset`: every row gone, numbering from 1 again, and a write another task
    sends meanwhile waits for the unit instead of landing half-way (it is kept after it)."""
    import asyncio

    store = await Database.open(tmp_path / "db")
    try:
        await store.audit(T0, 1, "a", 1, {})
        await store.audit(T0, 1, "b", 1, {})
        await store.commit()
        wiping = asyncio.create_task(store.wipe())
        while store._unit_owner is None and not wiping.done():  # the wipe's unit is open
            await asyncio.sleep(0)
        await store.audit(T0, 2, "after", 2, {})
        await wiping
        await store.commit()
        rows = await store.fetchall("SELECT id, action FROM audit")
        assert [(r["id"], r["action"]) for r in rows] == [(1, "after")]
        for table in ("permission_grants", "alerts", "approved_names"):
            assert await store.fetchone(f"SELECT 1 FROM {table}") is None
    finally:
        await store.close()


async def test_a_database_in_use_is_not_removed_under_its_feet(tmp_path: Path) -> None:
    """`bot.py --console --fresh` removes the console's file only when no other process has
    it open (a second console used to delete the first one's alerts)."""
    import subprocess
    import sys

    from compass_bot.storage.db import StoreError, remove_database

    path = tmp_path / "console.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time;"
         f"fd = os.open({str(path) + '.lock'!r}, os.O_RDWR | os.O_CREAT);"
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        path.write_bytes(b"data")
        with pytest.raises(StoreError, match="already running"):
            remove_database(path)
        assert path.read_bytes() == b"data"
    finally:
        holder.kill()
        holder.wait()
    remove_database(path)
    assert not path.exists()
    remove_database(tmp_path / "never" / "made.db")  # nothing there: nothing to do
