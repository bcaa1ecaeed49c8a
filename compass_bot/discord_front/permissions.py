"""The Discord permissions the bot asks for: exactly what the enabled features declare.

Each feature lists its needs in its `Feature.permissions` (with the config that switches them
on); the invite link (`python -m compass_bot invite-url`) and the bot's own record of what it
needs are computed here from those declarations, never kept as a fixed number.
"""

from __future__ import annotations

import discord

from compass_bot.config import Config
from compass_bot.features.base import BASE_PERMISSIONS, Feature, Permission
from compass_bot.registry import FEATURES

SCOPES = ("bot", "applications.commands")


def needed(config: Config, features: tuple[Feature, ...] = FEATURES) -> list[Permission]:
    """The base set and every enabled need of `features`, in declaration order, each once;
    a permission several enabled needs ask for carries all their reasons ("; "), so
    `invite-url --explain` says everything it serves, not only the first."""
    whys: dict[str, list[str]] = {}
    for need in (*BASE_PERMISSIONS, *(p for f in features for p in f.permissions)):
        if need.name not in discord.Permissions.VALID_FLAGS:
            raise ValueError(f"unknown Discord permission {need.name!r} ({need.why})")
        if need.when(config):
            reasons = whys.setdefault(need.name, [])
            if need.why not in reasons:
                reasons.append(need.why)
    return [Permission(name, "; ".join(reasons)) for name, reasons in whys.items()]


def permissions(config: Config, features: tuple[Feature, ...] = FEATURES) -> discord.Permissions:
    """The permission bits the enabled features need."""
    return discord.Permissions(**{need.name: True for need in needed(config, features)})


def invite_url(client_id: int, config: Config) -> str:
    """The OAuth2 link that adds the bot with exactly these permissions and its commands."""
    return discord.utils.oauth_url(client_id, permissions=permissions(config), scopes=SCOPES)


def staff_permissions(config: Config) -> discord.Permissions:
    """What a member needs to see the staff commands (`discord.staff_permission`)."""
    return discord.Permissions(**{config.discord.staff_permission: True})


def staff_commands(features: tuple[Feature, ...] = FEATURES) -> frozenset[str]:
    """The top-level slash commands the features declare as staff commands."""
    return frozenset(name for f in features for name in f.staff_commands)
