"""Taunts as the lexicon reads them: sending a member back to primary school or "their" place,
"ik zou me schamen", a dare (heat15), and threats to put someone's name, photos, screenshots or
messages in a group or a story (heat14, heat15); and the near-misses that stay calm.
Mockery in the window is in `test_rules_heat_mockery.py`."""

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


@pytest.mark.parametrize(
    "text",
    [
        "ik zet je naam in de klassenapp",
        "ik post je naam",
        "ik ga jouw dms in de klassenapp zetten",
        "ik stuur haar fotos naar de hele groep",
        "ik zet zijn screenshots in de groepsapp",
        "iedereen gaat je berichten zien",
        "ik ga je naam posten",
        "imma leak your dms",
        "ill post her pics",
        "everyone gonna see your messages",
    ],
)
def test_threats_to_put_someones_name_photos_or_messages_in_a_group(text: str) -> None:
    signals = signals_of(text)
    assert "threat" in signals.kinds and signals.hostility >= 0.8, text


@pytest.mark.parametrize(
    "text",
    [
        "ik zet je naam op de lijst",
        "ik stuur je de fotos in de groep",
        "ik zet de fotos in de groepsapp",
        "ik post je naam niet",
        "ik ga je even in de klassenapp zetten",
        "ik stuur je fotos straks",
        "nog steeds krap maar beter dan niks",  # "krap" (tight) folds like "kkr aap"
    ],
)
def test_sharing_in_a_group_and_everyday_words_are_no_threat(text: str) -> None:
    assert signals_of(text).hostility == 0.0, text
