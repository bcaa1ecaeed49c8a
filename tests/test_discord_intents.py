"""The bot without the privileged intents (`discord.message_content: false`,
`discord.members: false`) against a fake Discord whose portal allows neither: it connects,
the school-time rule still warns and alerts (without an excerpt), questions by mention are
answered, names are checked when a member posts, and what needs an intent says it is off."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import discord
import pytest

from compass_bot.config import DiscordSettings, load_config
from compass_bot.discord_front.client import bot_intents, intent_notes, intents, privileged_refused
from tests.conftest import BOARD_CONFIG, TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, LUNCH, SCHOOL, running_compass
from tests.fakediscord import FakeDiscord, Intent, MemberSpec, running_bot

OFF = TEST_CONFIG.replace(
    "discord:\n  guild: Compass\n",
    "discord:\n  guild: Compass\n  message_content: false\n  members: false\n",
)
QUESTION = "mag ik in de les op tiktok?"


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0].get("fields", [])}


def test_intents_follow_the_settings_and_default_to_both_on(tmp_path: Path) -> None:
    both = intents(DiscordSettings(), automod=False)
    assert both.members and both.message_content
    neither = intents(DiscordSettings(message_content=False, members=False), automod=False)
    assert not neither.members and not neither.message_content
    assert neither.guild_messages and neither.dm_messages and neither.guilds
    # AutoMod hits only when a school opts in (`automod.enabled`; one of a board is enough).
    assert not both.auto_moderation_execution
    assert intents(DiscordSettings(), automod=True).auto_moderation_execution
    path = tmp_path / "config.yaml"
    path.write_text(BOARD_CONFIG, encoding="utf-8")
    assert not bot_intents(load_config(path)).auto_moderation_execution
    board = BOARD_CONFIG.replace(
        "    discord: {guild: Zuid}\n", "    discord: {guild: Zuid}\n    automod: {enabled: true}\n"
    )
    assert board != BOARD_CONFIG
    path.write_text(board, encoding="utf-8")
    assert bot_intents(load_config(path)).auto_moderation_execution
    assert "Message Content" in privileged_refused(DiscordSettings(members=False))
    assert "Server Members" not in privileged_refused(DiscordSettings(members=False))


async def test_the_bot_runs_without_either_privileged_intent(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert OFF != TEST_CONFIG
    caplog.set_level(logging.INFO, logger="compass_bot.discord")
    loaded = make_loaded(tmp_path, OFF)
    # The portal allows no privileged intent: asking for one would close the gateway (4014).
    async with (
        FakeDiscord(SCHOOL, privileged_intents=()) as fake,
        running_compass(fake, loaded) as bot,
    ):
        assert fake.intents is not None
        assert not fake.intents & (Intent.MESSAGE_CONTENT | Intent.GUILD_MEMBERS)
        guild = bot.school_guild
        assert guild is not None and [m.id for m in guild.members] == [fake.bot_user_id]

        # A lesson-time post: warned by DM and alerted, judged on author, channel, time.
        await fake.post("anna", "algemeen", "geheime tekst van anna", at=LESSON)
        await fake.settle()
        [alert] = fake.messages_sent(channel="mod-meldingen")
        alert_fields = fields(alert)
        assert "`schooltijd`" in alert_fields["Regel"]
        assert alert_fields["Bericht"] == "(geen tekst)"
        assert [m for m in fake.dms_sent("anna") if m.get("embeds")]
        assert all("geheime" not in str(m) for m in fake.messages_sent())

        # A question by mention: Discord keeps the text of a post that mentions the bot.
        await fake.post("bram", "huiswerk", f"<@{fake.bot_user_id}> {QUESTION}", at=LESSON)
        await fake.settle()
        [answer] = fake.messages_sent(channel="huiswerk")
        assert fields(answer)["Je vraag"] == QUESTION

        # A post in the questions channel arrives blank: not answered, nothing breaks.
        await fake.post("bram", "protocol-vragen", QUESTION, at=LESSON)
        await fake.settle()
        assert fake.messages_sent(channel="protocol-vragen") == []

        # A join is not delivered; the member's names are checked when they post.
        await fake.member_join(MemberSpec("c0mpass_fan", roles=["Leerling"]))
        await fake.settle()
        assert fake.undelivered[-1][0] == "GUILD_MEMBER_ADD"
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1
        await fake.post("c0mpass_fan", "algemeen", "hoi", at=LUNCH)
        await fake.post("c0mpass_fan", "algemeen", "nog een", at=LUNCH)
        await fake.settle()
        name_alerts = fake.messages_sent(channel="mod-meldingen")[1:]
        assert len(name_alerts) == 1  # checked once for the same names
        assert "aanwijzing-2" in fields(name_alerts[0])["Regel"]

        # The sweep needs the member list: it says it is off.
        swept = await fake.slash("rector", "naamcontrole")
        await fake.settle()
        assert "Server Members" in swept.callback["data"]["content"]
    notes = [r.getMessage() for r in caplog.records if "is false" in r.getMessage()]
    assert notes == intent_notes(loaded.config)
    for feature in ("personal_data is off", "heat is off", "questions channel", "name sweep"):
        assert sum(feature in n for n in notes) == 1, feature


async def test_a_name_is_checked_when_its_member_uses_a_command(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path, OFF)
    async with (
        FakeDiscord(SCHOOL, privileged_intents=()) as fake,
        running_compass(fake, loaded),
    ):
        await fake.member_update("bram", nick="Compass Bram")  # not delivered
        await fake.settle()
        assert fake.messages_sent(channel="mod-meldingen") == []
        await fake.slash("bram", "vraag", {"vraag": QUESTION})
        await fake.settle()
        [alert] = fake.messages_sent(channel="mod-meldingen")
        assert "aanwijzing-2" in fields(alert)["Regel"]


async def test_with_both_intents_on_joins_are_checked_and_posts_do_not_recheck(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded) as bot:
        assert bot.intents.members and bot.intents.message_content
        await fake.member_join(MemberSpec("c0mpass_fan", roles=["Leerling"]))
        await fake.post("c0mpass_fan", "algemeen", "hoi", at=LUNCH)
        await fake.settle()
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1


class _Plain(discord.Client):
    """A bare discord.py client, to see what the fake sends for the intents it asked for."""

    def __init__(self, wanted: discord.Intents) -> None:
        super().__init__(intents=wanted, guild_ready_timeout=0.05, enable_debug_events=True)
        self.joined: list[int] = []
        self.listed: list[int] | None = None

    async def on_socket_raw_receive(self, raw: str) -> None:
        event = json.loads(raw)
        if event.get("t") == "GUILD_CREATE":
            self.listed = [int(m["user"]["id"]) for m in event["d"]["members"]]

    async def on_member_join(self, member: discord.Member) -> None:
        self.joined.append(member.id)


@pytest.mark.parametrize("members", [True, False])
async def test_the_fake_sends_the_member_list_and_events_only_with_guild_members(
    members: bool,
) -> None:
    wanted = discord.Intents.default()
    wanted.members = members
    async with FakeDiscord(SCHOOL) as fake, running_bot(fake, _Plain(wanted)) as client:
        everyone = sorted(fake.world.members)
        assert len(everyone) > 1
        assert client.listed is not None
        assert sorted(client.listed) == (everyone if members else [fake.bot_user_id])
        await fake.member_join(MemberSpec("nieuw"))
        await fake.settle()
        assert bool(client.joined) is members


async def test_without_message_content_heat_and_personal_data_read_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Heat and other people's data judge text: without it both rules are off, not fed
    blank posts they would misread."""
    from compass_bot.features.heat.service import HeatService
    from compass_bot.features.personal_data.service import PersonalDataService
    from tests.discord_env import AFTER_SCHOOL

    fed: list[object] = []
    screened: list[object] = []
    original = HeatService.decide_post  # what the screening feeds a post in a watched channel
    original_found = PersonalDataService.found  # what the screening reads a post's text with

    def spy(self: HeatService, *args: Any) -> Any:
        fed.append(args)
        return original(self, *args)

    def found_spy(self: PersonalDataService, content: str) -> Any:
        screened.append(content)
        return original_found(self, content)

    monkeypatch.setattr(HeatService, "decide_post", spy)
    monkeypatch.setattr(PersonalDataService, "found", found_spy)
    for config, expected in ((TEST_CONFIG, 2), (OFF, 0)):
        fed.clear()
        screened.clear()
        folder = tmp_path / str(expected)
        folder.mkdir()
        async with (
            FakeDiscord(SCHOOL) as fake,
            running_compass(fake, make_loaded(folder, config)),
        ):
            first = await fake.post("anna", "algemeen", "jij bent zo dom", at=AFTER_SCHOOL)
            await fake.post("bram", "algemeen", "hou je kop", at=AFTER_SCHOOL, reply_to=first["id"])
            await fake.settle()
        assert len(fed) == len(screened) == expected, config


def test_an_intent_the_portal_has_off_is_one_line_naming_it(tmp_path: Path) -> None:
    from tests.test_startup_failures import TOKEN, _errors, _run_bot

    fake = FakeDiscord(SCHOOL, token=TOKEN, privileged_intents=("members",))
    fake.start()
    try:
        code, output, _took = _run_bot(tmp_path, fake.api_base_url, fake.gateway_url)
    finally:
        fake.stop()
    assert code == 2, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "Message Content" in line and "Server Members" in line
    assert "discord.members / discord.message_content" in line


async def test_without_server_members_staff_actions_reach_members_through_discord(
    tmp_path: Path,
) -> None:
    """The member cache holds only the bot without the intent: "Naam goedkeuren" and a
    grant's DM fetch the member from Discord, and a class grant tells the teacher that the
    class could not be reached rather than telling nobody."""
    loaded = make_loaded(tmp_path, OFF)
    async with (
        FakeDiscord(SCHOOL, privileged_intents=()) as fake,
        running_compass(fake, loaded) as bot,
    ):
        await fake.member_update("bram", nick="Compass Bram")
        await fake.slash("bram", "vraag", {"vraag": QUESTION})
        await fake.settle()
        [alert] = fake.messages_sent(channel="mod-meldingen")
        pressed = await fake.click("rector", alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert "niet (meer) in de server" not in str(pressed.data)
        assert fields(fake.message(alert["id"]))["Status"] != "Open"

        bot.app.clock.freeze(LESSON)
        await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "minuten": 20})
        await fake.settle()
        assert any("toestemming gegeven" in m["content"] for m in fake.dms_sent("anna"))
        await fake.slash("jansen", "toestemming geven", {"klas": "Klas 1-2", "minuten": 20})
        await fake.settle()
        told = [m["content"] for m in fake.messages_sent(ephemeral=True)]
        assert any(t.startswith("Zonder de Server Members-intent kent de bot") for t in told)
