"""Reports: "Melder tonen" for leadership (config, audited, never for moderators, never to the
reported member or the channel) and the optional "je melding is bekeken" DM to reporters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compass_bot.features.reports import texts
from compass_bot.features.reports.service import ReportService
from compass_bot.model import Member, Refusal
from tests.conftest import TEST_CONFIG
from tests.discord_env import LESSON, compass_bot
from tests.fakediscord import FakeDiscord
from tests.test_discord_alerts import alert_messages, audit_actions, eventually
from tests.test_reports_discord import CHANNEL, GUILD, report

pytestmark = pytest.mark.timeout(60)
REVEAL = TEST_CONFIG + "\nreports:\n  reveal_reporter: leadership\n"
NOTIFY = TEST_CONFIG + "\nreports:\n  notify_reporter: true\n"


def labels(alert: dict[str, object]) -> set[str]:
    rows = alert.get("components") or []
    assert isinstance(rows, list)
    return {b["label"] for row in rows for b in row["components"]}


def carrying(fake: FakeDiscord, text: str, since: int = 0) -> list[object]:
    """The calls whose body holds `text`."""
    return [c for c in fake.calls[since:] if text in json.dumps(c.json)]


async def test_leadership_reveals_privately_and_audited_a_moderator_never(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, GUILD, REVEAL) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "sukkel", at=LESSON)
        await fake.settle()
        start = len(fake.calls)
        await report(fake, "anna", msg["id"])
        await report(fake, "daan", msg["id"])
        await eventually(lambda: len(alert_messages(fake)) == 1)
        [alert] = alert_messages(fake)
        assert "Melder tonen" in labels(alert)
        refused = await fake.click("mod", alert["id"], label="Melder tonen")
        await fake.settle()
        assert refused.ephemeral and "schoolleiding" in refused.data["content"]
        assert ("report.reveal", fake.member_id("mod")) not in await audit_actions(bot)
        shown = await fake.click("rector", alert["id"], label="Melder tonen")
        await fake.settle()
        assert shown.ephemeral
        assert shown.data["allowed_mentions"]["parse"] == []
        for who in ("anna", "daan"):
            assert fake.mention(who) in shown.data["content"]
        assert ("report.reveal", fake.member_id("rector")) in await audit_actions(bot)
        # the reporters' ids went only into that private answer: not the channel, the alert
        # or the reported member (warned by DM after the reveal)
        await fake.click("mod", alert["id"], label="Auteur waarschuwen")
        await fake.settle()
        assert fake.dms_sent("bram")
        for who in ("anna", "daan"):
            calls = carrying(fake, str(fake.member_id(who)), start)
            assert calls and all("/interactions/" in c.path for c in calls)  # type: ignore[attr-defined]
            assert all(c.json["data"]["flags"] & 64 for c in calls)  # type: ignore[attr-defined]
        assert str(fake.member_id("anna")) not in json.dumps(fake.dms_sent("bram"))
        # erasure of a reporter still works: the reveal no longer knows them
        await fake.slash("mod", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        again = await fake.click("rector", alert["id"], label="Melder tonen")
        await fake.settle()
        assert again.data["content"] == (
            f"Gemeld door / Reported by: {fake.mention('daan')}. Dit inzien is vastgelegd in het "
            "auditlog; deel het met niemand. / Viewing this is recorded in the audit log; share "
            "it with nobody."
        )


async def test_reveal_is_off_by_default_with_a_clear_refusal(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "sukkel", at=LESSON)
        await fake.settle()
        await report(fake, "anna", msg["id"])
        await eventually(lambda: len(alert_messages(fake)) == 1)
        [alert] = alert_messages(fake)
        assert "Melder tonen" not in labels(alert)
        [stored] = await bot.app.alerts.repo.alerts()
        rector = Member(fake.member_id("rector"), "rector", frozenset({"Schoolleiding"}))
        result = await bot.app[ReportService].reveal(rector, stored.id, bot.app.clock.now())
        assert result == Refusal(texts.REVEAL_OFF)
        assert [a for a, _ in await audit_actions(bot) if a == "report.reveal"] == []


async def test_reporters_get_a_detail_free_dm_once_a_moderator_handled_it(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, GUILD, NOTIFY) as (fake, _bot):
        msg = await fake.post("bram", CHANNEL, "jij bent dom", at=LESSON)
        await fake.settle()
        for who in ("anna", "carla", "daan"):
            await report(fake, who, msg["id"])
        await eventually(lambda: len(alert_messages(fake)) == 1)
        await fake.slash("mod", "privacy wissen", {"lid": "daan"})  # erased: not thanked
        await fake.settle()
        [alert] = alert_messages(fake)
        assert "Melder tonen" not in labels(alert)
        done = await fake.click("mod", alert["id"], label="Afgehandeld")
        await fake.settle()
        assert done.callback_type == 7
        await eventually(lambda: bool(fake.dms_sent("anna")) and bool(fake.dms_sent("carla")))
        for who in ("anna", "carla"):
            [dm] = fake.dms_sent(who)
            sent = json.dumps(dm, ensure_ascii=False)
            assert dm["content"] == texts.LOOKED_AT
            assert "Je melding is bekeken" in sent and "dom" not in sent
            assert str(fake.member_id("bram")) not in sent and "Afgehandeld" not in sent
        assert fake.dms_sent("daan") == [] and fake.dms_sent("bram") == []


async def test_no_dm_to_reporters_unless_configured(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, GUILD) as (fake, _bot):
        msg = await fake.post("bram", CHANNEL, "jij bent dom", at=LESSON)
        await fake.settle()
        await report(fake, "anna", msg["id"])
        await eventually(lambda: len(alert_messages(fake)) == 1)
        [alert] = alert_messages(fake)
        await fake.click("mod", alert["id"], label="Onterecht")
        await fake.settle()
        await fake.settle()
        assert fake.dms_sent("anna") == []
