"""What the config points at (the .ics file, the database folder), checked without changing
anything."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from compass_bot.config.loading import ConfigError, capped
from compass_bot.config.marks import other_school_problem
from compass_bot.config.model import LoadedConfig
from compass_bot.filesystems import NOT_SQLITE, READ_ONLY, not_sqlite, read_only_mount
from compass_bot.schedule import ScheduleError, read_ics_file

_ELSEWHERE = " (mount it read-write, or point storage.database at a writable place)"


def database_problem(path: Path, content: bool = True) -> str | None:
    """Why the SQLite file at `path` cannot be used, or None; creates nothing. `content`
    False: the file is replaced anyway (the console's `--fresh`), only where it goes counts.

    The file may be missing (it is created on first run), but then its folder must exist and
    be writable, or be creatable: the nearest existing ancestor must be a writable folder.
    """
    if path.is_dir():
        return f"{path} is a folder; give a file name such as {path / 'compass.db'}"
    if path.exists():
        if not path.is_file():
            return f"{path} is not a regular file"
        if not os.access(path, os.R_OK | os.W_OK):
            if read_only_mount(path):
                return f"{path} cannot be written: {READ_ONLY}{_ELSEWHERE}"
            return f"{path} cannot be read and written (check its permissions)"
        if content and not_sqlite(path):
            return f"{path}: {NOT_SQLITE}"
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        if ancestor.is_symlink():
            return f"the folder {ancestor} is a broken link"
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"the folder {path.parent} cannot be created: {ancestor} is a file"
    what = "cannot be written" if ancestor == path.parent else "cannot be created"
    if not os.access(ancestor, os.W_OK | os.X_OK) or not _can_create_in(ancestor):
        if read_only_mount(ancestor):
            return f"the folder {path.parent} {what}: {READ_ONLY}{_ELSEWHERE}"
        return f"the folder {path.parent} {what} (check the permissions of {ancestor})"
    return None


def _can_create_in(folder: Path) -> bool:
    """Try it: permission bits do not tell for root, a read-only mount or a pseudo file
    system. The probe file is removed at once."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def check_targets(
    loaded: LoadedConfig, now: datetime, console: bool = False, fresh: bool = False
) -> None:
    """Check what the config points at (the .ics file, the database folder) without changing
    anything; raises ConfigError with one `config: key: problem` line per problem. `console`:
    the offline console opens its own database beside the real one: the real file's place is
    checked, not its content (`--fresh` never touches it), and `fresh` starts its own anew.

    A board's file is checked school by school (`schools[1].storage.database: ...`); a
    calendar file the schools share is reported once. `now` sets the years the calendar is
    expanded for, as the bot will.
    """
    source = str(loaded.path) if loaded.path else "<config>"
    problems: list[str] = []
    calendars: set[Path] = set()
    for index, school in enumerate(loaded.schools):
        where = f"{source}: schools[{index}]."
        problems += _school_problems(school, now, where, calendars, console=console, fresh=fresh)
        # a restored backup of another school (the console never opens the real file)
        if not console and (restored := other_school_problem(loaded, school)) is not None:
            problems.append(f"{where}storage.database: {restored}")
    if not loaded.schools:
        problems += _school_problems(
            loaded, now, f"{source}: ", calendars, console=console, fresh=fresh
        )
    else:
        problems += _unclaimed_database(loaded, source)
    if problems:
        raise ConfigError(capped(problems, source))


def _unclaimed_database(loaded: LoadedConfig, source: str) -> list[str]:
    """A one-school file that became a board leaves its database behind: every school gets a
    file of its own, so the old one (its pending alerts, approvals, grants, and excerpts the
    retention purge must still clear) would belong to no one. It must be given to a school."""
    old = loaded.database_path
    claimed = {school.database_path.resolve() for school in loaded.schools}
    if not old.exists() or old.resolve() in claimed:
        return []
    return [
        f"{source}: storage.database: {old} holds a school's data, but no school in "
        "`schools:` uses it; give it to the school it belongs to (`storage: {database: "
        f"{loaded.config.storage.database}}}` in that school's entry)"
    ]


def _school_problems(
    loaded: LoadedConfig,
    now: datetime,
    where: str,
    calendars: set[Path],
    *,
    console: bool,
    fresh: bool,
) -> list[str]:
    """One school's target problems, each line starting with `where` (file and key prefix)."""
    problems: list[str] = []
    cfg = loaded.config
    ics = cfg.schedule.days_off.ics_file
    if ics is not None and loaded.resolve(ics).resolve() not in calendars:
        calendars.add(loaded.resolve(ics).resolve())
        this_year = now.astimezone(cfg.schedule.zone).year
        try:
            read_ics_file(loaded.resolve(ics), range(this_year - 2, this_year + 3))
        except ScheduleError as exc:
            problems.append(f"{where}{exc}")
    # the real file's place and kind always (the console's own lies beside it); its content
    # only for the real bot, the console's own file's unless --fresh starts it anew
    checks = [(loaded.database_path, not console)]
    if console:
        checks.append((loaded.console_database_path, not fresh))
    for path, content in checks:
        problem = database_problem(path, content=content)
        if problem is not None:
            problems.append(f"{where}storage.database: {problem}")
            break
    return problems
