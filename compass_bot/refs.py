"""References to Discord channels and roles as the config gives them: by id or by name.

The school's admins write names ("mod-meldingen", "Docent"); ids survive renames. Both are
accepted everywhere, so one small type and one matching rule live here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Annotated, Final

from pydantic import BeforeValidator

from compass_bot.inputs import parse_snowflake

_SNOWFLAKE_DIGITS = range(15, 21)
NAME_LIMIT: Final = 100  # Discord's longest channel or role name


def _coerce_ref(value: object) -> int | str:
    """A numeric string of snowflake length is an id; any other string is a name."""
    if isinstance(value, bool):
        raise ValueError("expected a channel/role id or name, got a boolean")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError("an id must be a positive number")
        if len(str(value)) not in _SNOWFLAKE_DIGITS:
            raise ValueError(
                f"{value} cannot be a Discord id (ids have 15 to 20 digits); "
                "quote it if it is a name"
            )
        return value
    if isinstance(value, str):
        snowflake = parse_snowflake(value.strip())
        return snowflake if snowflake is not None else checked_name(value.strip().lstrip("#@"))
    raise ValueError(f"expected a channel/role id or name, got {type(value).__name__}")


def checked_name(value: str) -> str:
    """A channel, role or school name as Discord allows one: not blank, at most 100 characters,
    no control character (a tab or an ESC in a YAML string is a slip, never a real name)."""
    text = value.strip()
    if not text:
        raise ValueError("an empty name")
    if len(text) > NAME_LIMIT:
        raise ValueError(f"a name of {len(text)} characters (Discord allows {NAME_LIMIT})")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise ValueError("a control character in a name")
    return text


def _coerce_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a channel name, got {type(value).__name__}")
    return checked_name(value.strip().lstrip("#"))


ChannelName = Annotated[str, BeforeValidator(_coerce_name)]
"""A channel given by name only (the console's starting channel)."""


Ref = Annotated[int | str, BeforeValidator(_coerce_ref)]
"""A channel or role given by id (int) or by name (str, matched case-insensitively)."""


def ref_matches(ref: int | str, obj_id: int, obj_name: str) -> bool:
    """True when `ref` points at the object with this id and name."""
    if isinstance(ref, int):
        return ref == obj_id
    return ref.casefold() == obj_name.casefold()


def any_ref_matches(refs: Iterable[int | str], obj_id: int, obj_name: str) -> bool:
    """True when any of `refs` points at the object."""
    return any(ref_matches(r, obj_id, obj_name) for r in refs)


def describe_ref(ref: int | str) -> str:
    """How a reference reads in a message to an admin."""
    return f"id {ref}" if isinstance(ref, int) else f"'{ref}'"
