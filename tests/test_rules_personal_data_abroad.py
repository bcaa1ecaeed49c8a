"""Session 47 (blind13): British and American phone numbers, ranges the library calls only
possible, spelled numbers joined by dashes, a house number with no word before it, a postcode
a few words from its address, and passport or ID card numbers named before them."""

from __future__ import annotations

import pytest

from compass_bot.features.personal_data.rules import PersonalDataRule, find_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("UK friends!! my new number is +44 7700 900 517, add me", "+44 7700 900 517"),
        ("share it: +1 (555) 014-9921", "+1 (555) 014-9921"),
        ("zijn oude nummer 07911 123456 werkt nog", "07911 123456"),  # valid in GB
        ("bel het kantoor in Londen: 020 7946 0958", "020 7946 0958"),  # valid in GB, a phone word
        ("if found pls text 07700 900461 (uk number)", "07700 900461"),  # possible: a cue
        ("My mobile is 07700 900284 (UK number)", "07700 900284"),
        ("the office is (212) 555-0182 during the day", "(212) 555-0182"),  # valid in US
        ("or 212-555-0182 after six", "212-555-0182"),
        ("if found call (555) 014-2387. anyone?", "(555) 014-2387"),  # possible: a cue
        ("Call Mr. Holt at 555-0173", "555-0173"),  # seven digits after a call word
    ],
)
def test_british_and_american_numbers_are_found(text: str, phone: str) -> None:
    assert found(text) == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "see the list: 07700 900461 and 07700 900462",  # possible only, no cue
        "order number 07700 900461",  # another thing's number
        "it says (555) 014-2387 on the box",  # possible only, no cue
        "the phone number in the script is 555-0142, not real",  # seven digits: no call word
        "bel 020 123 45679 niet",  # a Dutch number with a digit too many, no British grouping
        "de lijst: 0706-1234567",  # no British grouping
        "01234567806/12/2024",  # a date after it: the run goes on
    ],
)
def test_possible_numbers_without_a_cue_or_british_writing_stay_unflagged(text: str) -> None:
    assert [v for k, v in found(text) if k == "phone"] == []


def test_a_country_code_written_apart_from_its_plus_or_00_is_no_possible_number() -> None:
    """ "00 - 436 251 188" is a list with a BSN in it, not 0043 6251188."""
    assert found("0657 - 02 - 23 - 00 - 436 251 188 - po") == [("id-number", "436 251 188")]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        (
            "text him to confirm: oh-six, one-three, eight-eight, four-two, one-nine",
            "oh-six, one-three, eight-eight, four-two, one-nine",
        ),
        ("mijn nummer: nul-zes-één-zeven 83 20 46 (voor de carpool)", "nul-zes-één-zeven 83 20 46"),
        ("call me: oh six one two three four five six seven eight", None),
    ],
)
def test_dashes_and_oh_spell_a_number_after_a_phone_word(text: str, phone: str | None) -> None:
    want = phone or text.split(": ", 1)[1]
    assert found(text) == [("phone", want)]
    assert found(text.split(": ", 1)[1]) == []  # no phone word: scores or a sigh


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Collection from 41 Frans Halslaan", "41 Frans Halslaan"),
        ("pick-up from 12 Orchard Close at 7:30", "12 Orchard Close"),
        ("Return to: 8 Poplar Street, or call", "8 Poplar Street"),
        ("Bike for sale, we live at 4 Elm Grove, Utrecht side", "4 Elm Grove"),
        ("Mine's 7 Kastanjelaan, Bilthoven", "7 Kastanjelaan"),
        ("home address on it (11 Thornbury Avenue) so", "11 Thornbury Avenue"),
        ("4 Privet Drive is where he lives", "4 Privet Drive"),
        ("sweet 16 at my house!! 2341 Oak Street, doors at 7", "2341 Oak Street"),
        ("afgeven bij de buren, nr 15 van de Wilhelminastraat", "nr 15 van de Wilhelminastraat"),
        ("hij woont in de Dorpsstraat op nummer 7, zijn", "Dorpsstraat op nummer 7"),
    ],
)
def test_a_house_number_before_its_street_in_more_places(text: str, address: str) -> None:
    assert found(text) == [("address", address)]


@pytest.mark.parametrize(
    "text",
    [
        "meet at 7 Station Square",  # a square: an hour
        "the final was in 2024 Oak Street won",  # a year
        "in Lokaal. St. Jans is het feest",
        "zie blz. 45 Laan van de toekomst",  # after a full stop: a page
        "we lost 12 Kerkstraat games",
        "post, 6951 SW Wilhelminasingel",
    ],
)
def test_counts_years_and_hours_before_a_street_stay_unflagged(text: str) -> None:
    assert [v for k, v in found(text) if k == "address"] == []


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("stond bij Koningsweg 160, postcode 3582 GE, met je naam erop", "3582 GE"),
        ("Postcode is 3723 HJ for the satnav, she's at Prinses Julianalaan 19", "3723 HJ"),
        ("new address: 221 Heerengracht, 1016 BN Amsterdam", "1016 BN"),
        ("adres: Rozengracht 200-3hg, 1016 NL Amsterdam", "1016 NL"),
        ("new address: 77 Nieuwe Kade (top floor). Postcode 6827 AZ. Don't", "6827 AZ"),
    ],
)
def test_a_postcode_near_an_address_is_its_postcode(text: str, postcode: str) -> None:
    assert ("postcode", postcode) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "haar postcode is 3512 JK maar ik weet het huisnummer niet",  # no house number
        "1011 AB, Kerkstraat nummer 4",  # unnamed before a street: maybe another home's
        "Kerkstraat, 1234 AB Amsterdam",  # a street and a postcode, no house number
    ],
)
def test_a_postcode_without_a_house_number_nearby_stays_unflagged(text: str) -> None:
    assert [v for k, v in found(text) if k == "postcode"] == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("ik heb mn ID-kaart gevonden!! documentnummer IXB4K7N21 staat er op", "IXB4K7N21"),
        ("er zit mn paspoort in (nr NX7R4K2P9) als iemand", "NX7R4K2P9"),
        ("I need Noah's passport number, it's BR8YK24L1 right?", "BR8YK24L1"),
        ("paspoortnr van mn broertje voor de schoolreis: NP4L8R2J7, mam", "NP4L8R2J7"),
    ],
)
def test_a_document_number_after_the_word_that_names_it(text: str, number: str) -> None:
    assert found(text) == [("id-number", number)]
    assert PersonalDataRule().find(text)


@pytest.mark.parametrize(
    "text",
    [
        "code NX7R4K2P9 voor de escape room",  # no word names a document
        "paspoort kwijt, ticket NX7R4K2PO",  # an O, and no digit last
        "mijn leerlingnummer is 204518, moet dat op het voorblad?",  # the labelled sets: none
        "paspoort verlopen! code NX7R4K2P9",  # the sentence ends between
    ],
)
def test_codes_and_student_numbers_are_no_document_number(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # ranges and codes after a call word that is not right before them (a reviewer's finds)
        "The text should be 500-1000 words",
        "Write a text of 300-1000 words",
        "Text: 250-1500 woorden",
        "Bel me als je tussen 200-1000 punten hebt",
        "App me, we hebben 250-3000 volgers nodig",
        "Call of Duty lobby 555-0123",
        "Bel de juf, wachtwoord wifi 555-1234",
        # a time before names and a street type after "at"
        "Lunch at 12 Food Court?",
        "We play at 4 Basketball Court",
        # titles, songs and trips: a number opening a line with no word of a home
        "21 Jump Street is echt een goede film",
        "Film van vanavond: 21 Jump Street",
        "Bestemming: 12 Oxford Street, Londen (excursie)",
        # exam, flight and assignment codes beside an ID word
        "Neem je ID-kaart mee voor het examen DUITS2024",
        "mijn paspoort is verlopen, mijn boardingpass code is KL1234567",
        "Document number: ASSGN0012",
        # a track, and British numbers without a phone word
        "Track nr 1 of the Abbey Road album",
        "Mijn bestelnummer is 07911123456",
        "Order number 07911 123456 is shipped",
        "Vraag 6: 020 7946 0958 is de uitkomst?",
    ],
)
def test_school_chat_with_numbers_stays_unflagged(text: str) -> None:
    assert find_personal_data(text) == ()
