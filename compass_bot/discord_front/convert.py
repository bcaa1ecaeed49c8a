"""Translate discord.py objects into the service's plain data (and nothing more)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

import discord

from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.model import Member, MessagePosted
from compass_bot.visible import show_controls


async def find_member(guild: discord.Guild, member_id: int) -> discord.Member | None:
    """A member of the server, from the cache or, when it is not there (the Server Members
    intent is off, or the cache is cold), from Discord; None when they left."""
    found = guild.get_member(member_id)
    if found is not None:
        return found
    try:
        return await guild.fetch_member(member_id)
    except discord.HTTPException:
        return None


_KEPT = 4096  # entries per cache before it starts over (bounded memory)
_members: dict[tuple[int, str, tuple[tuple[int, str], ...]], Member] = {}
_channels: dict[tuple[int, str, int | None, str | None], ChannelInfo] = {}
# A role as a post's author had it: its id, the server's Role for that id then (None: not in
# the server), and that role's name and position (what `discord.Member.roles` sorts and
# `member_of` reads).
_RoleSeen = tuple[int, "discord.Role | None", str, int]
# per member id, name and role ids: the server, the roles as seen, and the `Member` built
_authors: dict[
    tuple[int, str, tuple[int, ...]], tuple[discord.Guild, tuple[_RoleSeen, ...], Member]
] = {}


def member_of(user: discord.Member | discord.User) -> Member:
    """The service's view of a member: id, a label for moderators, and roles by id and name.

    Every post asks, so one `Member` is kept per id, name and roles (ids and names): the
    same object post after post, which the rules' own caches then recognise. A server
    member's post skips `discord.Member.roles` (which looks up and sorts the roles anew)
    while the server still has the same role objects under the member's role ids, with the
    names and positions they had: a renamed, moved, deleted or new role is seen at once."""
    if type(user) is discord.Member:
        guild = user.guild
        key = (user.id, str(user), tuple(user._roles))
        seen = _authors.get(key)
        if seen is not None and seen[0] is guild:
            get_role = guild.get_role
            for role_id, role, name, position in seen[1]:
                now = get_role(role_id)
                if now is not role or (
                    role is not None and (role.name != name or role.position != position)
                ):
                    break
            else:
                return seen[2]
        roles = tuple((rid, guild.get_role(rid)) for rid in key[2])
        found = _member_of(user)
        if len(_authors) >= _KEPT:
            _authors.clear()
        _authors[key] = (
            guild,
            tuple((rid, r, r.name, r.position) if r else (rid, None, "", 0) for rid, r in roles),
            found,
        )
        return found
    return _member_of(user)


def _member_of(user: discord.Member | discord.User) -> Member:
    """`member_of` read from `discord.Member.roles` itself."""
    roles: tuple[tuple[int, str], ...] = ()
    if isinstance(user, discord.Member):
        roles = tuple((r.id, r.name) for r in user.roles if not r.is_default())
    name = str(user)
    key = (user.id, name, roles)
    found = _members.get(key)
    if found is None:
        if len(_members) >= _KEPT:
            _members.clear()
        found = _members[key] = Member(id=user.id, label=show_controls(name), roles=roles)
    return found


def channel_info(channel: object) -> ChannelInfo | None:
    """A guild channel (or thread, which follows its parent); None for DMs and the unknown.

    A channel (not a thread) is one `ChannelInfo` per id, name and category, kept: every
    post asks, and the school-time judge recognises the same object cheaply."""
    if type(channel) is discord.TextChannel:  # the common case first
        category = channel.category
        key = (
            channel.id,
            channel.name,
            category.id if category else None,
            category.name if category else None,
        )
        found = _channels.get(key)
        if found is None:
            if len(_channels) >= _KEPT:
                _channels.clear()
            found = _channels[key] = ChannelInfo(
                id=key[0], name=key[1], category_id=key[2], category_name=key[3]
            )
        return found
    if isinstance(channel, discord.Thread):
        parent = channel.parent
        parent_info = channel_info(parent) if parent is not None else None
        return ChannelInfo(
            id=channel.id,
            name=channel.name,
            category_id=parent_info.category_id if parent_info else None,
            category_name=parent_info.category_name if parent_info else None,
            parent=parent_info,
        )
    if isinstance(channel, discord.abc.GuildChannel):
        category = channel.category
        return ChannelInfo(
            id=channel.id,
            name=channel.name,
            category_id=category.id if category else None,
            category_name=category.name if category else None,
        )
    return None


_DISCORD_EPOCH_MS: Final = discord.utils.DISCORD_EPOCH


def created_at(message: discord.Message) -> datetime:
    """`message.created_at` (`discord.utils.snowflake_time` of its id) without its property and
    function calls: every post asks once, for the moment the rules judge it by."""
    return datetime.fromtimestamp(((message.id >> 22) + _DISCORD_EPOCH_MS) / 1000, UTC)


# The posts the message rules read: what members type (a reply is typed too); not joins,
# pins, boosts or other system messages.
MEMBER_POSTS = (discord.MessageType.default, discord.MessageType.reply)


def member_channel(message: discord.Message, guild_id: int | None) -> ChannelInfo | None:
    """Where a member's post in the school's guild was made, as every message rule reads it
    (`channel_info`), or None for bots, system messages, DMs and other guilds: `member_post`
    without its author and text, for a screening that converts those only when a rule asks.

    `guild_id`: the school's guild (None: the bot has not seen it yet, so nothing is judged)."""
    if message.author.bot or message.guild is None or message.guild.id != guild_id:
        return None
    if message.type not in MEMBER_POSTS:
        return None
    return channel_info(message.channel)


def member_post(
    message: discord.Message, at: datetime, guild_id: int | None
) -> MessagePosted | None:
    """A member's post in a guild channel as every message rule reads it (school time, other
    people's data, heat), or None for bots, system messages, DMs and other guilds.

    `guild_id`: the school's guild (None: the bot has not seen it yet, so nothing is judged).
    `at`: when the post counts as made (its own timestamp, or an edit's)."""
    channel = member_channel(message, guild_id)
    if channel is None:
        return None
    # positional: every post pays for this call, and keywords cost a third more
    return MessagePosted(
        member_of(message.author), channel, at, message.content, message.id, guild_id
    )
