"""Account names: check on join and on every name change, sweep the server, approvals."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import find_member, member_of
from compass_bot.discord_front.embeds import warning_embed
from compass_bot.discord_front.once import SaidOnce
from compass_bot.discord_front.pacing import dm_pacer
from compass_bot.features.alerts.discord_ext import AlertAction, add_alert_action
from compass_bot.features.alerts.model import Alert
from compass_bot.features.names import texts
from compass_bot.features.names.rules import CLAUSE_ID
from compass_bot.features.names.service import NameOutcome, NameService, NamesSeen
from compass_bot.model import Member, Refusal
from compass_bot.texts import counted

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.screening import Post, PostAction

log = logging.getLogger("compass_bot.discord.names")
# The sweep gives the event loop a turn after this many members or this much time, whichever
# comes first, so the bot keeps answering while it checks a large server.
SWEEP_BATCH = 250
SWEEP_SLICE_SECONDS = 0.01
# Progress on servers of at least PROGRESS_MIN_STEP members: about PROGRESS_UPDATES edits of
# the ephemeral reply, and at least one every PROGRESS_EVERY_SECONDS when the sweep is slow.
PROGRESS_MIN_STEP = 1000
PROGRESS_UPDATES = 5
PROGRESS_EVERY_SECONDS = 2.0
MAX_REPLY = 1900

NameKey = tuple[str, str | None, str | None]


def names_seen(member: discord.Member, at: datetime) -> NamesSeen:
    return NamesSeen(
        member=member_of(member),
        at=at,
        username=member.name,
        global_name=member.global_name,
        nick=member.nick,
        guild_id=member.guild.id,
    )


def name_key(member: discord.Member) -> NameKey:
    """The three names the rule looks at: username, global display name, server nickname."""
    return (member.name, member.global_name, member.nick)


def current_names(member: discord.Member) -> list[str]:
    return [n for n in name_key(member) if n]


def code(name: str) -> str:
    """A name shown exactly as it is: inside a code span markdown is not read, so no escapes
    (they would show as backslashes); a backtick in the name would end the span."""
    return "`" + name.replace("`", "\u02cb") + "`"


SWEEP_NEEDS_MEMBERS = (
    "De naamcontrole staat uit: de bot vraagt Discord niet om de ledenlijst (Server Members "
    "uit). Namen worden gecontroleerd als een lid iets plaatst of een opdracht gebruikt. / "
    "The name sweep is off: the bot does not ask Discord for the member list (Server Members "
    "off). Names are checked when a member posts or uses a command."
)


class NicknameReset:
    """`names.reset_nickname`: clear a flagged member's server nickname, when Discord lets
    the bot. Without Manage Nicknames every flagged member would fail alike: that is said
    once per server (until the bot has it again); the DM and the alert go out all the same."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._lacking = SaidOnce()  # servers logged as "lacks Manage Nicknames"

    async def reset(self, member: discord.Member) -> None:
        if member.nick is None:
            return
        guild = member.guild
        me = guild.me
        if not me.guild_permissions.manage_nicknames:
            self._cannot(guild, "the bot lacks Manage Nicknames")
            return
        if member.id == guild.owner_id or member.top_role >= me.top_role:
            log.warning(
                "cannot reset the nickname of %s: their role is not below the bot's (or they "
                "own the server)",
                member.id,
            )
            return
        try:
            # nick null resets it (discord.py's Member.edit would send an empty string)
            await self.bot.http.edit_member(
                guild.id, member.id, nick=None, reason="Protocol sociale media, aanwijzing 2"
            )
        except discord.Forbidden as exc:  # the cache was behind: refused all the same
            self._cannot(guild, f"{exc.status} {exc.text}")
        except discord.HTTPException as exc:
            log.warning("could not reset the nickname of %s: %s", member.id, exc)
        else:
            self._lacking.back(guild.id)

    def _cannot(self, guild: discord.Guild, reason: str) -> None:
        if self._lacking.first(guild.id):
            log.warning(
                "names.reset_nickname is on, but nicknames in %s cannot be reset (%s); "
                "the members are told and the moderators alerted only",
                guild.name,
                reason,
            )


class Names(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        # The servers where a sweep runs now (one at a time per school).
        self._sweeping: set[int] = set()
        # The names last checked per member and server: one GUILD_MEMBER_UPDATE can fire both
        # on_user_update and on_member_update, and must be checked (and counted) once; a
        # member of two schools' servers is checked by each school's own rule.
        self._checked: dict[tuple[int, int], NameKey] = {}
        self.nicknames = NicknameReset(bot)

    async def check(self, member: discord.Member) -> NameOutcome:
        """Check one member's names; tell the member and the moderators about a breach.

        The DM goes through the shared DM pacer: at once while it has room, otherwise in
        the background, so a sweep with many hits is not held up by the pace of its DMs.
        """
        self._checked[member.guild.id, member.id] = name_key(member)
        outcome = await self.bot.app[NameService].names_seen(
            names_seen(member, self.bot.app.clock.now())
        )
        if outcome.alert is not None or outcome.settled:
            self.bot.outbox_wakeup.set()
        if outcome.warning is not None:
            pacer = dm_pacer(self.bot, self.bot.loaded.config.alerts.dms_per_minute)
            embed = warning_embed(outcome.warning)
            if not pacer.try_take():
                # no member id in the log line: it would tie a member to a name flag
                pacer.later(lambda: member.send(embed=embed), "a name DM")
            else:
                try:
                    await member.send(embed=embed)
                except discord.HTTPException as exc:
                    # DMs closed: the moderators' alert still goes out; nothing to post publicly.
                    log.info("could not DM member %s about their name: %s", member.id, exc)
        if outcome.reset_nickname:
            await self.nicknames.reset(member)
        return outcome

    async def names_changed(self, member: discord.Member) -> None:
        """A name may have changed: check the member unless these names were just checked."""
        if self.needs_check(member):
            await self.check(member)

    def needs_check(self, member: discord.Member) -> bool:
        """In memory: a member of the school's server whose names were not just checked."""
        if member.bot or not self.bot.in_school_guild(member.guild):
            return False
        return self._checked.get((member.guild.id, member.id)) != name_key(member)

    # Without the Server Members intent Discord sends no joins or name changes: a member's
    # names are then checked when they post or use a command (each carries the member).

    def check_post(self, post: Post) -> PostAction | None:
        """The screening's check (`Feature.post_check`) of a new post: its author's names,
        when they may have changed unseen (no Server Members intent)."""
        if self.bot.knows_members or post.edited:
            return None
        author = post.message.author
        if not isinstance(author, discord.Member) or not self.needs_check(author):
            return None
        return self.check(author)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if not self.bot.knows_members and isinstance(interaction.user, discord.Member):
            await self.names_changed(interaction.user)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if member.bot or not self.bot.in_school_guild(member.guild):
            return
        if self.bot.loaded.config.names.check_on_join:
            await self.check(member)

    @commands.Cog.listener()
    async def on_member_remove(self, member: discord.Member) -> None:
        self._checked.pop((member.guild.id, member.id), None)

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        # before and after share their User: username and display-name changes show up in
        # on_user_update; here only the server nickname can differ.
        if before.nick != after.nick:
            await self.names_changed(after)

    @commands.Cog.listener()
    async def on_user_update(self, before: discord.User, after: discord.User) -> None:
        """A username or display name is one for all servers, and discord.py tells it once
        (for whichever server's update came first): every school checks its member."""
        if (before.name, before.global_name) == (after.name, after.global_name):
            return
        for _school in self.bot.each_school():
            guild = self.bot.school_guild
            member = guild.get_member(after.id) if guild is not None else None
            if member is not None:
                await self.names_changed(member)

    # -- /naamcontrole ---------------------------------------------------------------------

    @app_commands.command(
        name=_("naamcontrole"), description=_("Controleer de namen van alle leden")
    )
    async def naamcontrole(self, interaction: discord.Interaction) -> None:
        actor = member_of(interaction.user)
        service = self.bot.app[NameService]
        refused = service.may_check_names(actor)
        if refused is not None:
            await interaction.response.send_message(refused.message, ephemeral=True)
            return
        if not self.bot.knows_members:
            await interaction.response.send_message(SWEEP_NEEDS_MEMBERS, ephemeral=True)
            return
        guild = interaction.guild
        busy = guild is not None and guild.id in self._sweeping
        if guild is None or not self.bot.in_school_guild(guild) or busy:
            text = texts.SWEEP_BUSY if busy else texts.ONLY_IN_SCHOOL
            await interaction.response.send_message(text, ephemeral=True)
            return
        self._sweeping.add(guild.id)
        try:
            await self._sweep(interaction, guild)
        finally:
            self._sweeping.discard(guild.id)

    async def _sweep(self, interaction: discord.Interaction, guild: discord.Guild) -> None:
        """Check every member in slices, showing progress, while the bot keeps running."""
        service = self.bot.app[NameService]
        if guild.chunked:
            expected = sum(1 for m in guild.members if not m.bot)
        else:
            expected = guild.member_count or len(guild.members)
        await interaction.response.send_message(texts.sweep_started(expected), ephemeral=True)
        if not guild.chunked:
            await guild.chunk()
        members = [m for m in guild.members if not m.bot]
        total = len(members)
        step = max(PROGRESS_MIN_STEP, -(-total // PROGRESS_UPDATES))
        hits = 0
        now = self.bot.app.clock.now()
        last_yield = last_progress = self.bot.app.clock.monotonic()
        for index, member in enumerate(members, 1):
            flagged, uncertain = service.check_names(names_seen(member, now))
            if flagged or uncertain:
                hits += 1
                await self.check(member)
            if index == total:
                break
            clock = self.bot.app.clock.monotonic()
            if index % SWEEP_BATCH == 0 or clock - last_yield > SWEEP_SLICE_SECONDS:
                await asyncio.sleep(0)  # let the bot handle other events
                last_yield = self.bot.app.clock.monotonic()
            if index % step == 0 or clock - last_progress > PROGRESS_EVERY_SECONDS:
                last_progress = clock
                await self._show(interaction, texts.sweep_progress(index, total, hits))
        await self._show(interaction, texts.sweep_done(total, hits))

    @staticmethod
    async def _show(interaction: discord.Interaction, text: str) -> None:
        """Edit the sweep's reply; a failed edit (token expired after 15 min) ends nothing."""
        try:
            await interaction.edit_original_response(content=text)
        except discord.HTTPException as exc:
            log.warning("could not show the name sweep's progress: %s", exc)

    # -- /naam goedkeuren, lijst, intrekken -------------------------------------------------

    naam = app_commands.Group(
        name=_("naam"), description=_("Goedgekeurde accountnamen met Compass (schoolleiding)")
    )

    def _cached(self, interaction: discord.Interaction, lid: discord.Member) -> discord.Member:
        """The member as the bot's cache has them now (the option's copy may lag behind)."""
        guild = interaction.guild
        cached = guild.get_member(lid.id) if guild is not None else None
        return cached or lid

    @naam.command(
        name=_("goedkeuren"),
        description=_(
            "Keur de huidige namen van een lid goed, precies zoals ze zijn",
            en="Approve a member's current names exactly as they are",
        ),
    )
    @app_commands.describe(lid=_("Het lid", en="The member"))
    async def goedkeuren(self, interaction: discord.Interaction, lid: discord.Member) -> None:
        member = self._cached(interaction, lid)
        actor = member_of(interaction.user)
        now = self.bot.app.clock.now()
        names = current_names(member)
        result = await self.bot.app[NameService].approve_names(actor, member.id, names, now)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        shown = ", ".join(code(a.name) for a in result)  # what is stored: the names with Compass
        await interaction.response.send_message(
            f"Goedgekeurd voor {member.mention}: {shown}"[:MAX_REPLY], ephemeral=True
        )
        self._checked[member.guild.id, member.id] = name_key(member)
        self.bot.outbox_wakeup.set()  # settled name alerts are re-delivered to show it
        await self.tell_approved(member)

    async def tell_approved(self, member: discord.Member) -> None:
        """The member hears that the leadership approved their name (best effort)."""
        await tell(self.bot, member, texts.APPROVED_DM, "approval")

    @naam.command(
        name=_("lijst"),
        description=_("Alle goedgekeurde namen", en="All approved names"),
    )
    async def lijst(self, interaction: discord.Interaction) -> None:
        result = await self.bot.app[NameService].approved_names(member_of(interaction.user))
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        tz = self.bot.app.calendar.timetable.tz
        lines: list[str] = []
        size = 0
        for index, approved in enumerate(result):
            line = (
                f"<@{approved.member_id}>: {code(approved.name)} · door <@{approved.approved_by}>"
                f" op {approved.approved_at.astimezone(tz):%d-%m-%Y %H:%M}"
            )
            if size + len(line) + 1 > MAX_REPLY:
                lines.append(f"… en nog {len(result) - index}.")
                break
            lines.append(line)
            size += len(line) + 1
        await interaction.response.send_message(
            "\n".join(lines) or texts.NO_APPROVED_NAMES, ephemeral=True
        )

    @naam.command(
        name=_("intrekken"),
        description=_(
            "Trek de goedkeuring van de namen van een lid in",
            en="Revoke the approval of a member's names",
        ),
    )
    @app_commands.describe(lid=_("Het lid", en="The member"))
    async def intrekken(self, interaction: discord.Interaction, lid: discord.Member) -> None:
        member = self._cached(interaction, lid)
        result = await self.bot.app[NameService].revoke_names(
            member_of(interaction.user), member.id, self.bot.app.clock.now()
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(
            f"{counted(result, 'goedkeuring(en)')} van {member.mention} ingetrokken.",
            ephemeral=True,
        )
        if not member.bot:
            if result:  # told first: the check below may add the warning about the name
                await tell(self.bot, member, texts.REVOKED_DM, "revocation")
            await self.check(member)  # without the approval the names may break the rule again


async def tell(bot: CompassBot, member: discord.Member, text: str, what: str) -> None:
    """A DM about the member's name from the leadership's decision (best effort, paced)."""
    pacer = dm_pacer(bot, bot.loaded.config.alerts.dms_per_minute)
    if not pacer.try_take():
        pacer.later(lambda: member.send(text), f"{what} DM to {member.id}")
        return
    try:
        await member.send(text)
    except discord.HTTPException as exc:
        log.info("could not send member %s the %s DM: %s", member.id, what, exc)


async def approve_from_alert(
    bot: CompassBot,
    interaction: discord.Interaction,
    actor: Member,
    alert_id: int,
    now: datetime,
) -> Alert | Refusal:
    """ "Naam goedkeuren" under a name alert: the member's names as the server has them now."""
    stored = await bot.app.alerts.repo.alert(alert_id)
    guild = interaction.guild
    member = await find_member(guild, stored.member_id) if guild and stored else None
    names = [n for n in (member.name, member.global_name, member.nick) if n] if member else []
    if stored is not None and member is None:
        return Refusal(
            "Dit lid is niet (meer) in de server; er is niets goed te keuren. / "
            "This member is not in the server (any more); there is nothing to approve."
        )
    result = await bot.app[NameService].approve_from_alert(actor, alert_id, names, now)
    cog = bot.get_cog("Names")
    if member is not None and not isinstance(result, Refusal) and isinstance(cog, Names):
        await cog.tell_approved(member)
    return result


async def setup(bot: CompassBot) -> None:
    add_alert_action(
        "approve",
        AlertAction(
            CLAUSE_ID,
            "Naam goedkeuren",
            discord.ButtonStyle.primary,
            "approve_names",
            approve_from_alert,
        ),
    )
    await bot.add_cog(Names(bot))
