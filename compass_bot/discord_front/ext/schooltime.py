"""School time: posts in social channels during lessons, and teachers' permission grants."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import channel_info, member_of
from compass_bot.discord_front.embeds import warning_embed
from compass_bot.rules.schooltime import PermissionGrant
from compass_bot.service import MessagePosted, Refusal, Warning

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.schooltime")
FALLBACK_SECONDS = 30.0
DM_CLOSED = 50007


class SchoolTime(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Judge a post by when it was written (its own timestamp), not by the clock."""
        if (
            message.author.bot
            or message.guild is None
            or not self.bot.in_school_guild(message.guild)
        ):
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        channel = channel_info(message.channel)
        if channel is None:
            return
        event = MessagePosted(
            member=member_of(message.author),
            channel=channel,
            at=message.created_at,
            content=message.content,
            message_id=message.id,
            guild_id=message.guild.id,
        )
        verdict = self.bot.service.judge(event)
        if verdict.allowed:
            return
        outcome = await self.bot.service.message_posted(event, verdict)
        if outcome.alert is not None:
            self.bot.outbox_wakeup.set()
        if outcome.warning is not None:
            await self.warn(message, outcome.warning)
        if outcome.delete_post:
            try:
                await message.delete()
            except discord.HTTPException as exc:
                log.warning("could not delete post %s in #%s: %s", message.id, channel.name, exc)

    async def warn(self, message: discord.Message, warning: Warning) -> None:
        try:
            await message.author.send(embed=warning_embed(warning))
        except discord.Forbidden:
            # DMs closed: a short reply in the channel that removes itself.
            try:
                await message.channel.send(
                    warning.fallback,
                    delete_after=FALLBACK_SECONDS,
                    reference=message.to_reference(fail_if_not_exists=False),
                )
            except discord.HTTPException as exc:
                log.warning("could not warn %s in the channel either: %s", message.author.id, exc)
        except discord.HTTPException as exc:
            log.warning("could not DM a warning to %s: %s", message.author.id, exc)

    toestemming = app_commands.Group(
        name=_("toestemming"),
        description=_("Toestemming voor sociale media onder schooltijd (docenten)"),
    )

    def _describe(self, grant: PermissionGrant) -> str:
        tz = self.bot.service.timetable.tz
        target = {
            "member": f"<@{grant.target_id}>",
            "role": f"<@&{grant.target_id}>",
            "channel": f"<#{grant.target_id}>",
        }[grant.scope]
        until = grant.ends_at.astimezone(tz).strftime("%H:%M")
        reason = f" ({discord.utils.escape_markdown(grant.reason)})" if grant.reason else ""
        return f"#{grant.id} {target} tot {until}{reason}"

    @toestemming.command(
        name=_("geven"),
        description=_("Geef toestemming aan een leerling, een klas (rol) of een kanaal"),
    )
    @app_commands.describe(
        minuten="Hoe lang (standaard 50 minuten, nooit na het einde van de schooldag)"
    )
    async def geven(
        self,
        interaction: discord.Interaction,
        leerling: discord.Member | None = None,
        klas: discord.Role | None = None,
        kanaal: discord.TextChannel | None = None,
        minuten: app_commands.Range[int, 1, 600] | None = None,
        reden: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        targets = [t for t in (leerling, klas, kanaal) if t is not None]
        if len(targets) != 1:
            await interaction.response.send_message(
                "Kies precies één: een leerling, een klas (rol) of een kanaal.", ephemeral=True
            )
            return
        scope: Literal["member", "role", "channel"]
        if leerling is not None:
            scope, target_id, label = "member", leerling.id, str(leerling)
        elif klas is not None:
            scope, target_id, label = "role", klas.id, klas.name
        else:
            assert kanaal is not None
            scope, target_id, label = "channel", kanaal.id, kanaal.name
        result = await self.bot.service.grant_permission(
            member_of(interaction.user), scope, target_id, label, datetime.now(UTC), minuten, reden
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(
            f"Toestemming gegeven: {self._describe(result)}", ephemeral=True
        )

    @toestemming.command(
        name=_("lijst"), description=_("Toestemming voor sociale media onder schooltijd (docenten)")
    )
    async def lijst(self, interaction: discord.Interaction) -> None:
        result = self.bot.service.list_permissions(member_of(interaction.user), datetime.now(UTC))
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        text = "\n".join(self._describe(g) for g in result) or "Er is nu geen actieve toestemming."
        await interaction.response.send_message(text[:1900], ephemeral=True)

    @toestemming.command(
        name=_("intrekken"),
        description=_("Toestemming voor sociale media onder schooltijd (docenten)"),
    )
    async def intrekken(self, interaction: discord.Interaction, nummer: int) -> None:
        result = await self.bot.service.revoke_permission(
            member_of(interaction.user), nummer, datetime.now(UTC)
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.send_message(
            f"Ingetrokken: {self._describe(result)}", ephemeral=True
        )


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(SchoolTime(bot))
