"""Other people's data (aanwijzing-6) and /tweedeblik (aanwijzing-7) through the real bot and
the fake Discord.

A post with someone's phone number gets its author a DM citing aanwijzing-6 that names the
kind only; the moderators get one alert with the number masked; nothing of the number leaves
the bot in any request, nor lands in the SQLite file or the log. Posts are made after school,
so the school-time rule stays silent.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from compass_bot.policy import load_clauses
from tests.conftest import TEST_CONFIG
from tests.discord_env import AFTER_SCHOOL, LESSON, LUNCH, SCHOOL, compass_bot
from tests.fakediscord import BotSpec, FakeDiscord, Perm

pytestmark = pytest.mark.timeout(60)
MINUTE = timedelta(minutes=1)

PHONE = "06-12345678"
# Every way the number could leak: as written, its digits, its national and international form.
LEAKS = ("12345678", "1234 5678", "0612345678", "31612345678", "6-1234")
CLAUSE6 = load_clauses()["aanwijzing-6"].text
CLAUSE7 = load_clauses()["aanwijzing-7"].text
CLAUSE6_EN = load_clauses()["aanwijzing-6"].text_en
MOD_CHANNEL = "mod-meldingen"
HIDE = TEST_CONFIG + "personal_data:\n  action: hide\n"
EXEMPT = TEST_CONFIG + "personal_data:\n  exempt_channels: [gamen]\n"
BY_ROLE = TEST_CONFIG.replace(
    '    default: {start: "12:15", end: "12:45"}\n',
    '    default: {start: "12:15", end: "12:45"}\n'
    '    by_role:\n      - {role: "Klas 1-2", start: "11:45", end: "12:15"}\n',
)
ACCOUNT_DRAFT = "Ik heb een account Compass_roddels gemaakt, volg me"
PLAIN_DRAFT = "hoi allemaal, wie gaat er mee naar de film?"
CLAUSES_NL = "Punten van het protocol die je concept raakt"
TIMING_NL = "Nu posten in een sociaal kanaal?"


def embed_text(message: dict[str, Any]) -> str:
    parts: list[str] = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        for f in embed.get("fields", []):
            parts += [f["name"], f["value"]]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


def data_warnings(fake: FakeDiscord, member: str) -> list[dict[str, Any]]:
    return [m for m in fake.dms_sent(member) if "aanwijzing-6" in embed_text(m)]


def alerts(fake: FakeDiscord) -> list[dict[str, Any]]:
    return [
        m
        for m in fake.messages_sent(channel=MOD_CHANNEL, ephemeral=False)
        if "Gegevens van een ander" in embed_text(m)
    ]


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0].get("fields", [])}


def assert_no_leak(fake: FakeDiscord) -> None:
    """No request body the bot sent holds the number, in any form."""
    for call in fake.calls:
        body = json.dumps(call.json, ensure_ascii=False) if call.json is not None else ""
        squeezed = body.replace("-", "").replace(" ", "")
        for leak in LEAKS:
            assert leak not in body and leak.replace(" ", "") not in squeezed, (call.path, body)


def assert_not_stored(db_path: Path) -> None:
    for path in db_path.parent.glob(db_path.name + "*"):
        raw = path.read_bytes()
        for leak in LEAKS:
            assert leak.encode() not in raw, path


def bot_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the bot logged: everything of its own, INFO and up of the libraries (discord.py's
    DEBUG traces of raw gateway frames are the library's, off in production)."""
    return "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("compass_bot") or r.levelno >= logging.INFO
    )


async def eventually(check: Any, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


async def test_a_phone_number_gets_a_private_warning_and_a_masked_alert(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="compass_bot")
    caplog.set_level(logging.INFO)
    async with compass_bot(tmp_path) as (fake, bot):
        post = await fake.post(
            "anna", "algemeen", f"bel me na school op {PHONE} oké", at=AFTER_SCHOOL
        )
        await fake.settle()
        await eventually(lambda: len(alerts(fake)) == 1)
        [dm] = data_warnings(fake, "anna")
        said = embed_text(dm)
        assert CLAUSE6 in said and "een telefoonnummer" in said
        assert fake.message(post["id"]) is not None  # warn: the post stays
        [alert] = alerts(fake)
        shown = fields(alert)
        assert "telefoonnummer verborgen" in shown["Bericht"]
        assert "telefoonnummer" in shown["Reden"]
        assert post["id"] in shown["Waar"]  # the jump link
        rows = await bot.app.db.fetchall("SELECT rule, excerpt, detail FROM alerts")
        assert [(r["rule"], r["detail"]) for r in rows] == [("aanwijzing-6", "phone")]
        assert "[telefoonnummer verborgen]" in rows[0]["excerpt"].replace("\\", "")
        assert fake.messages_sent(channel="algemeen") == []  # nothing said in public
        assert_no_leak(fake)
        db_path = bot.app.db.path
    assert_not_stored(db_path)
    logged = bot_log(caplog)
    assert not any(leak in logged for leak in LEAKS)


async def test_closed_dms_get_a_short_reply_without_the_number(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("stil", "algemeen", f"mijn nummer: {PHONE}", at=AFTER_SCHOOL)
        await fake.settle()
        [reply] = fake.messages_sent(channel="algemeen")
        assert "een telefoonnummer" in reply["content"] and "aanwijzing-6" in reply["content"]
        assert_no_leak(fake)


async def test_the_warning_is_dutch_first_then_english(tmp_path: Path) -> None:
    """The DM and the closed-DM reply both carry the English second part, after the Dutch."""
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("anna", "algemeen", f"bel me op {PHONE}", at=AFTER_SCHOOL)
        await fake.post("stil", "algemeen", f"mijn nummer: {PHONE}", at=AFTER_SCHOOL)
        await fake.settle()
        [dm] = data_warnings(fake, "anna")
        said = embed_text(dm)
        assert "a phone number" in said and CLAUSE6_EN in said
        assert said.index("een telefoonnummer") < said.index("a phone number")
        english = next(f["value"] for f in dm["embeds"][0]["fields"] if f["name"] == "English")
        assert "a phone number" in english and CLAUSE6_EN in english  # its own field: not cut
        [reply] = fake.messages_sent(channel="algemeen")
        content = reply["content"]
        assert content.index("een telefoonnummer") < content.index("a phone number")
        assert_no_leak(fake)


async def test_a_clean_post_and_a_look_alike_do_nothing(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "om 12:15 in lokaal 2.14, cijfer 7,5", at=AFTER_SCHOOL)
        calls = await fake.settle()
        assert calls == []
        assert await bot.app.db.fetchall("SELECT id FROM alerts") == []


async def test_staff_and_exempt_channels_are_left_alone(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=EXEMPT) as (fake, bot):
        await fake.post("jansen", "algemeen", f"bel de conciërge: {PHONE}", at=AFTER_SCHOOL)
        await fake.post("mod", "algemeen", f"bel {PHONE}", at=AFTER_SCHOOL)
        await fake.post("anna", "gamen", f"bel {PHONE}", at=AFTER_SCHOOL)
        await fake.post("anna", "mod-meldingen", f"bel {PHONE}", at=AFTER_SCHOOL)
        await fake.dm("anna", f"is {PHONE} een nummer?")
        await fake.settle()
        await asyncio.sleep(0.2)
        assert await bot.app.db.fetchall("SELECT id FROM alerts WHERE rule = 'aanwijzing-6'") == []
        assert data_warnings(fake, "anna") == [] and data_warnings(fake, "jansen") == []
        # ... while the same post by a student in a watched channel is caught
        await fake.post("anna", "memes", f"bel {PHONE}", at=AFTER_SCHOOL)
        await fake.settle()
        assert len(data_warnings(fake, "anna")) == 1


async def test_hide_deletes_the_post_and_dms_the_text_masked(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=HIDE) as (fake, _bot):
        post = await fake.post("anna", "algemeen", f"app {PHONE} even", at=AFTER_SCHOOL)
        await fake.settle()
        await eventually(lambda: len(alerts(fake)) == 1)
        assert fake.find_calls("DELETE", f"/channels/*/messages/{post['id']}")
        [dm] = data_warnings(fake, "anna")
        said = embed_text(dm)
        assert "verwijderd" in said and "telefoonnummer verborgen" in said
        assert_no_leak(fake)


async def test_hide_with_closed_dms_says_so_briefly_without_the_text(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=HIDE) as (fake, _bot):
        post = await fake.post("stil", "algemeen", f"bel {PHONE} of mail", at=AFTER_SCHOOL)
        await fake.settle()
        assert fake.find_calls("DELETE", f"/channels/*/messages/{post['id']}")
        [reply] = fake.messages_sent(channel="algemeen")
        assert "een telefoonnummer" in reply["content"] and "verwijderd" in reply["content"]
        assert "of mail" not in reply["content"]  # the post's text stays private
        assert_no_leak(fake)


async def test_hide_without_manage_messages_warns_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    school = replace(SCHOOL, bot=BotSpec(permissions=Perm.BOT_DEFAULT & ~Perm.MANAGE_MESSAGES))
    caplog.set_level(logging.WARNING, logger="compass_bot")
    async with compass_bot(tmp_path, school, HIDE) as (fake, _bot):
        for text in (f"bel {PHONE}", "mail anna@gmail.com"):
            await fake.post("anna", "algemeen", text, at=AFTER_SCHOOL)
            await fake.settle()
        assert fake.find_calls("DELETE", "/channels/*/messages/*") == []
        assert len(data_warnings(fake, "anna")) == 2
        said = [r.getMessage() for r in caplog.records if "cannot be removed" in r.getMessage()]
        assert len(said) == 1 and "Manage Messages" in said[0]
        assert fake.invalid_requests == []


async def test_an_edit_that_adds_data_is_caught_once(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        post = await fake.post("anna", "algemeen", "bel me straks", at=AFTER_SCHOOL)
        await fake.settle()
        assert data_warnings(fake, "anna") == []
        # each edit at its own moment after school (an edit is judged at its time: with the
        # real clock, an edit in a lesson hour would add a school-time alert on a school day)
        await fake.edit(post["id"], f"bel me straks: {PHONE}", at=AFTER_SCHOOL + MINUTE)
        await fake.settle()
        assert len(data_warnings(fake, "anna")) == 1
        # editing again without new kinds of data: no second warning
        await fake.edit(post["id"], f"bel me straks!! {PHONE}", at=AFTER_SCHOOL + 2 * MINUTE)
        await fake.settle()
        assert len(data_warnings(fake, "anna")) == 1
        # a teacher's edit is a teacher's post: left alone
        theirs = await fake.post("jansen", "algemeen", "bel de conciërge", at=AFTER_SCHOOL)
        await fake.settle()
        await fake.edit(theirs["id"], f"bel de conciërge: {PHONE}", at=AFTER_SCHOOL + 3 * MINUTE)
        await fake.settle()
        assert data_warnings(fake, "jansen") == []
        rows = await bot.app.db.fetchall("SELECT detail, count FROM alerts")
        assert [(r["detail"], r["count"]) for r in rows] == [("phone", 1)]
        assert_no_leak(fake)


async def test_second_look_is_ephemeral_and_leaves_no_trace(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="compass_bot")
    caplog.set_level(logging.INFO)
    async with compass_bot(tmp_path) as (fake, bot):
        opened = await fake.slash("anna", "tweedeblik", {}, channel="algemeen")
        await fake.settle()
        assert opened.modal is not None and opened.modal["title"] == "Tweede blik"
        answer = await fake.submit_modal("anna", opened, {"draft": f"bel {PHONE} vanavond"})
        await fake.settle()
        assert answer.ephemeral
        said = embed_text(answer.callback["data"])  # type: ignore[index]
        assert "een telefoonnummer" in said and "telefoonnummer verborgen" in said
        assert CLAUSE7 in said
        clean = await fake.slash("anna", "tweedeblik", {}, channel="algemeen")
        await fake.settle()
        answer2 = await fake.submit_modal("anna", clean, {"draft": "zin in het weekend"})
        await fake.settle()
        assert answer2.ephemeral and CLAUSE7 in embed_text(answer2.callback["data"])  # type: ignore[index]
        assert "geen telefoonnummers" in embed_text(answer2.callback["data"])  # type: ignore[index]
        touching = await fake.slash("anna", "tweedeblik", {}, channel="algemeen")
        await fake.settle()
        answer3 = await fake.submit_modal("anna", touching, {"draft": ACCOUNT_DRAFT})
        await fake.settle()
        assert answer3.ephemeral and "aanwijzing-2" in fields(answer3.callback["data"])[CLAUSES_NL]  # type: ignore[index]
        assert_no_leak(fake)
        for call in fake.calls:  # the draft is not echoed anywhere: only the clause it touches
            assert "roddels" not in json.dumps(call.json or "", ensure_ascii=False)
        assert await bot.app.db.fetchall("SELECT id FROM alerts") == []
        db_path = bot.app.db.path
    assert_not_stored(db_path)
    for draft_word in ("vanavond", "weekend", "roddels"):
        assert not db_path.read_bytes().count(draft_word.encode())
    logged = bot_log(caplog)
    assert not any(leak in logged for leak in LEAKS) and "vanavond" not in logged
    assert "roddels" not in logged


async def look(fake: FakeDiscord, member: str, draft: str, locale: str = "nl") -> dict[str, str]:
    """/tweedeblik through its modal: the fields of the private answer."""
    opened = await fake.slash(member, "tweedeblik", {}, channel="algemeen", locale=locale)
    await fake.settle()
    answer = await fake.submit_modal(member, opened, {"draft": draft}, locale=locale)
    await fake.settle()
    assert answer.ephemeral and answer.callback is not None
    return fields(answer.callback["data"])


async def test_second_look_lists_touched_clauses_and_the_lesson_time_at_two_moments(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, config_text=BY_ROLE) as (fake, bot):
        bot.app.clock.freeze(LESSON)
        account = await look(fake, "anna", ACCOUNT_DRAFT)
        assert account[CLAUSES_NL] == "• aanwijzing-2 · Compass niet in je accountnaam"
        assert account[TIMING_NL] == "Nu is het lestijd: pas vanaf 12:15."
        assert (await look(fake, "bram", PLAIN_DRAFT))[TIMING_NL] == (
            "Nu is het lestijd: pas vanaf 11:45."  # his year group lunches earlier
        )
        bot.app.clock.freeze(LUNCH)
        plain = await look(fake, "anna", PLAIN_DRAFT)
        assert CLAUSES_NL not in plain  # the matcher refuses it: no clause is guessed
        assert not any("aanwijzing-2" in v or "locatie ·" in v for v in plain.values())
        assert plain[TIMING_NL] == "Nu mag het. Het is nu middagpauze (tot 12:45)."
        assert (await look(fake, "bram", PLAIN_DRAFT))[TIMING_NL] == (
            "Nu is het lestijd: pas vanaf 16:00, na schooltijd."
        )
        english = await look(fake, "anna", ACCOUNT_DRAFT, locale="en-GB")
        assert english["Points of the protocol your draft touches"].startswith("• aanwijzing-2 · ")
        assert english["Posting it now in a social channel?"] == (
            "Fine now: it is the lunch break (until 12:45)."
        )
        # an English draft through the Dutch client: answered in English, as a question is
        fortnite = await look(fake, "anna", "hey guys who wants to play fortnite tonight")
        assert fortnite["Posting it now in a social channel?"] == (
            "Fine now: it is the lunch break (until 12:45)."
        )
        assert TIMING_NL not in fortnite
        assert (await look(fake, "jansen", PLAIN_DRAFT))[TIMING_NL] == (
            "Nu mag het. Medewerkers vallen niet onder de schooltijdregel."
        )
        assert await bot.app.db.fetchall("SELECT id FROM alerts") == []


async def test_erasure_of_a_member_reaches_the_alert_and_the_feature_stores_nothing(
    tmp_path: Path,
) -> None:
    from compass_bot.features.personal_data.service import PersonalDataService

    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", f"bel {PHONE}", at=AFTER_SCHOOL)
        await fake.settle()
        await eventually(lambda: len(alerts(fake)) == 1)
        service = bot.app[PersonalDataService]
        anna = fake.member_id("anna")
        assert await service.erase_member(anna) == {}
        assert await service.purge(AFTER_SCHOOL) == {}
        erased = await fake.slash("mod", "privacy wissen", {"lid": "anna"}, channel=MOD_CHANNEL)
        await fake.settle()
        assert erased.content is not None or erased.embeds
        rows = await bot.app.db.fetchall("SELECT id FROM alerts WHERE member_id = ?", (anna,))
        assert rows == []
