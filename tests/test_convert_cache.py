"""convert.py keeps one `Member` / `ChannelInfo` per what they say: a rename or a role
change gives a new one, the same member and channel give the same object."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import discord

from compass_bot.discord_front.convert import channel_info, member_of
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.model import Member
from compass_bot.visible import show_controls
from tests.fakediscord import payloads

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


def _as_discord_says(member: discord.Member) -> tuple[int, str, tuple[tuple[int, str], ...]]:
    """What `member_of` must give, read from `discord.Member.roles` itself (sorted anew)."""
    roles = tuple((r.id, r.name) for r in member.roles if not r.is_default())
    return member.id, show_controls(str(member)), roles


def _role(guild: discord.Guild, role_id: int, name: str, position: int) -> discord.Role:
    data = payloads.role(role_id, name, position=position)
    return discord.Role(guild=guild, state=guild._state, data=data)  # type: ignore[arg-type]


def test_member_follows_every_change_to_roles_and_names_on_many_posts() -> None:
    """Oracle: after each random change (a role renamed, moved, deleted, created or replaced
    by a new object, a member's roles or name changed), every member's next post converts to
    exactly what `discord.Member.roles` says, and to the same object while nothing changed."""
    rng = random.Random(28)
    guild = _guild()
    role_ids = [9500 + i for i in range(8)]
    for i, rid in enumerate(role_ids):
        guild._add_role(_role(guild, rid, f"rol{i}", i + 1))
    members = [
        _member(guild, rng.sample(role_ids, rng.randint(0, 3)), name=f"lid{u}", uid=500 + u)
        for u in range(5)
    ]
    last: dict[int, Member] = {}
    changes: Counter[str] = Counter()
    for _step in range(1500):
        change = rng.choice(
            ["rename", "move", "swap", "delete", "create", "replace", "roles", "user", "none"]
        )
        rid = rng.choice(role_ids)
        role = guild.get_role(rid)
        member = rng.choice(members)
        if change == "rename" and role is not None:
            role.name = rng.choice(["Leerling", "Docent", "rol", "Rol", f"r{rng.randint(0, 3)}"])
        elif change == "move" and role is not None:
            role.position = rng.randint(1, 4)  # ties: the id decides
        elif change == "swap":
            a, b = (guild.get_role(r) for r in rng.sample(role_ids, 2))
            if a is not None and b is not None:
                a.position, b.position = b.position, a.position
        elif change == "delete" and role is not None:
            guild._remove_role(rid)
        elif change == "create" and role is None:
            guild._add_role(_role(guild, rid, f"nieuw{rid}", rng.randint(1, 9)))
        elif change == "replace" and role is not None:
            guild._add_role(_role(guild, rid, role.name, role.position))
        elif change == "roles":
            member._roles = discord.utils.SnowflakeList(rng.sample(role_ids, rng.randint(0, 4)))
        elif change == "user":
            member._user.name = rng.choice(["anna", "bob", "C0mpass", "anna\u200b"])
        changes[change] += 1
        for one in members:
            got = member_of(one)
            assert (got.id, got.label, got.roles) == _as_discord_says(one)
            before = last.get(one.id)
            if before is not None and (before.label, before.roles) == (got.label, got.roles):
                assert got is before  # unchanged: the rules' own caches recognise it
            last[one.id] = got
    assert min(changes.values()) > 50  # every kind of change happened often


def test_created_at_is_discords_own() -> None:
    """`created_at` gives what `discord.Message.created_at` gives, over random snowflakes
    (old and new, any millisecond, the epoch itself)."""
    from datetime import UTC

    from compass_bot.discord_front.convert import created_at

    guild = _guild()
    channel = guild.get_channel(S.CHANNEL_ID)
    rng = random.Random(14)
    ids = [0, 1 << 22, (1 << 63) - 1] + [rng.getrandbits(63) for _ in range(2000)]
    for snowflake in ids:
        data = S.message_payload(
            S.datetime(2026, 1, 1, tzinfo=UTC), S.CHANNEL_ID, 5, S.STUDENT_ROLE
        )
        data["id"] = str(snowflake)
        message = discord.Message(state=guild._state, channel=channel, data=data)  # type: ignore[arg-type]
        assert created_at(message) == message.created_at
        assert created_at(message).tzinfo is message.created_at.tzinfo
