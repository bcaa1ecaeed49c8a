"""One screening per post: one listener for posts and edits, every feature's check in turn.

discord.py starts a task per listener and event, so one listener per feature cost a task, a
conversion lookup and its own guards per feature on every post. Here the bot's own
`on_message` / `on_raw_message_edit` convert the post once (`Post`) and call each feature's
post check (`Feature.post_check`) in the registry's order. A check decides synchronously and
in memory; a post that needs no action ends there (no task, no I/O, no SQLite). A check that
wants to act returns the coroutine that acts; the actions of one post run concurrently, and a
failing one is logged with its feature, never raised into discord.py nor stopping the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from compass_bot.discord_front.convert import member_channel, member_of
from compass_bot.model import Member, MessagePosted

if TYPE_CHECKING:
    from compass_bot.app import App
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.schools import School
    from compass_bot.features.base import Feature
    from compass_bot.features.schooltime.rules import ChannelInfo

log = logging.getLogger("compass_bot.discord.screening")

PostAction = Coroutine[Any, Any, object]


class Post:
    """One post (or edit) as every check reads it, built once per event.

    `channel` is where a member's post in the school's server was made, as the message rules
    read it (`convert.member_channel`); None for DMs, bots, system messages and other servers.
    For such a post `member` (its author, `convert.member_of`) and `event` (the whole post as
    the message rules read it, `convert.member_post`'s) are built when a check first asks: a
    post in a channel no rule watches needs neither, most posts never need the `event`.
    `event` is None exactly when `channel` is. `at` is when the post counts as posted (its own
    timestamp, or the edit's); `school` and `app` are the school it belongs to.

    Built from a finished conversion (`event` given, or None) or, by the screening, from the
    channel alone (`Post.screened`)."""

    __slots__ = (
        "_event",
        "_member",
        "app",
        "at",
        "channel",
        "edited",
        "guild_id",
        "message",
        "school",
    )

    def __init__(
        self,
        message: discord.Message,
        at: datetime,
        edited: bool,
        event: MessagePosted | None,
        school: School,
    ) -> None:
        self.message = message
        self.at = at
        self.edited = edited
        self.school = school
        self.app: App = school.app
        self._event = event
        self.channel: ChannelInfo | None = None if event is None else event.channel
        self._member: Member | None = None if event is None else event.member
        self.guild_id: int | None = None if event is None else event.guild_id

    @classmethod
    def screened(cls, message: discord.Message, at: datetime, edited: bool, school: School) -> Post:
        """The post as the screening builds it: its channel now (the guards of
        `member_post`), its author and the whole post when a check asks."""
        guild = school.setup.guild
        guild_id = guild.id if guild is not None else None
        post = cls.__new__(cls)  # every post: its slots set once, no conditionals
        post.message = message
        post.at = at
        post.edited = edited
        post.school = school
        post.app = school.app
        post._event = post._member = None
        post.channel = member_channel(message, guild_id)
        post.guild_id = guild_id
        return post

    @property
    def member(self) -> Member:
        """The author as the rules read them (for a post with a `channel`)."""
        member = self._member
        if member is None:
            member = self._member = member_of(self.message.author)
        return member

    @property
    def event(self) -> MessagePosted | None:
        """`member_post` of this post: None when it is no member's post in the school's
        server, built on first use."""
        event = self._event
        if event is None and self.channel is not None:
            message = self.message
            event = self._event = MessagePosted(
                self.member, self.channel, self.at, message.content, message.id, self.guild_id
            )
        return event


# A feature's check: None when the post needs nothing from it, else the coroutine that acts.
PostCheck = Callable[[Post], PostAction | None]


def post_checks(bot: CompassBot, features: Sequence[Feature]) -> list[tuple[str, PostCheck]]:
    """Each feature's declared check, bound to its loaded cog, in the features' order. A
    declaration that names no loaded cog or method is a programming error, raised at start."""
    checks: list[tuple[str, PostCheck]] = []
    for feature in features:
        if feature.post_check is None:
            continue
        cog_name, _, method = feature.post_check.partition(".")
        cog = bot.get_cog(cog_name)
        check = getattr(cog, method, None) if cog is not None else None
        if not callable(check):
            raise RuntimeError(
                f"feature {feature.name}: post_check {feature.post_check!r} names no check of "
                "a loaded cog"
            )
        checks.append((feature.name, check))
    return checks


class Screening:
    """The checks in order, and how one post goes through them."""

    def __init__(self, checks: Sequence[tuple[str, PostCheck]] = ()) -> None:
        self.checks = tuple(checks)

    def decide(self, post: Post) -> list[tuple[str, PostAction]] | None:
        """Every check, in order, synchronously: the actions the post needs (None: none). A
        check that raises is logged with its feature; the other checks still run."""
        actions: list[tuple[str, PostAction]] | None = None
        for name, check in self.checks:
            try:
                action = check(post)
            except Exception:
                log.exception("%s: checking post %s failed", name, post.message.id)
                continue
            if action is not None:
                if actions is None:
                    actions = []
                actions.append((name, action))
        return actions

    async def act(self, message: discord.Message, actions: list[tuple[str, PostAction]]) -> None:
        """The actions of one post, concurrently; each failure logged with its feature. A
        lone action runs in the listener's own task (no second task, no extra loop turn, so
        it starts as soon as a listener of its own would have)."""
        if len(actions) == 1:
            name, action = actions[0]
            try:
                await action
            except Exception as exc:
                log.error("%s: acting on post %s failed", name, message.id, exc_info=exc)
            return
        results = await asyncio.gather(*(a for _, a in actions), return_exceptions=True)
        for (name, _), result in zip(actions, results, strict=True):
            if isinstance(result, Exception):
                log.error("%s: acting on post %s failed", name, message.id, exc_info=result)

    def screen(
        self, bot: CompassBot, message: discord.Message, at: datetime, edited: bool
    ) -> Awaitable[None] | None:
        """Convert the post once (lazily: `Post`) and decide: None when it needs no action,
        else the awaitable that acts (the listener awaits it). The current school is looked up
        once per post."""
        actions = self.decide(Post.screened(message, at, edited, bot.school))
        return None if actions is None else self.act(message, actions)
