"""A lone rough line waits one post for the answer before the nudge (HeatSettings.confirm_level):
friends in on the joke cool it, a fight stays hot and is nudged a post later."""

from __future__ import annotations

from datetime import UTC, datetime

from compass_bot.features.heat.rules import Heat, HeatSettings
from tests.heat_lines import Line, actions, replay_lines

T0 = datetime(2026, 3, 2, 11, 20, tzinfo=UTC)

_OPENING: tuple[Line, ...] = (
    ("iris", "wie heeft mijn koekjes gepakt"),
    ("rens", "welke koekjes 😇"),
    ("iris", "jij vuile dief ik maak je af", 1),
)


_DEFAULT = HeatSettings()


def _replay(*lines: Line, settings: HeatSettings = _DEFAULT) -> list[Heat]:
    return replay_lines(lines, settings, T0, 12)


def test_a_lone_rough_line_over_the_threshold_waits_for_the_answer() -> None:
    heats = _replay(*_OPENING)
    assert heats[-1].level >= HeatSettings().nudge_threshold
    assert heats[-1].action == "none"
    # without the wait it is nudged at once
    assert _replay(*_OPENING, settings=HeatSettings(confirm_level=0))[-1].action == "nudge"


def test_the_member_aimed_at_laughing_along_leaves_it_alone() -> None:
    heats = _replay(*_OPENING, ("rens", "hahaha sorry ik koop nieuwe 😂", 2))
    assert "nudge" not in actions(heats)


def test_an_answer_in_earnest_is_nudged_one_post_later() -> None:
    heats = _replay(*_OPENING, ("rens", "rot op jij vuile leugenaar", 2))
    assert actions(heats) == ["none", "none", "none", "nudge"]


def test_a_bystander_joining_in_is_nudged_one_post_later() -> None:
    heats = _replay(*_OPENING, ("vera", "ja rens is echt een dief"))
    assert actions(heats)[-1] == "nudge"


def test_a_threat_with_a_time_or_place_needs_no_answer() -> None:
    heats = _replay(("sem", "waar was je"), ("noah", "ik maak je morgen kapot na school"))
    assert heats[-1].action == "nudge"


def test_a_jab_after_an_earlier_one_by_the_same_member_needs_no_answer() -> None:
    lines: tuple[Line, ...] = (
        ("omar", "je was niet eerst ik stond er al"),
        ("stan", "mn vriend hield plek vrij"),
        ("omar", "nee dat mag niet kankerlijer", 1),
        ("stan", "rustig"),
        ("omar", "ik ben je neefje niet jij vuile kankerlijer ik maak je af", 3),
    )
    # whatever its level, it would wait if it were a lone line
    held = actions(_replay(*lines, settings=HeatSettings(confirm_level=101)))
    at_once = actions(_replay(*lines, settings=HeatSettings(confirm_level=0)))
    assert "nudge" in at_once
    assert held.index("nudge") == at_once.index("nudge")


def test_a_threat_that_backs_a_request_is_no_request_to_stop() -> None:
    """A request backed by a threat ("verwijder dat nu of ik kom je halen") is the threat's own
    emphasis, not a member asking the discussion to stop: it waits for the answer like any
    lone rough line."""
    lines: tuple[Line, ...] = (
        ("nienke", "throwback naar tom met die beugel"),
        ("tom", "verwijder dat nu of ik kom je halen", 0),
    )
    heats = _replay(*lines)
    assert "objection" not in heats[-1].reason
    assert heats[-1].action == "none"
    # another member asking to stop still is one
    assert "objection" in _replay(*lines, ("sil", "doe normaal tom"))[-1].reason


def test_the_jabber_going_on_calmly_is_no_answer_yet() -> None:
    """A calm post by the member whose lone line waits ("ik wil ze terug"), before anyone
    answered it, does not confirm it (rules_needle.calm_answer); the answer still decides."""
    heats = _replay(*_OPENING, ("iris", "ik wil ze gewoon terug"))
    assert heats[-1].level >= HeatSettings().nudge_threshold
    assert actions(heats)[-2:] == ["none", "none"]
    heats = _replay(*_OPENING, ("iris", "ik wil ze gewoon terug"), ("rens", "ga weg jij", 2))
    assert heats[-1].action == "nudge"
    heats = _replay(*_OPENING, ("iris", "ik wil ze gewoon terug"), ("rens", "hahaha sorry 😂", 2))
    assert "nudge" not in actions(heats)
