"""The one screening listener (`discord_front/screening.py`): one task per post, the features'
checks in the registry's order, nothing awaited for a post that needs no action, the actions of
one post run concurrently, and one failing feature neither stops the others nor reaches
discord.py."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from compass_bot.discord_front.client import CompassBot
from compass_bot.discord_front.screening import (
    Post,
    PostAction,
    Screening,
    post_checks,
)
from compass_bot.registry import FEATURES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import screening as S


@pytest.fixture
async def bot() -> AsyncIterator[CompassBot]:
    """The real bot with its extensions and its screening, not connected (benchmarks/)."""
    made, _guild = await S.make_bot(members=True)
    try:
        yield made
    finally:
        await made.close()


def lunch_post(bot: CompassBot, author: int = S.MEMBER_ID) -> discord.Message:
    """A student's post in a social channel in the lunch break: nothing to do for any rule."""
    guild = bot.get_guild(S.GUILD_ID)
    assert guild is not None
    channel = guild.get_channel(S.CHANNEL_ID)
    tz = bot.app.calendar.timetable.tz
    at = datetime(2026, 11, 24, 12, 20, tzinfo=tz).astimezone(UTC)
    payload = S.message_payload(at, S.CHANNEL_ID, author, S.STUDENT_ROLE)
    return discord.Message(state=bot._connection, channel=channel, data=payload)  # type: ignore[arg-type]


def post_of(bot: CompassBot, message: discord.Message) -> Post:
    return Post(message, message.created_at, False, None, bot.school)


def test_the_checks_are_the_features_declared_ones_in_registry_order(bot: CompassBot) -> None:
    declared = [f.name for f in FEATURES if f.post_check is not None]
    assert [name for name, _ in bot.screening.checks] == declared
    assert declared == ["questions", "schooltime", "names", "personal_data", "heat"]


def test_a_declaration_naming_no_loaded_check_stops_the_start(bot: CompassBot) -> None:
    wrong = dataclasses.replace(FEATURES[1], post_check="Questions.no_such_check")
    with pytest.raises(RuntimeError, match="no_such_check"):
        post_checks(bot, [wrong])


def test_no_feature_listens_to_posts_or_edits_on_its_own(bot: CompassBot) -> None:
    """Each listener of its own would be one more task per post (the finding)."""
    for cog in bot.cogs.values():
        events = {name for name, _ in cog.get_listeners()}
        assert not events & {"on_message", "on_raw_message_edit", "on_message_edit"}, cog


async def test_one_post_is_one_task_and_needs_no_second_one(bot: CompassBot) -> None:
    loop = asyncio.get_running_loop()
    created: list[str] = []

    def recording(
        loop: asyncio.AbstractEventLoop, coro: Any, context: Any = None
    ) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, context=context)
        created.append(coro.__qualname__)
        return task

    loop.set_task_factory(recording)  # type: ignore[arg-type]
    try:
        bot.dispatch("message", lunch_post(bot))
        for _ in range(3):
            await asyncio.sleep(0)
    finally:
        loop.set_task_factory(None)
    assert created == ["Client._run_event"]


async def test_a_post_that_needs_no_action_is_decided_without_waiting(bot: CompassBot) -> None:
    message = lunch_post(bot)
    assert bot.screening.screen(bot, message, message.created_at, False) is None
    # The listener as discord.py runs it ends at its first step: it awaits nothing.
    assert S.drive(bot.on_message(message)) is None


async def test_the_checks_run_in_order_and_the_actions_together() -> None:
    seen: list[str] = []
    first_started, second_started = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        first_started.set()
        await second_started.wait()  # only ends when the other action runs meanwhile

    async def second() -> None:
        second_started.set()
        await first_started.wait()

    def check(name: str, action: Any) -> Any:
        def run(post: Post) -> PostAction | None:
            seen.append(name)
            return action() if action is not None else None

        return run

    screening = Screening(
        [("a", check("a", first)), ("b", check("b", None)), ("c", check("c", second))]
    )
    message: Any = SimpleNamespace(id=1)
    actions = screening.decide(SimpleNamespace(message=message))  # type: ignore[arg-type]
    assert seen == ["a", "b", "c"]
    assert actions is not None and [name for name, _ in actions] == ["a", "c"]
    await asyncio.wait_for(screening.act(message, actions), timeout=5)


async def test_one_failing_feature_stops_neither_the_others_nor_discord_py(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done: list[str] = []

    def broken_check(post: Post) -> PostAction | None:
        raise ValueError("check broke")

    async def failing() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("action broke")

    async def fine() -> None:
        await asyncio.sleep(0)
        done.append("fine")

    screening = Screening(
        [
            ("broken", broken_check),
            ("failing", lambda post: failing()),
            ("fine", lambda post: fine()),
        ]
    )
    message: Any = SimpleNamespace(id=42)
    with caplog.at_level(logging.ERROR, logger="compass_bot.discord.screening"):
        actions = screening.decide(SimpleNamespace(message=message))  # type: ignore[arg-type]
        assert actions is not None and [name for name, _ in actions] == ["failing", "fine"]
        await screening.act(message, actions)  # raises nothing
    assert done == ["fine"]
    text = caplog.text
    assert "broken: checking post 42 failed" in text and "check broke" in text
    assert "failing: acting on post 42 failed" in text and "action broke" in text


async def test_a_check_decides_in_memory_and_only_a_breach_acts(bot: CompassBot) -> None:
    """The school-time check through the real cog: lunch break nothing, a lesson a breach."""
    check = dict(bot.screening.checks)["schooltime"]
    message = lunch_post(bot)
    school = bot.school
    event = bot.school_post(message, message.created_at)
    assert check(Post(message, message.created_at, False, event, school)) is None
    lesson = message.created_at - timedelta(hours=2)
    action = check(Post(message, lesson, True, bot.school_post(message, lesson), school))
    assert action is not None
    action.close()  # not run: the test asks only whether it acts


async def test_a_lone_failing_action_is_logged_in_the_listeners_own_task(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def failing() -> None:
        raise RuntimeError("alone broke")

    screening = Screening([("solo", lambda post: failing())])
    message: Any = SimpleNamespace(id=7)
    actions = screening.decide(SimpleNamespace(message=message))  # type: ignore[arg-type]
    assert actions is not None
    with caplog.at_level(logging.ERROR, logger="compass_bot.discord.screening"):
        await screening.act(message, actions)
    assert "solo: acting on post 7 failed" in caplog.text and "alone broke" in caplog.text
