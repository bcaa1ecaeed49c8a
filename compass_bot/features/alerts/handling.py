"""What moderators do with alerts: resolve or dismiss, list the open or handled ones, export a period;
and the bot's own settling of an alert whose breach is gone."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from compass_bot import texts as shared_texts
from compass_bot.features.alerts import texts
from compass_bot.features.alerts.model import NOTE_LIMIT, Alert, AlertStatus, already_handled
from compass_bot.model import Member, Refusal

if TYPE_CHECKING:
    from compass_bot.app import Kernel
    from compass_bot.features.alerts.repo import OutboxRepo, StatusFilter

log = logging.getLogger("compass_bot.features.alerts.service")

# Told when an open alert is handled (resolved or dismissed): features follow up (reports
# thanks its reporters). Registered by a feature at build or setup.
StatusListener = Callable[[Alert, AlertStatus, datetime], Awaitable[None]]

OPEN_PER_PAGE = 10  # open (or handled) alerts on one page, in Discord and in the console


@dataclass(frozen=True, slots=True)
class OpenAlerts:
    """One page of the open (or handled) alerts, newest first. `page` counts from 0 and is always one of
    the `pages` (a page past the end, after alerts were handled, is the last page)."""

    alerts: list[Alert]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def older(self) -> int:
        """Open alerts on the pages after this one: the front tells how to reach them."""
        return max(0, self.total - self.page * self.per_page - len(self.alerts))


def about_yourself(alert: Alert | None, actor: Member) -> Refusal | None:
    """A staff member never decides on an alert about themselves (handling it, a note, a
    report's delete or warning): a reported moderator could dismiss the report."""
    if alert is not None and alert.member_id == actor.id:
        return Refusal(shared_texts.ABOUT_YOURSELF)
    return None


class AlertHandling:
    """The moderators' use cases of `AlertService` (a part of it: it sets these attributes)."""

    kernel: Kernel
    repo: OutboxRepo
    status_listeners: list[StatusListener]

    async def settle(self, member_id: int, rule: str, note: str, at: datetime) -> list[Alert]:
        """Resolve the member's open alerts of one rule by themselves (the breach is gone)."""
        settled: list[Alert] = []
        for alert in await self.repo.alerts(status="open", rule=rule, member_id=member_id):
            done = await self.repo.settle(alert.id, note, at)
            if done is not None:
                settled.append(done)
        return settled

    async def set_alert_status(
        self, actor: Member, alert_id: int, status: AlertStatus, at: datetime
    ) -> Alert | Refusal:
        if (refused := self.kernel.access.refusal(actor, "handle_alert")) is not None:
            return refused
        before = await self.repo.alert(alert_id)
        if (refused := about_yourself(before, actor)) is not None:
            return refused
        if (
            before is not None
            and status != "open"
            and before.status != "open"
            and (status == before.status or before.handled_by != actor.id)
        ):
            # a second click, or a second moderator the same way or the other: the first
            # handling (and who, and when) stays; only its own moderator may correct it
            # ("afgehandeld" clicked for "onterecht"), audited, with no follow-up run again
            return Refusal(already_handled(alert_id, before.status))
        alert = await self.repo.set_alert_status(alert_id, status, actor.id, at)
        if alert is None:
            return Refusal(texts.no_such_alert(alert_id))
        if before is not None and before.status == "open" and status != "open":
            for listener in self.status_listeners:
                try:
                    await listener(alert, status, at)
                except Exception:  # a follow-up never undoes the handling
                    log.exception("a status listener failed for alert %s", alert_id)
        return alert

    async def add_note(
        self, actor: Member, alert_id: int, text: str, at: datetime
    ) -> Alert | Refusal:
        """A moderator's note on an alert, shown on it with who wrote it and when (a new note
        replaces the one before; the form starts from it). Staff only, like handling.
        Other people's data in it is masked before it is kept, as in a reporter's note:
        the alert is read by every moderator."""
        if (refused := self.kernel.access.refusal(actor, "handle_alert")) is not None:
            return refused
        note = text.strip()
        if not note:
            return Refusal("Een notitie mag niet leeg zijn. / A note cannot be empty.")
        if len(note) > NOTE_LIMIT:
            return Refusal(
                f"Een notitie is hoogstens {NOTE_LIMIT} tekens. / A note is at most"
                f" {NOTE_LIMIT} characters."
            )
        if (refused := about_yourself(await self.repo.alert(alert_id), actor)) is not None:
            return refused
        masked = self.kernel.redacted(note)[:NOTE_LIMIT]  # a mask may be longer than the data
        alert = await self.repo.set_note(alert_id, masked, actor.id, at)
        if alert is None:
            return Refusal(texts.no_such_alert(alert_id))
        return alert

    async def open_alerts(
        self, actor: Member, rule: str | None = None, page: int = 0, per_page: int = OPEN_PER_PAGE
    ) -> OpenAlerts | Refusal:
        """A page of the open alerts, newest first; every front pages the same way, so no
        alert is out of reach (a page outside the range is the nearest one)."""
        return await self._page(actor, "open", rule, page, per_page)

    async def handled_alerts(
        self, actor: Member, rule: str | None = None, page: int = 0, per_page: int = OPEN_PER_PAGE
    ) -> OpenAlerts | Refusal:
        """A page of the handled alerts (resolved or unfounded), last handled first, paged as
        the open ones: a moderator sees whether someone already dealt with a case."""
        return await self._page(actor, "handled", rule, page, per_page)

    async def _page(
        self, actor: Member, status: StatusFilter, rule: str | None, page: int, per_page: int
    ) -> OpenAlerts | Refusal:
        if (refused := self.kernel.access.refusal(actor, "open_alerts")) is not None:
            return refused
        total = await self.repo.count_alerts(status=status, rule=rule)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        alerts = await self.repo.alerts(
            status=status, rule=rule, limit=per_page, offset=page * per_page
        )
        return OpenAlerts(alerts, total, page, pages, per_page)

    async def export_alerts(self, actor: Member, since: datetime, until: datetime) -> str | Refusal:
        """A CSV of the alerts created in [since, until), for the moderators' records."""
        if (refused := self.kernel.access.refusal(actor, "export_alerts")) is not None:
            return refused
        alerts = await self.repo.alerts(since=since, until=until, limit=100_000)
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
        tz = self.kernel.calendar.timetable.tz
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
