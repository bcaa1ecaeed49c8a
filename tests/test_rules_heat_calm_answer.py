"""A calm answer by the member a jab aimed at adds no heat of its own, so it does not trip the
nudge (rules_window._calm_answer): the next post decides. Friends answer a roast with a retort
or a plan; in a fight the next jab comes one post later and is nudged then."""

from __future__ import annotations

from datetime import UTC, datetime

from compass_bot.features.heat.rules import Heat, HeatSettings
from tests.heat_lines import Line, actions, replay_lines

T0 = datetime(2026, 3, 2, 15, 40, tzinfo=UTC)

# the jab (melle's first) waits for the answer whatever its level
_WAITS = HeatSettings(confirm_level=101)

_OPENING: tuple[Line, ...] = (
    ("aisha", "ik had een 9.8 voor scheikunde"),
    ("melle", "boeee nerd"),
    ("aisha", "jullie zijn gwn jaloers"),
    ("melle", "jij hebt geen leven dat is het", 2),
)
_ANSWER: Line = ("aisha", "ik heb wel een leven en een 9.8", 3)


def _replay(*lines: Line, settings: HeatSettings = _WAITS) -> list[Heat]:
    return replay_lines(lines, settings, T0, 30)


def test_the_member_aimed_at_answering_calmly_does_not_trip_the_nudge() -> None:
    heats = _replay(*_OPENING, _ANSWER)
    assert heats[-1].level >= _WAITS.nudge_threshold  # the heat is still there ...
    assert heats[-1].action == "none"  # ... but the calm answer does not carry it over


def test_a_bystander_after_the_held_jab_still_confirms_it() -> None:
    heats = _replay(*_OPENING, ("bjorn", "ik heb wel een leven en een 9.8"))
    assert heats[-1].level >= _WAITS.nudge_threshold
    assert heats[-1].action == "nudge"


def test_the_next_jab_after_the_calm_answer_is_nudged() -> None:
    heats = _replay(*_OPENING, _ANSWER, ("melle", "jij bent gewoon een zielige strever", 4))
    assert actions(heats)[-2:] == ["none", "nudge"]


def test_an_answer_with_hostile_words_is_no_calm_answer() -> None:
    heats = _replay(*_OPENING, ("aisha", "hou je bek jij sukkel", 3))
    assert heats[-1].action == "nudge"


def test_an_earnest_request_to_stop_is_no_calm_answer() -> None:
    heats = _replay(*_OPENING, ("aisha", "doe normaal", 3))
    assert heats[-1].action == "nudge"
