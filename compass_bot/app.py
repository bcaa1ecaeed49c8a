"""The composition root: one `App` per running bot (Discord or console), built from the
registry. The kernel is what every feature shares (config, clock, database, the protocol,
the school calendar, who may do what, the alerts outbox); each feature's service is built
from it and found by its type: `app[SchoolTimeService]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, cast

from compass_bot.access import Access
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.alerts.model import EXCERPT_LIMIT, sanitise_excerpt
from compass_bot.features.base import AlertKind, Feature, FeatureService
from compass_bot.model import Refusal
from compass_bot.policy import ClauseBook, load_clauses
from compass_bot.registry import FEATURES, alert_kinds
from compass_bot.schedule import SchoolCalendar
from compass_bot.storage.db import STORAGE_ERRORS, Database, StoreError, describe_failure

if TYPE_CHECKING:
    from compass_bot.config import Config
    from compass_bot.features.alerts.service import AlertService

S = TypeVar("S")

RESET_REFUSED = "Alleen de console kan opnieuw beginnen; de database van de echte bot blijft staan."


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
    _alerts: AlertService | None = None

    def excerpt(self, text: str, limit: int = EXCERPT_LIMIT) -> str:
        """A post's text as an alert may keep it: redacted by every feature, then made safe
        to show (no pings, markdown escaped) and cut to `limit`."""
        for redact in self.redactors:
            text = redact(text)
        return sanitise_excerpt(text, limit)

    @property
    def config(self) -> Config:
        return self.loaded.config

    @property
    def alerts(self) -> AlertService:
        assert self._alerts is not None, "the alerts feature is built first"
        return self._alerts


class App:
    """Every feature's service on one kernel. Create with `await App.create(loaded)`."""

    def __init__(self, kernel: Kernel, features: tuple[Feature, ...] = FEATURES) -> None:
        from compass_bot.features.alerts.service import AlertService

        self.kernel = kernel
        self.features = features
        self._services: dict[type, FeatureService] = {}
        for feature in features:
            service = feature.build(kernel)
            self._services[type(service)] = service
            kernel.services.append(service)
            if isinstance(service, AlertService):
                kernel._alerts = service

    @classmethod
    async def create(
        cls,
        loaded: LoadedConfig,
        db: Database | None = None,
        book: ClauseBook | None = None,
        clock: Clock | None = None,
    ) -> App:
        """Raises StoreError (one line) when the database cannot be used; a database opened
        here is closed again on any failure, so a failed start never hangs the process."""
        clock = clock or Clock()
        opened = db is None
        db = db or await Database.open(loaded.database_path)  # first: a bad file fails fast
        try:
            kernel = Kernel(
                loaded=loaded,
                clock=clock,
                db=db,
                book=book or load_clauses(),
                calendar=SchoolCalendar.build(loaded, clock.now()),
                access=Access(loaded.config.roles, (a for f in FEATURES for a in f.actions)),
                alert_kinds=alert_kinds(),
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

    def __getitem__(self, kind: type[S]) -> S:
        """The service of one feature, by its class: `app[NameService]`."""
        return cast(S, self._services[kind])

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
