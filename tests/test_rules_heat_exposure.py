"""Private things passed on, requests to take them down, threats with the verb first and a
disease curse after "niet" (heat_blind16's round): the lexicon's reading, its near misses, and
a request to take something down laughed away in the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.heat.rules import Message, replay, signals_of
from compass_bot.features.heat.rules_model import OFF


@pytest.mark.parametrize(
    "text",
    [
        "sanne schreef in een dm dat ze bang is",
        "hij vertelde me via dm dat hij haar leuk vindt",
        "ik post het straks in de groupchat",
        "we gooien die in de gc",
        "ik ga hem taggen eronder",
        "dit moet iedereen weten",
    ],
)
def test_passing_on_private_things_is_exposure(text: str) -> None:
    signals = signals_of(text)
    assert "exposure" in signals.kinds and signals.hostility >= 0.2, text


@pytest.mark.parametrize(
    "text",
    [
        "haal die foto weg",
        "verwijder het nu",
        "het was prive man",
        "dit is gewoon pesten",
        "ik heb jullie echt niks gedaan",
        "niet oke dit",
    ],
)
def test_asking_to_take_it_down_or_calling_it_private_objects(text: str) -> None:
    signals = signals_of(text)
    assert signals.objects and signals.protests and not signals.hostile, text


@pytest.mark.parametrize(
    "text",
    [
        "straks sla ik je in elkaar",
        "dan leg ik je neer",
        "ik trap je in elkaar",
        "morgen maak ik je kapot",
    ],
)
def test_threats_with_the_verb_first_are_threats(text: str) -> None:
    assert "threat" in signals_of(text).kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "ik stuur je de link straks",
        "ik leg je het morgen uit",
        "niemand gaat morgen naar school",
        "ik heb het op tiktok gezien",
        "hij zei in de les dat er een toets is",
        "haal je fiets even op",
        "niet doen joh, dat is zonde",
    ],
)
def test_near_misses_stay_calm(text: str) -> None:
    signals = signals_of(text)
    assert not signals.hostile and not signals.protests, text


def test_a_disease_curse_after_niet_still_counts_a_plain_insult_does_not() -> None:
    assert "disease-insult" in signals_of("nee dat klopt niet kankerhond").kinds
    assert not signals_of("je bent niet dom").hostile


def test_niemand_sitting_next_to_a_member_is_exclusion() -> None:
    assert "exclusion" in signals_of("niemand gaat in de bus naast hem zitten").kinds


def _messages(lines: list[tuple[str, str]]) -> list[Message]:
    start = datetime(2033, 3, 1, 15, 0, tzinfo=UTC)
    return [
        Message(author, start + timedelta(seconds=40 * i), text, None)
        for i, (author, text) in enumerate(lines)
    ]


def test_a_request_to_take_it_down_laughed_away_heats_the_channel() -> None:
    """The request is no hostile word: the channel heats because the ones who needled the member
    laugh it away, not because someone asked to take a photo down."""
    lines = [
        ("bo", "kijk wat @ruben gisteren postte 😂"),
        ("ida", "@ruben 💀💀"),
        ("ruben", "haal die foto weg"),
        ("bo", "nee hahaha"),
        ("ida", "@ruben serieus 😭"),
    ]
    heats = replay(_messages(lines), model=OFF)
    assert heats[2].level == 0
    assert heats[3].level > 0 and heats[3].reason.startswith("ignored-objection")
    calm = [
        ("bo", "ik heb een foto van het rooster"),
        ("ruben", "haal die foto weg, die klopt niet"),
    ]
    calm += [("bo", "oke sorry"), ("ida", "nieuwe komt morgen")]
    assert all(h.level == 0 for h in replay(_messages(calm), model=OFF))
