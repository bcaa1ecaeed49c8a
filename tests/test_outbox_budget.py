"""The outbox's volume budget (issue 19, class 8), small and fast: limits scaled down.

Past `max_new_per_minute` one summary stands for the rest (which follow at that pace),
one alert is edited at most once per `edit_interval_seconds` after a first few, DMs share
one pacer, and every flag stays in the store.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

import pytest

from compass_bot.discord_front.pacing import Pacer, Window
from tests.conftest import TEST_CONFIG
from tests.discord_env import LESSON, SCHOOL, compass_bot
from tests.fakediscord import MemberSpec
from tests.fakediscord.ratelimit import RateLimits
from tests.test_discord_alerts import MOD_CHANNEL, alert_messages, alert_posts, eventually

pytestmark = pytest.mark.timeout(90)

# A small new-alert budget (10 a minute), with the default pace of channel writes and DMs
# five times faster, to match the fake's rate limits sped up five times.
BUDGET_X5 = TEST_CONFIG + (
    "\nalerts:\n  max_new_per_minute: 10\n  edit_interval_seconds: 2\n"
    "  channel_writes_per_minute: 250\n  dms_per_minute: 150\n"
)


def school_with(n: int) -> tuple[list[str], dataclasses.Any]:
    names = [f"leerling{i}" for i in range(n)]
    guild = dataclasses.replace(
        SCHOOL, members=[*SCHOOL.members, *(MemberSpec(m, roles=["Leerling"]) for m in names)]
    )
    return names, guild


async def test_a_burst_past_the_budget_gives_one_summary_and_loses_no_flag(
    tmp_path: Path,
) -> None:
    names, guild = school_with(30)
    limits = RateLimits(window_scale=0.2)  # Discord's buckets, five times faster
    async with compass_bot(tmp_path, guild, BUDGET_X5, rate_limits=limits) as (fake, bot):
        started = time.monotonic()
        for i in range(200):
            await fake.post(names[i % 30], "algemeen", f"spam {i}", at=LESSON)
        await fake.settle(timeout=60)
        await eventually(
            lambda: any(
                "meldingen in 1 minuut" in (m["content"] or "") for m in alert_messages(fake)
            )
        )
        await asyncio.sleep(1.0)
        elapsed = time.monotonic() - started
        assert elapsed < 55  # all within the first minute of the budget
        posts = [c for c in alert_posts(fake) if c.json.get("embeds")]
        assert len(posts) == 10  # the budget, not 30
        summaries = [m for m in alert_messages(fake) if "meldingen in 1 minuut" in m["content"]]
        assert len(summaries) == 1
        assert summaries[0]["content"].startswith("**30 meldingen in 1 minuut**")
        assert "30 alerts in 1 minute, see `/meldingen open`" in summaries[0]["content"]
        # Every flag is on record, and one DM per member (the cooldown), 30 in all.
        stored = await bot.app.alerts.repo.alerts()
        assert len(stored) == 30 and sum(a.count for a in stored) == 200
        await eventually(lambda: sum(len(fake.dms_sent(n)) for n in names) == 30)
        # Edits: at most a first few per alert, then one per edit_interval_seconds.
        path = f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages/*"
        edits = [c for c in fake.find_calls("PATCH", path) if c.json.get("embeds")]
        per_alert: dict[str, int] = {}
        for c in edits:
            per_alert[c.path] = per_alert.get(c.path, 0) + 1
        assert max(per_alert.values(), default=0) <= 3 + int(elapsed / 2) + 1
        # The budget kept the bot inside Discord's buckets: not one request refused.
        assert limits.refused == [] and [c for c in fake.calls if c.status == 429] == []


def test_the_pacer_lets_a_burst_through_then_keeps_the_pace() -> None:
    now = [0.0]
    pacer = Pacer(per_minute=60, burst=3, monotonic=lambda: now[0])
    assert [pacer.try_take() for _ in range(4)] == [True, True, True, False]
    assert pacer.delay() == pytest.approx(1.0)
    now[0] = 0.5
    assert not pacer.try_take() and pacer.delay() == pytest.approx(0.5)
    now[0] = 1.0
    assert pacer.try_take() and not pacer.try_take()
    now[0] = 100.0  # idle: refilled to the burst, never beyond
    assert [pacer.try_take() for _ in range(4)] == [True, True, True, False]


def test_the_window_counts_new_alerts_in_any_minute() -> None:
    now = [0.0]
    window = Window(limit=2, seconds=60, monotonic=lambda: now[0])
    window.add()
    now[0] = 10.0
    window.add()
    assert window.left() == 0 and window.delay() == pytest.approx(50.0)
    now[0] = 60.0
    assert window.left() == 1 and window.delay() == 0.0


async def test_warning_dms_share_one_pace(tmp_path: Path) -> None:
    """25 members warned at once, DMs at 120 a minute (5 at once): about 10 s, not at once."""
    names, guild = school_with(25)
    config = TEST_CONFIG + "\nalerts:\n  dms_per_minute: 120\n"
    async with compass_bot(tmp_path, guild, config) as (fake, _bot):
        started = time.monotonic()
        for i, name in enumerate(names):
            await fake.post(name, "algemeen", f"hoi {i}", at=LESSON)
        await eventually(lambda: sum(len(fake.dms_sent(n)) for n in names) == 25, timeout=30)
        assert time.monotonic() - started >= (25 - 5) * 0.5 - 0.5
