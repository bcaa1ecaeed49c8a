"""The words a moderator may filter alerts by: each kind's rule id, its declared everyday
words and its title's words, collected from the features' declarations."""

from __future__ import annotations

import pytest

from compass_bot.registry import alert_kind_named, alert_kind_words, alert_kinds


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("naam", "aanwijzing-2"),
        ("Name", "aanwijzing-2"),
        ("account name", "aanwijzing-2"),
        ("schooltijd", "schooltijd"),
        ("school time", "schooltijd"),
        ("LESTIJD", "schooltijd"),
        ("Aanwijzing 2", "aanwijzing-2"),  # the rule id, spaced as people type it
        ("melding", "aanwijzing-9"),  # the title's own word ("Melding van een lid")
        ("discussie", "aanwijzing-5"),
        ("gegevens", "aanwijzing-6"),
        ("lesson", "schooltijd"),  # one word for one or more (session 45, a tester)
        ("names", "aanwijzing-2"),
        ("pesten", "aanwijzing-9"),  # a report's reason
        ("bullying", "aanwijzing-9"),
        ("ruzie", "aanwijzing-5"),
        ("data", "aanwijzing-6"),
    ],
)
def test_an_everyday_word_names_its_alert_kind(typed: str, rule: str) -> None:
    kind = alert_kind_named(typed)
    assert kind is not None and kind.rule == rule


@pytest.mark.parametrize("typed", ["fiets", "aanwijzing-1", "", "van", "s"])
def test_other_words_name_no_kind(typed: str) -> None:
    assert alert_kind_named(typed) is None


def test_every_word_shown_names_its_own_kind() -> None:
    shown = alert_kind_words()
    assert list(shown) == list(alert_kinds())  # the registry's order
    for rule, words in shown.items():
        assert words[0] == rule
        for word in words:
            named = alert_kind_named(word)
            assert named is not None and named.rule == rule, word
