"""A fixed phrase read past the fillers a writer puts inside it (phrases.py), and a
question that builds on a premise leading the message (sentences.leading_first)."""

from __future__ import annotations

import pytest

from compass_bot.policy import Matcher, load_clauses
from compass_bot.policy.normalise import Normaliser
from compass_bot.policy.phrases import MAX_SKIPPED, find_phrase
from compass_bot.policy.sentences import leading_first, questions_in

PHRASES = {
    ("kan", "school", "iets", "doen"): frozenset({"CONSEQUENCE"}),
    ("kan", "school"): frozenset({"SCHOOL"}),
}
SIZES = (4, 2)


def _find(text: str) -> tuple[frozenset[str], int] | None:
    tokens = text.split()
    return find_phrase(tokens, tokens, 0, SIZES, PHRASES)


def test_a_phrase_as_written_is_found_with_its_end() -> None:
    assert _find("kan school iets doen vandaag") == (frozenset({"CONSEQUENCE"}), 4)


def test_a_phrase_is_found_past_the_fillers_inside_it() -> None:
    assert _find("kan school echt iets doen") == (frozenset({"CONSEQUENCE"}), 5)
    assert _find("kan school eigenlijk wel iets doen") == (frozenset({"CONSEQUENCE"}), 6)


def test_too_many_fillers_or_another_word_inside_is_no_phrase() -> None:
    many = " ".join(["kan", "school", *(["echt"] * (MAX_SKIPPED + 1)), "iets", "doen"])
    assert _find(many) == (frozenset({"SCHOOL"}), 2)  # only the shorter phrase as written
    assert _find("kan school morgen iets doen") == (frozenset({"SCHOOL"}), 2)
    assert _find("kan echt") is None


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        ("can the school actually do anything about it", "CONSEQUENCE"),
        ("can the school do anything about it", "CONSEQUENCE"),
        ("ik heb hem nog niet verstuurd", "IMPULSIVE"),
        ("im about to go off on him", "IMPULSIVE"),
        ("de reacties worden steeds persoonlijker", "UNPLEASANT"),
        ("it keeps getting worse", "UNPLEASANT"),
        ("should i just bow out", "STOP"),
        ("een review van een ster", "NEGATIVE"),
        ("het eten is walgelijk", "NEGATIVE"),
        ("de live locatie van de hele klas", "OTHERSINFO"),
        ("kunnen ze me daarvoor pakken", "CONSEQUENCE"),
        ("moet ik dan op t matje komen", "CONSEQUENCE"),
        ("ik check in bij het huis van mijn vriendin", "OTHERSINFO"),
    ],
)
def test_situation_phrases_are_concepts(matcher: Matcher, phrase: str, concept: str) -> None:
    assert concept in matcher.normaliser.analyse(phrase, correct_typos=False).concepts


def test_a_question_that_builds_on_a_premise_leads() -> None:
    parts = questions_in("De pauze is toch vrij? Dus dan mag ik alles posten?")
    assert leading_first(parts) == ["Dus dan mag ik alles posten?", "De pauze is toch vrij?"]
    plain = questions_in("Mag ik in de pauze op insta? En wanneer is de toetsweek?")
    assert leading_first(plain) == plain


def test_a_premise_does_not_decide_the_answer(matcher: Matcher) -> None:
    premise = "Inchecken mag toch volgens het protocol?"
    assert matcher.match(premise).clause == "locatie"
    question = f"{premise} Dan mag ik ook op Snap laten zien waar mijn vrienden allemaal zijn?"
    match = matcher.match(question)
    assert match.clause == "aanwijzing-6"
    assert "locatie" in match.related


def test_a_phrase_does_not_swallow_the_start_of_the_next() -> None:
    """Two phrases sharing a word are both read: "laten zien waar" keeps the "waar" that
    "waar mijn vrienden zijn" opens with; a phrase inside another adds nothing."""
    normaliser = Normaliser(
        {
            "LOCATION": ["laten zien waar"],
            "OTHERSINFO": ["waar mijn vrienden zijn"],
            "POST": ["op insta zetten", "insta"],
        }
    )
    both = normaliser.analyse("mag ik laten zien waar mijn vrienden zijn", correct_typos=False)
    assert {"LOCATION", "OTHERSINFO"} <= both.concepts
    alone = normaliser.analyse("mag ik laten zien waar ik ben", correct_typos=False)
    assert "OTHERSINFO" not in alone.concepts
    inner = normaliser.analyse("ik wil het op insta zetten", correct_typos=False)
    assert inner.concepts == {"POST"}
