"""One process per database: an exclusive `flock` on `<database>.lock` while a store has the
file open, so a second bot on the same file refuses to start (two would both deliver the
outbox and warn every student twice).

A lock file this process created is removed again when the database is refused (not
SQLite, another program's, damaged): a refused file gets nothing beside it. Removal happens
while the lock is held, and `acquire` checks that the file it locked is still the one at
the path, so a process that opened the file just before it went locks the new one instead.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path
from typing import ClassVar


class LockHeld(Exception):
    """Another process holds the database's lock."""


class ProcessLock:
    """An exclusive `flock` on `<database>.lock` for as long as a store has the file open.

    Shared by the stores of one process (a test's restarted service, a reader beside the
    writer): the lock keeps out other processes, which is where double delivery came from.
    """

    # lock file -> (fd, stores using it, whether this process created the file)
    _held: ClassVar[dict[Path, tuple[int, int, bool]]] = {}

    def __init__(self, lock_path: Path) -> None:
        self.path = lock_path

    @classmethod
    def acquire(cls, database: Path) -> ProcessLock:
        """The lock of `database`; raises LockHeld, or OSError when the file cannot be made."""
        lock_path = database.with_name(database.name + ".lock").resolve()
        held = cls._held.get(lock_path)
        if held is not None:
            cls._held[lock_path] = (held[0], held[1] + 1, held[2])
            return cls(lock_path)
        while True:
            fd, created = _open(lock_path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise LockHeld(str(lock_path)) from exc
                raise
            if _same_file(fd, lock_path):
                break
            os.close(fd)  # removed (or replaced) by a refusing process meanwhile: again
        cls._held[lock_path] = (fd, 1, created)
        return cls(lock_path)

    def release(self, *, refused: bool = False) -> None:
        """Let go; after a `refused` database, the lock file goes too if this process made it."""
        held = self._held.pop(self.path, None)
        if held is None:
            return
        fd, users, created = held
        if users > 1:
            self._held[self.path] = (fd, users - 1, created)
            return
        if refused and created:
            with contextlib.suppress(OSError):
                self.path.unlink()  # while still locked: see `acquire`
        os.close(fd)  # closing the only descriptor releases the flock


def _open(lock_path: Path) -> tuple[int, bool]:
    """The lock file's descriptor, and whether this call created the file."""
    flags = os.O_RDWR | os.O_CLOEXEC
    try:
        return os.open(lock_path, flags | os.O_CREAT | os.O_EXCL, 0o600), True
    except FileExistsError:
        pass
    try:
        return os.open(lock_path, flags), False
    except FileNotFoundError:  # removed between the two calls
        return os.open(lock_path, flags | os.O_CREAT, 0o600), True


def _same_file(fd: int, path: Path) -> bool:
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (at_path.st_dev, at_path.st_ino)
