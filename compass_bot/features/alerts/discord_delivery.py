"""Delivering the outbox to the moderators' channel: the loop, its budgets, posts and edits.

Every alert is in SQLite before it is sent. The delivery loop sends new alerts and edits
updated ones (a repeat count, a new status), retrying with backoff on Discord errors, so
nothing is lost while Discord or the bot is down and nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord.ext import commands

from compass_bot.clock import Clock
from compass_bot.discord_front.embeds import alert_embed
from compass_bot.discord_front.pacing import Pacer, Window, woken
from compass_bot.features.alerts.discord_actions import alert_view
from compass_bot.features.alerts.model import Alert
from compass_bot.features.alerts.repo_delivery import OutboxAlert
from compass_bot.refs import ref_matches
from compass_bot.storage.db import STORAGE_ERRORS
from compass_bot.texts import counted

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.schools import School

log = logging.getLogger("compass_bot.discord.alerts")
BACKOFF_START = 2.0
CLAIM_SECONDS = 60.0  # a claim lapses after this (a sender that died); the start clears it
ROUND_LIMIT = 1000  # alerts per delivery round, so one round always ends
CHANNEL_BURST = 5  # posts and edits at once before the channel's pace applies
EDIT_BURST = 3  # edits of one alert at once before edit_interval_seconds applies
RETRY_WHEN_BLOCKED = 60.0  # seconds before retrying a missing channel or permission


def channel_nonce(channel: discord.abc.Messageable, nonce: str) -> str:
    """The alert's nonce made unique to its channel. Discord checks a nonce against every
    recent message of the same author, in any channel: two schools of one board both have an
    alert #1, and without the channel's mark the second school's post would be answered with
    the first school's message (and never appear). Same channel, same nonce: a resend after a
    crash still finds its first message. At most 25 characters, as Discord allows."""
    mark = hashlib.blake2b(str(getattr(channel, "id", 0)).encode(), digest_size=4).hexdigest()
    return f"{mark}{nonce}"[:25]


def texts_summary(count: int) -> str:
    """The summary past the new-alert budget, Dutch first, then English."""
    return (
        f"**{counted(count, 'melding(en)')} in 1 minuut**, zie `/meldingen open`; ze volgen hier "
        f"rustig.\n{counted(count, 'alert(s)')} in 1 minute, see `/meldingen open`; they follow "
        "here at a steady pace."
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


class AlertDelivery(commands.Cog):
    """The outbox's delivery: one courier per school, each with its own loop and budgets."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._tasks: list[asyncio.Task[None]] = []
        self._couriers: list[Courier] = []

    async def cog_load(self) -> None:
        def start(_school: School) -> Coroutine[Any, Any, None]:
            courier = Courier(self.bot)
            self._couriers.append(courier)
            return courier.delivery_loop()

        self._tasks = self.bot.start_per_school(start, "alert-outbox")

    def busy(self) -> bool:
        """Whether a courier has alerts to send now: woken by a flag it has not taken up yet,
        or in a round that is not waiting on a budget (what a caller that waits until the
        bot has acted, such as a test's settle, must wait for too)."""
        woken = any(school.outbox_wakeup.is_set() for school in self.bot.schools)
        return woken or any(courier.working for courier in self._couriers)

    async def cog_unload(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def retry_delay(alert: Alert, cap: float, minimum: float = 0.0) -> float:
    """Seconds before the next try: doubling from BACKOFF_START, at least `minimum`, at most
    `cap` (the config's retry_max_seconds)."""
    delay: float = min(cap, max(minimum, BACKOFF_START * (2 ** min(alert.attempts, 12))))
    return delay


async def withdraw(channel: discord.abc.Messageable, alert_id: int, message_id: int) -> None:
    """Delete the message just posted or edited for an alert erased while it was under way:
    the erasure cleaned up the messages it knew of, this one would show the member again.
    The bot's own message: no permission needed."""
    partial = discord.PartialMessage(channel=channel, id=message_id)  # type: ignore[arg-type]
    try:
        await partial.delete()
    except discord.NotFound:
        pass
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as exc:
        log.warning("alert %s was erased but its message stays: %s", alert_id, exc)


class Courier:
    """One school's outbox to its moderators' channel, within its own budgets and marks."""

    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self._reported: set[str] = set()
        self._budget_key: tuple[int, int, int] | None = None
        self._new = Window(1, 60.0)
        self._writes = Pacer(60.0)
        self._edits: dict[int, Pacer] = {}
        self._held_for = 30.0
        self._unmarked: dict[int, tuple[int, int]] = {}  # alert id -> (message id, version)
        self._summary: tuple[int, float, int] | None = None  # message id, posted at, count
        self._summary_edited = 0.0
        self.working = False  # in a delivery round and not waiting for the channel's pace

    def _report_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._reported:
            self._reported.add(key)
            log.error(message, *args)

    async def delivery_loop(self) -> None:
        await self.bot.wait_until_ready()
        first = True
        failures = 0
        while not self.bot.is_closed():
            self.bot.outbox_wakeup.clear()
            self.working = True
            try:
                if first:
                    await self.resume_interrupted()
                # After a start, everything pending goes out at once: what blocked it (a
                # missing channel or permission) may well have been fixed meanwhile.
                await self.deliver_pending(ignore_backoff=first)
                first, failures = False, 0
            except STORAGE_ERRORS as exc:
                # A full or failing disk is the store's to announce (once, with what to do);
                # here one line a round, never a traceback, and the round is tried again.
                failures += 1
                log.warning("alert delivery round failed on the database (%s); retrying", exc)
            except Exception:
                failures += 1
                log.exception("alert delivery round failed; retrying")
            finally:
                self.working = False
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
            await woken(self.bot.outbox_wakeup, wait)

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

        Each alert is claimed atomically first, so two senders never take the same one, and
        once a round (a start round ignores the backoff: a missing channel fails it again).
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
        tried: set[int] = set()
        done: set[int] = set()  # sent in this round; the rest of `tried` failed
        for _round in range(ROUND_LIMIT):
            now = self.bot.app.clock.now()
            quiet, quiet_for = self._quiet()
            posts = self._new.left() > 0
            alert = await store.claim_next(
                now,
                now + timedelta(seconds=CLAIM_SECONDS),
                due_by=datetime.max.replace(tzinfo=UTC) if ignore_backoff else None,
                posts=posts,
                skip=quiet | set(self._unmarked) | tried,
            )
            if alert is None:
                # an alert that failed in this round and is due again: the next round soon
                held = ([quiet_for] if quiet else []) + ([0.0] if tried - done else [])
                if not posts and await store.unposted_count():
                    held.append(self._new.delay())
                    await self._summarise(channel if looked_up else moderators_channel(self.bot))
                self._held_for = min([30.0, *held])
                break
            tried.add(alert.id)
            if not looked_up:
                channel, looked_up = moderators_channel(self.bot), True
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
            if current is None:  # erased meanwhile (/privacy wissen), after it cleaned up
                await withdraw(channel, alert.id, message_id)
                continue
            try:
                await store.mark_delivered(alert.id, message_id, alert.version)
            except Exception as exc:
                # Discord has the message; a failing write must not make it go out twice.
                # Kept here (and the alert held back) until the mark is written.
                self._unmarked[alert.id] = (message_id, alert.version)
                if isinstance(exc, STORAGE_ERRORS):  # the store announces a failing disk
                    log.warning("alert %s was sent but could not be marked (%s)", alert.id, exc)
                else:
                    log.exception("alert %s was sent but could not be marked; retrying", alert.id)
                raise
            self._reported.clear()  # a later outage is reported again
            sent += 1
            done.add(alert.id)
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
            await self._paced()
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
        return self.bot.app.clock.now() + timedelta(seconds=retry_delay(alert, cap, minimum))

    async def _paced(self) -> None:
        """Wait for the channel's pace; while it holds the courier back, it is not working."""
        self.working = self._writes.delay() <= 0
        try:
            await self._writes.wait()
        finally:
            self.working = True

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
        await self._paced()
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
                await self._paced()
        nonce = alert.send_nonce if alert.delivered_message_id is None else None
        if nonce is None:  # a post again after the message was deleted: a nonce of its own
            nonce = f"a{alert.id:x}v{alert.version:x}r"
        message = await channel.send(embed=embed, view=view, nonce=channel_nonce(channel, nonce))
        return message.id
