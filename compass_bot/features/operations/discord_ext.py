"""`/status` on Discord: the figures of `python -m compass_bot status` for moderators and
leadership, ephemeral (hidden from students by `default_member_permissions`; the role
check here is the second lock)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import member_of
from compass_bot.features.operations import texts
from compass_bot.features.operations.service import OperationsService
from compass_bot.ops import OpsError, PrivilegedIntents

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.operations")


class Operations(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    @app_commands.command(
        name=_("status"),
        description=_(
            "De stand van de bot (moderatoren, schoolleiding)",
            en="The bot's status (moderators, leadership)",
        ),
    )
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        service = self.bot.app[OperationsService]
        refusal = service.refusal(member_of(interaction.user))
        if refusal is not None:
            await interaction.response.send_message(refusal.message, ephemeral=True)
            return
        # Reading the database may wait on a busy writer longer than Discord's 3 seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild = self.bot.school_guild
        # The intents the bot identified with, not the config's wish: what Discord gives it.
        given = self.bot.intents
        intents = PrivilegedIntents(given.message_content, given.members)
        try:
            status = await service.status([guild.name] if guild is not None else [], intents)
        except OpsError as exc:
            log.warning("/status: %s", exc)  # the path and the error stay in the log
            text = texts.UNREADABLE_IN_DISCORD
        else:
            text = texts.status_text(status, self.bot.app.calendar.timetable.tz)
        await interaction.followup.send(text, ephemeral=True)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(Operations(bot))
