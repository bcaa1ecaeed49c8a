"""School time: social media only in the lunch break or with a teacher's permission.

`judge` is the synchronous, in-memory verdict every post gets; `message_posted` acts on a post
that is not allowed (a warning with a cooldown, an alert). Teachers grant and revoke
permission for a student, a class (role) or a channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from compass_bot.features.alerts.model import Alert
from compass_bot.features.schooltime import texts
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.features.schooltime.rules import (
    CLAUSE_ID,
    Author,
    ChannelInfo,
    TimeVerdict,
    is_staff,
)
from compass_bot.features.schooltime.rules_fast import PostJudge
from compass_bot.features.schooltime.rules_grants import (
    PermissionGrant,
    duration_and_reason,
    grant_times,
)
from compass_bot.mentions import MentionOf, erase_mentions_in
from compass_bot.model import Member, MessagePosted, Refusal, Role, Warning
from compass_bot.storage.db import to_db
from compass_bot.texts import for_count

if TYPE_CHECKING:
    from compass_bot.access import Access
    from compass_bot.app import Kernel


class Authored(Protocol):
    """A post whose author is converted on first use (the screening's `Post`)."""

    @property
    def member(self) -> Member: ...


LIST_ACTION = "list_permissions"  # teachers only, said as the list (not giving or revoking)
END_NOTICE_WINDOW = timedelta(hours=6)
"""A cut-short grant that ended longer ago (the bot was down) is not told any more."""


@dataclass(frozen=True, slots=True)
class PostOutcome:
    verdict: TimeVerdict
    warning: Warning | None = None
    delete_post: bool = False
    alert: Alert | None = None
    alert_created: bool = False


class SchoolTimeService:
    """The grants and the warning cooldowns are held in memory and written through."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.repo = SchoolTimeRepo(kernel.db)
        self._grants: list[PermissionGrant] = []
        self._warned: dict[int, datetime] = {}
        self._judge: PostJudge | None = None
        self._judged_for: object = None  # the config `_judge` was built from

    async def load(self, now: datetime) -> None:
        """Load the grants still running and the cooldowns into memory."""
        self._grants = await self.repo.active_grants(now)
        self._warned = await self.repo.warning_cooldowns()

    def judge(self, event: MessagePosted) -> TimeVerdict:
        """The pure verdict for a post (`judge_post`'s), with the grants held in memory."""
        return self.judge_post(event.at, event.member, event.channel, event.to_the_bot)

    def judge_post(
        self, at: datetime, member: Member, channel: ChannelInfo, to_the_bot: bool = False
    ) -> TimeVerdict:
        """`judge` of a post given by its parts (the screening builds no `MessagePosted` for a
        post no rule acts on)."""
        return self._post_judge().judge(
            at, member.id, member.roles, channel, self._grants, to_the_bot=to_the_bot
        )

    def judge_screened(
        self, at: datetime, channel: ChannelInfo, post: Authored
    ) -> TimeVerdict | None:
        """`judge_post` for the screening: None when the rule does not watch `channel` (then
        `post.member`, a lazy conversion, is never read); one judge lookup per post."""
        judge = self._post_judge()
        if not judge.watched(channel):
            return None
        member = post.member
        return judge.judge(at, member.id, member.roles, channel, self._grants)

    def watches(self, channel: ChannelInfo) -> bool:
        """Whether the rule watches a channel at all: a post in any other is `not_watched`
        whoever wrote it and whenever (`judge` says so first)."""
        return self._post_judge().watched(channel)

    def _post_judge(self) -> PostJudge:
        """Every post comes here, so the verdict's repeating work is kept in a `PostJudge`,
        built anew when the timetable (rebuilt for a new year) or the config is
        another object (a config is replaced, never edited in place)."""
        judge = self._judge
        kernel = self.kernel
        if (
            judge is None
            or judge.timetable is not kernel.calendar.timetable
            or self._judged_for is not kernel.loaded  # frozen: another config is another object
        ):
            loaded = kernel.loaded
            judge = self._judge = PostJudge(
                kernel.calendar.timetable, loaded.config.school_time.to_scope()
            )
            self._judged_for = loaded
        return judge

    async def message_posted(
        self, event: MessagePosted, verdict: TimeVerdict | None = None
    ) -> PostOutcome:
        """Act on a post: on a breach, warn (with a cooldown) and alert the moderators.

        Front ends call `judge` first (synchronous, in memory) and only await this for a
        post that is not allowed, so the common path never touches SQLite.
        """
        verdict = verdict or self.judge(event)
        if verdict.allowed:
            return PostOutcome(verdict=verdict)
        settings = self.kernel.config.school_time
        alert, created = await self.kernel.alerts.record(
            CLAUSE_ID,
            event.member,
            event.at,
            event.guild_id,
            channel_id=event.channel.id,
            message_id=event.message_id,
            excerpt=self.kernel.excerpt(event.content),
            detail=verdict.reason,
        )
        warning = None
        last = self._warned.get(event.member.id)
        cooldown = timedelta(minutes=settings.warning_cooldown_minutes)
        if last is None or event.at - last >= cooldown or event.at < last:
            self._warned[event.member.id] = event.at
            warning = _time_warning(self.kernel, event, verdict)
            member_id, at = event.member.id, event.at
            await self.kernel.alerts.write_or_defer(
                ("warned", member_id), lambda: self.repo.set_warned(member_id, at)
            )
        return PostOutcome(
            verdict=verdict,
            warning=warning,
            delete_post=settings.action == "warn_and_delete",
            alert=alert,
            alert_created=created,
        )

    def grants(self, at: datetime) -> list[PermissionGrant]:
        return [g for g in self._grants if g.ends_at > at]

    async def grant_permission(
        self,
        actor: Member,
        scope: Literal["member", "role", "channel"],
        target_id: int,
        target_label: str,
        at: datetime,
        minutes: int | str | None = None,
        reason: str | None = None,
        start: str | None = None,
        *,
        target_roles: tuple[Role, ...] = (),
        target_channel: ChannelInfo | None = None,
    ) -> PermissionGrant | Refusal:
        """A teacher lets a student, a class (role) or a channel use social media for a while,
        from now or from `start` (later today or on a coming school day).

        `minutes` may be typed text ("20", "20 min", "1 uur"): both front ends share its
        checks here, and a `reason` that is only a duration is read as the duration.
        `target_roles`: a member's roles, or the role itself: the rule leaves staff alone,
        so a grant to a staff member or a staff role is refused rather than meaningless.
        `target_channel`: the channel itself, for a grant to a channel: one the rule does not
        watch (the moderators' channel, a lesson channel) needs no permission.
        """
        if (refused := self.kernel.access.refusal(actor, "permissions")) is not None:
            return refused
        settings = self.kernel.config.school_time
        if scope != "channel" and is_staff(Author(target_id, target_roles), settings):
            return Refusal(texts.GRANT_TO_STAFF.format(target=target_label))
        if target_channel is not None and not self.watches(target_channel):
            return Refusal(texts.GRANT_NOT_WATCHED.format(target=target_label))
        read = duration_and_reason(minutes, reason, settings.permission_default_minutes)
        if isinstance(read, str):
            return Refusal(read)
        duration, reason = read
        times = grant_times(at, duration, self.kernel.calendar.timetable, start)
        if times.problem is not None:
            return Refusal(times.problem)
        same = next(
            (
                g
                for g in self._grants
                if g.scope == scope
                and g.target_id == target_id
                and g.ends_at > times.starts_at
                and g.starts_at < times.ends_at
            ),
            None,
        )
        if same is not None:
            return Refusal(
                texts.GRANT_OVERLAPS.format(
                    target=target_label, id=same.id, when=self.when(same, at)[0]
                )
            )
        grant = await self.repo.add_grant(
            scope,
            target_id,
            times.starts_at,
            times.ends_at,
            actor.id,
            self.kernel.redacted(reason or "")[:200] or None,  # a student's number: masked
            cut_short=times.cut_short,
            at=at,
        )
        self._grants = [g for g in self._grants if g.ends_at > at] + [grant]
        return grant

    def when(self, grant: PermissionGrant, now: datetime) -> tuple[str, str]:
        """When a grant runs, in Dutch and English: "tot 10:50" while it runs, "vandaag van
        13:30 tot 14:20" or "op maandag 07-12 van 10:00 tot 10:50" when it starts later."""
        tz = self.kernel.calendar.timetable.tz
        starts, ends = grant.starts_at.astimezone(tz), grant.ends_at.astimezone(tz)
        if starts <= now:
            return f"tot {ends:%H:%M}", f"until {ends:%H:%M}"
        if starts.date() == now.astimezone(tz).date():
            return (
                f"vandaag van {starts:%H:%M} tot {ends:%H:%M}",
                f"today from {starts:%H:%M} until {ends:%H:%M}",
            )
        day_nl, day_en = texts.WEEKDAYS_NL[starts.weekday()], texts.WEEKDAYS_EN[starts.weekday()]
        return (
            f"op {day_nl} {starts:%d-%m} van {starts:%H:%M} tot {ends:%H:%M}",
            f"on {day_en} {starts:%d-%m} from {starts:%H:%M} until {ends:%H:%M}",
        )

    def cut_note(
        self, grant: PermissionGrant, minutes: int | str | None, reason: str | None = None
    ) -> str:
        """What the teacher reads after giving a grant the end of the school day cut short
        (empty when it was not): the minutes asked, read from the same words as the grant."""
        if not grant.cut_short:
            return ""
        default = self.kernel.config.school_time.permission_default_minutes
        read = duration_and_reason(minutes, reason, default)
        asked = default if isinstance(read, str) else read[0]
        end = grant.ends_at.astimezone(self.kernel.calendar.timetable.tz)
        return for_count(texts.GRANT_CUT_SHORT, asked).format(end=f"{end:%H:%M}", minutes=asked)

    def covered_notice(self, grant: PermissionGrant, now: datetime) -> str:
        """What the students a grant covers are told (a DM; in the channel for a channel
        grant): that it is allowed and until when. Nothing about who asked or why."""
        when_nl, when_en = self.when(grant, now)
        if grant.scope == "channel":
            return texts.GRANT_IN_CHANNEL.format(when_nl=when_nl, when_en=when_en)
        return texts.GRANT_COVERS_YOU.format(when_nl=when_nl, when_en=when_en, id=grant.id)

    def revoked_notice(self, grant: PermissionGrant, now: datetime) -> str:
        """What those a revoked grant covered are told, so nobody posts on a permission that
        is gone."""
        if grant.scope == "channel":
            return texts.GRANT_REVOKED_IN_CHANNEL
        return texts.GRANT_REVOKED_YOU.format(id=grant.id)

    async def cut_short_ended(self, now: datetime) -> list[PermissionGrant]:
        """Grants the end of the school day cut short that have ended in the last hours and
        whose teacher was not told yet (see `end_told`)."""
        return await self.repo.cut_short_ended(now - END_NOTICE_WINDOW, now)

    def end_notice(self, grant: PermissionGrant, target_label: str) -> str:
        end = grant.ends_at.astimezone(self.kernel.calendar.timetable.tz)
        return texts.GRANT_ENDED_CUT_SHORT.format(
            id=grant.id, target=target_label, end=f"{end:%H:%M}"
        )

    async def end_told(self, grant_id: int, at: datetime) -> None:
        await self.repo.set_end_told(grant_id, at)

    async def revoke_permission(
        self, actor: Member, grant_id: int, at: datetime
    ) -> PermissionGrant | Refusal:
        if (refused := self.kernel.access.refusal(actor, "permissions")) is not None:
            return refused
        revoked = await self.repo.revoke_grant(grant_id, actor.id, at)
        if revoked is None:
            return Refusal(texts.NO_SUCH_GRANT.format(id=grant_id))
        self._grants = [g for g in self._grants if g.id != grant_id]
        return revoked

    def refusal(self, member: Member, listing: bool = False) -> Refusal | None:
        """None for a teacher, else the refusal: before a command's words are read, so a
        student never gets a usage line for what they may not do at all. `listing`: the
        refusal names the list, not giving or revoking."""
        return self.kernel.access.refusal(member, LIST_ACTION if listing else "permissions")

    def list_permissions(self, actor: Member, at: datetime) -> list[PermissionGrant] | Refusal:
        """The grants running at `at`. A grant's reason (free text, often about a student) is
        shown to the teacher who gave it, the moderators and the leadership; another teacher
        sees the grant without it (least privilege: the grant is what they need to know)."""
        if (refused := self.kernel.access.refusal(actor, LIST_ACTION)) is not None:
            return refused
        return _as_seen_by(self.kernel.access, actor, self.grants(at))

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        cooldowns = await self.kernel.db.execute(
            "DELETE FROM warning_cooldowns WHERE member_id = ?", (member_id,)
        )
        grants = await self.kernel.db.execute(
            "DELETE FROM permission_grants WHERE scope = 'member' AND target_id = ?", (member_id,)
        )
        return {"warning_cooldowns": cooldowns.rowcount, "permission_grants": grants.rowcount}

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        """A teacher's reason for a grant (free text) may mention the member: it goes from
        the stored grants and from the running ones held in memory."""
        erased = await erase_mentions_in(self.kernel.db, "permission_grants", ("reason",), mention)
        self._grants = [
            replace(g, reason=mention.erased(g.reason)[0]) if g.reason else g for g in self._grants
        ]
        return {"grant_mentions": erased.mentions}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        """The teachers' free-text reasons (often about a student) expire."""
        cur = await self.kernel.db.execute(
            "UPDATE permission_grants SET reason = NULL WHERE reason IS NOT NULL AND ends_at < ?",
            (to_db(before),),
        )
        return {"grant_reasons": cur.rowcount}

    def forget(self, member_id: int) -> None:
        self._warned.pop(member_id, None)
        self._grants = [
            g for g in self._grants if not (g.scope == "member" and g.target_id == member_id)
        ]


def _time_warning(kernel: Kernel, event: MessagePosted, verdict: TimeVerdict) -> Warning:
    """Dutch first, then English (the clause's own English text), as every warning."""
    clause = kernel.book[verdict.clause_id]
    tz = kernel.calendar.timetable.tz
    when = when_en = ""
    if verdict.next_allowed_at is not None:
        local = verdict.next_allowed_at.astimezone(tz)
        when, when_en = (
            f"Je mag weer vanaf {local:%H:%M}.",
            f" You can post again from {local:%H:%M}.",
        )
    english = "\n".join(
        (
            texts.TIME_WARNING_EN.format(
                channel=event.channel.name, at=f"{event.at.astimezone(tz):%H:%M}"
            ),
            f"> {clause.text_en}",
            texts.TIME_WARNING_CLOSING_EN.format(next_allowed=when_en),
        )
    )
    return Warning(
        intro=texts.TIME_WARNING_INTRO.format(channel=event.channel.name),
        clause=clause,
        closing=verdict.message,
        fallback=texts.TIME_WARNING_FALLBACK.format(
            mention=f"<@{event.member.id}>", next_allowed=when
        ).strip(),
        english=english,
        fallback_en=texts.TIME_WARNING_CLOSING_EN.format(next_allowed=when_en).strip(),
    )


def _as_seen_by(
    access: Access, actor: Member, grants: list[PermissionGrant]
) -> list[PermissionGrant]:
    """The grants with the reasons `actor` may read: their own, or all for a moderator or
    the leadership."""
    if access.has(actor, "moderator") or access.has(actor, "leadership"):
        return grants
    return [g if g.granted_by == actor.id else replace(g, reason=None) for g in grants]
