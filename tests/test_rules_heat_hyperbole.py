"""Round heat33: the teasing conventions of friends read as weak words, and asking to take a post
down, being told not to come along and a put-down about weight read as what they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.heat.rules import signals_of
from compass_bot.features.heat.rules_model import OFF
from compass_bot.features.heat.rules_transcript import Message, replay
from compass_bot.features.heat.rules_window import HeatSettings

T0 = datetime(2026, 3, 4, 12, 5, tzinfo=UTC)


def transcript(*lines: tuple[str, str]) -> list[Message]:
    """(author, text) lines, 12 seconds apart."""
    return [Message(a, T0 + timedelta(seconds=12 * i), t, None) for i, (a, t) in enumerate(lines)]


def test_murder_is_hyperbole_weaker_than_a_threat_to_hit() -> None:
    murder = signals_of("ik ga je echt vermoorden")
    hit = signals_of("ik ga je echt slaan")
    assert "threat" in murder.kinds and "threat" in hit.kinds
    assert 0.0 < murder.hostility < hit.hostility
    assert "threat" in signals_of("ik vermoord jullie allebei").kinds


def test_a_murder_threat_with_a_real_place_still_weighs_the_most() -> None:
    assert signals_of("ik vermoord je ik post je adres").hostility >= 1.0
    # knowing where someone lives is a plain threat (heat36), still over the murder hyperbole
    assert (
        signals_of("ik vermoord je ik weet waar je woont").hostility
        > signals_of("ik vermoord je").hostility
    )


@pytest.mark.parametrize(
    "line",
    [
        "ik ga je vermoorden ik zweer het",
        "ik vermoord je morgen",
        "skill issue broer",
        "ik haat je zo erg",
    ],
)
def test_a_tease_between_two_friends_alone_is_not_nudged(line: str) -> None:
    heats = replay(
        transcript(("sem", "ik heb je spoiler gezien"), ("noah", line)), HeatSettings(), OFF
    )
    assert heats[-1].action == "none"


def test_i_hate_you_is_the_exasperation_of_friends_that_only_adds_up() -> None:
    """Round heat39: 'ik haat je' came about 110 times in banter, 4 times in a fight."""
    hate = signals_of("ik haat je zo erg")
    assert hate.kinds == ("scorn",) and hate.aimed
    assert 0.0 < hate.hostility < signals_of("hou je bek").hostility
    # beside a real put-down it still adds up
    both = signals_of("ik haat je kankerlijer")
    assert both.hostility > signals_of("kankerlijer").hostility


def test_skill_issue_is_scorn_that_only_adds_up() -> None:
    s = signals_of("skill issue")
    assert "scorn" in s.kinds and "dismissive" not in s.kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kan je dat weghalen", "objection"),
        ("wil je die foto verwijderen", "objection"),
        ("tim jij hoeft niet te komen", "exclusion"),
        ("je moet eerst ff minder eten", "dismissive"),
    ],
)
def test_general_grammar_of_a_turn_without_swear_words(text: str, kind: str) -> None:
    s = signals_of(text)
    if kind == "objection":
        assert s.objects, text
    else:
        assert kind in s.kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "ik ga het huiswerk weghalen uit de map",
        "je hoeft niet te stressen",
        "ik moet minder snoepen",
    ],
)
def test_everyday_lines_stay_calm(text: str) -> None:
    s = signals_of(text)
    assert not s.hostile and not s.objects, text


def test_a_class_posting_at_once_is_a_crowd_not_a_discussion() -> None:
    """Twelve students each posting once, to nobody: whatever words the model reads as warm
    (a video, an app), no discussion; a member speaking twice or to someone is read as before."""
    from compass_bot.features.heat.rules_window import Post, _crowd

    at = T0
    crowd = [Post(i, at + timedelta(seconds=i)) for i in range(1, 13)]
    assert _crowd(crowd)
    assert not _crowd([*crowd, Post(3, at + timedelta(seconds=13))])
    assert not _crowd([*crowd, Post(20, at + timedelta(seconds=13), reply_to=4)])
    burst = [
        Message(f"leerling{i}", T0 + timedelta(seconds=i), f"tiktok filmpje {i}") for i in range(12)
    ]
    assert all(h.action == "none" for h in replay(burst))
