"""CompassBot: the discord.py `commands.Bot` that hosts one extension per feature.

The bot holds the app (every feature's service) and the server's resolved config (channels and roles named in
config.yaml, looked up once the server is known). A name the server lacks is reported once,
naming the config key, and only the feature that needs it is switched off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterator, Sequence
from datetime import datetime
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from compass_bot.app import App
from compass_bot.config import Config, DiscordSettings, LoadedConfig, config_warnings
from compass_bot.discord_front import permissions
from compass_bot.discord_front.addressed import question_in
from compass_bot.discord_front.convert import created_at, member_post
from compass_bot.discord_front.schools import (
    CURRENT,
    School,
    SchoolRouter,
    ServerSetup,
    acting_for,
    name_schools_in_logs,
    resolve_setup,
    route_gateway_events,
    start_per_school,
)
from compass_bot.discord_front.screening import Screening, post_checks
from compass_bot.model import MessagePosted
from compass_bot.registry import FEATURES

log = logging.getLogger("compass_bot.discord")

# Every feature's Discord extension, in the registry's order.
EXTENSIONS = tuple(f.discord_extension for f in FEATURES if f.discord_extension)
# How often the running bot looks whether its timetable still covers the coming month (a
# look is a date comparison; the rebuild from the .ics files happens about once a year).
CALENDAR_CHECK_SECONDS = 6 * 3600.0


def apply_endpoints(settings: DiscordSettings) -> None:
    """Point discord.py at the configured API and gateway (a proxy, or the test fake)."""
    discord.http.Route.BASE = settings.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def intents(settings: DiscordSettings, *, automod: bool) -> discord.Intents:
    """Guilds and messages always; AutoMod hits only when a school opts in (`automod`, see
    `bot_intents`); the privileged Server Members (names on join and change, the sweep) and
    Message Content (text rules, the questions channel) only when the config keeps them on
    (`discord.members`, `discord.message_content`)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = settings.members
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = settings.message_content
    wanted.auto_moderation_execution = automod  # AutoMod hits become alerts (features/automod)
    return wanted


def bot_intents(loaded: LoadedConfig) -> discord.Intents:
    """The intents of the bot a config file runs (one connection for a board's schools): the
    AutoMod hits when any of its schools sets `automod.enabled`."""
    automod = any(school.config.automod.enabled for school in loaded.each_school())
    return intents(loaded.config.discord, automod=automod)


def privileged_refused(settings: DiscordSettings) -> str:
    """The one line for Discord's 4014: which portal switches this config needs, or how to
    ask for less."""
    asked = permissions.portal_switches(settings)
    return (
        f"Discord refused the privileged intent(s) {' and '.join(asked) or '?'}: switch them on "
        "in the Developer Portal (Bot > Privileged Gateway Intents), or set "
        "discord.members / discord.message_content to false in the config"
    )


def intent_notes(config: Config) -> list[str]:
    """What an intent that is off switches off, one line per feature, logged once at start."""
    notes: list[str] = []
    off = "discord.message_content is false"
    if not config.discord.message_content:
        notes.append(
            f"{off}: school_time judges posts by author, channel and time; alerts carry no excerpt"
        )
        notes.append(f"{off}: personal_data is off (it reads the text of posts)")
        notes.append(f"{off}: heat is off (it reads the text of posts)")
        if config.channels.questions is not None:
            notes.append(
                f"{off}: posts in the questions channel are not answered; questions still come "
                "by /vraag, a mention or a DM"
            )
    if not config.discord.members:
        notes.append(
            "discord.members is false: names are checked when a member posts or uses a command, "
            "not on join or change; the name sweep (/naamcontrole) is off; a class given "
            "permission is not told by DM (the teacher is asked to tell them)"
        )
    return notes


OTHER_SERVER = (
    "Deze bot werkt alleen in de Discord-server van de school. / "
    "This bot only works in the school's Discord server."
)


class SchoolTree(app_commands.CommandTree["CompassBot"]):
    """The command tree: every app command comes from the school's own server.

    Roles are matched by name, so a server with a role called "Moderator" must never reach a
    command: the check runs before any command, for all of them at once.
    """

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if self.client.in_school_guild(interaction.guild):
            return True
        log.warning(
            "refused /%s from outside the school's server (guild %s)",
            interaction.command.qualified_name if interaction.command else "?",
            interaction.guild_id,
        )
        if interaction.type is discord.InteractionType.autocomplete:
            await interaction.response.autocomplete([])
        else:
            await interaction.response.send_message(OTHER_SERVER, ephemeral=True)
        return False


class CompassBot(commands.Bot):
    """The bot. Features live in their extensions; policy lives in their services.

    One bot serves one school, or every school of a board (one `App` each, in the order of
    the file's `schools:`): `app`, `setup` and `loaded` are the current school's
    (`discord_front/schools.py`), so a feature never picks a school itself."""

    def __init__(self, loaded: LoadedConfig, app: App | Sequence[App], **options: object) -> None:
        # The bot has no voice features; discord.py's warnings about voice libraries are noise.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(loaded),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=SchoolTree,
            **options,  # type: ignore[arg-type]
        )
        # The file's own config: the connection (intents, endpoints) is one for all schools.
        self.board = loaded
        apps = [app] if isinstance(app, App) else list(app)
        if not apps:
            raise ValueError("a bot needs at least one school")
        self.schools = [School(a) for a in apps]
        if len(self.schools) > 1:
            name_schools_in_logs()
            route_gateway_events(self, SchoolRouter(self.schools))
        # Read on every post: `Client.intents` builds a new object per access.
        self.reads_content = self.intents.message_content
        self.knows_members = self.intents.members
        # Every feature's post check, bound once the extensions are loaded (setup_hook).
        self.screening = Screening()
        self._school_commands: list[Any] | None = None
        self.ready_event = asyncio.Event()
        self._calendar_tasks: list[asyncio.Task[Any]] = []

    # -- the current school ----------------------------------------------------------------

    @property
    def school(self) -> School:
        """The school this event or loop is for; with one school, always that one. Work that
        belongs to no server (a DM from someone in none of the schools' servers) is the first
        school's."""
        return CURRENT.get() or self.schools[0]

    @property
    def app(self) -> App:
        return self.school.app

    @property
    def loaded(self) -> LoadedConfig:
        return self.school.loaded

    @property
    def setup(self) -> ServerSetup:
        return self.school.setup

    @setup.setter
    def setup(self, value: ServerSetup) -> None:
        self.school.setup = value

    @property
    def outbox_wakeup(self) -> asyncio.Event:
        return self.school.outbox_wakeup

    @property
    def school_guild(self) -> discord.Guild | None:
        return self.setup.guild

    def each_school(self) -> Iterator[School]:
        """Each school in turn, current while the loop's body runs (background loops)."""
        for school in self.schools:
            with acting_for(school):
                yield school

    def start_per_school(
        self, run: Callable[[School], Coroutine[Any, Any, Any]], name: str
    ) -> list[asyncio.Task[Any]]:
        """One task per school running `run(school)` with that school current throughout."""
        return start_per_school(self.schools, run, name)

    async def school_of_member(self, user_id: int) -> School | None:
        """The first school whose server has this member (asking Discord when the member
        cache does not know them, e.g. without the Server Members intent); None if none."""
        for school in self.schools:
            guild = school.setup.guild
            if guild is None:
                continue
            if guild.get_member(user_id) is not None:
                return school
            try:
                await guild.fetch_member(user_id)
            except discord.NotFound:
                continue
            except discord.HTTPException as exc:
                log.warning("could not look up member %s in %s: %s", user_id, guild.name, exc)
                continue
            return school
        return None

    def wake_outboxes(self) -> None:
        for school in self.schools:
            school.outbox_wakeup.set()

    async def setup_hook(self) -> None:
        from compass_bot.discord_front.translator import CompassTranslator

        await self.tree.set_translator(CompassTranslator())
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.screening = Screening(post_checks(self, FEATURES))
        self.hide_staff_commands()
        self._calendar_tasks = self.start_per_school(
            lambda _school: self.keep_calendar(), "calendar-refresh"
        )
        for school in self.each_school():
            for note in intent_notes(school.loaded.config):
                log.info("%s%s", f"{school.name}: " if len(self.schools) > 1 else "", note)
        for warning in config_warnings(self.board):  # as `validate-config` says it
            log.warning("%s", warning)

    async def keep_calendar(self, every: float = CALENDAR_CHECK_SECONDS) -> None:
        """The current school's timetable is computed for a span of years at start; a bot
        that runs on past it rebuilds it from the calendar files (`SchoolCalendar.refresh`:
        a broken file keeps the old one, with one line, and is tried at the next look)."""
        while True:
            await asyncio.sleep(every)
            calendar = self.app.calendar
            if calendar.refresh(self.app.clock.now()):
                log.info("the timetable was rebuilt from the calendar files")

    def hide_staff_commands(self) -> None:
        """Staff commands are synced with `default_member_permissions`, so Discord shows them
        only to members with `discord.staff_permission` (admins may widen it per command). This
        is the first lock; each command still checks the member's roles. Discord allows it
        only on top-level commands: a group's subcommands share their group's setting."""
        staff = permissions.staff_commands()
        needed = permissions.staff_permissions(self.board.config)
        for command in self.tree.get_commands(type=discord.AppCommandType.chat_input):
            if command.name in staff:
                command.default_permissions = needed

    def find_guild(self, school: School | None = None) -> discord.Guild | None:
        """The school's server among the bot's (`School.serves`); without `discord.guild`,
        the first server the bot is in."""
        school = school or self.school
        if school.loaded.config.discord.guild is None:
            return self.guilds[0] if self.guilds else None
        return next((g for g in self.guilds if school.serves(g.id, g.name)), None)

    async def on_ready(self) -> None:
        for school in self.each_school():
            await self._ready_in(school)
        self._one_school_per_server()
        names = ", ".join(
            f"{s.setup.guild.name if s.setup.guild else 'no server'}" for s in self.schools
        )
        log.info("ready as %s in %s", self.user, names)
        self.wake_outboxes()
        self.ready_event.set()

    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._server_arrived(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._server_arrived(guild)

    async def _server_arrived(self, guild: discord.Guild) -> None:
        """A school's server that was away at the start (unavailable, or invited later) is
        set up when it comes: found, its commands synced, its waiting alerts sent."""
        if not self.ready_event.is_set():
            return  # on_ready sets up every school that is there
        for school in self.each_school():
            if school.setup.guild is None and self.find_guild(school) is guild:
                await self._ready_in(school)
                self._one_school_per_server()
                school.outbox_wakeup.set()

    def _one_school_per_server(self) -> None:
        """Two schools that name one server (one by id, one by name: the config cannot tell)
        would share its events: the later one is switched off, with one line."""
        taken: dict[int, School] = {}
        for school in self.schools:
            guild = school.setup.guild
            if guild is None:
                continue
            first = taken.setdefault(guild.id, school)
            if first is not school:
                log.warning(
                    "school %s names server %s, which is school %s's; %s is switched off",
                    school.name,
                    guild.name,
                    first.name,
                    school.name,
                )
                school.setup = ServerSetup(problems=[f"the same server as school {first.name}"])

    async def _ready_in(self, school: School) -> None:
        """Find the school's server and what the config names in it, say once which needed
        permission the bot lacks there (`permissions.lacking`); sync its commands."""
        school.setup = resolve_setup(self.find_guild(school), school.loaded)
        for problem in school.setup.problems:
            log.warning("%s", problem)
        guild = school.setup.guild
        lacking = permissions.lacking(school.loaded.config, guild) if guild is not None else []
        if guild is not None and lacking:
            log.warning(
                "the bot's role in %s lacks %s; `python -m compass_bot invite-url` gives "
                "the link with what the enabled features need",
                guild.name,
                ", ".join(lacking),
            )
        if guild is not None and not school.synced and school.loaded.config.discord.sync_commands:
            await self._sync_commands(guild)
            school.synced = True

    async def _sync_commands(self, guild: discord.Guild) -> None:
        """Commands exist only in the schools' servers: copied to each, then dropped from the
        global set, so nothing else can ever be synced or invoked. The global set is kept
        aside for a school whose server comes later."""
        if self._school_commands is None:
            self._school_commands = self.tree.get_commands()
            self.tree.clear_commands(guild=None)
        self.tree.clear_commands(guild=guild)
        for command in self._school_commands:
            self.tree.add_command(command, guild=guild, override=True)
        try:
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d app commands to %s", len(synced), guild.name)
        except discord.HTTPException as exc:
            log.error("could not sync app commands to %s: %s", guild.name, exc)

    async def on_message(self, message: discord.Message, /) -> None:
        """The one listener for posts: every feature's check (`screening.py`); no commands."""
        if (acting := self.screening.screen(self, message, created_at(message), False)) is not None:
            await acting

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent, /) -> None:
        """The one listener for edits, posting anew at the edit's moment. Updates without an
        edit time (link previews, embeds) are not edits by the member."""
        at = payload.message.edited_at
        if at is not None and (acting := self.screening.screen(self, payload.message, at, True)):
            await acting

    def question_in(self, message: discord.Message, setup: ServerSetup | None = None) -> str | None:
        """The question when `message` is addressed to the bot (a DM, a mention, a reply to
        the bot, the questions channel: `addressed.question_in`), else None. Such a post is
        school use: the questions feature answers it and the school-time rule never warns for
        it. `setup`: the school's, when the caller has it (else the current school's)."""
        return question_in(message, self.user, setup or self.setup)

    def school_post(self, message: discord.Message, at: datetime) -> MessagePosted | None:
        """A member's post in the current school's server as the message rules read it, else
        None: the conversion of posts read back after downtime (the screening's is lazy,
        `screening.Post.screened`; the same answer)."""
        school = self.setup.guild
        return member_post(message, at, school.id if school is not None else None)

    def in_school_guild(self, guild: discord.Guild | None) -> bool:
        return (
            guild is not None and self.setup.guild is not None and guild.id == self.setup.guild.id
        )

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.exception("app command failed", exc_info=error)
        text = "Er ging iets mis. Probeer het later opnieuw."
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)

    async def close(self) -> None:
        for task in self._calendar_tasks:
            task.cancel()
        await super().close()
        for school in self.schools:
            await school.app.close()
