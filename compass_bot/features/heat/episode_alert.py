"""The alert of one heated episode: restated when the bot slows the channel down and when a
threat or death wish follows the nudge, so moderators see the whole episode in one alert."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from compass_bot.features.alerts.model import Alert
from compass_bot.features.heat import texts
from compass_bot.storage.db import STORAGE_ERRORS

if TYPE_CHECKING:
    from compass_bot.app import Kernel
    from compass_bot.features.heat.rules import Heat
    from compass_bot.features.heat.rules_signals import PostSignals
    from compass_bot.model import Member, MessagePosted


class Episode(Protocol):
    """What a watched channel keeps of its episode's alert (`service._Channel`)."""

    alert_id: int | None
    involved: tuple[int, ...]
    alert_at: datetime | None
    hottest: HotPost | None


class HotPost(NamedTuple):
    """The most hostile post of a channel's recent posts, by the words it uses: the post its
    alert shows (author, excerpt, link), not whoever happened to post when the heat crossed
    the threshold. Kept in memory only, as the alert's masked excerpt (never the raw text),
    until its alert is written, a hotter one comes, the window has passed (`current`) or a
    member is erased."""

    hostility: float  # the lexicon's, a severe kind counting over any other
    member: Member
    excerpt: str | None  # masked as every alert excerpt (`Kernel.excerpt`)
    message_id: int | None
    at: datetime

    @classmethod
    def of(
        cls,
        signals: PostSignals,
        member: Member,
        excerpt: str | None,
        message_id: int | None,
        at: datetime,
    ) -> HotPost:
        """The post with its words' hostility, a threat, death wish or exposure above the rest."""
        return cls(signals.hostility + severe(signals.kinds), member, excerpt, message_id, at)


def hotter(kept: HotPost | None, post: HotPost, window: timedelta) -> HotPost:
    """`post` when it is at least as hostile as `kept` or `kept` is older than `window`."""
    if kept is None or post.hostility >= kept.hostility or post.at - kept.at > window:
        return post
    return kept


def current(kept: HotPost | None, at: datetime, window: timedelta) -> HotPost | None:
    """`kept` while it is within `window` of `at`; None (let go) once it is older."""
    return kept if kept is not None and at - kept.at <= window else None


# Kinds of wording that reach the moderators however far the episode is (texts.WORDING_LABELS)
SEVERE_KINDS: Final = frozenset({"threat", "self-harm-wish", "exposure"})


def severe(kinds: tuple[str, ...]) -> bool:
    """The post threatens someone, wishes them dead or threatens to expose them."""
    return not SEVERE_KINDS.isdisjoint(kinds)


def severe_in_episode(
    episode: Episode, at: datetime, cooldown: timedelta, kinds: tuple[str, ...]
) -> bool:
    """A severe post (`severe`) within a cool-down of the bot's last action on the episode:
    counted in its alert (`count_threat`), though the rule does not act again so soon."""
    last = episode.alert_at
    return last is not None and at - last <= cooldown and severe(kinds)


def with_kinds(reason: str, more: str) -> str:
    """The stored reason `reason` with the kinds of wording of `more` added after its own:
    "fast: insult" and "pile-on: threat" -> "fast: insult,threat"."""
    codes, _, kinds = reason.partition(": ")
    found = [k for k in kinds.split(",") if k]
    found += [k for k in more.partition(": ")[2].split(",") if k and k not in found]
    return codes + (f": {','.join(found)}" if found else "")


def with_slowmode(reason: str) -> str:
    """ "pile-on: insult" -> "pile-on+slowmode: insult" (the stored reason's codes)."""
    codes, _, kinds = reason.partition(": ")
    return f"{codes}+slowmode" + (f": {kinds}" if kinds else "")


async def open_alert(kernel: Kernel, alert_id: int | None) -> Alert | None:
    """The episode's alert while it is still open; None (a new alert then) when it is
    handled, gone, or cannot be read while storage fails."""
    if alert_id is None or kernel.alerts.storage_failing:
        return None
    try:
        alert = await kernel.alerts.repo.alert(alert_id)
    except STORAGE_ERRORS:
        return None
    return alert if alert is not None and alert.status == "open" else None


async def record_new(
    kernel: Kernel,
    rule: str,
    episode: Episode | None,
    event: MessagePosted,
    heat: Heat,
    window: timedelta,
) -> tuple[Alert | None, bool]:
    """The nudge's alert, one per episode: its most hostile post (who wrote it, what it says,
    masked), a link to where it turned, who is involved. The episode then remembers it (a
    flag kept in memory while storage fails has no alert yet) and starts its next post anew."""
    # the most hostile recent post, else `event` itself (the learned signal alone found the
    # heat: no word stands out)
    shown = current(episode.hottest if episode else None, event.at, window)
    if shown is None:
        shown = HotPost(
            0.0, event.member, kernel.excerpt(event.content), event.message_id, event.at
        )
    alert, created = await kernel.alerts.record(
        rule,
        shown.member,
        event.at,
        event.guild_id,
        channel_id=event.channel.id,
        message_id=heat.turned_message_id or shown.message_id,  # read down from the turn
        excerpt=shown.excerpt,
        detail=texts.detail_of(heat.reason, heat.members),
    )
    if episode is not None:
        episode.alert_id, episode.involved = (alert.id if alert else None), heat.members
        episode.alert_at, episode.hottest = event.at, None
    return alert, created


async def restate(
    kernel: Kernel, alert: Alert, detail: str, at: datetime, excerpt: str | None = None
) -> None:
    """The edit, written under the store's write lock, or kept and retried while storage
    fails: the slowmode itself never waits on it. `excerpt` (masked) replaces the shown post."""

    async def write() -> None:
        async with kernel.db.write_lock:
            await kernel.alerts.repo.restate(alert.id, alert.count + 1, detail, at, excerpt)
            await kernel.db.commit()

    await kernel.alerts.write_or_defer(("heat.slowmode", alert.id), write)


async def count_threat(
    kernel: Kernel, episode: Episode | None, event: MessagePosted, heat: Heat
) -> Alert | None:
    """A threat or death wish after the nudge: the episode's open alert counts it once more,
    names its author among the involved and adds its kinds of wording, so it reaches the
    moderators; it shows the threat (masked) when its author is the member the alert names
    (another's words never stand under that member's name). None when there is no open alert
    to count it in."""
    alert = await open_alert(kernel, episode.alert_id if episode else None)
    if episode is None or alert is None:
        return None
    episode.involved = tuple(dict.fromkeys((*episode.involved, event.member.id, *heat.members)))
    episode.alert_at = event.at
    reason = with_kinds((alert.detail or "").partition("|")[0] or heat.reason, heat.reason)
    detail = texts.detail_of(reason, episode.involved)
    same_author = alert.member_id == event.member.id
    await restate(
        kernel, alert, detail, event.at, kernel.excerpt(event.content) if same_author else None
    )
    return alert
