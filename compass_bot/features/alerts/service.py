"""The alerts feature: every rule reports through here, and nothing reported is lost.

`record` writes a flag to the outbox (repeats within the window make one alert). When the
database cannot be written the flag is kept in memory, oldest first, and retried with the
next flag or on a timer; other features defer their own small writes (a warning cooldown)
behind the kept flags with `write_or_defer`. What moderators do with alerts is in
`handling.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from compass_bot.features.alerts.handling import AlertHandling, StatusListener
from compass_bot.features.alerts.model import EXPIRED_LABEL, Alert
from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.mentions import MentionOf, erase_mentions_in
from compass_bot.model import Member
from compass_bot.storage.db import STORAGE_ERRORS, describe_failure, to_db

if TYPE_CHECKING:
    from compass_bot.app import Kernel

log = logging.getLogger(__name__)
KEPT_FLAGS_LIMIT = 1000  # flags held in memory while the database cannot be written
RETRY_SECONDS = 30.0  # how often kept flags are retried when no new flag comes along


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

DeferredWrite = Callable[[], Awaitable[None]]


class AlertService(AlertHandling):
    """The outbox as the other features and the moderators use it."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.db = kernel.db
        self.repo = OutboxRepo(kernel.db)
        self.settings = kernel.config.alerts
        # Storage trouble after start: flags wait here (oldest first) and are retried.
        self.storage_listener: StorageListener | None = None
        self.status_listeners: list[StatusListener] = []
        self.retry_seconds = RETRY_SECONDS
        self._kept: deque[_Flag] = deque()
        self._deferred: dict[tuple[str, int], DeferredWrite] = {}
        self._kept_written = 0
        self._dropped = 0
        self._storage_failing = False
        self._flag_lock = asyncio.Lock()
        self._retry_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def load(self, now: datetime) -> None:
        """Nothing to hold in memory: the outbox is read where it is needed."""

    async def record(
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
        window = timedelta(minutes=self.settings.repeat_window_minutes)
        return await self.repo.record_alert(
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
        window = timedelta(minutes=self.settings.repeat_window_minutes)
        per_message = flag.fields.get("per_message", False)
        created = not flag.fields.get("repeats", True) or not any(
            k.member.id == flag.member.id
            and k.rule == flag.rule
            and k.fields.get("source", "") == flag.fields.get("source", "")
            and (not per_message or k.fields.get("message_id") == flag.fields.get("message_id"))
            and flag.at - k.at < window
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
        """Write the kept flags (oldest first) and deferred writes; True when none are left.

        Called with `_flag_lock` held, so a kept flag is written exactly once."""
        while self._kept:
            try:
                await self._record(self._kept[0])
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return False
            self._kept.popleft()
            self._kept_written += 1
        for key, write in sorted(self._deferred.items()):
            try:
                await write()
            except STORAGE_ERRORS as exc:
                await self._write_failed(exc)
                return False
            if self._deferred.get(key) is write:
                del self._deferred[key]
        return True

    async def _write_failed(self, exc: BaseException) -> None:
        """A write failed: undo what it left open; the first failure is announced once."""
        await self.db.rollback()
        if self._storage_failing:
            return
        self._storage_failing = True
        line = describe_failure(self.db.path, exc)
        log.error(
            "storage is failing: %s; flags are kept in memory (up to %d) and retried",
            line,
            KEPT_FLAGS_LIMIT,
        )
        self._notify(StorageEvent(failing=True, path=str(self.db.path), error=line))

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
                path=str(self.db.path),
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
        while self._kept or self._deferred:
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
        """Write what was kept (a last try); the app closes the database after. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._retry_task is not None:
            self._retry_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry_task
        if self._kept or self._deferred:
            async with self._flag_lock:
                if not await self._write_kept():
                    log.error(
                        "%d flags could not be written before closing and are lost",
                        len(self._kept),
                    )
        for task in list(self._tasks):
            task.cancel()

    async def write_or_defer(self, key: tuple[str, int], write: DeferredWrite) -> None:
        """Write now, or, while storage fails (or when this write fails), defer it."""
        if self._storage_failing:
            self._deferred[key] = write
            return
        try:
            await write()
        except STORAGE_ERRORS as exc:
            self._deferred[key] = write
            await self._write_failed(exc)
            self._start_retry()

    async def best_effort(self, write: DeferredWrite) -> bool:
        """A write that may be lost with a failing database (a stored question): the failure
        is announced like a failed flag. Returns whether it was written."""
        try:
            await write()
        except STORAGE_ERRORS as exc:
            await self._write_failed(exc)
            return False
        await self._storage_works()
        return True

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """The alerts about the member; how many were still open goes in the reply
        (`alerts.open`), so the moderator knows unhandled cases left with them."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) AS n FROM alerts WHERE member_id = ? AND status = 'open'",
            (member_id,),
        )
        cur = await self.db.execute("DELETE FROM alerts WHERE member_id = ?", (member_id,))
        return {"alerts": cur.rowcount, "alerts.open": int(row["n"]) if row else 0}

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        """The erased member's mentions leave the alerts about others (the excerpt, a
        moderator's note, the reason, which quotes reporters' notes), which stay; each changed
        alert is re-delivered (edited) to show it. Flags kept in memory while the database
        failed lose them too."""
        erased = await erase_mentions_in(
            self.db, "alerts", ("excerpt", "note", "detail"), mention, escaped=("excerpt",)
        )
        await self.repo.redeliver(erased.rows)
        kept = 0
        for flag in self._kept:
            for column in ("excerpt", "detail"):
                if isinstance(text := flag.fields.get(column), str):
                    flag.fields[column], n = mention.erased(text, escaped=column == "excerpt")
                    kept += n
        return {"alert_mentions": erased.mentions + kept}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        """Excerpts, matched text, labels and reasons that hold names expire with the alert's
        last flag; a moderator's note expires counted from when it was written. Who wrote a
        note and when stay, as for handling."""
        personal = sorted(k.rule for k in self.kernel.alert_kinds.values() if k.personal_detail)
        marks = ", ".join("?" for _ in personal) or "NULL"
        cutoff = to_db(before)
        cur = await self.db.execute(
            f"UPDATE alerts SET excerpt = NULL, matched = NULL, member_label = '{EXPIRED_LABEL}',"
            " note = CASE WHEN note_at IS NULL OR note_at < ? THEN NULL ELSE note END,"
            f" detail = CASE WHEN rule IN ({marks}) THEN NULL ELSE detail END"
            " WHERE updated_at < ? AND (excerpt IS NOT NULL OR matched IS NOT NULL"
            f" OR member_label != '{EXPIRED_LABEL}'"
            " OR (note IS NOT NULL AND (note_at IS NULL OR note_at < ?)))",
            (cutoff, *personal, cutoff, cutoff),
        )
        return {"alerts": cur.rowcount}

    def forget(self, member_id: int) -> None:
        """Kept flags of the member stay: they are written, then erased with the next erasure."""
