"""The cool-down feature's declaration: a calm nudge when a discussion turns unpleasant, then a
temporary slowmode (aanwijzing-5/7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compass_bot.access import Action
from compass_bot.features.base import AlertKind, Feature, Permission
from compass_bot.features.heat import texts
from compass_bot.features.heat.repo import MIGRATIONS
from compass_bot.features.heat.service import ACTION, CLAUSE_ID, HeatService

if TYPE_CHECKING:
    from compass_bot.config import Config


def _watches(config: Config) -> bool:
    """The rule has channels to watch: its own, else the school-time rule's social ones."""
    return bool(config.heat.watched_channels) or config.school_time.watches_channels()


FEATURE = Feature(
    name="heat",
    data_statement=(
        "Nothing of a post is stored: each watched channel keeps a short window in memory "
        "(member ids, times and scores, a few minutes) and its most hostile recent post, "
        "masked as an alert excerpt, until its alert is written or the window has passed. "
        "Stored: the slowmodes the bot set "
        "(channel, previous value, until) and the channels staff switched off. The moderators' "
        "alert holds an excerpt of at most 200 characters and the ids of the members involved."
    ),
    build=HeatService,
    migrations=MIGRATIONS,
    actions=(Action(ACTION, ("teacher", "moderator"), texts.REFUSED, texts.REFUSED_EN),),
    alert_kinds=(
        AlertKind(
            CLAUSE_ID,
            "Verhitte discussie",
            0xC0392B,
            reason_text=texts.reason_text,
            involved=texts.involved,
            words=("discussie", "ruzie", "afkoelen", "heat", "discussion", "argument", "fight"),
        ),
    ),
    console="compass_bot.features.heat.console",
    discord_extension="compass_bot.features.heat.discord_ext",
    post_check="Heat.check_post",
    permissions=(
        # /afkoelen is there in every installation: a teacher may slow any text channel
        Permission("manage_channels", "/afkoelen's slowmode, set by a teacher or moderator"),
        Permission(
            "manage_channels",
            "a temporary slowmode in a heated channel (aanwijzing-5)",
            lambda config: _watches(config) and config.discord.message_content,
        ),
        # the rule also watches the threads of a watched channel, and a thread's slowmode
        # needs its own permission (Without Message Content the rule reads no post: off)
        Permission(
            "manage_threads",
            "a temporary slowmode in a heated thread of a watched channel (aanwijzing-5)",
            lambda config: _watches(config) and config.discord.message_content,
        ),
    ),
    staff_commands=("afkoelen",),
    erased_labels={"heat_alert_members": "vermelding(en) als betrokken lid"},
    erased_labels_en={"heat_alert_members": "mention(s) as a member involved"},
)
