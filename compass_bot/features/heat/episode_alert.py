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
    latest: HotPost | None  # the post at hand when it is hostile (`hotter` may keep another)
    shown: float  # the hostility of the post its alert shows


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


def with_kinds(reason: str, more: str, codes_too: bool = True) -> str:
    """The stored reason `reason` with the codes (unless not `codes_too`) and kinds of
    wording of `more` added, so a restated alert never loses what it said: "fast: insult" and
    "pile-on+slowmode: threat" -> "fast+pile-on+slowmode: insult,threat" (each in the order
    found, the bot's slowmode last)."""
    codes, _, kinds = reason.partition(": ")
    more_codes, _, more_kinds = more.partition(": ")
    more_codes = more_codes if codes_too else ""
    found_codes = list(dict.fromkeys(c for c in (*codes.split("+"), *more_codes.split("+")) if c))
    found_codes.sort(key=lambda c: c == "slowmode")  # stable: what the bot did comes last
    found = list(dict.fromkeys(k for k in (*kinds.split(","), *more_kinds.split(",")) if k))
    return "+".join(found_codes) + (f": {','.join(found)}" if found else "")


def with_slowmode(reason: str) -> str:
    """ "pile-on: insult" -> "pile-on+slowmode: insult" (the stored reason's codes)."""
    codes, _, kinds = reason.partition(": ")
    return f"{codes}+slowmode" + (f": {kinds}" if kinds else "")


def to_show(episode: Episode, alert: Alert) -> HotPost | None:
    """The post a restated alert shows instead of its own: the most hostile recent post or
    the post at hand, when the alert's member wrote it (another's words never stand under
    that member's name) and it is at least as hostile as the post shown; None keeps it."""
    posts = [
        p
        for p in (episode.hottest, episode.latest)
        if p is not None and p.member.id == alert.member_id
    ]
    best = max(posts, key=lambda p: p.hostility, default=None)
    return best if best is not None and best.hostility >= episode.shown else None


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
        repeats=False,  # one alert per episode: a later episode's never overwrites it
    )
    if episode is not None:
        episode.alert_id, episode.involved = (alert.id if alert else None), heat.members
        episode.alert_at, episode.hottest, episode.shown = event.at, None, shown.hostility
    return alert, created


async def restate(
    kernel: Kernel, episode: Episode, alert: Alert, reason: str, at: datetime, codes: bool = True
) -> None:
    """The episode's open alert once more: `reason` joins what it said (`with_kinds`; its
    kinds of wording only when not `codes`), and
    it shows a post of its member at least as hostile as its own (`to_show`), masked. Written
    under the store's write lock, or kept and retried while storage fails: the slowmode itself
    never waits on it."""
    stored = (alert.detail or "").partition("|")[0] or reason
    detail = texts.detail_of(with_kinds(stored, reason, codes), episode.involved)
    episode.alert_at = at
    shown = to_show(episode, alert)
    if shown is not None:
        episode.shown = shown.hostility
    excerpt = shown.excerpt if shown is not None else None

    async def write() -> None:
        async with kernel.db.write_lock:
            await kernel.alerts.repo.restate(alert.id, alert.count + 1, detail, at, excerpt)
            await kernel.db.commit()

    await kernel.alerts.write_or_defer(("heat.slowmode", alert.id), write)


async def count_slowmode(
    kernel: Kernel, episode: Episode | None, event: MessagePosted, heat: Heat
) -> Alert | None:
    """The bot slows the channel down: the episode's open alert says so by an edit (who
    joined, one time more). None when there is no open alert to edit (a restart, handled)."""
    alert = await open_alert(kernel, episode.alert_id if episode else None)
    if episode is None or alert is None:
        return None
    episode.involved = tuple(dict.fromkeys((*episode.involved, *heat.members)))
    await restate(kernel, episode, alert, with_slowmode(heat.reason), event.at)
    return alert


async def count_threat(
    kernel: Kernel, episode: Episode | None, event: MessagePosted, heat: Heat
) -> Alert | None:
    """A threat or death wish after the nudge: the episode's open alert counts it once more,
    names its author among the involved and adds its kinds of wording, so it reaches the
    moderators; it shows the threat (masked) when its author is the member the alert names
    and it is at least as hostile as the post shown. None when there is no open alert to
    count it in."""
    alert = await open_alert(kernel, episode.alert_id if episode else None)
    if episode is None or alert is None:
        return None
    episode.involved = tuple(dict.fromkeys((*episode.involved, event.member.id, *heat.members)))
    # its kinds of wording only: the heat at one post after the nudge says nothing new of the
    # episode's course (it may even read "calm")
    await restate(kernel, episode, alert, heat.reason, event.at, codes=False)
    return alert
