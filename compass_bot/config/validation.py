"""Turning pydantic's errors into the admin's lines: `file: key.path: problem`, with the key
path through a board's `schools:` list when the config is one school's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from difflib import get_close_matches
from typing import Any, Final, get_args

from pydantic import BaseModel, ValidationError

from compass_bot.config.model import Config
from compass_bot.inputs import cut_short, shown, shown_json

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
    """`schedule.lunch_breaks[0]`, after `prefix` (such as `schools[1]`); each key at most
    MAX_SHOWN characters (`cut_short`)."""
    parts: list[str] = [prefix] if prefix else []
    for item in admin_loc(loc):
        shown_item = cut_short(item) if isinstance(item, str) else f"[{item}]"
        parts.append(shown_item if isinstance(item, int) else ("." if parts else "") + shown_item)
    return "".join(parts)


MAX_UNKNOWN_KEYS: Final = 3


def foreign_file(data: Mapping[Any, Any], allowed: set[str]) -> str | None:
    """The one line's problem when a file is clearly no compass-bot config (`--config` given
    the wrong file: a password file, a list of students): more than MAX_UNKNOWN_KEYS unknown
    top-level keys, or no known key and an unknown one holding a space or a colon (a line of
    data, not a misspelt key). Its content is then not shown at all; a config with a slip or
    two keeps its per-key lines and their "did you mean"."""
    unknown = [key for key in data if key not in allowed]
    known = len(data) - len(unknown)
    data_like = any(not isinstance(k, str) or re.search(r"[\s:]", k) for k in unknown)
    if len(unknown) > MAX_UNKNOWN_KEYS or (unknown and not known and data_like):
        keys = "key" if len(unknown) == 1 else "keys"
        return f"is no compass-bot config ({len(unknown)} unknown {keys})"
    return None


# pydantic names its Python class in these ("instance of ScheduleConfig"); the admin wrote a
# section or a list entry and gave something else.
_MAPPING_TYPES: Final = frozenset(
    {"model_type", "model_attributes_type", "dataclass_type", "dataclass_exact_type"}
)
# What a one-value list holds, by the error its value gave (`contacts: 5` is read as [5]).
_ITEM_KINDS: Final = {
    "string_type": "strings",
    "int_type": "whole numbers",
    "float_type": "numbers",
    "bool_type": "true/false values",
    "date_type": "dates",
}


def _written(value: object) -> str:
    """A value as the admin wrote it in YAML (`true`, `2026-01-05`), shortened; never a repr
    of a Python class."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return shown_json(value)
    return shown(value)


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The section model a field holds (itself, or inside a list or an optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _keys_beside(loc: Loc) -> list[str]:
    """The keys the section holding the key at `loc` allows; none when `loc` leads to no
    section (the top level's `schools:` is the board's, not a section)."""
    model: type[BaseModel] | None = Config
    for item in loc[:-1]:
        if isinstance(item, int):
            continue  # an entry of a list of sections
        field = model.model_fields.get(item) if model is not None else None
        model = _model_in(field.annotation) if field is not None else None
    return list(model.model_fields) if model is not None else []


def _unknown_key(loc: Loc) -> str:
    """'unknown key', with the allowed key it is likely a typo of ('schedul': 'schedule')."""
    said = "unknown key (check the spelling; see config.example.yaml)"
    typed = loc[-1] if loc else None
    if not isinstance(typed, str):
        return said
    close = get_close_matches(typed, _keys_beside(loc), n=1, cutoff=0.75)
    return f"unknown key: did you mean {close[0]!r}? (see config.example.yaml)" if close else said


def _describe(err: dict[str, Any], loc: Loc = ()) -> str:
    msg = str(err.get("msg", "invalid value"))
    kind = err.get("type")
    got = f"(got {_written(err.get('input'))})"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "path_type":  # pydantic names its Python class here
        return "expected a file path, such as data/compass.db"
    if kind in _MAPPING_TYPES:
        return f"expected a mapping of settings {got}"
    if kind == "dict_type":
        return f"expected a mapping of keys and values {got}"
    if kind == "list_type":
        return f"expected a list {got}"
    if re.search(r"instance of [A-Z]\w*", msg):  # any other error naming a Python class
        return f"not a valid value here {got}"
    return msg.removeprefix("Value error, ")


def _scalar_list(data: object, loc: Loc) -> tuple[Loc, object] | None:
    """Where one value stood for a list (`as_list` made it a list of one): the key and the
    value. The file has no list there, so an index in the message would mislead."""
    node: Any = data
    for depth, item in enumerate(loc):
        in_list = isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)
        if in_list or (isinstance(node, Mapping) and item in node):
            node = node[item]
        elif isinstance(item, int) and not isinstance(node, list | Mapping):
            return loc[:depth], node
        else:
            return None
    return None


def _problem(data: dict[Any, Any], err: dict[str, Any]) -> tuple[Loc, str]:
    loc = admin_loc(tuple(err["loc"]))
    scalar = _scalar_list(data, loc)
    if scalar is None:
        return loc, _describe(err, loc)
    key, value = scalar
    items = _ITEM_KINDS.get(str(err.get("type")))
    if items is not None:
        return key, f"expected a list of {items} (got {_written(value)})"
    return key, _describe(err, loc)


def validate(data: dict[Any, Any]) -> tuple[Config | None, list[tuple[Loc, str]]]:
    """The Config, or None and each problem's location and description."""
    try:
        return Config.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        return None, [_problem(data, dict(err)) for err in errors]


def line(source: str, loc: Loc, problem: str, prefix: str = "") -> str:
    """One problem as the admin reads it."""
    key = key_path(loc, prefix)
    return f"{source}: {key + ': ' if key else ''}{problem}"
