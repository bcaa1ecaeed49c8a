"""Writings of an address, a postcode and a location the rule did not read before (#14,
recall on a new writer's set): a postcode after a bar, bracket or dash, a house-number
letter after a space, a lower-case postcode with a space, a house number named a few words
after the postcode, a lower-case street with its type first, and latitude and longitude
named between the numbers. Each with the look-alikes that must stay unflagged."""

from __future__ import annotations

import random

import pytest

from compass_bot.features.personal_data import rules_candidates as candidates
from compass_bot.features.personal_data.rules import find_personal_data
from compass_bot.features.personal_data.rules_address import may_start_house_number


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "address", "postcode"),
    [
        ("Molenweg 14 | 5211 AB Den Bosch, stuur het daar", "Molenweg 14 | 5211 AB", "5211 AB"),
        ("Kerkstraat 9 (3512 JK Utrecht) is het", "Kerkstraat 9 (3512 JK", "3512 JK"),
        ("adres: Dorpsweg 2 / 7311 XY Apeldoorn", "Dorpsweg 2 / 7311 XY", "7311 XY"),
        ("Lindelaan 40 - 2011 VB Haarlem", "Lindelaan 40 - 2011 VB", "2011 VB"),
        ("Marktplein 7 c, 4811 EA Breda", "Marktplein 7 c, 4811 EA", "4811 EA"),
        ("eikenlaan 33 3521 ab utrecht", "eikenlaan 33 3521 ab", "3521 ab"),
        ("Julianastraat 5, 9401\u00a0gt assen", "Julianastraat 5, 9401\u00a0gt", "9401\u00a0gt"),
    ],
)
def test_a_postcode_after_the_address_in_more_writings(
    text: str, address: str, postcode: str
) -> None:
    assert found(text) == [("address", address), ("postcode", postcode)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2514 gh 12 daar is het feest toch?", "2514 gh 12"),
        ("kom naar 6221 bt 3a om zes uur", "6221 bt 3a"),
        (
            "her postcode is 1011 AB and the number is 4, bring snacks",
            "1011 AB and the number is 4",
        ),
        ("postcode 3512 JK en het huisnummer is 8", "3512 JK en het huisnummer is 8"),
        ("pc 7511 JE, nummer: 21", "7511 JE, nummer: 21"),
    ],
)
def test_postcodes_with_their_house_number_in_more_writings(text: str, value: str) -> None:
    assert found(text) == [("postcode", value)]


@pytest.mark.parametrize(
    "text",
    [
        "in 2024 en 2025 hadden we 3 toetsen",
        "sinds 2010 de 8 beste van de klas",
        "ik heb 1500 km 3 keer gefietst",
        "level 3000 xp 5 potjes",
        "1200 ok 4 is genoeg",
        "4811 EG and the number of students is 19",  # no house number named: a count
        "1011 AB, Kerkstraat nummer 4",  # a capitalised word between: another address's
        "4811 EG. nummer 19 was de beste",  # a sentence ends between them
        "Kerkstraat 12 2024 en verder niks",
    ],
)
def test_postcode_look_alikes_in_the_new_writings_stay_unflagged(text: str) -> None:
    assert [k for k, _ in found(text) if k == "postcode"] == []


def test_after_a_mark_a_postcode_with_its_own_house_number_is_its_own() -> None:
    text = "Kerkstraat 12 - 2929 LZ 44-A"
    assert found(text) == [("address", "Kerkstraat 12"), ("postcode", "2929 LZ 44-A")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("laan van vollenhove 212 daar woont mijn oom", "laan van vollenhove 212"),
        ("ze woont op de dreef van de zonnewijzer 8, kom je?", "dreef van de zonnewijzer 8"),
        ("Laan van oostenburg 3", "Laan van oostenburg 3"),
    ],
)
def test_a_lower_case_street_with_its_type_first(text: str, value: str) -> None:
    assert found(text) == [("address", value)]


@pytest.mark.parametrize(
    "text",
    [
        "op het plein van school 2 jongens gezien",
        "mijn baan bij de jumbo 3 avonden per week",
        "de weg van school 3 keer gelopen",
        "de straat van pagina 33",
        "lees hoofdstuk 3 en 4",
        "de laan van mijn opa 2 uur lang",
        "xlaan van zomeren 12",
    ],
)
def test_lower_case_look_alikes_of_a_street_stay_unflagged(text: str) -> None:
    assert found(text) == []


def test_the_candidate_pass_keeps_a_lower_case_street_per_place() -> None:
    """The word verdict is kept per word, the street type before it is read each time: the
    same name after another word yields no candidate, after the street type one."""
    pad = " ".join(f"blz. {n} om {n} uur," for n in range(2, 40))  # many digits: windows
    text = f"{pad} de tuin van vollenhove 417 en laan van vollenhove 417 {pad}"
    assert found(text) == [("address", "laan van vollenhove 417")]
    garden = text.index("vollenhove 417") + len("vollenhove ")
    street = text.index("vollenhove 417", garden) + len("vollenhove ")
    assert not may_start_house_number(text, garden)
    assert may_start_house_number(text, street)
    spans = list(candidates.digit_candidates(text, candidates.shape_of(text)))
    assert (street, street + 3) in spans
    assert (garden, garden + 3) not in spans


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("lat 52.0907 lon 5.1214 zegt mijn gps", "52.0907 lon 5.1214"),
        ("lat: 51.9244, lng: 4.4777", "51.9244, lng: 4.4777"),
        ("latitude 53.2194 longitude 6.5665 is de plek", "53.2194 longitude 6.5665"),
    ],
)
def test_coordinates_with_the_longitude_named(text: str, value: str) -> None:
    assert found(text) == [("location-link", value)]


@pytest.mark.parametrize("text", ["pi 3.14159 lon 2.71828", "x = 3.1415 long 2.7182"])
def test_math_with_a_longitude_word_is_no_position(text: str) -> None:
    assert found(text) == []


def test_the_new_writings_inside_long_posts_are_found_the_same() -> None:
    """Both scan paths (few digits, many digits) read the new writings alike."""
    rng = random.Random(27)
    pieces = (
        "eikenlaan 33 3521 ab utrecht",
        "2514 gh 12",
        "laan van vollenhove 212",
        "lat 52.0907 lon 5.1214",
        "Molenweg 14 | 5211 AB",
    )
    filler = "Hoi allemaal, morgen hebben we het tweede uur gym en daarna Engels. "
    looks = "blz. 45, om 8 uur, 7,5 gehaald, lokaal 2.14, 12/05. "
    for piece in pieces:
        alone = [f.kind for f in find_personal_data(piece)]
        for pad in (filler, looks):
            text = pad * rng.randint(4, 8) + piece + " " + pad * rng.randint(4, 8)
            assert [f.kind for f in find_personal_data(text)] == alone, text
