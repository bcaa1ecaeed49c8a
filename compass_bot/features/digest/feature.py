"""The weekly digest's declaration: the moderators' and leadership's view of the week."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compass_bot.access import Action
from compass_bot.features.base import Feature, Permission
from compass_bot.features.digest.repo import MIGRATIONS
from compass_bot.features.digest.service import ACTION, DigestService
from compass_bot.features.digest.texts import REFUSED, REFUSED_EN

if TYPE_CHECKING:
    from compass_bot.config import Config
    from compass_bot.refs import Ref


def _moderators_channel(config: Config) -> tuple[Ref, ...]:
    channel = config.channels.moderators
    return (channel,) if channel is not None else ()


FEATURE = Feature(
    name="digest",
    data_statement=(
        "Nothing about members: which weeks' digests were posted (week, time, message id). "
        "The digest itself is counts per rule and clause, and unanswered question texts "
        "(never who asked)."
    ),
    build=DigestService,
    migrations=MIGRATIONS,
    actions=(Action(ACTION, ("moderator", "leadership"), REFUSED, REFUSED_EN),),
    staff_commands=("overzicht",),
    console="compass_bot.features.digest.console",
    discord_extension="compass_bot.features.digest.discord_ext",
    permissions=(
        # The weekly post is the bot's own message, so it uploads its chart with the bot's
        # permission in the channel; /overzicht is a private reply, which needs none.
        Permission(
            "attach_files",
            "the weekly digest's chart in the moderators' channel (digest.enabled)",
            lambda config: config.digest.enabled,
            where=_moderators_channel,
        ),
    ),
)
