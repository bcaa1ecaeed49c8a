"""The alerts feature's declaration: the outbox every other feature reports through."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.alerts.migrations import MIGRATIONS
from compass_bot.features.alerts.service import AlertService
from compass_bot.features.base import Feature

FEATURE = Feature(
    name="alerts",
    data_statement=(
        "Per alert: the member's id and label, where (the channels of a repeat with their "
        "counts, ids only), an excerpt of at most 200 characters, the reason, and a "
        "moderator's note of at most 500 characters with who wrote it and when; the excerpt "
        "and label expire after retention.days from the last flag, the note's text after "
        "retention.days from when it was written; the alert is erased with the member."
    ),
    build=AlertService,
    migrations=MIGRATIONS,
    actions=(
        Action(
            "handle_alert",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen meldingen afhandelen.",
            "Only moderators and leadership can handle alerts.",
        ),
        Action(
            "open_alerts",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen de meldingen bekijken.",
            "Only moderators and leadership can see the alerts.",
        ),
        Action(
            "export_alerts",
            ("moderator", "leadership"),
            "Alleen moderatoren en de schoolleiding kunnen meldingen exporteren.",
            "Only moderators and leadership can export alerts.",
        ),
    ),
    console="compass_bot.features.alerts.console",
    discord_extension="compass_bot.features.alerts.discord_ext",
    erased_labels={
        "alerts": "melding(en) aan moderatoren",
        "alert_mentions": "vermelding(en) in meldingen over anderen",
    },
    erased_labels_en={
        "alerts": "alert(s)",
        "alert_mentions": "mention(s) in alerts about others",
    },
    staff_commands=("meldingen",),
)
