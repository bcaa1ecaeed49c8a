"""Moderator alerts: deliver the outbox, buttons on each alert, overview, export, privacy.

Every alert is in SQLite before it is sent. The delivery loop sends new alerts and edits
updated ones (a repeat count, a new status), retrying with backoff on Discord errors, so
nothing is lost while Discord or the bot is down and nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.alerts import Alert, AlertStatus
from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import alert_embed
from compass_bot.service import Refusal

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.alerts")
BACKOFF_START = 2.0
PURGE_EVERY = timedelta(hours=24)


def alert_view(alert: Alert) -> discord.ui.View:
    """The buttons under an alert; none once it is handled."""
    view = discord.ui.View(timeout=None)
    if alert.status != "open":
        return view
    view.add_item(AlertButton("resolve", alert.id))
    view.add_item(AlertButton("false", alert.id))
    if alert.rule == "aanwijzing-2":
        view.add_item(AlertButton("approve", alert.id))
    return view


_BUTTONS = {
    "resolve": ("Afgehandeld", discord.ButtonStyle.success),
    "false": ("Onterecht", discord.ButtonStyle.secondary),
    "approve": ("Naam goedkeuren", discord.ButtonStyle.primary),
}


class AlertButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"alert:(?P<action>resolve|false|approve):(?P<id>\d+)",
):
    """A button whose custom id carries the alert id, so it works after a restart."""

    def __init__(self, action: str, alert_id: int) -> None:
        label, style = _BUTTONS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"alert:{action}:{alert_id}")
        )
        self.action = action
        self.alert_id = alert_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AlertButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        service = bot.service
        actor = member_of(interaction.user)
        now = datetime.now(UTC)
        result: Alert | Refusal
        if self.action == "approve":
            stored = await service.store.alert(self.alert_id)
            guild = interaction.guild
            member = guild.get_member(stored.member_id) if guild and stored else None
            names = (
                [n for n in (member.name, member.global_name, member.nick) if n] if member else []
            )
            if stored is not None and member is None and service.has(actor, "leadership"):
                result = Refusal("Dit lid is niet (meer) in de server; er is niets goed te keuren.")
            else:
                result = await service.approve_from_alert(actor, self.alert_id, names, now)
        else:
            status: AlertStatus = "resolved" if self.action == "resolve" else "false_positive"
            result = await service.set_alert_status(actor, self.alert_id, status, now)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.edit_message(
            embed=alert_embed(result, service.timetable.tz), view=alert_view(result)
        )
        # The edit above shows the new status; mark it delivered so the outbox doesn't repeat it.
        if interaction.message is not None:
            await service.store.mark_delivered(result.id, interaction.message.id, result.updated_at)


class OpenAlertsView(discord.ui.View):
    """Paging through open alerts, newest first (only the moderator who asked can page)."""

    def __init__(
        self, bot: CompassBot, owner: int, rule: str | None, page: int, pages: int
    ) -> None:
        super().__init__(timeout=300)
        self.bot, self.owner, self.rule, self.page, self.pages = bot, owner, rule, page, pages
        self.previous.disabled = page <= 0
        self.next.disabled = page >= pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner

    async def show(self, interaction: discord.Interaction, page: int) -> None:
        embed, view = await open_alerts_page(self.bot, interaction.user, self.rule, page)
        await interaction.response.edit_message(embed=embed, view=view)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        await self.show(interaction, self.page - 1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self.show(interaction, self.page + 1)


async def open_alerts_page(
    bot: CompassBot, user: discord.User | discord.Member, rule: str | None, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    per_page = 10
    result = await bot.service.open_alerts(member_of(user), rule, max(page, 0), per_page)
    if isinstance(result, Refusal):
        return discord.Embed(description=result.message), None
    alerts, total = result
    pages = max(1, -(-total // per_page))
    tz = bot.service.timetable.tz
    lines = [
        f"**#{a.id}** `{a.rule}` <@{a.member_id}> · {a.updated_at.astimezone(tz):%d-%m %H:%M} · {a.count}×"
        for a in alerts
    ]
    embed = discord.Embed(
        title=f"Open meldingen ({total})", description="\n".join(lines) or "Geen open meldingen."
    )
    embed.set_footer(text=f"Pagina {page + 1} van {pages}")
    return embed, OpenAlertsView(bot, user.id, rule, page, pages) if pages > 1 else None


class Alerts(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None
        self._purge_task: asyncio.Task[None] | None = None
        self._reported: set[str] = set()

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self.delivery_loop(), name="alert-outbox")
        self._purge_task = asyncio.create_task(self.purge_loop(), name="retention-purge")

    async def cog_unload(self) -> None:
        for task in (self._task, self._purge_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _report_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._reported:
            self._reported.add(key)
            log.error(message, *args)

    # -- delivery ------------------------------------------------------------------------------

    async def delivery_loop(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            self.bot.outbox_wakeup.clear()
            try:
                await self.deliver_pending()
            except Exception:
                log.exception("alert delivery round failed; retrying")
            wait = 30.0
            next_at = await self.bot.service.store.next_pending_at()
            if next_at is not None:
                wait = max(0.05, min(wait, (next_at - datetime.now(UTC)).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.bot.outbox_wakeup.wait(), timeout=wait)

    async def deliver_pending(self) -> int:
        """Send or edit every due alert; returns how many went out."""
        store = self.bot.service.store
        sent = 0
        channel = self.bot.setup.moderators_channel
        for alert in await store.pending_alerts(datetime.now(UTC)):
            if channel is None:
                self._report_once(
                    "no-channel",
                    "channels.moderators is not in the server; %d alert(s) wait in the outbox",
                    await store.count_alerts(),
                )
                await store.mark_delivery_failed(
                    alert.id, "no moderators channel", self._retry_at(alert, 60)
                )
                continue
            try:
                message_id = await self.send(channel, alert)
            except discord.Forbidden as exc:
                self._report_once(
                    "forbidden", "the bot may not post in the moderators' channel: %s", exc
                )
                await store.mark_delivery_failed(
                    alert.id, f"forbidden: {exc}", self._retry_at(alert, 60)
                )
                continue
            except (discord.HTTPException, TimeoutError, OSError) as exc:
                log.warning("alert %s not delivered (%s); will retry", alert.id, exc)
                await store.mark_delivery_failed(alert.id, str(exc), self._retry_at(alert))
                continue
            await store.mark_delivered(alert.id, message_id, alert.updated_at)
            sent += 1
        return sent

    def _retry_at(self, alert: Alert, minimum: float = 0.0) -> datetime:
        cap = float(self.bot.loaded.config.alerts.retry_max_seconds)
        delay = min(cap, max(minimum, BACKOFF_START * (2 ** min(alert.attempts, 12))))
        return datetime.now(UTC) + timedelta(seconds=delay)

    async def send(self, channel: discord.abc.Messageable, alert: Alert) -> int:
        """Post a new alert, or edit the message of one already sent."""
        embed = alert_embed(alert, self.bot.service.timetable.tz)
        view = alert_view(alert)
        if alert.delivered_message_id is not None:
            partial = discord.PartialMessage(channel=channel, id=alert.delivered_message_id)  # type: ignore[arg-type]
            try:
                await partial.edit(embed=embed, view=view)
                return alert.delivered_message_id
            except discord.NotFound:
                log.info("alert %s message was deleted; posting it again", alert.id)
        message = await channel.send(embed=embed, view=view)
        return message.id

    async def purge_loop(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                counts = await self.bot.service.purge_expired(datetime.now(UTC))
                log.info("retention purge: %s", counts)
            except Exception:
                log.exception("retention purge failed")
            await asyncio.sleep(PURGE_EVERY.total_seconds())

    # -- commands ------------------------------------------------------------------------------

    meldingen = app_commands.Group(name=_("meldingen"), description=_("Meldingen voor moderatoren"))

    @meldingen.command(name=_("open"), description=_("Meldingen voor moderatoren"))
    @app_commands.choices(
        regel=[
            app_commands.Choice(name="schooltijd", value="schooltijd"),
            app_commands.Choice(name="aanwijzing-2 (accountnaam)", value="aanwijzing-2"),
        ]
    )
    async def open(self, interaction: discord.Interaction, regel: str | None = None) -> None:
        embed, view = await open_alerts_page(self.bot, interaction.user, regel, 0)
        if view is None:
            await interaction.response.send_message(embed=embed, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @meldingen.command(name=_("export"), description=_("Meldingen voor moderatoren"))
    @app_commands.describe(
        van="Eerste dag, JJJJ-MM-DD (standaard 30 dagen geleden)",
        tot="Laatste dag, JJJJ-MM-DD (standaard vandaag)",
    )
    async def export(
        self, interaction: discord.Interaction, van: str | None = None, tot: str | None = None
    ) -> None:
        tz = self.bot.service.timetable.tz
        today = datetime.now(tz).date()
        try:
            first = date.fromisoformat(van) if van else today - timedelta(days=30)
            last = date.fromisoformat(tot) if tot else today
        except ValueError:
            await interaction.response.send_message(
                "Gebruik datums als 2026-11-24.", ephemeral=True
            )
            return
        since = datetime.combine(first, datetime.min.time(), tzinfo=tz)
        until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        result = await self.bot.service.export_alerts(member_of(interaction.user), since, until)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        data = io.BytesIO(result.encode("utf-8"))
        await interaction.response.send_message(
            f"Meldingen van {first} tot en met {last}.",
            file=discord.File(data, filename=f"meldingen-{first}-{last}.csv"),
            ephemeral=True,
        )

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
        target = lid.id if lid else int(lid_id) if lid_id and lid_id.isdigit() else None
        if target is None:
            await interaction.response.send_message("Kies een lid of geef een id.", ephemeral=True)
            return
        result = await self.bot.service.erase_member(
            member_of(interaction.user), target, datetime.now(UTC)
        )
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        summary = ", ".join(f"{k}: {v}" for k, v in result.items())
        await interaction.response.send_message(
            f"Alles over <@{target}> gewist ({summary}).", ephemeral=True
        )


async def setup(bot: CompassBot) -> None:
    bot.add_dynamic_items(AlertButton)
    await bot.add_cog(Alerts(bot))
