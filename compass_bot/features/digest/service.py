"""The weekly digest's use cases: which week is due, the digest of a week, and the run
record that makes the scheduled post happen once per week."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from compass_bot.features.base import KeepsNoMemberData
from compass_bot.features.digest.repo import DigestRepo
from compass_bot.features.digest.rules import (
    AlertFact,
    Digest,
    Facts,
    Period,
    WeekError,
    compose,
    due_period,
    next_due,
    parse_week,
    period_at,
)
from compass_bot.features.digest.settings import DigestSettings
from compass_bot.model import Member, Refusal

if TYPE_CHECKING:
    from compass_bot.app import Kernel

ACTION = "digest"
# An unanswered question as the digest shows it: redacted, no pings, markdown escaped, cut
# (stored texts are redacted since they are kept; older rows were not).
MAX_QUESTION_SHOWN = 200


class DigestService(KeepsNoMemberData):
    """Counts only: the digest never reads a member id or a post's text."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.repo = DigestRepo(kernel.db)

    @property
    def settings(self) -> DigestSettings:
        return self.kernel.config.digest

    # -- use cases ---------------------------------------------------------------------------

    def refusal(self, member: Member) -> Refusal | None:
        return self.kernel.access.refusal(member, ACTION)

    def period(self, week: str | None, now: datetime) -> Period:
        """The week asked for (YYYY-Www), or the current week; raises WeekError (also for a
        week that has not started: it has nothing to count yet)."""
        timetable = self.kernel.calendar.timetable
        if week is None:
            return period_at(now, timetable)
        period = parse_week(week, timetable)
        if period.start > now:
            raise WeekError(
                f"{period.label} has not started yet; ask for this week or an earlier one",
                f"{period.label} is nog niet begonnen; vraag deze week of een eerdere",
            )
        return period

    def due(self, now: datetime) -> Period | None:
        return due_period(now, self.kernel.calendar.timetable, self.settings)

    def next_due(self, now: datetime) -> datetime:
        return next_due(now, self.kernel.calendar.timetable, self.settings)

    async def digest(self, period: Period, now: datetime) -> Digest:
        """The week up to `now` (all of it once it is over), against last week."""
        since = datetime.combine(period.monday - timedelta(days=7), time(0), period.tz)
        until = min(now, period.end)
        kinds = self.kernel.alert_kinds
        alerts = [
            AlertFact(rule, at, kinds[rule].about if rule in kinds else "post", count)
            for rule, at, count in await self.repo.alerts(since, period.end)
        ]
        facts = Facts(
            until=until,
            alerts=alerts,
            approvals=await self.repo.approvals(since, period.end),
            questions=[
                replace(q, question=self.kernel.excerpt(q.question, MAX_QUESTION_SHOWN))
                if q.question
                else q
                for q in await self.repo.questions(since, period.end)
            ],
        )
        return compose(period, facts)

    async def claim_run(self, period: Period, now: datetime) -> bool:
        """Record the week's run before posting; False when it ran before."""
        return await self.repo.claim_run(period.start, period.label, now)

    async def has_runs(self) -> bool:
        """Whether any week was recorded (posted, or skipped at the very first start)."""
        return bool(await self.repo.runs())

    async def skip_at_first_start(self, period: Period, now: datetime) -> bool:
        """The very first start is no downtime: the week due then is recorded as skipped and
        the weekly posts begin with the next week. True when this was that first start."""
        if await self.has_runs():
            return False
        await self.claim_run(period, now)
        return True

    async def release_run(self, period: Period) -> None:
        """The week's post failed: unclaimed, so the next check tries it again."""
        await self.repo.release_run(period.start)

    async def posted(self, period: Period, message_id: int) -> None:
        await self.repo.posted(period.start, message_id)


__all__ = ["ACTION", "DigestService", "WeekError"]
