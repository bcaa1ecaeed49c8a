"""The console's summary of an erasure: only what there was, in words a student or parent
reads, Dutch then English; one line when nothing was stored."""

from __future__ import annotations

import pytest

from compass_bot.features.privacy import console as privacy_console
from compass_bot.features.privacy.console import erased_summary
from compass_bot.registry import FEATURES


def test_only_what_there_was_is_counted_in_both_languages() -> None:
    counts = {"alerts": 2, "alert_mentions": 0, "warning_cooldowns": 1, "approved_names": 0}
    assert erased_summary("anna", counts) == (
        "Alles over anna gewist: 2 meldingen, 1 tijdstip van een waarschuwing.\n"
        "Everything about anna erased: 2 alerts, 1 time of a warning."
    )


def test_nothing_stored_is_one_line() -> None:
    summary = erased_summary("bram", {"alerts": 0, "permission_grants": 0})
    assert summary == "Over bram was niets bewaard. / Nothing was stored about bram."
    assert erased_summary("bram", {}) == summary


def test_a_table_without_english_words_is_named_in_its_dutch_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(privacy_console, "erased_labels_en", dict)  # no feature's English
    english = erased_summary("anna", {"alerts": 3}).splitlines()[1]
    assert english == "Everything about anna erased: 3 meldingen."


def test_english_words_are_for_tables_with_dutch_ones() -> None:
    for feature in FEATURES:
        assert set(feature.erased_labels_en) <= set(feature.erased_labels), feature.name
