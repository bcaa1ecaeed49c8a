"""The composition root: one `App` per running bot (Discord or console), built from the
registry. The kernel is what every feature shares (config, clock, database, the protocol,
the school calendar, who may do what, the alerts outbox, the question matcher); each
feature's service is built from it and found by its type: `app[SchoolTimeService]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import TYPE_CHECKING, TypeVar

from compass_bot.access import Access
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.alerts.model import EXCERPT_LIMIT, sanitise_excerpt
from compass_bot.features.base import AlertKind, Feature, FeatureService
from compass_bot.features.schooltime.rules import ChannelInfo, RefSet, judge_post
from compass_bot.model import Member, Refusal
from compass_bot.policy import ClauseBook, Matcher
from compass_bot.policy.shared import PROTOCOL
from compass_bot.registry import FEATURES, alert_kinds
from compass_bot.schedule import SchoolCalendar
from compass_bot.storage.db import STORAGE_ERRORS, Database, StoreError, describe_failure

if TYPE_CHECKING:
    from compass_bot.config import Config
    from compass_bot.features.alerts.service import AlertService
    from compass_bot.features.schooltime.service import SchoolTimeService

S = TypeVar("S")

RESET_REFUSED = "Alleen de console kan opnieuw beginnen; de database van de echte bot blijft staan."


@dataclass(frozen=True, slots=True)
class PostVerdict:
    """Whether a member may post in a social channel at a moment (the school-time rule).

    Plain data, so a feature can ask without importing the school-time feature: `message`
    is the verdict's own Dutch sentence, `reason` its code ("lunch_break", "lesson_time",
    ...), `next_allowed_at` (school time zone) when posting is allowed again, if not now."""

    allowed: bool
    reason: str
    message: str
    next_allowed_at: datetime | None = None
    after_school: bool = False  # `next_allowed_at` is the end of the school day
    until: time | None = None  # when today's allowance ends (lunch break, grant), wall clock
    until_school_out: bool = False  # `until` is the end of the school day, inside the break


# The channel a draft is judged for: none in particular, but watched as a social channel
# is. A teacher's grant for one channel does not count for it; grants for the member or
# for one of their roles do.
_ANY_SOCIAL_CHANNEL = ChannelInfo(id=0, name="")


def social_post_verdict(
    kernel: Kernel, schooltime: SchoolTimeService
) -> Callable[[Member, datetime], PostVerdict | None]:
    """The pure school-time rule for a post by `member` at `at` in a social channel, with
    the kernel's timetable and config and the grants the school-time service holds.

    Why a callable on the kernel, wired here: features may not import each other but
    through alerts/base (tests/test_conventions.py), so the second look at a draft cannot
    ask `SchoolTimeService`; a function returning plain data is the smallest thing it
    needs, and the rule it runs stays the one pure `judge_post` every post gets. None when
    the school watches no social channel: then there is no lunch-break rule to tell of."""

    def verdict(member: Member, at: datetime) -> PostVerdict | None:
        settings = kernel.config.school_time
        scope = settings.to_scope()
        if not scope.social_channels and not scope.social_categories:
            return None
        watched = replace(
            scope,
            social_channels=RefSet((_ANY_SOCIAL_CHANNEL.id,)),
            social_categories=RefSet(),
            exempt_channels=RefSet(),
        )
        timetable = kernel.calendar.timetable
        judged = judge_post(
            at, member.author(), _ANY_SOCIAL_CHANNEL, schooltime.grants(at), timetable, watched
        )
        then = judged.next_allowed_at
        if then is not None:
            then = then.astimezone(timetable.tz)
        hours = timetable.school_hours(then.date()) if then is not None else None
        until = judged.until
        today = timetable.school_hours(at.astimezone(timetable.tz).date())
        return PostVerdict(
            allowed=judged.allowed,
            reason=judged.reason,
            message=judged.message,
            next_allowed_at=then,
            after_school=then is not None and hours is not None and then.time() == hours.end,
            until=until,
            until_school_out=judged.reason == "lunch_break"
            and today is not None
            and until == today.end,
        )

    return verdict


@dataclass
class Kernel:
    """What every feature shares. `alerts` is set first (the others report through it)."""

    loaded: LoadedConfig
    clock: Clock
    db: Database
    book: ClauseBook
    calendar: SchoolCalendar
    access: Access
    alert_kinds: Mapping[str, AlertKind]
    services: list[FeatureService] = field(default_factory=list)
    # Text filters every alert excerpt passes before it is stored (other people's data masked,
    # whichever rule raised the alert); features add theirs when built.
    redactors: list[Callable[[str], str]] = field(default_factory=list)
    # Whether a member may post in a social channel at a moment. A seam rather than an
    # import: features may not import each other (tests/test_conventions.py), and the
    # school-time feature owns the grants. `App` wires it once the services are built;
    # None without the school-time feature.
    post_verdict: Callable[[Member, datetime], PostVerdict | None] | None = None
    _alerts: AlertService | None = None
    _matcher: Matcher | None = None

    def redacted(self, text: str, done: Callable[[str], str] | None = None) -> str:
        """A member's text as the bot may keep it: every feature's redaction applied (other
        people's data masked), nothing else changed; `done`, one its caller applied already,
        is not run again."""
        for redact in self.redactors:
            if redact != done:
                text = redact(text)
        return text

    def excerpt(self, text: str, limit: int = EXCERPT_LIMIT) -> str:
        """A post's text as an alert may keep it: redacted by every feature, then made safe
        to show (no pings, markdown escaped) and cut to `limit`."""
        return sanitise_excerpt(self.redacted(text), limit)

    @property
    def config(self) -> Config:
        return self.loaded.config

    @property
    def matcher(self) -> Matcher:
        """The protocol's question matcher, shared knowledge: built on first use, once per
        kernel (its index costs a fifth of a second; the process's own protocol shares one
        across kernels), for every feature that asks which clause a text touches (questions,
        the second look at a draft)."""
        if self._matcher is None:
            self._matcher = PROTOCOL.matcher(self.book)
        return self._matcher

    @property
    def alerts(self) -> AlertService:
        assert self._alerts is not None, "the alerts feature is built first"
        return self._alerts


class App:
    """Every feature's service on one kernel. Create with `await App.create(loaded)`."""

    def __init__(self, kernel: Kernel, features: tuple[Feature, ...] = FEATURES) -> None:
        from compass_bot.features.alerts.service import AlertService
        from compass_bot.features.schooltime.service import SchoolTimeService

        self.kernel = kernel
        self.features = features
        self._services: dict[type, FeatureService] = {}
        for feature in features:
            service = feature.build(kernel)
            self._services[type(service)] = service
            kernel.services.append(service)
            if isinstance(service, AlertService):
                kernel._alerts = service
            if isinstance(service, SchoolTimeService):
                kernel.post_verdict = social_post_verdict(kernel, service)

    @classmethod
    async def create(
        cls,
        loaded: LoadedConfig,
        db: Database | None = None,
        book: ClauseBook | None = None,
        clock: Clock | None = None,
        matcher: Matcher | None = None,
    ) -> App:
        """Raises StoreError (one line) when the database cannot be used; a database opened
        here is closed again on any failure, so a failed start never hangs the process.

        A board's schools share one protocol, so they share its `book` and `matcher` (the
        matcher's index and dictionaries are the bot's largest piece of memory)."""
        clock = clock or Clock()
        opened = db is None
        db = db or await Database.open(loaded.database_path)  # first: a bad file fails fast
        try:
            kernel = Kernel(
                loaded=loaded,
                clock=clock,
                db=db,
                book=book or PROTOCOL.book(),
                calendar=SchoolCalendar.build(loaded, clock.now()),
                access=Access(
                    loaded.config.roles,
                    (a for f in FEATURES for a in f.actions),
                    staff_roles=loaded.config.school_time.staff_roles,
                ),
                alert_kinds=alert_kinds(),
                _matcher=matcher,
            )
            app = cls(kernel)
            await app.reload_state()
        except BaseException as exc:
            if opened:
                await db.close()
            if isinstance(exc, STORAGE_ERRORS):
                raise StoreError(describe_failure(db.path, exc)) from exc
            raise
        return app

    @classmethod
    async def create_each_school(cls, loaded: LoadedConfig, clock: Clock) -> list[App]:
        """One app per school of the file (one for a one-school file), on one clock. The first
        reads the protocol, after its database (a bad file fails fast); the others share the
        protocol and its matcher. On a failure the apps already open are closed again."""
        apps: list[App] = []
        try:
            for school in loaded.each_school():
                first = apps[0] if apps else None
                apps.append(
                    await cls.create(
                        school,
                        clock=clock,
                        book=first.book if first else None,
                        matcher=first.kernel.matcher if first else None,
                    )
                )
        except BaseException:
            for app in apps:
                await app.close()
            raise
        return apps

    def __getitem__(self, kind: type[S]) -> S:
        """The service of one feature, by its class: `app[NameService]`. Every check of the
        screening asks on every post, so no `typing.cast` call (a Python call) here."""
        return self._services[kind]  # type: ignore[return-value]  # keyed by its own class

    def __iter__(self) -> Iterator[FeatureService]:
        return iter(self._services.values())

    # -- shared parts, named -------------------------------------------------------------------

    @property
    def loaded(self) -> LoadedConfig:
        return self.kernel.loaded

    @property
    def config(self) -> Config:
        return self.kernel.config

    @property
    def clock(self) -> Clock:
        return self.kernel.clock

    @property
    def db(self) -> Database:
        return self.kernel.db

    @property
    def book(self) -> ClauseBook:
        return self.kernel.book

    @property
    def calendar(self) -> SchoolCalendar:
        return self.kernel.calendar

    @property
    def access(self) -> Access:
        return self.kernel.access

    @property
    def alerts(self) -> AlertService:
        return self.kernel.alerts

    async def reload_state(self, now: datetime | None = None) -> None:
        """Every feature loads its hot state (grants, cooldowns, approvals) into memory."""
        at = now or self.clock.now()
        for service in self._services.values():
            await service.load(at)

    async def close(self) -> None:
        """Write what the outbox kept (a last try), then close the database. Idempotent."""
        await self.alerts.close()
        await self.db.close()

    async def reset_console_state(self) -> Refusal | None:
        """Forget everything (the console's `/reset`); never on the real bot's database."""
        if self.db.path.resolve() != self.loaded.console_database_path.resolve():
            return Refusal(RESET_REFUSED)
        await self.db.wipe()
        await self.reload_state()
        return None
