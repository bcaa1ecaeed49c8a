"""The bot's configuration: one YAML file, validated by pydantic models.

A school admin edits this file by hand, so every mistake must come back as one readable
line naming the file and the key, never as a traceback. The Discord token is deliberately
not part of it: it comes from the environment only (see `discord_token`).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from dotenv import dotenv_values
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from compass_bot.features.alerts.settings import AlertSettings
from compass_bot.features.automod.settings import AutoModSettings
from compass_bot.features.digest.settings import DigestSettings
from compass_bot.features.heat.settings import HeatConfig
from compass_bot.features.names.settings import NameSettings
from compass_bot.features.personal_data.settings import PersonalDataSettings
from compass_bot.features.privacy.settings import RetentionSettings
from compass_bot.features.questions.settings import QuestionSettings
from compass_bot.features.reports.settings import ReportsConfig
from compass_bot.features.schooltime.settings import SchoolTimeConfig
from compass_bot.inputs import InputError, StrictBool, StrictInt, read_bounded
from compass_bot.refs import Ref, describe_ref
from compass_bot.schedule import ScheduleConfig, ScheduleError, read_ics_file
from compass_bot.sections import Refs, Section, ref_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_NAME = "config.yaml"
EXAMPLE_CONFIG_NAME = "config.example.yaml"
CONFIG_ENV = "COMPASS_CONFIG"
TOKEN_ENV = "DISCORD_TOKEN"

MAX_CONFIG_BYTES: Final = 1 << 20
MAX_ENV_BYTES: Final = 64 << 10
MAX_YAML_DEPTH: Final = 50
MAX_YAML_ALIASES: Final = 100
MAX_YAML_NODES: Final = 20_000
MAX_PROBLEM_LINES: Final = 10
MAX_INT_DIGITS: Final = 30


# Permissions a school's staff roles typically hold; "administrator" leaves the commands to
# server admins until they allow other roles in Server Settings > Integrations.
StaffPermission = Literal[
    "manage_messages",
    "moderate_members",
    "kick_members",
    "manage_nicknames",
    "manage_roles",
    "manage_guild",
    "administrator",
]


class DiscordSettings(Section):
    guild: Ref | None = None
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    sync_commands: StrictBool = True
    # The Application ID (Developer Portal > General Information), for `invite-url`.
    application_id: StrictInt | None = Field(default=None, gt=0)
    # Staff commands are synced visible only to members with this permission (server admins
    # can change it per command: Server Settings > Integrations); the role check stays.
    staff_permission: StaffPermission = "manage_messages"

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a URL such as https://discord.com/api/v10")
        return value.rstrip("/") if value.startswith("http") else value


class StorageSettings(Section):
    database: Path = Path("data/compass.db")


def _refs(*names: str) -> list[int | str]:
    return list(names)


class RoleSettings(Section):
    students: Refs = Field(default_factory=lambda: _refs("Leerling"))
    teachers: Refs = Field(default_factory=lambda: _refs("Docent"))
    moderators: Refs = Field(default_factory=lambda: _refs("Moderator"))
    leadership: Refs = Field(default_factory=lambda: _refs("Schoolleiding"))

    @model_validator(mode="after")
    def _students_are_not_staff(self) -> RoleSettings:
        """A role in both lists would make students staff (or staff students): a slip."""
        students = {ref_key(r): r for r in self.students}
        for section in ("teachers", "moderators", "leadership"):
            for ref in getattr(self, section):
                if ref_key(ref) in students:
                    raise ValueError(f"role {describe_ref(ref)} is in both students and {section}")
        return self


class ChannelSettings(Section):
    moderators: Ref | None = "mod-meldingen"
    questions: Ref | None = "protocol-vragen"


class ConsoleSettings(Section):
    channel: str = "algemeen"


class Config(Section):
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
    heat: HeatConfig = Field(default_factory=HeatConfig)
    personal_data: PersonalDataSettings = Field(default_factory=PersonalDataSettings)
    reports: ReportsConfig = Field(default_factory=ReportsConfig)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    automod: AutoModSettings = Field(default_factory=AutoModSettings)

    @model_validator(mode="after")
    def _sections_agree(self) -> Config:
        """Cross-checks between sections: a student role must not be exempt as staff."""
        staff = {ref_key(r) for r in self.school_time.staff_roles}
        for ref in self.roles.students:
            if ref_key(ref) in staff:
                raise ValueError(
                    f"role {describe_ref(ref)} is in both roles.students and "
                    "school_time.staff_roles (students would never be warned)"
                )
        return self


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


class _Refused(yaml.MarkedYAMLError):
    """A well-formed YAML document the bounds below refuse (not a syntax error)."""


def _refused(problem: str, mark: yaml.Mark | None) -> _Refused:
    return _Refused(None, None, problem, mark)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with bounds, so a hostile or mistyped file is one line.

    Refuses nesting deeper than MAX_YAML_DEPTH (no RecursionError), more than
    MAX_YAML_ALIASES alias uses or aliases expanding to more than MAX_YAML_NODES values (no
    "billion laughs"), recursive aliases, duplicate keys (the second would silently win),
    integers longer than MAX_INT_DIGITS digits and impossible dates such as 2026-02-30.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def _mark(self) -> yaml.Mark | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        return getattr(event, "start_mark", None)

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _refused(
                    f"more than {MAX_YAML_ALIASES} aliases (*name); write the values out",
                    self._mark(),
                )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _refused(
                    f"nested deeper than {MAX_YAML_DEPTH} levels",
                    self._mark(),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node | None:
        node: yaml.Node | None = super().compose_document()
        if node is not None:
            _check_expansion(node)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue  # unhashable: PyYAML itself refuses it below
                if duplicate:
                    first = seen[key].start_mark.line + 1
                    raise _refused(
                        f"key {_short_key(key)} is given twice (first on line {first})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise _refused(f"a number of {digits} digits is too long", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_checked_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _refused(
                f"{_short_key(node.value)} is not a real date (or time)",
                node.start_mark,
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_bounded_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_checked_timestamp)


def _short_key(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_YAML_NODES values, or loop."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise _refused("an alias refers to itself (a loop)", node.start_mark)
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children: Iterable[yaml.Node] = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = ()
        for child in children:
            total += size(child)
            if total > MAX_YAML_NODES:
                raise _refused(
                    f"aliases expand to more than {MAX_YAML_NODES} values",
                    node.start_mark,
                )
        busy.discard(key)
        sizes[key] = total
        return total

    size(root)


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
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            where = f"{source}:{mark.line + 1}:{mark.column + 1}"
            kind = "" if isinstance(exc, _Refused) else "YAML syntax error: "
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


# -- what the config points at ----------------------------------------------------------------


def database_problem(path: Path) -> str | None:
    """Why the SQLite file at `path` cannot be used, or None; creates nothing.

    The file may be missing (it is created on first run), but then its folder must exist and
    be writable, or be creatable: the nearest existing ancestor must be a writable folder.
    """
    if path.is_dir():
        return f"{path} is a folder; give a file name such as {path / 'compass.db'}"
    if path.exists():
        if not path.is_file():
            return f"{path} is not a regular file"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"{path} cannot be read and written (check its permissions)"
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        if ancestor.is_symlink():
            return f"the folder {ancestor} is a broken link"
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"the folder {path.parent} cannot be created: {ancestor} is a file"
    what = "cannot be written" if ancestor == path.parent else "cannot be created"
    if not os.access(ancestor, os.W_OK | os.X_OK) or not _can_create_in(ancestor):
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


def check_targets(loaded: LoadedConfig, now: datetime) -> None:
    """Check what the config points at (the .ics file, the database folder) without changing
    anything; raises ConfigError with one `config: key: problem` line per problem.

    `now` sets the years the calendar is expanded for, as the bot will.
    """
    source = str(loaded.path) if loaded.path else "<config>"
    problems: list[str] = []
    cfg = loaded.config
    ics = cfg.schedule.days_off.ics_file
    if ics is not None:
        this_year = now.astimezone(cfg.schedule.zone).year
        try:
            read_ics_file(loaded.resolve(ics), range(this_year - 2, this_year + 3))
        except ScheduleError as exc:
            problems.append(f"{source}: {exc}")
    problem = database_problem(loaded.database_path)
    if problem is not None:
        problems.append(f"{source}: storage.database: {problem}")
    if problems:
        raise ConfigError(problems)


# -- the token --------------------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """The variables of a .env file, read by python-dotenv (comments, quotes, `export`, a BOM
    and CRLF as Notepad saves them). A missing file is empty; an unreadable one a ConfigError
    that never shows the file's contents."""
    try:
        text = read_bounded(path, MAX_ENV_BYTES).decode("utf-8-sig")
    except FileNotFoundError:
        return {}
    except InputError as exc:
        raise ConfigError([f"{path}: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text (save it as UTF-8)"]) from None
    values = dotenv_values(stream=io.StringIO(text))
    return {key: value for key, value in values.items() if value is not None}


def discord_token(env_file: Path | None = None) -> str | None:
    """The bot token: $DISCORD_TOKEN, else DISCORD_TOKEN in ./.env. Never logged.

    Raises ConfigError (one line, no contents) when a .env file exists but cannot be read.
    """
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
