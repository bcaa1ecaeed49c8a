"""A phone number spelled out in words (#14: "the usual disguises"): found when the words
read as a valid number, in Dutch, English and mixed with digits; counting, scores and words
that hold "nul" are left alone; the allow list reads the digits the words spell."""

from __future__ import annotations

import pytest

from compass_bot.features.personal_data.rules import PersonalDataRule, find_personal_data
from compass_bot.features.personal_data.rules_spelled import may_spell


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "mijn nummer is nul zes, twee acht, vijf één, zes zeven, drie nul",
            "nul zes, twee acht, vijf één, zes zeven, drie nul",
        ),
        (
            "zn nr is nul zes vier zeven drie een nul negen acht twee",
            "nul zes vier zeven drie een nul negen acht twee",
        ),
        (
            "my number: zero six, four one, eight eight, two three, nine zero",
            "zero six, four one, eight eight, two three, nine zero",
        ),
        (
            "text me, 06 five three nine two four eight one seven, not on insta",
            "06 five three nine two four eight one seven",
        ),
        ("Nul Zes 12 34 56 78 app hem", "Nul Zes 12 34 56 78"),
    ],
)
def test_a_phone_number_in_words_is_found(text: str, value: str) -> None:
    assert found(text) == [("phone", value)]


def test_the_rule_the_bot_runs_finds_it_too_beside_a_number_in_digits() -> None:
    text = "bel 06-12345678 of nul zes een twee drie vier vijf zes zeven acht"
    kinds = [(f.kind, text[f.start : f.end]) for f in PersonalDataRule().find(text)]
    assert kinds == [
        ("phone", "06-12345678"),
        ("phone", "nul zes een twee drie vier vijf zes zeven acht"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "een twee drie vier vijf zes zeven acht negen tien",
        "nul punten voor de toets, een twee drie",
        "we annuleren het feest",
        "het werd nul - een, twee drie vier",
        "zero six four",  # too short for any number
        "score 0 - one two three four five",
    ],
)
def test_counting_and_scores_are_no_phone_number(text: str) -> None:
    assert found(text) == []


def test_the_cheap_test_lets_a_plain_post_go_at_once() -> None:
    assert not may_spell("heeft iemand de huiswerkopdracht al af?")
    assert may_spell("NUL zes")


def test_the_allow_list_reads_the_digits_a_spelled_number_spells() -> None:
    rule = PersonalDataRule(["020 123 4567"])
    assert rule.find("bel nul twee nul, een twee drie, vier vijf zes zeven") == ()
    assert rule.find("bel nul zes een twee drie vier vijf zes zeven acht")


@pytest.mark.parametrize(
    "text",
    [
        "de stand: nul-twee, nul-een, drie-drie, twee-een, vier-nul",
        "scores: nul - zes, een - twee, drie - vier, vijf - een, twee - nul",
        "oh six one two three four five six seven eight",  # "oh" is no zero here
    ],
)
def test_scores_in_words_are_no_phone_number(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "zijn nummer is nul zes, vijfenveertig, achtendertig, eenentwintig, negenenzestig",
            "nul zes, vijfenveertig, achtendertig, eenentwintig, negenenzestig",
        ),
        (
            "bel 06 tweeëntwintig dertig veertien zevenenzeventig",
            "06 tweeëntwintig dertig veertien zevenenzeventig",
        ),
        (
            "noodnummer mama: 06-zevenentwintig-achtendertig-negenenveertig-vijftig",
            "06-zevenentwintig-achtendertig-negenenveertig-vijftig",
        ),
    ],
)
def test_a_number_said_in_pairs_is_found(text: str, value: str) -> None:
    """A Dutch number is said two digits at a time: "zevenentwintig" is 27 ("tweeën",
    "drieën" before the tens, typed with or without the diaeresis)."""
    assert found(text) == [("phone", value)]


@pytest.mark.parametrize(
    "text",
    [
        "uitslag 06-twaalf-elf-dertien-veertien",  # dashes without a phone word: scores
        "de klas telde af: nul, tien, twintig, dertig, veertig",  # no valid number
        "ik heb 0 twaalf en zeventien",
    ],
)
def test_pairs_that_are_no_phone_number(text: str) -> None:
    assert found(text) == []
