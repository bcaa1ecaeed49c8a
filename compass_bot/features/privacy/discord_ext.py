"""Privacy in Discord: `/privacy wissen`, and the daily retention purge.

After an erasure the member's alert messages in the moderators' channel are replaced; after
the purge the expired excerpts are cleared from them too, so nothing lives on in Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import alert_embed
from compass_bot.features.alerts.discord_ext import alert_view, moderators_channel
from compass_bot.features.privacy import texts
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.privacy.texts import erased_summary
from compass_bot.inputs import parse_snowflake
from compass_bot.model import Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.privacy")
PURGE_EVERY = timedelta(hours=24)


def erased_embed(alert_id: int, by: int, at: datetime, tz: tzinfo) -> discord.Embed:
    """What an alert message becomes once its member is erased: nothing about them."""
    when = at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return discord.Embed(
        title=texts.ERASED_TITLE.format(alert_id=alert_id),
        description=texts.ERASED_BY.format(by=by, when=when),
        colour=0x7F8C8D,
    )


class Privacy(commands.Cog):
    """Erasure on request and the retention purge."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._purge_tasks: list[asyncio.Task[None]] = []

    async def cog_load(self) -> None:
        self._purge_tasks = self.bot.start_per_school(
            lambda _school: self.purge_loop(), "retention-purge"
        )

    async def cog_unload(self) -> None:
        for task in self._purge_tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def purge(self, now: datetime) -> dict[str, int]:
        """The retention purge: excerpts and questions older than retention.days go.

        The alert messages in the moderators' channel are edited to match, so an expired
        excerpt, label or note does not live on in Discord (best effort: a failure is logged).
        """
        outbox = self.bot.app.alerts.repo
        cutoff = now - timedelta(days=self.bot.loaded.config.retention.days)
        expiring = [
            a.id
            for a in await outbox.alerts(until=cutoff, limit=100_000)
            if a.delivered_message_id is not None and a.text_to_expire(cutoff)
        ]
        counts = await self.bot.app[PrivacyService].purge_expired(now)
        log.info("retention purge: %s", counts)
        channel = moderators_channel(self.bot)
        if channel is None:
            return counts
        tz = self.bot.app.calendar.timetable.tz
        for alert_id in expiring:
            alert = await outbox.alert(alert_id)
            if alert is None or alert.delivered_message_id is None:
                continue
            partial = discord.PartialMessage(channel=channel, id=alert.delivered_message_id)  # type: ignore[arg-type]
            try:
                await partial.edit(embed=alert_embed(alert, tz), view=alert_view(alert))
            except discord.HTTPException as exc:
                log.warning("could not clear the excerpt of alert %s: %s", alert_id, exc)
        return counts

    async def purge_loop(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.purge(self.bot.app.clock.now())
            except Exception:
                log.exception("retention purge failed")
            await asyncio.sleep(PURGE_EVERY.total_seconds())

    privacy = app_commands.Group(
        name=_("privacy"), description=_("Wis alles wat de bot over een lid bewaart")
    )

    @privacy.command(name=_("wissen"), description=_("Wis alles wat de bot over een lid bewaart"))
    @app_commands.describe(
        lid="Het lid", lid_id="Of het id van een lid dat de server al heeft verlaten"
    )
    async def wissen(
        self,
        interaction: discord.Interaction,
        lid: discord.Member | None = None,
        lid_id: str | None = None,
    ) -> None:
        app = self.bot.app
        actor = member_of(interaction.user)
        refused = app.access.refusal(actor, "erase")  # before anything is looked up
        if refused is not None:
            await interaction.response.send_message(refused.message, ephemeral=True)
            return
        target = lid.id if lid else parse_snowflake(lid_id)
        if target is None:
            await interaction.response.send_message(texts.PICK_A_MEMBER, ephemeral=True)
            return
        # An erasure touches every table (and may wait for the store): Discord wants an
        # answer within three seconds, so the reply is deferred first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.app.clock.now()
        # The alert messages in the moderators' channel are found before the rows go.
        sent = [
            (a.id, a.delivered_message_id)
            for a in await app.alerts.repo.alerts(member_id=target, limit=100_000)
            if a.member_id == target and a.delivered_message_id is not None
        ]
        result = await app[PrivacyService].erase(actor, target, now)
        if isinstance(result, Refusal):
            await interaction.followup.send(result.message, ephemeral=True)
            return
        try:  # the member named as a mention, which never pings
            await interaction.followup.send(
                erased_summary(f"<@{target}>", result),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        finally:  # the erasure is done: its messages are cleared even if the reply failed
            await self.redact(sent, interaction.user.id, now)

    async def redact(self, alerts: list[tuple[int, int]], by: int, at: datetime) -> None:
        """Replace the alert messages of an erased member (best effort: logged on failure)."""
        channel = moderators_channel(self.bot)
        if channel is None:
            return
        tz = self.bot.app.calendar.timetable.tz
        for alert_id, message_id in alerts:
            partial = discord.PartialMessage(channel=channel, id=message_id)  # type: ignore[arg-type]
            try:
                await partial.edit(embed=erased_embed(alert_id, by, at, tz), view=None)
            except discord.HTTPException as exc:
                log.warning("could not clear alert message %s after erasure: %s", message_id, exc)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(Privacy(bot))
