"""Reading what people hand the bot: files of bounded size, strict config scalars, sane
moments, and numbers typed by people or carried in button ids.

A school admin's config, .env and calendar files, and a moderator's dates, are untrusted in
the sense that a slip (a named pipe, a 30 MB export, `true` where a number belongs, the year 1)
must come back as one readable line, never as a hang, a memory spike or a traceback. The
helpers here are shared by the config loader, the calendar reader and the front ends.

Numbers: a moderator may type `²`, `١٢٣` or thirty digits where an id belongs, and a custom
id can be forged; `str.isdigit()` and `int()` accept far more than an id. `parse_number` and
`parse_snowflake` accept only ASCII digits in the range SQLite can store.
"""

from __future__ import annotations

import json
import os
import re
import reprlib
import stat
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Annotated, Final
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "FilePath",
    "InputError",
    "StrictBool",
    "StrictInt",
    "as_list",
    "check_moment",
    "duration_minutes",
    "json_line",
    "parse_day",
    "parse_moment",
    "parse_number",
    "parse_snowflake",
    "read_bounded",
    "shown",
]

MIN_YEAR: Final = 1970
MAX_YEAR: Final = 2999
"""Moments outside these years are refused: date arithmetic near year 1 or 9999 overflows, and
no school question needs them."""


class InputError(ValueError):
    """A file or value that cannot be used; the message is one line without the value's bulk."""


_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = _REPR.maxset = 4
_REPR.maxlevel = 2


MAX_SHOWN: Final = 40
"""A typed value (a config key, a --school, --role or --channel) is echoed back at most this
long: a wrong file's "key" may be a whole line of data, an argument thousands of characters."""


def cut_short(text: str) -> str:
    """`text`, cut to MAX_SHOWN characters and an ellipsis when longer."""
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "\u2026"


def shown(value: object) -> str:
    """A short repr for an error message: never the whole of a huge or deeply nested value."""
    return _REPR.repr(value)


def shown_json(value: object) -> str:
    """A decoded JSON value as JSON writes it (`true`, `null`, `"x"`), shortened like
    `shown`: what a JSON input's error message quotes back."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return shown(value)
    return text if len(text) <= 60 else text[:57] + "..."


_LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def json_line(value: object) -> str:
    """`value` as one line of JSON, UTF-8 kept readable: U+0085, U+2028 and U+2029 (which
    json.dumps leaves raw, and str.splitlines() and some JSONL readers split at) escaped as
    \\uXXXX, so one object stays one line for any reader. (The other characters splitlines()
    breaks at are below U+0020, which json.dumps escapes itself.)"""
    return json.dumps(value, ensure_ascii=False).translate(_LINE_BREAKS)


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Opened without blocking and checked with fstat, so a named pipe, a device (/dev/zero) or a
    folder is refused at once; at most `limit + 1` bytes are read, so a file that grows while
    being read cannot exhaust memory. Raises FileNotFoundError when it does not exist and
    InputError for every other problem.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot open it: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError("is not a regular file (a pipe or a device?)")
        if info.st_size > limit:
            raise InputError(f"is larger than {_size(limit)}")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(f"is larger than {_size(limit)}")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1 << 20)} MiB" if limit >= 1 << 20 else f"{limit} bytes"


# -- strict config scalars --------------------------------------------------------------------


def _strict_int(value: object) -> object:
    """A whole number as YAML writes it: `true` or "2000" is a slip, not 1 or 2000."""
    if isinstance(value, bool):
        return _refuse(f"expected a whole number, got {str(value).lower()} (a yes/no value)")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        hint = f": write {text} without quotes" if text.lstrip("-").isdigit() else ""
        return _refuse(f"expected a whole number, got the text {shown(value)}{hint}")
    return _refuse(f"expected a whole number, got {_kind(value)} {shown(value)}")


def _strict_bool(value: object) -> object:
    """A YAML boolean (true/false): the text "yes" or the number 1 is a slip."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _refuse(f"expected true or false, got the text {shown(value)} (remove the quotes?)")
    return _refuse(f"expected true or false, got {_kind(value)} {shown(value)}")


def _refuse(message: str) -> object:
    raise ValueError(message)


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", float: "the number", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _file_path(value: object) -> object:
    """A file name without control characters: a NUL byte ("\\0" in quotes) would pass as a
    path and crash the bot when it opens the file (`embedded null byte`); a tab or a newline
    is a quoting slip. Refused here, so every command that loads the config says so."""
    if isinstance(value, str | PurePath) and (found := _CONTROL.search(str(value))):
        return _refuse(
            f"the file name {shown(str(value))} holds a control character ({found[0]!r}); "
            "write it without"
        )
    return value


StrictInt = Annotated[int, BeforeValidator(_strict_int)]
StrictBool = Annotated[bool, BeforeValidator(_strict_bool)]
FilePath = Annotated[Path, BeforeValidator(_file_path)]


def as_list(value: object) -> object:
    """One name where a list is expected is a list of one (`students: Leerling`)."""
    if isinstance(value, str | int | float | date):
        return [value]
    return value


# -- moments ----------------------------------------------------------------------------------


def check_moment(moment: datetime | date, what: str = "the date") -> None:
    """Refuse a moment outside MIN_YEAR..MAX_YEAR (one line) before any arithmetic overflows."""
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise InputError(
            f"{what} {moment.isoformat()} is out of range (years {MIN_YEAR}-{MAX_YEAR})"
        )


def parse_moment(text: str, zone: ZoneInfo, what: str = "the moment") -> datetime:
    """An ISO-8601 date-time (the school's zone when none is given), in range; or InputError."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{what} {shown(text)} is not an ISO-8601 date-time (e.g. 2026-11-24T10:15+01:00)"
        ) from None
    check_moment(moment, what)
    naive = moment.tzinfo is None
    if naive:
        moment = moment.replace(tzinfo=zone)
    try:
        local = moment.astimezone(UTC).astimezone(zone)  # past year 1/9999: overflows here
    except (OverflowError, ValueError):
        raise InputError(f"{what} {moment.isoformat()} is out of range") from None
    # A wall time the clocks skip (02:30 on the night they go forward) is the moment an
    # hour later (the console's /tijd refuses it instead); any other local time is itself.
    return local if naive else moment


def parse_day(text: str, what: str = "the date") -> date:
    """An ISO date YYYY-MM-DD, in range; or InputError."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} {shown(text)} is not a date: write it as YYYY-MM-DD") from None
    check_moment(day, what)
    return day


# -- numbers typed by people ---------------------------------------------------------------

SQLITE_MAX_INT = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
_SNOWFLAKE = re.compile(r"[1-9][0-9]{14,19}")  # no id starts with 0


_DURATION: Final = re.compile(r"(?P<n>[+-]?[0-9]+(?:[.,][0-9]+)?)\s*(?P<unit>[a-z]*)")
_UNITS: Final = {
    **dict.fromkeys(("", "m", "min", "mins", "minuut", "minuten", "minute", "minutes"), 1),
    **dict.fromkeys(("u", "uur", "uren", "h", "hr", "hrs", "hour", "hours"), 60),
}
# "1u30", "1:30", "1 uur 30", "1h30m": hours and minutes
_HOURS_MINUTES: Final = re.compile(
    r"(?P<h>[0-9]{1,2})\s*(?::|u|uur|h|hr|hour)\s*(?P<m>[0-5]?[0-9])\s*(?:m|min|minuten|minutes)?"
)


def duration_minutes(text: str) -> int | None:
    """The minutes a typed duration says ("20", "20min", "20 minuten", "1u", "1,5 uur",
    "90 minutes"), or None when it is no duration or no whole number of minutes. The range
    is not checked here (each caller does, so "-5" is told why it cannot be). One reader
    for every duration a member types: a permission's, a slowmode's."""
    folded = text.strip().casefold()
    both = _HOURS_MINUTES.fullmatch(folded)
    if both is not None:
        return int(both["h"]) * 60 + int(both["m"])
    m = _DURATION.fullmatch(folded)
    if m is None or m["unit"] not in _UNITS or len(m["n"]) > 9:  # no 4,300-digit number
        return None
    minutes = Decimal(m["n"].replace(",", ".")) * _UNITS[m["unit"]]
    return int(minutes) if minutes == minutes.to_integral_value() else None


def parse_number(text: str | None) -> int | None:
    """A positive whole number that fits SQLite (an alert or grant number), else None."""
    if text is None:
        return None
    text = text.strip().lstrip("#")
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= SQLITE_MAX_INT else None


def parse_snowflake(text: str | None) -> int | None:
    """A Discord id (a member, channel or role) as typed, also as a mention `<@123>`; or None."""
    if text is None:
        return None
    text = text.strip()
    mention = re.fullmatch(r"<(?:@!?|@&|#)([0-9]+)>", text)
    if mention:
        text = mention[1]
    if not _SNOWFLAKE.fullmatch(text):
        return None
    value = int(text)
    return value if value <= SQLITE_MAX_INT else None
