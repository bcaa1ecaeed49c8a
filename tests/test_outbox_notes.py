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


async def test_a_note_expires_counted_from_when_it_was_written(tmp_path: Path) -> None:
    """A note added late to an old alert keeps its full retention period: the purge clears
    the alert's own text, not the note, until the note is as old."""
    db = await Database.open(tmp_path / "db")
    app = await App.create(make_loaded(tmp_path), db=db)
    days = timedelta(days=app.kernel.config.retention.days)
    try:
        alert, _ = await app.alerts.record("schooltijd", STUDENT, T0, None, excerpt="hoi")
        assert alert is not None
        late = T0 + days - timedelta(days=1)
        await app.alerts.add_note(MODERATOR, alert.id, "ouders gebeld", late)
        await app[PrivacyService].purge_expired(T0 + days + timedelta(days=1))
        kept = await app.alerts.repo.alert(alert.id)
        assert kept is not None and kept.excerpt is None and kept.member_label == "(verlopen)"
        assert kept.note == "ouders gebeld"
        assert not kept.text_to_expire(late)  # only the note is left, and it is not old yet
        assert kept.text_to_expire(late + timedelta(seconds=1))
        await app[PrivacyService].purge_expired(late + days + timedelta(days=1))
        gone = await app.alerts.repo.alert(alert.id)
        assert gone is not None and gone.note is None and gone.note_at == late
    finally:
        await app.close()


def test_a_repeat_across_many_channels_lists_ten_and_counts_the_rest() -> None:
    """An embed field holds 1,024 characters: a repeat over 35 channels must still deliver."""
    from compass_bot.discord_front.embeds import MAX_FIELD, alert_embed

    channels = tuple((1_000_000_000_000_000_000 + i, 35 - i) for i in range(35))
    alert = Alert(
        id=1, rule="schooltijd", member_id=1, member_label="anna", created_at=T0,
        updated_at=T0, count=sum(c for _, c in channels), status="open",
        channel_id=channels[0][0], message_id=5, guild_id=7, channels=channels,
    )  # fmt: skip
    where = alert.where(lambda channel: f"<#{channel}>")
    assert where is not None and where.endswith("en nog 25 kanalen (and 25 more)")
    assert where.startswith(f"<#{channels[0][0]}> x35, ") and where.count("<#") == 10
    embed = alert_embed(alert, UTC)
    [field] = [f for f in embed.fields if f.name == "Waar"]
    assert field.value is not None and len(field.value) <= MAX_FIELD
    assert "naar het bericht" in field.value  # the jump link stays


async def test_a_note_is_masked_as_a_reporters_note_is(tmp_path: Path) -> None:
    """A phone number in a moderator's note is masked before it is kept (and so wherever the
    alert is shown, console and Discord alike), as in a reporter's explanation; a note whose
    mask makes it longer still fits the note's limit."""
    db = await Database.open(tmp_path / "db")
    app = await App.create(make_loaded(tmp_path), db=db)
    try:
        alert, _ = await app.alerts.record("schooltijd", STUDENT, T0, None, channel_id=500)
        assert alert is not None
        noted = await app.alerts.add_note(MODERATOR, alert.id, "bel ouders op 06-11112222", T0)
        assert isinstance(noted, Alert) and noted.note == "bel ouders op [telefoonnummer verborgen]"
        stored = await app.alerts.repo.alert(alert.id)
        assert stored is not None and stored.note == noted.note
        long = await app.alerts.add_note(MODERATOR, alert.id, "x" * 486 + " 06-11112222", T0)
        assert isinstance(long, Alert) and long.note is not None
        assert len(long.note) == 500 and "11112222" not in long.note
    finally:
        await app.close()
