"""The status use case: who may see it, and the figures (read by `ops.database_status`, the
same reader as `python -m compass_bot status`, beside the running bot)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compass_bot.features.base import KeepsNoMemberData
from compass_bot.model import Member, Refusal
from compass_bot.ops import PrivilegedIntents, Status, database_status

if TYPE_CHECKING:
    from compass_bot.app import Kernel

ACTION = "status"


@dataclass(frozen=True, slots=True)
class BotStatus:
    """What a moderator asks first: which bot, which schools, which intents, and whether
    alerts are getting out."""

    schools: tuple[str, ...]
    intents: PrivilegedIntents
    database: Status


class OperationsService(KeepsNoMemberData):
    """Stores nothing: the status is counts read from the database on request."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    # -- use cases ---------------------------------------------------------------------------

    def refusal(self, member: Member) -> Refusal | None:
        return self.kernel.access.refusal(member, ACTION)

    async def status(self, schools: Sequence[str], intents: PrivilegedIntents) -> BotStatus:
        """The figures; raises `ops.OpsError` (one line) when the database cannot be read.
        Read in a thread: a plain sqlite3 reader beside the bot's own connection (WAL)."""
        database = await asyncio.to_thread(database_status, self.kernel.db.path)
        return BotStatus(schools=tuple(schools), intents=intents, database=database)
