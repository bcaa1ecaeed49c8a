"""The weekly digest through the real bot and the fake Discord: posted in the moderators'
channel at the configured local time on both sides of a DST change, with its PNG attached,
never twice (also not after a restart); `/overzicht` agrees with `digest --json`."""

from __future__ import annotations

import asyncio
import json
import logging
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from compass_bot.clock import Clock
from compass_bot.discord_front.client import CompassBot
from compass_bot.features.digest.service import DigestService
from compass_bot.model import Member
from tests.conftest import make_loaded
from tests.discord_env import AMS, SCHOOL, running_compass
from tests.fakediscord import FakeDiscord
from tests.test_digest_service import WEEK, at, digest_cli, fill


def digests(fake: FakeDiscord) -> list[dict[str, Any]]:
    return [
        m
        for m in fake.messages_sent(channel="mod-meldingen")
        if (m.get("embeds") or [{}])[0].get("title", "").startswith("Weekoverzicht")
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def until(done: Any, fake: FakeDiscord | None = None, seconds: float = 60) -> None:
    """Wait until `done()` holds, at most `seconds` (the chart is drawn in a thread, and a
    loaded machine draws slowly); settling the fake Discord between looks when given."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if fake is not None:
            await fake.settle()
        if done():
            return
        await asyncio.sleep(0.02)


async def settle_at(fake: FakeDiscord, bot: CompassBot, moment: datetime, posts: int) -> None:
    """Stop the bot's clock at `moment`; wait until `posts` digests are there (the chart is
    drawn in a thread), then a while longer, so a second post would show."""
    bot.app.clock.freeze(moment)
    cog: Any = bot.get_cog("WeeklyDigest")  # discord.py loads the extension as a new module
    cog.wake()
    await until(lambda: len(digests(fake)) >= posts, fake)
    await asyncio.sleep(0.2)
    await fake.settle()
    assert len(digests(fake)) == posts


async def test_weekly_post_at_local_time_across_dst_once_with_the_chart(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path)
    start = datetime(2027, 3, 24, 10, 0, tzinfo=AMS)  # Wednesday of 2027-W12
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded, Clock(start)) as bot:
            # The very first start posts nothing: W11 (due last Friday) is recorded as skipped.
            await settle_at(fake, bot, start, 0)
            await bot.app.alerts.record(
                "schooltijd", Member(5, "anna"), datetime(2027, 3, 25, 10, 20, tzinfo=AMS), 1
            )
            # Not before Friday 16:00 local, then once at 16:00 (CET, UTC+1).
            await settle_at(fake, bot, datetime(2027, 3, 26, 15, 59, 59, tzinfo=AMS), 0)
            await settle_at(fake, bot, datetime(2027, 3, 26, 16, 0, tzinfo=AMS), 1)
            # After the change to summer time (28 March): 16:00 CEST (UTC+2), once.
            await settle_at(fake, bot, datetime(2027, 4, 2, 15, 59, 59, tzinfo=AMS), 1)
            await settle_at(fake, bot, datetime(2027, 4, 2, 16, 0, tzinfo=AMS), 2)
            await settle_at(fake, bot, datetime(2027, 4, 2, 17, 30, tzinfo=AMS), 2)
            posted = digests(fake)
            assert [d["embeds"][0]["title"] for d in posted] == [
                "Weekoverzicht 2027-W12",
                "Weekoverzicht 2027-W13",
            ]
            runs = await bot.app[DigestService].repo.runs()
            assert [(week, moment.astimezone(UTC)) for week, moment, _ in runs[1:]] == [
                ("2027-W12", datetime(2027, 3, 26, 15, 0, tzinfo=UTC)),
                ("2027-W13", datetime(2027, 4, 2, 14, 0, tzinfo=UTC)),
            ]
            assert runs[0][0] == "2027-W11" and runs[0][2] is None  # recorded, not posted
            assert [message_id for _, _, message_id in runs[1:]] == [int(d["id"]) for d in posted]
            week12 = posted[0]
            name = "weekoverzicht-2027-W12.png"
            assert fake.body_of(week12["id"])["embeds"][0]["image"]["url"] == f"attachment://{name}"
            assert png_size(fake.file_bytes(week12["id"], name)) == (1200, 600)
            fields = {f["name"]: f["value"] for f in week12["embeds"][0]["fields"]}
            assert (
                "`schooltijd` Sociale media onder schooltijd: 1 (0)"
                in fields["Gesignaleerd per regel (vorige week, zelfde periode)"]
            )
            assert "anna" not in json.dumps(week12)
        # A restart in the same week posts nothing again.
        async with running_compass(fake, loaded, Clock(datetime(2027, 4, 3, 9, tzinfo=AMS))) as b:
            await settle_at(fake, b, datetime(2027, 4, 3, 9, tzinfo=AMS), 2)
        # Down from Saturday 3 April to Wednesday 21 April (W14 and W15 fell due meanwhile):
        # the last week that fell due is caught up, once (the second start posts nothing).
        back = datetime(2027, 4, 21, 9, tzinfo=AMS)
        for _ in range(2):
            async with running_compass(fake, loaded, Clock(back)) as b:
                await settle_at(fake, b, back, 3)
        assert digests(fake)[-1]["embeds"][0]["title"] == "Weekoverzicht 2027-W15"


async def test_a_digest_whose_post_failed_is_posted_at_the_next_check(tmp_path: Path) -> None:
    """Discord refuses the week's post (the bot lost Send Messages for a moment): the week is
    not marked done, and the next check posts it, once."""
    loaded = make_loaded(tmp_path)
    start = datetime(2027, 3, 24, 10, 0, tzinfo=AMS)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded, Clock(start)) as bot:
        await settle_at(fake, bot, start, 0)  # the first start: nothing
        posts = f"/channels/{fake.channel_id('mod-meldingen')}/messages"
        rule = fake.fail_next("POST", posts, 403, code=50013)
        due = datetime(2027, 3, 26, 16, 0, tzinfo=AMS)
        await settle_at(fake, bot, due, 0)
        await until(lambda: rule.hits)  # the chart is drawn in a thread first
        await fake.settle()
        assert rule.hits == 1  # the post was tried and refused
        for _ in range(100):  # the claim is taken back after the refusal
            runs = await bot.app[DigestService].repo.runs()
            if len(runs) == 1:
                break
            await asyncio.sleep(0.02)
        assert [week for week, _, _ in runs] == ["2027-W11"]  # W12 not claimed
        await settle_at(fake, bot, datetime(2027, 3, 26, 16, 5, tzinfo=AMS), 1)
        assert digests(fake)[0]["embeds"][0]["title"] == "Weekoverzicht 2027-W12"


async def test_a_digest_refused_again_and_again_is_tried_after_longer_pauses(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord keeps refusing the post (the bot's role lost Send Messages): each try draws the
    chart and asks Discord, so the pause between tries doubles (1, 2, 4 minutes ...) and the
    warning is said once, not every minute; the week is posted once the refusal ends."""
    loaded = make_loaded(tmp_path)
    start = datetime(2027, 3, 24, 10, 0, tzinfo=AMS)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded, Clock(start)) as bot:
        await settle_at(fake, bot, start, 0)  # the first start: nothing
        posts = f"/channels/{fake.channel_id('mod-meldingen')}/messages"
        rule = fake.fail_next("POST", posts, 403, times=3, code=50013)

        async def tried_at(minute: int, hits: int) -> None:
            await settle_at(fake, bot, datetime(2027, 3, 26, 16, minute, tzinfo=AMS), 0)
            await until(lambda: rule.hits >= hits)  # the chart is drawn in a thread first
            await asyncio.sleep(0.1)
            await fake.settle()
            assert rule.hits == hits, minute

        with caplog.at_level(logging.INFO, logger="compass_bot.discord.digest"):
            await tried_at(0, 1)
            await tried_at(1, 2)  # after one minute
            await tried_at(2, 2)  # the next pause is two minutes
            await tried_at(3, 3)
            await tried_at(6, 3)  # then four
            await settle_at(fake, bot, datetime(2027, 3, 26, 16, 7, tzinfo=AMS), 1)
        warnings = [
            r
            for r in caplog.records
            if r.levelno >= logging.WARNING and r.name == "compass_bot.discord.digest"
        ]
        assert len(warnings) == 1 and "2027-W12" in warnings[0].getMessage()
        assert any("after 3 failed tries" in r.getMessage() for r in caplog.records)
        assert digests(fake)[0]["embeds"][0]["title"] == "Weekoverzicht 2027-W12"


async def test_a_digest_whose_chart_fails_waits_its_pause_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot's own failure (the chart cannot be drawn) waits the same doubling pause as
    Discord's refusal, with one traceback, not one every minute; the week is posted once
    the chart works again."""
    loaded = make_loaded(tmp_path)
    start = datetime(2027, 3, 24, 10, 0, tzinfo=AMS)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded, Clock(start)) as bot:
        await settle_at(fake, bot, start, 0)  # the first start: nothing
        cog: Any = bot.get_cog("WeeklyDigest")
        drawn = cog.render
        attempts: list[datetime] = []

        async def broken(digest: Any) -> Any:
            attempts.append(bot.app.clock.now())
            if len(attempts) <= 2:
                raise RuntimeError("no fonts")
            return await drawn(digest)

        cog.render = broken
        with caplog.at_level(logging.INFO, logger="compass_bot.discord.digest"):
            # tries at 16:00 and 16:01, then not before 16:03; each try is waited for (a
            # fixed pause alone missed a slow first one), a second wake at 16:00 adds none
            for minute, tries in ((0, 1), (0, 1), (1, 2), (2, 2)):
                await settle_at(fake, bot, datetime(2027, 3, 26, 16, minute, tzinfo=AMS), 0)
                await until(lambda tries=tries: len(attempts) >= tries, fake)
                assert len(attempts) == tries, minute
            await settle_at(fake, bot, datetime(2027, 3, 26, 16, 3, tzinfo=AMS), 1)
            assert len(attempts) == 3
        traced = [r for r in caplog.records if r.exc_info and r.name.endswith("digest")]
        assert len(traced) == 1 and "no fonts" in traced[0].getMessage()
        assert digests(fake)[0]["embeds"][0]["title"] == "Weekoverzicht 2027-W12"


async def test_overzicht_agrees_with_the_command_line_and_is_for_staff_only(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path)
    async with (
        FakeDiscord(SCHOOL) as fake,
        running_compass(fake, loaded, Clock(at(3, 12, month=12))) as bot,
    ):
        await fill(bot.app)
        refused = await fake.slash("anna", "overzicht", {"week": WEEK})
        await fake.settle()
        assert "Alleen moderatoren" in refused.callback["data"]["content"]
        bad = await fake.slash("mod", "overzicht", {"week": "2024-W99"})
        await fake.settle()
        assert bad.callback["data"]["content"] == (
            "Week 2024-W99 bestaat niet. Gebruik: /overzicht [JJJJ-Www]."  # Dutch
        )
        record = await fake.slash("rector", "overzicht", {"week": WEEK})
        await until(lambda: record.original_edited, fake)  # the chart is drawn in a thread
        reply = record.original  # the first follow-up replaces "thinking..."
        assert reply is not None and not record.followups
        assert reply["flags"] & 64  # ephemeral
        shown = fake.file_bytes(reply["id"], "weekoverzicht-2024-W48.png")
        fields = {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}
    png = tmp_path / "cli.png"
    done = digest_cli(tmp_path, "--week", WEEK, "--json", "--png", str(png))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert png.read_bytes() == shown  # the same counts draw the same chart
    rule_lines = fields["Gesignaleerd per regel (vorige week, zelfde periode)"].splitlines()
    for rule in data["rules"]:
        assert any(
            line.startswith(f"`{rule['rule']}`")
            and line.endswith(f": {rule['this_week']} ({rule['last_week']})")
            for line in rule_lines
        )
    assert (
        f"{data['names']['flagged']} gemarkeerd, {data['names']['approved']} goedgekeurd"
        in (fields["Namen"])
    )


async def test_a_failing_store_at_the_weekly_check_is_one_line_not_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The disk refuses every write when the job first looks (its first-start mark is a
    write): one warning and the usual pause, no traceback; nothing is posted."""
    loaded = make_loaded(tmp_path)
    start = datetime(2027, 3, 24, 10, 0, tzinfo=AMS)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded, Clock(start)) as bot:
        cog: Any = bot.get_cog("WeeklyDigest")
        await settle_at(fake, bot, start, 0)  # the job's own first look is over
        await bot.app.db.execute("DELETE FROM digest_runs")  # a first start once more
        await bot.app.db.conn.execute("PRAGMA query_only = ON")
        with caplog.at_level(logging.INFO, logger="compass_bot.discord.digest"):
            posted = await cog.post_due()
        await bot.app.db.conn.execute("PRAGMA query_only = OFF")
        assert posted is False and digests(fake) == []
    failing = [r for r in caplog.records if r.name == "compass_bot.discord.digest"]
    assert failing and all(r.exc_info is None for r in failing)
    assert "readonly" in failing[-1].getMessage() or "read-only" in failing[-1].getMessage()
