"""The bot's configuration: one YAML file, validated by pydantic models.

A school admin edits this file by hand, so every mistake must come back as one readable
line naming the file and the key, never as a traceback. The Discord token is deliberately
not part of it: it comes from the environment only (see `discord_token`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from compass_bot.refs import Ref
from compass_bot.rules.names import DEFAULT_ALLOWED_WORDS
from compass_bot.schedule import ScheduleConfig, SchoolTimeConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_NAME = "config.yaml"
EXAMPLE_CONFIG_NAME = "config.example.yaml"
CONFIG_ENV = "COMPASS_CONFIG"
TOKEN_ENV = "DISCORD_TOKEN"


class _Section(BaseModel):
    """Every section refuses unknown keys: a typo must not silently switch a feature off."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordSettings(_Section):
    guild: Ref | None = None
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    sync_commands: bool = True

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a URL such as https://discord.com/api/v10")
        return value.rstrip("/") if value.startswith("http") else value


class StorageSettings(_Section):
    database: Path = Path("data/compass.db")


def _refs(*names: str) -> list[int | str]:
    return list(names)


class RoleSettings(_Section):
    students: list[Ref] = Field(default_factory=lambda: _refs("Leerling"))
    teachers: list[Ref] = Field(default_factory=lambda: _refs("Docent"))
    moderators: list[Ref] = Field(default_factory=lambda: _refs("Moderator"))
    leadership: list[Ref] = Field(default_factory=lambda: _refs("Schoolleiding"))


class ChannelSettings(_Section):
    moderators: Ref | None = "mod-meldingen"
    questions: Ref | None = "protocol-vragen"


class QuestionSettings(_Section):
    rate_limit_count: int = Field(default=5, ge=1, le=100)
    rate_limit_seconds: int = Field(default=30, ge=1, le=3600)
    max_length: int = Field(default=1000, ge=50, le=10000)


class NameSettings(_Section):
    allowed_words: list[str] = Field(default_factory=lambda: list(DEFAULT_ALLOWED_WORDS))
    reset_nickname: bool = False
    check_on_join: bool = True


class AlertSettings(_Section):
    repeat_window_minutes: int = Field(default=30, ge=1, le=24 * 60)
    retry_max_seconds: int = Field(default=300, ge=1, le=3600)


class RetentionSettings(_Section):
    days: int = Field(default=30, ge=1, le=3650)


class ConsoleSettings(_Section):
    channel: str = "algemeen"


class Config(_Section):
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    roles: RoleSettings = Field(default_factory=RoleSettings)
    channels: ChannelSettings = Field(default_factory=ChannelSettings)
    questions: QuestionSettings = Field(default_factory=QuestionSettings)
    names: NameSettings = Field(default_factory=NameSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    school_time: SchoolTimeConfig = Field(default_factory=SchoolTimeConfig)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)


class LoadedConfig(BaseModel):
    """A validated config together with where it came from (relative paths resolve there)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: Config
    path: Path | None

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def resolve(self, path: Path) -> Path:
        """A path from the config, relative to the config file's own folder."""
        return path if path.is_absolute() else self.base_dir / path

    @property
    def database_path(self) -> Path:
        return self.resolve(self.config.storage.database)

    @property
    def console_database_path(self) -> Path:
        """The console's own file beside the real one: its simulated members and alerts must
        never reach the Discord bot's outbox."""
        path = self.database_path
        return path.with_name(f"{path.stem}-console{path.suffix}")


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
    return "".join(parts) or "(top level)"


def _describe(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        return "unknown key (check the spelling; see config.example.yaml)"
    return msg.removeprefix("Value error, ")


def parse_config(text: str, source: str = "<config>") -> Config:
    """Validate YAML text; raises ConfigError with `source: key: problem` lines."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            where = f"{source}:{mark.line + 1}:{mark.column + 1}"
            raise ConfigError([f"{where}: YAML syntax error: {problem}"]) from None
        raise ConfigError([f"{source}: YAML syntax error: {problem}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: the top level must be a mapping of sections (key: value)"])
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        seen: set[str] = set()
        problems = []
        for err in exc.errors():
            line = f"{source}: {_key_path(tuple(err['loc']))}: {_describe(dict(err))}"
            if line not in seen:
                seen.add(line)
                problems.append(line)
        raise ConfigError(problems) from None


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Find, read and validate the config file."""
    found = find_config_path(path)
    try:
        text = found.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{found}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{found}: cannot read the file: {exc}"]) from None
    return LoadedConfig(config=parse_config(text, str(found)), path=found.resolve())


def read_env_file(path: Path) -> dict[str, str]:
    """The KEY=value lines of a .env file (quotes stripped; comments and blanks skipped)."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return values
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def discord_token(env_file: Path | None = None) -> str | None:
    """The bot token: $DISCORD_TOKEN, else DISCORD_TOKEN in ./.env. Never logged."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    candidates = [env_file] if env_file else [Path.cwd() / ".env", PROJECT_ROOT / ".env"]
    for candidate in candidates:
        if candidate is not None:
            value = read_env_file(candidate).get(TOKEN_ENV, "").strip()
            if value:
                return value
    return None
