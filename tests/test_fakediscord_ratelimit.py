"""Rate limits as Discord gives them: bucket headers, 429s beyond a bucket, the global limit,
off by default; and the real bot's alert outbox staying inside the buckets in a burst."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from tests.conftest import make_loaded
from tests.discord_env import LESSON, SCHOOL, running_compass
from tests.fakediscord import ChannelSpec, FakeDiscord, GuildSpec, MemberSpec, running_bot
from tests.fakediscord.ratelimit import RateLimits

pytestmark = pytest.mark.timeout(60)

GUILD = GuildSpec(name="Compass", channels=[ChannelSpec("algemeen"), ChannelSpec("mod-meldingen")])


async def post(fake: FakeDiscord, path: str, body: Any) -> tuple[int, Any, dict[str, str]]:
    headers = {"Authorization": "Bot t", "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.api_base_url + path, data=json.dumps(body), headers=headers) as resp,
    ):
        return resp.status, await resp.json(), dict(resp.headers)


async def test_off_by_default_no_headers_and_no_429() -> None:
    async with FakeDiscord(GUILD) as fake:
        path = f"/channels/{fake.channel_id('algemeen')}/messages"
        answers = [await post(fake, path, {"content": str(i)}) for i in range(8)]
        assert [a[0] for a in answers] == [200] * 8
        assert not any("X-RateLimit-Limit" in a[2] for a in answers)


async def test_a_channel_bucket_counts_down_then_answers_429_as_discord() -> None:
    async with FakeDiscord(GUILD, rate_limits=RateLimits()) as fake:
        path = f"/channels/{fake.channel_id('algemeen')}/messages"
        answers = [await post(fake, path, {"content": str(i)}) for i in range(6)]
        assert [a[0] for a in answers] == [200] * 5 + [429]
        assert [a[2]["X-RateLimit-Remaining"] for a in answers] == ["4", "3", "2", "1", "0", "0"]
        first = answers[0][2]
        assert first["X-RateLimit-Limit"] == "5" and first["X-RateLimit-Bucket"]
        assert 4.0 < float(first["X-RateLimit-Reset-After"]) <= 5.0
        assert abs(float(first["X-RateLimit-Reset"]) - time.time() - 5.0) < 1.0
        _, body, headers = answers[-1]
        assert set(body) == {"message", "retry_after", "global", "code"}
        assert body["global"] is False and 0 < body["retry_after"] <= 5.0
        assert headers["X-RateLimit-Scope"] == "user" and headers["Via"]
        assert int(headers["Retry-After"]) >= 1
        # Another channel is another bucket.
        other = f"/channels/{fake.channel_id('mod-meldingen')}/messages"
        assert (await post(fake, other, {"content": "x"}))[0] == 200
        assert fake.rate_limits is not None and len(fake.rate_limits.refused) == 1


async def test_the_global_limit_answers_429_global() -> None:
    limits = RateLimits(global_limit=3, default_limit=100)
    async with FakeDiscord(GUILD, rate_limits=limits) as fake:
        paths = [f"/channels/{fake.channel_id(c)}/messages" for c in ("algemeen", "mod-meldingen")]
        answers = [await post(fake, paths[i % 2], {"content": "x"}) for i in range(4)]
        assert [a[0] for a in answers] == [200, 200, 200, 429]
        _, body, headers = answers[-1]
        assert body["global"] is True and headers["X-RateLimit-Global"] == "true"
        assert headers["X-RateLimit-Scope"] == "global"


async def test_discord_py_reads_the_headers_and_gets_no_429() -> None:
    """A discord.py bot sending 12 messages in one channel waits for the bucket itself."""
    limits = RateLimits(window_scale=0.05)  # 5 per 0.25 s
    bot = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    async with FakeDiscord(GUILD, rate_limits=limits) as fake, running_bot(fake, bot):
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        for i in range(12):
            await channel.send(f"bericht {i}")
        await fake.settle()
        assert [m["content"] for m in fake.messages_sent(channel="algemeen")] == [
            f"bericht {i}" for i in range(12)
        ]
        assert len(limits.exhausted) >= 2 and limits.refused == []


def _many_students(n: int) -> GuildSpec:
    members = [*SCHOOL.members, *(MemberSpec(f"leerling{i}", roles=["Leerling"]) for i in range(n))]
    return dataclasses.replace(SCHOOL, members=members)


async def test_the_alert_outbox_stays_inside_the_buckets_in_a_burst(tmp_path: Path) -> None:
    """Twelve students flagged at once: twelve alerts in the moderators' channel (5 per
    window per channel) and twelve warning DMs, without a single 429."""
    limits = RateLimits(window_scale=0.1)  # Discord's buckets, ten times faster
    loaded = make_loaded(tmp_path)
    students = [f"leerling{i}" for i in range(12)]
    async with (
        FakeDiscord(_many_students(12), rate_limits=limits) as fake,
        running_compass(fake, loaded),
    ):
        for i, name in enumerate(students):
            await fake.post(
                name, "algemeen", f"tiktok filmpje {i}", at=LESSON + timedelta(seconds=i)
            )
        await fake.settle(timeout=30)
        mod_path = f"/channels/{fake.channel_id('mod-meldingen')}/messages"
        posts = [c for c in fake.find_calls("POST", mod_path) if c.status == 200]
        assert len(posts) == len(students)
        assert len(fake.messages_sent(channel="mod-meldingen", ephemeral=False)) == len(students)
        # The burst did fill the moderators' bucket, and the bot waited (its own pace,
        # alerts.channel_writes_per_minute, keeps it from filling it again and again).
        assert limits.exhausted.count(("POST", "/channels/{channel_id}/messages")) >= 1
        assert limits.refused == []
        assert [c for c in fake.calls if c.status == 429] == []
