"""Moderator alerts: deliver the outbox, buttons on each alert, overview, export.

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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.clock import Clock
from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.embeds import alert_embed
from compass_bot.discord_front.pacing import Pacer, Window
from compass_bot.features.alerts.model import Alert, AlertStatus
from compass_bot.features.alerts.repo import OutboxAlert
from compass_bot.inputs import parse_number
from compass_bot.model import Member, Refusal
from compass_bot.refs import ref_matches
from compass_bot.registry import alert_kinds

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord.alerts")
BACKOFF_START = 2.0
CLAIM_SECONDS = 60.0  # a claim lapses after this (a sender that died); the start clears it
ROUND_LIMIT = 1000  # alerts per delivery round, so one round always ends
CHANNEL_BURST = 5  # posts and edits at once before the channel's pace applies
EDIT_BURST = 3  # edits of one alert at once before edit_interval_seconds applies
RETRY_WHEN_BLOCKED = 60.0  # seconds before retrying a missing channel or permission
PURGE_EVERY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class AlertAction:
    """A feature's own button under its alerts (names: "Naam goedkeuren"): the staff action it
    needs (checked before anything is looked up) and what it does."""

    rule: str
    label: str
    style: discord.ButtonStyle
    action: str  # the access action, e.g. "approve_names"
    run: Callable[
        [CompassBot, discord.Interaction, Member, int, datetime], Awaitable[Alert | Refusal]
    ]
    shown: bool = True  # False: no button on new alerts, but an old one still gets its answer


_OWN: dict[str, tuple[str, discord.ButtonStyle]] = {
    "resolve": ("Afgehandeld", discord.ButtonStyle.success),
    "false": ("Onterecht", discord.ButtonStyle.secondary),
}
ALERT_ACTIONS: dict[str, AlertAction] = {}  # button word -> action; features add theirs at setup


def add_alert_action(word: str, action: AlertAction) -> None:
    """Called by a feature's extension `setup`: a button under that rule's open alerts."""
    ALERT_ACTIONS[word] = action


def alert_view(alert: Alert) -> discord.ui.View:
    """The buttons under an alert; none once it is handled."""
    view = discord.ui.View(timeout=None)
    if alert.status != "open":
        return view
    view.add_item(AlertButton("resolve", alert.id))
    view.add_item(AlertButton("false", alert.id))
    for word, action in ALERT_ACTIONS.items():
        if action.rule == alert.rule and action.shown:
            view.add_item(AlertButton(word, alert.id))
    return view


class AlertButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"alert:(?P<action>[a-z]{1,20}):(?P<id>[0-9]{1,19})",
):
    """A button whose custom id carries the alert id, so it works after a restart."""

    def __init__(self, action: str, alert_id: int) -> None:
        own = _OWN.get(action)
        label, style = own if own else (ALERT_ACTIONS[action].label, ALERT_ACTIONS[action].style)
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"alert:{action}:{alert_id}")
        )
        self.action = action
        self.alert_id = alert_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AlertButton:
        alert_id = parse_number(match["id"])
        if alert_id is None:  # a forged custom id: no alert has that number
            raise ValueError("not an alert number")
        if match["action"] not in _OWN and match["action"] not in ALERT_ACTIONS:
            raise ValueError("not an alert action")
        return cls(match["action"], alert_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: CompassBot = interaction.client  # type: ignore[assignment]
        app = bot.app
        actor = member_of(interaction.user)
        now = app.clock.now()
        extra = ALERT_ACTIONS.get(self.action) if self.action not in _OWN else None
        action = extra.action if extra else "handle_alert"
        refused = app.access.refusal(actor, action)
        if not bot.in_school_guild(interaction.guild) or refused is not None:
            # Refused before anything is looked up: the alert's existence is not revealed.
            text = refused.message if refused else app.access.actions[action].refusal
            await interaction.response.send_message(text, ephemeral=True)
            return
        result: Alert | Refusal
        if extra is not None:
            result = await extra.run(bot, interaction, actor, self.alert_id, now)
            if interaction.response.is_done():  # the action answered privately itself
                return
        else:
            status: AlertStatus = "resolved" if self.action == "resolve" else "false_positive"
            result = await app.alerts.set_alert_status(actor, self.alert_id, status, now)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        await interaction.response.edit_message(
            embed=alert_embed(result, app.calendar.timetable.tz), view=alert_view(result)
        )
        # The edit above shows the new status; mark it delivered so the outbox doesn't repeat it.
        if interaction.message is not None:
            # The outbox hands out OutboxAlerts; anything else leaves the alert pending.
            version = result.version if isinstance(result, OutboxAlert) else 0
            await app.alerts.repo.mark_delivered(result.id, interaction.message.id, version)


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


OPEN_PER_PAGE = 10


async def open_alerts_page(
    bot: CompassBot, user: discord.User | discord.Member, rule: str | None, page: int
) -> tuple[discord.Embed, discord.ui.View | None]:
    """One page of open alerts, newest first, each linking to its message."""
    page = max(page, 0)
    result = await bot.app.alerts.open_alerts(member_of(user), rule, page, OPEN_PER_PAGE)
    if isinstance(result, Refusal):
        return discord.Embed(description=result.message), None
    alerts, total = result
    pages = max(1, -(-total // OPEN_PER_PAGE))
    if page >= pages:  # alerts were handled since the last page was shown
        page = pages - 1
        result = await bot.app.alerts.open_alerts(member_of(user), rule, page, OPEN_PER_PAGE)
        assert not isinstance(result, Refusal)
        alerts, total = result
    tz = bot.app.calendar.timetable.tz
    channel = bot.setup.moderators_channel
    base = (
        f"https://discord.com/channels/{channel.guild.id}/{channel.id}"
        if isinstance(channel, discord.abc.GuildChannel)
        else None
    )
    lines = []
    for a in alerts:
        when = a.updated_at.astimezone(tz).strftime("%d-%m %H:%M")
        line = f"**#{a.id}** `{a.rule}` <@{a.member_id}> · {when} · {a.count}×"
        if base is not None and a.delivered_message_id is not None:
            line += f" · [melding]({base}/{a.delivered_message_id})"
        lines.append(line)
    which = f" · {rule}" if rule else ""
    embed = discord.Embed(
        title=f"Open meldingen ({total}){which}",
        description="\n".join(lines) or "Geen open meldingen.",
    )
    embed.set_footer(text=f"Pagina {page + 1} van {pages} · nieuwste eerst")
    return embed, OpenAlertsView(bot, user.id, rule, page, pages) if pages > 1 else None


def texts_summary(count: int) -> str:
    """The summary past the new-alert budget, Dutch first, then English."""
    return (
        f"**{count} meldingen in 1 minuut**, zie `/meldingen open`; ze volgen hier rustig.\n"
        f"{count} alerts in 1 minute, see `/meldingen open`; they follow here at a steady pace."
    )


def moderators_channel(bot: CompassBot) -> discord.abc.Messageable | None:
    """The moderators' channel as the server has it now.

    Looked up again when it was missing or has gone, so alerts that waited for a
    channel that did not exist (yet) go out as soon as it does.
    """
    channel = bot.setup.moderators_channel
    guild = bot.setup.guild
    if guild is None:
        return channel
    if isinstance(channel, discord.abc.GuildChannel) and guild.get_channel_or_thread(channel.id):
        return channel
    ref = bot.loaded.config.channels.moderators
    if ref is None:
        return None
    candidates: list[discord.TextChannel | discord.Thread] = [
        *guild.text_channels,
        *guild.threads,
    ]
    found = next((c for c in candidates if ref_matches(ref, c.id, c.name)), None)
    bot.setup.moderators_channel = found
    return found


class Alerts(commands.Cog):
    """The outbox delivery and the moderators' commands."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None
        self._reported: set[str] = set()
        self._budget_key: tuple[int, int, int] | None = None
        self._new = Window(1, 60.0)
        self._writes = Pacer(60.0)
        self._edits: dict[int, Pacer] = {}
        self._held_for = 30.0
        self._unmarked: dict[int, tuple[int, int]] = {}  # alert id -> (message id, version)
        self._summary: tuple[int, float, int] | None = None  # message id, posted at, count
        self._summary_edited = 0.0

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self.delivery_loop(), name="alert-outbox")

    async def cog_unload(self) -> None:
        for task in (self._task,):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _report_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._reported:
            self._reported.add(key)
            log.error(message, *args)

    # -- delivery ------------------------------------------------------------------------------

    def moderators_channel(self) -> discord.abc.Messageable | None:
        return moderators_channel(self.bot)

    async def delivery_loop(self) -> None:
        await self.bot.wait_until_ready()
        first = True
        failures = 0
        while not self.bot.is_closed():
            self.bot.outbox_wakeup.clear()
            try:
                if first:
                    await self.resume_interrupted()
                # After a start, everything pending goes out at once: what blocked it (a
                # missing channel or permission) may well have been fixed meanwhile.
                await self.deliver_pending(ignore_backoff=first)
                first, failures = False, 0
            except Exception:
                failures += 1
                log.exception("alert delivery round failed; retrying")
            wait = 30.0
            with contextlib.suppress(Exception):  # the next round reports a failing store
                next_at = await self.bot.app.alerts.repo.next_pending_at()
                if next_at is not None:
                    due_in = (next_at - self.bot.app.clock.now()).total_seconds()
                    # Due now but held back by a budget: wake when the budget allows.
                    wait = min(wait, due_in if due_in > 0 else self._held_for)
            if self._unmarked:
                wait = min(wait, 1.0)
            wait = max(0.05, wait)
            if failures:
                wait = max(wait, min(30.0, BACKOFF_START * 2 ** min(failures, 8)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.bot.outbox_wakeup.wait(), timeout=wait)

    async def resume_interrupted(self) -> None:
        """At start: alerts a stopped process had claimed, or was posting, go out again.

        A post under way keeps the nonce it was sent with, so sending it again gives back
        the message Discord already made (enforce_nonce) instead of a second one.
        """
        released, posts = await self.bot.app.alerts.repo.release_claims()
        if released or posts:
            log.warning(
                "%s alert(s) were being sent when the bot stopped; resending %s post(s) with"
                " their nonce",
                released,
                posts,
            )

    def _budgets(self) -> None:
        """The budgets, made (again) from the configuration."""
        settings = self.bot.loaded.config.alerts
        key = (
            settings.max_new_per_minute,
            settings.channel_writes_per_minute,
            settings.edit_interval_seconds,
        )
        if key != self._budget_key:
            self._budget_key = key
            self._new = Window(settings.max_new_per_minute, 60.0)
            self._writes = Pacer(settings.channel_writes_per_minute, burst=CHANNEL_BURST)
            self._edits.clear()

    def _edit_budget(self, alert_id: int) -> Pacer | None:
        interval = self.bot.loaded.config.alerts.edit_interval_seconds
        if interval <= 0:
            return None
        budget = self._edits.get(alert_id)
        if budget is None:
            budget = self._edits[alert_id] = Pacer(60.0 / interval, burst=EDIT_BURST)
        return budget

    def _quiet(self) -> tuple[set[int], float]:
        """Alerts whose edit budget is spent now, and when the first of them is free."""
        quiet: set[int] = set()
        soonest = 30.0
        for alert_id, budget in list(self._edits.items()):
            pause = budget.delay()
            if pause > 0:
                quiet.add(alert_id)
                soonest = min(soonest, pause)
            elif budget.idle():
                del self._edits[alert_id]
        return quiet, soonest

    async def _mark_unmarked(self) -> None:
        """Marks whose write failed after Discord had the message: write them now."""
        store = self.bot.app.alerts.repo
        for alert_id, (message_id, version) in list(self._unmarked.items()):
            await store.mark_delivered(alert_id, message_id, version)
            del self._unmarked[alert_id]

    async def deliver_pending(self, ignore_backoff: bool = False) -> int:
        """Send or edit every due alert the budgets allow; returns how many went out.

        Each alert is claimed atomically first, so two senders never take the same one.
        New alerts past `max_new_per_minute` wait (and one summary says how many came);
        an alert is edited at most once per `edit_interval_seconds` after a first few, and
        then with its latest version; all posts and edits share the channel's pace.
        """
        store = self.bot.app.alerts.repo
        self._budgets()
        await self._mark_unmarked()
        sent = 0
        channel: discord.abc.Messageable | None = None
        looked_up = False
        self._held_for = 30.0
        for _round in range(ROUND_LIMIT):
            now = self.bot.app.clock.now()
            quiet, quiet_for = self._quiet()
            posts = self._new.left() > 0
            alert = await store.claim_next(
                now,
                now + timedelta(seconds=CLAIM_SECONDS),
                due_by=datetime.max.replace(tzinfo=UTC) if ignore_backoff else None,
                posts=posts,
                skip=quiet | set(self._unmarked),
            )
            if alert is None:
                held = [quiet_for] if quiet else []
                if not posts and await store.unposted_count():
                    held.append(self._new.delay())
                    await self._summarise(channel if looked_up else self.moderators_channel())
                self._held_for = min([30.0, *held])
                break
            if not looked_up:
                channel, looked_up = self.moderators_channel(), True
            if channel is None:
                self._report_once(
                    "no-channel",
                    "channels.moderators (%s) is not in the server; alerts wait in the outbox"
                    " until it exists",
                    self.bot.loaded.config.channels.moderators,
                )
                await store.mark_delivery_failed(
                    alert.id, "no moderators channel", self._retry_at(alert, RETRY_WHEN_BLOCKED)
                )
                continue
            posting = alert.delivered_message_id is None
            try:
                message_id = await self.send(channel, alert)
                # A button may have changed the alert while this edit was under way; then
                # the message shows an old status, so edit it again with the new one.
                current = await store.alert(alert.id)
                while current is not None and (current.status, current.handled_by) != (
                    alert.status,
                    alert.handled_by,
                ):
                    alert = current
                    message_id = await self.send(channel, alert, message_id)
                    current = await store.alert(alert.id)
            except discord.Forbidden as exc:
                self._report_once(
                    "forbidden",
                    "the bot may not post in the moderators' channel (%s): %s;"
                    " alerts wait in the outbox",
                    getattr(channel, "name", channel),
                    exc,
                )
                await store.mark_delivery_failed(
                    alert.id, f"forbidden: {exc}", self._retry_at(alert, RETRY_WHEN_BLOCKED)
                )
                continue
            except (
                discord.HTTPException,
                discord.RateLimited,
                aiohttp.ClientError,
                TimeoutError,
                OSError,
            ) as exc:
                log.warning("alert %s not delivered (%s); will retry", alert.id, exc)
                await store.mark_delivery_failed(alert.id, str(exc), self._retry_at(alert))
                continue
            except Exception as exc:  # a bug with one alert must not hold up the others
                log.exception("alert %s could not be sent; will retry", alert.id)
                await store.mark_delivery_failed(alert.id, repr(exc), self._retry_at(alert))
                continue
            if posting:
                self._new.add()
            if current is None:  # erased meanwhile (/privacy wissen)
                continue
            try:
                await store.mark_delivered(alert.id, message_id, alert.version)
            except Exception:
                # Discord has the message; a failing write must not make it go out twice.
                # Kept here (and the alert held back) until the mark is written.
                self._unmarked[alert.id] = (message_id, alert.version)
                log.exception("alert %s was sent but could not be marked; retrying", alert.id)
                raise
            self._reported.clear()  # a later outage is reported again
            sent += 1
        return sent

    async def _summarise(self, channel: discord.abc.Messageable | None) -> None:
        """One message for the alerts past the budget: how many came, where to see them.

        At most one new summary a minute; within the minute the same one is edited as the
        number grows (within the channel's pace).
        """
        if channel is None:
            return
        store = self.bot.app.alerts.repo
        total = self._new.used() + await store.unposted_count()
        mono = Clock.monotonic()
        fresh = self._summary is not None and mono - self._summary[1] < 60.0
        if fresh and self._summary is not None and self._summary[2] == total:
            return
        gap = max(1.0, float(self.bot.loaded.config.alerts.edit_interval_seconds))
        if fresh and mono - self._summary_edited < gap:
            return  # the summary is edited like an alert: at most once per interval
        self._summary_edited = mono
        text = texts_summary(total)
        try:
            await self._writes.wait()
            if fresh and self._summary is not None:
                partial = discord.PartialMessage(channel=channel, id=self._summary[0])  # type: ignore[arg-type]
                await partial.edit(content=text)
                self._summary = (self._summary[0], self._summary[1], total)
            else:
                message = await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
                self._summary = (message.id, mono, total)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.warning("could not post the alert summary: %s", exc)

    def _retry_at(self, alert: Alert, minimum: float = 0.0) -> datetime:
        cap = float(self.bot.loaded.config.alerts.retry_max_seconds)
        delay = min(cap, max(minimum, BACKOFF_START * (2 ** min(alert.attempts, 12))))
        return self.bot.app.clock.now() + timedelta(seconds=delay)

    async def send(
        self, channel: discord.abc.Messageable, alert: OutboxAlert, message_id: int | None = None
    ) -> int:
        """Post a new alert, or edit the message of one already sent (within the budgets).

        A post carries the alert's nonce with enforce_nonce (discord.py 2.7 sends
        `enforce_nonce: true` with every nonce): sent again after a crash or a failed
        write, Discord returns the first message instead of making a second.
        """
        embed = alert_embed(alert, self.bot.app.calendar.timetable.tz)
        view = alert_view(alert)
        message_id = message_id or alert.delivered_message_id
        await self._writes.wait()
        if message_id is not None:
            budget = self._edit_budget(alert.id)
            if budget is not None:
                budget.try_take()
            partial = discord.PartialMessage(channel=channel, id=message_id)  # type: ignore[arg-type]
            try:
                await partial.edit(embed=embed, view=view)
                return message_id
            except discord.NotFound:
                log.info("alert %s message was deleted; posting it again", alert.id)
                await self._writes.wait()
        nonce = alert.send_nonce if alert.delivered_message_id is None else None
        if nonce is None:  # a post again after the message was deleted: a nonce of its own
            nonce = f"a{alert.id:x}v{alert.version:x}r"
        message = await channel.send(embed=embed, view=view, nonce=nonce)
        return message.id

    # -- commands ------------------------------------------------------------------------------

    meldingen = app_commands.Group(name=_("meldingen"), description=_("Meldingen voor moderatoren"))

    @meldingen.command(name=_("open"), description=_("Meldingen voor moderatoren"))
    @app_commands.choices(
        regel=[
            app_commands.Choice(name=f"{kind.rule} ({kind.title})"[:100], value=kind.rule)
            for kind in alert_kinds().values()
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
        tz = self.bot.app.calendar.timetable.tz
        today = self.bot.app.clock.now().astimezone(tz).date()
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
        result = await self.bot.app.alerts.export_alerts(member_of(interaction.user), since, until)
        if isinstance(result, Refusal):
            await interaction.response.send_message(result.message, ephemeral=True)
            return
        data = io.BytesIO(result.encode("utf-8"))
        await interaction.response.send_message(
            f"Meldingen van {first} tot en met {last}.",
            file=discord.File(data, filename=f"meldingen-{first}-{last}.csv"),
            ephemeral=True,
        )


async def setup(bot: CompassBot) -> None:
    bot.add_dynamic_items(AlertButton)
    await bot.add_cog(Alerts(bot))
