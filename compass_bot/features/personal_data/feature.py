"""The personal-data feature's declaration: no data of others in posts (aanwijzing-6), and a
private second look at a draft before posting (aanwijzing-7)."""

from __future__ import annotations

from compass_bot.features.base import AlertKind, Feature, Permission
from compass_bot.features.personal_data.rules import CLAUSE_ID
from compass_bot.features.personal_data.service import PersonalDataService
from compass_bot.features.personal_data.texts import reason_text

FEATURE = Feature(
    name="personal_data",
    data_statement=(
        "Nothing of its own: an alert keeps the post's excerpt with the data masked and the "
        "kinds found (telefoonnummer, adres, ...), never the data; drafts given to "
        "/tweedeblik are not kept."
    ),
    build=PersonalDataService,
    alert_kinds=(
        AlertKind(
            CLAUSE_ID,
            "Gegevens van een ander in een bericht",
            0xC0392B,
            reason_text=reason_text,
            words=("gegevens", "persoonsgegevens", "privacy", "data", "personal data"),
        ),
    ),
    console="compass_bot.features.personal_data.console",
    discord_extension="compass_bot.features.personal_data.discord_ext",
    post_check="PersonalData.check_post",
    permissions=(
        Permission(
            "manage_messages",
            "hide a post with other people's data (personal_data.action: hide)",
            # the rule reads the text of posts: without Message Content it is off
            lambda config: config.personal_data.action == "hide" and config.discord.message_content,
            where=None,  # in any channel but its exempt ones
        ),
    ),
)
