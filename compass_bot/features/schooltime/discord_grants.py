"""School time's permission grants in Discord: /toestemming for teachers, the students a grant
covers told, the teacher told when the end of the school day cut a grant short."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from compass_bot.discord_front.convert import channel_info, find_member, member_of
from compass_bot.discord_front.warn import paced_dm
from compass_bot.features.schooltime import texts
from compass_bot.features.schooltime.rules_grants import PermissionGrant
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Refusal, Role
from compass_bot.texts import for_count

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.schooltime")
LIST_LIMIT = 1900
PICK_ONE_TARGET = (
    "Kies precies één: een leerling, een klas (rol) of een kanaal. / "
    "Pick exactly one: a student, a class (role) or a channel."
)
NOT_EVERYONE = (
    "Kies een klas-rol: @everyone is iedereen in de server. Mag de hele groep het nu, geef dan "
    "toestemming voor het kanaal. (Pick a class role, not @everyone; for everyone, pick the "
    "channel.)"
)
DMS_CLOSED = (
    "{who} heeft DM's dicht en weet het dus nog niet: zeg het even zelf. "
    "(DMs closed: please tell them yourself.)"
)
ROLE_TOO_BIG = (
    "{role} heeft {count} leden: dat is geen klas, dus niemand kreeg een DM; zeg het zelf. "
    "({count} members is not a class, so no one was messaged: please tell them yourself.)"
)
ROLE_SOME_CLOSED = (
    "{closed} van de {count} leden van {role} heeft/hebben DM's dicht en weet/weten het nog "
    "niet. ({closed} of {count} has/have DMs closed.)"
)
ROLE_UNKNOWN = (
    "Zonder de Server Members-intent kent de bot de leden van {role} niet, dus niemand kreeg "
    "een DM; zeg het zelf. (Without the Server Members intent the bot does not know the "
    "class's members: please tell them yourself.)"
)
ROLE_NOTICE_LIMIT = 60
"""A class is told by DM; a role larger than this is not a class, and no one is messaged."""
END_NOTICE_SECONDS = 60.0


class PermissionGrants(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.tell_cut_grants.start()

    async def cog_unload(self) -> None:
        self.tell_cut_grants.cancel()

    # -- /toestemming --------------------------------------------------------------------------

    toestemming = app_commands.Group(
        name=_("toestemming"),
        description=_("Toestemming voor sociale media onder schooltijd (docenten)"),
        guild_only=True,
    )

    def _describe(self, grant: PermissionGrant) -> str:
        """One grant for a teacher's eyes: number, target (as a mention), when, reason."""
        target = {
            "member": f"<@{grant.target_id}>",
            "role": f"<@&{grant.target_id}>",
            "channel": f"<#{grant.target_id}>",
        }[grant.scope]
        when = self.bot.app[SchoolTimeService].when(grant, self.bot.app.clock.now())[0]
        reason = f" ({discord.utils.escape_markdown(grant.reason)})" if grant.reason else ""
        return f"#{grant.id} {target} {when}{reason}"

    @staticmethod
    def _target_name(grant: PermissionGrant, guild: discord.Guild | None) -> str:
        """A grant's target as plain text (autocomplete choices and DMs cannot render
        a server's mentions)."""
        name: str | None = None
        if guild is not None:
            if grant.scope == "member":
                member = guild.get_member(grant.target_id)
                name = member.display_name if member else None
            elif grant.scope == "role":
                role = guild.get_role(grant.target_id)
                name = f"@{role.name}" if role else None
            else:
                channel = guild.get_channel_or_thread(grant.target_id)
                name = f"#{channel.name}" if channel else None
        return name or str(grant.target_id)

    def _plain_label(self, grant: PermissionGrant, guild: discord.Guild | None) -> str:
        when = self.bot.app[SchoolTimeService].when(grant, self.bot.app.clock.now())[0]
        reason = f" ({grant.reason})" if grant.reason else ""
        return f"#{grant.id} {self._target_name(grant, guild)} {when}{reason}"[:100]

    @toestemming.command(
        name=_("geven"),
        description=_("Geef toestemming aan een leerling, een klas (rol) of een kanaal"),
    )
    @app_commands.describe(
        leerling=_("De leerling die toestemming krijgt", en="The student who gets permission"),
        klas=_("De klas (rol) die toestemming krijgt", en="The class (role) that gets permission"),
        kanaal=_(
            "Het kanaal (of de categorie) waarin iedereen toestemming krijgt",
            en="The channel (or category) where everyone gets permission",
        ),
        minuten=_(
            "Hoe lang (standaard 50 minuten, nooit na het einde van de schooldag)",
            en="How long (default 50 minutes, never past the end of the school day)",
        ),
        reden=_("Waarom, bijvoorbeeld: projectwerk", en="Why, e.g.: project work"),
        begint=_(
            "Later beginnen: 13:30, morgen 8:30 of maandag 10:00",
            en="Start later: 13:30, tomorrow 8:30 or Monday 10:00",
        ),
    )
    async def geven(
        self,
        interaction: discord.Interaction,
        leerling: discord.Member | None = None,
        klas: discord.Role | None = None,
        kanaal: discord.TextChannel | discord.CategoryChannel | discord.Thread | None = None,
        minuten: app_commands.Range[int, 1, 600] | None = None,
        reden: app_commands.Range[str, 1, 200] | None = None,
        begint: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        """Exactly one target; the service checks the role and caps the end at school's end.
        Those the grant covers are told: a DM to the student or the class, a line in the
        channel for a channel grant."""
        targets = [t for t in (leerling, klas, kanaal) if t is not None]
        if len(targets) != 1:
            await interaction.response.send_message(PICK_ONE_TARGET, ephemeral=True)
            return
        if klas is not None and klas.is_default():  # members' roles never list @everyone
            await interaction.response.send_message(NOT_EVERYONE, ephemeral=True)
            return
        scope: Literal["member", "role", "channel"]
        target_roles: tuple[Role, ...] = ()  # the service refuses a grant to staff
        if leerling is not None:
            scope, target_id, label = "member", leerling.id, str(leerling)
            target_roles = member_of(leerling).roles
        elif klas is not None:
            scope, target_id, label = "role", klas.id, klas.name
            target_roles = ((klas.id, klas.name),)
        else:
            assert kanaal is not None
            scope, target_id, label = "channel", kanaal.id, kanaal.name
        service = self.bot.app[SchoolTimeService]
        now = self.bot.app.clock.now()
        result = await service.grant_permission(
            member_of(interaction.user),
            scope,
            target_id,
            label,
            now,
            minuten,
            reden,
            begint,
            target_roles=target_roles,
            # a category's grant covers its channels: only a channel itself is checked
            target_channel=(
                None
                if kanaal is None or isinstance(kanaal, discord.CategoryChannel)
                else channel_info(kanaal)
            ),
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        summary = self._describe(result)
        if note := service.cut_note(result, minuten, reden):
            summary += f". {note}"
        await interaction.response.send_message(f"Toestemming gegeven: {summary}", ephemeral=True)
        await self._tell_covered(interaction, result, service.covered_notice(result, now))

    async def _tell_covered(
        self, interaction: discord.Interaction, grant: PermissionGrant, notice: str
    ) -> None:
        """Those a grant covers hear of it (given or revoked): a DM to the student or to each
        student of the class, a line in the channel for a channel grant."""
        guild = interaction.guild
        if guild is None:
            return
        if grant.scope == "member":
            student = await find_member(guild, grant.target_id)
            if student is not None and not await paced_dm(self.bot, student, notice):
                await interaction.followup.send(
                    DMS_CLOSED.format(who=student.mention), ephemeral=True
                )
        elif grant.scope == "role":
            if (klas := guild.get_role(grant.target_id)) is not None:
                await self._tell_class(interaction, klas, notice)
        else:
            channel = guild.get_channel_or_thread(grant.target_id)
            if isinstance(channel, discord.TextChannel | discord.Thread):
                try:
                    await channel.send(notice, allowed_mentions=discord.AllowedMentions.none())
                except discord.HTTPException as exc:
                    log.warning("could not tell #%s of grant #%s: %s", channel.name, grant.id, exc)

    async def _tell_class(
        self, interaction: discord.Interaction, klas: discord.Role, notice: str
    ) -> None:
        """A DM to each student of a class; a role too big to be a class gets none, and the
        teacher hears who could not be told."""
        if not self.bot.knows_members:  # the class's members are not known to the bot
            await interaction.followup.send(ROLE_UNKNOWN.format(role=klas.mention), ephemeral=True)
            return
        students = [m for m in klas.members if not m.bot]
        if len(students) > ROLE_NOTICE_LIMIT:
            await interaction.followup.send(
                ROLE_TOO_BIG.format(role=klas.mention, count=len(students)), ephemeral=True
            )
            return
        closed = sum([not await paced_dm(self.bot, member, notice) for member in students])
        if closed:
            await interaction.followup.send(
                for_count(ROLE_SOME_CLOSED, closed).format(
                    role=klas.mention, closed=closed, count=len(students)
                ),
                ephemeral=True,
            )

    @tasks.loop(seconds=END_NOTICE_SECONDS)
    async def tell_cut_grants(self) -> None:
        for _school in self.bot.each_school():
            await self._tell_cut_grants()

    async def _tell_cut_grants(self) -> None:
        """DM each teacher whose grant the end of the school day has just cut short. A grant
        is marked told only once its teacher was reached or cannot be (left the server, DMs
        closed); a storage error skips one round, never stops the loop."""
        guild = self.bot.school_guild
        if guild is None:
            return  # not connected to the school yet: the next round tells
        service = self.bot.app[SchoolTimeService]
        now = self.bot.app.clock.now()
        try:
            ended = await service.cut_short_ended(now)
        except Exception as exc:  # storage trouble is reported by the store's own paths
            log.warning("could not read the grants that ended: %s", exc)
            return
        for grant in ended:
            try:
                await self._tell_teacher(guild, grant)
                await service.end_told(grant.id, now)
            except Exception as exc:
                log.warning("could not tell the teacher of grant #%s: %s", grant.id, exc)

    @tell_cut_grants.before_loop
    async def _until_ready(self) -> None:
        await self.bot.ready_event.wait()  # the server's members are known by then

    async def _tell_teacher(self, guild: discord.Guild, grant: PermissionGrant) -> None:
        service = self.bot.app[SchoolTimeService]
        notice = service.end_notice(grant, self._target_name(grant, guild))
        teacher = await find_member(guild, grant.granted_by)
        if teacher is None:
            log.info("grant #%s was cut short; its teacher left the server", grant.id)
            return
        if not await paced_dm(self.bot, teacher, notice):
            log.info("grant #%s was cut short; its teacher has DMs closed", grant.id)

    @toestemming.command(
        name=_("lijst"),
        description=_("De toestemmingen die nu gelden", en="The permissions in force now"),
    )
    async def lijst(self, interaction: discord.Interaction) -> None:
        result = self.bot.app[SchoolTimeService].list_permissions(
            member_of(interaction.user), self.bot.app.clock.now()
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        lines: list[str] = []
        size = 0
        for grant in result:
            line = self._describe(grant)
            if size + len(line) + 1 > LIST_LIMIT:
                lines.append(texts.MORE_GRANTS.format(more=len(result) - len(lines)))
                break
            lines.append(line)
            size += len(line) + 1
        text = "\n".join(lines) or texts.NO_ACTIVE_GRANTS
        await interaction.response.send_message(text, ephemeral=True)

    @toestemming.command(
        name=_("intrekken"), description=_("Trek een toestemming in", en="Revoke a permission")
    )
    @app_commands.describe(
        nummer=_(
            "Het nummer van de toestemming (zie /toestemming lijst)",
            en="The permission's number (see /permission list)",
        )
    )
    async def intrekken(self, interaction: discord.Interaction, nummer: int) -> None:
        result = await self.bot.app[SchoolTimeService].revoke_permission(
            member_of(interaction.user), nummer, self.bot.app.clock.now()
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(
            texts.REVOKED_DESCRIBED.format(grant=self._describe(result)), ephemeral=True
        )
        service = self.bot.app[SchoolTimeService]
        await self._tell_covered(
            interaction, result, service.revoked_notice(result, self.bot.app.clock.now())
        )

    @intrekken.autocomplete("nummer")
    async def _nummer_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """The active grants, for teachers only (others would only see a refusal)."""
        result = self.bot.app[SchoolTimeService].list_permissions(
            member_of(interaction.user), self.bot.app.clock.now()
        )
        if isinstance(result, Refusal):
            return []
        needle = current.strip().lstrip("#").casefold()
        choices = []
        for grant in result:
            label = self._plain_label(grant, interaction.guild)
            if needle in label.casefold():
                choices.append(app_commands.Choice(name=label, value=grant.id))
        return choices[:25]
