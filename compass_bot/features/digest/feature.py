"""The weekly digest's declaration: the moderators' and leadership's view of the week."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import Feature
from compass_bot.features.digest.repo import MIGRATIONS
from compass_bot.features.digest.service import ACTION, DigestService
from compass_bot.features.digest.texts import REFUSED

FEATURE = Feature(
    name="digest",
    data_statement=(
        "Nothing about members: which weeks' digests were posted (week, time, message id). "
        "The digest itself is counts per rule and clause, and unanswered question texts "
        "(never who asked)."
    ),
    build=DigestService,
    migrations=MIGRATIONS,
    actions=(Action(ACTION, ("moderator", "leadership"), REFUSED),),
    staff_commands=("overzicht",),
    console="compass_bot.features.digest.console",
    discord_extension="compass_bot.features.digest.discord_ext",
)
