"""The `Config` model: the bot's own sections (discord, storage, roles, channels, console) and
every feature's section, and `LoadedConfig` (a validated config and where it came from)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
from compass_bot.inputs import FilePath, StrictBool, StrictInt
from compass_bot.refs import ChannelName, Ref, describe_ref
from compass_bot.schedule import ScheduleConfig
from compass_bot.sections import Refs, Section, ref_key

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
    # The privileged intents (Developer Portal > Bot > Privileged Gateway Intents). Off asks
    # Discord for less: without message_content the bot judges posts on their metadata and
    # the features that read text switch off; without members names are checked on posts
    # and commands instead of on joins and changes (README, "Privileged intents").
    message_content: StrictBool = True
    members: StrictBool = True

    @field_validator("application_id")
    @classmethod
    def _application_id(cls, value: int | None) -> int | None:
        if value is not None and not (15 <= len(str(value)) <= 20 and value < 2**63):
            raise ValueError(
                f"{value} cannot be an Application ID (Discord ids have 15 to 20 digits: "
                "Developer Portal > General Information)"
            )
        return value

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a URL such as https://discord.com/api/v10")
        return value.rstrip("/") if value.startswith("http") else value


class StorageSettings(Section):
    database: FilePath = Path("data/compass.db")


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
    channel: ChannelName = "algemeen"


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
        """Cross-checks between sections: a student role must not be exempt as staff; the
        school-time rule leaves the config's staff roles alone too."""
        staff = {ref_key(r) for r in self.school_time.staff_roles}
        for ref in self.roles.students:
            if ref_key(ref) in staff:
                raise ValueError(
                    f"role {describe_ref(ref)} is in both roles.students and "
                    "school_time.staff_roles (students would never be warned)"
                )
        roles = self.roles
        self.school_time.with_role_staff((*roles.teachers, *roles.moderators, *roles.leadership))
        return self


class LoadedConfig(BaseModel):
    """A validated config together with where it came from (relative paths resolve there)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: Config
    path: Path | None
    # The school's name when this config is one entry of a board's `schools:` list.
    school: str | None = None
    # On the file's own config: one merged config per `schools:` entry (empty for one school).
    schools: tuple[LoadedConfig, ...] = ()

    def each_school(self) -> tuple[LoadedConfig, ...]:
        """The config of every school this file runs: its `schools:` entries, or itself."""
        return self.schools or (self,)

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
