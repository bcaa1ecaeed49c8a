"""Round heat29: recording a member and passing it on, and threats with a real time or place
weighing more than a figure of speech over a game."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.heat.rules import signals_of
from compass_bot.features.heat.rules_model import OFF
from compass_bot.features.heat.rules_transcript import Message, replay
from compass_bot.features.heat.rules_window import HeatSettings

T0 = datetime(2026, 3, 2, 11, 20, tzinfo=UTC)


def transcript(*lines: tuple[str, str]) -> list[Message]:
    """(author, text) lines, 12 seconds apart."""
    return [Message(a, T0 + timedelta(seconds=12 * i), t, None) for i, (a, t) in enumerate(lines)]


@pytest.mark.parametrize(
    "text", ["ik heb het gefilmd 💀", "ik zet het in de klassengroep", "we hebben alles opgenomen"]
)
def test_recording_or_passing_on_is_exposure(text: str) -> None:
    assert "exposure" in signals_of(text).kinds, text


def test_a_threat_with_a_time_or_place_weighs_more_than_one_over_a_game() -> None:
    real = signals_of("ik maak je morgen kapot na school")
    game = signals_of("ik maak je kapot mattie")
    assert "threat" in real.kinds and "threat" in game.kinds
    assert real.hostility > game.hostility
    assert signals_of("ik maak je huiswerk morgen wel").hostility == 0.0


@pytest.mark.parametrize(
    ("line", "nudged"),
    [
        ("ik sla je straks na school", True),
        ("ik post je adres", True),
        ("ik weet waar je woont", False),  # a plain threat: a lone line waits for the answer
        ("stef ik ga je vermoorden", False),  # a figure of speech, alone: not yet a discussion
    ],
)
def test_one_threat_alone(line: str, nudged: bool) -> None:
    heats = replay(transcript(("sem", "waar was je"), ("noah", line)), HeatSettings(), OFF)
    assert (heats[-1].action == "nudge") is nudged
