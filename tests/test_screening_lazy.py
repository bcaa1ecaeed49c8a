"""The screening converts a post lazily (`discord_front/screening.Post.screened`): its channel
at once, its author and the whole post only when a check asks. Oracle: two real bots read the
same posts, one converting each post lazily as the listener does, the other converting it
whole first (`member_post`, as before); every check decides the same on every post (heated
transcripts, other people's data, lessons, lunch breaks, staff, replies, mentions, edits, bots
and system messages), and a post in a channel no rule watches builds neither author nor event. The questions
check's shortcut (`may_be_addressed`) never turns away a post addressed to the bot.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest

from compass_bot.discord_front.addressed import may_be_addressed
from compass_bot.discord_front.client import CompassBot
from compass_bot.discord_front.convert import member_post
from compass_bot.discord_front.screening import Post

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import screening as S

DATA = Path(__file__).resolve().parent / "data"
TZ_MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday; times below are UTC (CET - 1 h)
MOMENTS = [  # lessons, the lunch break, after school, an evening, a Saturday
    timedelta(hours=9, minutes=10),
    timedelta(hours=11, minutes=20),
    timedelta(hours=15, minutes=30),
    timedelta(hours=20),
    timedelta(days=5, hours=12),
]
AUTHORS = [S.MEMBER_ID + i for i in range(6)]
_BOT_USER = {"id": str(S.BOT_ID), "username": "compass", "discriminator": "0", "avatar": None}


@pytest.fixture
async def bots() -> AsyncIterator[tuple[CompassBot, CompassBot]]:
    lazy, _ = await S.make_bot(members=True)
    eager, _ = await S.make_bot(members=True)
    try:
        yield lazy, eager
    finally:
        await lazy.close()
        await eager.close()


def _texts() -> list[list[str]]:
    """Heated, calm and banter transcripts, and lines with and without other people's data."""
    runs = [
        [m["text"] for m in json.loads(line)["messages"]]
        for line in (DATA / "heat_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    lines = [
        json.loads(line)["text"]
        for line in (DATA / "personal_data_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    runs += [lines[i : i + 8] for i in range(0, len(lines), 8)]
    return runs


def _payload(
    rng: random.Random, at: datetime, text: str, earlier: list[dict[str, Any]]
) -> dict[str, Any]:
    channel = rng.choice([S.CHANNEL_ID] * 4 + [S.LESSON_CHANNEL_ID, S.QUESTIONS_CHANNEL_ID])
    author = rng.choice(AUTHORS)
    role = S.TEACHER_ROLE if author == AUTHORS[-1] else S.STUDENT_ROLE
    payload = S.message_payload(at, channel, author, role)
    payload["content"] = text
    payload["author"]["username"] = f"lid{author}"
    if rng.random() < 0.03:
        payload["author"]["bot"] = True
    if rng.random() < 0.03:
        payload["type"] = 7  # a member joined: a system message
    if earlier and rng.random() < 0.25:
        before = rng.choice(earlier)
        payload["type"] = 19
        payload["message_reference"] = {
            "message_id": before["id"],
            "channel_id": before["channel_id"],
            "guild_id": str(S.GUILD_ID),
        }
        payload["referenced_message"] = before
        if rng.random() < 0.2:  # a reply to one of the bot's answers
            payload["referenced_message"] = dict(before, author=_BOT_USER)
    if rng.random() < 0.05:
        payload["content"] = f"<@{S.BOT_ID}> {text}"  # a question to the bot
    elif rng.random() < 0.15:
        other = rng.choice(AUTHORS)
        payload["mentions"] = [
            {"id": str(other), "username": f"lid{other}", "discriminator": "0", "avatar": None}
        ]
        payload["content"] = f"<@{other}> {text}"
    return payload


def _acts(bot: CompassBot, post: Post) -> list[str]:
    """The checks that want to act on the post (their actions are not run)."""
    actions = bot.screening.decide(post) or []
    for _, action in actions:
        action.close()
    return [name for name, _ in actions]


async def test_lazy_and_whole_conversion_decide_the_same_on_many_posts(
    bots: tuple[CompassBot, CompassBot],
) -> None:
    lazy, eager = bots
    rng = random.Random(28)
    acted: Counter[str] = Counter()
    posts = addressed = 0
    for run in _texts():
        at = TZ_MONDAY + rng.choice(MOMENTS) + timedelta(days=rng.randrange(4))
        earlier: list[dict[str, Any]] = []
        for text in run:
            at += timedelta(seconds=rng.randint(3, 90))
            payload = _payload(rng, at, text, earlier)
            earlier.append(payload)
            edited = rng.random() < 0.05
            decided = []
            for bot in (lazy, eager):
                guild = bot.get_guild(S.GUILD_ID)
                assert guild is not None
                channel = guild.get_channel(int(payload["channel_id"]))
                message = discord.Message(
                    state=bot._connection,
                    channel=channel,  # type: ignore[arg-type]
                    data=json.loads(json.dumps(payload)),  # discord.py edits what it reads
                )
                school = bot.school
                if bot is lazy:
                    post = Post.screened(message, at, edited, school)
                    # the questions check's shortcut: never "no" for a post addressed to the bot
                    if bot.question_in(message) is not None:
                        assert may_be_addressed(message, school.setup), payload
                        addressed += 1
                else:
                    event = member_post(message, at, S.GUILD_ID)
                    post = Post(message, at, edited, event, school)
                decided.append(_acts(bot, post))
            assert decided[0] == decided[1], (text, payload["channel_id"], at)
            acted.update(decided[0])
            posts += 1
    assert posts > 600 and addressed > 50
    # every rule that acts on posts acted on some of them, so the comparison covered each
    assert {"schooltime", "personal_data", "heat", "questions"} <= set(acted), acted


async def test_a_post_no_rule_watches_converts_neither_author_nor_post(
    bots: tuple[CompassBot, CompassBot],
) -> None:
    bot, _ = bots
    guild = bot.get_guild(S.GUILD_ID)
    assert guild is not None
    at = TZ_MONDAY + MOMENTS[0]
    payload = S.message_payload(at, S.LESSON_CHANNEL_ID, S.MEMBER_ID, S.STUDENT_ROLE)
    channel = guild.get_channel(S.LESSON_CHANNEL_ID)
    message = discord.Message(state=bot._connection, channel=channel, data=payload)  # type: ignore[arg-type]
    post = Post.screened(message, at, False, bot.school)
    assert post.channel is not None and post.channel.name == "wiskunde-3b"
    assert bot.screening.decide(post) is None
    assert post._member is None and post._event is None  # nobody asked
    assert post.event == member_post(message, at, S.GUILD_ID)  # and when asked: the same
    assert post.member is post.event.member  # type: ignore[union-attr]
