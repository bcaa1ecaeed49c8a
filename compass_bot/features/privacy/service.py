"""Privacy: erase everything stored about one member, the retention purge, and no typed-in
password kept anywhere (`compass_bot.passwords`, a redaction every feature's stored text gets).

Erasure and the purge reach every feature through its `FeatureService` hooks, in one transaction with one audit
row, so a new feature's tables are covered by declaring the hooks, not by a list kept here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from compass_bot import texts as shared_texts
from compass_bot.mentions import MentionOf
from compass_bot.model import Member, Refusal
from compass_bot.passwords import masked_secrets

if TYPE_CHECKING:
    from compass_bot.app import Kernel


class PrivacyService:
    """`/privacy wissen` and the daily retention purge."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        # a typed-in password is kept nowhere: alert excerpts, report notes, stored questions
        kernel.redactors.append(masked_secrets)

    async def load(self, now: datetime) -> None:
        """Nothing held in memory."""

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """Erasure's own rows: the audit trail keeps only that it happened (details cleared)."""
        await self.kernel.db.execute(
            "UPDATE audit SET detail = '{}' WHERE subject_id = ?", (member_id,)
        )
        return {}

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        """The audit trail keeps ids and codes, no text that could mention anyone."""
        return {}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        return {}

    def forget(self, member_id: int) -> None:
        """Nothing held in memory."""

    async def erase(
        self, actor: Member, member_id: int, at: datetime, label: str | None = None
    ) -> dict[str, int] | Refusal:
        """Remove everything stored about one member, in every feature, in one transaction:
        their rows, then their mentions in what is kept about others (`compass_bot.mentions`:
        by id, and in the console by `label`, its `@label`), which stays without their name."""
        if (refused := self.kernel.access.refusal(actor, "erase")) is not None:
            return refused
        if member_id == actor.id:  # with it the reports about them would go too
            return Refusal(shared_texts.ERASE_YOURSELF)
        db = self.kernel.db
        counts: dict[str, int] = {}
        async with db.transaction():
            for service in self.kernel.services:
                if service is not self:
                    counts.update(await service.erase_member(member_id))
            mention = MentionOf(member_id, label)
            for service in self.kernel.services:  # what is left is about others
                counts.update(await service.erase_mentions(mention))
            await self.erase_member(member_id)
            await db.audit(at, actor.id, "privacy.erase", member_id, counts, commit=False)
        for service in self.kernel.services:
            service.forget(member_id)
        await db.checkpoint()
        return counts

    async def purge_expired(self, now: datetime) -> dict[str, int]:
        """Retention: what each feature keeps for a while expires after `retention.days`."""
        before = now - timedelta(days=self.kernel.config.retention.days)
        db = self.kernel.db
        counts: dict[str, int] = {}
        async with db.transaction():
            for service in self.kernel.services:
                counts.update(await service.purge(before))
            await db.audit(now, None, "retention.purge", None, counts, commit=False)
        await db.checkpoint()
        return counts
