"""Screening cost: everything the bot does for one post vs discord.py parsing that post.

    python benchmarks/screening.py [--iterations N] [--repeats N] [--members-off]

Measures, in one run on one core, in process time (best of repeats):
- discord.py building a `discord.Message` from a MESSAGE_CREATE payload (its own cost);
- for posts that need no action (a lesson channel, a staff author, the lunch break, after
  school, a student with a teacher's permission): the conversion (`CompassBot.school_post`,
  done once per post and shared by the listeners), then every feature's `on_message`
  listener of the real bot as discord.py calls it (school time, other people's data, heat,
  questions, names), each driven to its end without an event loop; the school-time
  decision alone is kept as its own column. Nothing on that path touches SQLite.
A post in the questions channel is always answered, so it is no case here.
Prints ratios to the parse; the target is the whole screening at most 0.5 x the parse.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402

from compass_bot.app import App  # noqa: E402
from compass_bot.config import LoadedConfig, parse_config  # noqa: E402
from compass_bot.discord_front.client import EXTENSIONS, CompassBot  # noqa: E402
from compass_bot.discord_front.convert import member_of  # noqa: E402
from compass_bot.discord_front.schools import resolve_setup  # noqa: E402
from compass_bot.features.schooltime.service import SchoolTimeService  # noqa: E402
from compass_bot.model import MessagePosted  # noqa: E402

GUILD_ID, CHANNEL_ID, LESSON_CHANNEL_ID, CATEGORY_ID = 9000, 9101, 9102, 9100
STUDENT_ROLE, TEACHER_ROLE, MEMBER_ID, TEACHER_ID = 9201, 9202, 9301, 9302
QUESTIONS_CHANNEL_ID, BOT_ID = 9103, 9399
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
            text(QUESTIONS_CHANNEL_ID, "protocol-vragen"),
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


def drive(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that must not suspend (a post that needs no action awaits nothing
    real); raise if it does, since then its cost is not what this script measures."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    coro.close()
    raise RuntimeError("a listener suspended on a post that needs no action")


def listeners(bot: CompassBot) -> dict[str, Callable[[discord.Message], Coroutine[Any, Any, Any]]]:
    """Every feature's `on_message` listener, by feature (the extensions the bot loads)."""
    found: dict[str, Callable[[discord.Message], Coroutine[Any, Any, Any]]] = {}
    for cog in bot.cogs.values():
        for name, method in cog.get_listeners():
            if name == "on_message":
                feature = type(cog).__module__.split(".")[-2]
                found[feature] = method
    return found


async def make_bot(members: bool) -> tuple[CompassBot, discord.Guild]:
    """The real bot, not connected: its state holds the server, its extensions are loaded."""
    tmp = Path(tempfile.mkdtemp())
    cfg_path = tmp / "config.yaml"
    text = CONFIG + ("" if members else "discord:\n  members: false\n")
    cfg_path.write_text(text, encoding="utf-8")
    loaded = LoadedConfig(config=parse_config(text, str(cfg_path)), path=cfg_path)
    app = await App.create(loaded)
    bot = CompassBot(loaded, app)
    state = bot._connection
    state.user = discord.ClientUser(
        state=state,
        data={"id": str(BOT_ID), "username": "compass", "discriminator": "0", "avatar": None},
    )
    guild = discord.Guild(data=guild_payload(), state=state)  # type: ignore[arg-type]
    state._add_guild(guild)
    bot.setup = resolve_setup(guild, loaded)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    return bot, guild


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--members-off",
        action="store_true",
        help="without the Server Members intent (names are then checked on every post)",
    )
    args = parser.parse_args()
    if args.iterations < 1 or args.repeats < 1:
        parser.error("--iterations and --repeats must be at least 1")

    def timed(fn: Callable[[], object]) -> float:
        return per_call_us(fn, args.iterations, args.repeats, timer=time.process_time)

    bot, guild = await make_bot(members=not args.members_off)
    state = bot._connection
    app = bot.app
    channel = guild.get_channel(CHANNEL_ID)
    lesson_channel = guild.get_channel(LESSON_CHANNEL_ID)
    tz = app.calendar.timetable.tz
    lesson = datetime(2026, 11, 24, 10, 15, tzinfo=tz).astimezone(UTC)
    await app[SchoolTimeService].grant_permission(
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
    rules = listeners(bot)
    judge = app[SchoolTimeService].judge
    payload = message_payload(lesson, CHANNEL_ID, MEMBER_ID, STUDENT_ROLE)
    parse_us = timed(lambda: discord.Message(state=state, channel=channel, data=payload))  # type: ignore[arg-type]
    print(
        f"discord.py parse of MESSAGE_CREATE: {parse_us:6.2f} us per message "
        f"(process time, best of {args.repeats} x {args.iterations})"
    )
    print(
        "Per post that needs no action: the conversion (school_post, asked by each listener, "
        "converted once), then each feature's on_message listener as discord.py calls it; "
        "figures are ratios to the parse."
    )
    names = list(rules)
    header = f"{'case':<16} {'decision':>8} {'convert':>8} " + " ".join(
        f"{n[:10]:>10}" for n in names
    )
    print(header + f" {'sum':>7} {'sum-conv':>8} {'us':>6}  reason")
    wholes: list[float] = []
    without: list[float] = []
    for case, (at, ch, author, role) in cases.items():
        msg = discord.Message(
            state=state,
            channel=ch,  # type: ignore[arg-type]
            data=message_payload(at, ch.id, author, role),  # type: ignore[union-attr]
        )
        bot._last_post = None
        event = bot.school_post(msg, msg.created_at)
        assert event is not None
        verdict = judge(event)
        assert verdict.allowed, (case, verdict)

        def convert(msg: discord.Message = msg) -> object:
            # The first listener converts; the others find it converted (timed with them).
            bot._last_post = None
            return bot.school_post(msg, msg.created_at)

        def decide(event: MessagePosted = event) -> object:
            return judge(event)

        decision_us = timed(decide)
        convert_us = timed(convert)
        bot.school_post(msg, msg.created_at)  # converted: the listeners time their own work
        parts: list[float] = []
        for listener in rules.values():

            def run(listener: Any = listener, msg: discord.Message = msg) -> object:
                return drive(listener(msg))

            run()
            parts.append(timed(run))
        rest = sum(parts)
        whole = convert_us + rest
        wholes.append(whole / parse_us)
        without.append(rest / parse_us)
        print(
            f"{case:<16} {decision_us / parse_us:8.3f} {convert_us / parse_us:8.3f} "
            + " ".join(f"{p / parse_us:10.3f}" for p in parts)
            + f" {whole / parse_us:7.3f} {rest / parse_us:8.3f} {whole:6.2f}  {verdict.reason}"
        )
    print(
        f"whole screening / parse: worst {max(wholes):.3f}, median {statistics.median(wholes):.3f}"
        f"; without the conversion: worst {max(without):.3f}, "
        f"median {statistics.median(without):.3f}"
    )
    print("target: whole screening (all rules, conversion included) <= 0.5 x parse (issues 14, 15)")
    await bot.close()


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
