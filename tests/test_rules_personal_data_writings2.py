"""Writings a second new writer used (#14, recall on personal_data_blind3): data broken
over a line break, a postcode before a place and a street, a street the suffix list does
not know made an address by its postcode, / or a glued dash before a postcode's house
number, "hnr", "hs"/"bis" glued to a house number, a BSN in other groups of spaces, an
IBAN before a word, compass letters before the numbers, a phone with a space between
every digit; and a house number that no longer swallows the phone or BSN after it. Each
with the look-alikes that must stay unflagged. Values are made up (valid check digits)."""

from __future__ import annotations

import pytest

from compass_bot.features.personal_data.rules import find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("hij woont op de Kastanjelaan\n14, naast de bakker", [("address", "Kastanjelaan\n14")]),
        ("bel hem, het is 0612\n947 031 na zessen", [("phone", "0612\n947 031")]),
        (
            "stuur het naar sanne.devries08\n@hotmail.com pls",
            [("email", "sanne.devries08\n@hotmail.com")],
        ),
        ("zn bsn is 367\n418 253 geloof ik", [("id-number", "367\n418 253")]),
        (
            "beukenlaan 3\n2011 VB haarlem",
            [("address", "beukenlaan 3"), ("postcode", "2011 VB")],
        ),
    ],
)
def test_data_broken_over_a_line_break_is_found(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # complete before the break: the break ends it
        ("bel 0800-1234\n3-2 gewonnen", [("phone", "0800-1234")]),
        ("bel 020-1234567\n12 leerlingen", [("phone", "020-1234567")]),
        # a decimal, date or time beside the break is no part of a number over it
        ("x = 0.46301\n2024 was het jaar", []),
        ("cijfer 0795 54\n2024-05-12 ingeleverd", []),
        ("om 0\n6115.13.822 uur", []),
        ("Toetsen:\n12\n15\n8 punten", []),
    ],
)
def test_a_line_break_stays_a_break_for_look_alikes(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("pc 2513 AB / 44. verder niks", [("postcode", "2513 AB / 44")]),
        ("8011WB-17 is het", [("postcode", "8011WB-17")]),
        ("postcode 4811 TL hnr 22, daar", [("postcode", "4811 TL hnr 22")]),
        (
            "huisnummer 17 postcode 3071 AZ, sturen jullie het daarheen?",
            [("postcode", "huisnummer 17 postcode 3071 AZ")],
        ),
        ("nr 4 en postcode 1234 AB", [("postcode", "nr 4 en postcode 1234 AB")]),
        # a lone capital after the number is its addition, not 'h' for hours
        ("ik woon op de Sint Janstraat 19 H in Leiden", [("address", "Sint Janstraat 19 H")]),
        ("Kerkstraat 9 I think", [("address", "Kerkstraat 9")]),  # "I": the English word
        ("de training is om 19 h op het veld", []),  # lower case: hours
        ("les 17 postcode 3071 AZ", []),  # no house number named before it
        (
            "3512 JK Utrecht, Oudegracht 80 is het",
            [("postcode", "3512 JK"), ("address", "Oudegracht 80")],
        ),
        (
            "Kastanjering 14, 5038 CL Tilburg",
            [("address", "Kastanjering 14, 5038 CL"), ("postcode", "5038 CL")],
        ),
        ("kom naar de Van Hallstraat 28hs, om 3", [("address", "Van Hallstraat 28hs")]),
        (
            "Molenweg 7bis, 6221 BT Maastricht",
            [("address", "Molenweg 7bis, 6221 BT"), ("postcode", "6221 BT")],
        ),
    ],
)
def test_more_writings_of_an_address_and_a_postcode(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "1011 AB, Kerkstraat nummer 4",  # no place between: the street may be another home's
        "Van 9, 3512 JK",  # a particle is no street
        "Hoofdstuk 3 2024 EN verder",  # no comma, a year and a word
        "Groep 8, 2024 EN 9 jaar",  # a year and a word
        "score 2513 AB - 44 punten",  # a spaced dash parts a list
        "sinds 2010 en 12 keer",
        "ik heb 10km 5 keer gelopen",
    ],
)
def test_address_and_postcode_look_alikes_stay_unflagged(text: str) -> None:
    assert [k for k, _ in found(text) if k == "postcode"] == []
    assert [v for k, v in found(text) if k == "address" and v[:1].isdigit()] == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("bsn: 3674 18253 (voor het werk)", [("id-number", "3674 18253")]),
        ("zijn bsn 209494 177, klopt", [("id-number", "209494 177")]),
        (
            "maak het over naar BE21 0012 3456 7803 als je wil",
            [("id-number", "BE21 0012 3456 7803")],
        ),
        ("gps: N 52.1583 E 4.4928 bij de ingang", [("location-link", "52.1583 E 4.4928")]),
        ("0 6 1 2 9 4 7 0 3 1 is zijn nummer", [("phone", "0 6 1 2 9 4 7 0 3 1")]),
    ],
)
def test_ids_coordinates_and_phones_in_other_groupings(
    text: str, want: list[tuple[str, str]]
) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "bel 0044 20 883\u00a077\u00a00 morgen",  # a foreign phone's groups, no BSN
        "NL64 WINW 2346 2889 70 klopt niet",  # digits of a longer run, no BSN inside it
        "prijs 1205.12345 euro",  # a decimal
        "hoek 272 4119 54° noord",  # a degree after it
        "+31(0)610 20 45 79",  # after a bracket: a phone's digits
        "1 2 3 4 5 6 7 8 9 tellen",
    ],
)
def test_grouped_bsn_look_alikes_stay_unflagged(text: str) -> None:
    assert [k for k, _ in found(text) if k == "id-number"] == []


def test_a_house_number_after_a_postcode_swallows_no_phone_or_bsn() -> None:
    assert found("5231 ab, nr 1 - 06 12947031 bel") == [
        ("postcode", "5231 ab, nr 1"),
        ("phone", "06 12947031"),
    ]
    assert found("2580 ep 762 984 594 is het") == [("id-number", "762 984 594")]
    assert found("Molenlaan 1 - 0612947031") == [
        ("address", "Molenlaan 1"),
        ("phone", "0612947031"),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1017-PN 40 daar moet je zijn voor het feest", [("postcode", "1017-PN 40")]),
        ("kom naar 3512-JK 8 om zes uur", [("postcode", "3512-JK 8")]),
        ("ze woont op 2312 bc 61, ja die van de brugklas", [("postcode", "2312 bc 61")]),
        ("mijn postcode is 5611 ab 12", [("postcode", "5611 ab 12")]),
        ("zijn adres: 6221 bt 4", [("postcode", "6221 bt 4")]),
        ("she lives at 2312 bc 61 now", [("postcode", "2312 bc 61")]),
    ],
)
def test_a_postcode_with_a_dash_or_named_with_any_two_letters(
    text: str, want: list[tuple[str, str]]
) -> None:
    """A glued dash before the capitals is a postcode's writing; lower-case letters that may
    be a word ("bc": because) are a postcode's when the post names a postcode or a home."""
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "ik had 2312 bc 61 punten",  # unnamed: "bc" may be "because"
        "de score was 2312 bc 61 was te weinig",
        "2024-05 12 was de datum",  # a date, no letters
        "1017-pn 40",  # a dash before lower case: no postcode writing
        "we wonen op de 3e verdieping, lokaal 2.14",
    ],
)
def test_unnamed_or_lower_case_dashed_look_alikes_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Naam: Roos\nTel: 06–43 21 98 76\nKlas: 2B", [("phone", "06–43 21 98 76")]),
        ("bel de receptie niet maar mij: 020 – 123 45 67", [("phone", "020 – 123 45 67")]),
        ("06—12345678 na vieren", [("phone", "06—12345678")]),
        ("Kerkstraat 3—II", [("address", "Kerkstraat 3—II")]),
        ("postcode 6211 HK - 14", [("postcode", "6211 HK - 14")]),
    ],
)
def test_an_en_or_em_dash_is_read_as_a_hyphen(text: str, want: list[tuple[str, str]]) -> None:
    """Typing apps and web pages write a dash as an en or em dash; the spans stay the post's."""
    assert found(text) == want


@pytest.mark.parametrize(
    "text", ["om 8.30–9.20 wiskunde", "score 3–2", "2024–2025", "blz. 12–14", "6211 HK - 14"]
)
def test_dashed_look_alikes_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("wij zijn verhuisd naar Zuiderdiep 77, vertel het", [("address", "Zuiderdiep 77")]),
        ("lootje adres: Beukenrode 11 (heet gewoon zo)", [("address", "Beukenrode 11")]),
        ("ze woont op Rozengaarde 5", [("address", "Rozengaarde 5")]),
        ("ik woon aan de Rozengaarde 5 in Deventer", [("address", "Rozengaarde 5")]),
        ("hij woont op het Zuiderdiep 77", [("address", "Zuiderdiep 77")]),
        ("she lives at Rozengaarde 5b now", [("address", "Rozengaarde 5b")]),
        (
            "Postcode: 9712 CP\nHuisnummer: 12-A",
            [("postcode", "9712 CP\nHuisnummer: 12-A")],
        ),
        (
            "Postcode*: 3072 AP   Huisnummer*: 210",
            [("postcode", "3072 AP   Huisnummer*: 210")],
        ),
        (
            "From: Ruben Smit <ruben.smit@kpnmail.nl>\nSubject: verslag",
            [("email", "ruben.smit@kpnmail.nl")],
        ),
    ],
)
def test_a_home_named_by_the_words_before_it_a_form_and_a_mail_header(
    text: str, want: list[tuple[str, str]]
) -> None:
    """A street name the suffixes do not know is an address right after words that say a home
    follows; a form's house number on the next line belongs to its postcode; an address in
    angle brackets, as mail headers write it, is an e-mail address."""
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "we zijn verhuisd naar Groningen 2 weken terug",
        "hij woont op Texel 3 jaar al",
        "ze woont Amsterdam 2 jaar al",
        "hij woont Utrecht 12 km verderop",
        "ik woon Delft 3 hoog",
        "ze woont Zwolle 1 week per maand",
        "hoi <@123456789012345678> kom je",
        "<:pepe:123456789012345678>",
        "schrijf <naam@voorbeeld",  # no closing bracket: not a header
        "Hoofdstuk 5 gaat over wonen op Mars",
        "hij woont op het Eiland 2 huizen verder",
        "ze woont aan de Amstel, 12 minuten fietsen",
    ],
)
def test_cue_and_bracket_look_alikes_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "GPS van de dropping: N 52°05.432' E 5°07.281'",
            [("location-link", "N 52°05.432' E 5°07.281'")],
        ),
        ("52°05.432'N 5°07.281'E", [("location-link", "52°05.432'N 5°07.281'E")]),
    ],
)
def test_coordinates_in_degrees_and_decimal_minutes(text: str, want: list[tuple[str, str]]) -> None:
    """GPS units and geocaching write minutes with decimals, the hemisphere before or after."""
    assert found(text) == want


@pytest.mark.parametrize("text", ["het was 12°5' koud E 3°4'", "hoek van 45°30' E 2°15'"])
def test_angles_without_a_hemisphere_before_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("we eten bij Sven (Lindehof 14 hs)", [("address", "Lindehof 14 hs")]),
        ("feest [Dorpsstraat 4a] om 8", [("address", "Dorpsstraat 4a")]),
        (
            "postcode: 2 5 1 1 C V en het huisnummer is 7",
            [("postcode", "2 5 1 1 C V en het huisnummer is 7")],
        ),
        ("BSN: 1 1 1 2 2 2 3 3 3 graag", [("id-number", "1 1 1 2 2 2 3 3 3")]),
        ("mijn bsn is 11 12 22 333", [("id-number", "11 12 22 333")]),
        ("bezorgen op 2511 CV - 7 aub", [("postcode", "2511 CV - 7")]),
        ("bsn van mijn broertje is 29 28 94 132", [("id-number", "29 28 94 132")]),
        ("mijn bsn staat hier: 29 28 94 132", [("id-number", "29 28 94 132")]),
    ],
)
def test_odd_writings_after_their_cue(text: str, want: list[tuple[str, str]]) -> None:
    """A street in brackets; a postcode or BSN typed apart digit by digit or in odd groups,
    right after the word that names it (a BSN also a few words after it); a postcode where a
    parcel is to be delivered."""
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "wat is 29 28 94 132",  # no word naming a BSN
        "ik heb geen bsn. de uitslag was 29 28 94 132",  # the word in another sentence
        "bsn van mijn broertje is 29 28 94 133",  # fails the elfproef
        "bsn is handig, de stand werd 2 1 0",  # too few digits
    ],
)
def test_spaced_digits_far_from_a_bsn_word_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "bestelnummer 2511-CV-209 bij de fotograaf",
        "bsn 1 1 1 2 2 2 3 3 4",  # fails the elfproef
        "het is 1 2 3 4 5 6 7 8 9",  # no word naming a BSN
        "postcode 2 5 1 1 C V",  # no house number
        "(zie blz 9)",
        "pakket bezorgen 2024 om 10",
    ],
)
def test_odd_writing_look_alikes_stay_unflagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "volg ons op insta @klas3b.memes",
        "zijn tiktok @sam.de.boer is echt grappig",
        "check @lotte.draws voor de poster",
    ],
)
def test_a_handle_with_dots_after_a_word_is_no_email(text: str) -> None:
    """Instagram and TikTok handles hold dots: a space before the at and an ending that is no
    mail domain's make a handle, not an address."""
    assert found(text) == []


def test_a_spaced_at_before_a_mail_domain_is_still_an_email() -> None:
    assert found("mail naar sam @gmail.com") == [("email", "sam @gmail.com")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("email it to rosa dot meijer at example dot nl", "rosa dot meijer at example dot nl"),
        (
            "zijn nieuwe email: tim punt kramer at example punt com",
            "tim punt kramer at example punt com",
        ),
        (
            "noor apenstaartje example punt nl, haar nieuwe mail",
            "noor apenstaartje example punt nl",
        ),
        ("mail rosa at example dot nl", "rosa at example dot nl"),
    ],
)
def test_a_disguised_address_at_an_unknown_domain(text: str, value: str) -> None:
    """A domain of no known provider: an address by its shape (a dot word in the name, the
    at written "apenstaartje", which no sentence has) or a mail word just before it."""
    assert found(text) == [("email", value)]


@pytest.mark.parametrize(
    "text",
    [
        "look at this dot com",
        "email at school dot nl is down",
        "the party is at noor dot the snacks are at mine",
        "mail me at outlook dot com",
    ],
)
def test_at_and_dot_in_a_sentence_stay_words(text: str) -> None:
    assert found(text) == []
