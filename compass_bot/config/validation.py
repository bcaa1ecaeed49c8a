"""Turning pydantic's errors into the admin's lines: `file: key.path: problem`, with the key
path through a board's `schools:` list when the config is one school's."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from compass_bot.config.model import Config

Loc = tuple[int | str, ...]


def admin_loc(loc: Loc) -> Loc:
    """The part of pydantic's location an admin wrote: union and validator branch names go."""
    return tuple(
        item
        for item in loc
        if isinstance(item, int)
        or not (item.startswith("function-") or item in {"int", "str", "list", "dict"})
    )


def key_path(loc: Loc, prefix: str = "") -> str:
    """`schedule.lunch_breaks[0]`, after `prefix` (such as `schools[1]`)."""
    parts: list[str] = [prefix] if prefix else []
    for item in admin_loc(loc):
        parts.append(f"[{item}]" if isinstance(item, int) else ("." if parts else "") + item)
    return "".join(parts)


def _describe(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        return "unknown key (check the spelling; see config.example.yaml)"
    if err.get("type") == "path_type":  # pydantic names its Python class here
        return "expected a file path, such as data/compass.db"
    return msg.removeprefix("Value error, ")


def validate(data: dict[Any, Any]) -> tuple[Config | None, list[tuple[Loc, str]]]:
    """The Config, or None and each problem's location and description."""
    try:
        return Config.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        return None, [(admin_loc(tuple(err["loc"])), _describe(dict(err))) for err in errors]


def line(source: str, loc: Loc, problem: str, prefix: str = "") -> str:
    """One problem as the admin reads it."""
    key = key_path(loc, prefix)
    return f"{source}: {key + ': ' if key else ''}{problem}"
