"""The names service's 'Naam goedkeuren' on an alert: only a name alert, only with names."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.features.names.service import NameService, NamesSeen
from compass_bot.model import Member, Refusal
from tests.conftest import make_loaded

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
LEADER = Member(1, "rector", ((900, "Schoolleiding"),))
STUDENT = Member(2, "C0mpass Anna")
MODERATOR = Member(4, "mod", ((901, "Moderator"),))


async def test_approving_names_from_another_rules_alert_or_without_names_is_refused(
    tmp_path: Path,
) -> None:
    app = await App.create(make_loaded(tmp_path), clock=Clock(NOW))
    try:
        service = app[NameService]
        school_time, _ = await app.alerts.record("schooltijd", STUDENT, NOW, 1)
        name_alert, _ = await app.alerts.record("aanwijzing-2", STUDENT, NOW, 1)
        other = await service.approve_from_alert(LEADER, school_time.id, ["C0mpass Anna"], NOW)
        empty = await service.approve_from_alert(LEADER, name_alert.id, [], NOW)
        assert isinstance(other, Refusal) and "geen melding over een naam" in other.message
        assert isinstance(empty, Refusal)
        assert await service.repo.approved_names() == []  # nothing approved, nothing audited
        still = await app.alerts.repo.alert(name_alert.id)
        assert still is not None and still.status == "open"
        done = await service.approve_from_alert(LEADER, name_alert.id, ["C0mpass Anna"], NOW)
        assert not isinstance(done, Refusal) and done.status == "resolved"
    finally:
        await app.close()


@pytest.mark.parametrize("role", ["Leerling", "Docent", "Moderator", "Schoolleiding"])
async def test_other_peoples_data_in_a_name_is_masked_wherever_the_alert_shows_it(
    tmp_path: Path, role: str
) -> None:
    """A phone number or e-mail in a name reaches the moderators masked, as in a post's
    excerpt: the name (and the username the alert is labelled with), what matched, and the
    reason; the rest of the name stays, so they recognise it. Her own DM shows her name.
    Whoever the member is: staff are exempt from the data rule for their posts, never from
    the masking of a name that names someone else."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(NOW))
    try:
        member = Member(3, "compass.0612345678", ((905, role),))
        outcome = await app[NameService].names_seen(
            NamesSeen(
                member, NOW, "compass.0612345678", "compass anna@gmail.com", "Compass 0612345678"
            )
        )
        assert outcome.alert is not None and outcome.warning is not None
        [stored] = await app.alerts.repo.alerts()
        for alert in (outcome.alert, stored):
            kept = " ".join(
                str(part)
                for part in (alert.excerpt, alert.matched, alert.detail, alert.member_label)
            )
            assert "612345678" not in kept and "anna@gmail.com" not in kept, kept
            assert alert.excerpt == "compass.\\[telefoonnummer verborgen\\]"
            assert alert.member_label == "compass.[telefoonnummer verborgen]"
            assert alert.matched == "compass"
            assert alert.detail is not None
            assert "weergavenaam: 'compass [e-mailadres verborgen]'" in alert.detail
            assert "bijnaam: 'Compass [telefoonnummer verborgen]'" in alert.detail
        assert '"compass.0612345678"' in outcome.warning.intro  # her own name, to her alone
    finally:
        await app.close()


async def test_a_name_already_flagged_and_unchanged_is_not_flagged_again(tmp_path: Path) -> None:
    """A sweep (or any check) that finds the names of the member's open name alert unchanged
    adds no flag, count, alert or DM, however long ago the alert was; a changed name counts,
    and after a handled alert (here a false positive) the name is raised anew."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(NOW))
    try:
        names = app[NameService]
        member = Member(3, "anna")
        seen = NamesSeen(member, NOW, "anna", None, "C0mpass", guild_id=1)
        first = await names.names_seen(seen)
        assert first.alert is not None and first.alert_created and first.warning is not None
        for later in (NOW + timedelta(minutes=1), NOW + timedelta(days=3)):
            again = await names.names_seen(replace(seen, at=later))
            assert [f.field for f in again.flagged] == ["nick"]  # still a name to look at
            assert again.alert is None and again.warning is None and not again.alert_created
        [stored] = await app.alerts.repo.alerts()
        assert stored.count == 1 and stored.updated_at == NOW
        changed = await names.names_seen(replace(seen, nick="C0mpass 2"))
        assert changed.alert is not None and changed.alert.count == 2 and changed.warning is None
        dismissed = await app.alerts.set_alert_status(MODERATOR, stored.id, "false_positive", NOW)
        assert not isinstance(dismissed, Refusal)
        anew = await names.names_seen(replace(seen, nick="C0mpass 2"))
        assert anew.alert_created and anew.warning is not None
    finally:
        await app.close()


def test_a_name_alerts_reason_writes_out_hidden_characters_and_no_python_escapes() -> None:
    """The stored reason keeps each name as a literal (one line, every character kept); shown
    to staff it is the name between quotes with its controls and invisible characters
    written out, as the console writes out a member's text, never `\\x1b` or `\\u200b`."""
    from compass_bot.features.names.texts import reason_text

    stored = "bijnaam: '\\x1b[2JC\\u200bompass' (leetspeak); weergavenaam: \"it's \\u202eC\" (x)"
    shown = reason_text(stored)
    assert shown == (
        "bijnaam: “⟨U+001B⟩[2JC⟨U+200B⟩ompass” (cijfers of tekens in plaats van letters); "
        "weergavenaam: “it's ⟨U+202E⟩C” (x)"
    )
    assert "\\x1b" not in shown and "\\u" not in shown
    assert reason_text("bijnaam: 'C0mpass' (leetspeak)", "en") == (
        "bijnaam: “C0mpass” (digits or symbols for letters)"
    )


def test_every_character_a_screen_hides_is_written_out_in_the_reason() -> None:
    """Invisible operators, tag characters, the Mongolian vowel separator, line separators
    and odd spaces: each the name rule can meet in a disguise, each written out for staff."""
    from compass_bot.visible import written_out

    for hidden in ("\u2062", "\U000e0041", "\u180e", "\ufff9", "\u2028", "\u00a0", "\u200b"):
        assert written_out(f"Com{hidden}pass") == f"Com⟨U+{ord(hidden):04X}⟩pass"
    assert written_out("Sanne | 3B 🎮") == "Sanne | 3B 🎮"


async def test_approving_names_approved_already_is_said_and_sends_no_second_dm(
    tmp_path: Path,
) -> None:
    """Session 46 (a tester): a second '/naam goedkeuren' of the same names approved them
    again, and both fronts DM the member on every approval. The service refuses it (so Discord
    and the console send no DM) and audits nothing; a new name is approved with the old."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(NOW))
    try:
        service = app[NameService]
        first = await service.approve_names(LEADER, STUDENT.id, ["Compass Anna"], NOW)
        assert not isinstance(first, Refusal) and [a.name for a in first] == ["Compass Anna"]
        audits = await app.db.fetchall("SELECT * FROM audit")
        later = NOW + timedelta(minutes=5)
        again = await service.approve_names(LEADER, STUDENT.id, ["anna", "Compass Anna"], later)
        assert isinstance(again, Refusal)
        assert again.message.startswith("De namen van dit lid zijn al goedgekeurd")
        assert "already approved" in again.message
        assert await app.db.fetchall("SELECT * FROM audit") == audits
        more = await service.approve_names(
            LEADER, STUDENT.id, ["Compass Anna", "Compass Anna 2"], later
        )
        assert not isinstance(more, Refusal)
        assert sorted(a.name for a in more) == ["Compass Anna", "Compass Anna 2"]
    finally:
        await app.close()
