"""Storage under faults (issue 19, classes 3, 4, 6, 13).

- A database that cannot be used at start (read-only or full disk, random bytes, a damaged
  page or table, a newer schema) is one line naming the file and what to do, a non-zero
  exit within 5 seconds, no traceback and no hang: `bot.py --console` and the Discord bot
  (against the fake Discord) as real processes.
- A flag whose write fails after start is kept in memory and written later; the warning
  goes out regardless; the moderators are told once. Runs on a small tmpfs filled up (skipped
  with the reason when mounting is impossible) and, always, on a connection SQLite itself
  refuses to write (`PRAGMA query_only`).
- A second bot process on the same database refuses to start; the console beside it runs.
- Erased text is gone from the .db and -wal bytes after `/privacy wissen` and the purge.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.discord_front.runner import STORAGE_FAILING, storage_notice
from compass_bot.features.alerts import service as service_module
from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.features.alerts.service import StorageEvent
from compass_bot.features.names.repo import NameRepo
from compass_bot.features.names.service import NameService, NamesSeen
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.questions.service import QuestionAsked, QuestionService
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, MessagePosted
from compass_bot.registry import migrations
from compass_bot.storage.db import Database, StoreError
from tests.conftest import ROOT, TEST_CONFIG, Disk, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot
from tests.fakediscord import FakeDiscord
from tests.timing import quick_exit_limit_now

TOKEN = "storage-test-token.abc.def"
MARKER = "Zwartekat"  # a word that occurs nowhere else in the database

ANNA = Member(id=101, label="anna", roles=((11, "Leerling"),))
BRAM = Member(id=102, label="bram", roles=((11, "Leerling"),))
MODERATOR = Member(id=301, label="mod", roles=((31, "Moderator"),))
TEACHER = Member(id=201, label="jansen", roles=((21, "Docent"),))
ALGEMEEN = ChannelInfo(id=501, name="algemeen")


def post(member: Member, minutes: float = 0, text: str = "hoi") -> MessagePosted:
    return MessagePosted(
        member=member,
        channel=ALGEMEEN,
        at=LESSON + timedelta(minutes=minutes),
        content=text,
        message_id=900 + int(minutes * 10),
        guild_id=1,
    )


# -- damaged database files ----------------------------------------------------------------


def _real_database(path: Path, alerts: int = 300) -> None:
    """A compass-bot database at the current schema with enough alerts for several pages."""
    conn = sqlite3.connect(path)
    for number, script in enumerate(migrations(), start=1):
        conn.executescript(script.sql + f"\nPRAGMA user_version = {number};")
    conn.executemany(
        "INSERT INTO alerts (rule, member_id, member_label, excerpt, created_at, updated_at)"
        " VALUES ('schooltijd', ?, 'anna', ?, '2026-11-24T09:15:00+00:00',"
        " '2026-11-24T09:15:00+00:00')",
        [(i, f"bericht {i} " * 20) for i in range(alerts)],
    )
    conn.commit()
    conn.close()


def _overwrite(path: Path, offset: int, size: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset : offset + size] = random.Random(19).randbytes(size)
    path.write_bytes(bytes(data))


async def _threads_back_to(count: int) -> None:
    """aiosqlite's worker thread ends just after close() returns: give it a moment."""
    for _ in range(100):
        if threading.active_count() <= count:
            return
        await asyncio.sleep(0.01)
    assert threading.active_count() == count


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(19).randbytes(16384))


def corrupt_page(path: Path) -> None:
    """Page 1 past the file header: the schema itself cannot be read."""
    _real_database(path)
    _overwrite(path, 100, 300)


def corrupt_table(path: Path) -> None:
    """The alerts table's root page: the schema and the other tables read fine, so only a
    check at start notices (the bot used to start and lose new flags)."""
    _real_database(path)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'alerts'").fetchone()[0]
    conn.close()
    _overwrite(path, (root - 1) * page_size + 8, 400)


def newer_version(path: Path) -> None:
    _real_database(path, alerts=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(migrations()) + 5}")
    conn.close()


def another_programs_file(path: Path) -> None:
    """A browser's history file (a user_version of its own, tables of its own): the bot must
    not run its migrations on it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (url)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "random-bytes": (random_bytes, "not an SQLite database; restore it from a backup"),
    "corrupt-page": (corrupt_page, "is damaged"),
    "corrupt-table": (corrupt_table, "is damaged"),
    "newer-version": (newer_version, "newer than this bot"),
    "another-program": (another_programs_file, "not a compass-bot database"),
}


def _sqlite_verdict(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        return "ok" if rows == [("ok",)] else "check fails"
    except sqlite3.DatabaseError:
        return "check fails"
    finally:
        conn.close()


def test_damaged_files_are_what_the_names_say(tmp_path: Path) -> None:
    """The fixtures are real damage, as SQLite itself sees it."""
    verdicts = {}
    for name, (damage, _line) in DAMAGES.items():
        damage(tmp_path / f"{name}.db")
        verdicts[name] = _sqlite_verdict(tmp_path / f"{name}.db")
    assert verdicts == {
        "random-bytes": "file is not a database",
        "corrupt-page": "database disk image is malformed",
        "corrupt-table": "check fails",  # the schema reads: only a check notices
        "newer-version": "ok",
        "another-program": "ok",  # a sound file, only not the bot's
    }


@pytest.mark.parametrize("name", list(DAMAGES))
async def test_store_open_refuses_a_damaged_file_in_one_line(tmp_path: Path, name: str) -> None:
    damage, expected = DAMAGES[name]
    path = tmp_path / "compass.db"
    damage(path)
    threads = threading.active_count()
    with pytest.raises(StoreError) as caught:
        await Database.open(path)
    line = str(caught.value)
    assert "\n" not in line and str(path) in line and expected in line
    # No database thread is left behind: it would keep the process alive (the old hang).
    await _threads_back_to(threads)
    # And the file is not locked by the failed attempt.
    store = await Database.open(tmp_path / "other.db")
    await store.close()


async def test_the_check_at_start_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A check that would run for ever (standing in for a huge file) is interrupted at the
    bound; the file opens and the skip is logged."""
    endless = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
        "SELECT 'ok' FROM n WHERE x < 0"
    )
    monkeypatch.setattr(Database, "CHECK_SQL", endless)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        store = await Database.open(tmp_path / "compass.db", check_seconds=0.2)
    try:
        assert time.monotonic() - started < 2.0
        assert "quick check skipped" in caplog.text
        assert await store.schema_version() == len(migrations())
    finally:
        await store.close()


# -- start-up as real processes ----------------------------------------------------------------


def _config(folder: Path, database: Path, fake: FakeDiscord | None) -> Path:
    text = TEST_CONFIG + f"storage:\n  database: {database}\n"
    if fake is not None:
        text = text.replace(
            "discord:\n  guild: Compass\n",
            "discord:\n  guild: Compass\n"
            f"  api_base_url: {fake.api_base_url}\n  gateway_url: {fake.gateway_url}\n",
        )
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _bot(folder: Path, config: Path, *, discord: bool, stdin: str = "") -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = str(ROOT)
    argv = [sys.executable, str(ROOT / "bot.py"), "--config", str(config)]
    if discord:
        env["DISCORD_TOKEN"] = TOKEN
    else:
        argv.append("--console")
    return subprocess.Popen(
        argv,
        cwd=folder,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass(frozen=True)
class Outcome:
    returncode: int | None
    output: str
    seconds: float


def _finish(proc: subprocess.Popen[str], stdin: str = "", timeout: float = 15) -> Outcome:
    started = time.monotonic()
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return Outcome(None, out + err, time.monotonic() - started)
    return Outcome(proc.returncode, out + err, time.monotonic() - started)


def _assert_one_line(outcome: Outcome, file: Path, expected: str) -> None:
    assert outcome.returncode is not None, f"hung: {outcome.output[-500:]}"
    assert outcome.returncode == 2, outcome.output
    assert "Traceback" not in outcome.output, outcome.output
    assert TOKEN not in outcome.output
    lines = [line for line in outcome.output.strip().splitlines() if line.strip()]
    problems = [line for line in lines if not line.startswith("compass-bot: not started")]
    assert len(problems) == 1 and len(lines) == 2, lines
    assert str(file) in problems[0] and expected in problems[0], problems[0]
    limit = quick_exit_limit_now()
    assert outcome.seconds < limit, f"took {outcome.seconds:.1f}s (bound {limit:.1f}s)"


@pytest.fixture(scope="module")
def fake_discord() -> Iterator[FakeDiscord]:
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def _database_for(folder: Path, discord: bool) -> tuple[Path, Path]:
    """(storage.database, the file this front end opens): the console has its own file."""
    database = folder / "data" / "compass.db"
    return database, database if discord else database.with_name("compass-console.db")


@pytest.mark.parametrize("front", ["console", "discord"])
def test_a_damaged_database_at_start_is_one_line_and_a_quick_exit(
    tmp_path: Path, front: str, fake_discord: FakeDiscord
) -> None:
    discord = front == "discord"

    def run(name: str) -> tuple[str, Path, Outcome]:
        folder = tmp_path / name
        folder.mkdir()
        database, opened = _database_for(folder, discord)
        opened.parent.mkdir()
        DAMAGES[name][0](opened)
        config = _config(folder, database, fake_discord)
        return name, opened, _finish(_bot(folder, config, discord=discord))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, DAMAGES))
    for name, opened, outcome in results:
        _assert_one_line(outcome, opened, DAMAGES[name][1])


@pytest.mark.parametrize("front", ["console", "discord"])
def test_a_full_disk_at_start_is_one_line(
    tmp_path: Path, small_disk: Disk, front: str, fake_discord: FakeDiscord
) -> None:
    discord = front == "discord"
    database, opened = _database_for(small_disk.path, discord)
    opened.parent.mkdir()
    small_disk.fill()
    outcome = _finish(_bot(tmp_path, _config(tmp_path, database, fake_discord), discord=discord))
    _assert_one_line(outcome, opened, "the disk is full; free space on it")


def test_the_console_says_a_disk_filled_while_it_runs_in_one_dutch_line(
    tmp_path: Path, small_disk: Disk
) -> None:
    """The disk fills while the console runs, after an alert was kept: each line that could
    not be kept says so in Dutch ("de schijf is vol"), never SQLite's own "OperationalError:
    database or disk is full"; the alert is shown once as new, and the console goes on and
    stops cleanly (a new-user tester found the raw error after every line)."""
    from compass_bot.console.app import DISK_FULL

    database, _ = _database_for(small_disk.path, discord=False)
    proc = _bot(tmp_path, _config(tmp_path, database, None), discord=False)
    assert proc.stdin is not None and proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or ()), daemon=True)
    reader.start()
    proc.stdin.write("/tijd 2026-11-24 10:15\n/als leerling anna\nbel me op 0612345678\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 15
    while not any("#mod-meldingen" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    small_disk.fill()
    script = "/als moderator\n/meldingen open\n/melding 1 afgehandeld\nhoi\n/stop\n"
    outcome = _finish(proc, script)
    reader.join(5)
    output = "".join(lines) + outcome.output
    assert outcome.returncode == 0, output[-3000:]
    assert "Traceback" not in output and "OperationalError" not in output, output[-3000:]
    assert DISK_FULL in output, output[-3000:]
    for number in (1, 2):  # the school-time alert and the personal-data one: shown once each
        assert output.count(f"[#mod-meldingen · nieuw] Melding #{number} ") == 1, output[-3000:]


@pytest.mark.parametrize("front", ["console", "discord"])
def test_a_read_only_disk_at_start_is_one_line(
    tmp_path: Path, small_disk: Disk, front: str, fake_discord: FakeDiscord
) -> None:
    discord = front == "discord"
    database, opened = _database_for(small_disk.path, discord)
    opened.parent.mkdir()
    _real_database(opened, alerts=1)
    small_disk.read_only()
    outcome = _finish(_bot(tmp_path, _config(tmp_path, database, fake_discord), discord=discord))
    # The config's check names the file when it exists, else its folder.
    _assert_one_line(outcome, opened if discord else opened.parent, "written")
    assert "the file system is read-only" in outcome.output
    assert "permissions" not in outcome.output


async def test_store_open_on_a_read_only_disk_is_a_store_error(small_disk: Disk) -> None:
    """Below the config's own check (which runs first in bot.py): the store's line."""
    path = small_disk.path / "compass.db"
    _real_database(path, alerts=1)
    small_disk.read_only()
    with pytest.raises(
        StoreError, match="cannot be written: the file system is read-only"
    ) as caught:
        await Database.open(path)
    assert str(path) in str(caught.value)


def test_status_and_backup_read_a_copy_on_read_only_media(tmp_path: Path, small_disk: Disk) -> None:
    """A database in WAL mode copied onto media mounted read-only (a USB stick): SQLite
    cannot make its shared-memory file there; `status` and `backup` read it all the same."""
    from compass_bot import ops

    path = small_disk.path / "compass.db"
    _real_database(path, alerts=3)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    conn.close()
    small_disk.read_only()
    status = ops.database_status(path)
    assert status.schema_version == len(migrations())
    copy = tmp_path / "copy.db"
    assert ops.backup(path, copy, mark=1) > 0
    with contextlib.closing(sqlite3.connect(copy)) as copied:
        assert copied.execute("SELECT COUNT(*) FROM alerts").fetchone() == (3,)


def test_a_backup_onto_read_only_media_says_so_in_plain_words(
    tmp_path: Path, small_disk: Disk
) -> None:
    """Not "[Errno 30] Read-only file system: '.../.b.db.0573be23.partial'": the temporary
    file's name means nothing to the admin."""
    from compass_bot import ops

    path = tmp_path / "compass.db"
    _real_database(path, alerts=1)
    small_disk.read_only()
    target = small_disk.path / "b.db"
    with pytest.raises(ops.OpsError) as caught:
        ops.backup(path, target, mark=1)
    assert str(caught.value) == f"backup to {target} failed: the file system is read-only"


async def test_a_copy_whose_wal_holds_changes_is_refused_on_read_only_media(
    tmp_path: Path, small_disk: Disk
) -> None:
    """`immutable=1` reads the main file only: a copy made with its -wal file (as the README
    says to move the database) would be read without its latest changes. `status`, `backup`
    and `digest` refuse it in one line instead of silently showing old figures."""
    from compass_bot import ops
    from compass_bot.storage.readonly import open_to_read

    source = tmp_path / "compass.db"
    _real_database(source, alerts=3)
    writer = sqlite3.connect(source)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("UPDATE alerts SET excerpt = 'nieuw'")
    writer.commit()
    path = small_disk.path / "compass.db"
    for suffix in ("", "-wal"):
        (small_disk.path / f"compass.db{suffix}").write_bytes(
            (tmp_path / f"compass.db{suffix}").read_bytes()
        )
    writer.close()
    small_disk.read_only()
    expected = "its -wal file holds the latest changes, which cannot be read on read-only media"
    with pytest.raises(ops.OpsError, match=expected):
        ops.database_status(path)
    with pytest.raises(ops.OpsError, match=expected):
        ops.backup(path, tmp_path / "copy.db", mark=1)
    with pytest.raises(StoreError, match=expected):
        await open_to_read(path)


async def test_a_failure_after_the_store_opened_closes_it(
    loaded: LoadedConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """App.create failing after Database.open (a damaged table read by reload_state)
    must close the store: its thread would otherwise keep the process alive."""
    threads = threading.active_count()

    async def broken(self: Database) -> list[object]:
        damaged = sqlite3.DatabaseError("database disk image is malformed")
        damaged.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # type: ignore[attr-defined]
        raise damaged

    monkeypatch.setattr(NameRepo, "approved_names", broken)
    with pytest.raises(StoreError, match="is damaged"):
        await App.create(loaded)
    await _threads_back_to(threads)
    monkeypatch.undo()
    service = await App.create(loaded)  # and the lock was released
    await service.close()


# -- two processes on one database ---------------------------------------------------------


def _locked(lock_file: Path) -> bool:
    if not lock_file.exists():
        return False
    with lock_file.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def test_a_second_bot_on_the_same_database_refuses_to_start(
    tmp_path: Path, fake_discord: FakeDiscord
) -> None:
    database = tmp_path / "data" / "compass.db"
    config = _config(tmp_path, database, fake_discord)
    identified = len(fake_discord.identifies)
    first = _bot(tmp_path, config, discord=True)
    try:
        deadline = time.monotonic() + 15
        while len(fake_discord.identifies) == identified and time.monotonic() < deadline:
            assert first.poll() is None, _finish(first).output
            time.sleep(0.05)
        assert _locked(database.with_name("compass.db.lock"))
        second = _finish(_bot(tmp_path, config, discord=True))
        _assert_one_line(second, database, "another compass-bot is already running on")
        # The console has its own database: it runs beside the bot.
        console = _finish(_bot(tmp_path, config, discord=False), stdin="/help\n")
        assert console.returncode == 0 and "Traceback" not in console.output, console.output
    finally:
        first.terminate()
        stopped = _finish(first)
    assert stopped.returncode == 0, stopped.output
    assert not _locked(database.with_name("compass.db.lock"))  # released with the process


async def test_the_lock_is_per_process_and_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "compass.db"
    store = await Database.open(path)
    again = await Database.open(path)  # same process (a restarted service in tests): shared
    await again.close()
    assert _locked(tmp_path / "compass.db.lock")
    holder = subprocess.run(
        [
            sys.executable,
            "-c",
            "import asyncio, sys; from pathlib import Path; from compass_bot.storage.db import Database\n"
            "try:\n    asyncio.run(Database.open(Path(sys.argv[1])))\n"
            "except Exception as exc:\n    print(exc); sys.exit(2)",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert holder.returncode == 2 and "another compass-bot is already running on" in holder.stdout
    await store.close()
    assert not _locked(tmp_path / "compass.db.lock")


async def test_a_refused_database_gets_no_lock_file_beside_it(tmp_path: Path) -> None:
    """A file the bot refuses (not SQLite, another program's tables) is left as it was: the
    lock file this process made for it goes again. One that was there already stays (not
    ours to remove), and a database then put in its place opens and locks as usual."""
    text = tmp_path / "notes.txt"
    text.write_text("boodschappen\n", encoding="utf-8")
    other = tmp_path / "contacts.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name, phone)")
    conn.close()
    for path in (text, other):
        with pytest.raises(StoreError):
            await Database.open(path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db", "notes.txt"]
    kept = tmp_path / "notes.txt.lock"
    kept.touch()
    with pytest.raises(StoreError):
        await Database.open(text)
    assert kept.exists() and not _locked(kept)
    text.unlink()
    store = await Database.open(text)
    try:
        assert _locked(kept)
    finally:
        await store.close()


# -- flags while the database cannot be written ------------------------------------------------


class Notices:
    def __init__(self) -> None:
        self.events: list[StorageEvent] = []

    async def __call__(self, event: StorageEvent) -> None:
        self.events.append(event)


@contextlib.asynccontextmanager
async def failing_service(loaded: LoadedConfig) -> AsyncIterator[tuple[App, Notices]]:
    service = await App.create(loaded)
    notices = Notices()
    service.alerts.storage_listener = notices
    service.alerts.retry_seconds = 3600  # the timer is tested on its own
    try:
        yield service, notices
    finally:
        await service.close()


async def _query_only(service: App, on: bool) -> None:
    """SQLite itself refuses every write ("attempt to write a readonly database")."""
    await service.db.conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def _flags_survive(
    service: App,
    notices: Notices,
    fail: Callable[[], Awaitable[None]],
    heal: Callable[[], Awaitable[None]],
) -> None:
    await service[SchoolTimeService].message_posted(
        post(ANNA, 0)
    )  # before the trouble: in the outbox
    await fail()
    outcomes = [
        await service[SchoolTimeService].message_posted(post(ANNA, 1)),
        await service[SchoolTimeService].message_posted(post(BRAM, 2)),
        await service[SchoolTimeService].message_posted(post(ANNA, 3)),
        await service[SchoolTimeService].message_posted(
            post(BRAM, 40)
        ),  # past the cooldown: warned again
    ]
    names = await service[NameService].names_seen(NamesSeen(BRAM, LESSON, "bram", "C0mpass Fan"))
    # Warnings went out regardless; the flags wait in memory.
    assert [o.warning is not None for o in outcomes] == [False, True, False, True]
    assert all(o.alert is None for o in outcomes)
    assert names.warning is not None and names.alert is None
    assert service.alerts.storage_failing and service.alerts.kept_flags == 5
    # Questions cannot be stored either: no exception, the answer was already given.
    await service[QuestionService].remember_question(
        service[QuestionService].ask(QuestionAsked("xq zzv", ANNA.id, LESSON)), "xq zzv", LESSON
    )
    assert [e.failing for e in notices.events] == [True]  # told once
    await heal()
    later = await service[SchoolTimeService].message_posted(post(ANNA, 41))
    assert later.alert is not None
    await asyncio.sleep(0)  # the notice task
    assert service.alerts.kept_flags == 0 and not service.alerts.storage_failing
    assert [(e.failing, e.written, e.dropped) for e in notices.events] == [
        (True, 0, 0),
        (False, 5, 0),
    ]
    alerts = await service.alerts.repo.alerts()
    counts = sorted((a.member_id, a.rule, a.count) for a in alerts)
    assert counts == [
        (ANNA.id, "schooltijd", 1),  # minute 41: a new alert past the 30-minute window
        (ANNA.id, "schooltijd", 3),  # minute 0 (stored), 1 and 3 (kept)
        (BRAM.id, "aanwijzing-2", 1),
        (BRAM.id, "schooltijd", 1),  # minute 2
        (BRAM.id, "schooltijd", 1),  # minute 40
    ]
    # The cooldown written while failing reached the database too.
    assert (await SchoolTimeRepo(service.db).warning_cooldowns())[BRAM.id] == post(BRAM, 40).at


async def test_flags_survive_a_connection_that_refuses_writes(loaded: LoadedConfig) -> None:
    async with failing_service(loaded) as (service, notices):
        await _flags_survive(
            service,
            notices,
            lambda: _query_only(service, True),
            lambda: _query_only(service, False),
        )


async def test_flags_survive_a_full_disk(small_disk: Disk) -> None:
    loaded = make_loaded(small_disk.path, TEST_CONFIG + "storage:\n  database: compass.db\n")

    async def fill() -> None:
        small_disk.fill()

    async def free() -> None:
        small_disk.free()

    async with failing_service(loaded) as (service, notices):
        await _flags_survive(service, notices, fill, free)
        assert "disk is full" in notices.events[0].error


async def test_kept_flags_are_retried_on_a_timer(loaded: LoadedConfig) -> None:
    async with failing_service(loaded) as (service, notices):
        service.alerts.retry_seconds = 0.02
        await _query_only(service, True)
        await service[SchoolTimeService].message_posted(post(ANNA, 1))
        await asyncio.sleep(0.1)
        assert service.alerts.kept_flags == 1  # still refused
        await _query_only(service, False)
        for _ in range(100):
            if not service.alerts.storage_failing:
                break
            await asyncio.sleep(0.02)
        assert service.alerts.kept_flags == 0 and [
            a.count for a in await service.alerts.repo.alerts()
        ] == [1]
        assert [e.failing for e in notices.events] == [True, False]


async def test_the_queue_is_bounded_keeping_the_oldest(
    loaded: LoadedConfig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(service_module, "KEPT_FLAGS_LIMIT", 3)
    members = [Member(id=400 + i, label=f"m{i}", roles=()) for i in range(5)]
    async with failing_service(loaded) as (service, notices):
        await _query_only(service, True)
        with caplog.at_level(logging.ERROR):
            for i, member in enumerate(members):
                await service[SchoolTimeService].message_posted(post(member, i))
        assert service.alerts.kept_flags == 3
        assert caplog.text.count("storage is failing") == 1
        assert caplog.text.count("newer ones are now dropped") == 1
        await _query_only(service, False)
        await service[SchoolTimeService].message_posted(post(ANNA, 10))
        await asyncio.sleep(0)
        assert notices.events[-1] == StorageEvent(
            failing=False, path=str(service.db.path), written=3, dropped=2
        )
        stored = {a.member_id for a in await service.alerts.repo.alerts()}
        assert stored == {400, 401, 402, ANNA.id}


async def test_kept_flags_are_written_when_the_service_closes(loaded: LoadedConfig) -> None:
    service = await App.create(loaded)
    await _query_only(service, True)
    await service[SchoolTimeService].message_posted(post(ANNA, 1))
    await _query_only(service, False)
    await service.close()
    store = await Database.open(loaded.database_path)
    try:
        assert [a.member_id for a in await OutboxRepo(store).alerts()] == [ANNA.id]
    finally:
        await store.close()


async def test_through_discord_the_warning_goes_out_and_moderators_are_told_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.alerts.storage_listener = storage_notice(bot.school)  # as run_discord wires it
        await _query_only(bot.app, True)
        with caplog.at_level(logging.INFO):
            for minute in (0, 1, 2):
                await fake.post(
                    "anna", "algemeen", f"hoi {minute}", at=LESSON + timedelta(minutes=minute)
                )
            await fake.post("bram", "memes", "hallo", at=LESSON + timedelta(minutes=3))
            await fake.settle()
        assert "Ignoring exception" not in caplog.text and "Traceback" not in caplog.text
        assert len(fake.dms_sent("anna")) == 1 and len(fake.dms_sent("bram")) == 1
        mod_messages = [m["content"] for m in fake.messages("mod-meldingen")]
        assert mod_messages == [STORAGE_FAILING]
        assert bot.app.alerts.kept_flags == 4
        await _query_only(bot.app, False)
        await fake.post("anna", "algemeen", "weer", at=LESSON + timedelta(minutes=4))
        deadline = asyncio.get_running_loop().time() + 10
        while asyncio.get_running_loop().time() < deadline:
            embeds = [m for m in fake.messages("mod-meldingen") if m.get("embeds")]
            if len(embeds) == 2:
                break
            await asyncio.sleep(0.05)
        contents = [m["content"] for m in fake.messages("mod-meldingen") if m["content"]]
        assert contents[0] == STORAGE_FAILING and "4 bewaarde meldingen zijn" in contents[1]
        assert len(contents) == 2
        assert sorted(a.count for a in await bot.app.alerts.repo.alerts()) == [
            1,
            4,
        ]  # bram, anna
        assert len(embeds) == 2


def _wait_for(check: Callable[[], bool], what: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while not check():
        if proc.poll() is not None:
            raise AssertionError(f"the bot stopped while waiting for {what}: {_finish(proc)}")
        if time.monotonic() > deadline:
            proc.terminate()
            raise AssertionError(f"timed out waiting for {what}: {_finish(proc).output[-2000:]}")
        time.sleep(0.05)


def test_the_discord_bot_process_keeps_flags_through_a_full_disk(
    tmp_path: Path, small_disk: Disk
) -> None:
    """`python bot.py` on Discord (the fake), its database on a tmpfs that fills up and is
    freed again: warnings go out, moderators are told once, no flag is lost, no traceback."""
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    bot = None
    try:
        config = _config(tmp_path, small_disk.path / "compass.db", fake)
        bot = _bot(tmp_path, config, discord=True)

        def mod_messages() -> list[dict[str, object]]:
            return list(fake.messages("mod-meldingen"))

        def embeds() -> int:
            return sum(1 for m in mod_messages() if m.get("embeds"))

        def plain() -> list[object]:
            return [m["content"] for m in mod_messages() if m.get("content")]

        # Ready: the bot has found the server and synced its commands there.
        _wait_for(lambda: bool(fake.find_calls("PUT", "*/commands")), "the bot to be ready", bot)
        fake.sync.post("anna", "algemeen", "hoi", at=LESSON)
        _wait_for(lambda: embeds() == 1, "the first alert", bot)
        small_disk.fill()
        fake.sync.post("bram", "memes", "hallo", at=LESSON + timedelta(minutes=1))
        fake.sync.post("anna", "algemeen", "nog eens", at=LESSON + timedelta(minutes=40))
        _wait_for(lambda: len(plain()) == 1, "the storage notice", bot)
        _wait_for(lambda: len(fake.dms_sent("anna")) == 2, "anna's second warning", bot)
        _wait_for(lambda: len(fake.dms_sent("bram")) == 1, "bram's warning", bot)
        assert plain() == [STORAGE_FAILING] and embeds() == 1
        small_disk.free()
        fake.sync.post("bram", "memes", "weer", at=LESSON + timedelta(minutes=2))
        _wait_for(lambda: len(plain()) == 2, "the all-clear", bot)
        assert "2 bewaarde meldingen zijn opgeslagen" in str(plain()[1])
        _wait_for(lambda: embeds() == 3, "the kept alerts", bot)  # anna x2, bram (count 2)
        bot.terminate()
        outcome = _finish(bot)
        bot = None
    finally:
        if bot is not None:
            bot.kill()
            bot.communicate()
        fake.stop()
    assert outcome.returncode == 0, outcome.output
    assert "Traceback" not in outcome.output and "Ignoring exception" not in outcome.output
    assert outcome.output.count("storage is failing") == 1
    conn = sqlite3.connect(small_disk.path / "compass.db")
    rows = conn.execute("SELECT member_label, count FROM alerts ORDER BY id").fetchall()
    conn.close()
    assert rows == [("anna", 1), ("bram", 2), ("anna", 1)]


# -- erased text leaves the disk -------------------------------------------------------------


def _raw(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )


async def test_erased_text_is_not_in_the_database_or_wal_bytes(service: App) -> None:
    target = Member(id=777, label=f"{MARKER}naam", roles=((11, "Leerling"),))
    await service[SchoolTimeService].message_posted(post(target, 0, text=f"geheim {MARKER}bericht"))
    await service[NameService].names_seen(NamesSeen(target, LESSON, "x", f"{MARKER}Compass"))
    await service[NameService].approve_names(
        Member(id=1, label="rector", roles=((41, "Schoolleiding"),)),
        target.id,
        [f"{MARKER}goedgekeurd"],
        LESSON,
    )
    await service[SchoolTimeService].grant_permission(
        TEACHER, "member", target.id, "x", LESSON, 20, f"{MARKER}reden"
    )
    await service[SchoolTimeService].message_posted(post(ANNA, 0, text="blijft staan"))
    path = service.db.path
    assert _raw(path).count(MARKER.encode()) >= 4  # it really was on disk
    erased = await service[PrivacyService].erase(MODERATOR, target.id, LESSON)
    assert not isinstance(erased, dict) or erased["alerts"] == 2
    assert MARKER.encode() not in _raw(path)
    assert b"blijft staan" in _raw(path)  # the rest is intact


async def test_purged_text_and_grant_reasons_are_not_in_the_bytes(
    service: App,
) -> None:
    old = LESSON - timedelta(days=60)
    await service[SchoolTimeService].message_posted(
        MessagePosted(ANNA, ALGEMEEN, old, f"oud {MARKER}bericht", 1, 1)
    )
    await service[SchoolTimeService].grant_permission(
        TEACHER, "role", 11, "Leerling", old, 20, f"{MARKER}ziek"
    )
    path = service.db.path
    assert MARKER.encode() in _raw(path)
    counts = await service[PrivacyService].purge_expired(LESSON)
    assert counts["alerts"] == 1 and counts["grant_reasons"] == 1
    assert MARKER.encode() not in _raw(path)


# -- the timetable when the .ics file breaks while the bot runs -------------------------------


async def test_a_broken_calendar_keeps_the_old_timetable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ics = tmp_path / "jaar.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    text = TEST_CONFIG.replace(
        "  timezone: Europe/Amsterdam\n",
        "  timezone: Europe/Amsterdam\n  days_off:\n    ics_file: jaar.ics\n",
    )
    service = await App.create(make_loaded(tmp_path, text), clock=Clock(LESSON))
    try:
        before = service.calendar.timetable
        ics.write_text("Studiedag 27 november\n", encoding="utf-8")
        far = LESSON + timedelta(days=5 * 365)
        with caplog.at_level(logging.WARNING):
            assert service.calendar.refresh(far) is False
        assert service.calendar.timetable is before
        lines = [r for r in caplog.records if "timetable could not be rebuilt" in r.getMessage()]
        assert len(lines) == 1 and "jaar.ics" in lines[0].getMessage() and not lines[0].exc_info
        ics.write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nEND:VCALENDAR\r\n",
            encoding="utf-8",
        )
        assert service.calendar.refresh(far) is True  # the next day's try
    finally:
        await service.close()
