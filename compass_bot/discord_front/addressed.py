"""Whether a post is addressed to the bot (`CompassBot.question_in`), and the question it asks.

Every post in the school's server asks this (the questions feature answers such a post, the
school-time rule never warns for it), so the common "no" costs a substring test, a reference
check and the questions channel's id compared: no pattern, no set, no failed attribute lookup.
"""

from __future__ import annotations

import re

import discord

from compass_bot.discord_front.schools import ServerSetup


def question_in(
    message: discord.Message, me: discord.ClientUser | None, setup: ServerSetup
) -> str | None:
    """The question when `message` is addressed to the bot `me`, else None.

    Addressed means a DM, a mention of the bot (or its managed role) typed in the text, a
    reply to one of the bot's messages, or a post in the questions channel (or a thread under
    it) of the school whose server is `setup`'s."""
    guild = message.guild
    content = message.content
    if guild is None:
        return content.strip()
    pattern = mention_pattern(me, guild) if "<@" in content else None
    mentioned = pattern is not None and pattern.search(content) is not None
    reference = message.reference.resolved if message.reference is not None else None
    replied = (
        isinstance(reference, discord.Message) and me is not None and reference.author.id == me.id
    )
    if not (mentioned or replied or in_questions_channel(message, setup)):
        return None
    return (pattern.sub(" ", content) if pattern else content).strip()


def may_be_addressed(message: discord.Message, setup: ServerSetup) -> bool:
    """False when `question_in` is None for certain for a post in a server: no mention typed,
    no reply, not the questions channel (the common post; a DM is always addressed)."""
    return (
        message.reference is not None
        or "<@" in message.content
        or message.guild is None
        or in_questions_channel(message, setup)
    )


def in_questions_channel(message: discord.Message, setup: ServerSetup) -> bool:
    """Whether the post is in the questions channel, or a thread opened under it."""
    questions_channel = setup.questions_channel_id
    if questions_channel is None or "questions_channel" in setup.disabled:
        return False
    channel = message.channel
    if channel.id == questions_channel:
        return True
    if type(channel) is discord.TextChannel:  # the common case: no parent to look up
        return False
    return getattr(channel, "parent_id", None) == questions_channel  # a thread's parent


def mention_pattern(me: discord.ClientUser | None, guild: discord.Guild) -> re.Pattern[str] | None:
    """The bot's mention, or its managed role's (Discord suggests both when typing @)."""
    if me is None:
        return None
    forms = [rf"<@!?{me.id}>"]
    role = guild.self_role
    if role is not None:
        forms.append(rf"<@&{role.id}>")
    return re.compile("|".join(forms))
