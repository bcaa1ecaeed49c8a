"""heat15: taunts that recur across the writers' sets (sending a member back to primary school
or "their" place, "ik zou me schamen", threats with screenshots held or a post in a story or
the class group, a dare), and mockery of a named member as evidence enough beside the model's
`assist`, and a reply to one who named them as answering in kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.heat.rules import Post, signals_of
from compass_bot.features.heat.rules_model import HeatModel
from compass_bot.features.heat.rules_needle import mocked
from compass_bot.features.heat.rules_window import assess

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
SILENT = 9
MODEL = HeatModel({"bias": 1.0}, "window", 3, 2, 0.85, 0.6)


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


def _post(author: int, seconds: float, text: str, learned: float, target: int) -> Post:
    post = Post(
        author,
        START + timedelta(seconds=seconds),
        signals_of(text),
        mentions=frozenset({target}),
    )
    post.learned, post.said = learned, 1.0
    return post


def _laughing_at(target: int, learned: float) -> list[Post]:
    return [
        _post(1, 0, "die tekening 😂", learned, target),
        _post(2, 20, "hahaha echt", learned, target),
        _post(1, 40, "💀💀", learned, target),
    ]


def test_mockery_of_a_silent_member_needs_only_the_assist_evidence() -> None:
    """Evidence between `assist` (0.6) and the threshold (0.85): enough when several members
    laugh at a member who does not laugh along, as when the words are half-way hot."""
    posts = _laughing_at(SILENT, 1.0)  # sigmoid(1.0) = 0.73
    assert mocked(posts, START) == {SILENT}
    heat = assess(posts, posts[-1].at, model=MODEL)
    assert heat.action == "nudge" and SILENT in heat.members


def test_without_a_mocked_member_the_same_evidence_is_not_enough() -> None:
    posts = _laughing_at(SILENT, 1.0)
    laughs_along = _post(SILENT, 50, "hahaha ik weet het 😂", -1.0, 1)
    laughs_along.said = -1.0
    posts.append(laughs_along)
    assert mocked(posts, START) == set()
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_below_the_assist_evidence_mockery_is_not_enough() -> None:
    posts = _laughing_at(SILENT, 0.2)  # sigmoid(0.2) = 0.55
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_a_reply_to_one_who_named_them_is_answering_in_kind() -> None:
    """The member laughed at answers one of the jabbers in a reply, without a laugh or "je"
    ("zegt de meid die ..."): in the roast, not its silent target."""
    posts = _laughing_at(SILENT, 1.0)
    comeback = Post(
        SILENT,
        START + timedelta(seconds=50),
        signals_of("zegt de meid die dacht dat een walvis een vis is"),
        reply_to=2,
    )
    comeback.learned, comeback.said = 1.0, 1.0
    posts.append(comeback)
    assert mocked(posts, START) == set()
    protest = Post(
        SILENT, START + timedelta(seconds=50), signals_of("stop alsjeblieft"), reply_to=2
    )
    assert mocked([*posts[:3], protest], START) == {SILENT}
