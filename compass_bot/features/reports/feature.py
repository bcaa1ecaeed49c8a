"""The reports feature's declaration: members report a message or a member to the moderators."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import AlertKind, Feature, Permission
from compass_bot.features.reports.repo import MIGRATIONS
from compass_bot.features.reports.rules import RULE
from compass_bot.features.reports.service import ReportService
from compass_bot.features.reports.texts import TITLE, reason_text

FEATURE = Feature(
    name="reports",
    data_statement=(
        "Reports by members: who reported (only to refuse repeats and for the hourly limit; "
        "never shown, unless reports.reveal_reporter lets leadership see it, audited; used for the "
        "optional 'your report was looked at' DM), who was reported, the message and channel ids, the reason, the note "
        "and a snapshot of the message (excerpt, attachment names); the note, the snapshot "
        "and the reporter's id expire after retention.days."
    ),
    build=ReportService,
    migrations=MIGRATIONS,
    actions=(
        Action(
            "report_delete",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen een gemeld bericht verwijderen.",
            "Only moderators and leadership can delete a reported message.",
        ),
        Action(
            "report_warn",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen de auteur waarschuwen.",
            "Only moderators and leadership can warn the author.",
        ),
        Action(
            "report_reveal",
            ("leadership",),
            "Alleen de schoolleiding kan zien wie iets meldde; moderatoren nooit.",
            "Only leadership can see who reported something; moderators never can.",
        ),
    ),
    alert_kinds=(
        AlertKind(
            RULE,
            TITLE,
            0xE67E22,
            personal_detail=True,
            reason_text=reason_text,
            words=(
                "melding",
                "meldingen",
                "gemeld",
                "report",
                "reports",
                "reported",
                "pesten",
                "bullying",
            ),
        ),
    ),
    console="compass_bot.features.reports.console",
    discord_extension="compass_bot.features.reports.discord_ext",
    # The feature is always on (no switch in `reports:`), so the invite always asks for it.
    permissions=(
        Permission(
            "manage_messages",
            'the moderators\' "Bericht verwijderen" under a report (aanwijzing-9)',
        ),
    ),
    erased_labels={
        "member_reports": "melding(en) door of over het lid",
        "report_mentions": "vermelding(en) in meldingen van anderen",
    },
    erased_labels_en={
        "member_reports": "report(s) by or about the member",
        "report_mentions": "mention(s) in others' reports",
    },
)
