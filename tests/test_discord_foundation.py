"""The Discord front end's foundation, through the fake Discord: one test per payload type,
the config checked against the server, and `python bot.py` as a separate process."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from tests.conftest import ROOT, TEST_CONFIG
from tests.discord_env import LESSON, SCHOOL, compass_bot
from tests.fakediscord import FakeDiscord, MemberSpec

COMMANDS = {
    "vraag",
    "protocol",
    "toestemming",
    "naam",
    "naamcontrole",
    "meldingen",
    "privacy",
    "melden",
    "Melden bij moderatoren",
    "Lid melden",
    "Vraag aan het protocol",
    "tweedeblik",
    "afkoelen",
    "status",
    "overzicht",
}


async def test_ready_and_guild_create_build_the_server_and_sync_commands(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        guild = bot.school_guild
        assert guild is not None and guild.name == "Compass"
        anna = guild.get_member(fake.member_id("anna"))
        assert anna is not None and [r.name for r in anna.roles][1:] == ["Leerling"]
        assert bot.setup.problems == []
        assert bot.setup.moderators_channel is not None
        assert bot.setup.moderators_channel.id == fake.channel_id("mod-meldingen")
        intents = discord.Intents._from_value(fake.intents)
        assert intents.members and intents.message_content and intents.guild_messages
        synced = fake.find_calls("PUT", f"/applications/*/guilds/{fake.guild_id}/commands")
        assert len(synced) == 1
        commands = {c["name"]: c for c in synced[0].json}
        assert set(commands) == COMMANDS
        assert commands["vraag"]["name_localizations"]["en-US"] == "ask"
        assert fake.find_calls("PUT", re.compile(r"^/applications/\d+/commands$")) == []


async def test_a_channel_and_role_the_server_lacks_are_reported_by_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = TEST_CONFIG.replace("questions: protocol-vragen", "questions: vragenkanaal").replace(
        "teachers: [Docent]", "teachers: [Docent, Mentor]"
    )
    caplog.set_level(logging.WARNING, logger="compass_bot")
    async with compass_bot(tmp_path, config_text=config) as (fake, bot):
        problems = "\n".join(bot.setup.problems)
        assert "channels.questions" in problems and "'vragenkanaal'" in problems
        assert "roles.teachers[1]" in problems and "'Mentor'" in problems
        assert bot.setup.disabled == {"questions_channel"}
        assert "channels.questions" in caplog.text
        # Only that feature is off: the school-time rule still works.
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1


async def test_guild_member_add_checks_the_new_members_names(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_join(MemberSpec("c0mpass_fan", roles=["Leerling"]))
        await fake.settle()
        alerts = fake.messages_sent(channel="mod-meldingen")
        assert len(alerts) == 1 and "aanwijzing-2" in str(alerts[0]["embeds"])


async def test_guild_member_update_of_a_nickname_is_checked(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", nick="Bram")
        await fake.settle()
        assert fake.messages_sent(channel="mod-meldingen") == []
        await fake.member_update("bram", nick="Bram van Cоmpass")  # Cyrillic o
        await fake.settle()
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1


async def test_interaction_create_slash_command_and_button(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        record = await fake.slash("anna", "protocol lijst", {}, channel="algemeen")
        await fake.settle()
        assert record.callback_type == 4 and record.ephemeral
        assert "aanwijzing-2" in str(record.callback)

        asked = await fake.slash("anna", "vraag", {"vraag": "mag ik in de les op tiktok?"})
        await fake.settle()
        assert "Leerlingen van de Compass mogen onder schooltijd" in str(asked.callback)
        answer_id = int(asked.original["id"])
        click = await fake.click("anna", answer_id, custom_id="feedback:up:schooltijd")
        await fake.settle()
        assert click.ephemeral and "Bedankt" in str(click.callback)


async def test_dm_message_create_is_answered_and_never_pings(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.dm("anna", "mag ik in de pauze op snap @everyone")
        await fake.settle()
        dms = fake.dms_sent("anna")
        assert len(dms) == 1 and "middagpauze" in str(dms[0]["embeds"])
        mentions = fake.body_of(dms[0]["id"])["allowed_mentions"]
        assert mentions["parse"] == [] and not mentions.get("replied_user", False)
        assert fake.messages_sent(channel="mod-meldingen") == []  # a DM is not a post


def _write_config(tmp_path: Path, fake: FakeDiscord) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        TEST_CONFIG.replace(
            "discord:\n  guild: Compass\n",
            "discord:\n  guild: Compass\n"
            f"  api_base_url: {fake.api_base_url}\n  gateway_url: {fake.gateway_url}\n",
        ),
        encoding="utf-8",
    )
    return cfg


def test_bot_py_logs_in_to_the_fake_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    token = "smoke-test-token"
    fake = FakeDiscord(SCHOOL, token=token)
    fake.start()
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG",)}
    env["DISCORD_TOKEN"] = token
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(_write_config(tmp_path, fake))],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        fake.sync.wait_for_call("PUT", "/applications/*/guilds/*/commands", timeout=30)
        fake.sync.dm("anna", "mag ik in de les op tiktok?")
        fake.sync.settle()
        dms = fake.dms_sent("anna")
        assert len(dms) == 1 and "Leerlingen van de Compass" in str(dms[0]["embeds"])
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        fake.stop()
    assert proc.returncode == 0, output
    assert "shutting down" in output
    assert token not in output
    assert (tmp_path / "data" / "compass.db").exists()


async def test_the_running_bot_rebuilds_its_timetable_when_the_coming_month_passes_it(
    tmp_path: Path,
) -> None:
    """A bot left running past the years its timetable was computed for would treat the
    holidays after them as school days: it looks every few hours and rebuilds."""
    import asyncio
    from datetime import UTC, datetime

    from compass_bot.schedule import build_timetable

    async with compass_bot(tmp_path) as (_fake, bot):
        app = bot.app
        app.calendar.timetable = build_timetable(
            app.config.schedule, app.loaded.base_dir, years=range(2026, 2027)
        )
        app.clock.freeze(datetime(2026, 12, 15, 12, 0, tzinfo=UTC))
        task = asyncio.get_running_loop().create_task(bot.keep_calendar(every=0.01))
        try:
            for _ in range(200):
                if app.calendar.timetable.covers(datetime(2027, 1, 15, tzinfo=UTC).date()):
                    break
                await asyncio.sleep(0.01)
        finally:
            task.cancel()
        assert app.calendar.timetable.covers(datetime(2027, 1, 15, tzinfo=UTC).date())
