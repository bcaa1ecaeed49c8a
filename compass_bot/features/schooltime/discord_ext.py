"""School time: posts in social channels during lessons, and teachers' permission grants."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from compass_bot.discord_front.convert import channel_info
from compass_bot.discord_front.embeds import warning_embed
from compass_bot.discord_front.once import SaidOnce, remove_post
from compass_bot.discord_front.warn import warn_author
from compass_bot.features.schooltime.discord_grants import PermissionGrants
from compass_bot.features.schooltime.missed import (
    CATCH_UP_LIMIT,
    CATCH_UP_WINDOW,
    SeenPosts,
    still_worth_a_warning,
)
from compass_bot.features.schooltime.rules import TimeVerdict, is_watched
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import MessagePosted, Warning

if TYPE_CHECKING:
    from compass_bot.app import App
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.screening import Post, PostAction

log = logging.getLogger("compass_bot.discord.schooltime")
FALLBACK_SECONDS = 30.0
MARK_FLUSH_SECONDS = 60.0
POST_DELETED = "Je bericht is daarom verwijderd."
POST_DELETED_EN = "Your post was removed for this reason."


class SchoolTime(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        # The last post seen per channel, kept by each school in its own database.
        self._seen = {s: SeenPosts(s.app[SchoolTimeService].repo) for s in bot.schools}
        self._catching_up: list[asyncio.Task[None]] = []
        self._cannot_delete = SaidOnce()  # channels logged as "may not delete", until it may

    @property
    def seen(self) -> SeenPosts:
        return self._seen[self.bot.school]

    async def cog_load(self) -> None:
        for _school in self.bot.each_school():
            await self.seen.load()
        self.flush_marks.start()

    async def cog_unload(self) -> None:
        self.flush_marks.cancel()
        for task in self._catching_up:
            task.cancel()
        await self._flush_quietly()

    @tasks.loop(seconds=MARK_FLUSH_SECONDS)
    async def flush_marks(self) -> None:
        await self._flush_quietly()

    async def _flush_quietly(self) -> None:
        for _school in self.bot.each_school():
            try:
                await self.seen.flush()
            except Exception as exc:  # storage trouble is reported by the store's own paths
                log.warning("could not save the last posts seen: %s", exc)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Back after a start or a reconnect that could not resume: judge what was missed."""
        if all(task.done() for task in self._catching_up):
            self._catching_up = self.bot.start_per_school(
                lambda _school: self.catch_up(), "school-time-catch-up"
            )

    async def catch_up(self) -> None:
        """Read each watched channel's history after the last post seen (bounded in time and
        count) and judge those posts once; breaches are alerted, recent ones also warned."""
        await self.bot.ready_event.wait()  # the server's channels are resolved by then
        guild = self.bot.school_guild
        if guild is None or "school_time" in self.bot.setup.disabled:
            return
        now = self.bot.app.clock.now()
        oldest = discord.utils.time_snowflake(now - CATCH_UP_WINDOW)
        read = flagged = channels = 0
        for channel in guild.text_channels:
            info = channel_info(channel)
            mark = self.seen.mark(channel.id)
            if (
                info is None
                or mark is None
                or not is_watched(info, self.bot.app.config.school_time)
            ):
                continue  # a channel never seen has nothing to catch up on
            if not channel.permissions_for(guild.me).read_message_history:
                continue
            channels += 1
            try:
                async for message in channel.history(
                    limit=CATCH_UP_LIMIT, after=discord.Object(max(mark, oldest)), oldest_first=True
                ):
                    read += 1
                    flagged += await self.judge_post(message, message.created_at, late=True)
            except discord.HTTPException as exc:
                log.warning("could not read the history of #%s to catch up: %s", channel.name, exc)
        if read:
            log.info(
                "caught up on %d posts in %d channels missed while away; %d broke the rule",
                read,
                channels,
                flagged,
            )

    def check_post(self, post: Post) -> PostAction | None:
        """The screening's check (`Feature.post_check`): a post or edit judged by when it
        counts as posted (its own timestamp or the edit's), never by the clock; only a breach
        returns the action."""
        channel = post.channel
        if channel is None:
            return None
        # None: `not_watched`, whoever posts (no author needed)
        verdict = post.app[SchoolTimeService].judge_screened(post.at, channel, post)
        if verdict is None:
            return None
        if verdict.allowed:  # `_decide` of an allowed post, without its second look
            if not post.edited and verdict.reason != "not_watched":
                self._seen[post.school].saw(channel.id, post.message.id)
            return None
        event = post.event
        assert event is not None  # a post with a channel has its event
        found = self._decide(
            post.message, event, not post.edited, post.app, self._seen[post.school], verdict
        )
        if found is None:
            return None
        return self._act(post.message, found[0], found[1], post.at, late=False)

    async def judge_post(
        self, message: discord.Message, at: datetime, *, late: bool = False
    ) -> bool:
        """The school-time rule for one post (or edit) at `at`: warn and alert on a breach.

        `late` is a post read back after downtime. Returns whether the post broke the rule."""
        event = self.bot.school_post(message, at)
        if event is None:
            return False
        found = self._decide(message, event, at == message.created_at, self.bot.app, self.seen)
        if found is None:
            return False
        await self._act(message, found[0], found[1], at, late=late)
        return True

    def _decide(
        self,
        message: discord.Message,
        event: MessagePosted,
        first: bool,
        app: App,
        seen: SeenPosts,
        verdict: TimeVerdict | None = None,
    ) -> tuple[MessagePosted, TimeVerdict] | None:
        """In memory: the verdict (`verdict`: already judged), the post marked as seen
        (`first`: judged as posted, not as edited); the breach, or None when allowed."""
        service = app[SchoolTimeService]
        if verdict is None:
            verdict = service.judge(event)
        if not verdict.allowed and self.bot.question_in(message) is not None:
            # Only a would-be breach pays for the addressed-to-the-bot check.
            event = dataclasses.replace(event, to_the_bot=True)
            verdict = service.judge(event)
        if first and verdict.reason != "not_watched":
            seen.saw(event.channel.id, message.id)
        if verdict.allowed:
            return None
        return event, verdict

    async def _act(
        self,
        message: discord.Message,
        event: MessagePosted,
        verdict: TimeVerdict,
        at: datetime,
        *,
        late: bool,
    ) -> None:
        """A breach: record it, alert, maybe delete the post, warn the author."""
        outcome = await self.bot.app[SchoolTimeService].message_posted(event, verdict)
        await self._flush_quietly()  # a flagged post is never judged twice
        if outcome.alert is not None:
            self.bot.outbox_wakeup.set()
        # Delete first, so the fallback reply never points at a post that is about to vanish.
        deleted = (
            await remove_post(
                message, self._cannot_delete, log, "school_time.action is warn_and_delete"
            )
            if outcome.delete_post
            else False
        )
        if outcome.warning is not None and (
            not late or still_worth_a_warning(at, self.bot.app.clock.now())
        ):
            await self.warn(message, outcome.warning, deleted=deleted)

    async def warn(
        self, message: discord.Message, warning: Warning, *, deleted: bool = False
    ) -> None:
        """DM the warning; with DMs closed, a short reply in the channel that removes itself.

        Neither version repeats what the member wrote, and neither can ping anyone.
        """
        embed = warning_embed(warning)
        if deleted:
            embed.add_field(
                name="\u200b", value=f"{POST_DELETED} ({POST_DELETED_EN})", inline=False
            )
        fallback = warning.short(POST_DELETED, POST_DELETED_EN) if deleted else warning.short()
        await warn_author(
            self.bot, message, embed, fallback, deleted=deleted, keep_for=FALLBACK_SECONDS
        )


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(SchoolTime(bot))
    await bot.add_cog(PermissionGrants(bot))
