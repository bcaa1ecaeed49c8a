"""The heat rule's tuning: lexicon entries changed for banter (invented sentences, not a set's
lines: a dare or "wait till the match" between friends is no threat, the school-gate threats
stay; "geen" negates, affection is banter, contempt for oneself is no insult) and how the
training labels a heated transcript's posts."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.features.heat.rules import Message, signals_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from train_heat_model import DEFAULT, Transcript, rows_of


@pytest.mark.parametrize(
    "text",
    [
        "wacht maar tot de finale",  # a match, not a threat
        "wacht maar tot je mijn nieuwe skin ziet",
        "kom maar op met je pizza",  # a dare in a game or a silly argument
        "kom maar op, ik win toch",
    ],
)
def test_dares_between_friends_are_not_threats(text: str) -> None:
    assert "threat" not in signals_of(text).kinds


@pytest.mark.parametrize(
    "text",
    ["wacht maar tot na school", "wacht maar af jij", "wacht maar tot ik je buiten zie"],
)
def test_the_school_gate_threats_stay(text: str) -> None:
    assert "threat" in signals_of(text).kinds


@pytest.mark.parametrize(
    "text", ["je bent geen sukkel", "jij bent echt geen loser", "ik ben geen mislukking"]
)
def test_geen_negates_an_insult(text: str) -> None:
    """Folded, "geen" is "gen": the negation must be read in its folded spelling."""
    assert not signals_of(text).hostile


def test_a_word_that_only_ends_like_a_negation_negates_nothing() -> None:
    assert signals_of("die jongen sukkel").hostile  # "jongen" ends in "gen"


@pytest.mark.parametrize(
    "text",
    ["jij bent echt een sukkel, ik hou van je", "hou van jullie clowns", "love u man", "ily"],
)
def test_affection_is_a_banter_marker(text: str) -> None:
    assert signals_of(text).laugh


def test_not_loving_someone_is_no_affection() -> None:
    assert not signals_of("ik hou niet van je").laugh


@pytest.mark.parametrize(
    "text",
    [
        "straks kom ik moe en zielig thuis en dat is jullie schuld",
        "ik ben gewoon een mislukking",
        "ik zie er zo lelijk uit",
    ],
)
def test_a_contempt_word_about_oneself_is_no_insult(text: str) -> None:
    assert not signals_of(text).hostile


@pytest.mark.parametrize(
    "text", ["ik ga je slaan", "ik zie je na school", "zie ik je morgen", "ik sla je morgen"]
)
def test_threats_written_with_several_words_are_read(text: str) -> None:
    """A multi-word alternative ("na school") is a pattern of its own, not '(a|na) school'."""
    assert "threat" in signals_of(text).kinds


# -- how the training labels a heated transcript --------------------------------------------


def _heated(*texts: str, turns_at: int) -> Transcript:
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    messages = [
        Message("ab"[i % 2], start + timedelta(seconds=12 * i), text)
        for i, text in enumerate(texts)
    ]
    return ("heated", turns_at, messages)


def test_asking_to_stop_after_the_turn_is_labelled_calm_not_the_fight() -> None:
    """The posts that cool a fight must not teach the model that cooling is heat (a slowmode
    after "ok sorry", "laat maar" would follow)."""
    fight = _heated(
        "wie doet de presentatie", "jij doet altijd het minste", "laat maar", turns_at=1
    )
    labels = [hostile for _, hostile in rows_of([fight], replace(DEFAULT, objections="calm"))]
    assert labels == [0, 1, 0]
    assert [h for _, h in rows_of([fight], replace(DEFAULT, objections="fight"))] == [0, 1, 1]
    assert [h for _, h in rows_of([fight], replace(DEFAULT, objections="skip"))] == [0, 1]
    # laughing "stop" is no objection
    laughing = _heated("hoi", "jij doet altijd het minste", "haha stop 😂", turns_at=1)
    assert [h for _, h in rows_of([laughing], replace(DEFAULT, objections="calm"))] == [0, 1, 1]


# -- asking to stop (invented sentences, not a set's lines) ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "stop nou alsjeblieft",
        "stop stop, genoeg",
        "kunnen jullie gewoon stoppen",
        "kun je ophouden",
        "pls niet doen",
        "niet doen aub",
        "dit is zo laag",
        "dat is echt respectloos",
    ],
)
def test_pleading_to_stop_is_an_objection(text: str) -> None:
    signals = signals_of(text)
    assert signals.objects and signals.protests and not signals.hostile


@pytest.mark.parametrize(
    "text", ["de bus stopt bij school", "ik heb een laag cijfer", "niet doen wat de juf zegt"]
)
def test_everyday_words_near_stop_are_no_objection(text: str) -> None:
    assert not signals_of(text).objects
