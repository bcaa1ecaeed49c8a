"""CompassBot: the discord.py `commands.Bot` that hosts one extension per feature.

The bot holds the app (every feature's service) and the server's resolved config (channels and roles named in
config.yaml, looked up once the server is known). A name the server lacks is reported once,
naming the config key, and only the feature that needs it is switched off.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from compass_bot.app import App
from compass_bot.config import Config, DiscordSettings, LoadedConfig
from compass_bot.discord_front import permissions
from compass_bot.discord_front.convert import member_post
from compass_bot.model import MessagePosted
from compass_bot.refs import Ref, describe_ref, ref_matches
from compass_bot.registry import FEATURES

log = logging.getLogger("compass_bot.discord")

# Every feature's Discord extension, in the registry's order.
EXTENSIONS = tuple(f.discord_extension for f in FEATURES if f.discord_extension)


def needed_permissions(loaded: LoadedConfig) -> discord.Permissions:
    """Exactly what the enabled features declare they need (`python -m compass_bot invite-url`
    prints the invite with these bits)."""
    return permissions.permissions(loaded.config)


def apply_endpoints(settings: DiscordSettings) -> None:
    """Point discord.py at the configured API and gateway (a proxy, or the test fake)."""
    discord.http.Route.BASE = settings.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def intents(settings: DiscordSettings) -> discord.Intents:
    """Guilds, messages and AutoMod hits always; the privileged Server Members (names on join
    and change, the sweep) and Message Content (text rules, the questions channel) only when
    the config keeps them on (`discord.members`, `discord.message_content`)."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.members = settings.members
    wanted.guild_messages = True
    wanted.dm_messages = True
    wanted.message_content = settings.message_content
    wanted.auto_moderation_execution = True  # AutoMod hits become alerts (features/automod)
    return wanted


def privileged_refused(settings: DiscordSettings) -> str:
    """The one line for Discord's 4014: which portal switches this config needs, or how to
    ask for less."""
    asked = [
        label
        for label, on in (
            ("Server Members", settings.members),
            ("Message Content", settings.message_content),
        )
        if on
    ]
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


@dataclass
class ServerSetup:
    """The configured channels and roles as found in the server."""

    guild: discord.Guild | None = None
    moderators_channel: discord.abc.Messageable | None = None
    questions_channel_id: int | None = None
    problems: list[str] = field(default_factory=list)
    disabled: set[str] = field(default_factory=set)


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
    """The bot. Features live in their extensions; policy lives in their services."""

    def __init__(self, loaded: LoadedConfig, app: App, **options: object) -> None:
        # The bot has no voice features; discord.py's warnings about voice libraries are noise.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(loaded.config.discord),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=SchoolTree,
            **options,  # type: ignore[arg-type]
        )
        self.loaded = loaded
        # Read on every post: `Client.intents` builds a new object per access.
        self.reads_content = self.intents.message_content
        self.knows_members = self.intents.members
        self.app = app
        self.setup = ServerSetup()
        # The post the message rules last asked for: every rule's listener reads the same
        # message in turn, so it is converted once (keyed by id, moment and text: an edit is new).
        self._last_post: tuple[tuple[int, datetime, str], MessagePosted | None] | None = None
        self.outbox_wakeup = asyncio.Event()
        self._synced = False
        self.ready_event = asyncio.Event()

    @property
    def school_guild(self) -> discord.Guild | None:
        return self.setup.guild

    async def setup_hook(self) -> None:
        from compass_bot.discord_front.translator import CompassTranslator

        await self.tree.set_translator(CompassTranslator())
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.hide_staff_commands()
        for note in intent_notes(self.loaded.config):
            log.info("%s", note)

    def hide_staff_commands(self) -> None:
        """Staff commands are synced with `default_member_permissions`, so Discord shows them
        only to members with `discord.staff_permission` (admins may widen it per command). This
        is the first lock; each command still checks the member's roles. Discord allows it
        only on top-level commands: a group's subcommands share their group's setting."""
        staff = permissions.staff_commands()
        needed = permissions.staff_permissions(self.loaded.config)
        for command in self.tree.get_commands(type=discord.AppCommandType.chat_input):
            if command.name in staff:
                command.default_permissions = needed

    def find_guild(self) -> discord.Guild | None:
        ref = self.loaded.config.discord.guild
        if ref is None:
            return self.guilds[0] if self.guilds else None
        return next((g for g in self.guilds if ref_matches(ref, g.id, g.name)), None)

    async def on_ready(self) -> None:
        self.setup = resolve_setup(self.find_guild(), self.loaded)
        for problem in self.setup.problems:
            log.warning("%s", problem)
        guild = self.setup.guild
        if guild is not None and guild.me is not None:
            have = guild.me.guild_permissions
            lacking = [
                name
                for name, on in needed_permissions(self.loaded)
                if on and not getattr(have, name)
            ]
            if lacking and not have.administrator:
                log.warning(
                    "the bot's role in %s lacks %s; `python -m compass_bot invite-url` gives "
                    "the link with what the enabled features need",
                    guild.name,
                    ", ".join(lacking),
                )
        if guild is not None and not self._synced and self.loaded.config.discord.sync_commands:
            # Commands exist only in the school's server: copied there, then dropped from the
            # global set, so nothing else can ever be synced or invoked.
            self.tree.copy_global_to(guild=guild)
            self.tree.clear_commands(guild=None)
            try:
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d app commands to %s", len(synced), guild.name)
            except discord.HTTPException as exc:
                log.error("could not sync app commands to %s: %s", guild.name, exc)
            self._synced = True
        log.info("ready as %s in %s", self.user, guild.name if guild else "no server")
        self.outbox_wakeup.set()
        self.ready_event.set()

    async def on_message(self, message: discord.Message, /) -> None:
        """No text commands: the features listen to messages in their own extensions."""

    def question_in(self, message: discord.Message) -> str | None:
        """The question when `message` is addressed to the bot, else None.

        Addressed means a DM, a mention of the bot (or its managed role) typed in the text,
        a reply to one of the bot's messages, or a post in the questions channel (or a thread
        under it). Such a post is school use: the questions feature answers it and the
        school-time rule never warns for it.
        """
        if message.guild is None:
            return message.content.strip()
        pattern = self._mention_pattern(message.guild) if "<@" in message.content else None
        mentioned = pattern is not None and pattern.search(message.content) is not None
        reference = message.reference.resolved if message.reference is not None else None
        replied = (
            isinstance(reference, discord.Message)
            and self.user is not None
            and reference.author.id == self.user.id
        )
        questions_channel = self.setup.questions_channel_id
        # A thread opened under the questions channel is part of it.
        channel_ids = {message.channel.id, getattr(message.channel, "parent_id", None)}
        in_channel = (
            "questions_channel" not in self.setup.disabled
            and questions_channel is not None
            and questions_channel in channel_ids
        )
        if not (mentioned or replied or in_channel):
            return None
        return (pattern.sub(" ", message.content) if pattern else message.content).strip()

    def _mention_pattern(self, guild: discord.Guild) -> re.Pattern[str] | None:
        """The bot's mention, or its managed role's (Discord suggests both when typing @)."""
        if self.user is None:
            return None
        forms = [rf"<@!?{self.user.id}>"]
        role = guild.self_role
        if role is not None:
            forms.append(rf"<@&{role.id}>")
        return re.compile("|".join(forms))

    def school_post(self, message: discord.Message, at: datetime) -> MessagePosted | None:
        """A member's post in the school's server as the message rules read it, else None:
        the one guard every rule's listener shares."""
        key = (message.id, at, message.content)
        if self._last_post is not None and self._last_post[0] == key:
            return self._last_post[1]
        school = self.setup.guild
        post = member_post(message, at, school.id if school is not None else None)
        self._last_post = (key, post)
        return post

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
        await super().close()
        await self.app.close()
