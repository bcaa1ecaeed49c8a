"""Files replaced whole or not at all: written to a temporary file of their own beside the
target and renamed into place, the temporary file removed on any failure. A full disk or a
failed copy then leaves the target as it was (an earlier backup, last week's chart, the
console's saved server), never an empty or half file that the next run would refuse.

Used by `backup` (SQLite writes the temporary file), `digest --png` and the console; the
live database is kept private too (`keep_private`)."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from compass_bot.filesystems import JOURNAL_SUFFIXES

PRIVATE = 0o600  # readable by the bot's user only: a database, members' names
SHARED = 0o666  # as a plain write makes a file: the user's umask applies


@contextlib.contextmanager
def replacing(target: Path, *, suffix: str = ".partial", mode: int = PRIVATE) -> Iterator[Path]:
    """An empty temporary file beside `target` to fill in the block; it replaces `target`
    when the block ends without error and is removed otherwise. Its name is unique, so two
    writers to one target at once never share it. Raises OSError (the file cannot be made,
    renamed, or whatever the block raised)."""
    temporary = _new_file_beside(target, suffix, mode)
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes, *, mode: int = PRIVATE) -> None:
    """`target` holds `data` afterwards, or (OSError) is what it was before."""
    with replacing(target, mode=mode) as temporary:
        temporary.write_bytes(data)


def _new_file_beside(target: Path, suffix: str, mode: int) -> Path:
    """Made with O_EXCL under a random name (as `tempfile.mkstemp`, which only makes files
    of mode 0600): `mode` as `open` takes it, so the umask applies."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    for _ in range(100):
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:
            os.close(os.open(candidate, flags, mode))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, "no free temporary name beside the file", str(target))


def keep_private(path: Path) -> bool:
    """The database holds alert excerpts and notes about minors: readable by the bot's user
    only (0600, as a backup is). A new file is made so before SQLite opens it (SQLite gives
    its -wal and -shm files the database's mode); an older file and its sidecars made under
    a looser umask are narrowed. A file of another owner is left as it is (chmod refused).
    True when it made the (empty) file: the caller removes it if SQLite then cannot open it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        made = False
    except OSError:
        return False  # SQLite's own open says what is wrong, in one line
    else:
        os.close(fd)
        made = True
    for suffix in ("", *JOURNAL_SUFFIXES):
        file = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            mode = file.stat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                os.chmod(file, stat.S_IMODE(mode) & ~0o077)
    return made


def remove_if_empty(path: Path) -> None:
    """The empty file `keep_private` made for a database that then failed to open: gone, so
    `status` and `backup` say "no database yet", not "an empty file"."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            path.unlink()
