"""Cooling down heated discussions on Discord: the nudge, the native slowmode (set and restored,
also after a restart), the "slowmode nu uit" button under the alert, and `/afkoelen`."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands, tasks

from compass_bot.discord_front.convert import channel_info, member_of
from compass_bot.discord_front.once import SaidOnce
from compass_bot.features.alerts.discord_ext import AlertAction, add_alert_action
from compass_bot.features.alerts.model import ActionDone
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.features.heat import texts
from compass_bot.features.heat.repo import Slowmode
from compass_bot.features.heat.service import (
    ACTION,
    CLAUSE_ID,
    HeatOutcome,
    HeatService,
    SlowmodeOrder,
    warm_lexicon,
)
from compass_bot.model import Done, Member, MessagePosted, Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.screening import Post, PostAction

log = logging.getLogger("compass_bot.discord.heat")
RESTORE_EVERY_SECONDS = 20.0
AUDIT_REASON = "Protocol sociale media, aanwijzing 5: afkoelen"

SlowChannel = (discord.TextChannel, discord.Thread)


class Heat(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._no_permission = SaidOnce()  # channels (and threads) logged as not manageable

    @property
    def service(self) -> HeatService:
        return self.bot.app[HeatService]

    async def cog_load(self) -> None:
        await warm_lexicon()
        self.restore_loop.start()

    async def cog_unload(self) -> None:
        self.restore_loop.cancel()

    @tasks.loop(seconds=RESTORE_EVERY_SECONDS)
    async def restore_loop(self) -> None:
        for school in self.bot.each_school():
            try:
                await self.restore_due()
            except Exception as exc:  # one school's failing store must not stop the others
                log.warning("%s: could not restore the slowmodes: %s", school.name, exc)

    @restore_loop.before_loop
    async def _wait_until_ready(self) -> None:
        """On start the first round restores the slowmodes that ran out while the bot was away."""
        await self.bot.ready_event.wait()

    async def restore_due(self) -> int:
        """Restore every slowmode of the bot whose time is up; returns how many were ended."""
        guild = self.bot.school_guild
        if guild is None:
            return 0
        ended = 0
        for slowmode in self.service.due_slowmodes(self.bot.app.clock.now()):
            if await self.restore(guild, slowmode):
                ended += 1
        return ended

    async def restore(
        self, guild: discord.Guild, slowmode: Slowmode, actor: Member | None = None
    ) -> bool:
        """Put the channel's previous slowmode back, unless staff changed it meanwhile.
        False when it is not back: Discord refused, or the bot may not manage the channel
        (any more). The slowmode is then kept and the loop tries again; a missing permission
        is checked before asking Discord and logged once per channel."""
        now = self.bot.app.clock.now()
        channel = guild.get_channel_or_thread(slowmode.channel_id)
        if not isinstance(channel, SlowChannel):
            await self.service.slowmode_ended(slowmode.channel_id, now, actor)  # gone
            return True
        if channel.slowmode_delay == slowmode.seconds:
            if not self._may_manage(channel):
                self._log_no_permission(channel, "restore the slowmode of")
                return False
            try:
                await channel.edit(slowmode_delay=slowmode.previous_seconds, reason=AUDIT_REASON)
            except discord.Forbidden:
                self._log_no_permission(channel, "restore the slowmode of")
                return False
            except discord.HTTPException as exc:
                log.warning("could not restore the slowmode of #%s: %s", channel, exc)
                return False
        self._no_permission.back(channel.id)
        await self.service.slowmode_ended(slowmode.channel_id, now, actor)
        return True

    def _log_no_permission(self, channel: discord.TextChannel | discord.Thread, what: str) -> None:
        """One warning per channel until the bot manages it again."""
        if self._no_permission.first(channel.id):
            log.warning(
                "heat: may not %s #%s: the bot lacks %s there; a moderator can change it by hand",
                what,
                channel,
                _permission_name(channel)[1],
            )

    # -- posts -----------------------------------------------------------------------------

    def check_post(self, post: Post) -> PostAction | None:
        """The screening's check (`Feature.post_check`): a new post in a watched channel feeds
        its window (edits do not). The service decides in memory; only a nudge, a slowmode or
        an alert (whose recording waits on the store) returns the action."""
        channel = post.channel
        if channel is None or post.edited or not self.bot.reads_content:
            return None  # the rule reads the text; without it, it is off (logged at start)
        service = post.app[HeatService]
        if not service.watches(channel):
            return None
        message = post.message
        reference = message.reference
        mentioned = message.mentions
        reply_to = None
        if reference is not None:
            resolved = reference.resolved
            if isinstance(resolved, discord.Message) and not resolved.author.bot:
                reply_to = member_of(resolved.author)
        outcome = service.decide_post(
            post.member,
            channel,
            post.at,
            message.content,
            message.id,
            reference.message_id if reference else None,
            reply_to,
            tuple(member_of(m) for m in mentioned if not m.bot) if mentioned else (),
        )
        if outcome.nudge is None and outcome.slowmode is None and not outcome.escalated:
            return None
        event = post.event
        assert event is not None  # a post with a channel has its event
        return self._act(message, service, event, outcome)

    async def _act(
        self,
        message: discord.Message,
        service: HeatService,
        event: MessagePosted,
        outcome: HeatOutcome,
    ) -> None:
        """Record the nudge's alert and wake the outbox, nudge the channel, set its slowmode."""
        if outcome.nudge is not None:
            outcome = await service.record_nudge(event, outcome)
        elif outcome.slowmode is not None:
            outcome = await service.record_slowmode(event, outcome)
        elif outcome.escalated:
            outcome = await service.record_escalation(event, outcome)
        if outcome.alert is not None:
            self.bot.outbox_wakeup.set()
        if outcome.nudge is not None:
            await self._say(message.channel, outcome.nudge)
        if outcome.slowmode is not None:
            await self.apply(message.channel, outcome.slowmode)

    async def _say(self, channel: discord.abc.Messageable, text: str) -> None:
        """A calm message in the channel: no reply, no names, nothing that can ping."""
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("could not post in the channel to cool it down: %s", exc)

    def _may_manage(self, channel: object) -> bool:
        if not isinstance(channel, SlowChannel):
            return False
        me = channel.guild.me
        perms = channel.permissions_for(me)
        return (
            perms.manage_threads if isinstance(channel, discord.Thread) else perms.manage_channels
        )

    async def apply(self, channel: object, order: SlowmodeOrder) -> str | None:
        """Set the slowmode when the bot may manage the channel; None when set, else why not.

        A channel whose own slowmode is already as slow is left as it is."""
        if not isinstance(channel, SlowChannel) or not self._may_manage(channel):
            if isinstance(channel, SlowChannel):
                self._log_no_permission(channel, "set a slowmode in")
            return _no_permission_text(channel, order.channel_name)
        running = self.service.running_slowmode(order.channel_id)
        previous = channel.slowmode_delay
        if running is None and previous >= order.seconds:
            return texts.ALREADY_SLOWER.format(channel=order.channel_name, seconds=previous)
        try:
            await channel.edit(slowmode_delay=order.seconds, reason=AUDIT_REASON)
        except discord.Forbidden:
            self._log_no_permission(channel, "set a slowmode in")
            return _no_permission_text(channel, order.channel_name)
        except discord.HTTPException as exc:
            log.warning("could not set the slowmode of #%s: %s", order.channel_name, exc)
            return texts.NOT_SET.format(channel=order.channel_name)
        self._no_permission.back(channel.id)
        await self.service.slowmode_set(order, previous, self.bot.app.clock.now())
        if isinstance(channel, discord.abc.Messageable):
            await self._say(channel, order.notice)
        return None

    # -- /afkoelen -------------------------------------------------------------------------

    afkoelen = app_commands.Group(
        name=_("afkoelen"),
        description=_("Een verhitte discussie laten afkoelen (docenten, moderatoren)"),
        guild_only=True,
    )

    def _refused(self, interaction: discord.Interaction) -> str | None:
        refused = self.bot.app.access.refusal(member_of(interaction.user), ACTION)
        return refused.message if refused is not None else None

    @afkoelen.command(name=_("start"), description=_("Zet nu slowmode aan in een kanaal"))
    @app_commands.describe(
        kanaal=_("Het kanaal", en="The channel"),
        minuten=_("Hoe lang (standaard heat.slowmode_minutes)", en="How long"),
    )
    async def start(
        self,
        interaction: discord.Interaction,
        kanaal: discord.TextChannel,
        minuten: app_commands.Range[int, 1, 1440] | None = None,
    ) -> None:
        info = channel_info(kanaal)
        assert info is not None
        order = self.service.start_slowmode(
            member_of(interaction.user), info, self.bot.app.clock.now(), minuten
        )
        if isinstance(order, Refusal):
            await interaction.response.send_message(order.message, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        problem = await self.apply(kanaal, order)
        tz = self.bot.app.calendar.timetable.tz
        now = self.bot.app.clock.now().astimezone(tz)
        text = problem or texts.started(kanaal.name, order.until.astimezone(tz), now, order.seconds)
        await interaction.followup.send(text, ephemeral=True)

    @afkoelen.command(name=_("stop"), description=_("Zet de slowmode van de bot nu uit"))
    @app_commands.describe(kanaal=_("Het kanaal", en="The channel"))
    async def stop(self, interaction: discord.Interaction, kanaal: discord.TextChannel) -> None:
        actor = member_of(interaction.user)
        running = self.service.stop_slowmode(actor, kanaal.id, kanaal.name)
        if isinstance(running, Refusal):
            await interaction.response.send_message(running.message, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        assert interaction.guild is not None
        restored = await self.restore(interaction.guild, running, actor)
        text = texts.STOPPED if restored else texts.NOT_RESTORED
        await interaction.followup.send(
            text.format(channel=kanaal.name, seconds=running.previous_seconds), ephemeral=True
        )

    async def _watching(
        self, interaction: discord.Interaction, kanaal: discord.TextChannel, on: bool
    ) -> None:
        info = channel_info(kanaal)
        assert info is not None
        result = await self.service.set_watching(
            member_of(interaction.user), info, on, self.bot.app.clock.now()
        )
        message = result.message if isinstance(result, Refusal | Done) else str(result)
        await interaction.response.send_message(message, ephemeral=True)

    @afkoelen.command(
        name=_("uit"), description=_("Dit kanaal nooit bewaken (bijvoorbeeld een debatles)")
    )
    @app_commands.describe(kanaal=_("Het kanaal", en="The channel"))
    async def uit(self, interaction: discord.Interaction, kanaal: discord.TextChannel) -> None:
        await self._watching(interaction, kanaal, on=False)

    @afkoelen.command(name=_("aan"), description=_("Dit kanaal weer bewaken"))
    @app_commands.describe(kanaal=_("Het kanaal", en="The channel"))
    async def aan(self, interaction: discord.Interaction, kanaal: discord.TextChannel) -> None:
        await self._watching(interaction, kanaal, on=True)


async def slowmode_off_from_alert(
    bot: CompassBot,
    interaction: discord.Interaction,
    actor: Member,
    alert_id: int,
    now: datetime,
) -> ActionDone | Refusal:
    """ "Slowmode nu uit" under a heat alert: restore the channel's slowmode now."""
    service = bot.app[HeatService]
    running = await service.slowmode_for_alert(actor, alert_id)
    if isinstance(running, Refusal):
        return running
    cog = bot.get_cog("Heat")
    guild = interaction.guild
    channel = guild.get_channel_or_thread(running.channel_id) if guild is not None else None
    name = channel.name if channel is not None else str(running.channel_id)
    if isinstance(cog, Heat) and guild is not None and not await cog.restore(guild, running, actor):
        return Refusal(texts.NOT_RESTORED.format(channel=name))
    alert = await bot.app.alerts.repo.alert(alert_id)
    if alert is None:
        return Refusal(no_such_alert(alert_id))
    return ActionDone(alert, texts.STOPPED.format(channel=name, seconds=running.previous_seconds))


def _permission_name(channel: object) -> tuple[str, str]:
    """The permission a slowmode there needs: Dutch (as Discord shows it) and English."""
    if isinstance(channel, discord.Thread):
        return "Threads beheren", "Manage Threads"
    return "Kanalen beheren", "Manage Channels"


def _no_permission_text(channel: object, name: str) -> str:
    return texts.NO_PERMISSION.format(channel=name, permission=_permission_name(channel)[0])


async def setup(bot: CompassBot) -> None:
    add_alert_action(
        "slowmodeoff",
        AlertAction(
            CLAUSE_ID,
            "Slowmode nu uit",
            discord.ButtonStyle.primary,
            ACTION,
            slowmode_off_from_alert,
        ),
    )
    await bot.add_cog(Heat(bot))
