"""The schools one bot serves: a school board runs all its schools' servers in one process.

Each school has its own config (the file's defaults with its `schools:` entry over them), its
own services and database (`App`), and its own server as found (`ServerSetup`). Features stay
unaware of this: they ask `bot.app`, `bot.setup` and `bot.loaded`, which are the *current*
school's. The current school is a context variable, set where work for a school begins:

- every gateway event, by the server it comes from (`route_gateway_events`): tasks that
  discord.py starts for the event (listeners, app commands, buttons, modals) copy it;
- every background loop, per school (`CompassBot.each_school`, `start_per_school`).

A config of one school needs none of this: that school is the current one always.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from compass_bot.config import LoadedConfig
from compass_bot.refs import Ref, describe_ref, ref_matches

if TYPE_CHECKING:
    from compass_bot.app import App

log = logging.getLogger("compass_bot.discord")


@dataclass
class ServerSetup:
    """The configured channels and roles as found in the server."""

    guild: discord.Guild | None = None
    moderators_channel: discord.abc.Messageable | None = None
    questions_channel_id: int | None = None
    problems: list[str] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)


@dataclass(eq=False)
class School:
    """One school: its config and services, its server as found, its outbox's wake-up."""

    app: App
    setup: ServerSetup = field(default_factory=ServerSetup)
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    synced: bool = False

    @property
    def loaded(self) -> LoadedConfig:
        return self.app.loaded

    @property
    def name(self) -> str:
        """The school's name in the board's file, else its server as configured."""
        if self.loaded.school:
            return self.loaded.school
        ref = self.loaded.config.discord.guild
        return describe_ref(ref) if ref is not None else "school"

    def serves(self, guild_id: int, guild_name: str | None) -> bool:
        """Whether `discord.guild` names this server (an id, or a name when no id is set)."""
        ref: Ref | None = self.loaded.config.discord.guild
        return ref is not None and ref_matches(ref, guild_id, guild_name or "")


CURRENT: contextvars.ContextVar[School | None] = contextvars.ContextVar(
    "compass_school", default=None
)


def name_schools_in_logs() -> None:
    """Every log line made for a board's school names it (`Zuid: retention purge: ...`):
    the record factory prefixes the current school's name (`CURRENT`) unless the line starts
    with it already (a line that names another place, "Noordvleugel", still gets it; the
    message is not formatted here, so an argument that fails to format fails where logging
    reports it). A single school's lines stay as they are. Installed once."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "names_schools", False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        school = CURRENT.get()
        name = school.loaded.school if school is not None else None
        if name and isinstance(record.msg, str):
            prefix = f"{name.replace('%', '%%')}: "
            if not record.msg.startswith(prefix):
                record.msg = prefix + record.msg
        return record

    make.names_schools = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


@contextmanager
def acting_for(school: School) -> Iterator[School]:
    """Within this block (and the tasks it starts), `bot.app` and friends are `school`'s."""
    token = CURRENT.set(school)
    try:
        yield school
    finally:
        CURRENT.reset(token)


def start_per_school(
    schools: list[School], run: Callable[[School], Coroutine[Any, Any, Any]], name: str
) -> list[asyncio.Task[Any]]:
    """One task per school running `run(school)`, each with its school current throughout."""
    tasks: list[asyncio.Task[Any]] = []
    for school in schools:
        context = contextvars.copy_context()
        context.run(CURRENT.set, school)
        label = name if len(schools) == 1 else f"{name} ({school.name})"
        tasks.append(asyncio.create_task(run(school), name=label, context=context))
    return tasks


def _guild_of(event: str, data: Any) -> int | None:
    """The server a gateway event belongs to, from its raw payload."""
    if not isinstance(data, dict):
        return None
    raw = data.get("id") if event.startswith("GUILD_") and "guild_id" not in data else None
    raw = data.get("guild_id", raw)
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _user_of(data: dict[str, Any]) -> int | None:
    """Who a server-less event (a DM, a DM interaction) is from."""
    for holder in (data.get("author"), data.get("user"), (data.get("member") or {}).get("user")):
        if isinstance(holder, dict) and holder.get("id") is not None:
            try:
                return int(holder["id"])
            except (TypeError, ValueError):
                return None
    return None


class SchoolRouter:
    """Finds the school of a gateway event: by its server, or for a DM by the sender's server."""

    def __init__(self, schools: list[School]) -> None:
        self.schools = schools
        self._by_guild: dict[int, School | None] = {}

    def learn(self, guild_id: int, guild_name: str | None) -> School | None:
        """A server as it arrives (GUILD_CREATE): which school it is, if any."""
        found = next((s for s in self.schools if s.serves(guild_id, guild_name)), None)
        self._by_guild[guild_id] = found
        return found

    def school_of(self, event: str, data: Any) -> School | None:
        guild_id = _guild_of(event, data)
        if guild_id is not None:
            if event == "GUILD_CREATE" or guild_id not in self._by_guild:
                return self.learn(guild_id, data.get("name") if event == "GUILD_CREATE" else None)
            return self._by_guild[guild_id]
        user_id = _user_of(data) if isinstance(data, dict) else None
        if user_id is None:
            return None
        for school in self.schools:  # a DM: the first school whose server has the sender
            guild = school.setup.guild
            if guild is not None and guild.get_member(user_id) is not None:
                return school
        return None


def route_gateway_events(client: discord.Client, router: SchoolRouter) -> None:
    """Make each gateway event's school current while discord.py parses it, so every task it
    starts for the event (listeners, app commands, buttons, modals) runs for that school.

    discord.py parses each event through the state's `parsers` table (one function per event
    name); the table is wrapped in place once, before the connection opens."""
    parsers: dict[str, Callable[[Any], Any]] | None = getattr(
        getattr(client, "_connection", None), "parsers", None
    )
    if not isinstance(parsers, dict):
        raise RuntimeError("this discord.py has no parser table; a school board needs 2.7")

    def routed(event: str, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def parse_for_school(data: Any) -> Any:
            token = CURRENT.set(router.school_of(event, data))
            try:
                return parse(data)
            finally:
                CURRENT.reset(token)

        return parse_for_school

    for event, parse in list(parsers.items()):
        parsers[event] = routed(event, parse)


def _find_channel(guild: discord.Guild, ref: Ref) -> discord.abc.GuildChannel | None:
    for channel in guild.channels:
        if ref_matches(ref, channel.id, channel.name):
            return channel
    return None


def resolve_setup(guild: discord.Guild | None, loaded: LoadedConfig) -> ServerSetup:
    """Look up every channel and role the config names; collect what is missing."""
    cfg = loaded.config
    setup = ServerSetup(guild=guild)
    source = str(loaded.path) if loaded.path else "config"
    if loaded.school:
        source += f" (school {loaded.school})"
    if guild is None:
        target = describe_ref(cfg.discord.guild) if cfg.discord.guild is not None else "any"
        setup.problems.append(f"{source}: discord.guild: the bot is not in server {target}")
        setup.disabled.update({"alerts", "questions_channel", "school_time", "names"})
        return setup

    def missing(key: str, ref: Ref, feature: str | None) -> None:
        off = f"; {feature} is switched off" if feature else ""
        setup.problems.append(
            f"{source}: {key}: server '{guild.name}' has no channel or role {describe_ref(ref)}{off}"
        )
        if feature:
            setup.disabled.add(feature)

    if cfg.channels.moderators is not None:
        found = _find_channel(guild, cfg.channels.moderators)
        if isinstance(found, discord.TextChannel | discord.Thread):
            setup.moderators_channel = found
        else:
            missing("channels.moderators", cfg.channels.moderators, None)
            setup.problems[-1] += "; alerts wait in the outbox until it exists"
    if cfg.channels.questions is not None:
        found = _find_channel(guild, cfg.channels.questions)
        if found is None:
            missing("channels.questions", cfg.channels.questions, "questions_channel")
        else:
            setup.questions_channel_id = found.id
    st = cfg.school_time
    for key, refs in (
        ("school_time.social_channels", st.social_channels),
        ("school_time.social_categories", st.social_categories),
        ("school_time.exempt_channels", st.exempt_channels),
    ):
        for i, ref in enumerate(refs):
            if _find_channel(guild, ref) is None:
                missing(f"{key}[{i}]", ref, None)
    role_keys: list[tuple[str, list[Ref]]] = [
        ("roles.students", cfg.roles.students),
        ("roles.teachers", cfg.roles.teachers),
        ("roles.moderators", cfg.roles.moderators),
        ("roles.leadership", cfg.roles.leadership),
    ]
    role_keys.append(("school_time.staff_roles", list(st.staff_roles)))
    for key, refs in role_keys:
        for i, ref in enumerate(refs):
            if not any(ref_matches(ref, r.id, r.name) for r in guild.roles):
                missing(f"{key}[{i}]", ref, None)
    for i, lunch in enumerate(cfg.schedule.lunch_breaks.by_role):
        if not any(ref_matches(lunch.role, r.id, r.name) for r in guild.roles):
            missing(f"schedule.lunch_breaks.by_role[{i}].role", lunch.role, None)
    return setup
