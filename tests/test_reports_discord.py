"""Reports through the real bot and the fake Discord: the menus, the form, one alert per
message with its snapshot and count, the reporter hidden everywhere, refusals, the buttons
(also after a restart) and erasure."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from compass_bot.discord_front.failures import FAILED
from compass_bot.features.reports.discord_ext import UNREADABLE
from compass_bot.features.reports.service import ReportService
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import ChannelSpec, FakeDiscord, MemberSpec
from tests.test_discord_alerts import (
    alert_messages,
    audit_actions,
    eventually,
    fields,
    unescape,
)

pytestmark = pytest.mark.timeout(60)
CHANNEL = "huiswerk"  # not watched by the school-time rule: the only alerts are reports
GUILD = dataclasses.replace(
    SCHOOL,
    members=[
        *SCHOOL.members,
        MemberSpec("carla", roles=["Leerling"]),
        MemberSpec("daan", roles=["Leerling"]),
    ],
)


async def report(
    fake: FakeDiscord, reporter: str, message_id: str, reason: str = "pesten", note: str = ""
) -> Any:
    opened = await fake.message_command(reporter, "Melden bij moderatoren", message_id)
    await fake.settle()
    if opened.modal is None:
        return opened
    values: dict[str, Any] = {"reason": reason}
    if note:
        values["note"] = note
    submitted = await fake.submit_modal(reporter, opened, values)
    await fake.settle()
    return submitted


async def test_both_menus_are_registered_with_dutch_names_and_english_localizations(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, _bot):
        puts = fake.find_calls("PUT", "/applications/*/guilds/*/commands")
        sent = {c["name"]: c for c in puts[-1].json}
        english = {"en-US": "Report to moderators", "en-GB": "Report to moderators"}
        assert sent["Melden bij moderatoren"]["type"] == 3
        assert sent["Melden bij moderatoren"]["name_localizations"] == english
        assert sent["Lid melden"]["type"] == 2
        assert sent["Lid melden"]["name_localizations"] == {
            "en-US": "Report member",
            "en-GB": "Report member",
        }
        assert sent["melden"]["type"] == 1
        assert fake.invalid_requests == []


async def test_a_report_through_the_form_gives_one_alert_with_the_snapshot(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post(
            "bram",
            CHANNEL,
            "anna is zo dom @everyone **haha**",
            at=LESSON,
            attachments=["foto_anna.jpg", "b.png"],
        )
        await fake.settle()
        opened = await fake.message_command("anna", "Melden bij moderatoren", msg["id"])
        await fake.settle()
        assert opened.modal is not None
        await fake.delete(msg["id"])  # deleted before the form is sent: the snapshot stays
        await fake.settle()
        done = await fake.submit_modal("anna", opened, {"reason": "pesten", "note": "al weken"})
        await fake.settle()
        assert done.ephemeral
        text = done.data["content"]
        clause = bot.app.book["aanwijzing-9"].text
        assert clause in text and "nooit" in text and "mentor" in text
        await eventually(lambda: len(alert_messages(fake)) == 1)
        [alert] = alert_messages(fake)
        f = fields(alert["embeds"][0])
        assert f"<@{fake.member_id('bram')}>" in f["Lid"]
        assert "anna is zo dom" in unescape(f["Bericht"]) and "@everyone" not in f["Bericht"]
        assert "\\*\\*haha" in f["Bericht"]
        reason = unescape(f["Reden"])
        assert "Pesten of uitschelden (aanwijzing-5)" in reason
        assert "foto_anna.jpg" in reason and "(2)" in reason and "al weken" in reason
        assert f["Aantal keer"] == "1"
        labels = {b["label"] for row in alert["components"] for b in row["components"]}
        assert {"Bericht verwijderen", "Auteur waarschuwen", "Afgehandeld"} <= labels


def bodies(fake: FakeDiscord, since: int = 0) -> str:
    """Every request body the bot sent (JSON and uploaded files), as one text."""
    parts: list[str] = []
    for call in fake.calls[since:]:
        parts.append(json.dumps(call.json))
        parts.extend(f.data.decode("utf-8", "replace") for f in call.files)
    return "\n".join(parts)


async def test_three_reporters_make_one_alert_with_count_3_and_stay_hidden(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "jullie zijn allemaal sukkels", at=LESSON)
        await fake.settle()
        start = len(fake.calls)
        for reporter, reason in (("anna", "pesten"), ("carla", "pesten"), ("daan", "anders")):
            done = await report(fake, reporter, msg["id"], reason)
            assert done.ephemeral
        again = await report(fake, "anna", msg["id"], "pesten")  # an exact repeat
        assert again.ephemeral and "al gemeld" in again.data["content"]
        await eventually(
            lambda: [fields(m["embeds"][0])["Aantal keer"] for m in alert_messages(fake)] == ["3"]
        )
        [alert] = alert_messages(fake)
        reason = unescape(fields(alert["embeds"][0])["Reden"])
        assert "×2" in reason and "Iets anders (aanwijzing-9) ×1" in reason and "3" in reason
        assert len(await bot.app.alerts.repo.alerts()) == 1
        # The author is warned: the DM cites the clause most reporters chose, verbatim.
        warned = await fake.click("mod", alert["id"], label="Auteur waarschuwen")
        await fake.settle()
        assert warned.callback_type == 7
        assert [m["content"] for m in warned.followups] == [
            "De auteur heeft een waarschuwing gekregen (DM). / The author was sent a warning (DM)."
        ]
        assert all(m["flags"] & 64 for m in warned.followups)  # ephemeral
        [dm] = fake.dms_sent("bram")
        shown = json.dumps(dm["embeds"], ensure_ascii=False)
        assert bot.app.book["aanwijzing-5"].text in shown
        # ... and then in English, as every DM to a student
        assert "A moderator of the school server looked at" in shown
        assert bot.app.book["aanwijzing-5"].text_en in shown
        export = await fake.slash("mod", "meldingen export", {"van": "2026-11-20"})
        await fake.settle()
        assert export.ephemeral
        sent = bodies(fake, start)
        assert "sukkels" in sent  # the snapshot reached the alert ...
        assert str(fake.member_id("bram")) in export_csv(fake, start)
        for reporter in ("anna", "carla", "daan"):  # ... but no reporter reached anything:
            # not the alert (posts and edits), the DM to bram, the answers, nor the CSV
            assert str(fake.member_id(reporter)) not in sent
        rows = list(csv.DictReader(io.StringIO(export_csv(fake, start))))
        assert [int(r["member_id"]) for r in rows] == [fake.member_id("bram")]
        assert ("report.warn", fake.member_id("mod")) in await audit_actions(bot)


def export_csv(fake: FakeDiscord, since: int) -> str:
    [upload] = [f for c in fake.calls[since:] for f in c.files if f.filename.endswith(".csv")]
    return str(upload.data.decode("utf-8"))


LIMIT_2 = (
    TEST_CONFIG
    + '\nreports:\n  max_per_hour: 2\n  contacts: ["Mevrouw De Vries, vertrouwenspersoon"]\n'
)
BOT_GUILD = dataclasses.replace(
    GUILD, members=[*GUILD.members, MemberSpec("robot", roles=[], bot=True)]
)


async def test_refusals_and_the_hourly_limit_are_private_and_store_nothing(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, BOT_GUILD, LIMIT_2) as (fake, bot):
        own = await fake.post("anna", CHANNEL, "mijn eigen bericht", at=LESSON)
        posts = [await fake.post("bram", CHANNEL, f"bericht {i}", at=LESSON) for i in range(3)]
        await fake.settle()
        yourself = await report(fake, "anna", own["id"])
        assert yourself.ephemeral and "jezelf" in yourself.data["content"]
        robot = await fake.user_command("anna", "Lid melden", "robot")
        await fake.settle()
        assert robot.ephemeral and "bots" in robot.data["content"]
        first = await report(fake, "anna", posts[0]["id"])
        assert "Mevrouw De Vries, vertrouwenspersoon" in first.data["content"]
        await report(fake, "anna", posts[1]["id"])
        limited = await report(fake, "anna", posts[2]["id"])
        assert limited.ephemeral and "2 meldingen" in limited.data["content"]
        # an hour later the limit has room again; refused reports never counted
        bot.app.clock.advance(timedelta(minutes=61))
        later = await report(fake, "anna", posts[2]["id"])
        assert later.modal is None and "Bedankt" in later.data["content"]
        # a channel the reporter cannot see: refused, by link
        hidden = await fake.post("mod", "mod-meldingen", "intern", at=LESSON)
        await fake.settle()
        link = f"https://discord.com/channels/{fake.guild_id}/{fake.channel_id('mod-meldingen')}/{hidden['id']}"
        unseen = await fake.slash("carla", "melden", {"bericht": link})
        await fake.settle()
        assert unseen.ephemeral and "niet zien" in unseen.data["content"]
        rows = await bot.app.db.fetchall("SELECT reporter_id FROM member_reports")
        assert len(rows) == 3
        english = await fake.message_command(
            "carla", "Report to moderators", posts[0]["id"], locale="en-US"
        )
        await fake.settle()
        assert english.modal is not None and english.modal["title"] == "Report to moderators"


async def test_melden_by_link_and_by_member_for_clients_without_menus(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "kijk dit adres", at=LESSON)
        await fake.settle()
        link = (
            f"https://discord.com/channels/{fake.guild_id}/{fake.channel_id(CHANNEL)}/{msg['id']}"
        )
        opened = await fake.slash("anna", "melden", {"bericht": link})
        await fake.settle()
        assert opened.modal is not None
        await fake.submit_modal("anna", opened, {"reason": "gegevens"})
        member = await fake.slash("carla", "melden", {"lid": "bram"})
        await fake.settle()
        await fake.submit_modal("carla", member, {"reason": "naam"})
        both = await fake.slash("carla", "melden")
        await fake.settle()
        assert both.ephemeral and both.modal is None
        await eventually(lambda: len(alert_messages(fake)) >= 1)
        stored = await bot.app.db.fetchall("SELECT * FROM member_reports ORDER BY id")
        assert [(r["reason"], r["message_id"] is None) for r in stored] == [
            ("gegevens", False),
            ("naam", True),
        ]


async def test_erasure_as_reporter_and_as_reported(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        a = await fake.post("bram", CHANNEL, "eerste", at=LESSON)
        b = await fake.post("carla", CHANNEL, "tweede", at=LESSON)
        await fake.settle()
        await report(fake, "anna", a["id"])
        await report(fake, "anna", b["id"])
        await report(fake, "daan", b["id"])
        erased = await fake.slash("mod", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        assert erased.ephemeral
        left = await bot.app.db.fetchall("SELECT reporter_id, reported_id FROM member_reports")
        assert [(r["reporter_id"], r["reported_id"]) for r in left] == [
            (fake.member_id("daan"), fake.member_id("carla"))
        ]
        await fake.slash("mod", "privacy wissen", {"lid": "carla"})
        await fake.settle()
        assert await bot.app.db.fetchall("SELECT * FROM member_reports") == []
        assert [a.member_id for a in await bot.app.alerts.repo.alerts()] == [fake.member_id("bram")]


async def test_the_buttons_are_role_checked_audited_and_work_after_a_restart(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path)
    async with FakeDiscord(GUILD) as fake:
        async with running_compass(fake, loaded):
            msg = await fake.post("bram", CHANNEL, "weg ermee", at=LESSON)
            await fake.settle()
            await report(fake, "anna", msg["id"])
            await eventually(lambda: len(alert_messages(fake)) == 1)
            await fake.settle()
        [alert] = alert_messages(fake)
        async with running_compass(fake, loaded) as bot:
            for label in ("Bericht verwijderen", "Auteur waarschuwen"):
                refused = await fake.click("anna", alert["id"], label=label)
                await fake.settle()
                assert refused.ephemeral and "moderatoren" in refused.data["content"]
            assert fake.dms_sent("bram") == []
            deleted = await fake.click("mod", alert["id"], label="Bericht verwijderen")
            await fake.settle()
            assert deleted.callback_type == 7
            assert [m["content"] for m in deleted.followups] == [
                "Het gemelde bericht is verwijderd. / The reported message was deleted."
            ]
            assert fake.find_calls("DELETE", f"/channels/*/messages/{msg['id']}")
            again = await fake.click("mod", alert["id"], label="Bericht verwijderen")
            await fake.settle()
            assert again.ephemeral and again.data["content"] == (
                "Het bericht is al verwijderd. / The message was already deleted."
            )
            # the snapshot survives the deletion
            assert "weg ermee" in unescape(
                fields(fake.message(alert["id"])["embeds"][0])["Bericht"]
            )
            assert ("report.delete", fake.member_id("mod")) in await audit_actions(bot)
            assert bot.app[ReportService] is not None


async def test_a_failure_while_filing_answers_the_reporter_privately(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Storage trouble (or any bug) while the form is handled: one private line, logged;
    never a silent form and nothing in the channel."""
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "iets gemeens", at=LESSON)
        await fake.settle()

        async def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the disk is gone")

        monkeypatch.setattr(bot.app[ReportService], "file", broken)
        with caplog.at_level(logging.ERROR):
            done = await report(fake, "anna", msg["id"])
        assert done.ephemeral and done.data["content"] == FAILED
        assert "a report failed" in caplog.text
        assert alert_messages(fake) == []


def message_link(fake: FakeDiscord, channel: str | int, message_id: object) -> str:
    channel_id = fake.channel_id(channel) if isinstance(channel, str) else channel
    return f"https://discord.com/channels/{fake.guild_id}/{channel_id}/{message_id}"


def report_log(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "compass_bot.discord.reports"]


@pytest.mark.parametrize("status", [403, 500, 503])
async def test_a_linked_message_the_bot_cannot_read_is_said_so_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    """403 (the bot may not read there) or Discord failing (500: discord.py retries it past
    the interaction's 3 s, so the read is cut short; 503 at once) is not 'you cannot see
    that channel': the reporter hears the bot cannot read it now and how to report it from
    the message; one warning line with the channel and the status, never the text or the
    reporter. Nothing is stored: a report needs the message's author."""
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "iets heel gemeens", at=LESSON)
        await fake.settle()
        cog: Any = bot.get_cog("Reports")  # the extension's own module: no isinstance
        cog.fetch_seconds = 0.5  # the budget, short for the test (2 s in use)
        channel_id = fake.channel_id(CHANNEL)
        fake.fail_always("GET", f"/channels/{channel_id}/messages/{msg['id']}", status)
        with caplog.at_level(logging.WARNING, logger="compass_bot.discord.reports"):
            answer = await fake.slash(
                "anna", "melden", {"bericht": message_link(fake, CHANNEL, msg["id"])}
            )
            await fake.settle()
        assert answer.ephemeral and answer.modal is None
        assert answer.data["content"] == UNREADABLE
        assert UNREADABLE.startswith("De bot kan dat bericht nu niet lezen")
        assert "Apps > Melden bij moderatoren" in UNREADABLE and "The bot cannot" in UNREADABLE
        [line] = report_log(caplog)
        assert str(channel_id) in line
        assert (str(status) in line) if status != 500 else ("no answer within 0.5 s" in line)
        assert "gemeens" not in caplog.text and str(fake.member_id("anna")) not in caplog.text
        assert await bot.app.db.fetchall("SELECT * FROM member_reports") == []
        fake.clear_failures()
        # the menu hands the bot the message itself: the same report goes through
        done = await report(fake, "anna", msg["id"])
        assert done.ephemeral and "Bedankt" in done.data["content"]


async def test_a_hiccup_within_the_budget_still_opens_the_form(tmp_path: Path) -> None:
    """One 500 is retried by discord.py after a second: the form opens as usual."""
    async with compass_bot(tmp_path, GUILD) as (fake, _bot):
        msg = await fake.post("bram", CHANNEL, "nog een gemeen bericht", at=LESSON)
        await fake.settle()
        channel_id = fake.channel_id(CHANNEL)
        fake.fail_next("GET", f"/channels/{channel_id}/messages/{msg['id']}", 500)
        opened = await fake.slash(
            "anna", "melden", {"bericht": message_link(fake, CHANNEL, msg["id"])}
        )
        await fake.settle()
        assert opened.modal is not None


THREADED = dataclasses.replace(
    GUILD,
    channels=[
        *GUILD.channels,
        ChannelSpec("oud-project", kind="thread", parent=CHANNEL, owner="bram", archived=True),
    ],
)


async def test_a_channel_missing_from_the_cache_is_asked_of_discord(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An archived thread is not in the bot's cache: the bot asks Discord for it, and the
    message can be reported by link. A channel Discord does not know keeps 'you cannot see
    it, or it does not exist'; one Discord will not show the bot is 'cannot read it now'."""
    async with compass_bot(tmp_path, THREADED) as (fake, bot):
        thread_id = fake.channel_id("oud-project")
        assert bot.get_channel(thread_id) is None  # archived: not in the cache
        msg = await fake.post("bram", "oud-project", "een oud gemeen bericht", at=LESSON)
        await fake.settle()
        link = message_link(fake, thread_id, msg["id"])
        opened = await fake.slash("anna", "melden", {"bericht": link})
        await fake.settle()
        assert opened.modal is not None
        await fake.submit_modal("anna", opened, {"reason": "pesten"})
        await fake.settle()
        [stored] = await bot.app.db.fetchall("SELECT * FROM member_reports")
        assert stored["reported_id"] == fake.member_id("bram")
        assert stored["channel_id"] == thread_id
        gone = await fake.slash(
            "carla",
            "melden",
            {"bericht": message_link(fake, 1234567890123456789, 1234567890123456789)},
        )
        await fake.settle()
        assert gone.ephemeral and "niet zien" in gone.data["content"]
        fake.fail_always("GET", f"/channels/{thread_id}", 403, code=50001)
        with caplog.at_level(logging.WARNING, logger="compass_bot.discord.reports"):
            hidden = await fake.slash("carla", "melden", {"bericht": link})
            await fake.settle()
        assert hidden.ephemeral and hidden.data["content"] == UNREADABLE
        [line] = report_log(caplog)
        assert str(thread_id) in line and "403" in line


async def test_a_repeat_through_the_form_adds_its_new_reason_and_note(tmp_path: Path) -> None:
    """Anna reports bram's message again: the form opens (it may bring something new); the
    same reason without a note is 'al gemeld'; a new reason with a note edits the one alert
    (both reasons, the note masked, anna counted once) and she is told it was added. A note
    that fit the form's 500 is kept whole, also when masking made it longer, and she is not
    told it was cut."""
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "jij bent zo dom", at=LESSON)
        await fake.settle()
        first = await report(fake, "anna", msg["id"], "pesten")
        assert "Bedankt" in first.data["content"]
        await eventually(lambda: len(alert_messages(fake)) == 1)
        same = await report(fake, "anna", msg["id"], "pesten")
        assert same.ephemeral and same.data["content"] == (
            "Je hebt dit al gemeld; de moderatoren hebben je melding."
        )
        start = len(fake.calls)
        added = await report(
            fake, "anna", msg["id"], "gegevens", "hij zette mijn nummer erin: 06-12345678"
        )
        assert added.ephemeral and added.data["content"] == (
            "Aangevuld: de moderatoren zien je nieuwe reden en toelichting bij je eerdere melding."
        )

        def shown() -> dict[str, str]:
            [alert] = alert_messages(fake)
            return fields(alert["embeds"][0])

        await eventually(lambda: "aanwijzing-6" in shown()["Reden"])
        reason = unescape(shown()["Reden"])
        assert "Pesten of uitschelden (aanwijzing-5) ×1" in reason
        assert "Gegevens of foto's van iemand zonder toestemming (aanwijzing-6) ×1" in reason
        assert "hij zette mijn nummer erin" in reason and "gemeld door 1 lid" in reason
        assert shown()["Aantal keer"] == "1"
        sent = bodies(fake, start)
        [alert] = alert_messages(fake)
        edits = [c for c in fake.calls[start:] if c.matches("PATCH", "/channels/*/messages/*")]
        assert edits and all(c.path.endswith(f"/{alert['id']}") for c in edits)  # edited
        assert "12345678" not in sent and str(fake.member_id("anna")) not in sent
        assert len(await bot.app.alerts.repo.alerts()) == 1
        # 500 characters in the form, longer once the numbers in it are masked
        note = ("ze gaf 06-12345678 door. " * 20)[:500]
        whole = await report(fake, "anna", msg["id"], "anders", note)
        assert whole.data["content"] == (
            "Aangevuld: de moderatoren zien je nieuwe reden en toelichting bij je eerdere melding."
        )
        [kept] = await bot.app.db.fetchall(
            "SELECT note FROM member_reports WHERE reason = 'anders'"
        )
        assert kept["note"] == ("ze gaf [telefoonnummer verborgen] door. " * 20).strip()


async def test_a_repeat_of_a_member_in_english_is_answered_in_english(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, _bot):
        first = await fake.user_command("anna", "Report member", "bram", locale="en-US")
        await fake.settle()
        assert first.modal is not None
        await fake.submit_modal("anna", first, {"reason": "naam"}, locale="en-US")
        await fake.settle()
        again = await fake.user_command("anna", "Report member", "bram", locale="en-US")
        await fake.settle()
        assert again.modal is not None
        done = await fake.submit_modal(
            "anna", again, {"reason": "naam", "note": "his name says Compass"}, locale="en-US"
        )
        await fake.settle()
        assert done.ephemeral and done.data["content"] == (
            "Added: the moderators see your new note with your earlier report."
        )
