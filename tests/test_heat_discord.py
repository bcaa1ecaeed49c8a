"""Cooling down a heated discussion (aanwijzing-5) through the real bot and the fake Discord:
the nudge, the native slowmode set and restored (also across a restart), the alert with its
buttons, /afkoelen with its role checks, banter left alone, and a missing Manage Channels."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from compass_bot.clock import Clock
from compass_bot.discord_front.client import CompassBot
from compass_bot.discord_front.permissions import permissions
from compass_bot.features.heat.discord_ext import Heat
from compass_bot.features.heat.service import HeatService
from compass_bot.policy import load_clauses
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import AFTER_SCHOOL, AMS, SCHOOL, compass_bot, running_compass
from tests.fakediscord import BotSpec, ChannelSpec, FakeDiscord, InteractionRecord, Perm

MANAGING = replace(SCHOOL, bot=BotSpec(permissions=Perm.BOT_DEFAULT | Perm.MANAGE_CHANNELS))
CLAUSE = load_clauses()["aanwijzing-5"]
GAP = timedelta(seconds=40)  # each member posts every 80 s: slower than the 30 s slowmode

# (author, text, index replied to): a fight between two students, harsher each turn
FIGHT: list[tuple[str, str, int | None]] = [
    ("anna", "jij bent zo dom", None),
    ("bram", "hou je kop idioot", 0),
    ("anna", "kankerlijer", 1),
    ("bram", "ga lekker janken", 2),
    ("anna", "niemand mag je", 3),
    ("bram", "tyfuslijer", 4),
]
ROAST: list[tuple[str, str, int | None]] = [
    ("anna", "bram je bent echt zo slecht in fifa hahaha", None),
    ("bram", "zegt degene die 5-0 verloor 😂", 0),
    ("anna", "dat was lag kanker lijer 💀", 1),
    ("bram", "tuurlijk lag 😂😂 huil maar", 2),
    ("anna", "hahaha rematch vanavond", None),
]


async def play(
    fake: FakeDiscord,
    lines: list[tuple[str, str, int | None]],
    start: datetime = AFTER_SCHOOL,
    channel: str = "algemeen",
) -> list[int]:
    """Post the lines `GAP` apart (replies to earlier lines); the message ids."""
    ids: list[int] = []
    for i, (author, text, reply) in enumerate(lines):
        posted = await fake.post(
            author,
            channel,
            text,
            at=start + GAP * i,
            reply_to=ids[reply] if reply is not None else None,
        )
        ids.append(int(posted["id"]))
        await fake.settle()
    return ids


def bot_posts(fake: FakeDiscord, channel: str = "algemeen") -> list[dict[str, Any]]:
    return fake.messages_sent(channel=channel, ephemeral=False)


def nudges(fake: FakeDiscord, channel: str = "algemeen") -> list[dict[str, Any]]:
    return [m for m in bot_posts(fake, channel) if CLAUSE.text in (m.get("content") or "")]


def heat_alerts(fake: FakeDiscord) -> list[dict[str, Any]]:
    return [
        m
        for m in fake.messages_sent(channel="mod-meldingen", ephemeral=False)
        if m.get("embeds") and "Verhitte discussie" in m["embeds"][0].get("title", "")
    ]


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0].get("fields", [])}


def buttons(message: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in message.get("components") or []:
        for item in row.get("components") or []:
            out[item["label"]] = item["custom_id"]
    return out


async def eventually(check: Any, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def slash(fake: FakeDiscord, *args: Any, **kwargs: Any) -> InteractionRecord:
    """A slash command, answered (the bot's callback arrives in the background)."""
    ix = await fake.slash(*args, **kwargs)
    await fake.settle()
    return ix


async def click(fake: FakeDiscord, *args: Any, **kwargs: Any) -> InteractionRecord:
    ix = await fake.click(*args, **kwargs)
    await fake.settle()
    return ix


def cog(bot: CompassBot) -> Heat:
    """The running cog (discord.py loads a fresh module per bot, so no isinstance)."""
    found = bot.get_cog("Heat")
    assert found is not None
    return cast(Heat, found)


async def audit_actions(bot: CompassBot) -> list[str]:
    return [e.action for e in await bot.app.db.audit_entries() if e.action.startswith("heat.")]


async def test_a_fight_gets_one_calm_nudge_then_slowmode_then_restored(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        ids = await play(fake, FIGHT)
        [nudge] = nudges(fake)
        content = nudge["content"]
        assert f"> {CLAUSE.text}" in content  # verbatim
        assert CLAUSE.text_en not in content  # the channel talks Dutch
        assert "<@" not in content and "anna" not in content and "bram" not in content
        body = next(
            c.json
            for c in fake.find_calls("POST", f"/channels/{fake.channel_id('algemeen')}/messages")
            if CLAUSE.text in (c.json or {}).get("content", "")
        )
        assert body["allowed_mentions"]["parse"] == []
        assert "message_reference" not in body  # not a reply to anyone
        assert fake.slowmode("algemeen") == 30
        assert any("Slowmode staat 10 minuten aan" in (m["content"] or "") for m in bot_posts(fake))

        await eventually(lambda: len(heat_alerts(fake)) == 1)
        [alert] = heat_alerts(fake)
        shown = fields(alert)
        assert f"/{fake.channel_id('algemeen')}/{ids[0]})" in shown["Waar"]  # where it turned
        # the members as mentions (names on Discord, no ping in an embed), the wording in Dutch
        anna, bram = fake.member_id("anna"), fake.member_id("bram")
        assert shown["Betrokken leden"] == f"<@{anna}>, <@{bram}>"
        # the bot's slowmode is told on the same alert, by an edit: no second alert
        await eventually(
            lambda: "de bot zette slowmode aan" in fields(heat_alerts(fake)[0])["Reden"]
        )
        [alert] = heat_alerts(fake)
        shown = fields(alert)
        assert shown["Aantal keer"] == "2"
        assert str(anna) not in shown["Reden"] and "woorden: " in shown["Reden"]
        assert "insult" not in shown["Reden"]
        assert set(buttons(alert)) == {
            "Afgehandeld",
            "Onterecht",
            "Notitie / Note",
            "Slowmode nu uit",
        }
        stored = (await bot.app.alerts.repo.alerts())[0]
        assert stored.rule == "aanwijzing-5" and len(stored.excerpt or "") <= 200

        # the fight goes on: no second nudge in the cool-down, no second alert
        await play(fake, FIGHT, start=AFTER_SCHOOL + GAP * len(FIGHT))
        assert len(nudges(fake)) == 1
        await fake.settle()
        assert len(await bot.app.alerts.repo.alerts()) == 1

        # ten minutes later the task restores the previous value (none)
        assert await cog(bot).restore_due() == 0
        bot.app.clock.set(AFTER_SCHOOL + timedelta(minutes=30))
        assert await cog(bot).restore_due() == 1
        await fake.settle()
        assert fake.slowmode("algemeen") == 0


async def test_the_previous_slowmode_comes_back_and_a_staff_change_is_left(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        await fake.set_slowmode("algemeen", 5)
        await fake.set_slowmode("memes", 5)
        await fake.settle()
        await play(fake, FIGHT)
        await play(fake, FIGHT, channel="memes")
        assert fake.slowmode("algemeen") == 30 and fake.slowmode("memes") == 30
        await fake.set_slowmode("memes", 120)  # a moderator chose another value meanwhile
        await fake.settle()
        bot.app.clock.set(AFTER_SCHOOL + timedelta(minutes=30))
        assert await cog(bot).restore_due() == 2
        await fake.settle()
        assert fake.slowmode("algemeen") == 5
        assert fake.slowmode("memes") == 120


async def test_a_slowmode_running_out_while_the_bot_is_away_is_restored_at_start(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    async with FakeDiscord(MANAGING) as fake:
        async with running_compass(fake, loaded, Clock(AFTER_SCHOOL)):
            await play(fake, FIGHT)
            assert fake.slowmode("algemeen") == 30
        # back before the end: it stays
        async with running_compass(fake, loaded, Clock(AFTER_SCHOOL + timedelta(minutes=5))):
            await asyncio.sleep(0.2)
            await fake.settle()
            assert fake.slowmode("algemeen") == 30
        # back after the end (the clock moved on): restored at start
        async with running_compass(fake, loaded, Clock(AFTER_SCHOOL + timedelta(hours=2))) as bot:
            await eventually(lambda: fake.slowmode("algemeen") == 0)
            await fake.settle()
            assert cog(bot).service.running_slowmode(fake.channel_id("algemeen")) is None


async def test_banter_is_left_alone(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        await play(fake, ROAST)
        assert bot_posts(fake) == []
        assert fake.slowmode("algemeen") == 0
        assert await bot.app.alerts.repo.alerts() == []


async def test_without_manage_channels_the_nudge_still_goes_and_it_is_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = TEST_CONFIG + "heat:\n  cooldown_minutes: 5\n"
    caplog.set_level(logging.WARNING, logger="compass_bot.discord.heat")
    async with compass_bot(tmp_path, SCHOOL, config) as (fake, _bot):  # no Manage Channels
        await play(fake, FIGHT)
        await play(fake, FIGHT, start=AFTER_SCHOOL + timedelta(minutes=20))  # a second episode
        assert len(nudges(fake)) == 2
        assert fake.slowmode("algemeen") == 0
        assert fake.find_calls("PATCH", f"/channels/{fake.channel_id('algemeen')}") == []
        logged = [r for r in caplog.records if "may not set a slowmode" in r.getMessage()]
        assert len(logged) == 1


async def test_a_heated_thread_is_slowed_with_exactly_the_invites_permissions(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The rule watches the threads of a watched channel; a thread's slowmode needs Manage
    Threads, which the invite asks for (`invite-url`'s bits, nothing more). Without it: the
    nudge and the alert, and one line naming the permission the bot lacks."""
    thread = ChannelSpec("ruzie", kind="thread", parent="algemeen", owner="anna", members=["bram"])
    school = replace(SCHOOL, channels=[*SCHOOL.channels, thread])
    invite = permissions(make_loaded(tmp_path, TEST_CONFIG).config).value
    exact = replace(school, bot=BotSpec(permissions=invite))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    async with compass_bot(tmp_path / "a", exact) as (fake, _bot):
        await play(fake, FIGHT, channel="ruzie")
        assert len(nudges(fake, "ruzie")) == 1
        assert fake.slowmode("ruzie") == 30
    caplog.set_level(logging.WARNING, logger="compass_bot.discord.heat")
    short = replace(school, bot=BotSpec(permissions=invite & ~Perm.MANAGE_THREADS))
    async with compass_bot(tmp_path / "b", short) as (fake, _bot):
        await play(fake, FIGHT, channel="ruzie")
        assert len(nudges(fake, "ruzie")) == 1 and fake.slowmode("ruzie") == 0
        logged = [r.getMessage() for r in caplog.records if "may not set" in r.getMessage()]
        assert len(logged) == 1 and "Manage Threads" in logged[0]


async def test_a_restore_discord_refuses_is_kept_and_said_as_not_done(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        bot.app.clock.freeze(AFTER_SCHOOL)
        await slash(fake, "jansen", "afkoelen start", {"kanaal": "algemeen", "minuten": 5})
        await fake.settle()
        assert fake.slowmode("algemeen") == 30
        path = f"/channels/{fake.channel_id('algemeen')}"
        fake.fail_next("PATCH", path, 403, code=50013)
        stopped = await slash(fake, "mod", "afkoelen stop", {"kanaal": "algemeen"})
        await fake.settle()
        assert fake.slowmode("algemeen") == 30
        assert "is nog aan" in (stopped.content or "") and "is uit" not in (stopped.content or "")
        assert bot.app[HeatService].running_slowmode(fake.channel_id("algemeen")) is not None
        again = await slash(fake, "mod", "afkoelen stop", {"kanaal": "algemeen"})  # Discord agrees
        await fake.settle()
        assert fake.slowmode("algemeen") == 0 and "is uit" in (again.content or "")


async def test_staff_start_and_stop_a_slowmode_and_students_may_not(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        bot.app.clock.freeze(AFTER_SCHOOL)
        refused = await slash(fake, "anna", "afkoelen start", {"kanaal": "algemeen"})
        assert refused.ephemeral and "Alleen docenten en moderatoren" in refused.content
        assert fake.slowmode("algemeen") == 0

        started = await slash(
            fake, "jansen", "afkoelen start", {"kanaal": "algemeen", "minuten": 5}
        )
        await fake.settle()
        assert fake.slowmode("algemeen") == 30
        until = (AFTER_SCHOOL + timedelta(minutes=5)).astimezone(AMS)
        assert f"Slowmode in #algemeen staat aan tot {until:%H:%M} (" in (started.content or "")

        refused = await slash(fake, "bram", "afkoelen stop", {"kanaal": "algemeen"})
        assert "Alleen docenten en moderatoren" in refused.content
        assert fake.slowmode("algemeen") == 30

        stopped = await slash(fake, "mod", "afkoelen stop", {"kanaal": "algemeen"})
        await fake.settle()
        assert fake.slowmode("algemeen") == 0
        assert "is uit" in (stopped.content or "")
        again = await slash(fake, "mod", "afkoelen stop", {"kanaal": "algemeen"})
        assert "geen slowmode" in again.content
        assert await audit_actions(bot) == ["heat.slowmode_stop", "heat.slowmode_start"]

        # started by hand, it also ends by itself
        await slash(fake, "jansen", "afkoelen start", {"kanaal": "memes", "minuten": 5})
        await fake.settle()
        bot.app.clock.freeze(AFTER_SCHOOL + timedelta(minutes=6))
        assert await cog(bot).restore_due() == 1
        await fake.settle()
        assert fake.slowmode("memes") == 0


async def test_a_slowmode_ending_another_day_says_the_day(tmp_path: Path) -> None:
    """600 minutes after school end in the night: the reply says it is tomorrow's."""
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        bot.app.clock.freeze(AFTER_SCHOOL)
        started = await slash(
            fake, "jansen", "afkoelen start", {"kanaal": "algemeen", "minuten": 600}
        )
        until = (AFTER_SCHOOL + timedelta(minutes=600)).astimezone(AMS)
        assert until.date() > AFTER_SCHOOL.astimezone(AMS).date()
        content = started.content or ""
        assert f"staat aan tot morgen {until:%H:%M} (" in content
        assert f"is on until tomorrow {until:%H:%M} (" in content


async def test_a_channel_switched_off_is_not_watched_until_switched_on(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        refused = await slash(fake, "anna", "afkoelen uit", {"kanaal": "algemeen"})
        assert "Alleen docenten en moderatoren" in refused.content
        off = await slash(fake, "jansen", "afkoelen uit", {"kanaal": "algemeen"})
        assert off.ephemeral and "niet meer bewaakt" in off.content
        await play(fake, FIGHT)
        assert bot_posts(fake) == [] and fake.slowmode("algemeen") == 0
        on = await slash(fake, "mod", "afkoelen aan", {"kanaal": "algemeen"})
        assert "weer bewaakt" in on.content
        await play(fake, FIGHT, start=AFTER_SCHOOL + timedelta(minutes=30))
        assert len(nudges(fake)) == 1
        assert await audit_actions(bot) == ["heat.watch_on", "heat.watch_off"]


async def test_switched_off_survives_a_restart(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    async with FakeDiscord(MANAGING) as fake:
        async with running_compass(fake, loaded, Clock(AFTER_SCHOOL)):
            await slash(fake, "jansen", "afkoelen uit", {"kanaal": "algemeen"})
        async with running_compass(fake, loaded, Clock(AFTER_SCHOOL)):
            await play(fake, FIGHT)
            assert bot_posts(fake) == []


async def test_the_alert_button_ends_the_slowmode_for_staff_only(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, bot):
        await play(fake, FIGHT)
        await eventually(lambda: len(heat_alerts(fake)) == 1)
        [alert] = heat_alerts(fake)
        refused = await click(fake, "anna", alert["id"], label="Slowmode nu uit")
        assert refused.ephemeral
        assert fake.slowmode("algemeen") == 30
        off = await click(fake, "mod", alert["id"], label="Slowmode nu uit")
        await fake.settle()
        assert fake.slowmode("algemeen") == 0
        assert off.callback_type == 7  # the alert shows again, and the clicker is told
        assert [m["content"] for m in off.followups] == [
            "Slowmode in #algemeen is uit; de vorige instelling (0 s) is terug. / "
            "Slowmode in #algemeen is off; the previous setting (0 s) is back."
        ]
        assert await audit_actions(bot) == ["heat.slowmode_stop"]
        again = await click(fake, "mod", alert["id"], label="Slowmode nu uit")
        assert again.ephemeral and "geen slowmode" in again.content


async def test_staff_are_not_targets_and_their_posts_are_not_fed(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, MANAGING) as (fake, _bot):
        lines: list[tuple[str, str, int | None]] = [
            ("jansen", "jullie moeten echt stoppen nu", None),
            ("anna", "hou je kop idioot", 0),
            ("bram", f"jij bent zo dom {fake.mention('mod')}", 1),
            ("anna", "kankerlijer", 2),
            ("bram", "ga lekker janken", 3),
        ]
        await play(fake, lines)
        await eventually(lambda: len(heat_alerts(fake)) == 1)
        reason = fields(heat_alerts(fake)[0])["Betrokken leden"]
        assert str(fake.member_id("anna")) in reason and str(fake.member_id("bram")) in reason
        assert str(fake.member_id("jansen")) not in reason
        assert str(fake.member_id("mod")) not in reason
