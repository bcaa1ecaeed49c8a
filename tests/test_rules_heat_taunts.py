"""heat15: taunts that recur across the writers' sets (sending a member back to primary school
or "their" place, "ik zou me schamen", threats with screenshots held or a post in a story or
the class group, a dare)."""

from __future__ import annotations

import pytest

from compass_bot.features.heat.rules import signals_of


@pytest.mark.parametrize(
    "text",
    [
        "ga lekker terug naar je stal",
        "ga terug naar groep 8",
        "je moet echt terug naar de brugklas bro",
        "ik zou me maar schamen als ik jou was",
        "zijn ouders gaan zich kapot schamen",
        "ga maar met je eigen mensen gamen",
        "leer eerst nederlands voor je hier komt",
        "ziet eruit alsof een kleuter het gemaakt heeft",
    ],
)
def test_taunts_sending_a_member_back_or_shaming_them_are_dismissive(text: str) -> None:
    signals = signals_of(text)
    assert "dismissive" in signals.kinds and signals.hostility >= 0.3, text


@pytest.mark.parametrize(
    "text",
    [
        "ik heb nog genoeg screenshots van wat jij zei",
        "ik heb de screenshots hoor",
        "de screenshots heb ik al",
        "ik zet gewoon al je dm's in mijn story",
        "nog 1 bericht en het staat in de klassengroep",
        "iedereen gaat het zien",
    ],
)
def test_held_screenshots_and_posts_in_a_story_or_group_are_threats(text: str) -> None:
    signals = signals_of(text)
    assert "threat" in signals.kinds and signals.hostility >= 0.8, text


@pytest.mark.parametrize("text", ["dat durf je niet", "try me", "test me"])
def test_a_dare_is_scorn(text: str) -> None:
    assert signals_of(text).kinds == ("scorn",), text


@pytest.mark.parametrize(
    "text",
    [
        "ik ga terug naar de oude fifa",
        "ik zet hem op mijn story, zelfspot is kracht",
        "ik zet mijn foto op mijn story",
        "i'll take screenshots with shaders on",
        "kom je terug naar het lokaal?",
        "ik schaam me echt voor dat cijfer",
    ],
)
def test_near_misses_of_the_taunts_stay_calm(text: str) -> None:
    assert signals_of(text).hostility == 0.0, text
