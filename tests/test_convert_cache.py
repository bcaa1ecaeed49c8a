"""convert.py keeps one `Member` / `ChannelInfo` per what they say: a rename or a role
change gives a new one, the same member and channel give the same object."""

from __future__ import annotations

import sys
from pathlib import Path

import discord

from compass_bot.discord_front.convert import channel_info, member_of
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.visible import show_controls

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import screening as S


def _guild() -> discord.Guild:
    client = discord.Client(intents=discord.Intents.all())
    return discord.Guild(data=S.guild_payload(), state=client._connection)  # type: ignore[arg-type]


def _member(
    guild: discord.Guild, roles: list[int], name: str = "anna", uid: int = 77
) -> discord.Member:
    data = {
        "user": {"id": str(uid), "username": name, "discriminator": "0", "avatar": None},
        "roles": [str(r) for r in roles],
        "joined_at": "2025-09-01T08:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    return discord.Member(data=data, guild=guild, state=guild._state)  # type: ignore[arg-type]


def test_member_is_what_discord_says_and_kept_while_unchanged() -> None:
    guild = _guild()
    member = _member(guild, [S.TEACHER_ROLE, S.STUDENT_ROLE])
    got = member_of(member)
    expected = tuple((r.id, r.name) for r in member.roles if not r.is_default())
    assert got.roles == expected == ((S.STUDENT_ROLE, "Leerling"), (S.TEACHER_ROLE, "Docent"))
    assert got.label == show_controls(str(member)) and got.id == 77
    assert member_of(_member(guild, [S.TEACHER_ROLE, S.STUDENT_ROLE])) is got
    renamed_role = guild.get_role(S.STUDENT_ROLE)
    assert renamed_role is not None
    renamed_role.name = "Leerling 2"
    assert member_of(member).roles == ((S.STUDENT_ROLE, "Leerling 2"), (S.TEACHER_ROLE, "Docent"))
    assert member_of(_member(guild, [S.STUDENT_ROLE])).roles == ((S.STUDENT_ROLE, "Leerling 2"),)
    assert member_of(_member(guild, [S.STUDENT_ROLE], name="bob", uid=78)).label == "bob"


def test_channel_is_what_discord_says_and_follows_a_rename() -> None:
    guild = _guild()
    channel = guild.get_channel(S.CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    info = channel_info(channel)
    assert info == ChannelInfo(S.CHANNEL_ID, "algemeen", S.CATEGORY_ID, "Sociaal")
    assert channel_info(channel) is info
    channel.name = "kantine"
    assert channel_info(channel) == ChannelInfo(S.CHANNEL_ID, "kantine", S.CATEGORY_ID, "Sociaal")
    category = guild.get_channel(S.CATEGORY_ID)
    assert category is not None
    category.name = "Pauze"
    assert channel_info(channel) == ChannelInfo(S.CHANNEL_ID, "kantine", S.CATEGORY_ID, "Pauze")
