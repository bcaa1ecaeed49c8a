"""`/privacy wissen` takes the erased member's mentions out of what is kept about others: the
alerts about someone else stay, but no longer name them (a real SQLite file, and the console)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from compass_bot.app import App
from compass_bot.features.alerts.model import sanitise_excerpt
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.reports.service import Filed, ReportRequest, ReportService
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.mentions import ERASED_MENTION, MentionOf
from compass_bot.model import Member, MessagePosted, Refusal
from compass_bot.storage.db import to_db
from tests.test_console import run_bot

AMS = ZoneInfo("Europe/Amsterdam")
LESSON = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)
BRAM_ID = 412345678901234567
LONGER_ID = BRAM_ID * 10 + 9  # another member whose id starts with bram's
ANNA = Member(312345678901234567, "anna", ((11, "Leerling"),))
BRAM = Member(BRAM_ID, "bram", ((11, "Leerling"),))
CARL = Member(512345678901234567, "carl", ((11, "Leerling"),))
TEACHER = Member(2, "meneer", ((12, "Docent"),))
MODERATOR = Member(4, "mod", ((13, "Moderator"),))
ALGEMEEN = ChannelInfo(201, "algemeen")


def test_a_mention_is_matched_whole_in_every_stored_form() -> None:
    mention = MentionOf(BRAM_ID, "bram")
    for text in (f"<@{BRAM_ID}>", f"<@!{BRAM_ID}>", f"\\[@{BRAM_ID}\\]", "@bram", "@Bram,"):
        erased, count = mention.erased(text)
        assert count == 1 and erased.startswith(ERASED_MENTION), text
    for text in (f"<@{LONGER_ID}>", f"\\[@!{LONGER_ID}\\]", f"<@&{BRAM_ID}>", "@bramble"):
        assert mention.erased(text) == (text, 0), text
    assert mention.erased("@anna_b", escaped=True)[1] == 0
    assert MentionOf(1, "anna_b").erased("hoi @anna\\_b", escaped=True) == (
        "hoi @\\[gewist lid\\]",
        1,
    )


async def test_erasure_takes_the_mentions_out_of_what_is_kept_about_others(
    service: App,
) -> None:
    text = f"<@{BRAM_ID}> wat ben jij een sukkel zeg <@!{BRAM_ID}>, en jij <@{LONGER_ID}>"
    posted = MessagePosted(ANNA, ALGEMEEN, LESSON, text, message_id=901, guild_id=1)
    outcome = await service[SchoolTimeService].message_posted(posted)
    assert outcome.alert is not None
    alert_id = outcome.alert.id
    assert f"\\[@{BRAM_ID}\\]" in (outcome.alert.excerpt or "")  # as Discord's excerpt keeps it
    noted = await service.alerts.add_note(
        MODERATOR, alert_id, f"gesprek met <@{BRAM_ID}> gehad", LESSON
    )
    assert not isinstance(noted, Refusal)
    filed = await service[ReportService].file(
        ReportRequest(
            CARL,
            ANNA,
            "gegevens",
            LESSON,
            1,
            ALGEMEEN.id,
            902,
            f"kom op <@{BRAM_ID}>",
            note=f"<@{BRAM_ID}> zag het ook",
        )
    )
    assert isinstance(filed, Filed) and filed.alert is not None
    report_alert = filed.alert.id
    await service.db.execute(  # a question stored before mentions were masked
        "INSERT INTO question_feedback (asked_at, question, clause_id, kind)"
        " VALUES (?, ?, NULL, 'unanswered')",
        (to_db(LESSON), f"mag <@{BRAM_ID}> mijn foto posten?"),
    )
    await service.db.commit()
    grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", ANNA.id, "anna", LESSON, 60, reason=f"project met <@{BRAM_ID}>"
    )
    assert not isinstance(grant, Refusal)
    before = await service.alerts.repo.alert(alert_id)
    assert before is not None

    result = await service[PrivacyService].erase(MODERATOR, BRAM_ID, LESSON + timedelta(1))

    assert isinstance(result, dict)
    # two in the excerpt, the note, the report's excerpt, and the reporter's note its reason
    # quotes
    assert result["alert_mentions"] == 5
    assert result["report_mentions"] == 2  # the reporter's note and the snapshot
    assert result["question_mentions"] == 1 and result["grant_mentions"] == 1
    alert = await service.alerts.repo.alert(alert_id)
    assert alert is not None and alert.member_id == ANNA.id  # the alert about anna stays
    assert alert.excerpt == sanitise_excerpt(
        f"{ERASED_MENTION} wat ben jij een sukkel zeg {ERASED_MENTION}, en jij <@{LONGER_ID}>"
    )
    assert alert.note == f"gesprek met {ERASED_MENTION} gehad"
    assert alert.delivery == "pending" and alert.version > before.version  # edited on Discord
    reported = await service.alerts.repo.alert(report_alert)
    assert reported is not None and str(BRAM_ID) not in (reported.detail or "")
    assert ERASED_MENTION in (reported.detail or "")  # the note the alert shows
    left = [
        str(value)
        for table, column in (
            ("alerts", "excerpt"),
            ("alerts", "note"),
            ("alerts", "detail"),
            ("member_reports", "note"),
            ("member_reports", "excerpt"),
            ("question_feedback", "question"),
            ("permission_grants", "reason"),
        )
        for (value,) in await service.db.fetchall(f"SELECT {column} FROM {table}")
        if value is not None
    ]
    assert left and not [v for v in left if str(BRAM_ID) in v.replace(str(LONGER_ID), "")]
    running = service[SchoolTimeService].grants(LESSON)
    assert [g.reason for g in running] == [f"project met {ERASED_MENTION}"]


async def test_the_console_label_is_a_mention_too_and_a_longer_name_is_not(
    service: App,
) -> None:
    posted = MessagePosted(
        ANNA, ALGEMEEN, LESSON, "@bram wat ben jij een sukkel zeg, @bramble", message_id=903
    )
    outcome = await service[SchoolTimeService].message_posted(posted)
    assert outcome.alert is not None
    result = await service[PrivacyService].erase(MODERATOR, BRAM_ID, LESSON, label="bram")
    assert isinstance(result, dict) and result["alert_mentions"] == 1
    alert = await service.alerts.repo.alert(outcome.alert.id)
    assert alert is not None
    assert alert.excerpt == sanitise_excerpt(
        f"{ERASED_MENTION} wat ben jij een sukkel zeg, @bramble"
    )


def test_console_erasure_leaves_no_mention_in_the_others_alerts(tmp_path: Path) -> None:
    """The tester's case: anna's alert quoted "@bram ..." after bram was erased."""
    script = "/tijd 2026-11-24 10:15\n/als leerling bram\n/als leerling anna\n"
    script += "@bram wat ben jij een sukkel zeg\n"
    script += "/als moderator mo\n/privacy wissen bram\n/meldingen open\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    erased = out.split("Alles over bram gewist")[1]
    assert "1 vermelding in meldingen over anderen" in erased
    assert "Bericht: @[gewist lid] wat ben jij een sukkel zeg" in erased
    assert "@bram" not in erased and "Lid: anna" in erased.split("1 open melding:")[1]


def test_an_excerpt_is_never_cut_inside_a_mention() -> None:
    """Cut at 200 characters inside "[@4123…", a mention could not be found whole by an
    erasure, and most of the erased member's id stayed: the cut goes before it."""
    text = "x" * 190 + f" <@{BRAM_ID}> en de rest van het bericht"
    excerpt = sanitise_excerpt(text)
    assert excerpt.endswith("…") and "@4123" not in excerpt and "\\[" not in excerpt
    assert MentionOf(BRAM_ID).erased(sanitise_excerpt("x" * 100 + f" <@{BRAM_ID}>"), True)[1] == 1


async def test_an_erasure_takes_a_mention_out_of_a_report_alerts_reason(service: App) -> None:
    """The reason of a report alert quotes reporters' notes; after the retention purge took a
    note from its report the alert's reason could still hold it: the erasure cleans the reason
    itself too."""
    filed = await service[ReportService].file(
        ReportRequest(
            CARL, ANNA, "pesten", LESSON, 1, ALGEMEEN.id, 903, "hoi", note=f"ook <@{BRAM_ID}>"
        )
    )
    assert isinstance(filed, Filed) and filed.alert is not None
    await service.db.execute("UPDATE member_reports SET note = NULL")  # as the purge leaves it
    await service.db.commit()
    result = await service[PrivacyService].erase(MODERATOR, BRAM_ID, LESSON + timedelta(1))
    assert isinstance(result, dict) and result["alert_mentions"] == 1
    alert = await service.alerts.repo.alert(filed.alert.id)
    assert alert is not None and str(BRAM_ID) not in (alert.detail or "")
