"""AutoMod hits as moderator alerts: the clause the config maps the rule to, the member, the
channel and the rule's matched keyword; never the message itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from compass_bot.features.alerts.model import Alert
from compass_bot.features.automod.rules import clause_for, default_mapping, detail_text
from compass_bot.features.base import KeepsNoMemberData
from compass_bot.model import Member

if TYPE_CHECKING:
    from compass_bot.app import Kernel


SOURCE = "automod"  # the outbox's `source` of AutoMod's alerts


@dataclass(frozen=True, slots=True)
class AutoModHit:
    """One AutoMod execution as the bridge needs it (no content fields on purpose)."""

    member: Member
    at: datetime
    guild_id: int
    rule_id: int
    rule_name: str | None
    matched_keyword: str | None
    channel_id: int | None = None
    message_id: int | None = None


class AutoModService(KeepsNoMemberData):
    """Stores nothing of its own: its alerts live in the outbox, erased with the alerts."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.settings = kernel.config.automod

    def clause(self, rule_id: int, rule_name: str | None) -> str:
        """The configured clause; the rules `automod sync` made cite their own by default."""
        mapping = {**default_mapping(), **self.settings.rules}
        return clause_for(rule_id, rule_name, mapping, self.settings.default_clause)

    async def hit(self, hit: AutoModHit) -> tuple[Alert | None, bool]:
        """Record the hit in the outbox under its clause. Repeats merge with AutoMod's own
        alert only: the feature that owns the clause (reports, personal data, names) keeps
        its alert, reason and message as they are."""
        keyword = hit.matched_keyword[:200] if hit.matched_keyword else None
        return await self.kernel.alerts.record(
            self.clause(hit.rule_id, hit.rule_name),
            hit.member,
            hit.at,
            hit.guild_id,
            channel_id=hit.channel_id,
            message_id=hit.message_id,
            matched=keyword,
            detail=detail_text(hit.rule_name, hit.rule_id, keyword),
            source=SOURCE,
        )
