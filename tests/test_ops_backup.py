"""`backup` and `status` beside a running bot: a consistent copy during a burst of writes,
and the outbox's length and last delivery read from the live database."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.features.schooltime.rules import CLAUSE_ID
from compass_bot.model import Member
from compass_bot.ops import is_snowflake, snowflake_time
from tests.conftest import ROOT, TEST_CONFIG, Disk, make_loaded

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MIN_BEFORE = 100


async def _cli(folder: Path, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "compass_bot",
        "--config",
        "config.yaml",
        *args,
        cwd=folder,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def _committed(app: App) -> int:
    row = await app.db.fetchone("SELECT COUNT(*) AS n FROM alerts")
    return int(row["n"]) if row else 0


async def test_a_backup_during_a_burst_of_writes_holds_every_committed_alert(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path)
    app = await App.create(loaded, clock=Clock(START))
    backup = tmp_path / "backup.db"
    try:
        stop = asyncio.Event()

        async def burst() -> None:
            i = 0
            while not stop.is_set():
                member = Member(id=10_000 + i, label=f"lid {i}")
                await app.alerts.record(
                    CLAUSE_ID, member, START + timedelta(seconds=i), 1, detail="lesson"
                )
                i += 1
                await asyncio.sleep(0)

        writer = asyncio.create_task(burst())
        while await _committed(app) < MIN_BEFORE:
            await asyncio.sleep(0.01)
        before = await _committed(app)
        code, out, err = await _cli(tmp_path, "backup", str(backup))
        after_backup = await _committed(app)
        stop.set()
        await writer
    finally:
        await app.close()
    assert code == 0, err
    assert out.count("\n") == 1 and out.startswith("backup: ") and str(backup) in out
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        ids = [r[0] for r in copy.execute("SELECT member_id FROM alerts ORDER BY id")]
    finally:
        copy.close()
    # Every alert committed before the backup began is there, in order, with no gap: a
    # consistent snapshot of some moment during the burst.
    assert before <= len(ids) <= after_backup
    assert after_backup > before + 10, "no writes went on during the backup"
    assert ids == [10_000 + i for i in range(len(ids))]
    assert not (tmp_path / "backup.db.partial").exists()


async def test_backup_problems_are_one_line(tmp_path: Path) -> None:
    make_loaded(tmp_path)
    code, out, err = await _cli(tmp_path, "backup", str(tmp_path / "x.db"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "no database at" in err
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.close()
    code, _, err = await _cli(tmp_path, "backup", str(tmp_path / "missing" / "x.db"))
    assert code == 2 and err.count("\n") == 1 and "no such folder" in err
    code, _, err = await _cli(tmp_path, "backup", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and "is a folder" in err


async def test_a_backup_to_a_full_disk_says_so_and_leaves_nothing_behind(
    tmp_path: Path, small_disk: Disk
) -> None:
    """The copy (in WAL mode until it is switched out) left its -wal and -shm beside the
    target, and said "disk I/O error", then "database or disk is full" the next time."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    for i in range(60):
        await app.alerts.record(CLAUSE_ID, Member(10_000 + i, f"lid {i}"), START, 1)
    await app.close()
    room = small_disk.path / "room"
    room.write_bytes(b"\0" * 32 * 1024)
    small_disk.fill()
    room.unlink()  # 32 KiB left: less than the database
    target = small_disk.path / "a.db"
    for _ in range(2):
        code, out, err = await _cli(tmp_path, "backup", str(target))
        assert (code, out) == (2, "")
        assert err == (
            f"backup: backup to {target} failed: the disk is full; free space on it, or back "
            "up to another disk\n"
        )
        assert sorted(p.name for p in small_disk.path.iterdir()) == ["filler"]


async def test_a_database_file_that_is_not_sqlite_is_one_line_everywhere(tmp_path: Path) -> None:
    """`echo hello > compass.db`: validate-config said ok while the bot and `status` refused
    the file; all three now say the same line."""
    from compass_bot.storage.db import Database, StoreError

    make_loaded(tmp_path)
    database = tmp_path / "data" / "compass.db"
    database.parent.mkdir(parents=True)
    database.write_text("hello\n", encoding="utf-8")
    said = f"{database}: not an SQLite database; restore it from a backup"
    code, out, err = await _cli(tmp_path, "validate-config")
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"{tmp_path / 'config.yaml'}: storage.database: ") and said in err
    code, out, err = await _cli(tmp_path, "status")
    assert code == 1 and out == "" and err.count("\n") == 1 and said in err, err
    with pytest.raises(StoreError, match="not an SQLite database; restore it from a backup"):
        await Database.open(database)
    assert database.read_text(encoding="utf-8") == "hello\n"


async def test_status_shows_the_outbox_and_the_last_delivery(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path)
    app = await App.create(loaded, clock=Clock(START))
    try:
        for i in range(3):
            await app.alerts.record(CLAUSE_ID, Member(id=50 + i, label="lid"), START, 1)
        delivered = 1_300_000_000_000_000_000  # a Discord message id
        await app.db.execute(
            "UPDATE alerts SET delivered_message_id = ?, delivery = 'sent' WHERE member_id = 50",
            (delivered,),
        )
        await app.db.commit()
        code, out, err = await _cli(tmp_path, "status", "--json")
        text_code, text, _ = await _cli(tmp_path, "status")
    finally:
        await app.close()
    assert code == 0, err
    status = json.loads(out)
    assert status["pending_alerts"] == 2
    assert status["last_delivery"] == snowflake_time(delivered).isoformat()
    assert status["school"] == "Compass"
    assert status["intents"] == sorted(status["intents"]) and "guilds" in status["intents"]
    assert status["database_bytes"] > 0 and status["schema_version"] > 0
    assert status["version"] not in ("", None)
    assert text_code == 0 and "outbox:        2 alert(s) waiting" in text


def test_a_console_message_id_is_no_delivery_time() -> None:
    """The console's made-up ids (900000001) would read as 2015-01-01: no time at all."""
    assert not is_snowflake(900_000_001)
    assert is_snowflake(175928847299117063)


def test_a_snowflake_says_when_discord_made_it() -> None:
    # Discord's documented example: 175928847299117063 was made at 2016-04-30 11:18:25.796 UTC.
    assert snowflake_time(175928847299117063) == datetime(
        2016, 4, 30, 11, 18, 25, 796000, tzinfo=UTC
    )


async def test_a_backup_never_overwrites_a_live_database_or_another_file(tmp_path: Path) -> None:
    """The live database's own files, another live database (WAL mode: another school's)
    and any file that is not an earlier backup are refused; an earlier backup is replaced."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.close()
    database = tmp_path / "data" / "compass.db"
    assert database.is_file()
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me", encoding="utf-8")
    for target, said in (
        (database.with_name("compass.db-wal"), "belongs to the live database"),
        (other, "is a live database (WAL mode)"),
        (notes, "is not a backup"),
    ):
        code, _, err = await _cli(tmp_path, "backup", str(target))
        assert code == 2 and err.count("\n") == 1 and said in err, err
    assert notes.read_text(encoding="utf-8") == "keep me"
    assert sqlite3.connect(other).execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    code, _, err = await _cli(tmp_path, "backup", "missing-folder/")
    assert code == 2 and "no such folder" in err and not (tmp_path / "missing-folder").exists()
    for _ in range(2):  # the same day's backup again: the earlier copy is replaced
        code, out, err = await _cli(tmp_path, "backup", "copy.db")
        assert code == 0 and "copy.db" in out, err


async def test_a_single_school_s_nightly_backup_replaces_last_night_s_older_one(
    tmp_path: Path,
) -> None:
    """A backup from before backups recorded their school is a single school's own (only a
    board has others): the nightly cron over one file keeps working after the update."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.close()
    code, _, err = await _cli(tmp_path, "backup", "nightly.db")
    assert code == 0, err
    with sqlite3.connect(tmp_path / "nightly.db") as conn:
        conn.execute("PRAGMA application_id = 0")  # as an older version wrote it
    code, out, err = await _cli(tmp_path, "backup", "nightly.db")
    assert code == 0 and "nightly.db" in out, err
    with sqlite3.connect(tmp_path / "nightly.db") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] != 0


async def test_a_single_school_s_backup_goes_on_after_its_server_setting_changes(
    tmp_path: Path,
) -> None:
    """The school mark hashes `discord.guild`; an admin who names the server by id instead of
    by name (or by another id) had every nightly backup refused as "another school's". One
    school has no other school to confuse, so its backup replaces the file whatever it
    records (a board still checks: test_schools_cli)."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.close()
    config = tmp_path / "config.yaml"
    marks = []
    for guild in ("Compass", "987654321098765432", "123456789012345678"):
        config.write_text(
            TEST_CONFIG.replace("discord:\n  guild: Compass\n", f"discord:\n  guild: {guild}\n"),
            encoding="utf-8",
        )
        code, out, err = await _cli(tmp_path, "backup", "nightly.db")
        assert code == 0 and "nightly.db" in out, err
        with sqlite3.connect(tmp_path / "nightly.db") as conn:
            marks.append(conn.execute("PRAGMA application_id").fetchone()[0])
    assert len(set(marks)) == 3  # each setting is another mark, and none was refused


async def test_a_backup_never_overwrites_another_programs_sqlite_file(tmp_path: Path) -> None:
    """An SQLite file out of WAL mode that is not a compass-bot database (no schema version:
    another program's contacts) is refused like any other file, and kept as it was."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.close()
    for version in (0, 3, 74):  # other programs set user_version too (a browser: 74)
        contacts = tmp_path / f"contacts{version}.sqlite"
        conn = sqlite3.connect(contacts)
        conn.execute("CREATE TABLE contacts (name, phone)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        code, _, err = await _cli(tmp_path, "backup", str(contacts))
        assert code == 2 and err.count("\n") == 1 and "is not a backup" in err, err
        tables = sqlite3.connect(contacts).execute("SELECT name FROM sqlite_master").fetchall()
        assert tables == [("contacts",)]


async def test_status_and_backup_refuse_what_the_bot_refuses(tmp_path: Path) -> None:
    """A newer schema, another program's tables, an empty file or a folder where the
    database should be: one line each, as the bot and `digest` say, never a status of it."""
    make_loaded(tmp_path)
    database = tmp_path / "data" / "compass.db"
    database.parent.mkdir(parents=True, exist_ok=True)

    def sqlite_file(version: int) -> None:
        database.unlink(missing_ok=True)
        conn = sqlite3.connect(database)
        conn.execute("CREATE TABLE t (x)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()

    cases = [
        (lambda: sqlite_file(99), "database schema 99 is newer than this bot"),
        (lambda: sqlite_file(0), "not a compass-bot database (it has tables of another program)"),
        (lambda: sqlite_file(3), "not a compass-bot database (it has tables of another program)"),
        (lambda: (database.unlink(), database.write_bytes(b"")), "is an empty file"),
        (lambda: (database.unlink(), database.mkdir()), "is a folder"),
    ]
    for make, said in cases:
        make()
        for command in (("status",), ("status", "--json"), ("backup", "copy.db")):
            code, out, err = await _cli(tmp_path, *command)
            assert (
                code == (2 if command[0] == "backup" else 1)
                and out == ""
                and err.count("\n") == 1
                and said in err
            ), (command, err)
    assert not (tmp_path / "copy.db").exists()


async def test_backups_to_one_place_at_once_each_succeed_and_leave_an_intact_copy(
    tmp_path: Path,
) -> None:
    """Two cron jobs (or an admin and a cron job) backing up to the same file at once each
    write their own temporary file: none fails on another's half-written copy, and the
    file left is a whole backup with no temporary file beside it."""
    from concurrent.futures import ThreadPoolExecutor

    from compass_bot.ops import backup

    app = await App.create(make_loaded(tmp_path), clock=Clock(START))
    await app.alerts.record(CLAUSE_ID, Member(id=7, label="lid"), START, 1, detail="lesson")
    await app.close()
    database = tmp_path / "data" / "compass.db"
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "compass.db"
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=6) as pool:
            sizes = list(pool.map(lambda _: backup(database, target, mark=1), range(12)))
        assert all(size > 0 for size in sizes)
        assert [p.name for p in folder.iterdir()] == ["compass.db"]
        copy = sqlite3.connect(target)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT COUNT(*) FROM alerts").fetchone() == (1,)
        finally:
            copy.close()


async def test_commands_refusing_a_database_leave_no_lock_file(tmp_path: Path) -> None:
    """`digest --database`, `status` and `backup` on a file that is not SQLite: one line,
    and no `<file>.lock` made beside the file they refuse."""
    make_loaded(tmp_path, TEST_CONFIG + "storage:\n  database: notes.txt\n")
    (tmp_path / "notes.txt").write_text("boodschappen\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("nog meer\n", encoding="utf-8")
    for command in (
        ("digest", "--database", "other.txt"),
        ("digest",),
        ("status",),
        ("backup", "copy.db"),
    ):
        code, out, err = await _cli(tmp_path, *command)
        assert code != 0 and out == "" and err.count("\n") == 1, (command, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "config.yaml",
            "notes.txt",
            "other.txt",
        ], command


async def test_a_copy_on_read_only_media_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database in WAL mode on a read-only mount: SQLite cannot make the shared-memory file
    beside it, so a read-only connection fails ("unable to open database file"); nothing can
    write there either, so `status` and `backup` read it as unchanging (immutable). Here the
    refusal is played, so it runs where no tmpfs can be mounted; and a fault in a writable
    folder stays a fault (test_storage_faults reads a copy on a real read-only tmpfs)."""
    from compass_bot import ops
    from compass_bot.storage import readonly

    loaded = make_loaded(tmp_path)
    app = await App.create(loaded, clock=Clock(START))
    await app.alerts.record(CLAUSE_ID, Member(id=50, label="lid"), START, 1)
    await app.close()
    database = next(tmp_path.rglob("*.db"))
    real_connect = sqlite3.connect
    opened: list[str] = []

    def media(target: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(target)
        if "immutable=1" not in target:
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(ops.sqlite3, "connect", media)
    monkeypatch.setattr(readonly.os, "access", lambda path, mode: False)
    status = ops.database_status(database)
    assert status.pending_alerts == 1 and status.schema_version > 0
    assert opened[-1].endswith("?mode=ro&immutable=1")
    # a writable folder: a fault
    monkeypatch.setattr(readonly.os, "access", lambda path, mode: True)
    with pytest.raises(ops.OpsError, match="cannot read it: unable to open database file"):
        ops.database_status(database)
