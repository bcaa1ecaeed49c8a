"""How a member is warned about their own post: privately by DM, or, with DMs closed, a short
reply in the channel that removes itself. Neither repeats what they wrote or can ping anyone."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from compass_bot.discord_front.pacing import dm_pacer

if TYPE_CHECKING:
    from compass_bot.discord_front.client import CompassBot

log = logging.getLogger("compass_bot.discord")


async def paced_dm(bot: CompassBot, member: discord.Member, text: str) -> bool:
    """A plain DM to a member, paced with every other DM of this bot; False when it could not
    be delivered (DMs closed, left the server), never an error."""
    try:
        await dm_pacer(bot, bot.loaded.config.alerts.dms_per_minute).wait()
        await member.send(text, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as exc:
        log.info("could not DM member %s: %s", member.id, exc.status)
        return False
    return True


async def warn_author(
    bot: CompassBot,
    message: discord.Message,
    embed: discord.Embed,
    fallback: str,
    *,
    deleted: bool,
    keep_for: float,
) -> None:
    """The DM (paced with every other DM); on closed DMs the fallback, as a reply unless the
    post was removed, deleted after `keep_for` seconds. Failures are logged, never raised."""
    try:
        await dm_pacer(bot, bot.loaded.config.alerts.dms_per_minute).wait()
        await message.author.send(embed=embed)
    except discord.Forbidden:
        reference = None if deleted else message.to_reference(fail_if_not_exists=False)
        try:
            await message.channel.send(
                fallback,
                delete_after=keep_for,
                reference=reference,  # type: ignore[arg-type]  # None: no reply (the default)
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            log.warning("could not warn %s in the channel either: %s", message.author.id, exc)
    except discord.HTTPException as exc:
        log.warning("could not DM a warning to %s: %s", message.author.id, exc)
