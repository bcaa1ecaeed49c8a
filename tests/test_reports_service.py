"""The report service on a real SQLite file: retention drops the snapshot, note and reporter."""

from __future__ import annotations

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
