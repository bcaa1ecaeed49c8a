"""Reports through the real bot and the fake Discord: the menus, the form, one alert per
message with its snapshot and count, the reporter hidden everywhere, refusals, the buttons
(also after a restart) and erasure."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from tests.discord_env import LESSON, SCHOOL, compass_bot
from tests.fakediscord import FakeDiscord, MemberSpec
from tests.test_discord_alerts import alert_messages, eventually, fields, unescape

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
