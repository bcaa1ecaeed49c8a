"""Volume under the outbox budget (issue 19, class 8): prints figures; not a test.

Two cases through the fake Discord with its rate limits on:
  burst: 2,000 posts in lesson time from 300 members;
  sweep: /naamcontrole over a server with 2,000 flagged names.
For each: alert messages, summaries, edits, DMs, 429s, and the time until all was out.

The default budgets would make a run take many minutes (300 alerts at 20 a minute, 2,000
DMs at 30 a minute), so `--speed N` runs every budget and every rate-limit window N times
faster. Times are reported as measured: the new-alert budget counts per real minute, so
at the real budgets the burst takes about N times longer (300 alerts at 20 a minute: 15
minutes), and so do the DMs (2,000 at 30 a minute: 67 minutes).

    .venv/bin/python -m benchmarks.volume --speed 12
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from compass_bot.config import AlertSettings
from compass_bot.discord_front.client import CompassBot
from compass_bot.features.alerts.repo import OutboxRepo
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, running_compass
from tests.fakediscord import FakeDiscord, MemberSpec
from tests.fakediscord.ratelimit import RateLimits

MOD = "mod-meldingen"


def config(speed: float) -> str:
    d = AlertSettings()
    return TEST_CONFIG + (
        "\nalerts:\n"
        f"  max_new_per_minute: {int(d.max_new_per_minute * speed)}\n"
        f"  edit_interval_seconds: {max(0, round(d.edit_interval_seconds / speed))}\n"
        f"  channel_writes_per_minute: {int(d.channel_writes_per_minute * speed)}\n"
        f"  dms_per_minute: {int(d.dms_per_minute * speed)}\n"
    )


def counts(fake: FakeDiscord, names: list[str]) -> dict[str, int]:
    mod = fake.channel_id(MOD)
    posts = [c for c in fake.find_calls("POST", f"/channels/{mod}/messages") if c.status == 200]
    edits = [c for c in fake.find_calls("PATCH", f"/channels/{mod}/messages/*") if c.status == 200]
    return {
        "alert messages": sum(1 for c in posts if c.json.get("embeds")),
        "summaries": sum(1 for c in posts if not c.json.get("embeds")),
        "edits": len(edits),
        "DMs": sum(len(fake.dms_sent(n)) for n in names),
        "429s": sum(1 for c in fake.calls if c.status == 429),
    }


async def until_out(
    fake: FakeDiscord, bot: CompassBot, names: list[str], dms: int, started: float, limit: float
) -> float:
    """Seconds from `started` until every alert is delivered and `dms` DMs have gone."""
    while time.monotonic() - started < limit:
        await asyncio.sleep(0.25)
        pending = await OutboxRepo(bot.app.db).pending_alerts(datetime.max.replace(tzinfo=UTC))
        stored = await OutboxRepo(bot.app.db).alerts(limit=1)
        if stored and not pending and counts(fake, names)["DMs"] >= dms:
            break
    return time.monotonic() - started


@asynccontextmanager
async def school(
    names: list[str], speed: float, folder: Path
) -> AsyncIterator[tuple[FakeDiscord, CompassBot]]:
    """The school with these students, Discord's rate limits and the budgets sped up."""
    guild = dataclasses.replace(
        SCHOOL, members=[*SCHOOL.members, *(MemberSpec(n, roles=["Leerling"]) for n in names)]
    )
    folder.mkdir()
    loaded = make_loaded(folder, config(speed))
    limits = RateLimits(window_scale=1 / speed)
    async with FakeDiscord(guild, rate_limits=limits) as fake, running_compass(fake, loaded) as bot:
        yield fake, bot


async def burst(speed: float, tmp: Path) -> None:
    names = [f"leerling{i}" for i in range(300)]
    async with school(names, speed, tmp / "burst") as (fake, bot):
        started = time.monotonic()
        for i in range(2000):
            await fake.post(names[i % 300], "algemeen", f"spam {i}", at=LESSON)
        took = await until_out(fake, bot, names, 300, started, 1800)
        stored = await OutboxRepo(bot.app.db).alerts(limit=10_000)
        report("burst: 2,000 posts from 300 members", counts(fake, names), took, speed)
        print(f"  flags stored: {sum(a.count for a in stored)} in {len(stored)} alerts")


async def sweep(speed: float, tmp: Path) -> None:
    names = [f"compass_fan{i}" for i in range(2000)]
    async with school(names, speed, tmp / "sweep") as (fake, bot):
        started = time.monotonic()
        record = await fake.slash("mod", "naamcontrole")
        took = await until_out(fake, bot, names, 2000, started, 1800)
        stored = await OutboxRepo(bot.app.db).alerts(limit=10_000)
        report("sweep: 2,000 flagged names", counts(fake, names), took, speed)
        print(f"  alerts stored: {len(stored)}; reply: {(record.content or '')[:60]!r}")


def report(title: str, figures: dict[str, int], took: float, speed: float) -> None:
    print(title)
    for key, value in figures.items():
        print(f"  {key}: {value}")
    print(f"  all out after {took:.1f} s with every budget x{speed:g}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=12.0)  # the config allows at most x12
    parser.add_argument("--case", choices=["burst", "sweep", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.case in ("burst", "both"):
            await burst(args.speed, Path(tmp))
        if args.case in ("sweep", "both"):
            await sweep(args.speed, Path(tmp))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into `head`: stop without a traceback
    asyncio.run(main())
