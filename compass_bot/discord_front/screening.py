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

from compass_bot.model import MessagePosted

if TYPE_CHECKING:
    from compass_bot.app import App
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.schools import School
    from compass_bot.features.base import Feature

log = logging.getLogger("compass_bot.discord.screening")

PostAction = Coroutine[Any, Any, object]


class Post:
    """One post (or edit) as every check reads it, built once per event.

    `event` is the member's post in the school's server as the message rules read it (None
    for DMs, bots, system messages and other servers); `at` is when it counts as posted (its
    own timestamp, or the edit's); `school` and `app` are the school it belongs to."""

    __slots__ = ("app", "at", "edited", "event", "message", "school")

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
        self.event = event
        self.school = school
        self.app: App = school.app


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
        """Convert the post once and decide: None when it needs no action, else the awaitable
        that acts (the listener awaits it). The current school is looked up once per post."""
        school = bot.school
        event = bot.school_post(message, at, school)
        actions = self.decide(Post(message, at, edited, event, school))
        return None if actions is None else self.act(message, actions)
