"""Session 45: threats meant for real that the words missed (a new-user tester's fights):
passing on someone's nude pictures (sextortion), a wish to hurt with a time or place, a
death wish, in Dutch and English; and the game talk of friends that stays no threat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.heat.rules import signals_of
from compass_bot.features.heat.rules_model import OFF
from compass_bot.features.heat.rules_transcript import Message, replay
from compass_bot.features.heat.rules_window import HeatSettings

T0 = datetime(2026, 3, 4, 12, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("als je niet betaalt ga ik je naaktfoto's delen met de hele klas", "threat"),
        ("ik deel je nudes in de groepsapp", "threat"),
        ("i'm going to leak your nudes", "threat"),
        ("jij bent dood na school", "threat"),
        ("we gaan je pakken morgen", "threat"),
        ("ik ga je pijn doen morgen", "threat"),
        ("im gonna beat you up after school", "threat"),
        ("i will hurt you tomorrow", "threat"),
        ("ik hoop dat je doodgaat", "self-harm-wish"),
        ("nobody would care if you died", "self-harm-wish"),
        ("the world would be better without you", "self-harm-wish"),
        ("meet me behind the gym at 3 and I'll break your nose", "threat"),
        ("after school at the bus stop you're getting stabbed", "threat"),
        ("wait till friday, me and my boys will jump you at the park", "threat"),
        ("na school bij de bushalte ga ik je steken", "threat"),
        ("vrijdag in het park pakken we je met z'n allen", "threat"),
        ("I have your nudes, send 100 euro or everyone sees them", "threat"),
        ("do what I say or I'll post that video of you", "threat"),
        (
            "ik heb naaktfoto's van je, als je niet 50 euro betaalt stuur ik ze naar iedereen",
            "threat",
        ),
    ],
)
def test_a_meant_threat_or_death_wish_is_read_as_one(text: str, kind: str) -> None:
    signals = signals_of(text)
    assert kind in signals.kinds and signals.hostility >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "ik ga je afmaken in fortnite vanavond",
        "i'm gonna beat you in rocket league tomorrow",
        "jij bent dood voor mij na die spoiler",
        "ik hoop dat je het haalt morgen",
        "stuur die foto's van het schoolfeest even in de groep",
        "hurry up or i'll show you how it's done",
        "break a leg tonight!",
    ],
)
def test_game_talk_and_everyday_lines_are_no_meant_threat(text: str) -> None:
    assert signals_of(text).hostility < 0.9


@pytest.mark.parametrize(
    "threat",
    [
        "als je niet betaalt ga ik je naaktfoto's delen met de hele klas",
        "im gonna beat you up after school",
        "jij bent dood na school",
    ],
)
def test_a_meant_threat_alone_is_nudged(threat: str) -> None:
    lines = [("sem", "wie heeft die screenshot gemaakt"), ("noah", threat)]
    messages = [
        Message(a, T0 + timedelta(seconds=12 * i), t, None) for i, (a, t) in enumerate(lines)
    ]
    assert replay(messages, HeatSettings(), OFF)[-1].action == "nudge"


def test_a_challenge_to_a_game_is_no_threat_a_fight_in_real_life_is() -> None:
    """'1v1 me' (a game) came only in banter and before a fight turned, over all sets."""
    assert "threat" not in signals_of("ok 1v1 me right now, loser buys snacks friday").kinds
    assert "threat" in signals_of("1v1 me irl dan").kinds
    assert "threat" in signals_of("1v1 irl na school").kinds


@pytest.mark.parametrize(
    "text",
    [
        "500 gems voor zondag. anders staat het online",
        "anders post ik het in de groepsapp",
        "en als je het aan iemand vertelt log ik weer in en verwijder ik al je items",
        "als je niet betaalt zet ik die voice message van jou op tiktok",
    ],
)
def test_blackmail_with_what_someone_sent_or_owns_is_a_threat(text: str) -> None:
    assert "threat" in signals_of(text).kinds


def test_an_everyday_otherwise_is_no_blackmail() -> None:
    assert signals_of("anders zet ik een wekker").kinds == ()


@pytest.mark.parametrize(
    "text",
    ["laat m'n moeder erbuiten", "waarom doen jullie nu zo", "je mag dat niet posten"],
)
def test_asking_to_stop_in_a_student_s_words_is_an_objection(text: str) -> None:
    assert signals_of(text).objects


@pytest.mark.parametrize("text", ["pizzagezicht", "brillenkoker", "met die jampotglazen"])
def test_put_downs_about_looks_are_insults(text: str) -> None:
    assert "insult" in signals_of(text).kinds
