"""A moderator's note on an alert, below the front ends: staff only, bounded, and it goes
with its alert (erasure) and expires with the excerpt (retention), keeping who and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from compass_bot.app import App
from compass_bot.features.alerts.model import Alert
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.model import Member, Refusal
from compass_bot.storage.db import Database
from tests.conftest import make_loaded

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
STUDENT = Member(1, "anna", ((11, "Leerling"),))
MODERATOR = Member(4, "mod", ((13, "Moderator"),))


async def test_a_note_is_for_staff_bounded_and_goes_with_its_alert(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db")
    app = await App.create(make_loaded(tmp_path), db=db)
    try:
        alert, _ = await app.alerts.record("schooltijd", STUDENT, T0, None, channel_id=500)
        assert alert is not None
        refused = await app.alerts.add_note(STUDENT, alert.id, "mijn kant", T0)
        assert isinstance(refused, Refusal) and "moderator" in refused.message.lower()
        for bad in ("   ", "x" * 501):
            assert isinstance(await app.alerts.add_note(MODERATOR, alert.id, bad, T0), Refusal)
        missing = await app.alerts.add_note(MODERATOR, 99, "hoi", T0)
        assert isinstance(missing, Refusal) and "99" in missing.message
        noted = await app.alerts.add_note(MODERATOR, alert.id, "  " + "y" * 500 + " ", T0)
        assert isinstance(noted, Alert) and noted.note == "y" * 500 and noted.note_by == 4
        assert noted.note_at == T0
        # Retention: the text expires with the excerpt; who wrote it and when stay.
        later = T0 + timedelta(days=app.kernel.config.retention.days + 1)
        await app[PrivacyService].purge_expired(later)
        expired = await app.alerts.repo.alert(alert.id)
        assert expired is not None and expired.note is None and expired.excerpt is None
        assert (expired.note_by, expired.note_at) == (4, T0)
        # Erasure: the alert goes, and its note with it.
        await app.alerts.add_note(MODERATOR, alert.id, "opnieuw", later)
        assert await app[PrivacyService].erase(MODERATOR, STUDENT.id, later) is not None
        assert await app.alerts.repo.alert(alert.id) is None
        left = await db.fetchall("SELECT * FROM alerts WHERE note IS NOT NULL")
        assert left == []
    finally:
        await app.close()
