"""Moderator alerts through the real bot and the fake Discord.

The alert channel (one embed per flag, by rule), the buttons on each alert (also after a
restart), the outbox (nothing lost, nothing sent twice, one alert per repeat window), the
overview and export commands, retention and erasure, and a burst of 1,000 flags.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from compass_bot.app import App
from compass_bot.discord_front.client import CompassBot
from compass_bot.discord_front.failures import FAILED
from compass_bot.features.alerts import discord_delivery
from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.features.names.repo import NameRepo
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, MessagePosted
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import AMS, LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import FakeDiscord, MemberSpec

MOD_CHANNEL = "mod-meldingen"
# 14 alerts at once: past the channel's default pace (5 at once, then 50 a minute).
FAST_CHANNEL = TEST_CONFIG + "\nalerts:\n  channel_writes_per_minute: 600\n"


def alert_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The alerts in the moderators' channel as Discord stores them now, oldest first."""
    return fake.messages_sent(channel=MOD_CHANNEL, ephemeral=False)


def alert_posts(fake: FakeDiscord) -> list[Any]:
    """Successful POSTs of new alerts to the moderators' channel."""
    path = f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages"
    return [c for c in fake.find_calls("POST", path) if c.status == 200]


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """label -> custom_id of the buttons under a message."""
    out: dict[str, str] = {}
    for row in message.get("components") or []:
        for item in row.get("components") or []:
            out[item["label"]] = item["custom_id"]
    return out


def unescape(text: str) -> str:
    """What a moderator reads: Discord's markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


# -- 1. the alert ---------------------------------------------------------------------------------


async def test_lesson_time_post_gives_one_alert_with_rule_member_where_when_excerpt(
    tmp_path: Path,
) -> None:
    nasty = (
        "@everyone @here kijk **dit** ||geheim|| [klik](https://evil.example) <@&123> "
        "`code` # kop\n> quote " + "x" * 300
    )
    async with compass_bot(tmp_path) as (fake, _bot):
        posted = await fake.post("anna", "algemeen", nasty, at=LESSON)
        await fake.settle()
        [alert] = alert_messages(fake)
        body = fake.body_of(alert["id"])
        assert body["allowed_mentions"] == {"parse": []}
        assert not body.get("content")
        [embed] = alert["embeds"]
        f = fields(embed)
        assert embed["color"] == 0xE67E22
        assert "schooltijd" in f["Regel"] and "Sociale media tijdens schooltijd" in f["Regel"]
        anna = fake.member_id("anna")
        assert f"<@{anna}>" in f["Lid"] and f"id {anna}" in f["Lid"]
        channel = fake.channel_id("algemeen")
        assert f"<#{channel}>" in f["Waar"]
        jump = f"https://discord.com/channels/{fake.guild_id}/{channel}/{posted['id']}"
        assert f"({jump})" in f["Waar"]
        assert f["Wanneer"].startswith("2026-11-24 10:15")  # school-local, not UTC 09:15
        assert f["Aantal keer"] == "1"
        assert f["Status"] == "Open"
        assert "lestijd" in f["Reden"]  # the reason in words, not the code lesson_time
        excerpt = f["Bericht"]
        shown = unescape(excerpt)
        assert len(shown) <= 200 and shown.endswith("…")
        assert "@everyone" not in excerpt and "@here" not in excerpt
        assert "<@&123>" not in excerpt
        assert "**" not in excerpt and "||" not in excerpt and "](" not in excerpt
        assert "\n" not in excerpt and "\\# kop" in excerpt
        assert set(buttons(alert)) == {"Afgehandeld", "Onterecht", "Notitie / Note"}
        assert buttons(alert)["Afgehandeld"] == "alert:resolve:1"


async def test_name_change_to_c0mpass_gives_a_name_alert_with_approve_button(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        before = bot.app.clock.now()
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        [alert] = alert_messages(fake)
        [embed] = alert["embeds"]
        f = fields(embed)
        assert embed["color"] == 0x9B59B6
        assert "aanwijzing-2" in f["Regel"] and "Compass in een accountnaam" in f["Regel"]
        bram = fake.member_id("bram")
        assert f"<@{bram}>" in f["Lid"] and f"id {bram}" in f["Lid"]
        assert f["Naam (bijnaam)"] == "C0mpass"
        assert "Waar" not in f and "Bericht" not in f
        local = before.astimezone(AMS).strftime("%Y-%m-%d")
        assert f["Wanneer"].startswith(local)
        assert set(buttons(alert)) == {
            "Afgehandeld",
            "Onterecht",
            "Notitie / Note",
            "Naam goedkeuren",
        }
        assert fake.body_of(alert["id"])["allowed_mentions"] == {"parse": []}

        # A name with markdown characters is shown as it is, not as formatting.
        await fake.member_join(MemberSpec("de_compass_fan", roles=["Leerling"]))
        await fake.settle()
        joined = fields(alert_messages(fake)[-1]["embeds"][0])
        assert "(de\\_compass\\_fan, id " in joined["Lid"]
        assert joined["Naam (gebruikersnaam)"] == "de\\_compass\\_fan"


# -- 2. buttons on each alert ---------------------------------------------------------------------


async def audit_actions(bot: Any) -> list[tuple[str, int | None]]:
    entries = await bot.app.db.audit_entries()
    return [(e.action, e.actor_id) for e in reversed(entries)]


@pytest.mark.parametrize(
    ("label", "status", "action"),
    [
        ("Afgehandeld", "Afgehandeld", "alert.resolved"),
        ("Onterecht", "Onterecht", "alert.false_positive"),
    ],
)
async def test_status_buttons_edit_the_alert_for_moderators_and_refuse_others(
    tmp_path: Path, label: str, status: str, action: str
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        [alert] = alert_messages(fake)

        refused = await fake.click("anna", alert["id"], label=label)
        await fake.settle()
        assert refused.callback_type == 4 and refused.ephemeral
        assert "moderator" in (refused.data.get("content") or "").lower()
        assert fields(fake.message(alert["id"])["embeds"][0])["Status"] == "Open"

        bot.app.clock.freeze(LESSON + timedelta(minutes=7))
        pressed = await fake.click("mod", alert["id"], label=label)
        await fake.settle()
        assert pressed.callback_type == 7
        [embed] = pressed.data["embeds"]
        f = fields(embed)
        mod = fake.member_id("mod")
        assert f["Status"].startswith(f"{status} door <@{mod}> om ")
        assert f["Status"].endswith("2026-11-24 10:22")
        assert pressed.data["components"] == []
        assert embed["color"] != 0xE67E22  # handled alerts lose the rule colour
        shown = fake.message(alert["id"])
        assert shown["components"] == [] and fields(shown["embeds"][0])["Status"] == f["Status"]
        assert (action, mod) in await audit_actions(bot)
        stored = await bot.app.alerts.repo.alert(1)
        assert stored is not None and stored.delivery == "sent"
        # The outbox does not post it again, nor edit it back.
        assert len(alert_posts(fake)) == 1
        assert fields(fake.message(alert["id"])["embeds"][0])["Status"] == f["Status"]


async def test_a_moderator_note_is_a_form_shown_on_the_alert_and_audited(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        [alert] = alert_messages(fake)
        assert buttons(alert)["Notitie / Note"] == "alert:note:1"

        refused = await fake.click("anna", alert["id"], label="Notitie / Note")
        await fake.settle()
        assert refused.modal is None and refused.ephemeral
        assert "moderator" in (refused.data.get("content") or "").lower()

        bot.app.clock.freeze(LESSON + timedelta(minutes=7))
        opened = await fake.click("mod", alert["id"], label="Notitie / Note")
        await fake.settle()
        assert opened.modal is not None
        [row] = opened.modal["components"]
        [text_input] = row["components"]
        assert text_input["max_length"] == 500 and not text_input.get("value")
        too_long = "x" * 501
        with pytest.raises(ValueError):  # the client would not submit it
            await fake.submit_modal("mod", opened, {"note": too_long})
        note = "Besproken met mentor @everyone"
        submitted = await fake.submit_modal("mod", opened, {"note": note})
        await fake.settle()
        assert submitted.callback_type == 7
        mod = fake.member_id("mod")
        shown = fields(fake.message(alert["id"])["embeds"][0])
        assert shown["Notitie"].startswith(f"<@{mod}> om 2026-11-24 10:22: Besproken met mentor")
        assert "@everyone" not in shown["Notitie"]  # escaped: an embed shows, never pings
        assert shown["Status"] == "Open" and "Notitie / Note" in buttons(fake.message(alert["id"]))
        stored = await bot.app.alerts.repo.alert(1)
        assert stored is not None and stored.note == note and stored.note_by == mod
        assert stored.note_at == LESSON + timedelta(minutes=7) and stored.delivery == "sent"
        assert ("alert.note", mod) in await audit_actions(bot)
        [entry] = [e for e in await bot.app.db.audit_entries() if e.action == "alert.note"]
        assert entry.detail == {"alert": 1}  # who and when, never the text
        # A second note starts from the first and replaces it.
        again = await fake.click("mod", alert["id"], label="Notitie / Note")
        await fake.settle()
        assert again.modal is not None
        assert again.modal["components"][0]["components"][0]["value"] == note
        await fake.submit_modal("mod", again, {"note": "Opgelost in gesprek"})
        await fake.settle()
        shown = fields(fake.message(alert["id"])["embeds"][0])
        assert shown["Notitie"].endswith(": Opgelost in gesprek")
        assert len(alert_posts(fake)) == 1


async def test_approve_name_button_is_for_leadership_and_approves_current_names(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        [alert] = alert_messages(fake)

        for refused_member in ("anna", "mod"):
            refused = await fake.click(refused_member, alert["id"], label="Naam goedkeuren")
            await fake.settle()
            assert refused.callback_type == 4 and refused.ephemeral
            assert "schoolleiding" in (refused.data.get("content") or "").lower()
        assert await NameRepo(bot.app.db).approved_names() == []

        pressed = await fake.click("rector", alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert pressed.callback_type == 7 and pressed.data["components"] == []
        rector = fake.member_id("rector")
        assert fields(pressed.data["embeds"][0])["Status"].startswith(
            f"Afgehandeld door <@{rector}>"
        )
        approved = {
            a.name for a in await NameRepo(bot.app.db).approved_names(fake.member_id("bram"))
        }
        assert approved == {"C0mpass"}  # a clean name needs no approval
        actions = await audit_actions(bot)
        assert ("name.approve", rector) in actions and ("alert.resolved", rector) in actions
        # The approved name no longer flags: a repeat of the same names gives no new alert.
        await fake.member_update("bram", nick="C0mpass", roles=["Leerling"])
        await fake.member_update("bram", global_name="Bram")
        await fake.settle()
        assert len(alert_messages(fake)) == 1


async def test_a_button_still_works_after_a_restart(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path)
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded):
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await fake.member_update("bram", nick="C0mpass")
            await fake.settle()
        [time_alert, name_alert] = alert_messages(fake)
        async with running_compass(fake, loaded) as bot:
            refused = await fake.click("anna", time_alert["id"], label="Afgehandeld")
            pressed = await fake.click("mod", time_alert["id"], label="Afgehandeld")
            approved = await fake.click("rector", name_alert["id"], label="Naam goedkeuren")
            await fake.settle()
            assert refused.ephemeral and refused.callback_type == 4
            assert pressed.callback_type == 7 and approved.callback_type == 7
            assert fake.message(time_alert["id"])["components"] == []
            assert fields(fake.message(name_alert["id"])["embeds"][0])["Status"].startswith(
                "Afgehandeld"
            )
            assert len(alert_posts(fake)) == 2
            statuses = [a.status for a in await bot.app.alerts.repo.alerts()]
            assert statuses == ["resolved", "resolved"]


async def test_a_button_whose_write_fails_answers_the_clicker_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that refuses the click's write: the clicker is told privately, never a
    silent failed interaction (discord.py only logs a dynamic item's error); a second click
    once the store works again does it."""
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        [name_alert] = alert_messages(fake)
        approve = NameRepo.approve_names

        async def locked(*args: Any, **kwargs: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(NameRepo, "approve_names", locked)
        failed = await fake.click("rector", name_alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert failed.ephemeral and failed.data["content"] == FAILED
        monkeypatch.setattr(NameRepo, "approve_names", approve)
        approved = await fake.click("rector", name_alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert approved.callback_type == 7


async def test_a_click_whose_mark_fails_is_shown_and_the_outbox_marks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The click's edit is shown but its bookkeeping fails: the clicker sees the change
    (no failure line: it was done), and the alert stays pending until the outbox marks it."""
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        [time_alert] = alert_messages(fake)
        mark = OutboxRepo.mark_delivered
        refused: list[int] = []

        async def locked_once(self: OutboxRepo, *args: Any) -> None:
            if not refused:
                refused.append(1)
                raise sqlite3.OperationalError("database is locked")
            await mark(self, *args)

        monkeypatch.setattr(OutboxRepo, "mark_delivered", locked_once)
        pressed = await fake.click("mod", time_alert["id"], label="Afgehandeld")
        await fake.settle()
        assert pressed.callback_type == 7 and not pressed.followups and refused == [1]

        async def sent() -> bool:
            [alert] = await bot.app.alerts.repo.alerts()
            return alert.status == "resolved" and alert.delivery == "sent"

        deadline = asyncio.get_running_loop().time() + 30.0
        while not await sent():
            assert asyncio.get_running_loop().time() < deadline, "the outbox never marked it"
            bot.outbox_wakeup.set()
            await fake.settle()
        assert fake.message(time_alert["id"])["components"] == []
        assert len(alert_posts(fake)) == 1


# -- 3. the outbox --------------------------------------------------------------------------------


def fast_backoff(bot: CompassBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outbox retries in tens of milliseconds instead of seconds (the logic stays the same).

    The delivery lives in `discord_delivery`, which the extension imports (one module for
    every bot), so patching it reaches the loop this bot runs.
    """
    module = discord_delivery
    monkeypatch.setattr(module, "BACKOFF_START", 0.02)
    monkeypatch.setattr(module, "RETRY_WHEN_BLOCKED", 0.1)


async def eventually(check: Any, timeout: float = 30.0) -> None:
    """Wait for the outbox, which works in the background (settle does not wait for it)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the outbox")
        await asyncio.sleep(0.02)


async def test_settle_waits_for_the_outbox_on_a_slow_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox works in the background; a test that settles and then reads the
    moderators' channel must see the alert however slowly the machine answers."""
    claim = OutboxRepo.claim_next

    async def slow_claim(self: OutboxRepo, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.3)  # a loaded machine: far longer than settle's quiet period
        return await claim(self, *args, **kwargs)

    async with compass_bot(tmp_path) as (fake, _bot):
        monkeypatch.setattr(OutboxRepo, "claim_next", slow_claim)
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        assert len(alert_posts(fake)) == 1


async def test_delivery_survives_5xx_and_429_without_losing_or_doubling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        fast_backoff(bot, monkeypatch)
        path = f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages"
        fake.fail_next("POST", path, 500, times=1)  # discord.py retries this itself (1 s)
        # discord.py tries 5 times on a 429, then gives up: the outbox backs off and retries.
        fake.fail_next("POST", path, 429, times=6, retry_after=0.01)
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.post("bram", "memes", "ook hoi", at=LESSON + timedelta(seconds=5))
        await eventually(lambda: len(alert_posts(fake)) == 2)
        await fake.settle()
        failed = [c.status for c in fake.find_calls("POST", path) if c.status != 200]
        assert sorted(failed) == [429] * 6 + [500]
        assert "will retry" in caplog.text
        messages = alert_messages(fake)
        assert len(messages) == 2
        members = [fields(m["embeds"][0])["Lid"].split(" ")[0] for m in messages]
        assert sorted(members) == sorted([fake.mention("anna"), fake.mention("bram")])
        stored = await bot.app.alerts.repo.alerts()
        assert [a.delivery for a in stored] == ["sent", "sent"]
        assert {a.delivered_message_id for a in stored} == {int(m["id"]) for m in messages}

        # A repeat is an edit; a 503 (which discord.py does not retry) is retried by the outbox.
        anna_alert = next(m for m in messages if fake.mention("anna") in str(m["embeds"]))
        edit = f"{path}/{anna_alert['id']}"
        fake.fail_next("PATCH", edit, 503, times=1)
        await fake.post("anna", "algemeen", "weer", at=LESSON + timedelta(minutes=2))
        await eventually(lambda: [c.status for c in fake.find_calls("PATCH", edit)] == [503, 200])
        await fake.settle()
        assert fields(fake.message(anna_alert["id"])["embeds"][0])["Aantal keer"] == "2"
        # Quiet afterwards: nothing is posted again, nothing lost.
        await asyncio.sleep(0.2)
        assert len(alert_posts(fake)) == 2 and len(alert_messages(fake)) == 2
        assert [a.delivery for a in await bot.app.alerts.repo.alerts()] == ["sent", "sent"]


async def test_a_dropped_connection_or_time_out_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Errors that never reach Discord's answer (aiohttp, time-outs) back off like the rest."""
    original = discord.TextChannel.send
    failures: list[BaseException] = [
        aiohttp.ServerDisconnectedError(),
        TimeoutError("send timed out"),
    ]

    async def flaky(channel: discord.TextChannel, *args: Any, **kwargs: Any) -> Any:
        if channel.name == MOD_CHANNEL and failures:
            raise failures.pop(0)
        return await original(channel, *args, **kwargs)

    async with compass_bot(tmp_path) as (fake, bot):
        fast_backoff(bot, monkeypatch)
        monkeypatch.setattr(discord.TextChannel, "send", flaky)
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await eventually(lambda: len(alert_posts(fake)) == 1)
        await fake.settle()
        assert failures == [] and caplog.text.count("will retry") == 2
        assert len(alert_messages(fake)) == 1
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.delivery == "sent" and stored.attempts == 0


async def test_missing_permission_is_logged_once_and_retried_not_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        fast_backoff(bot, monkeypatch)
        blocked = fake.block_channel(MOD_CHANNEL)  # 403 50013 Missing Permissions
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.post("bram", "algemeen", "hoi", at=LESSON)
        await eventually(lambda: blocked.hits >= 6)
        complaints = [r for r in caplog.records if "may not post" in r.getMessage()]
        assert len(complaints) == 1 and complaints[0].levelname == "ERROR"
        assert MOD_CHANNEL in complaints[0].getMessage()
        assert alert_messages(fake) == []
        fake.clear_failures(blocked)
        await eventually(lambda: len(alert_posts(fake)) == 2)
        await fake.settle()
        assert [a.delivery for a in await bot.app.alerts.repo.alerts()] == ["sent", "sent"]


async def test_pending_alerts_go_out_after_a_restart(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path)
    async with FakeDiscord(SCHOOL) as fake:
        blocked = fake.block_channel(MOD_CHANNEL)
        async with running_compass(fake, loaded) as bot:
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await fake.settle()
            assert blocked.hits == 1
        # While no bot runs, another flag is recorded on the same database.
        service = await App.create(loaded)
        bram = fake.member(fake.member_id("bram"))
        await service[SchoolTimeService].message_posted(
            MessagePosted(
                member=Member(id=int(bram["user"]["id"]), label="bram", roles=()),
                channel=ChannelInfo(id=fake.channel_id("memes"), name="memes"),
                at=LESSON + timedelta(minutes=1),
                content="ook hoi",
                message_id=123456789012345678,
                guild_id=fake.guild_id,
            )
        )
        await service.close()
        fake.clear_failures(blocked)
        assert alert_messages(fake) == []
        async with running_compass(fake, loaded) as bot:
            # The start itself delivers both, although the first was backing off.
            await eventually(lambda: len(alert_posts(fake)) == 2, timeout=5)
            await fake.settle()
            texts = [fields(m["embeds"][0]) for m in alert_messages(fake)]
            assert [t["Aantal keer"] for t in texts] == ["1", "1"]
            assert f"<#{fake.channel_id('memes')}>" in texts[1]["Waar"]
            assert [a.delivery for a in await bot.app.alerts.repo.alerts()] == ["sent", "sent"]


async def test_a_missing_moderators_channel_keeps_alerts_until_it_exists(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = TEST_CONFIG.replace("moderators: mod-meldingen", "moderators: mod-nieuw")
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, make_loaded(tmp_path, missing)) as bot:
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await fake.post("anna", "algemeen", "nog eens", at=LESSON + timedelta(minutes=1))
            await fake.settle()
            await asyncio.sleep(0.2)
            [alert] = await bot.app.alerts.repo.alerts()
            assert alert.delivery == "pending" and alert.count == 2
        waiting = [r for r in caplog.records if r.name == "compass_bot.discord.alerts"]
        assert len(waiting) == 1 and "mod-nieuw" in waiting[0].getMessage()
        assert "wait in the outbox" in waiting[0].getMessage()
        assert alert_messages(fake) == []
        async with running_compass(fake, make_loaded(tmp_path)) as bot:
            await eventually(lambda: len(alert_posts(fake)) == 1, timeout=5)
            await fake.settle()
            [message] = alert_messages(fake)
            assert fields(message["embeds"][0])["Aantal keer"] == "2"


async def test_a_start_without_the_moderators_channel_tries_each_alert_once(
    tmp_path: Path,
) -> None:
    """A start sends everything pending at once (the backoff ignored); with the channel still
    missing, each alert is tried once in that round, not claimed and failed again and again
    until the round's limit (which kept a loaded machine busy for many seconds)."""
    missing = TEST_CONFIG.replace("moderators: mod-meldingen", "moderators: mod-nieuw")
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, make_loaded(tmp_path, missing)) as bot:
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await fake.settle()
            [alert] = await bot.app.alerts.repo.alerts()
            assert alert.attempts == 1
        async with running_compass(fake, make_loaded(tmp_path, missing)) as bot:
            await fake.settle()
            [alert] = await bot.app.alerts.repo.alerts()
            assert alert.delivery == "pending" and alert.attempts == 2


async def test_repeats_within_the_window_update_one_alert(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        for minutes in (0, 10, 20):
            await fake.post(
                "anna", "algemeen", f"bericht {minutes}", at=LESSON + timedelta(minutes=minutes)
            )
            await fake.settle()
        [alert] = alert_messages(fake)
        assert len(alert_posts(fake)) == 1
        edits = fake.find_calls(
            "PATCH", f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages/{alert['id']}"
        )
        assert len(edits) == 2
        f = fields(fake.message(alert["id"])["embeds"][0])
        assert f["Aantal keer"] == "3"
        assert f["Wanneer"] == "2026-11-24 10:15 (laatst 10:35)"
        assert "bericht 20" in f["Bericht"]
        # Another member is another alert; so is the same member after the window.
        await fake.post("bram", "algemeen", "hoi", at=LESSON + timedelta(minutes=21))
        await fake.post("anna", "algemeen", "later", at=LESSON + timedelta(minutes=20 + 31))
        await fake.settle()
        assert len(alert_posts(fake)) == 3
        assert [a.count for a in await bot.app.alerts.repo.alerts()] == [1, 1, 3]


async def test_a_repeat_across_channels_keeps_each_channel_with_its_count(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        for minutes, channel in ((0, "algemeen"), (5, "gamen"), (10, "algemeen"), (15, "algemeen")):
            await fake.post("anna", channel, "hoi", at=LESSON + timedelta(minutes=minutes))
            await fake.settle()
        [alert] = alert_messages(fake)
        f = fields(fake.message(alert["id"])["embeds"][0])
        algemeen, gamen = fake.channel_id("algemeen"), fake.channel_id("gamen")
        assert f["Waar"].startswith(f"<#{algemeen}> x3, <#{gamen}> x1 · [naar het bericht](")
        assert f["Aantal keer"] == "4"
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.channels == ((algemeen, 3), (gamen, 1))  # ids and counts, no text
        # One channel shows as before, without a count (the count has its own field).
        await fake.post("bram", "gamen", "hoi", at=LESSON + timedelta(minutes=16))
        await fake.settle()
        bram = fields(alert_messages(fake)[-1]["embeds"][0])
        assert bram["Waar"].startswith(f"<#{gamen}> · [naar het bericht](")


async def test_a_button_press_during_an_outbox_edit_is_not_overwritten(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        [alert] = alert_messages(fake)
        edit = f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages/{alert['id']}"
        # The outbox's edit for a repeat is held up (429) while a moderator presses a button.
        fake.fail_next("PATCH", edit, 429, retry_after=0.5)
        since = len(fake.calls)
        await fake.post("anna", "algemeen", "weer", at=LESSON + timedelta(minutes=1))
        await fake.wait_for_call("PATCH", edit, since=since)
        pressed = await fake.click("mod", alert["id"], label="Afgehandeld")
        await fake.settle()
        assert pressed.callback_type == 7
        patches = [c for c in fake.calls[since:] if c.matches("PATCH", edit)]
        assert [c.status for c in patches][:2] == [429, 200]
        shown = fake.message(alert["id"])
        f = fields(shown["embeds"][0])
        assert f["Status"].startswith("Afgehandeld door")
        assert shown["components"] == []
        assert f["Aantal keer"] == "2"
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.status == "resolved" and stored.delivery == "sent"


# -- 6. a burst ----------------------------------------------------------------------------------


async def test_a_burst_of_1000_flags_makes_one_alert_per_member_and_rule(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        members = ("anna", "bram")
        for i in range(1000):
            at = LESSON + timedelta(seconds=i * 0.06)
            await fake.post(members[i % 2], "algemeen", f"spam {i}", at=at)
        await fake.settle(timeout=60)

        def shown_counts() -> list[str]:
            return sorted(fields(m["embeds"][0])["Aantal keer"] for m in alert_messages(fake))

        await eventually(lambda: shown_counts() == ["500", "500"])
        await fake.settle()
        assert len(alert_posts(fake)) == 2 and len(alert_messages(fake)) == 2
        stored = await bot.app.alerts.repo.alerts()
        assert [(a.count, a.delivery) for a in stored] == [(500, "sent"), (500, "sent")]
        edits = fake.find_calls("PATCH", f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages/*")
        assert len(edits) < 1000  # edits coalesce: one per delivery round, not one per flag
        # One warning each (the cooldown), not 500.
        assert len(fake.dms_sent("anna")) == 1 and len(fake.dms_sent("bram")) == 1


# -- 4. overview and export -----------------------------------------------------------------------


async def record(bot: CompassBot, rule: str, member_id: int, at: datetime) -> None:
    """A flag straight into the outbox (as the service records it), then let it be delivered."""
    await bot.app.alerts.repo.record_alert(
        rule=rule,
        member_id=member_id,
        member_label=f"lid{member_id}",
        at=at,
        window_start=at - timedelta(minutes=30),
        guild_id=None,
        excerpt="tekst",
    )
    bot.outbox_wakeup.set()


async def test_open_alerts_are_paged_newest_first_filtered_and_for_moderators(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, config_text=FAST_CHANNEL) as (fake, bot):
        for i in range(12):
            await record(bot, "schooltijd", 1000 + i, LESSON + timedelta(minutes=i))
        for i in range(2):
            await record(bot, "aanwijzing-2", 2000 + i, LESSON + timedelta(minutes=i))
        await eventually(lambda: len(alert_messages(fake)) == 14)
        await fake.settle()
        first = await fake.slash("mod", "meldingen open", channel=MOD_CHANNEL)
        await fake.settle()
        assert first.callback_type == 4 and first.ephemeral
        [embed] = first.data["embeds"]
        assert embed["title"] == "Open meldingen / Open alerts (14)"
        lines = embed["description"].split("\n")
        assert len(lines) == 10
        assert lines[0].startswith("**#14** `aanwijzing-2`") and lines[-1].startswith("**#5** ")
        mod_channel = fake.channel_id(MOD_CHANNEL)
        assert f"/{mod_channel}/{alert_messages(fake)[-1]['id']})" in lines[0]
        assert embed["footer"]["text"] == (
            "Pagina 1 van 2 · nieuwste eerst / Page 1 of 2 · newest first"
        )
        labels = [b["label"] for row in first.data["components"] for b in row["components"]]
        assert labels == ["◀", "▶"]

        assert first.original is not None
        page_message = first.original["id"]
        second = await fake.click("mod", page_message, label="▶")
        await fake.settle()
        assert second.callback_type == 7
        [embed2] = second.data["embeds"]
        assert [line.split(" ")[0] for line in embed2["description"].split("\n")] == [
            "**#4**",
            "**#3**",
            "**#2**",
            "**#1**",
        ]
        assert embed2["footer"]["text"] == (
            "Pagina 2 van 2 · nieuwste eerst / Page 2 of 2 · newest first"
        )
        back = await fake.click("mod", page_message, label="◀")
        await fake.settle()
        assert back.data["embeds"][0]["description"].startswith("**#14**")

        names = await fake.slash("mod", "meldingen open", {"regel": "aanwijzing-2"})
        await fake.settle()
        [named] = names.data["embeds"]
        assert named["title"] == "Open meldingen / Open alerts (2) · aanwijzing-2"
        assert all("`aanwijzing-2`" in line for line in named["description"].split("\n"))
        assert not names.data.get("components")

        refused = await fake.slash("anna", "meldingen open")
        await fake.settle()
        assert refused.ephemeral and "Open meldingen" not in str(refused.data)
        assert "moderator" in str(refused.data).lower()


async def test_export_gives_moderators_a_csv_of_a_period(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.post("bram", "algemeen", "hoi", at=LESSON + timedelta(days=1))
        await fake.post("anna", "algemeen", "hoi", at=LESSON + timedelta(days=7))
        await eventually(lambda: len(alert_messages(fake)) == 3)
        await fake.settle()
        since = len(fake.calls)
        export = await fake.slash(
            "mod", "meldingen export", {"van": "2026-11-24", "tot": "2026-11-25"}
        )
        await fake.settle()
        assert export.ephemeral and export.data.get("content") == (
            "Meldingen van 2026-11-24 tot en met 2026-11-25. / "
            "Alerts from 2026-11-24 to 2026-11-25."
        )
        [call] = [c for c in fake.calls[since:] if c.matches("POST", "/interactions/*/callback")]
        [upload] = call.files
        assert upload.filename == "meldingen-2026-11-24-2026-11-25.csv"
        rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8"))))
        assert [int(r["member_id"]) for r in rows] == [
            fake.member_id("anna"),
            fake.member_id("bram"),
        ]
        assert rows[0]["rule"] == "schooltijd" and rows[0]["created_at"].startswith(
            "2026-11-24T10:15"
        )
        assert "hoi" not in upload.data.decode("utf-8")  # ids and codes, no message text

        refused = await fake.slash("anna", "meldingen export")
        bad = await fake.slash("mod", "meldingen export", {"van": "24-11-2026"})
        await fake.settle()
        assert refused.ephemeral and "moderator" in str(refused.data).lower()
        assert bad.ephemeral and bad.data.get("content") == (
            "Gebruik datums als 2026-11-24. / Use dates such as 2026-11-24."
        )
        files = [
            c.files for c in fake.calls[since:] if c.matches("POST", "/interactions/*/callback")
        ]
        assert sum(len(f) for f in files) == 1


# -- 5. retention and erasure ---------------------------------------------------------------------


async def test_privacy_erase_by_a_moderator_removes_the_member_everywhere(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "geheim", at=LESSON)
        await fake.post("bram", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        anna = fake.member_id("anna")
        anna_alert = next(m for m in alert_messages(fake) if f"<@{anna}>" in str(m["embeds"]))

        refused = await fake.slash("anna", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        assert refused.ephemeral and "moderator" in str(refused.data).lower()
        assert len(await bot.app.alerts.repo.alerts()) == 2

        erased = await fake.slash("mod", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        assert erased.deferred and erased.ephemeral  # an erasure may take a while
        reply = erased.content or ""
        assert f"Alles over <@{anna}> gewist: 1 melding aan moderatoren (nog open)," in reply
        assert [a.member_id for a in await bot.app.alerts.repo.alerts()] == [fake.member_id("bram")]
        entries = await bot.app.db.audit_entries()
        assert (entries[0].action, entries[0].actor_id, entries[0].subject_id) == (
            "privacy.erase",
            fake.member_id("mod"),
            anna,
        )
        # The alert message about anna no longer shows anything about her.
        shown = fake.message(anna_alert["id"])
        assert str(anna) not in str(shown["embeds"]) and "geheim" not in str(shown["embeds"])
        assert shown["components"] == []
        [redacted] = shown["embeds"]
        assert re.fullmatch(r"Melding #(\d+) gewist / Alert #\1 erased", redacted["title"])
        mod = fake.member_id("mod")
        assert re.fullmatch(
            rf"Gewist op verzoek \(privacy\) door <@{mod}> om (\S+ \S+)\. / "
            rf"Erased on request \(privacy\) by <@{mod}> at \1\.",
            redacted["description"],
        )
        # Leaving the server is no obstacle: by id.
        by_id = await fake.slash("mod", "privacy wissen", {"lid_id": str(fake.member_id("bram"))})
        await fake.settle()
        assert by_id.ephemeral and "gewist" in (by_id.content or "")
        assert await bot.app.alerts.repo.alerts() == []


async def test_an_alert_erased_while_its_post_was_held_up_is_not_left_in_the_channel(
    tmp_path: Path,
) -> None:
    """/privacy wissen while the outbox's post of a new alert waits out a 429: the erasure
    finds no message yet, so the outbox takes back what it then posted."""
    async with compass_bot(tmp_path) as (fake, bot):
        posts = f"/channels/{fake.channel_id(MOD_CHANNEL)}/messages"
        fake.fail_next("POST", posts, 429, retry_after=0.5)
        since = len(fake.calls)
        await fake.post("anna", "algemeen", "geheim", at=LESSON)
        await fake.wait_for_call("POST", posts, since=since)
        erased = await fake.slash("mod", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        assert "gewist" in (erased.content or "")
        anna = fake.member_id("anna")
        assert not any(f"<@{anna}>" in str(m["embeds"]) for m in alert_messages(fake))
        assert await bot.app.alerts.repo.alerts() == []


async def test_the_daily_purge_drops_excerpts_after_the_retention_period(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.clock.set(LESSON)  # the name alert is stamped by the bot's clock
        await fake.post("anna", "algemeen", "oud bericht", at=LESSON)
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        cog: Any = bot.get_cog("Privacy")  # the extension's own module: no isinstance
        assert cog is not None
        counts = await cog.purge(bot.app.clock.now() + timedelta(days=10))  # nothing old yet
        assert counts["alerts"] == 0
        assert [a.excerpt for a in await bot.app.alerts.repo.alerts()] == [
            "C0mpass",
            "oud bericht",
        ]

        since = len(fake.calls)
        counts = await cog.purge(LESSON + timedelta(days=31))
        await fake.settle()
        assert counts["alerts"] == 2
        for alert in await bot.app.alerts.repo.alerts():
            assert alert.excerpt is None and alert.matched is None
            assert alert.member_label == "(verlopen)"
            assert alert.rule == "schooltijd" or alert.detail is None  # the name was in it
        assert "retention.purge" in [e.action for e in await bot.app.db.audit_entries()]
        # The messages in the moderators' channel are edited to match.
        edits = [c for c in fake.calls[since:] if c.method == "PATCH"]
        assert len(edits) == 2
        for message in alert_messages(fake):
            text = str(message["embeds"])
            assert "oud bericht" not in text and "C0mpass" not in text
            assert "(verlopen)" in text


async def test_the_purge_redraws_an_alert_without_excerpt_whose_label_or_note_expires(
    tmp_path: Path,
) -> None:
    """An alert with no excerpt (an AutoMod hit, a post without text) still shows the
    member's label and a moderator's note: both expire, in Discord too."""
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.clock.set(LESSON)
        anna = Member(fake.member_id("anna"), "annadevries")
        await bot.app.alerts.record("schooltijd", anna, LESSON, fake.guild_id)
        bot.outbox_wakeup.set()
        await eventually(lambda: len(alert_messages(fake)) == 1)
        [message] = alert_messages(fake)
        opened = await fake.click("mod", message["id"], label="Notitie / Note")
        await fake.settle()
        await fake.submit_modal("mod", opened, {"note": "moeder gebeld"})
        await fake.settle()
        before = str(fake.message(message["id"])["embeds"])
        assert "moeder gebeld" in before and "annadevries" in before
        cog: Any = bot.get_cog("Privacy")
        await cog.purge(LESSON + timedelta(days=31))
        await fake.settle()
        text = str(fake.message(message["id"])["embeds"])
        assert "annadevries" not in text and "moeder gebeld" not in text
        assert "(verlopen)" in text


async def test_a_delivery_round_failing_on_the_database_is_one_line_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A full disk while a mark is written: one line for the round (the store announces the
    failure itself), no traceback, and the alert still goes out on a later round."""
    failed = asyncio.Event()
    async with compass_bot(tmp_path) as (fake, bot):
        repo = bot.app.alerts.repo
        mark = repo.mark_delivered

        async def full_disk_once(*args: Any) -> None:
            if not failed.is_set():
                failed.set()
                raise sqlite3.OperationalError("database or disk is full")
            await mark(*args)

        monkeypatch.setattr(repo, "mark_delivered", full_disk_once)
        monkeypatch.setattr(discord_delivery, "BACKOFF_START", 0.01)
        with caplog.at_level(logging.WARNING):
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await asyncio.wait_for(failed.wait(), 10)
            await eventually(lambda: "on the database" in caplog.text)
            bot.outbox_wakeup.set()
            deadline = asyncio.get_running_loop().time() + 30
            while [a.delivery for a in await repo.alerts()] != ["sent"]:
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0.05)
        assert (
            "Traceback" not in caplog.text and "alert delivery round failed on the" in caplog.text
        )
        assert len(alert_messages(fake)) == 1


async def test_handled_alerts_are_listed_last_handled_first_with_how_and_by_whom(
    tmp_path: Path,
) -> None:
    """Session 46 (a tester): no front listed handled alerts; `/meldingen afgehandeld` pages
    them as the open ones, last handled first, each saying how, by whom and when."""
    async with compass_bot(tmp_path, config_text=FAST_CHANNEL) as (fake, bot):
        for i in range(12):
            await record(bot, "schooltijd", 1000 + i, LESSON + timedelta(minutes=i))
        await eventually(lambda: len(alert_messages(fake)) == 12)
        await fake.settle()
        mod = Member(77, "mod", ((1, "Moderator"),))
        later = LESSON + timedelta(hours=1)
        await bot.app.alerts.set_alert_status(mod, 12, "false_positive", later)
        for n in range(1, 12):
            await bot.app.alerts.set_alert_status(mod, n, "resolved", later + timedelta(minutes=1))
        await fake.settle()
        first = await fake.slash("mod", "meldingen afgehandeld", channel=MOD_CHANNEL)
        await fake.settle()
        [embed] = first.data["embeds"]
        assert embed["title"] == "Afgehandelde meldingen / Handled alerts (12)"
        lines = embed["description"].split("\n")
        assert [line.split(" ")[0] for line in lines] == [f"**#{n}**" for n in range(11, 1, -1)]
        assert "· Afgehandeld / resolved: <@77> " in lines[0]
        assert first.original is not None
        second = await fake.click("mod", first.original["id"], label="▶")
        await fake.settle()
        lines2 = second.data["embeds"][0]["description"].split("\n")
        assert [line.split(" ")[0] for line in lines2] == ["**#1**", "**#12**"]
        assert "· Onterecht / marked unfounded: <@77> " in lines2[1]
