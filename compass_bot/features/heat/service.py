"""Cooling down heated discussions (aanwijzing-5/7): the use cases both front ends call.

Every post in a watched channel feeds that channel's `ChannelWatch` (the pure rule's short
in-memory window: ids, times and scores, never the text). When the rule says so the front end
posts one calm nudge quoting aanwijzing-5, later sets the channel's native slowmode, and the
moderators get one alert per episode. Slowmodes the bot set are stored with the value they
replaced, so they are restored on time, also after a restart. Staff start and stop a slowmode
by hand and switch a channel off (`/afkoelen`); those actions are audited.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple

from compass_bot.features.alerts.model import Alert
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.features.base import KeepsNoMentions
from compass_bot.features.heat import texts
from compass_bot.features.heat.episode_alert import (
    HotPost,
    count_slowmode,
    count_threat,
    current,
    hotter,
    record_new,
    severe_in_episode,
    with_slowmode,
)
from compass_bot.features.heat.repo import HeatRepo, Slowmode
from compass_bot.features.heat.rules import (
    ChannelWatch,
    Heat,
    Post,
    shipped_lexicon,
)
from compass_bot.features.heat.rules_post import reader
from compass_bot.features.heat.rules_watch import BANTER_HEAT, CALM_HEAT
from compass_bot.features.heat.watching import ChannelInfo, WatchedChannels
from compass_bot.inputs import duration_minutes
from compass_bot.model import Done, Member, MessagePosted, Refusal
from compass_bot.texts import quoted

if TYPE_CHECKING:
    from compass_bot.app import Kernel

CLAUSE_ID: Final = "aanwijzing-5"
ACTION: Final = "cool_down"  # the staff action: /afkoelen and "slowmode nu uit"
MAX_MINUTES: Final = 24 * 60
_LANGUAGE_POSTS: Final = 10  # the channel "talks English" over its last posts
_KNOWN_AUTHORS: Final = 2000  # message id -> author id, for replies the front end cannot resolve
_NO_MENTIONS: Final[frozenset[int]] = frozenset()


class HeatPost(NamedTuple):
    """A post as the cool-down rule needs it: the post, whom it replies to, whom it mentions.

    Front ends leave bots out of `reply_to` and `mentions`; the service leaves staff out. A
    named tuple: immutable, and built for every post in a watched channel at a third of a
    frozen dataclass's cost."""

    event: MessagePosted
    reply_to_message: int | None = None
    reply_to: Member | None = None  # the replied-to post's author, when the front end knows it
    mentions: tuple[Member, ...] = ()


@dataclass(frozen=True, slots=True)
class SlowmodeOrder:
    """Set the channel's slowmode to `seconds` until `until` (and say so in the channel)."""

    channel_id: int
    channel_name: str
    seconds: int
    until: datetime
    notice: str
    actor: Member | None = None  # staff who started it (audited), None for the rule


@dataclass(frozen=True, slots=True)
class HeatOutcome:
    heat: Heat
    nudge: str | None = None
    slowmode: SlowmodeOrder | None = None
    alert: Alert | None = None
    alert_created: bool = False
    # a threat or death wish after the episode's nudge: its open alert counts it (no new nudge)
    escalated: bool = False


@dataclass
class _Channel:
    watch: ChannelWatch
    languages: deque[str] = field(default_factory=lambda: deque(maxlen=_LANGUAGE_POSTS))
    alert_id: int | None = None  # the episode's alert, restated when the bot slows it down
    involved: tuple[int, ...] = ()  # everyone the episode's alert names so far
    alert_at: datetime | None = None  # when the bot last acted on the episode (its alert)
    hottest: HotPost | None = None  # the post its alert shows (`episode_alert.hotter`)
    latest: HotPost | None = None  # the post at hand, when hostile
    shown: float = 0.0  # the hostility of the post its alert shows

    @property
    def talks_english(self) -> bool:
        return 2 * self.languages.count("en") > len(self.languages)


class RecentAuthors:
    """Who wrote the last `_KNOWN_AUTHORS` posts (message id -> author id), for a reply the
    front end cannot resolve; the oldest is forgotten first, a post seen again keeps its
    place. A dict and the ids in order: every post in a watched channel is remembered, and a
    plain dict's assignment costs half an `OrderedDict`'s."""

    __slots__ = ("_authors", "_order")

    def __init__(self) -> None:
        self._authors: dict[int, int] = {}
        self._order: deque[int] = deque()

    def remember(self, message_id: int, author: int) -> None:
        authors = self._authors
        if message_id not in authors:
            order = self._order
            order.append(message_id)
            if len(order) > _KNOWN_AUTHORS:
                del authors[order.popleft()]
        authors[message_id] = author

    def of(self, message_id: int) -> int | None:
        return self._authors.get(message_id)

    def items(self) -> list[tuple[int, int]]:
        """(message id, author), oldest first."""
        return list(self._authors.items())

    def forget(self, member_id: int) -> None:
        """Erasure: the member's posts are forgotten, the others keep their order."""
        authors = self._authors
        for message_id in [m for m, a in authors.items() if a == member_id]:
            del authors[message_id]
        self._order = deque(m for m in self._order if m in authors)


class HeatService(WatchedChannels, KeepsNoMentions):
    """The windows live in memory only; the slowmodes and switched-off channels in SQLite.
    Which channels are watched: `WatchedChannels.watches`."""

    def __init__(self, kernel: Kernel) -> None:
        super().__init__(kernel)
        self.repo = HeatRepo(kernel.db)
        self.settings = kernel.config.heat.settings()
        self._channels: dict[int, _Channel] = {}
        self._slowmodes: dict[int, Slowmode] = {}
        self._authors = RecentAuthors()
        self._reader = reader()

    async def load(self, now: datetime) -> None:
        """The switched-off channels and the slowmodes still to restore; the windows start
        empty (they are never stored)."""
        self._off = await self.repo.channels_off()
        self._slowmodes = {s.channel_id: s for s in await self.repo.slowmodes()}
        self._channels.clear()
        self._authors = RecentAuthors()
        # The lexicon is read here, at start, in a worker thread: not on the first post (its
        # buckets compile when first needed; the bot compiles them all: `warm_lexicon`).
        await asyncio.to_thread(shipped_lexicon)
        self._reader = reader()
        self._watched.clear()

    # -- which members ------------------------------------------------------------------

    def is_staff(self, member: Member) -> bool:
        """Staff are never watched, nor counted as targets (the shared check)."""
        return self.kernel.access.is_staff(member)

    # -- posts -----------------------------------------------------------------------------

    async def observe(self, post: HeatPost) -> HeatOutcome:
        """`decide`, and a nudge's alert recorded (`record_nudge`) in the same call."""
        outcome = self.decide(post)
        if outcome.nudge:
            return await self.record_nudge(post.event, outcome)
        if outcome.slowmode:
            return await self.record_slowmode(post.event, outcome)
        return await self.record_escalation(post.event, outcome) if outcome.escalated else outcome

    def decide(self, post: HeatPost) -> HeatOutcome:
        """Feed one post to its channel's window and say what to do, in memory (every post)."""
        event = post.event
        channel = event.channel
        if not self.watches(channel):
            return _QUIET_OUTCOME
        return self.decide_post(
            event.member,
            channel,
            event.at,
            event.content,
            event.message_id,
            post.reply_to_message,
            post.reply_to,
            post.mentions,
        )

    def decide_post(
        self,
        member: Member,
        channel: ChannelInfo,
        at: datetime,
        content: str,
        message_id: int | None,
        reply_to_message: int | None = None,
        reply_to: Member | None = None,
        mentions: tuple[Member, ...] = (),
    ) -> HeatOutcome:
        """`decide(HeatPost(MessagePosted(member, channel, at, content, message_id), ...))`
        of a post whose channel the caller found watched (`watches`): the screening asks that
        first, and builds neither for a post the rule does not act on."""
        staff = self.kernel.access.is_staff
        if staff(member):
            return _QUIET_OUTCOME
        channel_id = channel.id
        state = self._channels.get(channel_id)
        if state is None:
            state = self._channels[channel_id] = _Channel(ChannelWatch(self.settings))
        author = member.id
        target = (
            None
            if reply_to is None and reply_to_message is None  # most posts reply to nobody
            else _reply_target(self._authors, staff, author, reply_to_message, reply_to)
        )
        aimed = (
            frozenset(m.id for m in mentions if m.id != author and not staff(m))
            if mentions
            else _NO_MENTIONS
        )
        if message_id is not None:
            self._authors.remember(message_id, author)
        signals, said, language = self._reader.read(content)
        state.languages.append(language)
        if signals.hostility:  # a post with hostile words: the alert may show it (masked)
            hot = HotPost.of(signals, member, self.kernel.excerpt(content), message_id, at)
            state.hottest = hotter(state.hottest, hot, self.settings.window)
            state.latest = hot
        else:  # kept no longer than the window
            state.hottest, state.latest = current(state.hottest, at, self.settings.window), None
        heat = state.watch.observe(Post(author, at, signals, target, aimed, message_id, None, said))
        if heat is CALM_HEAT:  # the common case: a shared outcome
            return _QUIET_OUTCOME
        if heat is BANTER_HEAT:
            return _BANTER_OUTCOME
        if heat.action == "nudge":
            return HeatOutcome(heat, nudge=self.nudge_text(channel_id))
        if heat.action == "slowmode" and channel_id not in self._slowmodes:
            until = at + self.settings.slowmode_duration
            return HeatOutcome(heat, slowmode=self._order(channel, at, until, None))
        threat = severe_in_episode(state, at, self.settings.cooldown, signals.kinds)
        return HeatOutcome(heat, escalated=threat)

    def talks_english(self, channel_id: int) -> bool:
        state = self._channels.get(channel_id)
        return state is not None and state.talks_english

    def nudge_text(self, channel_id: int) -> str:
        """The calm message: no names, no pings; aanwijzing-5 quoted verbatim."""
        clause = self.kernel.book[CLAUSE_ID]
        return texts.nudge(clause.text, clause.text_en, self.talks_english(channel_id))

    def _order(
        self, channel: ChannelInfo, start: datetime, until: datetime, actor: Member | None
    ) -> SlowmodeOrder:
        seconds = self.kernel.config.heat.slowmode_seconds
        minutes = max(1, round((until - start).total_seconds() / 60))
        notice = texts.slowmode_notice(minutes, seconds, self.talks_english(channel.id))
        return SlowmodeOrder(channel.id, channel.name, seconds, until, notice, actor)

    async def record_nudge(self, event: MessagePosted, outcome: HeatOutcome) -> HeatOutcome:
        """The nudge's alert, one per episode (`episode_alert.record_new`)."""
        state = self._channels.get(event.channel.id)
        alert, created = await record_new(
            self.kernel, CLAUSE_ID, state, event, outcome.heat, self.settings.window
        )
        return replace(outcome, alert=alert, alert_created=created)

    async def record_slowmode(self, event: MessagePosted, outcome: HeatOutcome) -> HeatOutcome:
        """The bot slows the channel down: the episode's open alert says so by an edit
        (`count_slowmode`); without one (a restart, handled) an alert of its own."""
        heat = outcome.heat
        alert = await count_slowmode(self.kernel, self._channels.get(event.channel.id), event, heat)
        if alert is None:
            reason = with_slowmode(heat.reason)
            return await self.record_nudge(
                event, replace(outcome, heat=replace(heat, reason=reason))
            )
        return replace(outcome, alert=alert)

    async def record_escalation(self, event: MessagePosted, outcome: HeatOutcome) -> HeatOutcome:
        """A threat after the nudge (`count_threat`); an alert of its own once that is handled."""
        alert = await count_threat(
            self.kernel, self._channels.get(event.channel.id), event, outcome.heat
        )
        if alert is None:
            return await self.record_nudge(event, outcome)
        return replace(outcome, alert=alert)

    # -- slowmodes ---------------------------------------------------------------------------

    def running_slowmode(self, channel_id: int) -> Slowmode | None:
        return self._slowmodes.get(channel_id)

    async def slowmode_set(self, order: SlowmodeOrder, previous_seconds: int, at: datetime) -> None:
        """The front end set `order` on the channel, replacing `previous_seconds`: remember it
        (a running one keeps the value it found first) and audit a staff member's start."""
        running = self._slowmodes.get(order.channel_id)
        previous = running.previous_seconds if running is not None else previous_seconds
        slowmode = Slowmode(order.channel_id, previous, order.seconds, order.until)
        self._slowmodes[order.channel_id] = slowmode
        if order.actor is not None:
            await self.kernel.db.audit(
                at,
                order.actor.id,
                "heat.slowmode_start",
                order.channel_id,
                {"seconds": order.seconds, "until": order.until.isoformat()},
                commit=False,
            )
        await self.repo.save_slowmode(slowmode)

    def due_slowmodes(self, now: datetime) -> list[Slowmode]:
        """The bot's slowmodes whose time is up (also those that ran out while it was away)."""
        return [s for s in self._slowmodes.values() if s.until <= now]

    async def slowmode_ended(
        self, channel_id: int, at: datetime, actor: Member | None = None
    ) -> None:
        """The front end restored (or gave up on) the channel's slowmode: forget it."""
        slowmode = self._slowmodes.pop(channel_id, None)
        if actor is not None and slowmode is not None:
            await self.kernel.db.audit(
                at,
                actor.id,
                "heat.slowmode_stop",
                channel_id,
                {"restored": slowmode.previous_seconds},
                commit=False,
            )
        await self.repo.drop_slowmode(channel_id)

    # -- staff -----------------------------------------------------------------------------

    def start_slowmode(
        self, actor: Member, channel: ChannelInfo, at: datetime, minutes: int | str | None = None
    ) -> SlowmodeOrder | Refusal:
        """/afkoelen start: a slowmode now, for `minutes` (default heat.slowmode_minutes), typed
        as a permission's duration is ("20", "1 uur", "1,5 uur", "1u30")."""
        if (refused := self.kernel.access.refusal(actor, ACTION)) is not None:
            return refused
        if minutes is None:
            minutes = self.kernel.config.heat.slowmode_minutes
        elif isinstance(minutes, str):
            read = duration_minutes(minutes)
            if read is None:
                return Refusal(texts.BAD_MINUTES.format(value=quoted(minutes)))
            minutes = read
        if not 1 <= minutes <= MAX_MINUTES:
            return Refusal(texts.MINUTES_OUT_OF_RANGE.format(value=minutes))
        until = at + timedelta(minutes=minutes)
        return self._order(channel, at, until, actor)

    def stop_slowmode(
        self, actor: Member, channel_id: int, channel_name: str
    ) -> Slowmode | Refusal:
        """/afkoelen stop and "slowmode nu uit": the bot's running slowmode, to restore now."""
        if (refused := self.kernel.access.refusal(actor, ACTION)) is not None:
            return refused
        running = self._slowmodes.get(channel_id)
        if running is None:
            return Refusal(texts.NOT_RUNNING.format(channel=channel_name))
        return running

    async def slowmode_for_alert(self, actor: Member, alert_id: int) -> Slowmode | Refusal:
        """The running slowmode in the channel of a heat alert (for its button)."""
        if (refused := self.kernel.access.refusal(actor, ACTION)) is not None:
            return refused
        alert = await self.kernel.alerts.repo.alert(alert_id)
        if alert is None:
            return Refusal(no_such_alert(alert_id))
        if alert.rule != CLAUSE_ID or alert.channel_id is None:
            return Refusal(texts.ALERT_NOT_HEAT.format(alert_id=alert_id))
        running = self._slowmodes.get(alert.channel_id)
        if running is None:
            return Refusal(texts.ALERT_NOT_RUNNING.format(alert_id=alert_id))
        return running

    async def set_watching(
        self, actor: Member, channel: ChannelInfo, on: bool, at: datetime
    ) -> Done | Refusal:
        """/afkoelen uit (never watch this channel, e.g. a debate class) and /afkoelen aan."""
        if (refused := self.kernel.access.refusal(actor, ACTION)) is not None:
            return refused
        if on == (channel.id not in self._off):
            if on and not self.watches(channel):  # never off, but not watched either
                return Done(texts.NOT_WATCHED.format(channel=channel.name))
            return Done(
                (texts.ALREADY_ON if on else texts.ALREADY_OFF).format(channel=channel.name)
            )
        await self.repo.set_channel_off(channel.id, not on, at)
        await self.kernel.db.audit(
            at, actor.id, "heat.watch_on" if on else "heat.watch_off", channel.id, commit=False
        )
        await self.kernel.db.commit()
        if on:
            self._off.discard(channel.id)
        else:
            self._off.add(channel.id)
            self._channels.pop(channel.id, None)  # its window is forgotten
        message = (texts.CHANNEL_ON if on else texts.CHANNEL_OFF).format(channel=channel.name)
        if on and not self.watches(channel):
            message += " " + texts.NOT_WATCHED.format(channel=channel.name)
        return Done(message)

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """The heat tables hold channels and times only (the windows go in `forget`); the
        member leaves the others' heat alerts' members too (`_without_member`)."""
        return {"heat_alert_members": await _without_member(self.kernel, member_id)}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        """Nothing about members is stored, so nothing expires."""
        return {}

    def forget(self, member_id: int) -> None:
        """Erasure: the member leaves every window; the posts kept for alerts go too (theirs,
        or another's that may name them: an alert then shows the post at hand)."""
        for state in self._channels.values():
            state.watch.forget(member_id)
            state.involved = tuple(m for m in state.involved if m != member_id)
            state.hottest = state.latest = None
        self._authors.forget(member_id)


async def warm_lexicon() -> None:
    """Compile every bucket of the lexicon in a worker thread, so no member's post waits on
    one (the Discord bot at start; the console and command lines skip it)."""
    await asyncio.to_thread(shipped_lexicon().buckets.compile_all)


def _reply_target(
    authors: RecentAuthors,
    is_staff: Callable[[Member], bool],
    author_id: int,
    reply_to_message: int | None,
    reply_to: Member | None,
) -> int | None:
    """Whom a reply aims at: the replied-to member (never staff, nor the author), else the
    author of the replied-to post as remembered (`authors`: only non-staff posts are kept)."""
    if reply_to is not None:
        if is_staff(reply_to) or reply_to.id == author_id:
            return None
        return reply_to.id
    if reply_to_message is None:
        return None
    author = authors.of(reply_to_message)
    return None if author == author_id else author


_QUIET_OUTCOME: Final = HeatOutcome(CALM_HEAT)
_BANTER_OUTCOME: Final = HeatOutcome(BANTER_HEAT)


async def _without_member(kernel: Kernel, member_id: int) -> int:
    """Erasure: drop the member from the stored members of every heat alert ("...|1,2"),
    re-delivered so the moderators' copy loses the name too. No commit: the erasure is one
    transaction."""
    db, changed = kernel.db, 0
    rows = await db.fetchall(
        "SELECT id, detail FROM alerts WHERE rule = ? AND detail LIKE '%|%'", (CLAUSE_ID,)
    )
    for row in rows:
        detail = str(row["detail"])
        members = texts.involved(detail)
        if member_id in members:
            kept = tuple(m for m in members if m != member_id)
            await db.execute(
                "UPDATE alerts SET detail = ?, delivery = 'pending', version = version + 1,"
                " next_attempt_at = NULL WHERE id = ?",
                (texts.detail_of(detail.partition("|")[0], kept), row["id"]),
            )
            changed += 1
    return changed
