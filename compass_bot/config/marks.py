"""Which school a database file is of: the mark `backup` records in its copy, read back where
a file is used as a school's database (`backup` over an earlier copy, and a restored copy at
the bot's start, `validate-config` and `status`), so one school's data never silently
becomes another's."""

from __future__ import annotations

import zlib
from pathlib import Path

from compass_bot.config.model import LoadedConfig
from compass_bot.filesystems import SQLITE_HEADER

_APPLICATION_ID = slice(68, 72)  # SQLite's header: a big-endian 32-bit number


def school_mark(school: LoadedConfig) -> int:
    """Which school a backup is of, recorded in the copy (SQLite's `application_id` in the
    file's header, which the bot's own database leaves 0; a restored copy keeps it): a hash
    of the board's name for the school and the configured server, never 0."""
    guild = school.config.discord.guild
    identity = f"{school.school or ''}\n{'' if guild is None else guild}"
    return zlib.crc32(identity.encode("utf-8")) & 0x7FFFFFFF or 1


def recorded_mark(path: Path) -> int:
    """The school recorded in an SQLite file (`school_mark`), read from its header (no
    connection: a copy on read-only media or in WAL mode reads the same); 0 when it records
    none or is no SQLite file. Raises OSError when it cannot be read."""
    with path.open("rb") as file:
        header = file.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return 0
    return int.from_bytes(header[_APPLICATION_ID], "big")


def marked_school(board: LoadedConfig, mark: int) -> LoadedConfig | None:
    """The board's school whose mark this is; None for 0 or a mark of no school here."""
    if mark == 0:
        return None
    return next((s for s in board.schools if school_mark(s) == mark), None)


def other_school_problem(board: LoadedConfig, school: LoadedConfig) -> str | None:
    """Why `school`'s database file cannot be used: it is a backup of another school of the
    board restored in its place (one line naming both); None otherwise. A file recording no
    mark (the bot's own) or one of no school of this board (a school whose `discord.guild`
    changed since) cannot be told apart and passes; a single school has no other school."""
    path = school.database_path
    if not board.schools or not path.is_file():
        return None
    try:
        mark = recorded_mark(path)
    except OSError:
        return None  # unreadable: the permission checks say so
    other = marked_school(board, mark)
    if other is None or other.school == school.school:
        return None
    return (
        f"{path} is a backup of school {other.school!r}, not of {school.school!r}; restore "
        f"{school.school}'s own backup there (this one belongs at {other.database_path})"
    )
