"""The AutoMod bridge's declaration: Discord's AutoMod hits land beside the bot's own alerts."""

from __future__ import annotations

from compass_bot.features.automod.service import AutoModService
from compass_bot.features.base import Feature, Permission

FEATURE = Feature(
    name="automod",
    data_statement=(
        "Nothing of its own: an AutoMod hit becomes an alert (member, channel, the rule's "
        "matched keyword; never the message), kept and erased as every alert."
    ),
    build=AutoModService,
    discord_extension="compass_bot.features.automod.discord_ext",
    permissions=(
        Permission(
            "manage_guild",
            "receive Discord AutoMod hits as alerts and `automod sync` (automod.enabled)",
            lambda config: config.automod.enabled,
            where=None,  # a server permission
        ),
    ),
)
