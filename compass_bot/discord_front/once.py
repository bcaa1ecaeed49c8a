"""A permission the bot lacks is said in the log once per place, not once per event: without
Manage Messages every lesson-time post would repeat the same line, burying the rest."""

from __future__ import annotations

import logging

import discord


class SaidOnce:
    """The places (channel or server ids) where a missing permission was already logged.

    `first` is true the first time a place is refused; `back` forgets it once the bot could
    act there again, so a permission that is taken away later is said again."""

    def __init__(self) -> None:
        self._said: set[int] = set()

    def first(self, place: int) -> bool:
        if place in self._said:
            return False
        self._said.add(place)
        return True

    def back(self, place: int) -> None:
        self._said.discard(place)


async def remove_post(
    message: discord.Message, refused: SaidOnce, log: logging.Logger, setting: str
) -> bool:
    """Delete a member's post for a rule (`setting`: the config that asks it, e.g.
    "school_time.action is warn_and_delete"); True when it is gone. Where the bot may not
    manage messages (its cached permissions, or Discord's refusal) that is logged once per
    channel in `refused`, until it may again; Discord's own trouble is logged each time."""
    channel = message.channel
    me = message.guild.me if message.guild is not None else None
    name = getattr(channel, "name", channel.id)
    if (
        me is not None
        and isinstance(channel, discord.abc.GuildChannel | discord.Thread)
        and channel.permissions_for(me).manage_messages
    ):
        try:
            await message.delete()
        except discord.NotFound:
            return True  # already gone
        except discord.Forbidden as exc:  # the cache was behind: refused all the same
            reason = f"{exc.status} {exc.text}"
        except discord.HTTPException as exc:  # Discord's trouble, not a permission
            log.warning("could not delete post %s in #%s: %s", message.id, name, exc)
            return False
        else:
            refused.back(channel.id)
            return True
    else:
        reason = "the bot lacks Manage Messages"
    if refused.first(channel.id):
        log.warning(
            "%s, but posts in #%s cannot be removed (%s); the authors are warned only",
            setting,
            name,
            reason,
        )
    return False
