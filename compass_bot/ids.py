"""Numbers typed by people or carried in button ids, read safely.

A moderator may type `²`, `١٢٣` or thirty digits where an id belongs, and a custom id can be
forged; `str.isdigit()` and `int()` accept far more than an id. These helpers accept only
ASCII digits in the range SQLite can store, so a bad number is "not an id", never an
overflow deep in the store.
"""

from __future__ import annotations

import re

SQLITE_MAX_INT = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
_SNOWFLAKE = re.compile(r"[0-9]{15,20}")


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


def fits_sqlite(value: int) -> bool:
    """True when `value` can be stored as an SQLite integer (a forged id might not)."""
    return 0 < value <= SQLITE_MAX_INT
