"""The privacy feature's declaration: erasure per member and the retention purge."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import Feature
from compass_bot.features.privacy.service import PrivacyService

FEATURE = Feature(
    name="privacy",
    data_statement="Nothing of its own: the audit trail keeps that an erasure or purge happened.",
    build=PrivacyService,
    actions=(
        Action(
            "erase",
            ("moderator",),
            "Alleen moderatoren kunnen de gegevens van een lid wissen.",
            "Only moderators can erase a member's data.",
        ),
    ),
    console="compass_bot.features.privacy.console",
    discord_extension="compass_bot.features.privacy.discord_ext",
    staff_commands=("privacy",),
)
