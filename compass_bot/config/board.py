"""A school board's file: the top-level keys are the board's defaults, and an optional
`schools:` list holds each school's overrides (at least `name` and `discord.guild`).

Each entry is deep-merged over the defaults and validated as a whole `Config`, so a school is
configured exactly like a one-school file. Every school keeps its data apart: its own
database file, derived from the default's name and the school's slug unless it sets one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from compass_bot.config.model import Config, LoadedConfig
from compass_bot.config.validation import Loc, admin_loc, line, validate
from compass_bot.refs import checked_name, describe_ref
from compass_bot.sections import ref_key

SCHOOLS_KEY: Final = "schools"
MAX_NAME_CHARS: Final = 100


def deep_merge(base: Mapping[Any, Any], over: Mapping[Any, Any]) -> dict[Any, Any]:
    """`over` on top of `base`: mappings merge key by key, lists and scalars replace."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = deep_merge(below, value)
        else:
            merged[key] = value
    return merged


def slug(name: str) -> str:
    """A school's name as a file-name part: "Compass Noord" -> "compass-noord" (accents
    folded, anything else a hyphen)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def school_database(default: Path, name: str) -> Path:
    """`data/compass.db` -> `data/compass-<slug>.db`: the default's folder and name."""
    return default.with_name(f"{default.stem}-{slug(name)}{default.suffix}")


def _sets(entry: Mapping[Any, Any], loc: Loc) -> bool:
    """Does the entry itself give the value at `loc` (or a list/scalar replacing it)? A
    problem of the whole config (no key) counts as the defaults' when they have it too."""
    if not loc:
        return False
    node: object = entry
    for item in loc:
        if isinstance(node, Mapping) and item in node:
            node = node[item]
            continue
        if isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node):
            node = node[item]
            continue
        return not isinstance(node, Mapping)  # a list or scalar of the entry's own
    return True


def _guild_given(entry: Mapping[Any, Any]) -> bool | None:
    """True/False whether `discord.guild` is set; None when `discord` is not a mapping
    (the model reports that)."""
    discord = entry.get("discord")
    if discord is None:
        return False
    if not isinstance(discord, Mapping):
        return None
    return discord.get("guild") is not None


# The Discord connection is one for the whole board (one token, one gateway session, one
# command tree): these `discord` keys cannot differ per school.
CONNECTION_KEYS = frozenset(
    {
        "api_base_url",
        "gateway_url",
        "sync_commands",
        "application_id",
        "staff_permission",
        "message_content",
        "members",
    }
)


class _Board:
    """One pass over the `schools:` list, collecting one line per problem."""

    def __init__(
        self,
        source: str,
        path: Path | None,
        defaults_data: dict[Any, Any],
        defaults: Config | None,
        default_problems: set[tuple[Loc, str]],
    ) -> None:
        self.source = source
        self.path = path
        self.defaults_data = defaults_data
        self.defaults = defaults
        self.default_problems = default_problems
        self.problems: list[str] = []

    def say(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.source}: {where}: {problem}")

    def entry(self, index: int, raw: Mapping[Any, Any]) -> LoadedConfig | None:
        where = f"{SCHOOLS_KEY}[{index}]"
        name = raw.get("name")
        ok = True
        if "name" not in raw:
            self.say(where, "name is required")
            ok = False
        elif not isinstance(name, str) or not name.strip():
            self.say(f"{where}.name", "must be a non-empty text")
            ok = False
        elif len(name.strip()) > MAX_NAME_CHARS:
            self.say(f"{where}.name", f"longer than {MAX_NAME_CHARS} characters")
            ok = False
        else:
            try:  # an ESC or a line break would reach the terminal and the logs raw
                checked_name(name)
            except ValueError as exc:
                self.say(f"{where}.name", str(exc))
                ok = False
        guild = _guild_given(raw)
        if guild is False:
            self.say(f"{where}.discord.guild", "required in a school entry")
            ok = False
        own_discord = raw.get("discord")
        if isinstance(own_discord, Mapping):
            for key in sorted(CONNECTION_KEYS & set(own_discord)):
                self.say(
                    f"{where}.discord.{key}",
                    "one connection serves every school: set it at the top level",
                )
                ok = False
        overrides = {key: value for key, value in raw.items() if key != "name"}
        data = deep_merge(self.defaults_data, overrides)
        storage = overrides.get("storage")
        own_database = isinstance(storage, Mapping) and "database" in storage
        if ok and not own_database and self.defaults is not None:
            assert isinstance(name, str)
            if not slug(name):
                self.say(
                    f"{where}.name",
                    "has no letters or digits to name its database file; "
                    "set storage.database for this school",
                )
                return None
            database = school_database(self.defaults.storage.database, name.strip())
            data = deep_merge(data, {"storage": {"database": str(database)}})
        config, errors = validate(data)
        for loc, problem in errors:
            if (loc, problem) in self.default_problems and not _sets(overrides, loc):
                continue  # the defaults' own problem: reported once, without the prefix
            self.problems.append(line(self.source, loc, problem, prefix=where))
        if config is None or not ok:
            return None
        assert isinstance(name, str)
        return LoadedConfig(config=config, path=self.path, school=name.strip())

    def check_apart(self, schools: list[tuple[int, LoadedConfig]]) -> None:
        """Names, servers and database files differ from school to school."""
        names: dict[str, list[int]] = {}
        for index, school in schools:
            names.setdefault((school.school or "").casefold(), []).append(index)
        for indexes in names.values():
            if len(indexes) > 1:
                first = dict(schools)[indexes[0]].school
                where = ", ".join(f"{SCHOOLS_KEY}[{i}]" for i in indexes)
                self.problems.append(
                    f"{self.source}: {SCHOOLS_KEY}: the name {first!r} is used more than once "
                    f"({where}; case does not count)"
                )
        guilds: dict[int | str, int] = {}
        files: dict[Path, tuple[int, str]] = {}
        for index, school in schools:
            guild = school.config.discord.guild
            assert guild is not None
            if ref_key(guild) in guilds:
                self.say(
                    f"{SCHOOLS_KEY}[{index}].discord.guild",
                    f"same server as {SCHOOLS_KEY}[{guilds[ref_key(guild)]}] ({describe_ref(guild)})",
                )
            else:
                guilds[ref_key(guild)] = index
            for kind, file in (
                ("file", school.database_path),
                ("console file", school.console_database_path),
            ):
                seen = files.get(file.resolve())
                if seen is not None and seen[0] != index:
                    other = f"{SCHOOLS_KEY}[{seen[0]}]"
                    what = (
                        f"same file as {other}"
                        if kind == seen[1] == "file"
                        else f"{file} is both this school's {kind} and {other}'s {seen[1]}"
                    )
                    self.say(
                        f"{SCHOOLS_KEY}[{index}].storage.database",
                        f"{what}; each school keeps its data in its own file",
                    )
                    break
                files[file.resolve()] = (index, kind)


def parse_schools(
    raw: object,
    source: str,
    path: Path | None,
    defaults_data: dict[Any, Any],
    defaults: Config | None,
    default_problems: list[tuple[Loc, str]],
) -> tuple[tuple[LoadedConfig, ...], list[str]]:
    """The schools of a `schools:` list and the problem lines (empty when all is well)."""
    if not isinstance(raw, list) or not raw or not all(isinstance(entry, Mapping) for entry in raw):
        return (), [
            f"{source}: {SCHOOLS_KEY}: must be a list of schools, each a mapping with at least "
            "name and discord.guild (leave schools out for a single school)"
        ]
    board = _Board(
        source,
        path,
        defaults_data,
        defaults,
        {(admin_loc(loc), problem) for loc, problem in default_problems},
    )
    schools: list[tuple[int, LoadedConfig]] = []
    for index, entry in enumerate(raw):
        school = board.entry(index, entry)
        if school is not None:
            schools.append((index, school))
    board.check_apart(schools)
    return tuple(school for _, school in schools), board.problems
