"""A house number before its street, as English writes it, and an English street in Dutch
order (#14: Dutch and English posts): found after a word that says a place follows, with the
counts, times and bus lines that look alike left alone."""

from __future__ import annotations

import pytest

from compass_bot.features.personal_data.rules import find_personal_data
from compass_bot.features.personal_data.rules_address import may_start_house_number


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("she lives at 12 Kerkstraat lol", "12 Kerkstraat"),
        ("ze woont op 12 kerkstraat", "12 kerkstraat"),
        ("she lives on 3 Van Heemstraweg now", "3 Van Heemstraweg"),
        ("his address is 45 Oak Road, London", "45 Oak Road"),
        ("come to 221B Baker Street after school", "221B Baker Street"),
        ("we moved to 14 maple avenue", "14 maple avenue"),
        ("Address: 7 Elm Close", "7 Elm Close"),
        ("His house is at 12 Kerkstraat", "12 Kerkstraat"),
        ("meet at 45 Oak Road", "45 Oak Road"),  # no hour: a house number
        ("I live at Baker Street 12", "Baker Street 12"),
        ("Main St. 12 is his house", "Main St. 12"),
    ],
)
def test_a_street_after_its_number_or_in_english(text: str, address: str) -> None:
    assert found(text) == [("address", address)]


def test_a_postcode_after_a_number_first_street_comes_along() -> None:
    text = "address: 12 Kerkstraat, 3512 AB"
    assert found(text) == [("address", "12 Kerkstraat, 3512 AB"), ("postcode", "3512 AB")]


@pytest.mark.parametrize(
    "text",
    [
        "got to 5 the hard way",
        "het is 3 uur",
        "op 5 december is pakjesavond",
        "bus 12 to Stationsplein",
        "at 3 we go to Kerkstraat",
        "meet at 4 at the Kerkstraat",
        "on 2 square metres of floor",
        "we played Mario Kart 8 all night",
        "I walked 12 streets",
        "at 5 min walk from the Oak Road",
        "goes to 10 Downing",
    ],
)
def test_counts_times_and_lines_are_no_address(text: str) -> None:
    assert found(text) == []


def test_a_cue_word_lets_the_candidate_pass_keep_the_number() -> None:
    """The candidate pass drops a number after a word that cannot precede one; after a cue
    the street that follows decides, so the number is kept."""
    text = "she lives at 12 Kerkstraat"
    assert may_start_house_number(text, text.index("12"))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("he's at our place now, 16 Dorpsstraat, come get him", "16 Dorpsstraat"),
        ("send it to Utrecht, 12 Kerkstraat", "12 Kerkstraat"),
    ],
)
def test_after_a_comma_a_capitalised_street_after_its_number(text: str, address: str) -> None:
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "ok, 12 uur dan",
        "ok, 2 Mario Kart races",
        "cijfers: 7, 8 Engels, 6 Wiskunde",
        "ja, 3 kerkstraat verderop",  # no cue and no capital: a count
    ],
)
def test_after_a_comma_without_a_street_or_capital_nothing(text: str) -> None:
    assert found(text) == []


def test_a_postcode_or_a_street_with_its_own_number_is_no_number_first_address() -> None:
    """ "6951 SW Wilhelminasingel" is a postcode before a street; in "3-2 Prinsengracht nr. 44-A"
    the street has its own house number: the number before it is something else."""
    assert found("post, 6951 SW Wilhelminasingel") == []
    assert found("lijst, 3-2 Prinsengracht nr. 44-A") == [("address", "Prinsengracht nr. 44-A")]


@pytest.mark.parametrize(
    "text",
    [
        "let's meet at 4 Leidseplein",
        "see you tomorrow at 8 Markt",
        "meet at 7 Station Square",
        "bus 12 goes to 3 Oosterpark stops",
        "klas 2a, 3 Havo Kerkweg",
    ],
)
def test_an_hour_before_a_square_or_park_is_no_address_without_a_home_word(text: str) -> None:
    """A bare number up to 24 after "at" or a comma is a time or a count, unless a word before
    says a home follows (lives, adres, our place, send ...)."""
    assert found(text) == []
