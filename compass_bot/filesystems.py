"""Plain lines about the files the bot is pointed at. A file system mounted read-only (a USB
stick, a backup disk, a container's read-only root) is said as such rather than as "check
its permissions" or an errno; a file that is not SQLite gets the same line from the bot,
`status` and `validate-config`."""

from __future__ import annotations

import errno
import os
from pathlib import Path

READ_ONLY = "the file system is read-only"
# what SQLite keeps beside a database file (WAL mode, or a rollback journal)
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def read_only_mount(path: Path) -> bool:
    """Whether the file system holding `path` (or its nearest existing folder) is mounted
    read-only; False when that cannot be told."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def read_only_error(exc: BaseException, path: Path | None = None) -> bool:
    """Whether `exc` failed for a read-only file system: its errno (EROFS), or, for SQLite,
    which names no errno, the mount of `path`."""
    return getattr(exc, "errno", None) == errno.EROFS or (
        path is not None and read_only_mount(path)
    )


SQLITE_HEADER = b"SQLite format 3\x00"
NOT_SQLITE = (
    "not an SQLite database; restore it from a backup, or move it (with its -wal file) away "
    "to start with an empty database"
)


def not_sqlite(path: Path) -> bool:
    """Whether the file at `path` has content that is not SQLite's (an empty file is a new
    database to SQLite; an unreadable one is left to the permission checks)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER
