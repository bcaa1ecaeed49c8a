"""The weekly digest on Discord: posted in the moderators' channel at the configured local
time (the run is recorded first, so a week is posted once, and caught up once after
downtime), and `/overzicht [week]` on demand, ephemeral. The chart is drawn in a thread."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from compass_bot.discord_front.convert import member_of
from compass_bot.discord_front.pacing import woken
from compass_bot.features.digest import texts
from compass_bot.features.digest.chart import render_chart
from compass_bot.features.digest.rules import Digest, WeekError
from compass_bot.features.digest.service import DigestService
from compass_bot.storage.db import STORAGE_ERRORS

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot
    from compass_bot.discord_front.schools import School

log = logging.getLogger("compass_bot.discord.digest")
COLOUR = 0x2E86C1
FIELD_LIMIT = 1024
CHECK_SECONDS = 60.0  # a clock moved by hand is noticed this soon (or at once: `wake`)
# A post Discord refused is tried again after a pause that doubles up to an hour: a lost
# permission can take a while to mend, and each try draws the chart anew.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MOST = timedelta(hours=1)


@dataclass(slots=True)
class _Refused:
    """A week whose post failed: not tried again before `retry_at`."""

    week: str
    retry_at: datetime
    pause: timedelta
    tries: int


def _field(lines: list[str]) -> str:
    """Lines joined within an embed field's limit (what does not fit is counted)."""
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        line = line[:300]
        if size + len(line) + 1 > FIELD_LIMIT - 20:
            out.append(f"... (+{len(lines) - i})")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out) or "-"


class WeeklyDigest(commands.Cog):
    def __init__(self, bot: CompassBot) -> None:
        self.bot = bot
        self.check_seconds = CHECK_SECONDS
        # One wake-up per school: each school's digest task clears its own.
        self._wakeups = {school: asyncio.Event() for school in bot.schools}
        self._tasks: list[asyncio.Task[None]] = []
        self._refused: dict[School, _Refused] = {}

    def wake(self) -> None:
        """Look at the clock again now (it was moved: tests, a corrected system clock)."""
        for wakeup in self._wakeups.values():
            wakeup.set()

    @property
    def service(self) -> DigestService:
        return self.bot.app[DigestService]

    async def cog_load(self) -> None:
        self._tasks = self.bot.start_per_school(self._run_if_enabled, "weekly-digest")

    async def _run_if_enabled(self, school: School) -> None:
        if school.app[DigestService].settings.enabled:
            await self.run()

    async def cog_unload(self) -> None:
        for task in self._tasks:
            task.cancel()

    def embed(self, digest: Digest, filename: str) -> discord.Embed:
        language = self.service.settings.language
        title, span = texts.heading(digest, language)
        embed = discord.Embed(title=title, description=span, colour=COLOUR)
        title_of = texts.clause_titles(self.bot.app.book, language)
        for head, lines in texts.sections(digest, language, title_of):
            embed.add_field(name=head[:256], value=_field(lines), inline=False)
        embed.set_image(url=f"attachment://{filename}")
        return embed

    async def render(self, digest: Digest) -> tuple[discord.Embed, discord.File]:
        loaded = self.bot.app.loaded
        png = await render_chart(
            digest, self.service.settings.language, loaded.database_path, loaded.school
        )
        filename = texts.png_name(digest)
        return self.embed(digest, filename), discord.File(io.BytesIO(png), filename=filename)

    # -- the weekly post ---------------------------------------------------------------------

    async def run(self) -> None:
        """Post the due week (once), then sleep until the next digest moment."""
        await self.bot.ready_event.wait()
        while True:
            wakeup = self._wakeups[self.bot.school]
            wakeup.clear()  # before looking: a wake during the post is not lost
            try:
                await self.post_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad week must not end the schedule
                log.exception("the weekly digest failed")
            now = self.bot.app.clock.now()
            wait = (self.service.next_due(now) - now).total_seconds()
            await woken(wakeup, min(max(wait, 0.0), self.check_seconds))

    async def post_due(self) -> bool:
        """Post the week that is due, if it was not posted before; True when posted."""
        now = self.bot.app.clock.now()
        period = self.service.due(now)
        channel = self.bot.setup.moderators_channel
        if period is None or channel is None:
            return False  # nothing due, or no channel yet: tried again at the next check
        refused = self._refused.get(self.bot.school)
        if refused is not None and refused.week == period.label and now < refused.retry_at:
            return False  # refused a moment ago: the pause is not over
        try:  # a store or chart failure waits its pause too, not a traceback a minute
            if await self.service.skip_at_first_start(period, now):
                log.info("weekly digests start after %s (first start)", period.label)
                return False
            digest = await self.service.digest(period, now)
            embed, file = await self.render(digest)
            if not await self.service.claim_run(period, now):
                return False
        except STORAGE_ERRORS as exc:  # the disk or the file, not the bot: one line
            self._refuse(period.label, now, exc)
            return False
        except Exception as exc:
            self._refuse(period.label, now, exc, trace=True)
            return False
        try:
            message = await channel.send(embed=embed, file=file)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError) as exc:
            self._refuse(period.label, now, exc)  # first: noted even if the release fails
            await self.service.release_run(period)
            return False
        await self.service.posted(period, message.id)
        refused = self._refused.pop(self.bot.school, None)
        tries = (
            f" (after {refused.tries} failed tries)"
            if refused is not None and refused.week == period.label
            else ""
        )
        log.info("posted the digest of %s%s", period.label, tries)
        return True

    def _refuse(self, week: str, now: datetime, exc: BaseException, trace: bool = False) -> None:
        """Note a failed post: tried again after a pause (doubling, at most an hour); said
        as a warning the first time and once the pause is an hour, else quietly; `trace`:
        with the traceback (a failure of the bot's own, not Discord's refusal)."""
        last = self._refused.get(self.bot.school)
        if last is None or last.week != week:
            pause, tries = RETRY_FIRST, 1
        else:
            pause, tries = min(last.pause * 2, RETRY_MOST), last.tries + 1
        self._refused[self.bot.school] = _Refused(week, now + pause, pause, tries)
        level = logging.WARNING if tries == 1 or pause == RETRY_MOST else logging.INFO
        log.log(
            level,
            "could not post the digest of %s (try %d; again in %d min): %s",
            week,
            tries,
            pause // timedelta(minutes=1),
            exc,
            exc_info=exc if trace and level == logging.WARNING else None,
        )

    # -- /overzicht --------------------------------------------------------------------------

    @app_commands.command(
        name=_("overzicht"),
        description=_(
            "Het weekoverzicht (moderatoren, schoolleiding)",
            en="The weekly digest (moderators, leadership)",
        ),
    )
    @app_commands.describe(
        week=_("De week als JJJJ-Www, bijvoorbeeld 2026-W48", en="The week as YYYY-Www")
    )
    @app_commands.guild_only()
    async def overzicht(
        self, interaction: discord.Interaction, week: app_commands.Range[str, 1, 20] | None = None
    ) -> None:
        refusal = self.service.refusal(member_of(interaction.user))
        if refusal is not None:
            await interaction.response.send_message(refusal.message, ephemeral=True)
            return
        now = self.bot.app.clock.now()
        try:
            period = self.service.period(week, now)
        except WeekError as exc:
            language = self.service.settings.language
            await interaction.response.send_message(
                texts.week_problem(exc.in_language(language), language), ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        digest = await self.service.digest(period, now)
        embed, file = await self.render(digest)
        await interaction.followup.send(embed=embed, file=file, ephemeral=True)


async def setup(bot: CompassBot) -> None:
    await bot.add_cog(WeeklyDigest(bot))
