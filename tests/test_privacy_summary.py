"""The summary of an erasure, the same on the console and Discord: only what there was, in
words a student or parent reads, Dutch then English; one line when nothing was stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_bot.features.privacy import texts as privacy_texts
from compass_bot.features.privacy.texts import erased_summary
from compass_bot.registry import FEATURES
from tests.discord_env import LESSON, compass_bot


def test_only_what_there_was_is_counted_in_both_languages() -> None:
    counts = {"alerts": 2, "alert_mentions": 0, "warning_cooldowns": 1, "approved_names": 0}
    assert erased_summary("anna", counts) == (
        "Alles over anna gewist: 2 meldingen aan moderatoren, 1 tijdstip van een waarschuwing.\n"
        "Everything about anna erased: 2 alerts, 1 time of a warning."
    )


def test_alerts_still_open_are_named_with_their_count() -> None:
    """Session 46 (a tester): erasing a member deleted open alerts about them without a word;
    the summary now says how many of the erased rows were still open."""
    some = erased_summary("bram", {"alerts": 3, "alerts.open": 2, "member_reports": 1})
    assert some == (
        "Alles over bram gewist: 3 meldingen aan moderatoren (waarvan 2 nog open),"
        " 1 melding door of over het lid.\n"
        "Everything about bram erased: 3 alerts (2 of them still open),"
        " 1 report by or about the member."
    )
    assert "(alle nog open)" in erased_summary("bram", {"alerts": 2, "alerts.open": 2})
    assert "2 alerts (all still open)" in erased_summary("bram", {"alerts": 2, "alerts.open": 2})
    assert "1 alert (still open)." in erased_summary("bram", {"alerts": 1, "alerts.open": 1})
    handled = erased_summary("bram", {"alerts": 2, "alerts.open": 0})
    assert "open" not in handled and "2 meldingen aan moderatoren." in handled


def test_the_console_erasure_counts_the_open_alerts_it_removed(tmp_path: Path) -> None:
    """Two alerts about bram, one handled: the reply counts one still open, and it is gone."""
    from tests.test_console import run_bot

    script = (
        "/tijd 2026-11-24 12:20\n/als leerling bram\nanna is echt lelijk haha\n"
        "/tijd 2026-11-24 12:21\nmijn adres is Dorpsstraat 12 Utrecht\n"
        "/als leerling anna\n/melden 2 pesten\n/als moderator m\n/melding 1 afgehandeld\n"
        "/privacy wissen bram\n/melding 2\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Alles over bram gewist: 2 meldingen aan moderatoren (waarvan 1 nog open)," in out
    assert "Everything about bram erased: 2 alerts (1 of them still open)," in out
    assert "Er is geen melding #2." in out


def test_nothing_stored_is_one_line() -> None:
    summary = erased_summary("bram", {"alerts": 0, "permission_grants": 0})
    assert summary == "Over bram was niets bewaard. / Nothing was stored about bram."
    assert erased_summary("bram", {}) == summary


def test_a_table_without_english_words_is_named_in_its_dutch_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(privacy_texts, "erased_labels_en", dict)  # no feature's English
    english = erased_summary("anna", {"alerts": 3}).splitlines()[1]
    assert english == "Everything about anna erased: 3 meldingen aan moderatoren."


def test_english_words_are_for_tables_with_dutch_ones() -> None:
    for feature in FEATURES:
        assert set(feature.erased_labels_en) <= set(feature.erased_labels), feature.name


async def test_discord_replies_with_the_same_summary_naming_the_member_without_a_ping(
    tmp_path: Path,
) -> None:
    """A moderator erases anna on Discord: the reply counts only what there was, Dutch then
    English, names her as a mention that pings nobody; a member with nothing stored gets
    the one line."""
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("anna", "algemeen", "geheim", at=LESSON)
        await fake.settle()
        anna = fake.member_id("anna")
        since = len(fake.calls)
        erased = await fake.slash("mod", "privacy wissen", {"lid": "anna"})
        await fake.settle()
        assert erased.ephemeral and erased.content == (
            f"Alles over <@{anna}> gewist: 1 melding aan moderatoren (nog open),"
            " 1 tijdstip van een waarschuwing.\n"
            f"Everything about <@{anna}> erased: 1 alert (still open), 1 time of a warning."
        )
        [reply] = [c for c in fake.calls[since:] if c.matches("POST", "/webhooks/*/*")]
        assert reply.json["allowed_mentions"] == {"parse": []}
        assert erased.original is not None and erased.original.get("mentions") == []

        bram = fake.member_id("bram")
        nothing = await fake.slash("mod", "privacy wissen", {"lid_id": str(bram)})
        await fake.settle()
        assert nothing.content == (
            f"Over <@{bram}> was niets bewaard. / Nothing was stored about <@{bram}>."
        )


def test_a_student_is_refused_erasure_before_any_member_is_looked_up(tmp_path: Path) -> None:
    """Session 45 (a tester): a student's `/privacy wissen bob` said "Onbekend lid" or a
    usage line, telling who is a member; now the refusal comes first, Dutch then English."""
    from tests.test_console import run_bot

    script = "/als leerling anna\n/als leerling bob\n/als anna\n/privacy\n/privacy wissen zzz\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    refusal = (
        "Alleen moderatoren kunnen de gegevens van een lid wissen. / "
        "Only moderators can erase a member's data."
    )
    assert out.count(refusal) == 2
    assert "Onbekend lid" not in out and "Gebruik: /privacy" not in out
