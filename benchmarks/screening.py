"""Screening cost: everything the bot does for one post vs discord.py parsing that post.

    python benchmarks/screening.py [--iterations N] [--repeats N] [--members-off] [--dispatch-only]

Measures, in one run on one core, in process time (best of repeats):
- discord.py building a `discord.Message` from a MESSAGE_CREATE payload (its own cost);
- for posts that need no action (a lesson channel, a staff author, the lunch break, after
  school, a student with a teacher's permission): the conversion (once per post, by the one
  screening listener), each feature's post check as that listener calls it (questions,
  school time, names, other people's data, heat; the school-time decision alone is kept as
  its own column), and the listener itself as discord.py calls it (`CompassBot.on_message`,
  conversion and checks included), driven to its end without an event loop. Nothing on that
  path touches SQLite or waits;
- the real dispatch: `bot.dispatch("message", message)` and the event loop run until the
  tasks it created are done (one per listener). `--dispatch-only` measures just the parse and
  this, and runs on a tree from before the one listener too (to compare before and after).
A post in the questions channel is always answered, so it is no case here.
Prints ratios to the parse; the target is the whole screening at most 0.5 x the parse.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
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


async def dispatched_us(
    bot: CompassBot, message: discord.Message, iterations: int, repeats: int
) -> tuple[float, int]:
    """What discord.py really does per post: `bot.dispatch("message", message)` (one task per
    listener, `Client._schedule_event`) and the event loop run until those tasks are done.
    Process time, best of repeats; also how many tasks one post created.

    Works on a tree from before the one screening listener too (each feature's own listener,
    the shared conversion reset per post so it is not free), to measure before and after."""
    loop = asyncio.get_running_loop()
    created: list[asyncio.Task[Any]] = []

    def recording(
        loop: asyncio.AbstractEventLoop, coro: Any, context: Any = None
    ) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, context=context)
        created.append(task)
        return task

    old_cache = hasattr(bot, "_last_post")  # each listener converted through one cache
    per_post = 0
    previous = loop.get_task_factory()
    loop.set_task_factory(recording)
    try:
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            for _ in range(iterations):
                if old_cache:
                    bot._last_post = None  # type: ignore[attr-defined]
                bot.dispatch("message", message)
                await asyncio.sleep(0)
                if not all(task.done() for task in created):
                    await asyncio.wait(created)
                per_post = len(created)
                created.clear()
            best = min(best, (time.process_time() - start) / iterations)
    finally:
        loop.set_task_factory(previous)
    return best * 1e6, per_post


def post_checks(bot: CompassBot) -> dict[str, Callable[[Any], object]]:
    """Every feature's post check as the one screening listener calls it, by feature."""
    return dict(bot.screening.checks)


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
        data={
            "id": str(BOT_ID),
            "username": "compass",
            "global_name": None,
            "discriminator": "0",
            "avatar": None,
        },
    )
    await bot._async_setup_hook()  # the loop, as logging in sets it (bot.dispatch needs it)
    guild = discord.Guild(data=guild_payload(), state=state)  # type: ignore[arg-type]
    state._add_guild(guild)
    bot.setup = resolve_setup(guild, loaded)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    if hasattr(bot, "screening"):  # as setup_hook binds it (absent on a tree from before)
        from compass_bot.discord_front.screening import Screening
        from compass_bot.discord_front.screening import post_checks as bound_checks
        from compass_bot.registry import FEATURES

        bot.screening = Screening(bound_checks(bot, FEATURES))
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
    parser.add_argument(
        "--dispatch-only",
        action="store_true",
        help="only the parse and the real dispatch (also runs on a tree from before the one "
        "screening listener)",
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
    payload = message_payload(lesson, CHANNEL_ID, MEMBER_ID, STUDENT_ROLE)
    parse_us = timed(lambda: discord.Message(state=state, channel=channel, data=payload))  # type: ignore[arg-type]
    print(
        f"discord.py parse of MESSAGE_CREATE: {parse_us:6.2f} us per message "
        f"(process time, best of {args.repeats} x {args.iterations})"
    )
    messages = {
        case: discord.Message(
            state=state,
            channel=ch,  # type: ignore[arg-type]
            data=message_payload(at, ch.id, author, role),  # type: ignore[union-attr,arg-type]
        )
        for case, (at, ch, author, role) in cases.items()
    }
    if not args.dispatch_only:
        screen_cases(bot, messages, parse_us, timed)
    dispatched: list[float] = []
    tasks = 0
    for msg in messages.values():
        us, tasks = await dispatched_us(bot, msg, args.iterations, args.repeats)
        dispatched.append(us / parse_us)
    print(
        f"real dispatch / parse (bot.dispatch('message') + the event loop until its {tasks} "
        f"task(s) are done): worst {max(dispatched):.3f}, median "
        f"{statistics.median(dispatched):.3f} ("
        + ", ".join(f"{case} {r:.3f}" for case, r in zip(messages, dispatched, strict=True))
        + ")"
    )
    await bot.close()


def screen_cases(
    bot: CompassBot,
    messages: dict[str, discord.Message],
    parse_us: float,
    timed: Callable[[Callable[[], object]], float],
) -> None:
    """The one screening listener per case: its conversion, each feature's check as the
    listener calls it, and the listener as discord.py calls it (`CompassBot.on_message`)."""
    from compass_bot.discord_front.convert import member_post
    from compass_bot.discord_front.screening import Post

    judge = bot.app[SchoolTimeService].judge
    checks = post_checks(bot)
    print(
        "Per post that needs no action: the conversion (once per post), each feature's post "
        "check as the one screening listener calls it, and that listener as discord.py calls "
        "it (conversion and checks included); figures are ratios to the parse."
    )
    names = list(checks)
    header = f"{'case':<16} {'decision':>8} {'convert':>8} " + " ".join(
        f"{n[:10]:>10}" for n in names
    )
    print(header + f" {'sum':>7} {'listener':>8} {'us':>6}  reason")
    wholes: list[float] = []
    without: list[float] = []
    for case, msg in messages.items():
        school = bot.school
        guild_id = school.setup.guild.id if school.setup.guild is not None else None
        event = member_post(msg, msg.created_at, guild_id)
        assert event is not None
        verdict = judge(event)
        assert verdict.allowed, (case, verdict)
        post = Post(msg, msg.created_at, False, event, school)

        def convert(msg: discord.Message = msg, guild_id: int | None = guild_id) -> object:
            at = msg.created_at
            return Post(msg, at, False, member_post(msg, at, guild_id), bot.school)

        def decide(event: MessagePosted = event) -> object:
            return judge(event)

        decision_us = timed(decide)
        convert_us = timed(convert)
        parts: list[float] = []
        for name, check in checks.items():
            first = check(post)
            if first is not None:  # a first sight (names without Server Members): once
                drive(first)  # type: ignore[arg-type]
                if check(post) is not None:
                    raise RuntimeError(f"{case}: the {name} check wants to act")
            parts.append(timed(lambda check=check, post=post: check(post)))  # type: ignore[misc]

        def listener(msg: discord.Message = msg) -> object:
            return drive(bot.on_message(msg))

        whole = timed(listener)
        wholes.append(whole / parse_us)
        without.append(sum(parts) / parse_us)
        print(
            f"{case:<16} {decision_us / parse_us:8.3f} {convert_us / parse_us:8.3f} "
            + " ".join(f"{p / parse_us:10.3f}" for p in parts)
            + f" {(convert_us + sum(parts)) / parse_us:7.3f} {whole / parse_us:8.3f}"
            f" {whole:6.2f}  {verdict.reason}"
        )
    print(
        f"whole screening / parse (the one listener): worst {max(wholes):.3f}, median "
        f"{statistics.median(wholes):.3f}; the checks without the conversion: worst "
        f"{max(without):.3f}, median {statistics.median(without):.3f}"
    )
    print("target: whole screening (all rules, conversion included) <= 0.5 x parse (issues 14, 15)")


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
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into `head`: stop without a traceback
    asyncio.run(main())
