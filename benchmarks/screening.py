"""Screening cost: the bot's own decision for one post vs discord.py parsing that post.

    python benchmarks/screening.py [--iterations N]

Measures, in one run on one core:
- discord.py building a `discord.Message` from a MESSAGE_CREATE payload (its own cost);
- the service's decision for the same post (scope, roles, timetable, permissions), on the
  paths that need no action: a lesson channel, a staff author, the lunch break, after
  school, and a student with a teacher's permission. Nothing on that path touches SQLite.
Prints figures; the target is a ratio decision/parse of at most 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402

from compass_bot.app import App  # noqa: E402
from compass_bot.config import LoadedConfig, parse_config  # noqa: E402
from compass_bot.discord_front.convert import channel_info, member_of  # noqa: E402
from compass_bot.features.schooltime.service import SchoolTimeService  # noqa: E402
from compass_bot.model import MessagePosted  # noqa: E402

GUILD_ID, CHANNEL_ID, LESSON_CHANNEL_ID, CATEGORY_ID = 9000, 9101, 9102, 9100
STUDENT_ROLE, TEACHER_ROLE, MEMBER_ID, TEACHER_ID = 9201, 9202, 9301, 9302
DISCORD_EPOCH_MS = 1420070400000

CONFIG = """
school_time:
  social_channels: [algemeen]
  social_categories: [Sociaal]
  exempt_channels: [wiskunde-3b]
"""


def snowflake(at: datetime) -> int:
    return (int(at.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22


def guild_payload() -> dict[str, Any]:
    def role(rid: int, name: str, position: int) -> dict[str, Any]:
        return {
            "id": str(rid),
            "name": name,
            "color": 0,
            "hoist": False,
            "position": position,
            "permissions": "0",
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def text(cid: int, name: str) -> dict[str, Any]:
        return {
            "id": str(cid),
            "type": 0,
            "name": name,
            "position": 0,
            "parent_id": str(CATEGORY_ID),
            "permission_overwrites": [],
            "nsfw": False,
            "rate_limit_per_user": 0,
        }

    return {
        "id": str(GUILD_ID),
        "name": "Compass",
        "owner_id": "1",
        "roles": [
            role(GUILD_ID, "@everyone", 0),
            role(STUDENT_ROLE, "Leerling", 1),
            role(TEACHER_ROLE, "Docent", 2),
        ],
        "channels": [
            {
                "id": str(CATEGORY_ID),
                "type": 4,
                "name": "Sociaal",
                "position": 0,
                "permission_overwrites": [],
            },
            text(CHANNEL_ID, "algemeen"),
            text(LESSON_CHANNEL_ID, "wiskunde-3b"),
        ],
        "members": [],
        "member_count": 2,
        "emojis": [],
        "stickers": [],
        "features": [],
        "premium_tier": 0,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "system_channel_flags": 0,
        "preferred_locale": "nl",
        "nsfw_level": 0,
        "large": False,
        "unavailable": False,
    }


def message_payload(at: datetime, channel_id: int, author_id: int, role_id: int) -> dict[str, Any]:
    user = {
        "id": str(author_id),
        "username": "anna",
        "global_name": "Anna",
        "discriminator": "0",
        "avatar": None,
    }
    return {
        "id": str(snowflake(at)),
        "channel_id": str(channel_id),
        "guild_id": str(GUILD_ID),
        "author": user,
        "member": {
            "roles": [str(role_id)],
            "joined_at": "2025-09-01T08:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        },
        "content": "heeft iemand de huiswerkopdracht al af?",
        "timestamp": at.isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }


def per_call_us(
    fn: Callable[[], object],
    iterations: int,
    repeats: int = 7,
    timer: Callable[[], float] = time.perf_counter,
) -> float:
    """Best-of-repeats mean time per call, in microseconds (min filters scheduler noise).

    `timer=time.process_time` counts this process's CPU time only, so other processes on a
    loaded machine count less than in wall time (benchmarks/heat.py)."""
    best = float("inf")
    for _ in range(repeats):
        start = timer()
        for _ in range(iterations):
            fn()
        best = min(best, (timer() - start) / iterations)
    return best * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20000)
    args = parser.parse_args()

    client = discord.Client(intents=discord.Intents.all())
    state = client._connection
    guild = discord.Guild(data=guild_payload(), state=state)  # type: ignore[arg-type]
    state._add_guild(guild)
    channel = guild.get_channel(CHANNEL_ID)
    lesson_channel = guild.get_channel(LESSON_CHANNEL_ID)

    tmp = Path(tempfile.mkdtemp())
    cfg_path = tmp / "config.yaml"
    cfg_path.write_text(CONFIG, encoding="utf-8")
    loaded = LoadedConfig(config=parse_config(CONFIG, str(cfg_path)), path=cfg_path)
    service = await App.create(loaded)
    tz = service.calendar.timetable.tz
    lesson = datetime(2026, 11, 24, 10, 15, tzinfo=tz).astimezone(UTC)
    teacher = service.config.roles.teachers  # noqa: F841 - the config that makes Docent staff
    await service[SchoolTimeService].grant_permission(
        member_of(_member(guild, TEACHER_ID, TEACHER_ROLE)),
        "member",
        MEMBER_ID + 1,
        "bo",
        lesson,
        50,
    )

    cases = {
        "lesson channel": (lesson, lesson_channel, MEMBER_ID, STUDENT_ROLE),
        "staff author": (lesson, channel, TEACHER_ID, TEACHER_ROLE),
        "lunch break": (lesson.replace(hour=11, minute=20), channel, MEMBER_ID, STUDENT_ROLE),
        "after school": (lesson + timedelta(hours=7), channel, MEMBER_ID, STUDENT_ROLE),
        "with permission": (lesson + timedelta(minutes=5), channel, MEMBER_ID + 1, STUDENT_ROLE),
    }
    payload = message_payload(lesson, CHANNEL_ID, MEMBER_ID, STUDENT_ROLE)
    parse_us = per_call_us(
        lambda: discord.Message(state=state, channel=channel, data=payload), args.iterations
    )  # type: ignore[arg-type]
    print(f"discord.py parse of MESSAGE_CREATE: {parse_us:6.2f} us per message")
    print(
        f"{'decision path':<18} {'decision us':>11} {'+convert us':>11} {'ratio':>7} {'ratio+conv':>10}  reason"
    )
    ratios = []
    for name, (at, ch, author, role) in cases.items():
        msg = discord.Message(
            state=state, channel=ch, data=message_payload(at, ch.id, author, role)
        )  # type: ignore[arg-type,union-attr]
        info = channel_info(msg.channel)
        assert info is not None
        event = MessagePosted(
            member_of(msg.author), info, msg.created_at, msg.content, msg.id, GUILD_ID
        )
        verdict = service[SchoolTimeService].judge(event)
        assert verdict.allowed, (name, verdict)

        def decide(event: MessagePosted = event) -> object:
            return service[SchoolTimeService].judge(event)

        def convert_and_decide(msg: discord.Message = msg) -> object:
            info = channel_info(msg.channel)
            assert info is not None
            return service[SchoolTimeService].judge(
                MessagePosted(
                    member_of(msg.author), info, msg.created_at, msg.content, msg.id, GUILD_ID
                )
            )

        decision_us = per_call_us(decide, args.iterations)
        full_us = per_call_us(convert_and_decide, args.iterations)
        ratios.append(decision_us / parse_us)
        print(
            f"{name:<18} {decision_us:11.2f} {full_us:11.2f} {decision_us / parse_us:7.3f} "
            f"{full_us / parse_us:10.3f}  {verdict.reason}"
        )
    print(
        f"worst decision/parse ratio: {max(ratios):.3f} (target <= 0.5); "
        f"median {statistics.median(ratios):.3f}"
    )
    await service.close()
    await client.close()


def _member(guild: discord.Guild, member_id: int, role_id: int) -> discord.Member:
    data = {
        "user": {"id": str(member_id), "username": "docent", "discriminator": "0", "avatar": None},
        "roles": [str(role_id)],
        "joined_at": "2025-09-01T08:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    return discord.Member(data=data, guild=guild, state=guild._state)  # type: ignore[arg-type]


if __name__ == "__main__":
    asyncio.run(main())
