"""The personal-data service on a real SQLite file: who and where the rule applies, masking
that never leaves part of a value, the second look, and the config section."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.config import ConfigError, parse_config
from compass_bot.features.personal_data.rules import Finding
from compass_bot.features.personal_data.service import (
    PersonalDataService,
    SecondLook,
    masked_text,
)
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.model import Member, MessagePosted, Refusal
from tests.conftest import TEST_CONFIG, make_loaded

T0 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
ANNA = Member(11, "anna", ((1, "Leerling"),))
JANSEN = Member(12, "jansen", ((2, "Docent"),))
ALGEMEEN = ChannelInfo(100, "algemeen", 9, "Sociaal")
MODS = ChannelInfo(101, "mod-meldingen")


def post(text: str, member: Member = ANNA, channel: ChannelInfo = ALGEMEEN) -> MessagePosted:
    return MessagePosted(member, channel, T0, text, message_id=555, guild_id=1)


def test_overlapping_findings_are_masked_whole() -> None:
    text = "nummer 0612345678 en meer"
    spans = (Finding("phone", 7, 13), Finding("id-number", 10, 17))
    assert masked_text(text, spans) == "nummer [telefoonnummer verborgen] en meer"


async def test_staff_and_the_moderators_channel_are_exempt(service: App) -> None:
    pd = service[PersonalDataService]
    assert pd.screen(post("bel 06-12345678"))
    assert pd.screen(post("bel 06-12345678", member=JANSEN)) == ()
    assert pd.screen(post("bel 06-12345678", channel=MODS)) == ()
    thread = ChannelInfo(102, "draadje", parent=MODS)
    assert pd.screen(post("bel 06-12345678", channel=thread)) == ()


async def test_an_exempt_category_covers_its_channels(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG + "personal_data:\n  exempt_channels: [Sociaal]\n")
    app = await App.create(loaded)
    try:
        assert app[PersonalDataService].screen(post("bel 06-12345678")) == ()
    finally:
        await app.close()


async def test_the_alert_keeps_the_kinds_and_the_masked_excerpt_only(service: App) -> None:
    outcome = await service[PersonalDataService].message_posted(
        post("bel 06-12345678 of mail anna@gmail.com")
    )
    assert outcome.kinds == ("phone", "email") and outcome.alert is not None
    assert outcome.alert.detail == "phone,email"
    assert "12345678" not in (outcome.alert.excerpt or "")
    assert "gmail" not in (outcome.alert.excerpt or "")
    assert outcome.warning is not None
    assert "een telefoonnummer en een e-mailadres" in outcome.warning.intro
    assert outcome.alert.reason() == "bevat: telefoonnummer, e-mailadres"
    assert outcome.alert.reason("en") == "contains: phone number, e-mail address"


async def test_second_look_in_dutch_and_english_and_its_limits(service: App) -> None:
    pd = service[PersonalDataService]
    look = pd.second_look("bel 06-12345678", "en")
    assert isinstance(look, SecondLook)
    assert look.kinds == ("phone",) and "a phone number" in look.verdict
    assert look.masked == "bel [telefoonnummer verborgen]" and look.clause.id == "aanwijzing-7"
    clean = pd.second_look("zin in het weekend")
    assert isinstance(clean, SecondLook) and clean.kinds == () and clean.masked == ""
    assert isinstance(pd.second_look("   "), Refusal)
    assert isinstance(pd.second_look("x" * 2001), Refusal)
    assert await service.db.fetchall("SELECT id FROM alerts") == []


def test_old_config_files_stay_valid_and_typos_are_refused() -> None:
    assert parse_config(TEST_CONFIG).personal_data.action == "warn"
    cfg = parse_config(TEST_CONFIG + "personal_data:\n  action: hide\n  allowed: 030-1234567\n")
    assert cfg.personal_data.action == "hide" and cfg.personal_data.allowed == ["030-1234567"]
    with pytest.raises(ConfigError, match=r"personal_data\.acton: unknown key"):
        parse_config(TEST_CONFIG + "personal_data:\n  acton: hide\n")
    with pytest.raises(ConfigError, match=r"personal_data\.action"):
        parse_config(TEST_CONFIG + "personal_data:\n  action: delete\n")
