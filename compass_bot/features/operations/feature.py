"""The operations feature's declaration: `/status` for moderators and leadership."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import Feature
from compass_bot.features.operations.service import ACTION, OperationsService
from compass_bot.features.operations.texts import REFUSED, REFUSED_EN

FEATURE = Feature(
    name="operations",
    data_statement="Nothing: /status reads counts (outbox, last delivery, size) on request.",
    build=OperationsService,
    actions=(Action(ACTION, ("moderator", "leadership"), REFUSED, REFUSED_EN),),
    console="compass_bot.features.operations.console",
    discord_extension="compass_bot.features.operations.discord_ext",
    staff_commands=("status",),
)
