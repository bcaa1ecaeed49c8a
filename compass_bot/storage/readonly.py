"""A database on read-only media (a USB stick, a backup mounted read-only) for a command
that only reads it: no lock file can be made there and SQLite cannot make a WAL database's
shared-memory file. Nothing can write such a copy either, a running bot included, so the
lock keeps nothing out: the copy is opened without it, on a connection SQLite itself keeps
from writing (`mode=ro`; `immutable=1` when even the shared memory cannot be made).

`ops` (status, backup) and `digest` read such copies the same way."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import aiosqlite

from compass_bot.filesystems import not_sqlite, read_only_mount
from compass_bot.storage.db import STORAGE_ERRORS, Database, StoreError, describe_failure
from compass_bot.storage.schema import migrations


def on_read_only_media(database: Path) -> bool:
    """Whether the file system holding `database` is mounted read-only."""
    return read_only_mount(database.parent)


def read_only_uri(database: Path, *, immutable: bool = False) -> str:
    """The URI of a connection that never writes the file."""
    return f"{database.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def needs_immutable(database: Path, exc: sqlite3.Error) -> bool:
    """Whether a `mode=ro` connection failed for want of the shared-memory file of a WAL
    database in a folder nobody may write: then only `immutable=1` reads it."""
    return "unable to open" in str(exc) and not os.access(database.parent, os.W_OK)


def wal_left_out(database: Path) -> str | None:
    """The line refusing a copy whose `-wal` file holds changes (None when it has none):
    `immutable=1` reads the main file only, so those changes would be silently missing."""
    wal = database.with_name(database.name + "-wal")
    try:
        pending = wal.stat().st_size > 0
    except OSError:
        return None
    if not pending:
        return None
    return (
        f"{database}: its -wal file holds the latest changes, which cannot be read on "
        "read-only media; copy both files to a writable disk, or make the copy with `backup`"
    )


async def open_to_read(path: Path) -> Database:
    """The store for a command that only reads (`digest`): on a connection SQLite itself
    keeps from writing (`mode=ro`; `immutable=1` on read-only media when even the shared
    memory cannot be made), never migrated and without the process lock, so no lock file is
    left beside a copy and it reads beside the running bot as `status` does. Refused as
    `Database.open` refuses a file (another program's, damaged, newer), and when its schema
    is older (bringing it up to date would write it).

    Raises StoreError (one line)."""
    if not_sqlite(path):  # named on the command line: a wrong path, not a damaged store
        raise StoreError(f"{path}: not an SQLite file, so no compass-bot database; check the path")
    try:
        try:
            conn = await _connect(read_only_uri(path))
        except sqlite3.OperationalError as exc:
            if not needs_immutable(path, exc):
                raise
            if (left_out := wal_left_out(path)) is not None:
                raise StoreError(left_out) from exc
            conn = await _connect(read_only_uri(path, immutable=True))
    except STORAGE_ERRORS as exc:
        raise StoreError(describe_failure(path, exc)) from exc
    store = Database(conn, path, migrations())
    try:
        conn.row_factory = aiosqlite.Row
        await store.check_ours()
        await store.quick_check()
        version, known = await store.schema_version(), store.schema_version_known
        if version < known:
            raise StoreError(
                f"{path}: database schema {version} is older than this bot ({known}); digest "
                "only reads, and bringing it up to date would write it: read it with the "
                "compass-bot version that made it"
            )
    except BaseException as exc:
        await store.close()
        if isinstance(exc, STORAGE_ERRORS):
            raise StoreError(describe_failure(path, exc)) from exc
        raise
    return store


async def _connect(uri: str) -> aiosqlite.Connection:
    """A connection that has read the schema (an unopenable file raises here, not later)."""
    conn = await aiosqlite.connect(uri, uri=True)
    try:
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute_fetchall("SELECT COUNT(*) FROM sqlite_master")
    except BaseException:
        await conn.close()
        raise
    return conn
