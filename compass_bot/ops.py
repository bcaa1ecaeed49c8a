"""Running the bot for real: a consistent backup of its database while it runs, and its status
(`python -m compass_bot status` and the moderators' `/status` both read `database_status`).

Both read the database with plain `sqlite3`, beside the running bot (WAL lets a reader work
next to the writer), and never take the bot's process lock: they only read.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from compass_bot.atomic import replacing
from compass_bot.config.marks import marked_school, recorded_mark
from compass_bot.config.model import LoadedConfig
from compass_bot.filesystems import (
    JOURNAL_SUFFIXES,
    NOT_SQLITE,
    READ_ONLY,
    SQLITE_HEADER,
    not_sqlite,
    read_only_error,
)
from compass_bot.refs import describe_ref
from compass_bot.storage.db import belongs_to_database, disk_full
from compass_bot.storage.readonly import needs_immutable, read_only_uri, wal_left_out

# Discord snowflakes count milliseconds from the start of 2015 in their top 42 bits: a
# delivered alert's message id is the moment Discord received it (the outbox keeps no time).
DISCORD_EPOCH_MS = 1_420_070_400_000
BUSY_TIMEOUT_MS = 10_000


class OpsError(Exception):
    """Something the operator can fix, said in one line."""


def _open(database: Path) -> sqlite3.Connection:
    """The live database for reading, without creating it when it is missing; refused as
    the bot itself refuses it (another program's tables, a newer schema, an empty file)."""
    if database.is_dir():
        raise OpsError(f"{database} is a folder; storage.database names the database file")
    if database.exists() and not database.is_file():  # a device, a pipe: validate-config's line
        raise OpsError(f"{database} is not a regular file")
    if not database.is_file():
        raise OpsError(f"no database at {database} (has the bot run with this config?)")
    if database.stat().st_size == 0:
        raise OpsError(f"{database} is an empty file, not a compass-bot database")
    if not_sqlite(database):  # the bot's and validate-config's line
        raise OpsError(f"{database}: {NOT_SQLITE}")
    try:
        try:
            conn = _read_only(read_only_uri(database))
        except sqlite3.OperationalError as exc:
            if not needs_immutable(database, exc):
                raise
            if (left_out := wal_left_out(database)) is not None:
                raise OpsError(left_out) from exc
            # a copy in WAL mode on read-only media (a USB stick, a mounted backup): SQLite
            # cannot make its shared-memory file there, and nothing can write the copy either
            conn = _read_only(read_only_uri(database, immutable=True))
        problem = _not_ours(conn)
    except sqlite3.Error as exc:
        raise OpsError(f"{database}: cannot read it: {exc}") from exc
    if problem is not None:
        conn.close()
        raise OpsError(f"{database}: {problem}")
    return conn


def _read_only(uri: str) -> sqlite3.Connection:
    """A read-only connection, tried at once (a locked or unopenable file raises here)."""
    conn = sqlite3.connect(uri, uri=True)
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _not_ours(conn: sqlite3.Connection) -> str | None:
    """Why an SQLite file is not a compass-bot database, or None: ours has a schema version
    our migrations set, the audit table of the first one, and no table they do not create
    (another program may set user_version too)."""
    from compass_bot.registry import migrations  # the features' (ops is imported by one)
    from compass_bot.storage.schema import foreign_tables

    known = migrations()
    schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if schema > len(known):
        return f"database schema {schema} is newer than this bot ({len(known)})"
    if schema == 0 or "audit" not in tables or foreign_tables(tables, known):
        what = "it has tables of another program" if tables else "it holds no tables"
        return f"not a compass-bot database ({what})"
    return None


def backup(
    database: Path,
    target: Path,
    *,
    mark: int,
    force: bool = False,
    board: LoadedConfig | None = None,
) -> int:
    """Copy `database` to `target` as one consistent snapshot; returns the copy's size.

    The copy records `mark` (`school_mark`); an earlier backup is replaced only when it
    records the same one, or with `force` (`board` names the other school in the refusal).

    SQLite's online backup API copies every page in one step inside one read transaction, so
    the copy holds exactly the transactions committed when it started, however busy the bot
    is. It is written to a file of its own beside `target` (`atomic.replacing`: a unique
    name, so two backups to one place at once do not share it) and renamed into place, so
    `target` is never half a database, and switched out of WAL mode so the copy is one
    self-contained file.
    """
    if target.is_dir():
        raise OpsError(f"{target} is a folder; name the backup file, e.g. {target}/compass.db")
    if not target.parent.is_dir():
        raise OpsError(f"{target.parent}: no such folder")
    if target.exists() and target.resolve() == database.resolve():
        raise OpsError(f"{target} is the live database itself")
    _check_backup_target(database, target)
    _check_same_school(target, mark, force, board)
    source = _open(database)
    try:
        with replacing(target) as partial:  # an empty file: SQLite makes it a database
            _copy_into(source, partial, mark, target)
    except OSError as exc:  # the temporary file cannot be made or renamed into place
        raise OpsError(f"backup to {target} failed: {_why_failed(exc, target)}") from exc
    finally:
        source.close()
    return target.stat().st_size


def _copy_into(source: sqlite3.Connection, partial: Path, mark: int, target: Path) -> None:
    """The snapshot written into `partial`, or OpsError; its sidecar files (SQLite's
    journal, and the WAL and shared memory the copy has while it is still in WAL mode) never
    outlive it. Why it failed is told while the half copy still fills the disk."""
    copy: sqlite3.Connection | None = None
    try:
        copy = sqlite3.connect(partial)
        source.backup(copy)
        copy.execute(f"PRAGMA application_id = {int(mark)}")
        copy.commit()
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()
    except (sqlite3.Error, OSError) as exc:
        raise OpsError(f"backup to {target} failed: {_why_failed(exc, target)}") from exc
    finally:
        if copy is not None:
            copy.close()
        for suffix in JOURNAL_SUFFIXES:
            with contextlib.suppress(OSError):
                partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    if check is None or check[0] != "ok":
        raise OpsError(f"the copy failed its integrity check: {check[0] if check else '?'}")


def _why_failed(exc: BaseException, target: Path) -> str:
    """A failed backup's reason: a full disk or a read-only one said as such."""
    if disk_full(exc, target):
        return "the disk is full; free space on it, or back up to another disk"
    if read_only_error(exc, target.parent):
        return READ_ONLY
    return str(exc)


def _check_backup_target(database: Path, target: Path) -> None:
    """A backup is written to a new file or over an earlier backup (an SQLite file out of
    WAL mode, as `backup` leaves it); never over the database's own journal and lock files,
    a live database (in WAL mode: another school's) or any other file."""
    if belongs_to_database(target, database):
        raise OpsError(f"{target} belongs to the live database; name the backup file otherwise")
    if not target.exists():
        return
    try:
        with target.open("rb") as existing:
            header = existing.read(100)
    except OSError as exc:
        raise OpsError(f"{target}: {exc.strerror or exc}") from exc
    if not header.startswith(SQLITE_HEADER):
        raise OpsError(f"{target} exists and is not a backup; pick another file name")
    if len(header) >= 20 and header[18] == 2:  # read/write versions 2: WAL, a live database
        raise OpsError(
            f"{target} is a live database (WAL mode), not a backup; pick another file name"
        )
    if not _is_ours(target):  # another program's SQLite file (no compass-bot schema)
        raise OpsError(f"{target} exists and is not a backup; pick another file name")


def _check_same_school(target: Path, mark: int, force: bool, board: LoadedConfig | None) -> None:
    """On a board an earlier backup is replaced only by a backup of the same school: the
    board's (or a shared folder's) `zuid.db` never silently becomes Noord's; one that records
    no school (made before backups recorded it) cannot be told apart, so it needs `force`.
    A single school has no other school to confuse, and its mark changes with its
    `discord.guild` setting (a name, an id): its backup always replaces its earlier one."""
    if force or board is None or not board.schools or not target.is_file():
        return
    try:
        recorded = recorded_mark(target)
    except OSError as exc:
        raise OpsError(f"{target}: cannot read it: {exc.strerror or exc}") from exc
    if recorded == mark:
        return
    if recorded == 0:
        raise OpsError(
            f"{target} is an earlier backup that does not record its school (made by an "
            "older version); add --force to replace it, or pick another file name"
        )
    other = marked_school(board, recorded)
    whose = f"school {other.school!r}" if other is not None and other.school else "another school"
    raise OpsError(
        f"{target} is a backup of {whose}; pick another file name (--force replaces it anyway)"
    )


def _is_ours(path: Path) -> bool:
    """An SQLite file that is a compass-bot database (`_not_ours`): an earlier backup."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return _not_ours(conn) is None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


@dataclass(frozen=True, slots=True)
class Status:
    """What an operator asks first: which bot, where, and whether alerts are getting out."""

    version: str
    database: str
    database_bytes: int
    schema_version: int
    pending_alerts: int
    last_delivery: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "database": self.database,
            "database_bytes": self.database_bytes,
            "schema_version": self.schema_version,
            "pending_alerts": self.pending_alerts,
            "last_delivery": self.last_delivery.isoformat() if self.last_delivery else None,
        }


@dataclass(frozen=True, slots=True)
class PrivilegedIntents:
    """Which privileged intents the bot asks Discord for (config `discord.message_content`,
    `discord.members`): what a school's Discord review is about."""

    message_content: bool
    members: bool

    def as_json(self) -> dict[str, bool]:
        return {"message_content": self.message_content, "members": self.members}

    def describe(self, on: str = "on", off: str = "off") -> str:
        """`Message Content on, Server Members off` (the words for on and off given)."""
        return ", ".join(
            f"{label} {on if value else off}"
            for label, value in (
                ("Message Content", self.message_content),
                ("Server Members", self.members),
            )
        )


def version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("compass-bot")
    except metadata.PackageNotFoundError:
        return "unknown"


def snowflake_time(snowflake: int) -> datetime:
    """When Discord made the object with this id."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def is_snowflake(message_id: int) -> bool:
    """A Discord id made after 2016 (Discord's ids start in 2015): not the console's small
    made-up ids, whose time would read as the first day of 2015."""
    return message_id >> 22 >= _SNOWFLAKE_2016_MS


_SNOWFLAKE_2016_MS = 1_451_606_400_000 - DISCORD_EPOCH_MS


def database_status(database: Path) -> Status:
    """The outbox's length and last delivery, and the database's size (with its WAL)."""
    conn = _open(database)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        pending, last_id = 0, None
        if "alerts" in tables:
            pending = conn.execute(
                "SELECT COUNT(*) FROM alerts WHERE delivery = 'pending'"
            ).fetchone()[0]
            last_id = conn.execute("SELECT MAX(delivered_message_id) FROM alerts").fetchone()[0]
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise OpsError(f"{database}: cannot read it: {exc}") from exc
    finally:
        conn.close()
    size = sum(
        p.stat().st_size
        for p in (database, database.with_name(database.name + "-wal"))
        if p.exists()
    )
    return Status(
        version=version(),
        database=str(database),
        database_bytes=size,
        schema_version=int(schema),
        pending_alerts=int(pending),
        last_delivery=snowflake_time(int(last_id)) if last_id and is_snowflake(last_id) else None,
    )


def status_report(loaded: LoadedConfig, intents: list[str]) -> tuple[dict[str, object], list[str]]:
    """`status` for one school: the JSON object and the text lines. A board's school also
    carries its `name`; `school` stays the configured server. Raises OpsError."""
    status = database_status(loaded.database_path)
    guild = loaded.config.discord.guild
    settings = loaded.config.discord
    privileged = PrivilegedIntents(settings.message_content, settings.members)
    report: dict[str, object] = {
        "version": status.version,
        "config": str(loaded.path) if loaded.path else None,
        **({"name": loaded.school} if loaded.school else {}),
        "school": guild,  # the configured server: a name or an id
        "intents": intents,
        "privileged_intents": privileged.as_json(),
        **status.as_json(),
    }
    from compass_bot.registry import migrations

    last = status.last_delivery.isoformat(timespec="seconds") if status.last_delivery else "never"
    known = len(migrations())
    schema = f"schema {status.schema_version}" + (
        f"; the bot migrates it to schema {known} at its next start"
        if status.schema_version < known
        else ""
    )
    server = describe_ref(guild) if guild is not None else "the first server the bot is in"
    lines = [
        f"compass-bot {status.version}",
        f"school:        {f'{loaded.school} ({server})' if loaded.school else server}",
        f"intents:       {', '.join(intents)}",
        f"privileged:    {privileged.describe()}",
        f"database:      {status.database} ({status.database_bytes} bytes, {schema})",
        f"outbox:        {status.pending_alerts} alert(s) waiting",
        f"last delivery: {last}",
    ]
    return report, lines


def claimed_file(board: LoadedConfig, school: LoadedConfig, target: Path) -> str | None:
    """What `target` already is to the bot, even before it exists: a board's other school's
    database or console file, or this school's console file (a backup written there would
    become that school's data, or the console would run on real students' data); None when
    it is none of them."""
    if (other := other_school_of(board, school, target)) is not None:
        return f"the database of school {other.school or ''!r}"
    if target.resolve() == school.console_database_path.resolve():
        return "the console's own database"
    return None


def other_school_of(board: LoadedConfig, school: LoadedConfig, target: Path) -> LoadedConfig | None:
    """The board's other school whose configured database (or console file) `target` is,
    even before it exists; None for a one-school file or any other path. The one check of
    `backup` (never write there) and `digest --database` (never read it as this school's)."""
    where = target.resolve()
    for other in board.each_school():
        if other.school == school.school:
            continue
        if where in (f.resolve() for f in (other.database_path, other.console_database_path)):
            return other
    return None
