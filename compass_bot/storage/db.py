"""The storage kernel: one SQLite file, opened once, migrated forward, with the audit trail.

aiosqlite keeps the event loop free; WAL lets a reader (an export) run beside the writer.
The schema is versioned with PRAGMA user_version and only ever migrated forward, so a
database from an older release opens in a newer one; the migrations are declared by the
features (`compass_bot.storage.schema`). The students are minors: rows hold ids, not names or
message text, except what each feature declares and purges; erased text does not linger on
disk (`secure_delete`; the WAL is checkpointed and truncated after an erasure or a purge).

One process per database: a lock file beside it (`<file>.lock`, an OS `flock` held while
the database is open, `storage.lock`) makes a second bot on the same file refuse to start,
since two would both deliver the outbox and warn every student twice. A database that cannot be used at
start (unwritable, full, not SQLite, damaged, from a newer release) is a `StoreError`:
one line naming the file and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import shutil
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

import aiosqlite

from compass_bot.atomic import keep_private, remove_if_empty
from compass_bot.filesystems import JOURNAL_SUFFIXES, NOT_SQLITE, READ_ONLY, read_only_error
from compass_bot.storage.lock import LockHeld, ProcessLock

QUICK_CHECK_SECONDS = 2.0  # start-up stays quick on a large file: past this the check is skipped

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# What a failing disk or a damaged file raises (the outbox, keeping flags in memory, catches).
STORAGE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError)


@dataclass(frozen=True, slots=True)
class Migration:
    """One forward step of the schema: `number` is global (user_version), never reused."""

    number: int
    name: str
    sql: str


class StoreError(RuntimeError):
    """The database cannot be used; the message is one line naming the file and what to do."""


_MOVE_AWAY = "or move it (with its -wal file) away to start with an empty database"


def disk_full(exc: BaseException, path: Path | None = None) -> bool:
    """Whether `exc` comes from a full disk: SQLite's own code, the system's, or an I/O error
    on a disk (of `path`) with no room left (SQLite reports a full disk under its
    write-ahead log's shared memory as an I/O error)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return True
    if code != sqlite3.SQLITE_IOERR or path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


def describe_failure(path: Path, exc: BaseException) -> str:
    """One line for a database that cannot be opened or written: what is wrong, what to do."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    if disk_full(exc, path):
        return (
            f"{path}: the disk is full; free space on it (or point storage.database at "
            "another disk) and start again"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN) or (
        getattr(exc, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM)
    ):
        if read_only_error(exc, path.parent):
            return (
                f"{path}: the database cannot be written: {READ_ONLY}; mount it read-write, "
                "or point storage.database at a writable place"
            )
        return (
            f"{path}: the database cannot be written ({reason}); make the file and its folder "
            "writable for the bot, or point storage.database at a writable place"
        )
    if code == sqlite3.SQLITE_NOTADB:
        return f"{path}: {NOT_SQLITE}"
    if code == sqlite3.SQLITE_CORRUPT:
        return f"{path}: the database is damaged ({reason}); restore it from a backup, {_MOVE_AWAY}"
    if code == sqlite3.SQLITE_IOERR:
        return f"{path}: the disk reports an I/O error ({reason}); check the disk and start again"
    return f"{path}: the database cannot be used: {reason}"


class StoreBusy(StoreError):
    """Another process (the bot, most often) has the database open: its lock is taken."""


def belongs_to_database(path: Path, database: Path) -> bool:
    """Whether `path` is the database itself, one of its journal files or its lock file:
    files a command must never write over."""
    names = {database.name + suffix for suffix in ("", *JOURNAL_SUFFIXES, ".lock")}
    return path.name in names and path.resolve().parent == database.resolve().parent


def _lock(database: Path) -> ProcessLock:
    """The process lock of `database` (see storage.lock), or StoreError (one line)."""
    try:
        return ProcessLock.acquire(database)
    except LockHeld as exc:
        raise StoreBusy(
            f"another compass-bot is already running on {database}; stop it first "
            "(two would alert and warn everything twice)"
        ) from exc
    except OSError as exc:
        raise StoreError(describe_failure(database, exc)) from exc


def remove_database(path: Path) -> None:
    """Delete a database file and its journal files, holding its lock meanwhile: raises
    StoreError when another process has it open (its data must not go under its feet)."""
    if not path.parent.is_dir():
        return  # never created: nothing to remove
    lock = _lock(path)
    try:
        for suffix in ("", *JOURNAL_SUFFIXES):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    finally:
        lock.release()


async def write_once_more_if_busy(
    conn: aiosqlite.Connection, path: Path, run: Callable[[], Awaitable[_T]]
) -> _T:
    """Run a write on `conn`; on "database is locked" roll back and run it once more.

    A write that gets SQLITE_BUSY cannot have pending writes on this connection (their
    write lock would have let it through), so the rollback takes no task's statements
    along: it only ends a read snapshot older than another connection's last commit (the
    outbox's claim), which would otherwise fail every later write at once. The statement
    failed as a whole, so running it again is running it once; the second try waits the
    busy timeout as any fresh write does."""
    try:
        return await run()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
            raise
        log.warning("%s: a write found the database busy (%s); trying it again", path, exc)
        await conn.rollback()
        return await run()


def to_db(moment: datetime) -> str:
    """A moment as the database keeps it: UTC ISO text, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_id: int | None
    detail: dict[str, Any]


def _prepare(path: Path) -> tuple[ProcessLock | None, bool]:
    """Before SQLite opens a file: its folder, the process lock, and the file made private
    (`keep_private`; whether it made the file). Raises StoreError (one line)."""
    if str(path) == ":memory:":
        return None, False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(describe_failure(path, exc)) from exc
    lock = _lock(path)
    return lock, keep_private(path)


class Database:
    """Async access to the SQLite file. One connection; aiosqlite serialises its use.

    Features keep their own queries (`features/<name>/repo.py`) and reach the file through
    `fetchone`, `fetchall`, `execute` and `commit`, and `write_lock` for a check-then-write.

    The connection is shared, so a commit commits every task's pending statements. A unit that
    must be all or nothing across features (erasure, the retention purge) runs in
    `transaction`: no other task's statement, commit or rollback joins it meanwhile."""

    CHECK_SQL: ClassVar[str] = "PRAGMA quick_check(3)"  # at most 3 problems listed

    def __init__(
        self,
        conn: aiosqlite.Connection,
        path: Path,
        migrations: Sequence[Migration],
        lock: ProcessLock | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.migrations = tuple(migrations)
        self._lock = lock
        self.write_lock = asyncio.Lock()
        self._unit_lock = asyncio.Lock()
        self._unit_owner: asyncio.Task[Any] | None = None  # the task in `transaction`
        self._claim_conn: aiosqlite.Connection | None = None
        self._closing = False

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        check_seconds: float = QUICK_CHECK_SECONDS,
        migrations: Sequence[Migration] | None = None,
    ) -> Database:
        """Open (creating the file and folder on first run), check, and migrate forward.

        `migrations` defaults to every feature's (`compass_bot.storage.schema`).

        Raises StoreError (one line) when the file cannot be used. Every failure closes the
        connection: aiosqlite's worker thread would otherwise keep the process alive.
        """
        if migrations is None:  # before connecting: a bad declaration must not leave a thread
            from compass_bot.storage.schema import migrations as declared

            migrations = declared()
        lock, made = _prepare(path)
        try:
            conn = await aiosqlite.connect(path)
        except BaseException as exc:
            if made:
                remove_if_empty(path)
            if lock is not None:
                lock.release(refused=True)
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(path, exc)) from exc
            raise
        store = cls(conn, path, migrations, lock)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA secure_delete=ON")  # erased text is zeroed, not left
            await store.check_ours()
            await store.quick_check(check_seconds)
            await store.migrate()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await store.close(refused=True)  # and no lock file left beside the file
            if made:
                remove_if_empty(path)  # no empty file that `status` would call a database
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(path, exc)) from exc
            raise
        return store

    async def close(self, *, refused: bool = False) -> None:
        # Idempotent: discord.py closes the bot twice at once on shutdown, and a second
        # aiosqlite close waits for a worker thread that has already stopped.
        if self._closing:
            return
        self._closing = True
        try:
            if self._claim_conn is not None and self._claim_conn is not self.conn:
                await self._claim_conn.close()
            await self.conn.close()
        finally:
            if self._lock is not None:
                self._lock.release(refused=refused)

    async def rollback(self) -> None:
        """Undo a transaction a failed write left open (SQLite may or may not have); never
        another task's open `transaction`."""
        if self._unit_owner is not None:
            await self._wait_for_unit()
        with contextlib.suppress(*STORAGE_ERRORS, ValueError):
            await self.conn.rollback()

    async def quick_check(self, seconds: float = QUICK_CHECK_SECONDS) -> None:
        """`PRAGMA quick_check` at start, so a damaged table is noticed before flags are lost.

        Bounded: past `seconds` the check is interrupted and skipped with a log line, so a
        large file never holds up the start."""
        check = asyncio.ensure_future(self.fetchall(self.CHECK_SQL))
        done, _ = await asyncio.wait({check}, timeout=seconds)
        if not done:
            await self.conn.interrupt()
            try:
                await check
            except sqlite3.OperationalError as exc:
                if "interrupt" not in str(exc):
                    raise
                log.warning("%s: quick check skipped after %.0f s", self.path, seconds)
                return
        problems = [str(r[0]) for r in check.result() if str(r[0]) != "ok"]
        if problems:
            detail = "; ".join(" ".join(p.split()) for p in problems)[:160]
            raise StoreError(
                f"{self.path}: the database is damaged ({detail}); restore it from a backup, "
                f"{_MOVE_AWAY}"
            )

    async def checkpoint(self) -> None:
        """Copy the WAL into the file and truncate it, so erased text leaves the -wal file."""
        try:
            row = await self.fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = row is not None and bool(row[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            busy = True  # a statement of this connection still open: like another reader
        if busy:
            log.warning(
                "%s: the WAL could not be truncated (busy); erased text may linger", self.path
            )

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def check_ours(self) -> None:
        """Refuse a newer schema, or another program's tables (a version of ours or not)."""
        version, known = await self.schema_version(), self.schema_version_known
        if version > known:
            raise StoreError(
                f"{self.path}: database schema {version} is newer than this bot ({known}); "
                "run the newer compass-bot, or restore a backup made by it"
            )
        from compass_bot.storage.schema import not_ours  # it imports this module

        if await not_ours(self, version):
            raise StoreError(
                f"{self.path}: not a compass-bot database (it has tables of another program); "
                "point storage.database at a new file or at the bot's own database"
            )

    async def migrate(self) -> int:
        """Apply the migrations this file has not had yet; returns the new version."""
        await self.check_ours()
        version = await self.schema_version()
        for number in range(version, self.schema_version_known):
            await self.conn.executescript(
                "BEGIN;\n"
                + self.migrations[number].sql
                + f"\nPRAGMA user_version = {number + 1};\nCOMMIT;"
            )
        return self.schema_version_known

    @property
    def schema_version_known(self) -> int:
        """The newest schema this bot knows (the highest declared migration)."""
        return len(self.migrations)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """Every row, read in one call on the database's thread.

        A read whose statement stayed open between calls (execute, then fetch) would hold a
        snapshot while other tasks' statements run on this shared connection: a write queued
        behind it, after the claim connection committed, failed at once with "database is
        locked" (SQLITE_BUSY_SNAPSHOT, no busy timeout) and left that stale snapshot open."""
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        """The first row, read like `fetchall` (so for queries of one row: by id, an
        aggregate, LIMIT 1), never leaving its statement open."""
        return next(iter(await self.conn.execute_fetchall(sql, params)), None)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        """A write (or any statement whose rows are not wanted); "busy": see
        `write_once_more_if_busy`."""
        if self._unit_owner is not None:
            await self._wait_for_unit()
        return await write_once_more_if_busy(
            self.conn, self.path, lambda: self.conn.execute(sql, params)
        )

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if self._unit_owner is not None:
            await self._wait_for_unit()
        batch = [tuple(row) for row in rows]  # a retry needs them again
        await write_once_more_if_busy(
            self.conn, self.path, lambda: self.conn.executemany(sql, batch)
        )

    async def commit(self) -> None:
        if self._unit_owner is not None:
            await self._wait_for_unit()
        await self.conn.commit()

    async def _wait_for_unit(self) -> None:
        """Wait while another task's `transaction` is open (its own task goes on)."""
        while (owner := self._unit_owner) is not None and owner is not asyncio.current_task():
            async with self._unit_lock:
                pass

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """One all-or-nothing unit of writes: committed at the end, rolled back on any error.

        Other tasks' statements already pending are committed first (any commit would have):
        a rollback of this unit never takes them along. While it is open, their statements,
        commits and rollbacks wait (reads do not), so no commit of theirs lands half of it."""
        async with self._unit_lock:
            self._unit_owner = asyncio.current_task()
            try:
                if self.conn.in_transaction:
                    await self.conn.commit()
                yield
                await self.conn.commit()
            except BaseException:
                await self.rollback()
                raise
            finally:
                self._unit_owner = None

    async def claims_connection(self) -> aiosqlite.Connection:
        """A second connection, in autocommit mode, for the outbox's claim: one statement that
        is its own transaction, whatever the main connection has open. Opened on first use."""
        if self._claim_conn is None:
            if str(self.path) == ":memory:":
                self._claim_conn = self.conn
            else:
                conn = await aiosqlite.connect(self.path, isolation_level=None)
                conn.row_factory = aiosqlite.Row
                await conn.execute("PRAGMA busy_timeout=5000")
                self._claim_conn = conn
        return self._claim_conn

    # -- audit -----------------------------------------------------------------------------

    async def audit(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        subject_id: int | None = None,
        detail: dict[str, Any] | None = None,
        *,
        commit: bool = True,
    ) -> None:
        await self.execute(  # the unit's wait and the retry on "busy", as every write
            "INSERT INTO audit (at, actor_id, action, subject_id, detail) VALUES (?, ?, ?, ?, ?)",
            (to_db(at), actor_id, action, subject_id, json.dumps(detail or {}, sort_keys=True)),
        )
        if commit:
            await self.conn.commit()

    async def audit_entries(self, limit: int = 100) -> list[AuditEntry]:
        rows = await self.fetchall("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        return [
            AuditEntry(
                id=r["id"],
                at=cast(datetime, from_db(r["at"])),
                actor_id=r["actor_id"],
                action=r["action"],
                subject_id=r["subject_id"],
                detail=json.loads(r["detail"] or "{}"),
            )
            for r in rows
        ]

    async def wipe(self) -> None:
        """Empty every table and restart the numbering: the console's clean slate (`/reset`)."""
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        sequence = await self.fetchone(
            "SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"
        )
        async with self.transaction():  # all tables or none; other writers wait, as for any unit
            for row in rows:
                await self.execute(f'DELETE FROM "{row["name"]}"')
            if sequence:
                await self.execute("DELETE FROM sqlite_sequence")
