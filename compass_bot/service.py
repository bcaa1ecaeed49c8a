"""The service layer: plain events in, what to say and whom to alert out.

Both front ends (Discord and the console) translate their world into these events and
render the results; neither decides policy. The rules and the matcher are pure; this
layer adds the state (SQLite through `Store`, with hot state held in memory and written
through, so the per-message path never waits on the disk) and the roles from the config.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
import math
import re
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from compass_bot import texts
from compass_bot.alerts import Alert, AlertStatus, sanitise_excerpt
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.names.rules import NameChecker, NameVerdict
from compass_bot.features.schooltime.rules import (
    Author,
    ChannelInfo,
    PermissionGrant,
    Timetable,
    TimeVerdict,
    judge_post,
    permission_end,
)
from compass_bot.policy import Clause, ClauseBook, Match, Matcher, load_clauses
from compass_bot.refs import any_ref_matches
from compass_bot.schedule import ScheduleError, build_timetable
from compass_bot.store import (
    STORAGE_ERRORS,
    ApprovedName,
    Store,
    StoredQuestion,
    StoreError,
    describe_failure,
)
from compass_bot.visible import show_controls

log = logging.getLogger(__name__)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
KEPT_FLAGS_LIMIT = 1000  # flags held in memory while the database cannot be written
RETRY_SECONDS = 30.0  # how often kept flags are retried when no new flag comes along

Role = tuple[int, str]
Capability = Literal["teacher", "moderator", "leadership"]
Action = Literal[
    "permissions",
    "unanswered",
    "approve_names",
    "revoke_names",
    "list_names",
    "handle_alert",
    "open_alerts",
    "export_alerts",
    "name_check",
    "erase",
]
ACTIONS: dict[Action, tuple[Capability, ...]] = {
    "permissions": ("teacher",),
    "unanswered": ("moderator",),
    "approve_names": ("leadership",),
    "revoke_names": ("leadership",),
    "list_names": ("moderator", "leadership"),
    "handle_alert": ("moderator", "leadership"),
    "open_alerts": ("moderator", "leadership"),
    "export_alerts": ("moderator", "leadership"),
    "name_check": ("moderator", "leadership"),
    "erase": ("moderator",),
}


@dataclass(frozen=True, slots=True)
class Member:
    """A server member as the service needs it: id, a label for moderators, and roles."""

    id: int
    label: str
    roles: tuple[Role, ...] = ()

    def author(self) -> Author:
        return Author(member_id=self.id, roles=self.roles)


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionAsked:
    text: str
    member_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class MessagePosted:
    member: Member
    channel: ChannelInfo
    at: datetime
    content: str
    message_id: int | None = None
    guild_id: int | None = None
    to_the_bot: bool = False  # a mention of the bot, a reply to it, or the questions channel


@dataclass(frozen=True, slots=True)
class NamesSeen:
    member: Member
    at: datetime
    username: str
    global_name: str | None = None
    nick: str | None = None
    guild_id: int | None = None


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """What to say to a question. `status` mirrors the matcher, plus the service's own."""

    status: Literal["answer", "doubtful", "none", "empty", "rate_limited"]
    language: str
    clause: Clause | None = None
    suggestions: tuple[Clause, ...] = ()
    match: Match | None = None
    truncated: bool = False
    retry_after: timedelta | None = None  # rate_limited: when the next question is welcome

    @property
    def message(self) -> str:
        """The service's own words for the non-answer states (in the asker's language)."""
        lang = texts.lang_of(self.language)
        wait = self.retry_after
        if self.status == "rate_limited" and wait is not None and wait > timedelta(seconds=30):
            # "over een halve minuut" would not be true: say how long
            minutes = math.ceil(wait / timedelta(minutes=1))
            return texts.SLOW_DOWN_MINUTES[lang].format(minutes=minutes)
        return {
            "doubtful": texts.DOUBTFUL,
            "none": texts.NO_MATCH,
            "empty": texts.EMPTY_QUESTION,
            "rate_limited": texts.SLOW_DOWN,
        }.get(self.status, {}).get(lang, "")


@dataclass(frozen=True, slots=True)
class Warning:
    """A friendly warning to one member, citing a clause verbatim."""

    intro: str
    clause: Clause
    closing: str
    fallback: str  # the short in-channel version when the member's DMs are closed


@dataclass(frozen=True, slots=True)
class PostOutcome:
    verdict: TimeVerdict
    warning: Warning | None = None
    delete_post: bool = False
    alert: Alert | None = None
    alert_created: bool = False


@dataclass(frozen=True, slots=True)
class FlaggedName:
    field: Literal["username", "global_name", "nick"]
    verdict: NameVerdict


@dataclass(frozen=True, slots=True)
class NameOutcome:
    flagged: tuple[FlaggedName, ...] = ()
    uncertain: tuple[FlaggedName, ...] = ()
    warning: Warning | None = None
    alert: Alert | None = None
    alert_created: bool = False
    reset_nickname: bool = False


@dataclass(frozen=True, slots=True)
class Refusal:
    """An action the member may not take; the front end shows it privately."""

    message: str


@dataclass(frozen=True, slots=True)
class Done:
    message: str


@dataclass
class _RateWindow:
    times: deque[datetime] = field(default_factory=deque)


@dataclass(frozen=True, slots=True)
class _Flag:
    """A flag as `_flag` was given it, kept in memory while it cannot be written."""

    rule: str
    member: Member
    at: datetime
    guild_id: int | None
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StorageEvent:
    """Storage started failing (`failing`), or works again and the kept flags are written.

    `written`: kept flags now in the outbox; `dropped`: flags lost because the memory queue
    was full (the newest are dropped, the oldest kept)."""

    failing: bool
    path: str
    error: str = ""
    written: int = 0
    dropped: int = 0


StorageListener = Callable[[StorageEvent], Awaitable[None]]


class CompassService:
    """One per running bot. Create with `await CompassService.create(loaded_config)`."""

    def __init__(
        self,
        loaded: LoadedConfig,
        store: Store,
        book: ClauseBook,
        matcher: Matcher,
        timetable: Timetable,
        names: NameChecker,
        clock: Clock,
    ) -> None:
        self.loaded = loaded
        self.clock = clock
        self.config = loaded.config
        self.store = store
        self.book = book
        self.matcher = matcher
        self.timetable = timetable
        self.names = names
        self._grants: list[PermissionGrant] = []
        self._warned: dict[int, datetime] = {}
        self._approved: dict[int, set[str]] = defaultdict(set)
        self._asked: dict[int, _RateWindow] = defaultdict(_RateWindow)
        # Storage trouble after start: flags wait here (oldest first) and are retried.
        self.storage_listener: StorageListener | None = None
        self.retry_seconds = RETRY_SECONDS
        self._kept: deque[_Flag] = deque()
        self._unsaved_warned: set[int] = set()
        self._kept_written = 0
        self._dropped = 0
        self._storage_failing = False
        self._flag_lock = asyncio.Lock()
        self._retry_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @classmethod
    async def create(
        cls,
        loaded: LoadedConfig,
        store: Store | None = None,
        book: ClauseBook | None = None,
        clock: Clock | None = None,
    ) -> CompassService:
        """Raises StoreError (one line) when the database cannot be used; a store opened
        here is closed again on any failure, so a failed start never hangs the process."""
        clock = clock or Clock()
        opened = store is None
        store = store or await Store.open(loaded.database_path)  # first: a bad file fails fast
        try:
            book = book or load_clauses()
            service = cls(
                loaded,
                store,
                book,
                Matcher(book),
                build_timetable(loaded.config.schedule, loaded.base_dir, today=clock.now()),
                NameChecker(loaded.config.names.allowed_words),
                clock,
            )
            await service.reload_state()
        except BaseException as exc:
            if opened:
                await store.close()
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(store.path, exc)) from exc
            raise
        return service

    async def reload_state(self, now: datetime | None = None) -> None:
        """Load the hot state (grants, cooldowns, approvals) into memory."""
        self._grants = await self.store.active_grants(now or self.clock.now())
        self._warned = await self.store.warning_cooldowns()
        self._approved = defaultdict(set)
        for approved in await self.store.approved_names():
            self._approved[approved.member_id].add(approved.name)

    def refresh_timetable(self, now: datetime) -> bool:
        """Rebuild the days off when the coming month is past the computed years.

        Called daily by the long-running front ends; returns whether it rebuilt. An .ics
        file that broke while the bot runs keeps the old timetable (one log line); the next
        day's call tries again.
        """
        ahead = (now + timedelta(days=31)).astimezone(self.timetable.tz).date()
        if self.timetable.covers(ahead):
            return False
        try:
            timetable = build_timetable(self.config.schedule, self.loaded.base_dir, today=now)
        except ScheduleError as exc:
            log.warning(
                "the timetable could not be rebuilt (%s); keeping the old one, trying again "
                "tomorrow",
                " ".join(str(exc).split()),
            )
            return False
        self.timetable = timetable
        return True

    async def _flag(
        self, rule: str, member: Member, at: datetime, guild_id: int | None, **fields: Any
    ) -> tuple[Alert | None, bool]:
        """Record a flag in the outbox; repeats within the configured window make one alert.

        When the database cannot be written the flag is kept in memory (alert None) and
        retried, oldest first, with the next flag or on a timer: a flag is never lost to a
        full or failing disk. `created` then says whether it starts a new alert among the
        kept ones, so the member is warned as usual.
        """
        flag = _Flag(rule, member, at, guild_id, fields)
        async with self._flag_lock:
            if self._kept and not await self._write_kept():
                return None, self._keep(flag)
            try:
                result = await self._record(flag)
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return None, self._keep(flag)
        await self._storage_works()
        return result

    async def _record(self, flag: _Flag) -> tuple[Alert, bool]:
        window = timedelta(minutes=self.config.alerts.repeat_window_minutes)
        return await self.store.record_alert(
            rule=flag.rule,
            member_id=flag.member.id,
            member_label=flag.member.label,
            at=flag.at,
            window_start=flag.at - window,
            guild_id=flag.guild_id,
            **flag.fields,
        )

    def _keep(self, flag: _Flag) -> bool:
        """Hold a flag that could not be written; whether it would start a new alert."""
        window = timedelta(minutes=self.config.alerts.repeat_window_minutes)
        created = not any(
            k.member.id == flag.member.id and k.rule == flag.rule and flag.at - k.at < window
            for k in self._kept
        )
        if len(self._kept) >= KEPT_FLAGS_LIMIT:
            if not self._dropped:
                log.error(
                    "%d flags are waiting for the database; newer ones are now dropped (counted)",
                    len(self._kept),
                )
            self._dropped += 1
        else:
            self._kept.append(flag)
        self._start_retry()
        return created

    async def _write_kept(self) -> bool:
        """Write the kept flags (oldest first) and unsaved cooldowns; True when none are left.

        Called with `_flag_lock` held, so a kept flag is written exactly once."""
        while self._kept:
            try:
                await self._record(self._kept[0])
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return False
            self._kept.popleft()
            self._kept_written += 1
        for member_id in sorted(self._unsaved_warned):
            warned = self._warned.get(member_id)
            try:
                if warned is not None:
                    await self.store.set_warned(member_id, warned)
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return False
            self._unsaved_warned.discard(member_id)
        return True

    async def _write_failed(self, exc: BaseException) -> None:
        """A write failed: undo what it left open; the first failure is announced once."""
        await self.store.rollback()
        if self._storage_failing:
            return
        self._storage_failing = True
        line = describe_failure(self.store.path, exc)
        log.error(
            "storage is failing: %s; flags are kept in memory (up to %d) and retried",
            line,
            KEPT_FLAGS_LIMIT,
        )
        self._notify(StorageEvent(failing=True, path=str(self.store.path), error=line))

    async def _storage_works(self) -> None:
        """After a successful write: write what was kept, and say once that storage is back."""
        if not self._storage_failing:
            return
        async with self._flag_lock:
            if not await self._write_kept() or not self._storage_failing:
                return
            self._storage_failing = False
            event = StorageEvent(
                failing=False,
                path=str(self.store.path),
                written=self._kept_written,
                dropped=self._dropped,
            )
            self._kept_written = 0
            self._dropped = 0
        log.warning(
            "storage works again: %d kept flags written, %d dropped", event.written, event.dropped
        )
        self._notify(event)

    def _notify(self, event: StorageEvent) -> None:
        """Tell the front end (it tells the moderators) without holding up the flag path."""
        if self.storage_listener is None:
            return
        task = asyncio.create_task(self._call_listener(event), name="storage-notice")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _call_listener(self, event: StorageEvent) -> None:
        assert self.storage_listener is not None
        try:
            await self.storage_listener(event)
        except Exception:
            log.exception("could not pass on the storage notice")

    def _start_retry(self) -> None:
        if self._closed or (self._retry_task is not None and not self._retry_task.done()):
            return
        self._retry_task = asyncio.create_task(self._retry_loop(), name="kept-flags-retry")

    async def _retry_loop(self) -> None:
        """Retry the kept flags every `retry_seconds` until they are all written."""
        while self._kept or self._unsaved_warned:
            await asyncio.sleep(self.retry_seconds)
            async with self._flag_lock:
                written = await self._write_kept()
            if written:
                await self._storage_works()

    @property
    def storage_failing(self) -> bool:
        return self._storage_failing

    @property
    def kept_flags(self) -> int:
        """Flags waiting in memory for the database."""
        return len(self._kept)

    async def close(self) -> None:
        """Write what was kept (a last try), then close the store. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._retry_task is not None:
            self._retry_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry_task
        if self._kept or self._unsaved_warned:
            async with self._flag_lock:
                if not await self._write_kept():
                    log.error(
                        "%d flags could not be written before closing and are lost",
                        len(self._kept),
                    )
        for task in list(self._tasks):
            task.cancel()
        await self.store.close()

    # -- roles ---------------------------------------------------------------------------------

    def has(self, member: Member, capability: Capability) -> bool:
        roles = self.config.roles
        refs = {
            "teacher": roles.teachers,
            "moderator": roles.moderators,
            "leadership": roles.leadership,
        }[capability]
        return any(any_ref_matches(refs, rid, rname) for rid, rname in member.roles)

    def refusal(self, member: Member, action: Action) -> Refusal | None:
        """None when `member` may take `action`, else the refusal naming role and action.

        The one table of who may do what: the service's use cases and the front ends' early
        checks (before anything is looked up) both ask here."""
        if any(self.has(member, capability) for capability in ACTIONS[action]):
            return None
        return Refusal(texts.REFUSED[action])

    # -- questions -----------------------------------------------------------------------------

    def ask(self, event: QuestionAsked) -> Answer:
        """Answer a question about the protocol (rate-limited per member)."""
        text = event.text.strip()
        limit = self.config.questions
        window = self._asked[event.member_id].times
        horizon = event.at - timedelta(seconds=limit.rate_limit_seconds)
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= limit.rate_limit_count:
            return Answer(
                status="rate_limited",
                language=self.matcher.match(text[:200]).language,
                retry_after=window[0] - horizon,
            )
        window.append(event.at)
        if not text:
            return Answer(status="empty", language="nl")
        truncated = len(text) > limit.max_length
        match = self.matcher.match(text[: limit.max_length])
        if match.status == "answer" and match.clause:
            return Answer(
                status="answer",
                language=match.language,
                clause=self.book[match.clause],
                match=match,
                truncated=truncated,
            )
        suggestions = tuple(self.book[c] for c in match.alternatives[:3])
        status: Literal["doubtful", "none"] = (
            "doubtful" if match.status == "doubtful" and suggestions else "none"
        )
        return Answer(
            status=status,
            language=match.language,
            suggestions=suggestions,
            match=match,
            truncated=truncated,
        )

    async def remember_question(self, answer: Answer, question: str, at: datetime) -> None:
        """Store a question the bot could not answer (text and clause only, not the asker).

        Best effort: with the database failing the question is not kept (the asker still
        got the answer), and the failure is announced like a failed flag."""
        if answer.status in ("none", "doubtful"):
            try:
                await self.store.record_question(question[:1000], None, "unanswered", at)
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return
            await self._storage_works()

    async def feedback(
        self, question: str, clause_id: str | None, helpful: bool, at: datetime
    ) -> None:
        """A thumbs up or down under an answer; only unhelpful ones need the question text."""
        if helpful:
            await self.store.record_question("", clause_id, "helpful", at)
        else:
            await self.store.record_question(question[:1000], clause_id, "unhelpful", at)

    async def unanswered(self, actor: Member, limit: int = 25) -> list[StoredQuestion] | Refusal:
        if (refused := self.refusal(actor, "unanswered")) is not None:
            return refused
        stored = await self.store.questions(("unanswered", "unhelpful"), limit)
        # Staff read these: controls that would reorder the text are shown, not obeyed.
        return [replace(q, question=show_controls(q.question)) for q in stored]

    # -- school time ---------------------------------------------------------------------------

    def judge(self, event: MessagePosted) -> TimeVerdict:
        """The pure verdict for a post, with the grants held in memory."""
        return judge_post(
            event.at,
            event.member.author(),
            event.channel,
            self._grants,
            self.timetable,
            self.config.school_time,
            to_the_bot=event.to_the_bot,
        )

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
        settings = self.config.school_time
        alert, created = await self._flag(
            "schooltijd",
            event.member,
            event.at,
            event.guild_id,
            channel_id=event.channel.id,
            message_id=event.message_id,
            excerpt=sanitise_excerpt(event.content),
            detail=verdict.reason,
        )
        warning = None
        last = self._warned.get(event.member.id)
        cooldown = timedelta(minutes=settings.warning_cooldown_minutes)
        if last is None or event.at - last >= cooldown or event.at < last:
            self._warned[event.member.id] = event.at
            warning = self._time_warning(event, verdict)
            if self._storage_failing:  # written with the kept flags, not here and now
                self._unsaved_warned.add(event.member.id)
            else:
                try:
                    await self.store.set_warned(event.member.id, event.at)
                except STORAGE_ERRORS as exc:
                    self._unsaved_warned.add(event.member.id)
                    await self._write_failed(exc)
                    self._start_retry()
        return PostOutcome(
            verdict=verdict,
            warning=warning,
            delete_post=settings.action == "warn_and_delete",
            alert=alert,
            alert_created=created,
        )

    def _time_warning(self, event: MessagePosted, verdict: TimeVerdict) -> Warning:
        clause = self.book[verdict.clause_id]
        when = ""
        if verdict.next_allowed_at is not None:
            local = verdict.next_allowed_at.astimezone(self.timetable.tz)
            when = f"Je mag weer vanaf {local:%H:%M}."
        return Warning(
            intro=texts.TIME_WARNING_INTRO.format(channel=event.channel.name),
            clause=clause,
            closing=f"{verdict.message}",
            fallback=texts.TIME_WARNING_FALLBACK.format(
                mention=f"<@{event.member.id}>", next_allowed=when
            ).strip(),
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
    ) -> PermissionGrant | Refusal:
        """A teacher lets a student, a class (role) or a channel use social media for a while.

        `minutes` may be typed text (the console): both front ends share its checks here.
        """
        if (refused := self.refusal(actor, "permissions")) is not None:
            return refused
        if minutes is None:
            minutes = self.config.school_time.permission_default_minutes
        elif isinstance(minutes, str):
            if not _WHOLE_NUMBER.fullmatch(minutes.strip()):
                return Refusal(
                    f"{minutes!r} is geen aantal minuten: geef een heel getal van 1 tot 1440."
                )
            minutes = int(minutes.strip())
        if not 1 <= minutes <= 24 * 60:
            return Refusal(
                f"{minutes} minuten kan niet: de duur moet tussen 1 en 1440 minuten liggen."
            )
        ends = permission_end(at, minutes, self.timetable)
        if ends <= at:
            return Refusal("Er is vandaag geen schooltijd meer over om toestemming voor te geven.")
        same = next(
            (
                g
                for g in self._grants
                if g.scope == scope
                and g.target_id == target_id
                and g.ends_at > at
                and g.starts_at < ends
            ),
            None,
        )
        if same is not None:
            until = same.ends_at.astimezone(self.timetable.tz)
            return Refusal(
                f"{target_label} heeft al toestemming (#{same.id}) tot {until:%H:%M}; "
                "trek die eerst in om een andere duur te geven."
            )
        grant = await self.store.add_grant(
            scope, target_id, at, ends, actor.id, (reason or "")[:200] or None
        )
        self._grants = [g for g in self._grants if g.ends_at > at] + [grant]
        return grant

    async def revoke_permission(
        self, actor: Member, grant_id: int, at: datetime
    ) -> PermissionGrant | Refusal:
        if (refused := self.refusal(actor, "permissions")) is not None:
            return refused
        revoked = await self.store.revoke_grant(grant_id, actor.id, at)
        if revoked is None:
            return Refusal(f"Er is geen actieve toestemming met nummer {grant_id}.")
        self._grants = [g for g in self._grants if g.id != grant_id]
        return revoked

    def list_permissions(self, actor: Member, at: datetime) -> list[PermissionGrant] | Refusal:
        if (refused := self.refusal(actor, "permissions")) is not None:
            return refused
        return self.grants(at)

    # -- account names -------------------------------------------------------------------------

    def may_check_names(self, actor: Member) -> Refusal | None:
        """A sweep over every member's names is for moderators and the leadership."""
        return self.refusal(actor, "name_check")

    def check_names(self, event: NamesSeen) -> tuple[list[FlaggedName], list[FlaggedName]]:
        """(flagged, uncertain) among the member's three names."""
        approved = self._approved.get(event.member.id, set())
        flagged: list[FlaggedName] = []
        uncertain: list[FlaggedName] = []
        fields: tuple[tuple[Literal["username", "global_name", "nick"], str | None], ...] = (
            ("username", event.username),
            ("global_name", event.global_name),
            ("nick", event.nick),
        )
        seen: set[str] = set()
        for name_field, value in fields:
            if not value or value in seen:
                continue
            seen.add(value)
            verdict = self.names.check(value, approved)
            if verdict.flagged:
                flagged.append(FlaggedName(name_field, verdict))
            elif verdict.uncertain:
                uncertain.append(FlaggedName(name_field, verdict))
        return flagged, uncertain

    async def names_seen(self, event: NamesSeen) -> NameOutcome:
        """Check a member's names; a breach gets a DM citing aanwijzing-2 and an alert."""
        flagged, uncertain = self.check_names(event)
        if not flagged and not uncertain:
            return NameOutcome()
        first = (flagged or uncertain)[0]
        detail = "; ".join(
            f"{texts.NAME_FIELDS[f.field]}: {f.verdict.name!r} ({f.verdict.reason})"
            for f in flagged + uncertain
        )
        alert, created = await self._flag(
            "aanwijzing-2",
            event.member,
            event.at,
            event.guild_id,
            excerpt=sanitise_excerpt(first.verdict.name, 100),
            name_field=first.field,
            matched=first.verdict.matched,
            detail=("onzeker: " if not flagged else "") + detail,
        )
        warning = None
        if flagged and created:
            clause = self.book["aanwijzing-2"]
            warning = Warning(
                intro=texts.NAME_WARNING.format(
                    field=texts.NAME_FIELDS[flagged[0].field], name=flagged[0].verdict.name
                ),
                clause=clause,
                closing=texts.NAME_HOW_TO_ASK,
                fallback=texts.NAME_HOW_TO_ASK,
            )
        return NameOutcome(
            flagged=tuple(flagged),
            uncertain=tuple(uncertain),
            warning=warning,
            alert=alert,
            alert_created=created,
            reset_nickname=self.config.names.reset_nickname
            and any(f.field == "nick" for f in flagged),
        )

    async def approve_names(
        self, actor: Member, member_id: int, names: Iterable[str], at: datetime
    ) -> list[ApprovedName] | Refusal:
        """The leadership approves a member's current names exactly as they are.

        The member's open name alerts are settled with it (re-delivered to show so), so a
        later bad name starts a new alert and a new DM instead of bumping a settled one.
        """
        if (refused := self.refusal(actor, "approve_names")) is not None:
            return refused
        approved = await self.store.approve_names(member_id, [n for n in names if n], actor.id, at)
        self._approved[member_id] = {a.name for a in approved}
        for alert in await self.store.alerts(
            status="open", rule="aanwijzing-2", member_id=member_id
        ):
            await self.store.set_alert_status(alert.id, "resolved", actor.id, at)
        return approved

    async def revoke_names(self, actor: Member, member_id: int, at: datetime) -> int | Refusal:
        if (refused := self.refusal(actor, "revoke_names")) is not None:
            return refused
        count = await self.store.revoke_approved_names(member_id, actor.id, at)
        self._approved.pop(member_id, None)
        return count

    async def approved_names(self, actor: Member) -> list[ApprovedName] | Refusal:
        if (refused := self.refusal(actor, "list_names")) is not None:
            return refused
        return await self.store.approved_names()

    # -- alerts --------------------------------------------------------------------------------

    async def set_alert_status(
        self, actor: Member, alert_id: int, status: AlertStatus, at: datetime
    ) -> Alert | Refusal:
        if (refused := self.refusal(actor, "handle_alert")) is not None:
            return refused
        alert = await self.store.set_alert_status(alert_id, status, actor.id, at)
        if alert is None:
            return Refusal(f"Melding {alert_id} bestaat niet (meer).")
        return alert

    async def approve_from_alert(
        self, actor: Member, alert_id: int, current_names: Iterable[str], at: datetime
    ) -> Alert | Refusal:
        """'Naam goedkeuren' on a name alert: approve the member's current names, resolve it."""
        if (refused := self.refusal(actor, "approve_names")) is not None:
            return refused
        alert = await self.store.alert(alert_id)
        if alert is None:
            return Refusal(f"Melding {alert_id} bestaat niet (meer).")
        approved = await self.approve_names(actor, alert.member_id, current_names, at)
        if isinstance(approved, Refusal):
            return approved
        updated = await self.store.alert(alert_id)  # settled by approve_names
        assert updated is not None
        return updated

    async def open_alerts(
        self, actor: Member, rule: str | None = None, page: int = 0, per_page: int = 10
    ) -> tuple[list[Alert], int] | Refusal:
        if (refused := self.refusal(actor, "open_alerts")) is not None:
            return refused
        total = await self.store.count_alerts(status="open", rule=rule)
        alerts = await self.store.alerts(
            status="open", rule=rule, limit=per_page, offset=page * per_page
        )
        return alerts, total

    async def export_alerts(self, actor: Member, since: datetime, until: datetime) -> str | Refusal:
        """A CSV of the alerts created in [since, until), for the moderators' records."""
        if (refused := self.refusal(actor, "export_alerts")) is not None:
            return refused
        alerts = await self.store.alerts(since=since, until=until, limit=100_000)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "id",
                "rule",
                "member_id",
                "created_at",
                "updated_at",
                "count",
                "status",
                "channel_id",
                "message_id",
                "handled_by",
                "handled_at",
            ]
        )
        tz = self.timetable.tz
        for a in reversed(alerts):
            writer.writerow(
                [
                    a.id,
                    a.rule,
                    a.member_id,
                    a.created_at.astimezone(tz).isoformat(timespec="seconds"),
                    a.updated_at.astimezone(tz).isoformat(timespec="seconds"),
                    a.count,
                    texts.ALERT_STATUS_EXPORT.get(a.status, a.status),
                    a.channel_id or "",
                    a.message_id or "",
                    a.handled_by or "",
                    a.handled_at.astimezone(tz).isoformat(timespec="seconds")
                    if a.handled_at
                    else "",
                ]
            )
        return out.getvalue()

    # -- privacy -------------------------------------------------------------------------------

    async def purge_expired(self, now: datetime) -> dict[str, int]:
        """Retention: drop excerpts and questions older than the configured period."""
        return await self.store.purge(now - timedelta(days=self.config.retention.days), now)

    async def erase_member(
        self, actor: Member, member_id: int, at: datetime
    ) -> dict[str, int] | Refusal:
        if (refused := self.refusal(actor, "erase")) is not None:
            return refused
        counts = await self.store.erase_member(member_id, actor.id, at)
        self._warned.pop(member_id, None)
        self._approved.pop(member_id, None)
        self._grants = [
            g for g in self._grants if not (g.scope == "member" and g.target_id == member_id)
        ]
        return counts

    # -- the console's clean slate -------------------------------------------------------------

    async def reset_console_state(self) -> Refusal | None:
        """Forget everything (the console's `/reset`); never on the real bot's database."""
        if self.store.path.resolve() != self.loaded.console_database_path.resolve():
            return Refusal(texts.REFUSED["reset"])
        await self.store.wipe()
        self._asked.clear()
        await self.reload_state()
        return None
