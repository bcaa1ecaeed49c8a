"""The bot's state in one SQLite file: grants, approved names, alerts outbox, questions, audit.

aiosqlite keeps the event loop free; WAL lets a reader (an export) run beside the writer.
The schema is versioned with PRAGMA user_version and only ever migrated forward, so a
database from an older release opens in a newer one. The students are minors: rows hold
ids, not names or message text, except alert excerpts and stored questions, which expire
(`purge`) and can be erased per member (`erase_member`). Erased text does not linger on disk:
`secure_delete` zeroes deleted rows and the WAL is checkpointed and truncated after an
erasure or a purge.

One process per database: a lock file beside it (`<file>.lock`, an OS `flock` held while
the store is open) makes a second bot on the same file refuse to start, since two would
both deliver the outbox and warn every student twice. A database that cannot be used at
start (unwritable, full, not SQLite, damaged, from a newer release) is a `StoreError`:
one line naming the file and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import json
import logging
import os
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, cast

import aiosqlite

from compass_bot.alerts import Alert, AlertStatus
from compass_bot.features.schooltime.rules import PermissionGrant

MIGRATIONS: tuple[str, ...] = (
    # 1: the audit trail: who did what to whom, when. Ids and codes only, never message text.
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
    # 2: teachers' permission grants and the warning cooldown per student.
    """
    CREATE TABLE permission_grants (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('member', 'role', 'channel')),
        target_id INTEGER NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        granted_by INTEGER NOT NULL,
        reason TEXT,
        revoked_at TEXT,
        revoked_by INTEGER
    );
    CREATE TABLE warning_cooldowns (
        member_id INTEGER PRIMARY KEY,
        warned_at TEXT NOT NULL
    );
    """,
    # 3: names the school leadership approved, exactly as they were.
    """
    CREATE TABLE approved_names (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        approved_by INTEGER NOT NULL,
        approved_at TEXT NOT NULL,
        UNIQUE (member_id, name)
    );
    """,
    # 4: the alerts outbox: written before it is sent, delivered with retries.
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        member_id INTEGER NOT NULL,
        member_label TEXT NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        message_id INTEGER,
        excerpt TEXT,
        name_field TEXT,
        matched TEXT,
        detail TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'open',
        handled_by INTEGER,
        handled_at TEXT,
        delivery TEXT NOT NULL DEFAULT 'pending',
        delivered_message_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT
    );
    CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
    CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
    """,
    # 5: questions the bot could not answer, and answers marked unhelpful (no asker kept).
    """
    CREATE TABLE question_feedback (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,
        question TEXT NOT NULL,
        clause_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'unhelpful', 'helpful'))
    );
    """,
    # 6: alert numbers are never reused, also after `/privacy wissen` deleted the newest ones:
    # the table is rebuilt with AUTOINCREMENT (rows and ids kept) and the counter starts past
    # the highest number ever seen, in the table or in the audit trail of handled alerts.
    """
    CREATE TABLE alerts_v6 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule TEXT NOT NULL,
        member_id INTEGER NOT NULL,
        member_label TEXT NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        message_id INTEGER,
        excerpt TEXT,
        name_field TEXT,
        matched TEXT,
        detail TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'open',
        handled_by INTEGER,
        handled_at TEXT,
        delivery TEXT NOT NULL DEFAULT 'pending',
        delivered_message_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT
    );
    INSERT INTO alerts_v6 (id, rule, member_id, member_label, guild_id, channel_id, message_id,
        excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
        handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error)
    SELECT id, rule, member_id, member_label, guild_id, channel_id, message_id,
        excerpt, name_field, matched, detail, created_at, updated_at, count, status, handled_by,
        handled_at, delivery, delivered_message_id, attempts, next_attempt_at, last_error
    FROM alerts;
    DROP TABLE alerts;
    ALTER TABLE alerts_v6 RENAME TO alerts;
    CREATE INDEX alerts_member_rule ON alerts(member_id, rule, updated_at);
    CREATE INDEX alerts_delivery ON alerts(delivery, next_attempt_at);
    DELETE FROM sqlite_sequence WHERE name IN ('alerts', 'alerts_v6');
    INSERT INTO sqlite_sequence (name, seq) SELECT 'alerts', MAX(
        COALESCE((SELECT MAX(id) FROM alerts), 0),
        COALESCE((SELECT MAX(CAST(json_extract(detail, '$.alert') AS INTEGER)) FROM audit
                  WHERE action LIKE 'alert.%' AND json_valid(detail)), 0)
    );
    """,
    # 7: catch-up after downtime: the last post seen per watched channel (ids only, no text).
    """
    CREATE TABLE channel_marks (
        channel_id INTEGER PRIMARY KEY,
        last_message_id INTEGER NOT NULL
    );
    """,
    # 8: the outbox's own bookkeeping (it only adds columns, so it can take any number):
    # `version` counts every change a moderator must see (never a time, which two flags in one
    # millisecond share) and `delivered_version` is what the message shows; `claimed_until`
    # is a sender's claim on the row, and `send_nonce` the nonce of a post under way, kept
    # until the post is marked, so a post interrupted by a crash is sent again with the same
    # nonce and Discord returns the first message instead of making a second.
    """
    ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE alerts ADD COLUMN delivered_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE alerts ADD COLUMN claimed_until TEXT;
    ALTER TABLE alerts ADD COLUMN send_nonce TEXT;
    UPDATE alerts SET delivered_version = version WHERE delivery = 'sent';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
QUICK_CHECK_SECONDS = 2.0  # start-up stays quick on a large file: past this the check is skipped

log = logging.getLogger(__name__)

# What a failing disk or a damaged file raises: the callers that must survive storage
# trouble (the service keeping flags in memory) catch exactly these.
STORAGE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError)


class StoreError(RuntimeError):
    """The database cannot be used; the message is one line naming the file and what to do."""


_MOVE_AWAY = "or move it (with its -wal file) away to start with an empty database"


def describe_failure(path: Path, exc: BaseException) -> str:
    """One line for a database that cannot be opened or written: what is wrong, what to do."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    if code == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return (
            f"{path}: the disk is full; free space on it (or point storage.database at "
            "another disk) and start again"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN) or (
        getattr(exc, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM)
    ):
        return (
            f"{path}: the database cannot be written ({reason}); make the file and its folder "
            "writable for the bot, or point storage.database at a writable place"
        )
    if code == sqlite3.SQLITE_NOTADB:
        return f"{path}: not an SQLite database; restore it from a backup, {_MOVE_AWAY}"
    if code == sqlite3.SQLITE_CORRUPT:
        return f"{path}: the database is damaged ({reason}); restore it from a backup, {_MOVE_AWAY}"
    if code == sqlite3.SQLITE_IOERR:
        return f"{path}: the disk reports an I/O error ({reason}); check the disk and start again"
    return f"{path}: the database cannot be used: {reason}"


class _ProcessLock:
    """An exclusive `flock` on `<database>.lock` for as long as a store has the file open.

    Shared by the stores of one process (a test's restarted service, a reader beside the
    writer): the lock keeps out other processes, which is where double delivery came from.
    """

    _held: ClassVar[dict[Path, tuple[int, int]]] = {}  # lock file -> (fd, stores using it)

    def __init__(self, lock_path: Path) -> None:
        self.path = lock_path

    @classmethod
    def acquire(cls, database: Path) -> _ProcessLock:
        lock_path = database.with_name(database.name + ".lock").resolve()
        held = cls._held.get(lock_path)
        if held is not None:
            cls._held[lock_path] = (held[0], held[1] + 1)
            return cls(lock_path)
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise StoreError(describe_failure(database, exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise StoreError(
                    f"another compass-bot is already running on {database}; stop it first "
                    "(two would alert and warn everything twice)"
                ) from exc
            raise StoreError(describe_failure(database, exc)) from exc
        cls._held[lock_path] = (fd, 1)
        return cls(lock_path)

    def release(self) -> None:
        held = self._held.pop(self.path, None)
        if held is None:
            return
        fd, users = held
        if users > 1:
            self._held[self.path] = (fd, users - 1)
            return
        os.close(fd)  # closing the only descriptor releases the flock


def _ts(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class OutboxAlert(Alert):
    """An alert as the outbox keeps it: which version a delivered message must show, and the
    nonce of a post that was under way (set before the POST, cleared once it is marked)."""

    version: int = 1
    delivered_version: int = 0
    send_nonce: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_id: int | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ApprovedName:
    id: int
    member_id: int
    name: str
    approved_by: int
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    id: int
    asked_at: datetime
    question: str
    clause_id: str | None
    kind: str


class Store:
    """Async access to the SQLite file. One connection; aiosqlite serialises its use."""

    CHECK_SQL: ClassVar[str] = "PRAGMA quick_check(3)"  # at most 3 problems listed

    def __init__(
        self, conn: aiosqlite.Connection, path: Path, lock: _ProcessLock | None = None
    ) -> None:
        self._conn = conn
        self.path = path
        self._lock = lock
        self._alert_lock = asyncio.Lock()
        self._claim_conn: aiosqlite.Connection | None = None
        self._closing = False

    @classmethod
    async def open(cls, path: Path, *, check_seconds: float = QUICK_CHECK_SECONDS) -> Store:
        """Open (creating the file and folder on first run), check, and migrate forward.

        Raises StoreError (one line) when the file cannot be used. Every failure closes the
        connection: aiosqlite's worker thread would otherwise keep the process alive.
        """
        lock: _ProcessLock | None = None
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(describe_failure(path, exc)) from exc
            lock = _ProcessLock.acquire(path)
        try:
            conn = await aiosqlite.connect(path)
        except BaseException as exc:
            if lock is not None:
                lock.release()
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(path, exc)) from exc
            raise
        store = cls(conn, path, lock)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA secure_delete=ON")  # erased text is zeroed, not left
            await store._check_newer()
            await store.quick_check(check_seconds)
            await store.migrate()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await store.close()
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(path, exc)) from exc
            raise
        return store

    async def close(self) -> None:
        # Idempotent: discord.py closes the bot twice at once on shutdown, and a second
        # aiosqlite close waits for a worker thread that has already stopped.
        if self._closing:
            return
        self._closing = True
        try:
            if self._claim_conn is not None and self._claim_conn is not self._conn:
                await self._claim_conn.close()
            await self._conn.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    async def rollback(self) -> None:
        """Undo a transaction a failed write left open (SQLite may or may not have)."""
        with contextlib.suppress(*STORAGE_ERRORS, ValueError):
            await self._conn.rollback()

    async def quick_check(self, seconds: float = QUICK_CHECK_SECONDS) -> None:
        """`PRAGMA quick_check` at start, so a damaged table is noticed before flags are lost.

        Bounded: past `seconds` the check is interrupted and skipped with a log line, so a
        large file never holds up the start."""
        check = asyncio.ensure_future(self._fetchall(self.CHECK_SQL))
        done, _ = await asyncio.wait({check}, timeout=seconds)
        if not done:
            await self._conn.interrupt()
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
        row = await self._fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
        if row is not None and row[0]:
            log.warning(
                "%s: the WAL could not be truncated (busy); erased text may linger", self.path
            )

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _check_newer(self) -> None:
        version = await self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema {version} is newer than this bot "
                f"({SCHEMA_VERSION}); run the newer compass-bot, or restore a backup made by "
                "this version"
            )

    async def migrate(self) -> int:
        """Apply the migrations this file has not had yet; returns the new version."""
        await self._check_newer()
        version = await self.schema_version()
        for number in range(version, SCHEMA_VERSION):
            await self._conn.executescript(
                "BEGIN;\n" + MIGRATIONS[number] + f"\nPRAGMA user_version = {number + 1};\nCOMMIT;"
            )
        return SCHEMA_VERSION

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cur:
            row: aiosqlite.Row | None = await cur.fetchone()
            return row

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
        await self._conn.execute(
            "INSERT INTO audit (at, actor_id, action, subject_id, detail) VALUES (?, ?, ?, ?, ?)",
            (_ts(at), actor_id, action, subject_id, json.dumps(detail or {}, sort_keys=True)),
        )
        if commit:
            await self._conn.commit()

    async def audit_entries(self, limit: int = 100) -> list[AuditEntry]:
        rows = await self._fetchall("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        return [
            AuditEntry(
                id=r["id"],
                at=cast(datetime, _dt(r["at"])),
                actor_id=r["actor_id"],
                action=r["action"],
                subject_id=r["subject_id"],
                detail=json.loads(r["detail"] or "{}"),
            )
            for r in rows
        ]

    # -- permission grants -------------------------------------------------------------------

    @staticmethod
    def _grant(row: aiosqlite.Row) -> PermissionGrant:
        return PermissionGrant(
            id=row["id"],
            scope=row["scope"],
            target_id=row["target_id"],
            starts_at=cast(datetime, _dt(row["starts_at"])),
            ends_at=cast(datetime, _dt(row["ends_at"])),
            granted_by=row["granted_by"],
            reason=row["reason"],
        )

    async def add_grant(
        self,
        scope: str,
        target_id: int,
        starts_at: datetime,
        ends_at: datetime,
        granted_by: int,
        reason: str | None,
    ) -> PermissionGrant:
        cur = await self._conn.execute(
            "INSERT INTO permission_grants (scope, target_id, starts_at, ends_at, granted_by,"
            " reason) VALUES (?, ?, ?, ?, ?, ?)",
            (scope, target_id, _ts(starts_at), _ts(ends_at), granted_by, reason),
        )
        grant_id = cast(int, cur.lastrowid)
        await self.audit(
            starts_at,
            granted_by,
            "permission.grant",
            target_id,
            {"grant": grant_id, "scope": scope, "until": _ts(ends_at)},
            commit=False,
        )
        await self._conn.commit()
        row = await self._fetchone("SELECT * FROM permission_grants WHERE id = ?", (grant_id,))
        assert row is not None
        return self._grant(row)

    async def revoke_grant(self, grant_id: int, by: int, at: datetime) -> PermissionGrant | None:
        row = await self._fetchone(
            "SELECT * FROM permission_grants WHERE id = ? AND revoked_at IS NULL AND ends_at > ?",
            (grant_id, _ts(at)),
        )
        if row is None:
            return None
        await self._conn.execute(
            "UPDATE permission_grants SET revoked_at = ?, revoked_by = ? WHERE id = ?",
            (_ts(at), by, grant_id),
        )
        await self.audit(
            at, by, "permission.revoke", row["target_id"], {"grant": grant_id}, commit=False
        )
        await self._conn.commit()
        return self._grant(row)

    async def active_grants(self, at: datetime) -> list[PermissionGrant]:
        """Grants not revoked and not yet ended at `at` (including ones that start later)."""
        rows = await self._fetchall(
            "SELECT * FROM permission_grants WHERE revoked_at IS NULL AND ends_at > ?"
            " ORDER BY starts_at",
            (_ts(at),),
        )
        return [self._grant(r) for r in rows]

    # -- warning cooldowns ---------------------------------------------------------------------

    async def set_warned(self, member_id: int, at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO warning_cooldowns (member_id, warned_at) VALUES (?, ?)"
            " ON CONFLICT(member_id) DO UPDATE SET warned_at = excluded.warned_at",
            (member_id, _ts(at)),
        )
        await self._conn.commit()

    async def warning_cooldowns(self) -> dict[int, datetime]:
        rows = await self._fetchall("SELECT member_id, warned_at FROM warning_cooldowns")
        return {r["member_id"]: cast(datetime, _dt(r["warned_at"])) for r in rows}

    # -- posts seen (catch-up after downtime) ---------------------------------------------------

    async def channel_marks(self) -> dict[int, int]:
        """The last post seen per channel (snowflakes)."""
        rows = await self._fetchall("SELECT channel_id, last_message_id FROM channel_marks")
        return {r["channel_id"]: r["last_message_id"] for r in rows}

    async def save_channel_marks(self, marks: dict[int, int]) -> None:
        """Remember the last post seen per channel; a mark never moves back."""
        await self._conn.executemany(
            "INSERT INTO channel_marks (channel_id, last_message_id) VALUES (?, ?)"
            " ON CONFLICT(channel_id) DO UPDATE SET last_message_id ="
            " MAX(last_message_id, excluded.last_message_id)",
            list(marks.items()),
        )
        await self._conn.commit()

    # -- approved names ------------------------------------------------------------------------

    @staticmethod
    def _approved(row: aiosqlite.Row) -> ApprovedName:
        return ApprovedName(
            id=row["id"],
            member_id=row["member_id"],
            name=row["name"],
            approved_by=row["approved_by"],
            approved_at=cast(datetime, _dt(row["approved_at"])),
        )

    async def approve_names(
        self, member_id: int, names: Iterable[str], by: int, at: datetime
    ) -> list[ApprovedName]:
        """Approve these exact names for this member (idempotent), audited."""
        unique = sorted(set(names))
        for name in unique:
            await self._conn.execute(
                "INSERT OR IGNORE INTO approved_names (member_id, name, approved_by, approved_at)"
                " VALUES (?, ?, ?, ?)",
                (member_id, name, by, _ts(at)),
            )
        await self.audit(at, by, "name.approve", member_id, {"count": len(unique)}, commit=False)
        await self._conn.commit()
        return await self.approved_names(member_id)

    async def approved_names(self, member_id: int | None = None) -> list[ApprovedName]:
        if member_id is None:
            rows = await self._fetchall("SELECT * FROM approved_names ORDER BY approved_at DESC")
        else:
            rows = await self._fetchall(
                "SELECT * FROM approved_names WHERE member_id = ? ORDER BY id", (member_id,)
            )
        return [self._approved(r) for r in rows]

    async def revoke_approved_names(self, member_id: int, by: int, at: datetime) -> int:
        cur = await self._conn.execute(
            "DELETE FROM approved_names WHERE member_id = ?", (member_id,)
        )
        await self.audit(at, by, "name.revoke", member_id, {"count": cur.rowcount}, commit=False)
        await self._conn.commit()
        return cur.rowcount

    # -- alerts (the outbox) ---------------------------------------------------------------------

    @staticmethod
    def _alert(row: aiosqlite.Row) -> OutboxAlert:
        return OutboxAlert(
            id=row["id"],
            rule=row["rule"],
            member_id=row["member_id"],
            member_label=row["member_label"],
            created_at=cast(datetime, _dt(row["created_at"])),
            updated_at=cast(datetime, _dt(row["updated_at"])),
            count=row["count"],
            status=row["status"],
            guild_id=row["guild_id"],
            channel_id=row["channel_id"],
            message_id=row["message_id"],
            excerpt=row["excerpt"],
            name_field=row["name_field"],
            matched=row["matched"],
            detail=row["detail"],
            handled_by=row["handled_by"],
            handled_at=_dt(row["handled_at"]),
            delivery=row["delivery"],
            delivered_message_id=row["delivered_message_id"],
            attempts=row["attempts"],
            next_attempt_at=_dt(row["next_attempt_at"]),
            last_error=row["last_error"],
            version=row["version"],
            delivered_version=row["delivered_version"],
            send_nonce=row["send_nonce"],
        )

    async def record_alert(
        self,
        *,
        rule: str,
        member_id: int,
        member_label: str,
        at: datetime,
        window_start: datetime,
        guild_id: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
        excerpt: str | None = None,
        name_field: str | None = None,
        matched: str | None = None,
        detail: str | None = None,
    ) -> tuple[Alert, bool]:
        """Write a flag to the outbox before anything is sent.

        A repeat of the same member and rule since `window_start` on a still-open alert
        bumps that alert's count and marks it for re-delivery (an edit) instead of adding
        a new one, so a burst of flags makes one alert. Returns (alert, created).
        """
        async with self._alert_lock:  # check-then-insert: two flags at once make one alert
            row = await self._fetchone(
                "SELECT id FROM alerts WHERE member_id = ? AND rule = ? AND status = 'open'"
                " AND updated_at >= ? ORDER BY id DESC LIMIT 1",
                (member_id, rule, _ts(window_start)),
            )
            if row is not None:
                alert_id = int(row["id"])
                await self._conn.execute(
                    "UPDATE alerts SET count = count + 1, updated_at = ?, delivery = 'pending',"
                    " version = version + 1,"
                    " next_attempt_at = NULL, excerpt = COALESCE(?, excerpt),"
                    " channel_id = COALESCE(?, channel_id), message_id = COALESCE(?, message_id),"
                    " name_field = COALESCE(?, name_field), matched = COALESCE(?, matched),"
                    " detail = COALESCE(?, detail), member_label = ? WHERE id = ?",
                    (
                        _ts(at),
                        excerpt,
                        channel_id,
                        message_id,
                        name_field,
                        matched,
                        detail,
                        member_label,
                        alert_id,
                    ),
                )
                created = False
            else:
                cur = await self._conn.execute(
                    "INSERT INTO alerts (rule, member_id, member_label, guild_id, channel_id,"
                    " message_id, excerpt, name_field, matched, detail, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        rule,
                        member_id,
                        member_label,
                        guild_id,
                        channel_id,
                        message_id,
                        excerpt,
                        name_field,
                        matched,
                        detail,
                        _ts(at),
                        _ts(at),
                    ),
                )
                alert_id = cast(int, cur.lastrowid)
                created = True
            await self._conn.commit()
            alert = await self.alert(alert_id)
            assert alert is not None
            return alert, created

    async def alert(self, alert_id: int) -> OutboxAlert | None:
        row = await self._fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return self._alert(row) if row else None

    async def pending_alerts(self, now: datetime, limit: int = 50) -> list[OutboxAlert]:
        """Alerts to send or edit now, oldest first (claimed or not: for the console)."""
        rows = await self._fetchall(
            "SELECT * FROM alerts WHERE delivery = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            (_ts(now), limit),
        )
        return [self._alert(r) for r in rows]

    async def claim_next(
        self,
        now: datetime,
        claim_until: datetime,
        *,
        due_by: datetime | None = None,
        posts: bool = True,
        skip: Collection[int] = (),
    ) -> OutboxAlert | None:
        """Claim the oldest due alert for sending, atomically, until `claim_until`.

        One UPDATE inside BEGIN IMMEDIATE: of two senders (two loops, or two processes on
        one file) only one gets a row, so none is sent twice. A post (no message yet) gets
        its nonce here, before the POST, unless an interrupted post left one to reuse.
        `due_by` overrides the retry backoff (a start sends everything at once); `posts`
        False leaves alerts without a message for later (the new-alert budget); `skip` are
        alerts the caller holds back (an edit budget, a mark that failed to write).
        """
        due = _ts(due_by or now)
        sql = (
            "UPDATE alerts SET claimed_until = ?, send_nonce = CASE"
            " WHEN delivered_message_id IS NULL"
            " THEN COALESCE(send_nonce, printf('a%xv%x', id, version))"
            " ELSE send_nonce END"
            " WHERE id = (SELECT id FROM alerts WHERE delivery = 'pending'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            " AND (claimed_until IS NULL OR claimed_until <= ?)"
            " AND (? OR delivered_message_id IS NOT NULL)"
            " AND id NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY id LIMIT 1) RETURNING *"
        )
        params = (_ts(claim_until), due, _ts(now), posts, json.dumps(sorted(skip)))
        async with self._alert_lock:
            conn = await self._claims()
            if conn is self._conn:  # an in-memory database: one connection, one statement
                rows = await conn.execute_fetchall(sql, params)
                await conn.commit()
            else:
                # A connection of its own, so the transaction holds only the claim (the main
                # one may have another method's statement open at this moment).
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = await conn.execute_fetchall(sql, params)
                    await conn.commit()
                except BaseException:
                    await conn.rollback()
                    raise
        row = next(iter(rows), None)
        return self._alert(row) if row is not None else None

    async def _claims(self) -> aiosqlite.Connection:
        """The connection that claims alerts, opened on first use."""
        if self._claim_conn is None:
            if str(self.path) == ":memory:":
                self._claim_conn = self._conn
            else:
                conn = await aiosqlite.connect(self.path, isolation_level=None)
                conn.row_factory = aiosqlite.Row
                await conn.execute("PRAGMA busy_timeout=5000")
                self._claim_conn = conn
        return self._claim_conn

    async def release_claims(self) -> tuple[int, int]:
        """At start: drop the claims a stopped process left (the process lock makes this one
        the only sender). Returns (claims released, posts that were under way); those posts
        keep their nonce, so sending them again cannot make a second message."""
        async with self._alert_lock:
            cur = await self._conn.execute(
                "UPDATE alerts SET claimed_until = NULL WHERE claimed_until IS NOT NULL"
            )
            row = await self._fetchone(
                "SELECT COUNT(*) AS n FROM alerts WHERE send_nonce IS NOT NULL"
                " AND delivered_message_id IS NULL AND delivery = 'pending'"
            )
            await self._conn.commit()
        return cur.rowcount, int(row["n"]) if row else 0

    async def next_pending_at(self) -> datetime | None:
        """When the next unclaimed alert falls due (a claim that lapsed counts as due)."""
        row = await self._fetchone(
            "SELECT MIN(MAX(COALESCE(next_attempt_at, ''), COALESCE(claimed_until, ''))) AS t"
            " FROM alerts WHERE delivery = 'pending'"
        )
        if row is None or row["t"] is None:
            return None
        return _dt(row["t"]) if row["t"] else datetime.min.replace(tzinfo=UTC)

    async def unposted_count(self) -> int:
        """Alerts waiting for their first message (held back by the new-alert budget)."""
        row = await self._fetchone(
            "SELECT COUNT(*) AS n FROM alerts WHERE delivery = 'pending'"
            " AND delivered_message_id IS NULL"
        )
        return int(row["n"]) if row else 0

    async def mark_delivered(self, alert_id: int, delivered_message_id: int, version: int) -> None:
        """The message now shows `version`: sent, unless the alert changed again meanwhile.

        The version is a counter, not a time: two changes in one millisecond still differ.
        """
        await self._conn.execute(
            "UPDATE alerts SET delivered_message_id = ?, delivered_version = ?, attempts = 0,"
            " last_error = NULL, next_attempt_at = NULL, claimed_until = NULL,"
            " send_nonce = NULL,"
            " delivery = CASE WHEN version = ? THEN 'sent' ELSE 'pending' END WHERE id = ?",
            (delivered_message_id, version, version, alert_id),
        )
        await self._conn.commit()

    async def mark_delivery_failed(
        self, alert_id: int, error: str, next_attempt_at: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
            " claimed_until = NULL WHERE id = ?",
            (error[:300], _ts(next_attempt_at), alert_id),
        )
        await self._conn.commit()

    async def set_alert_status(
        self, alert_id: int, status: AlertStatus, by: int, at: datetime
    ) -> Alert | None:
        """Resolve or dismiss an alert; the alert is re-delivered (edited) to show it."""
        cur = await self._conn.execute(
            "UPDATE alerts SET status = ?, handled_by = ?, handled_at = ?, delivery = 'pending',"
            " version = version + 1, next_attempt_at = NULL WHERE id = ?",
            (status, by, _ts(at), alert_id),
        )
        if cur.rowcount == 0:
            return None
        await self.audit(at, by, f"alert.{status}", None, {"alert": alert_id}, commit=False)
        await self._conn.commit()
        return await self.alert(alert_id)

    @staticmethod
    def _alert_filter(
        status: AlertStatus | None,
        rule: str | None,
        member_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> tuple[str, list[object]]:
        """The WHERE clause (and its parameters) that listing and counting alerts share."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        for column, value in (("status", status), ("rule", rule), ("member_id", member_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since:
            where.append("created_at >= ?")
            params.append(_ts(since))
        if until:
            where.append("created_at < ?")
            params.append(_ts(until))
        return " AND ".join(where), params

    async def alerts(
        self,
        *,
        status: AlertStatus | None = None,
        rule: str | None = None,
        member_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts newest first, filtered."""
        where, params = self._alert_filter(status, rule, member_id, since, until)
        rows = await self._fetchall(
            f"SELECT * FROM alerts WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [self._alert(r) for r in rows]

    async def count_alerts(
        self, *, status: AlertStatus | None = None, rule: str | None = None
    ) -> int:
        where, params = self._alert_filter(status, rule)
        row = await self._fetchone(f"SELECT COUNT(*) AS n FROM alerts WHERE {where}", params)
        return int(row["n"]) if row else 0

    # -- questions -------------------------------------------------------------------------------

    async def record_question(
        self, question: str, clause_id: str | None, kind: str, at: datetime
    ) -> None:
        await self._conn.execute(
            "INSERT INTO question_feedback (asked_at, question, clause_id, kind) VALUES (?, ?, ?, ?)",
            (_ts(at), question, clause_id, kind),
        )
        await self._conn.commit()

    async def questions(self, kinds: Sequence[str], limit: int = 50) -> list[StoredQuestion]:
        marks = ", ".join("?" for _ in kinds)
        rows = await self._fetchall(
            f"SELECT * FROM question_feedback WHERE kind IN ({marks}) ORDER BY id DESC LIMIT ?",
            (*kinds, limit),
        )
        return [
            StoredQuestion(
                id=r["id"],
                asked_at=cast(datetime, _dt(r["asked_at"])),
                question=r["question"],
                clause_id=r["clause_id"],
                kind=r["kind"],
            )
            for r in rows
        ]

    # -- retention and erasure -----------------------------------------------------------------

    async def purge(self, before: datetime, now: datetime) -> dict[str, int]:
        """Drop alert excerpts, stored questions and the teachers' free-text grant reasons
        (often about a student) older than `before` (the retention), then clear the WAL."""
        cur1 = await self._conn.execute(
            "UPDATE alerts SET excerpt = NULL, matched = NULL, member_label = '(verlopen)',"
            " detail = CASE WHEN rule = 'aanwijzing-2' THEN NULL ELSE detail END"  # names in it
            " WHERE updated_at < ? AND (excerpt IS NOT NULL OR member_label != '(verlopen)')",
            (_ts(before),),
        )
        cur2 = await self._conn.execute(
            "DELETE FROM question_feedback WHERE asked_at < ?", (_ts(before),)
        )
        cur3 = await self._conn.execute(
            "UPDATE permission_grants SET reason = NULL WHERE reason IS NOT NULL AND ends_at < ?",
            (_ts(before),),
        )
        counts = {
            "alerts": cur1.rowcount,
            "questions": cur2.rowcount,
            "grant_reasons": cur3.rowcount,
        }
        await self.audit(now, None, "retention.purge", None, counts, commit=False)
        await self._conn.commit()
        await self.checkpoint()
        return counts

    async def wipe(self) -> None:
        """Empty every table and restart the numbering: the console's clean slate (`/reset`)."""
        for table in (
            "audit",
            "permission_grants",
            "warning_cooldowns",
            "approved_names",
            "alerts",
            "question_feedback",
            "sqlite_sequence",
        ):
            await self._conn.execute(f"DELETE FROM {table}")
        await self._conn.commit()

    async def erase_member(self, member_id: int, by: int, at: datetime) -> dict[str, int]:
        """Remove everything stored about one member; the audit trail keeps only that it happened."""
        counts: dict[str, int] = {}
        for table, column in (
            ("alerts", "member_id"),
            ("approved_names", "member_id"),
            ("warning_cooldowns", "member_id"),
        ):
            cur = await self._conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (member_id,))
            counts[table] = cur.rowcount
        cur = await self._conn.execute(
            "DELETE FROM permission_grants WHERE scope = 'member' AND target_id = ?", (member_id,)
        )
        counts["permission_grants"] = cur.rowcount
        await self._conn.execute(
            "UPDATE audit SET detail = '{}' WHERE subject_id = ?", (member_id,)
        )
        await self.audit(at, by, "privacy.erase", member_id, counts, commit=False)
        await self._conn.commit()
        await self.checkpoint()
        return counts
