"""Finding, reading and validating the config file: every problem is one readable line naming
the file and the key (`ConfigError`), never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError

from compass_bot.config.model import Config, LoadedConfig
from compass_bot.config.yaml_bounds import BoundedLoader, Refused
from compass_bot.inputs import InputError, read_bounded

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_NAME = "config.yaml"
EXAMPLE_CONFIG_NAME = "config.example.yaml"
CONFIG_ENV = "COMPASS_CONFIG"

MAX_CONFIG_BYTES: Final = 1 << 20
MAX_PROBLEM_LINES: Final = 10


class ConfigError(Exception):
    """A config that cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config, then $COMPASS_CONFIG, then ./config.yaml, then the shipped example."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    if local.exists():
        return local
    project_local = PROJECT_ROOT / DEFAULT_CONFIG_NAME
    if project_local.exists():
        return project_local
    return PROJECT_ROOT / EXAMPLE_CONFIG_NAME


def _key_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item.startswith("function-") or item in {"int", "str", "list", "dict"}:
            continue  # pydantic's union/validator branch names say nothing to an admin
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts)


def _describe(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        return "unknown key (check the spelling; see config.example.yaml)"
    return msg.removeprefix("Value error, ")


def parse_config(text: str, source: str = "<config>") -> Config:
    """Validate YAML text; raises ConfigError with `source: key: problem` lines."""
    try:
        data = yaml.load(text, Loader=BoundedLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            where = f"{source}:{mark.line + 1}:{mark.column + 1}"
            kind = "" if isinstance(exc, Refused) else "YAML syntax error: "
            raise ConfigError([f"{where}: {kind}{problem}"]) from None
        raise ConfigError([f"{source}: YAML syntax error: {problem}"]) from None
    except (ValueError, RecursionError, OverflowError) as exc:
        # Anything the bounds above did not foresee: still one line, never a traceback.
        raise ConfigError([f"{source}: cannot read the YAML: {type(exc).__name__}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: the top level must be a mapping of sections (key: value)"])
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        seen: set[str] = set()
        problems = []
        errors = exc.errors(include_input=False, include_url=False)
        for err in errors:
            key = _key_path(tuple(err["loc"]))
            line = f"{source}: {key + ': ' if key else ''}{_describe(dict(err))}"
            if line not in seen:
                seen.add(line)
                problems.append(line)
        if len(problems) > MAX_PROBLEM_LINES:
            more = len(problems) - MAX_PROBLEM_LINES + 1
            problems = [*problems[: MAX_PROBLEM_LINES - 1], f"{source}: ... and {more} more"]
        raise ConfigError(problems) from None


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Find, read (a regular file of at most 1 MiB) and validate the config file."""
    found = find_config_path(path)
    try:
        text = read_bounded(found, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([f"{found}: file not found"]) from None
    except InputError as exc:
        raise ConfigError([f"{found}: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{found}: not UTF-8 text (save it as UTF-8)"]) from None
    return LoadedConfig(config=parse_config(text, str(found)), path=found.resolve())
