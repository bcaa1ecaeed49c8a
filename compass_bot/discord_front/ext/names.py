"""Account names: check on join and on every name change, sweep the server, approvals."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import warning_embed
from compass_bot.service import NameOutcome, NamesSeen, Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.names")
SWEEP_BATCH = 250
PROGRESS_EVERY_SECONDS = 2.0


def names_seen(member: discord.Member, at: datetime) -> NamesSeen:
    return NamesSeen(
        member=member_of(member),
        at=at,
        username=member.name,
        global_name=member.global_name,
        nick=member.nick,
        guild_id=member.guild.id,
    )


def current_names(member: discord.Member) -> list[str]:
    return [n for n in (member.name, member.global_name, member.nick) if n]


class Names(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._sweeping = False

    async def check(self, member: discord.Member) -> NameOutcome:
        outcome = await self.bot.service.names_seen(names_seen(member, datetime.now(UTC)))
        if outcome.alert is not None:
            self.bot.outbox_wakeup.set()
        if outcome.warning is not None:
            try:
                await member.send(embed=warning_embed(outcome.warning))
            except discord.HTTPException as exc:
                # DMs closed: the moderators' alert still goes out; nothing to post publicly.
                log.info("could not DM member %s about their name: %s", member.id, exc)
        if outcome.reset_nickname:
            await self.reset_nickname(member)
        return outcome

    async def reset_nickname(self, member: discord.Member) -> None:
        me = member.guild.me
        if not me.guild_permissions.manage_nicknames:
            log.warning("names.reset_nickname is on, but the bot lacks Manage Nicknames")
            return
        if member.top_role >= me.top_role or member.id == member.guild.owner_id:
            log.warning(
                "cannot reset the nickname of %s: their role is not below the bot's", member.id
            )
            return
        try:
            await member.edit(nick=None, reason="Protocol sociale media, aanwijzing 2")
        except discord.HTTPException as exc:
            log.warning("could not reset the nickname of %s: %s", member.id, exc)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        if self.bot.in_school_guild(member.guild) and self.bot.loaded.config.names.check_on_join:
            await self.check(member)

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if not self.bot.in_school_guild(after.guild):
            return
        if (before.nick, before.name, before.global_name) != (
            after.nick,
            after.name,
            after.global_name,
        ):
            await self.check(after)

    @commands.Cog.listener()
    async def on_user_update(self, before: discord.User, after: discord.User) -> None:
        guild = self.bot.school_guild
        if guild is None or (before.name, before.global_name) == (after.name, after.global_name):
            return
        member = guild.get_member(after.id)
        if member is not None:
            await self.check(member)

    @app_commands.command(
        name=_("naamcontrole"), description=_("Controleer de namen van alle leden")
    )
    async def naamcontrole(self, interaction: discord.Interaction) -> None:
        actor = member_of(interaction.user)
        service = self.bot.service
        if not (service.has(actor, "moderator") or service.has(actor, "leadership")):
            await interaction.response.send_message(
                "Alleen moderatoren en de schoolleiding kunnen dit.", ephemeral=True
            )
            return
        guild = interaction.guild
        if guild is None or self._sweeping:
            text = (
                "Er loopt al een naamcontrole."
                if self._sweeping
                else "Dit werkt alleen in de server."
            )
            await interaction.response.send_message(text, ephemeral=True)
            return
        self._sweeping = True
        try:
            await interaction.response.send_message(
                f"Naamcontrole gestart: {guild.member_count or len(guild.members)} leden…",
                ephemeral=True,
            )
            members = list(guild.members)
            hits, last_progress = 0, time.monotonic()
            now = datetime.now(UTC)
            for index, member in enumerate(members, 1):
                if member.bot:
                    continue
                flagged, uncertain = service.check_names(names_seen(member, now))
                if flagged or uncertain:
                    hits += 1
                    await self.check(member)
                if index % SWEEP_BATCH == 0:
                    await asyncio.sleep(0)  # let the bot breathe between batches
                    if time.monotonic() - last_progress > PROGRESS_EVERY_SECONDS:
                        last_progress = time.monotonic()
                        await interaction.edit_original_response(
                            content=f"Naamcontrole: {index}/{len(members)} leden, {hits} gevonden…"
                        )
            await interaction.edit_original_response(
                content=f"Naamcontrole klaar: {len(members)} leden gecontroleerd, {hits} met een naam om te bekijken."
            )
        finally:
            self._sweeping = False

    naam = app_commands.Group(
        name=_("naam"), description=_("Goedgekeurde accountnamen met Compass (schoolleiding)")
    )

    @naam.command(
        name=_("goedkeuren"), description=_("Goedgekeurde accountnamen met Compass (schoolleiding)")
    )
    async def goedkeuren(self, interaction: discord.Interaction, lid: discord.Member) -> None:
        result = await self.bot.service.approve_names(
            member_of(interaction.user), lid.id, current_names(lid), datetime.now(UTC)
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        names = ", ".join(f"`{discord.utils.escape_markdown(a.name)}`" for a in result)
        await interaction.response.send_message(
            f"Goedgekeurd voor {lid.mention}: {names}", ephemeral=True
        )

    @naam.command(
        name=_("lijst"), description=_("Goedgekeurde accountnamen met Compass (schoolleiding)")
    )
    async def lijst(self, interaction: discord.Interaction) -> None:
        result = await self.bot.service.approved_names(member_of(interaction.user))
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        lines = [f"<@{a.member_id}>: `{discord.utils.escape_markdown(a.name)}`" for a in result]
        await interaction.response.send_message(
            "\n".join(lines)[:1900] or "Geen goedgekeurde namen.", ephemeral=True
        )

    @naam.command(
        name=_("intrekken"), description=_("Goedgekeurde accountnamen met Compass (schoolleiding)")
    )
    async def intrekken(self, interaction: discord.Interaction, lid: discord.Member) -> None:
        result = await self.bot.service.revoke_names(
            member_of(interaction.user), lid.id, datetime.now(UTC)
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(
            f"{result} goedkeuring(en) van {lid.mention} ingetrokken.", ephemeral=True
        )
        await self.check(lid)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(Names(bot))
