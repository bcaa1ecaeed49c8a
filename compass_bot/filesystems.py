"""A file system mounted read-only (a USB stick, a backup disk, a container's read-only root)
is said as such, in one plain line, rather than as "check its permissions" or an errno."""

from __future__ import annotations

import errno
import os
from pathlib import Path

READ_ONLY = "the file system is read-only"


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
