"""Finding, reading and validating the config file: every problem is one readable line naming
the file and the key (`ConfigError`), never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

import yaml

from compass_bot.config.board import SCHOOLS_KEY, parse_schools
from compass_bot.config.model import Config, LoadedConfig
from compass_bot.config.validation import foreign_file, line, validate
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


def _read_yaml(text: str, source: str) -> dict[Any, Any]:
    """The YAML document as a mapping; raises ConfigError (one line) otherwise."""
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
    return data


def capped(problems: list[str], source: str) -> list[str]:
    """Each line once, at most MAX_PROBLEM_LINES of them."""
    problems = list(dict.fromkeys(problems))
    if len(problems) > MAX_PROBLEM_LINES:
        more = len(problems) - MAX_PROBLEM_LINES + 1
        problems = [*problems[: MAX_PROBLEM_LINES - 1], f"{source}: ... and {more} more"]
    return problems


def parse_loaded(text: str, path: Path | None, source: str | None = None) -> LoadedConfig:
    """Validate YAML text into the file's config and, for a board, each school's (see
    `board`); raises ConfigError with `source: key: problem` lines."""
    source = source if source is not None else str(path) if path else "<config>"
    data = _read_yaml(text, source)
    if (foreign := foreign_file(data, {*Config.model_fields, SCHOOLS_KEY})) is not None:
        raise ConfigError([f"{source}: {foreign}"])
    has_schools = SCHOOLS_KEY in data
    raw_schools = data.pop(SCHOOLS_KEY, None)
    config, errors = validate(data)
    problems = [line(source, loc, problem) for loc, problem in errors]
    schools: tuple[LoadedConfig, ...] = ()
    if has_schools:
        schools, school_problems = parse_schools(raw_schools, source, path, data, config, errors)
        problems += school_problems
    if problems or config is None:
        raise ConfigError(capped(problems, source))
    return LoadedConfig(config=config, path=path, schools=schools)


def parse_config(text: str, source: str = "<config>") -> Config:
    """Validate YAML text; raises ConfigError with `source: key: problem` lines. A board's
    `schools:` are checked too; the board's defaults are returned."""
    return parse_loaded(text, None, source).config


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
    return parse_loaded(text, found.resolve(), str(found))
