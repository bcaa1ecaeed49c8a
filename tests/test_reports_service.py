"""The report service on a real SQLite file: retention drops the snapshot, note and reporter."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from compass_bot.app import App
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.reports.service import Filed, ReportRequest, ReportService
from compass_bot.model import Member

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
ANNA, BRAM = Member(1, "anna"), Member(2, "bram")


async def test_the_purge_drops_snapshot_note_and_reporter_after_retention(service: App) -> None:
    reports = service[ReportService]
    filed = await reports.file(
        ReportRequest(
            ANNA, BRAM, "gegevens", T0, 9, 10, 11, "06-12345678", ("a.png",), note="mijn nummer"
        )
    )
    assert isinstance(filed, Filed) and filed.alert is not None
    kept = await service.db.fetchone("SELECT * FROM member_reports")
    assert kept["excerpt"] and kept["note"] and kept["reporter_id"] == ANNA.id
    await service[PrivacyService].purge_expired(T0 + timedelta(days=1))  # not yet expired
    assert (await service.db.fetchone("SELECT * FROM member_reports"))["note"] == "mijn nummer"
    await service[PrivacyService].purge_expired(T0 + timedelta(days=40))
    row = await service.db.fetchone("SELECT * FROM member_reports")
    assert (row["excerpt"], row["note"], row["attachments"], row["reporter_id"]) == (
        None,
        None,
        None,
        None,
    )
    alert = await service.alerts.repo.alert(filed.alert.id)
    assert alert is not None and alert.excerpt is None and alert.detail is None


async def test_erasing_a_reporter_takes_their_note_out_of_the_alert_they_fed(service: App) -> None:
    """Anna and Carl report Bram with a note each; erasing Anna leaves Carl's report, and the
    alert (and so its message, edited) no longer shows Anna's note or counts her."""
    import json

    carl = Member(3, "carl")
    reports = service[ReportService]
    first = await reports.file(
        ReportRequest(ANNA, BRAM, "pesten", T0, 9, 10, 11, "jij weer", (), note="anna zag het")
    )
    second = await reports.file(
        ReportRequest(
            carl, BRAM, "pesten", T0 + timedelta(minutes=1), 9, 10, 11, "jij weer", (),
            note="carl ook",
        )
    )  # fmt: skip
    assert isinstance(first, Filed) and isinstance(second, Filed) and first.alert is not None
    alert_id = first.alert.id
    before = await service.alerts.repo.alert(alert_id)
    assert before is not None and before.count == 2 and "anna zag het" in (before.detail or "")

    await reports.erase_member(ANNA.id)
    after = await service.alerts.repo.alert(alert_id)
    assert after is not None and after.count == 1 and after.delivery == "pending"
    shown = json.loads(after.detail or "{}")
    assert shown["notes"] == ["carl ook"] and shown["reporters"] == 1

    await reports.erase_member(carl.id)
    last = await service.alerts.repo.alert(alert_id)
    assert last is not None and json.loads(last.detail or "{}")["notes"] == []


async def test_an_automod_hit_on_a_reported_member_keeps_the_reports_alert(service: App) -> None:
    """AutoMod cites aanwijzing-9 by default, the clause of reports: its hit on a reported
    member is its own alert, and the report's reason and message stay as they were."""
    from compass_bot.features.automod.service import AutoModHit, AutoModService

    reports = service[ReportService]
    filed = await reports.file(
        ReportRequest(ANNA, BRAM, "pesten", T0, 9, 10, 11, "jij weer", (), note="zag het")
    )
    assert isinstance(filed, Filed) and filed.alert is not None
    before = await service.alerts.repo.alert(filed.alert.id)
    hit = AutoModHit(BRAM, T0 + timedelta(minutes=2), 9, 77, "Reclame", "*gratis*", 10, 99)
    automod_alert, created = await service[AutoModService].hit(hit)
    assert created and automod_alert is not None and automod_alert.id != filed.alert.id
    after = await service.alerts.repo.alert(filed.alert.id)
    assert after is not None and before is not None
    assert (after.message_id, after.detail, after.count) == (11, before.detail, 1)
    again, created_again = await service[AutoModService].hit(
        dataclasses.replace(hit, at=T0 + timedelta(minutes=3))
    )
    assert not created_again and again is not None and again.id == automod_alert.id


async def test_a_reporters_note_reaches_the_moderators_with_other_peoples_data_masked(
    service: App,
) -> None:
    """The note is the reporter's own words, often quoting what was posted: a phone number
    or e-mail address in it is masked as in the post's excerpt, in the store and the alert."""
    reports = service[ReportService]
    filed = await reports.file(
        ReportRequest(
            ANNA, BRAM, "anders", T0, 9, 10, 11, "hoi", (),
            note="ze zei: bel 06-55556666 of anna@example.nl",
        )
    )  # fmt: skip
    assert isinstance(filed, Filed) and filed.alert is not None
    alert = await service.alerts.repo.alert(filed.alert.id)
    kept = await service.db.fetchone("SELECT note FROM member_reports")
    for shown in (alert.detail if alert else None, kept["note"] if kept else None):
        assert shown is not None and "ze zei" in shown
        assert "55556666" not in shown and "anna@example.nl" not in shown


async def test_a_note_that_fits_is_kept_whole_however_long_its_masks_make_it(
    service: App,
) -> None:
    """A note just under the limit ends in a phone number: its mask makes it longer than
    the limit, yet nothing is cut and the reporter is not told it was; a note over the limit
    is cut and she is told, and a number at the cut is masked, not halved."""
    reports = service[ReportService]
    under = "x" * 487 + " 06-12345678"
    assert len(under) == 499
    filed = await reports.file(
        ReportRequest(ANNA, BRAM, "anders", T0, 9, 10, 11, "hoi", (), note=under)
    )
    assert isinstance(filed, Filed) and "ingekort" not in filed.confirmation
    kept = await service.db.fetchone("SELECT note FROM member_reports")
    assert kept["note"] == "x" * 487 + " [telefoonnummer verborgen]"

    over = "y" * 495 + " 06-12345678 " + "z" * 20
    carl = Member(3, "carl")
    cut = await reports.file(
        ReportRequest(carl, BRAM, "anders", T0, 9, 10, 11, "hoi", (), note=over)
    )
    assert isinstance(cut, Filed)
    assert cut.confirmation.endswith("Je toelichting was te lang en is ingekort tot 500 tekens.")
    [last] = await service.db.fetchall("SELECT note FROM member_reports WHERE reporter_id = 3")
    assert last["note"].startswith("y" * 495) and len(last["note"]) == 500
    assert "06-1" not in last["note"] and "z" not in last["note"]


async def test_an_addition_keeps_no_second_copy_of_the_reported_message(service: App) -> None:
    """Anna adds a reason, then a note, to her report: the message's excerpt and attachment
    names are stored once (with her first report), the alert still shows the files, and
    the purge and her erasure still clear every row."""
    import json

    reports = service[ReportService]
    for i, (reason, note) in enumerate(
        (("pesten", None), ("gegevens", None), ("gegevens", "en nog iets"))
    ):
        filed = await reports.file(
            ReportRequest(
                ANNA, BRAM, reason, T0 + timedelta(minutes=i), 9, 10, 11, "jij weer",
                ("a.png", "b.png"), note=note,
            )
        )  # fmt: skip
        assert isinstance(filed, Filed) and filed.alert is not None
    rows = await service.db.fetchall("SELECT * FROM member_reports ORDER BY id")
    assert len(rows) == 3
    assert [r["excerpt"] is not None for r in rows] == [True, False, False]
    assert [r["attachments"] is not None for r in rows] == [True, False, False]
    alert = await service.alerts.repo.alert(filed.alert.id)
    assert alert is not None and alert.excerpt == "jij weer"
    detail = json.loads(alert.detail or "{}")
    assert detail["files"] == ["a.png", "b.png"] and detail["file_count"] == 2
    assert detail["reasons"] == {"pesten": 1, "gegevens": 1} and detail["reporters"] == 1
    await service[PrivacyService].purge_expired(T0 + timedelta(days=40))
    left = await service.db.fetchall(
        "SELECT 1 FROM member_reports WHERE excerpt IS NOT NULL OR attachments IS NOT NULL"
        " OR note IS NOT NULL OR reporter_id IS NOT NULL"
    )
    assert left == []
    await reports.erase_member(BRAM.id)
    assert await service.db.fetchall("SELECT 1 FROM member_reports") == []


async def test_reports_of_one_message_make_one_alert_also_when_the_store_failed(
    service: App,
) -> None:
    """One alert per message: a report kept in memory while the store failed and a later one
    of the same message join one alert; a report of another message by the same member
    stays an alert of its own."""
    cas = Member(3, "cas")
    reports = service[ReportService]
    service.alerts.retry_seconds = 3600  # the kept flag waits for the next flag, not a timer

    def of(reporter: Member, message_id: int, minutes: int) -> ReportRequest:
        at = T0 + timedelta(minutes=minutes)
        return ReportRequest(reporter, ANNA, "pesten", at, 9, 10, message_id, "jij sukkel")

    await service.db.conn.execute("PRAGMA query_only = ON")
    kept = await reports.file(of(BRAM, 9001, 1))
    assert isinstance(kept, Filed) and kept.alert is None
    await service.db.conn.execute("PRAGMA query_only = OFF")
    await reports.file(of(cas, 9001, 2))
    await reports.file(of(BRAM, 9002, 3))
    alerts = await service.alerts.repo.alerts()
    assert sorted(a.message_id for a in alerts) == [9001, 9002]


async def test_a_member_report_beside_a_message_report_shows_no_message(service: App) -> None:
    """A report of bram the member, while a report of one of his messages is open, is an
    alert of its own that shows no message ("" ), never none at all, which Discord's embed
    shows as an expired snapshot ("(verlopen)")."""
    reports = service[ReportService]
    carl = Member(3, "carl")
    message = await reports.file(ReportRequest(ANNA, BRAM, "pesten", T0, 9, 10, 901, "jij sukkel"))
    member = await reports.file(ReportRequest(carl, BRAM, "pesten", T0, 9))
    assert isinstance(message, Filed) and isinstance(member, Filed)
    assert message.alert is not None and member.alert is not None
    assert member.alert.id != message.alert.id
    assert (member.alert.excerpt, member.alert.message_id) == ("", None)
    assert message.alert.excerpt == "jij sukkel"


async def test_a_reporter_who_added_a_note_is_one_voice_for_the_warning(service: App) -> None:
    """Anna reports 'naam' and adds a note to it; carla and daan report 'pesten'. The
    warning cites what most reporters chose (aanwijzing-5), not anna's two rows, and the
    alert counts three reporters."""
    carla, daan = Member(3, "carla"), Member(4, "daan")
    reports = service[ReportService]

    def of(reporter: Member, reason: str, minutes: int, note: str | None = None) -> ReportRequest:
        at = T0 + timedelta(minutes=minutes)
        return ReportRequest(reporter, BRAM, reason, at, 9, 10, 11, "jij weer", note=note)

    first = await reports.file(of(ANNA, "naam", 0))
    added = await reports.file(of(ANNA, "naam", 1, "zijn naam zegt Compass"))
    await reports.file(of(carla, "pesten", 2))
    last = await reports.file(of(daan, "pesten", 3))
    assert isinstance(first, Filed) and isinstance(added, Filed) and isinstance(last, Filed)
    assert added.confirmation.startswith("Aangevuld") and added.reporters == 1
    assert first.alert is not None and last.alert is not None
    assert last.alert.id == first.alert.id and last.alert.count == 3
    assert await reports.repo.main_clause(first.alert.id) == "aanwijzing-5"
