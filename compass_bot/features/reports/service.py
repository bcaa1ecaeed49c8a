"""Reports: a member reports a message or a member; the moderators get one alert per message.

The alert names the reported member, the reasons with their clauses, how many distinct
members reported it, and a snapshot taken at the moment of the first report (excerpt,
attachment names), so it survives a deletion. It never names a reporter: their id is kept
in `member_reports` only to refuse repeats and to apply the hourly limit.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from compass_bot.features.alerts.handling import about_yourself
from compass_bot.features.alerts.model import Alert
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.features.reports import texts
from compass_bot.features.reports.repo import ReportRepo, StoredReport
from compass_bot.features.reports.rules import (
    OWN_RESPONSIBILITY,
    RULE,
    Accepted,
    PastReport,
    ReportDraft,
    judge_opening,
    judge_report,
)
from compass_bot.mentions import MentionOf, erase_mentions_in
from compass_bot.model import Member, Refusal, Warning
from compass_bot.policy import Clause
from compass_bot.storage.db import to_db
from compass_bot.visible import show_controls

if TYPE_CHECKING:
    from compass_bot.app import Kernel

NOTE_LIMIT = 500
FILE_NAME_LIMIT = 80
FILES_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """A report as a front end saw it when the member chose to report (the snapshot)."""

    reporter: Member
    reported: Member
    reason: str
    at: datetime
    guild_id: int | None = None
    channel_id: int | None = None
    message_id: int | None = None  # None: a member is reported, not a message
    content: str | None = None
    attachments: tuple[str, ...] = ()
    note: str | None = None
    reported_is_bot: bool = False
    system_message: bool = False
    reporter_can_see: bool = True


@dataclass(frozen=True, slots=True)
class Filed:
    """The report was taken: the confirmation the reporter sees, and the alert (None while
    the database cannot be written: the outbox keeps the flag and writes it later)."""

    confirmation: str
    alert: Alert | None
    reporters: int


@dataclass(frozen=True, slots=True)
class AuthorWarning:
    alert: Alert
    warning: Warning


def _note(text: str | None, redacted: Callable[[str], str]) -> tuple[str | None, bool]:
    """The reporter's note as kept and shown: on one line, other people's data masked
    (`redacted`), cut, controls written out; and whether the typed text was over the limit
    (only then is the reporter told it was cut). Masking lengthens a note
    (`[telefoonnummer verborgen]` for ten digits): a note that fit the form keeps the room
    its masks take, and a longer one is cut at the limit plus the room its first
    NOTE_LIMIT characters' masks take. The whole is masked before it is cut, so a cut never
    leaves the unmasked half of a number."""
    whole = " ".join((text or "").split())
    masked = redacted(whole)
    shortened = len(whole) > NOTE_LIMIT
    typed = whole[:NOTE_LIMIT]
    room = len(redacted(typed)) - len(typed) if shortened else len(masked) - len(whole)
    kept = masked[: NOTE_LIMIT + max(room, 0)]
    return (show_controls(kept) if kept else None), shortened


def _file_names(names: Sequence[str]) -> list[str]:
    shown = [show_controls(" ".join(n.split()))[:FILE_NAME_LIMIT] for n in names[:FILES_SHOWN]]
    return [n for n in shown if n]


def _detail(reports: Sequence[StoredReport]) -> str:
    """The alert's reason from its reports: each reason with its voices, the reporters, the
    snapshot's files and every note (`texts.detail_json`)."""
    latest = reports[-1].message_id  # the message the alert shows (the outbox may merge)
    first = next(r for r in reports if r.message_id == latest)
    # a reason counts once per reporter: one member reporting the message and then its
    # author for the same reason is one voice (a report whose reporter retention
    # has cleared counts on its own)
    voices = {
        (r.reporter_id if r.reporter_id is not None else -i, r.reason)
        for i, r in enumerate(reports)
    }
    reasons = Counter(reason for _, reason in voices)
    return texts.detail_json(
        dict(reasons),
        len({r.reporter_id for r in reports if r.reporter_id is not None}) or 1,
        list(first.attachments),
        first.attachment_count,
        [r.note for r in reports if r.note],
        all(r.message_id is None for r in reports),
    )


def _draft(request: ReportRequest, note: str | None) -> ReportDraft:
    """What the rule judges of a request; `note` as it would be kept (`_note`)."""
    return ReportDraft(
        reporter_id=request.reporter.id,
        reported_id=request.reported.id,
        reason=request.reason,
        at=request.at,
        message_id=request.message_id,
        reported_is_bot=request.reported_is_bot,
        system_message=request.system_message,
        reporter_can_see=request.reporter_can_see,
        note=note,
    )


class ReportService:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.repo = ReportRepo(kernel.db)
        self._lock = asyncio.Lock()  # check-then-write: three reports at once make one alert

    async def load(self, now: datetime) -> None:
        """Nothing in memory: the reports are read where they are needed."""

    def confirmation(self, language: str) -> str:
        clause = self.kernel.book[RULE]
        template = texts.CONFIRM_EN if language == "en" else texts.CONFIRM
        return template.format(
            clause_id=clause.id,
            clause=clause.text_en if language == "en" else clause.text,
            contacts=texts.contacts_text(list(self.kernel.config.reports.contacts), language),
        )

    async def file(self, request: ReportRequest, language: str = "nl") -> Filed | Refusal:
        """Judge a report; an accepted one goes into the message's one open alert. A repeat
        with a new reason or note is added to the reporter's open report (the alert is
        edited, the reporter still counted once); an exact repeat is refused."""
        settings = self.kernel.config.reports.settings()
        # read once: the verdict (a new note?), the alert and the store
        note, shortened = _note(request.note, self.kernel.redacted)
        async with self._lock:
            verdict = judge_report(_draft(request, note), await self._past(request), settings)
            if not isinstance(verdict, Accepted):
                return Refusal(texts.refusal_text(verdict.code, language, settings.max_per_hour))
            alert, reporters, added = await self._file(request, verdict, note)
        confirmation = (
            texts.added_text(verdict.adds_reason, verdict.adds_note, language)
            if added
            else self.confirmation(language)
        )
        if shortened:
            confirmation += "\n" + texts.shortened_text(NOTE_LIMIT, language)
        return Filed(confirmation, alert, reporters)

    async def _past(self, request: ReportRequest) -> list[PastReport]:
        """The reporter's reports the rule weighs: of this message, and all of the last day."""
        settings = self.kernel.config.reports.settings()
        since = request.at - max(settings.window, settings.member_repeat)
        past = await self.repo.by_reporter(request.reporter.id, request.message_id, since)
        return [
            PastReport(p.reported_id, p.message_id, p.created_at, p.reason, p.note) for p in past
        ]

    async def _file(
        self, request: ReportRequest, verdict: Accepted, note: str | None
    ) -> tuple[Alert | None, int, bool]:
        """The report stored in its open alert; also whether it was added to the reporter's
        own earlier report there (an alert handled since: it opens anew, as for anyone)."""
        excerpt = None
        if request.message_id is not None:
            excerpt = self.kernel.excerpt(request.content or "")
        files = _file_names(request.attachments)
        existing = await self.repo.open_alert_for(request.reported.id, request.message_id)
        created = added = False
        if existing is None:
            shown = excerpt if excerpt is not None else ""  # a member report shows no message
            detail = texts.detail_json(
                {verdict.reason.code: 1},
                1,
                files,
                len(request.attachments),
                [note] if note else [],
                request.message_id is None,
            )
            alert, created = await self.kernel.alerts.record(
                RULE,
                request.reported,
                request.at,
                request.guild_id,
                channel_id=request.channel_id,
                message_id=request.message_id,
                excerpt=shown,
                detail=detail,
                # one alert per message: a report of another message by the same member is not
                # merged into its alert (the snapshot and 'Bericht verwijderen' would be lost);
                # a report of the same message is, also one kept while the store failed. A
                # report of the member (no message) joins only one about the member: in a
                # message's alert it read as a second report of that message
                per_message=True,
            )
            if alert is None:  # the outbox keeps the flag until the database works again
                return None, 1, False
            alert_id = alert.id
        else:
            alert_id = existing
            added = verdict.adds and await self.repo.reported_by(alert_id, request.reporter.id)
        if added:  # the snapshot is kept once, with the report it came with; not per addition
            excerpt, files = None, []
        await self.repo.add(
            reporter_id=request.reporter.id,
            reported_id=request.reported.id,
            guild_id=request.guild_id,
            channel_id=request.channel_id,
            message_id=request.message_id,
            reason=verdict.reason.code,
            clause_id=verdict.clause_id,
            note=note,
            excerpt=excerpt,
            attachments=files,
            attachment_count=len(request.attachments),
            alert_id=alert_id,
            at=request.at,
        )
        reports = await self.repo.of_alert(alert_id)
        reporters = len({r.reporter_id for r in reports if r.reporter_id is not None})
        if not created:
            # Another report of the same message (or merged by the outbox's repeat window):
            # the alert shows the distinct reporters and every reason, and is edited.
            await self.kernel.alerts.repo.restate(
                alert_id, max(reporters, 1), _detail(reports), request.at
            )
        await self.kernel.db.commit()
        return await self.kernel.alerts.repo.alert(alert_id), reporters, added

    # -- the moderators' actions ------------------------------------------------------------

    async def _report_alert(self, actor: Member, alert_id: int, action: str) -> Alert | Refusal:
        if (refused := self.kernel.access.refusal(actor, action)) is not None:
            return refused
        alert = await self.kernel.alerts.repo.alert(alert_id)
        if alert is None:
            return Refusal(no_such_alert(alert_id))
        if alert.rule != RULE:
            return Refusal(texts.NOT_A_REPORT)
        return about_yourself(alert, actor) or alert

    async def message_to_delete(self, actor: Member, alert_id: int) -> Alert | Refusal:
        """'Bericht verwijderen': the alert, when the actor may and it is about a message that
        was not deleted from it before (a second click: the message is gone already)."""
        alert = await self._report_alert(actor, alert_id, "report_delete")
        if isinstance(alert, Refusal):
            return alert
        if alert.channel_id is None or alert.message_id is None:
            return Refusal(texts.NO_MESSAGE)
        if await self.repo.message_deleted(alert.id):
            return Refusal(texts.ALREADY_DELETED)
        return alert

    async def message_deleted(self, actor: Member, alert: Alert, at: datetime) -> None:
        """Audited: who deleted the reported message (ids only)."""
        await self.kernel.db.audit(
            at, actor.id, "report.delete", alert.member_id, {"alert": alert.id}
        )

    async def warn_author(self, actor: Member, alert_id: int) -> AuthorWarning | Refusal:
        """'Auteur waarschuwen': a DM citing the clause most reporters chose, never a reporter."""
        alert = await self._report_alert(actor, alert_id, "report_warn")
        if isinstance(alert, Refusal):
            return alert
        if await self.repo.author_warned(alert.id):  # a second click: one DM is enough
            return Refusal(texts.ALREADY_WARNED)
        chosen = await self.repo.main_clause(alert.id)
        # "iets anders" (or no report left) names the complaints clause, which says how the
        # school handles reports, not what the author should do: they are reminded that
        # they answer for what they post (aanwijzing-1)
        clause: Clause = self.kernel.book[
            chosen if chosen is not None and chosen != RULE else OWN_RESPONSIBILITY
        ]
        english = "\n".join((texts.WARN_INTRO_EN, f"> {clause.text_en}", texts.WARN_CLOSING_EN))
        warning = Warning(
            intro=texts.WARN_INTRO,
            clause=clause,
            closing=texts.WARN_CLOSING,
            fallback="",
            english=english,
        )
        return AuthorWarning(alert, warning)

    async def author_warned(self, actor: Member, warned: AuthorWarning, at: datetime) -> None:
        """Audited once the DM went out: who warned whom, with which clause (ids only)."""
        await self.kernel.db.audit(
            at,
            actor.id,
            "report.warn",
            warned.alert.member_id,
            {"alert": warned.alert.id, "clause": warned.warning.clause.id},
        )

    async def precheck(self, request: ReportRequest, language: str = "nl") -> Refusal | None:
        """Refuse before the form opens what no reason or note could make acceptable
        (oneself, a bot, the hourly limit), so nobody fills in a form for nothing. A repeat
        opens the form: a new reason or note in it is added to the earlier report."""
        settings = self.kernel.config.reports.settings()
        verdict = judge_opening(_draft(request, None), await self._past(request), settings)
        if verdict is None:
            return None
        return Refusal(texts.refusal_text(verdict.code, language, settings.max_per_hour))

    async def reveal(
        self, actor: Member, alert_id: int, at: datetime
    ) -> tuple[Alert, list[int]] | Refusal:
        """'Melder tonen': the reporters of an alert, for leadership only and only when the
        config allows it; every reveal is audited (a count, no reporter ids in the log)."""
        if self.kernel.config.reports.reveal_reporter != "leadership":
            return Refusal(texts.REVEAL_OFF)
        alert = await self._report_alert(actor, alert_id, "report_reveal")
        if isinstance(alert, Refusal):
            return alert
        reporters = await self.repo.reporters(alert.id)
        await self.kernel.db.audit(
            at,
            actor.id,
            "report.reveal",
            alert.member_id,
            {"alert": alert.id, "shown": len(reporters)},
        )
        return alert, reporters

    async def reporters_to_thank(self, alert: Alert) -> list[int]:
        """Who gets the 'je melding is bekeken' DM once the alert is handled (config)."""
        if alert.rule != RULE or not self.kernel.config.reports.notify_reporter:
            return []
        return await self.repo.reporters(alert.id)

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """Reports the member made and reports about the member. An alert about someone else
        that showed the member's note (and counted them) is restated from the reports left,
        so the note leaves the alert and its message too."""
        db = self.kernel.db
        rows = await db.fetchall(
            "SELECT DISTINCT alert_id FROM member_reports WHERE reporter_id = ?"
            " AND reported_id != ? AND alert_id IS NOT NULL",
            (member_id, member_id),
        )
        cur = await db.execute(
            "DELETE FROM member_reports WHERE reporter_id = ? OR reported_id = ?",
            (member_id, member_id),
        )
        await self._restate(int(row["alert_id"]) for row in rows)
        return {"member_reports": cur.rowcount}

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        """The erased member's mentions leave the other members' reports (the note, the
        snapshot); their alerts are restated, so a note shown there loses them too (the
        alert's own excerpt is the alerts feature's)."""
        erased = await erase_mentions_in(
            self.kernel.db, "member_reports", ("note", "excerpt"), mention, escaped=("excerpt",)
        )
        if not erased.rows:
            return {"report_mentions": 0}
        marks = ", ".join("?" for _ in erased.rows)
        rows = await self.kernel.db.fetchall(
            f"SELECT DISTINCT alert_id FROM member_reports WHERE id IN ({marks})"
            " AND alert_id IS NOT NULL",
            erased.rows,
        )
        await self._restate(int(row["alert_id"]) for row in rows)
        return {"report_mentions": erased.mentions}

    async def _restate(self, alert_ids: Iterable[int]) -> None:
        """Each alert's count and reason from the reports left (an erasure changed them)."""
        for alert_id in alert_ids:
            alert = await self.kernel.alerts.repo.alert(alert_id)
            if alert is None:
                continue
            reports = await self.repo.of_alert(alert_id)
            reporters = len({r.reporter_id for r in reports if r.reporter_id is not None})
            detail = _detail(reports) if reports else texts.without_reporters(alert.detail)
            await self.kernel.alerts.repo.restate(alert_id, max(reporters, 1), detail, None)

    async def purge(self, before: datetime) -> Mapping[str, int]:
        """After retention the snapshot, the note and the reporter's id go."""
        cur = await self.kernel.db.execute(
            "UPDATE member_reports SET note = NULL, excerpt = NULL, attachments = NULL,"
            " reporter_id = NULL WHERE created_at < ? AND (reporter_id IS NOT NULL"
            " OR note IS NOT NULL OR excerpt IS NOT NULL OR attachments IS NOT NULL)",
            (to_db(before),),
        )
        return {"member_reports": cur.rowcount}

    def forget(self, member_id: int) -> None:
        """Nothing in memory."""
