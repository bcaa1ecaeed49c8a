"""The names feature's declaration: no "Compass" in a name without the leadership's approval."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import AlertKind, Feature, Permission
from compass_bot.features.names.repo import MIGRATIONS
from compass_bot.features.names.rules import CLAUSE_ID
from compass_bot.features.names.service import NameService
from compass_bot.features.names.texts import NAME_FIELDS, reason_text

FEATURE = Feature(
    name="names",
    data_statement=(
        "Names the leadership approved, exactly as they were, with who approved them; kept "
        "until revoked or erased."
    ),
    build=NameService,
    migrations=MIGRATIONS,
    actions=(
        Action(
            "approve_names",
            ("leadership",),
            "Alleen de schoolleiding kan namen goedkeuren.",
            "Only leadership can approve names.",
        ),
        Action(
            "revoke_names",
            ("leadership",),
            "Alleen de schoolleiding kan goedgekeurde namen intrekken.",
            "Only leadership can revoke approved names.",
        ),
        Action(
            "list_names",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen de goedgekeurde namen bekijken.",
            "Only moderators and leadership can see the approved names.",
        ),
        Action(
            "name_check",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen een naamcontrole doen.",
            "Only moderators and leadership can run a name check.",
        ),
    ),
    alert_kinds=(
        AlertKind(
            CLAUSE_ID,
            "Compass in een accountnaam",
            0x9B59B6,
            about="name",
            personal_detail=True,
            reason_text=reason_text,
            field_labels=NAME_FIELDS,
            words=("naam", "name", "accountnaam", "account name", "bijnaam", "nickname"),
        ),
    ),
    console="compass_bot.features.names.console",
    discord_extension="compass_bot.features.names.discord_ext",
    post_check="Names.check_post",
    erased_labels={"approved_names": "goedgekeurde naam/namen"},
    erased_labels_en={"approved_names": "approved name(s)"},
    permissions=(
        Permission(
            "manage_nicknames",
            "reset a server nickname with Compass in it (names.reset_nickname)",
            lambda config: config.names.reset_nickname,
            where=None,  # a server permission
        ),
    ),
    staff_commands=("naam", "naamcontrole"),
)
