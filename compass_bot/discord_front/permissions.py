"""The Discord permissions the bot asks for: exactly what the enabled features declare.

Each feature lists its needs in its `Feature.permissions` (with the config that switches them
on, and where it is used); the invite link (`python -m compass_bot invite-url`) and the
start-up check of what the bot lacks are computed here from those declarations, never kept
as a fixed number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import discord

from compass_bot.config import Config, DiscordSettings
from compass_bot.features.base import BASE_PERMISSIONS, Feature, Permission
from compass_bot.refs import Ref, ref_matches
from compass_bot.registry import FEATURES

SCOPES = ("bot", "applications.commands")


def enabled(config: Config, features: tuple[Feature, ...] = FEATURES) -> list[Permission]:
    """Every declaration the config switches on, the base set first (a bit two features need
    is listed by each, with its own `where`); a name that is no Discord permission is
    refused."""
    wanted: list[Permission] = []
    for need in (*BASE_PERMISSIONS, *(p for f in features for p in f.permissions)):
        if need.name not in discord.Permissions.VALID_FLAGS:
            raise ValueError(f"unknown Discord permission {need.name!r} ({need.why})")
        if need.when(config):
            wanted.append(need)
    return wanted


def needed(config: Config, features: tuple[Feature, ...] = FEATURES) -> list[Permission]:
    """The base set and every enabled need of `features`, in declaration order, each once;
    a permission several enabled needs ask for carries all their reasons ("; "), so
    `invite-url --explain` says everything it serves, not only the first."""
    whys: dict[str, list[str]] = {}
    for need in enabled(config, features):
        reasons = whys.setdefault(need.name, [])
        if need.why not in reasons:
            reasons.append(need.why)
    return [Permission(name, "; ".join(reasons)) for name, reasons in whys.items()]


def permissions(config: Config, features: tuple[Feature, ...] = FEATURES) -> discord.Permissions:
    """The permission bits the enabled features need."""
    return discord.Permissions(**{need.name: True for need in needed(config, features)})


def invite_url(client_id: int, config: Config) -> str:
    """The OAuth2 link that adds the bot with exactly these permissions and its commands.

    A server named by id (`discord.guild`) is chosen in the link and cannot be changed on
    Discord's screen, so one school's link (its permissions) never lands on another's server;
    a name cannot be put in a link, so then the admin picks the server."""
    guild = config.discord.guild
    if isinstance(guild, int):
        return discord.utils.oauth_url(
            client_id,
            permissions=permissions(config),
            scopes=SCOPES,
            guild=discord.Object(guild),
            disable_guild_select=True,
        )
    return discord.utils.oauth_url(client_id, permissions=permissions(config), scopes=SCOPES)


# As Discord's consent screen and server settings name them (the API's flag in brackets).
DISCORD_NAMES = {
    "view_channel": "View Channels",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "read_message_history": "Read Message History",
    "manage_messages": "Manage Messages",
    "manage_channels": "Manage Channels",
    "manage_threads": "Manage Threads",
    "manage_guild": "Manage Server",
    "manage_nicknames": "Manage Nicknames",
}
_CLAUSE = re.compile(r"\((aanwijzing-\d+)\)")


def explain(config: Config, title_of: Callable[[str], str | None]) -> list[str]:
    """`invite-url --explain`: each permission as Discord's screen names it, with every
    reason; a protocol clause id in a reason gets its title (`title_of`), so the reason reads
    without the clause table at hand."""

    def plain(why: str) -> str:
        def titled(match: re.Match[str]) -> str:
            title = title_of(match.group(1))
            return f"({match.group(1)}: {title})" if title else match.group(0)

        return _CLAUSE.sub(titled, why)

    lines = [f"permissions {permissions(config).value}:"]
    for need in needed(config):
        label = DISCORD_NAMES.get(need.name, need.name.replace("_", " ").title())
        lines.append(f"  {label} [{need.name}]: {plain(need.why)}")
    return lines


@functools.cache
def clause_title(clause_id: str) -> str | None:
    """The protocol's title for a clause id (None when the text cannot be read)."""
    from compass_bot.policy import PolicyTextError, load_clauses

    try:
        clause = load_clauses().get(clause_id)
    except PolicyTextError:
        return None
    return clause.title if clause is not None else None


def portal_switches(settings: DiscordSettings) -> list[str]:
    """The Developer Portal's privileged intents this config needs, by the portal's names
    ("Server Members", "Message Content"): the one list invite-url and a refused login name."""
    return [
        name
        for name, on in (
            ("Server Members", settings.members),
            ("Message Content", settings.message_content),
        )
        if on
    ]


def portal_intents(settings: DiscordSettings) -> str:
    """The line naming the privileged intents to switch on in the Developer Portal."""
    wanted = [f"{name} Intent" for name in portal_switches(settings)]
    where = "Developer Portal > Bot > Privileged Gateway Intents"
    if not wanted:
        return "privileged intents: none (discord.members and discord.message_content are false)"
    return f"privileged intents: switch on {' and '.join(wanted)} ({where})"


def staff_permissions(config: Config) -> discord.Permissions:
    """What a member needs to see the staff commands (`discord.staff_permission`)."""
    return discord.Permissions(**{config.discord.staff_permission: True})


def staff_commands(features: tuple[Feature, ...] = FEATURES) -> frozenset[str]:
    """The top-level slash commands the features declare as staff commands."""
    return frozenset(name for f in features for name in f.staff_commands)


def lacking(
    config: Config, guild: discord.Guild, features: tuple[Feature, ...] = FEATURES
) -> list[str]:
    """The needed permissions the bot lacks in `guild` (logged at start-up), each once.

    A permission counts as present when the bot's roles give it server-wide, or, for one
    Discord also grants per channel, when the bot has it in each channel and category its
    declaration says it is used in (`Permission.where`): Manage Channels given on the social
    category is enough for the slowmode there. A place the server lacks is left out (the
    config check names it); with none found, or used anywhere (`where` None), only the role
    counts. Each declaration is checked on its own: Manage Messages on the social category
    serves the school-time deletes there, not hiding personal data in every channel.
    """
    me = guild.me
    if me is None or me.guild_permissions.administrator:
        return []
    server = me.guild_permissions
    per_channel = discord.Permissions.all_channel()
    missing: list[str] = []
    for need in enabled(config, features):
        if need.name in missing or getattr(server, need.name):
            continue
        where = need.where if getattr(per_channel, need.name) else None  # a channel's grant
        places = _channels(guild, where(config)) if where is not None else []
        if not places or not all(getattr(c.permissions_for(me), need.name) for c in places):
            missing.append(need.name)
    return missing


def _channels(guild: discord.Guild, refs: Sequence[Ref]) -> list[discord.abc.GuildChannel]:
    """The server's channels and categories these refs name (a name may name several)."""
    return [c for ref in refs for c in guild.channels if ref_matches(ref, c.id, c.name)]
