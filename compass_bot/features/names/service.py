"""Account names: no "Compass" in a name in any disguise without the leadership's approval.

The approvals are held in memory and written through; `names_seen` checks a member's three
names and flags a breach (a DM citing aanwijzing-2, an alert). The leadership approves a
member's current names exactly as they are, which settles the member's open name alerts.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from compass_bot.features.alerts.model import Alert, already_handled
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.features.base import KeepsNoMentions
from compass_bot.features.names import texts
from compass_bot.features.names.repo import ApprovedName, NameRepo
from compass_bot.features.names.rules import CLAUSE_ID, NameChecker, NameVerdict
from compass_bot.model import Member, Refusal, Warning
from compass_bot.storage.db import STORAGE_ERRORS

if TYPE_CHECKING:
    from compass_bot.app import Kernel


@dataclass(frozen=True, slots=True)
class NamesSeen:
    member: Member
    at: datetime
    username: str
    global_name: str | None = None
    nick: str | None = None
    guild_id: int | None = None


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
    settled: tuple[Alert, ...] = ()  # open name alerts that settled: the names are fine now


def _entries(detail: str) -> set[str]:
    """The names an alert's detail lists, one entry per field ('bijnaam: 'X' (reden)')."""
    return set(detail.removeprefix(texts.UNCERTAIN_PREFIX).split("; "))


class NameService(KeepsNoMentions):
    """The name rule with the approvals of the leadership."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.checker = NameChecker(kernel.config.names.allowed_words)
        self.repo = NameRepo(kernel.db)
        self._approved: dict[int, set[str]] = defaultdict(set)
        self._open: set[int] = set()  # members with an open name alert, to settle when fixed
        self._approving = asyncio.Lock()  # two clicks at once: one approval, one DM

    async def load(self, now: datetime) -> None:
        """Load the approved names into memory."""
        self._approved = defaultdict(set)
        for approved in await self.repo.approved_names():
            self._approved[approved.member_id].add(approved.name)
        alerts = await self.kernel.alerts.repo.alerts(status="open", rule=CLAUSE_ID)
        self._open = {a.member_id for a in alerts}

    def may_check_names(self, actor: Member) -> Refusal | None:
        """A sweep over every member's names is for moderators and the leadership."""
        return self.kernel.access.refusal(actor, "name_check")

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
            verdict = self.checker.check(value, approved)
            if verdict.flagged:
                flagged.append(FlaggedName(name_field, verdict))
            elif verdict.uncertain:
                uncertain.append(FlaggedName(name_field, verdict))
        return flagged, uncertain

    async def names_seen(self, event: NamesSeen) -> NameOutcome:
        """Check a member's names; a breach gets a DM citing aanwijzing-2 and an alert."""
        flagged, uncertain = self.check_names(event)
        if not flagged and not uncertain:
            settled: tuple[Alert, ...] = ()
            if event.member.id in self._open:  # the member put it right: the alert settles
                self._open.discard(event.member.id)
                settled = tuple(
                    await self.kernel.alerts.settle(
                        event.member.id, CLAUSE_ID, texts.SETTLED_BY_ITSELF, event.at
                    )
                )
            return NameOutcome(settled=settled)
        first = (flagged or uncertain)[0]
        # Other people's data in a name (a phone number, an e-mail) is masked wherever the
        # alert shows or keeps the name, as in a post's excerpt; the rest stays recognisable.
        redacted = self.kernel.redacted
        detail = (texts.UNCERTAIN_PREFIX if not flagged else "") + "; ".join(
            f"{texts.NAME_FIELDS[f.field]}: {redacted(f.verdict.name)!r} ({f.verdict.reason})"
            for f in flagged + uncertain
        )
        reset_nickname = self.kernel.config.names.reset_nickname and any(
            f.field == "nick" for f in flagged
        )
        if await self._already_flagged(event.member.id, detail):
            # the same names as the open alert (a sweep, a restart): no new flag, count or DM
            return NameOutcome(
                flagged=tuple(flagged), uncertain=tuple(uncertain), reset_nickname=reset_nickname
            )
        self._open.add(event.member.id)
        member = event.member
        if (label := redacted(member.label)) != member.label:  # a username is its label
            member = replace(member, label=label)
        alert, created = await self.kernel.alerts.record(
            CLAUSE_ID,
            member,
            event.at,
            event.guild_id,
            excerpt=self.kernel.excerpt(first.verdict.name, 100),
            name_field=first.field,
            matched=redacted(first.verdict.matched) if first.verdict.matched else None,
            detail=detail,
        )
        warning = self._warning(flagged[0]) if flagged and created else None
        return NameOutcome(
            flagged=tuple(flagged),
            uncertain=tuple(uncertain),
            warning=warning,
            alert=alert,
            alert_created=created,
            reset_nickname=reset_nickname,
        )

    async def _already_flagged(self, member_id: int, detail: str) -> bool:
        """Whether the member's open name alert already names each of these names (its
        stored reason lists them): the same names, or fewer (one fixed, the others still
        there), are no new breach, and the alert keeps its list. Only an open alert counts:
        a handled one (a false positive, a revoked approval) is raised anew."""
        if member_id not in self._open:  # most members: no open name alert, no query
            return False
        try:
            open_alerts = await self.kernel.alerts.repo.alerts(
                status="open", rule=CLAUSE_ID, member_id=member_id
            )
        except STORAGE_ERRORS:  # unreadable: record the flag, which keeps it if need be
            return False
        # AutoMod's alerts citing aanwijzing-2 are about a post, not the member's names
        latest = next((a for a in open_alerts if a.name_field is not None), None)
        if latest is None or latest.detail is None:
            return False
        # the same names, or fewer of them (a name fixed, the others still there): no new breach
        return latest.detail == detail or _entries(detail) <= _entries(latest.detail)

    def _warning(self, flagged: FlaggedName) -> Warning:
        """Dutch first, then English (the clause's own English text), as every warning. The
        member's own name is shown as it is: the DM goes to them alone."""
        clause = self.kernel.book[CLAUSE_ID]
        name = flagged.verdict.name
        english = "\n".join(
            (
                texts.NAME_WARNING_EN.format(field=texts.NAME_FIELDS_EN[flagged.field], name=name),
                f"> {clause.text_en}",
                texts.NAME_HOW_TO_ASK_EN,
            )
        )
        return Warning(
            intro=texts.NAME_WARNING.format(field=texts.NAME_FIELDS[flagged.field], name=name),
            clause=clause,
            closing=texts.NAME_HOW_TO_ASK,
            fallback=texts.NAME_HOW_TO_ASK,
            english=english,
            fallback_en=texts.NAME_HOW_TO_ASK_EN,
        )

    async def approve_names(
        self, actor: Member, member_id: int, names: Iterable[str], at: datetime
    ) -> list[ApprovedName] | Refusal:
        """The leadership approves a member's current names that hold 'Compass' (flagged or
        uncertain), exactly as they are; a clean name needs no approval, so it is neither
        stored, listed nor counted.

        The member's open name alerts are settled with it (re-delivered to show so), so a
        later bad name starts a new alert and a new DM instead of bumping a settled one. Names
        approved already are refused as such: a second command sends no second DM.
        """
        if (refused := self.kernel.access.refusal(actor, "approve_names")) is not None:
            return refused
        async with self._approving:
            return await self._approve(actor, member_id, names, at, again=False)

    async def _approve(
        self, actor: Member, member_id: int, names: Iterable[str], at: datetime, again: bool
    ) -> list[ApprovedName] | Refusal:
        """`approve_names` under `_approving`; `again`: names approved already are approved
        once more (an open alert's button settles it), else refused."""
        wanted = [n for n in names if n and self._needs_approval(n)]
        if not wanted:
            # nothing of 'Compass' in any of them: an approval would approve nothing (and be
            # counted in the digest as one)
            return Refusal(texts.NOTHING_TO_APPROVE)
        redacted = self.kernel.redacted
        if any(redacted(n) != n for n in wanted):
            # an approved name is kept as it is written: never one with someone's number in it
            return Refusal(texts.HOLDS_DATA)
        if not again and set(wanted) <= self._approved.get(member_id, set()):
            return Refusal(texts.ALREADY_APPROVED)
        approved = await self.repo.approve_names(member_id, wanted, actor.id, at)
        self._approved[member_id] = {a.name for a in approved}
        for alert in await self.kernel.alerts.repo.alerts(
            status="open", rule=CLAUSE_ID, member_id=member_id
        ):
            await self.kernel.alerts.repo.set_alert_status(alert.id, "resolved", actor.id, at)
        return approved

    def _needs_approval(self, name: str) -> bool:
        verdict = self.checker.check(name)
        return verdict.flagged or verdict.uncertain

    async def revoke_names(self, actor: Member, member_id: int, at: datetime) -> int | Refusal:
        if (refused := self.kernel.access.refusal(actor, "revoke_names")) is not None:
            return refused
        count = await self.repo.revoke_approved_names(member_id, actor.id, at)
        self._approved.pop(member_id, None)
        return count

    async def approved_names(self, actor: Member) -> list[ApprovedName] | Refusal:
        if (refused := self.kernel.access.refusal(actor, "list_names")) is not None:
            return refused
        redacted = self.kernel.redacted  # an approval from before names with data were refused
        return [replace(a, name=redacted(a.name)) for a in await self.repo.approved_names()]

    async def approve_from_alert(
        self, actor: Member, alert_id: int, current_names: Iterable[str], at: datetime
    ) -> Alert | Refusal:
        """'Naam goedkeuren' on a name alert: approve the member's current names, resolve it."""
        if (refused := self.kernel.access.refusal(actor, "approve_names")) is not None:
            return refused
        async with self._approving:
            alert = await self.kernel.alerts.repo.alert(alert_id)
            if alert is None:
                return Refusal(no_such_alert(alert_id))
            if alert.rule != CLAUSE_ID:  # another rule's alert: approving names settles nothing
                return Refusal(texts.NOT_A_NAME_ALERT)
            if alert.status == "resolved":  # a second click: no second approval, no second DM
                return Refusal(already_handled(alert_id, alert.status))
            names = [name for name in current_names if name.strip()]
            if not names:  # the member is gone or unknown here: nothing to approve, keep it open
                return Refusal(texts.NO_NAMES_TO_APPROVE)
            approved = await self._approve(actor, alert.member_id, names, at, again=True)
            if isinstance(approved, Refusal):
                return approved
            updated = await self.kernel.alerts.repo.alert(alert_id)  # settled by _approve
            assert updated is not None
            return updated

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        cur = await self.kernel.db.execute(
            "DELETE FROM approved_names WHERE member_id = ?", (member_id,)
        )
        return {"approved_names": cur.rowcount}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        """Approvals last until revoked or erased: the leadership's decision is the record."""
        return {}

    def forget(self, member_id: int) -> None:
        self._approved.pop(member_id, None)
        self._open.discard(member_id)
