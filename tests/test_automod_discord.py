"""The AutoMod bridge through the real bot and the strict fake Discord: `automod sync` sends
rule bodies Discord accepts (twice, without duplicates), and an AutoMod hit becomes an alert
that cites the mapped clause, with the member, the channel and the matched keyword, and never
the message itself."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from pathlib import Path

import discord
import pytest

from compass_bot.__main__ import main
from compass_bot.config import load_config
from compass_bot.features.automod.rules import (
    ADDRESS_RULE,
    NAME_RULE,
    PHONE_PATTERNS,
    PHONE_RULE,
)
from tests.conftest import BOARD_CONFIG, TEST_CONFIG
from tests.discord_env import SCHOOL, compass_bot, running_board
from tests.fakediscord import BotSpec, FakeDiscord, Intent, Perm
from tests.test_discord_alerts import alert_messages, eventually, fields, unescape

pytestmark = pytest.mark.timeout(60)

MANAGER = dataclasses.replace(SCHOOL, bot=BotSpec(permissions=Perm.BOT_DEFAULT | Perm.MANAGE_GUILD))
ENABLED = TEST_CONFIG + "automod:\n  enabled: true\n"  # opt-in
MAPPED = ENABLED + f'  rules:\n    "{ADDRESS_RULE}": aanwijzing-3\n'
PHONE_TEXT = "bel me op 06 1234 5678"


async def run_sync(
    fake: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str = ENABLED
) -> tuple[int, str, str]:
    """`python -m compass_bot automod sync` against the fake (its own event loop, a thread)."""
    text = config.replace("discord:\n", f"discord:\n  api_base_url: {fake.api_base_url}\n", 1)
    path = tmp_path / "sync.yaml"
    path.write_text(text, encoding="utf-8")
    code = await asyncio.to_thread(main, ["--config", str(path), "automod", "sync"])
    out, err = capsys.readouterr()
    return code, out, err


def stored_alerts(db: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute("SELECT * FROM alerts ORDER BY id"))


async def test_sync_twice_makes_three_valid_rules_and_then_updates_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    async with compass_bot(tmp_path, MANAGER) as (fake, _bot):
        code, out, err = await run_sync(fake, tmp_path, capsys)
        assert (code, err) == (0, "")
        assert out.splitlines() == [
            f"created: {NAME_RULE}",
            f"created: {PHONE_RULE}",
            f"created: {ADDRESS_RULE}",
        ]
        first = {r["name"]: r for r in fake.automod_rules.values()}
        assert set(first) == {NAME_RULE, PHONE_RULE, ADDRESS_RULE}
        assert first[NAME_RULE]["trigger_type"] == 6
        assert first[PHONE_RULE]["trigger_type"] == 1
        assert first[PHONE_RULE]["trigger_metadata"]["regex_patterns"] == list(PHONE_PATTERNS)
        message = first[PHONE_RULE]["actions"][0]["metadata"]["custom_message"]
        assert len(message) <= 150 and "aanwijzing-6" in message
        code, out, err = await run_sync(fake, tmp_path, capsys)
        assert (code, err) == (0, "")
        assert out.splitlines() == [
            f"updated: {NAME_RULE}",
            f"updated: {PHONE_RULE}",
            f"updated: {ADDRESS_RULE}",
        ]
        assert {r["name"]: r["id"] for r in fake.automod_rules.values()} == {
            name: rule["id"] for name, rule in first.items()
        }
        assert fake.invalid_requests == []


async def test_sync_without_manage_server_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    async with compass_bot(tmp_path) as (fake, _bot):
        code, out, err = await run_sync(fake, tmp_path, capsys)
        assert (code, out) == (1, "")
        assert err.strip().splitlines() == [
            "automod sync: the bot needs Manage Server to manage AutoMod rules: re-invite the "
            "bot with the link `python -m compass_bot invite-url` prints"
        ]
        assert fake.automod_rules == {}
        fake.invalid_requests.clear()


async def test_sync_without_a_token_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "c.yaml"
    path.write_text(ENABLED, encoding="utf-8")
    assert main(["--config", str(path), "automod", "sync"]) == 2
    assert "no token" in capsys.readouterr().err


async def test_sync_is_refused_in_one_line_while_automod_is_not_enabled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AutoMod is opt-in: without `automod.enabled: true` the invite asks no Manage Server
    and hits become no alerts, so a sync says how to opt in and talks to no Discord."""
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    path = tmp_path / "c.yaml"
    path.write_text(
        TEST_CONFIG.replace("discord:\n", "discord:\n  api_base_url: http://127.0.0.1:9/\n", 1),
        encoding="utf-8",
    )
    assert main(["--config", str(path), "automod", "sync"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("automod sync: automod.enabled is false: set automod.enabled: true")
    assert "`python -m compass_bot invite-url` prints" in err
    board = BOARD_CONFIG + "automod:\n  enabled: false\n"
    path.write_text(board, encoding="utf-8")
    assert main(["--config", str(path), "automod", "sync", "--school", "Zuid"]) == 2
    assert "`python -m compass_bot invite-url --school Zuid` prints" in capsys.readouterr().err


async def test_without_automod_enabled_the_bot_asks_for_no_hits_and_alerts_none(
    tmp_path: Path,
) -> None:
    """A bot given Manage Server another way (here: its role) stays out of AutoMod while the
    school has not opted in: the AutoMod hits intent is not asked for, and no alert comes."""
    (tmp_path / "off").mkdir()
    (tmp_path / "on").mkdir()
    async with compass_bot(tmp_path / "off", MANAGER, TEST_CONFIG) as (fake, bot):
        assert fake.intents is not None and not fake.intents & Intent.AUTO_MODERATION_EXECUTION
        await fake.automod_action("anna", "algemeen", "jij sukkel", keyword="*sukkel*")
        await fake.settle()
        assert await bot.app.alerts.repo.alerts() == []
    async with compass_bot(tmp_path / "on", MANAGER, ENABLED) as (fake, _bot):
        assert fake.intents is not None and fake.intents & Intent.AUTO_MODERATION_EXECUTION


async def test_automod_hits_become_clause_cited_alerts_without_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "test-token")
    async with compass_bot(tmp_path, MANAGER, MAPPED) as (fake, bot):
        assert (await run_sync(fake, tmp_path, capsys))[0] == 0
        await fake.automod_action("anna", "algemeen", PHONE_TEXT, rule=PHONE_RULE)
        await fake.automod_action("bram", "memes", "ik woon op Dorpsstraat 12", rule=ADDRESS_RULE)
        await fake.automod_action("anna", None, "CompassFan", rule=NAME_RULE)
        await fake.settle()
        await eventually(lambda: len(alert_messages(fake)) == 3)
        rows = stored_alerts(bot.loaded.database_path)
        anna, bram = fake.member_id("anna"), fake.member_id("bram")
        assert [(r["rule"], r["member_id"], r["channel_id"]) for r in rows] == [
            ("aanwijzing-6", anna, fake.channel_id("algemeen")),
            ("aanwijzing-3", bram, fake.channel_id("memes")),  # mapped by the config
            ("aanwijzing-2", anna, None),
        ]
        assert rows[0]["matched"] == PHONE_PATTERNS[0]
        assert rows[0]["detail"] == f"AutoMod: {PHONE_RULE}, gevonden: {PHONE_PATTERNS[0]}"
        assert rows[2]["matched"] == "*compass*"
        assert all(r["excerpt"] is None for r in rows)
        raw = bot.loaded.database_path.read_bytes()
        for secret in (b"1234 5678", b"Dorpsstraat", b"CompassFan"):
            assert secret not in raw
        first = alert_messages(fake)[0]
        shown = unescape(str(first["embeds"]))
        assert "1234 5678" not in shown
        f = fields(first["embeds"][0])
        assert "aanwijzing-6" in f["Regel"] and f"<@{anna}>" in f["Lid"]
        assert f"<#{fake.channel_id('algemeen')}>" in f["Waar"]
        assert PHONE_RULE in unescape(f["Reden"])


async def test_one_alert_per_hit_and_unmapped_or_unknown_rules_cite_the_default(
    tmp_path: Path,
) -> None:
    config = ENABLED + "  rules:\n    scheldwoorden: aanwijzing-7\n"
    async with compass_bot(tmp_path, MANAGER, config) as (fake, bot):
        guild = bot.find_guild()
        assert guild is not None
        mods = guild.get_channel(fake.channel_id("mod-meldingen"))
        assert isinstance(mods, discord.TextChannel)
        for name, word in (("Scheldwoorden", "*sukkel*"), ("Reclame", "*gratis*")):
            await guild.create_automod_rule(
                name=name,
                event_type=discord.AutoModRuleEventType.message_send,
                trigger=discord.AutoModTrigger(
                    type=discord.AutoModRuleTriggerType.keyword, keyword_filter=[word]
                ),
                actions=[
                    discord.AutoModRuleAction(),
                    discord.AutoModRuleAction(channel_id=mods.id),
                ],
                enabled=True,
            )
        await fake.automod_action("anna", "algemeen", "jij sukkel", rule="Scheldwoorden")
        await fake.automod_action("bram", "memes", "gratis skins", rule="Reclame")
        await fake.automod_action("anna", "algemeen", "iets", keyword="iets")  # unknown rule
        await fake.settle()
        await eventually(lambda: len(stored_alerts(bot.loaded.database_path)) == 3)
        await fake.settle()
        rows = stored_alerts(bot.loaded.database_path)
        anna, bram = fake.member_id("anna"), fake.member_id("bram")
        assert [(r["rule"], r["member_id"], r["count"], r["matched"]) for r in rows] == [
            ("aanwijzing-7", anna, 1, "*sukkel*"),  # two actions, an execution each: one alert
            ("aanwijzing-9", bram, 1, "*gratis*"),
            ("aanwijzing-9", anna, 1, "iets"),
        ]
        assert rows[2]["detail"].startswith("AutoMod: regel ")
        fake.invalid_requests.clear()  # the unknown rule's look-up (404) is expected


async def test_on_a_board_only_the_school_that_opted_in_gets_alerts_from_automod(
    tmp_path: Path,
) -> None:
    """Noord opts in, Zuid does not: the connection asks for AutoMod hits (one for the
    board), and the bridge turns Noord's into alerts and leaves Zuid's alone, although the
    bot has Manage Server in both."""
    manager = BotSpec(permissions=Perm.BOT_DEFAULT | Perm.MANAGE_GUILD)
    noord = dataclasses.replace(SCHOOL, name="Noord", bot=manager)
    zuid = dataclasses.replace(SCHOOL, name="Zuid", bot=manager)
    text = BOARD_CONFIG.replace(
        "  - name: Noord\n    discord: {guild: Noord}\n",
        "  - name: Noord\n    discord: {guild: Noord}\n    automod: {enabled: true}\n",
    )
    assert text != BOARD_CONFIG
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    loaded = load_config(tmp_path / "config.yaml")
    async with FakeDiscord(noord, other_guilds=[zuid]) as fake, running_board(fake, loaded) as bot:
        assert fake.intents is not None and fake.intents & Intent.AUTO_MODERATION_EXECUTION
        for guild in ("Zuid", "Noord"):
            await fake.automod_action("anna", "algemeen", "iets", keyword="iets", guild=guild)
        await fake.settle()
        at_noord, at_zuid = bot.schools
        await eventually(lambda: len(stored_alerts(at_noord.loaded.database_path)) == 1)
        await fake.settle()
        assert await at_zuid.app.alerts.repo.alerts() == []
        fake.invalid_requests.clear()  # Noord's look-up of the unknown rule (404) is expected
