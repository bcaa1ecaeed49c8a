"""The school-time feature's declaration: social media only in the lunch break or with a
teacher's permission."""

from __future__ import annotations

from compass_bot.access import Action
from compass_bot.features.base import AlertKind, Feature, Permission
from compass_bot.features.schooltime.repo import MIGRATIONS
from compass_bot.features.schooltime.rules import CLAUSE_ID
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.features.schooltime.texts import REASON_LABELS

FEATURE = Feature(
    name="schooltime",
    data_statement=(
        "Permission grants (who granted, for whom, until when; the free-text reason expires "
        "after retention.days), the time of a student's last warning, and the last post id "
        "seen per watched channel (no text)."
    ),
    build=SchoolTimeService,
    migrations=MIGRATIONS,
    actions=(
        Action(
            "permissions",
            ("teacher",),
            "Alleen docenten kunnen toestemming geven of intrekken.",
            "Only teachers can grant or revoke permission.",
        ),
        Action(
            "list_permissions",
            ("teacher",),
            "Alleen docenten kunnen de lijst met toestemmingen zien.",
            "Only teachers can see the list of permissions.",
        ),
    ),
    alert_kinds=(
        AlertKind(
            CLAUSE_ID,
            "Sociale media tijdens schooltijd",
            0xE67E22,
            reason_text=lambda detail, language: REASON_LABELS.get(detail, detail),
            words=("lestijd", "les", "school time", "lesson time", "lessons"),
        ),
    ),
    console="compass_bot.features.schooltime.console",
    discord_extension="compass_bot.features.schooltime.discord_ext",
    post_check="SchoolTime.check_post",
    erased_labels={
        "warning_cooldowns": "tijdstip(pen) van een waarschuwing",
        "permission_grants": "toestemming(en) van een docent",
        "grant_mentions": "vermelding(en) in redenen van toestemmingen",
    },
    erased_labels_en={
        "warning_cooldowns": "time(s) of a warning",
        "permission_grants": "permission(s) from a teacher",
        "grant_mentions": "mention(s) in the reasons for permissions",
    },
    permissions=(
        Permission(
            "manage_messages",
            "delete a post in lesson time (school_time.action: warn_and_delete)",
            # Judged by author, channel and time: Message Content is not needed; with no
            # social channel or category listed the rule watches nothing and deletes nothing.
            lambda config: (
                config.school_time.action == "warn_and_delete"
                and config.school_time.watches_channels()
            ),
            where=lambda config: (
                *config.school_time.social_channels,
                *config.school_time.social_categories,
            ),
        ),
    ),
    staff_commands=("toestemming",),
)
