"""The personal-data rule (aanwijzing-6): every kind, every look-alike, allow list, mask, CLI."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from compass_bot.config import ConfigError, parse_config
from compass_bot.features.personal_data import rules_candidates as candidates
from compass_bot.features.personal_data import rules_scan
from compass_bot.features.personal_data.rules import (
    CLAUSE_ID,
    KINDS,
    Finding,
    PersonalDataRule,
    could_contain,
    find_personal_data,
    mask,
    nl_number_is_valid,
)
from compass_bot.features.personal_data.rules_address import may_start_house_number

ROOT = Path(__file__).resolve().parent.parent


def found(text: str, allowed: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, allowed)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("bel me op 06-12345678 ok", "06-12345678"),
        ("nummer 06 12 34 56 78", "06 12 34 56 78"),
        ("app 0612345678", "0612345678"),
        ("06 1234 5678", "06 1234 5678"),
        ("06.12.34.56.78", "06.12.34.56.78"),
        ("+31 6 12345678", "+31 6 12345678"),
        ("+31 (0)6 12345678", "+31 (0)6 12345678"),
        ("tel: +31(0)20 4718293, vraag naar Joost", "+31(0)20 4718293"),  # no space before (0)
        ("+31(0)612345678", "+31(0)612345678"),
        ("+316-12345678", "+316-12345678"),
        ("0031 6 1234 5678", "0031 6 1234 5678"),
        ("thuis (020) 123 4567", "(020) 123 4567"),
        ("030-2345678", "030-2345678"),
        ("010 - 234 56 78", "010 - 234 56 78"),
        ("tel:0612345678", "0612345678"),
        ("uk +44 7911 123456", "+44 7911 123456"),
        ("+49 30 12345678", "+49 30 12345678"),
        ("+1 (415) 555-2671", "+1 (415) 555-2671"),
        ("bel 0612345678 om 12:15", "0612345678"),
    ],
)
def test_phone_numbers(text: str, value: str) -> None:
    assert found(text) == [("phone", value)]


def test_nl_validity_is_phonenumbers_own_verdict() -> None:
    rng = random.Random(14)
    for _ in range(3000):
        nsn = str(rng.randint(1, 9)) + "".join(
            rng.choice("0123456789") for _ in range(rng.randint(6, 10))
        )
        expected = phonenumbers.is_valid_number(phonenumbers.parse("0" + nsn, "NL"))
        assert nl_number_is_valid(nsn) == expected, nsn


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mail lisa.devries@gmail.com", "lisa.devries@gmail.com"),
        ("jan [at] gmail [dot] com", "jan [at] gmail [dot] com"),
        ("tim(at)hotmail(punt)nl", "tim(at)hotmail(punt)nl"),
        ("noor at outlook dot com", "noor at outlook dot com"),
        ("BOB AT GMAIL DOT COM", "BOB AT GMAIL DOT COM"),
        ("kees @ gmail . com is het", "kees @ gmail . com"),
        ("emma.b {at} yahoo [.] com", "emma.b {at} yahoo [.] com"),
        ("j.jansen(a)ziggo(punt)nl", "j.jansen(a)ziggo(punt)nl"),
        ("mila＠gmail.com", "mila＠gmail.com"),
        ("fleur apenstaartje gmail punt com", "fleur apenstaartje gmail punt com"),
        ("jan@gmail.com. Morgen", "jan@gmail.com"),
        # a disguised local part in parts: all of it, not only the word before the at
        ("mail sanne dot jansen at gmail dot com", "sanne dot jansen at gmail dot com"),
        (
            "sanne [punt] de [punt] vries [at] live [dot] nl",
            "sanne [punt] de [punt] vries [at] live [dot] nl",
        ),
        ("zie maps.app/AbC1 punt jan [at] gmail [dot] com", "jan [at] gmail [dot] com"),
    ],
)
def test_emails(text: str, value: str) -> None:
    assert found(text) == [("email", value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ik woon op de Kerkstraat 12a", "Kerkstraat 12a"),
        ("thuis: Burg. de Withstraat 3-II", "Burg. de Withstraat 3-II"),
        ("kerkstraat 14 bis", "kerkstraat 14 bis"),
        ("Laan van Meerdervoort 221", "Laan van Meerdervoort 221"),
        ("Oude Gracht 45", "Oude Gracht 45"),
        ("St. Jacobsstraat 17", "St. Jacobsstraat 17"),
        ("Prof. v. Bemmelenstraat 12b", "Prof. v. Bemmelenstraat 12b"),
        ("Mijn adres is Van Heemstraweg 10", "Van Heemstraweg 10"),
        ("Kerkstr. 5", "Kerkstr. 5"),
        ("Vondelkade 102 hs", "Vondelkade 102 hs"),
    ],
)
def test_addresses(text: str, value: str) -> None:
    assert found(text) == [("address", value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("postcode 3512 JK 8", "3512 JK 8"),
        ("3581AB nr 12", "3581AB nr 12"),
        ("3512jk 8", "3512jk 8"),
        ("huisnummer 7, 2514 GL", "huisnummer 7, 2514 GL"),
    ],
)
def test_postcodes(text: str, value: str) -> None:
    assert found(text) == [("postcode", value)]


def test_an_address_with_its_postcode_is_both() -> None:
    """The house number stands before the postcode: an address, and a postcode too."""
    assert found("Dorpsstraat 4-1, 3512 JK Utrecht") == [
        ("address", "Dorpsstraat 4-1, 3512 JK"),
        ("postcode", "3512 JK"),
    ]


def test_postcode_alone_is_no_home() -> None:
    assert found("postcode 3512 JK") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("https://maps.app.goo.gl/Xy7bQ2pLm3", "https://maps.app.goo.gl/Xy7bQ2pLm3"),
        ("hier: https://goo.gl/maps/abc123.", "https://goo.gl/maps/abc123"),
        (
            "(https://www.google.com/maps/place/52.09,5.12)",
            "https://www.google.com/maps/place/52.09,5.12",
        ),
        ("https://maps.apple.com/?ll=52.09,5.12", "https://maps.apple.com/?ll=52.09,5.12"),
        ("https://map.snapchat.com/@52.1,5.1,12z", "https://map.snapchat.com/@52.1,5.1,12z"),
        ("https://life360.com/invite/ABCDEF", "https://life360.com/invite/ABCDEF"),
        ("Join my Circle on Life360 with code QWE-RTY", "QWE-RTY"),
        ("join mn life360 circle, code XMB-PRD, dan zie je me", "XMB-PRD"),
        ("de life360 code van emma d'r familie: RKP-WTB", "RKP-WTB"),
        ("life360 code: XMBPRD", "XMBPRD"),
        ("we zitten hier: ///tafel.lamp.fiets", "///tafel.lamp.fiets"),
        ("huis: 52.0907, 5.1214", "52.0907, 5.1214"),
        ("52°05'26.5\"N 5°07'17.0\"E", "52°05'26.5\"N 5°07'17.0\"E"),
        ("plus code 9F46+QX Utrecht", "9F46+QX"),
        ("bij 9F469F2W+5V", "9F469F2W+5V"),
    ],
)
def test_location_links(text: str, value: str) -> None:
    assert found(text) == [("location-link", value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("bsn 725763863", "725763863"),
        ("BSN: 1622.75.869", "1622.75.869"),
        ("bsn 192 285 142", "192 285 142"),
        ("naar NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("IBAN NL39 RABO 0300 0652 64 graag", "NL39 RABO 0300 0652 64"),
        ("nl20ingb0001234567", "nl20ingb0001234567"),
        ("DE89370400440532013000", "DE89370400440532013000"),
        # unspaced, then a word: the word is no group of it
        ("mijn iban is BE34957925371490 want ik woon", "BE34957925371490"),
        ("NL91ABNA0417164300 graag", "NL91ABNA0417164300"),
    ],
)
def test_id_numbers(text: str, value: str) -> None:
    assert found(text) == [("id-number", value)]


@pytest.mark.parametrize(
    "text",
    [
        "we hebben om 12:15 pauze",
        "wiskunde 8.30-9.20",
        "de les is 08:30-09:20",
        "ik had een 7,5",
        "Ajax - PSV 3-2",
        "de hoodie kost €29,99",
        "de hoodie kost 29.99 euro",
        "klas 4H2 heeft vrij",
        "3VWO-B naar lokaal 2.14",
        "maak opgave 12 t/m 18 van hoofdstuk 4",
        "bladzijde 112, paragraaf 3.2",
        "de iPhone 15 Pro",
        "samsung galaxy s23",
        "in 2024 gingen we",
        "de toets is op 12-03-2025",
        "op 06-12-2024 is de kerstmarkt",
        "01-03-2024 10:00",
        "<@123456789012345678> kijk",
        "<@!987654321098765432> en <#112233445566778899> en <@&112233445566778899>",
        "<t:1700000000:R> en <:pepe:123456789012345678>",
        "zijn id is 123456789012345678",
        "https://discord.com/channels/123456789012345678/223456789012345678/3234567890",
        "https://discord.gg/0612345678",
        "bsn 725763864",
        "NL91ABNA0417164301",
        "06-1234567",
        "ik ben onderweg, 10 min",
        "supermarkt 2 pakken",
        "we lopen 5 km",
        "yo @everyone",
        "look at this dot com bubble",
        "3.14 en 2.71",
        "C++ en 2345+67",
        "join my Life360 circle",
        "life360 op mijn IPHONE werkt niet",
        "life360 is stom, ik zit in 3VWO-B",
        "life360 premium kost 100-120 euro per jaar",
        "mijn ouders checken life360, ik zat 200-300 meter van school",
        "life360 ging mis\nklas ABC-DEF",
        "NL04 RABO 0137 3248 06 klopt niet (verkeerd controlegetal)",
        "nl04 rabo 0137 3248 06",
        ":) (lol) [spoiler] {haha}",
    ],
)
def test_look_alikes_are_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "3.14159, 2.71828",
        "pi = 3.14159, 2.71828 is e",
        "de uitkomst is 52.1234, 4.5678 afgerond",
        "(x = 12.34567, 45.67891)",
    ],
)
def test_math_is_no_coordinates(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("coordinaten: 6.4541, 3.3947", "6.4541, 3.3947"),
        ("6.4541° N, 3.3947° E", "6.4541° N, 3.3947° E"),
        ("hier: -33.8688, 151.2093", "-33.8688, 151.2093"),
    ],
)
def test_coordinates_near_zero_need_a_marker_or_context(text: str, value: str) -> None:
    assert found(text) == [("location-link", value)]


@pytest.mark.parametrize(
    "text", ["IN 2024 EN 8 KLASSEN", "VAN 1999 OF 7 GEZIEN", "IN 2024 EN 2025"]
)
def test_a_year_and_a_word_is_no_postcode(text: str) -> None:
    assert found(text) == []


def test_a_year_like_postcode_after_the_word_postcode_stays() -> None:
    assert found("postcode 2024 EN 8") == [("postcode", "2024 EN 8")]


@pytest.mark.parametrize("text", ["0612 345 678 9", "bel 06 12 34 56 78 9 ok", "030 123 4567 8"])
def test_a_longer_invalid_run_flags_no_prefix(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("bel 0612345678 15:00", ["0612345678"]),
        ("06-12345678 / 06-87654321", ["06-12345678", "06-87654321"]),
        ("0612345678 0687654321", ["0612345678", "0687654321"]),
        ("0612 345 678, 2x gebeld", ["0612 345 678"]),
        ("0612 345 678 15:00", ["0612 345 678"]),
        ("bel 0612345678 14 keer", ["0612345678"]),
        ("06-28765432 20%", ["06-28765432"]),
        ("+31 020-6234567 23456789", ["+31 020-6234567"]),
    ],
)
def test_a_number_ends_at_a_clear_break(text: str, values: list[str]) -> None:
    assert found(text) == [("phone", v) for v in values]


@pytest.mark.parametrize(
    ("text", "value"),
    [("plus code 9f46+qx utrecht", "9f46+qx"), ("bij 9f469f2w+5v", "9f469f2w+5v")],
)
def test_plus_codes_in_lower_case(text: str, value: str) -> None:
    assert found(text) == [("location-link", value)]


@pytest.mark.parametrize("text", ["9F46+qx", "c++ en abcd+ef"])
def test_plus_codes_in_mixed_case_or_other_letters_are_not(text: str) -> None:
    assert found(text) == []


def test_long_look_alike_post_yields_nothing_and_data_still_found() -> None:
    """The combined pass rejects look-alikes in the regex engine; data among them stays."""
    look = "Toets H3 om 8.30-9.20 in lokaal 2.14, een 7,5 gehaald, klas 4H2, 3-2 gewonnen. "
    text = (look * 30)[:2000]
    assert found(text) == []
    mixed = text[:1000] + " app 06-12345678 of Kerkstraat 12a, " + text[1000:]
    assert [k for k, _ in found(mixed)] == ["phone", "address"]


def test_prefilter_rejects_plain_chat_and_passes_every_kind() -> None:
    assert not could_contain("heeft iemand de huiswerkopdracht al af?")
    assert not could_contain("x" * 3000)
    for text in ("06", "a@b", "goo.gl/maps", "noor at outlook dot com", "CFX3+2W", "(at)"):
        assert could_contain(text), text
        assert could_contain(text + " " + "y" * 3000), text


def test_long_post_with_data_mid_sentence() -> None:
    filler = "Hoi allemaal, morgen hebben we het tweede uur gym en daarna wiskunde. " * 14
    text = filler + "bel me op 06-12345678 of kom naar Kerkstraat 12a. " + filler
    assert [k for k, _ in found(text)] == ["phone", "address"]


def test_allowed_entries_compare_normalised() -> None:
    allowed = ("+31 30 123 4567", "Kerkstraat 1, 3512 AB Utrecht", "Info@Compass-School.nl")
    text = "bel school 030-1234567 of mail info@compass-school.nl, adres Kerkstraat 1"
    assert found(text, allowed) == []
    assert found("030-1234567") == [("phone", "030-1234567")]
    assert found("3512 AB 1", allowed) == []
    other = "bel 030-1234568 of kom naar Kerkstraat 2"
    assert [k for k, _ in found(other, allowed)] == ["phone", "address"]
    rule = PersonalDataRule(allowed)
    assert rule.find(text) == ()
    assert rule.find("0612345678") == (Finding("phone", 0, 10),)


@pytest.mark.parametrize(
    "text",
    [
        "bel 06 12 34 56 78 nu",
        "+31 (0)6 12345678",
        "(020) 123 4567 thuis",
        "0031 6 1234 5678",
    ],
)
def test_mask_leaves_no_digit_of_a_phone_number(text: str) -> None:
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["phone"]
    masked = mask(text, findings)
    assert "[telefoonnummer verborgen]" in masked
    assert not any(ch.isdigit() for ch in masked)


def test_mask_labels_every_kind() -> None:
    text = "06-12345678 jan@gmail.com Kerkstraat 12 en 3512 JK 8 ///tafel.lamp.fiets bsn 725763863"
    findings = find_personal_data(text)
    assert {f.kind for f in findings} == set(KINDS)
    assert mask(text, findings) == (
        "[telefoonnummer verborgen] [e-mailadres verborgen] [adres verborgen] en "
        "[postcode verborgen] [locatie verborgen] bsn [nummer verborgen]"
    )


def test_dev_set_is_well_formed() -> None:
    lines = (ROOT / "tests" / "data" / "personal_data_dev.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in lines.splitlines() if line.strip()]
    assert len(rows) >= 150
    assert all(set(row["kinds"]) <= set(KINDS) for row in rows)
    assert {k for row in rows for k in row["kinds"]} == set(KINDS)


def test_config_section_defaults_and_validation() -> None:
    config = parse_config("")
    assert config.personal_data.allowed == []
    assert config.personal_data.action == "warn"
    config = parse_config("personal_data:\n  allowed: 030-1234567\n  action: hide\n")
    assert config.personal_data.allowed == ["030-1234567"]
    with pytest.raises(ConfigError, match=r"personal_data\.action"):
        parse_config("personal_data:\n  action: delete\n")
    with pytest.raises(ConfigError, match="unknown key"):
        parse_config("personal_data:\n  alowed: []\n")


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compass_bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_check_message_json() -> None:
    result = run_cli("check-message", "--json", "bel me: 06-12345678")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "flagged": True,
        "findings": [{"kind": "phone", "start": 8, "end": 19}],
        "clause": CLAUSE_ID,
    }
    assert result.stdout.count("\n") == 1


def test_cli_check_message_stdin_in_order(tmp_path: Path) -> None:
    stdin = "hoi allemaal\njan [at] gmail [dot] com\nom 12:15 in lokaal 2.14\nbel 030-1234567\n"
    result = run_cli("check-message", "--json", "--stdin", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["flagged"] for line in lines] == [False, True, False, True]
    assert lines[0] == {"flagged": False, "findings": [], "clause": None}
    assert lines[1]["findings"] == [{"kind": "email", "start": 0, "end": 24}]
    config = tmp_path / "config.yaml"
    config.write_text('personal_data:\n  allowed: ["+31 30 123 4567"]\n', encoding="utf-8")
    result = run_cli("check-message", "--json", "--stdin", "--config", str(config), stdin=stdin)
    assert [json.loads(line)["flagged"] for line in result.stdout.splitlines()] == [
        False,
        True,
        False,
        False,
    ]


def test_cli_human_line_never_echoes_the_data() -> None:
    result = run_cli("check-message", "bel me: 06-12345678")
    assert result.returncode == 0
    assert "phone" in result.stdout and "[telefoonnummer verborgen]" in result.stdout
    assert "12345678" not in result.stdout


def test_cli_without_text_is_one_line_and_exit_2() -> None:
    result = run_cli("check-message")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


# --- cost: digit runs are tried only where a candidate can start -----------------------------

_FRAGMENTS = (
    "06-12345678",
    "06 12 34 56 78",
    "+31 (0)6 12345678",
    "0031 6 1234 5678",
    "(020) 123 4567",
    "+44 7911 123456",
    "0612 345 678 9",
    "Kerkstraat 12a",
    "Burg. de Withstraat 3-II",
    "kerkstraat 9, 3512 JK",
    "3512 JK 8",
    "3512jk, nr 8",
    "huisnummer 12, 3512 AB",
    "52.3676, 4.9041",
    "52°22'N 4°53'E",
    "21°C",
    "9F46+QX",
    "NL91 ABNA 0417 1643 00",
    "NL91ABNA0417164300",
    "nl91 abna 0417 1643 00",
    "123456782",
    "1234.56.782",
    "123 456 782",
    "<@123456789012345678>",
    "12:15",
    "8.30-9.20",
    "8.30-10.15",
    "7,5",
    "3-2",
    "4H2",
    "lokaal 2.14",
    "blz. 45",
    "iPhone 15",
    "2024",
    "12-05-2024",
    "12-05-24",
    "€ 3,50",
    "20%",
    "8 uur",
    "pi is 3.14159",
    "12345678901234567890",
    "Kerkstraat\u00a012",
    "3512\u00a0JK\u00a08",
    "\u041aerkstraat 12",
    "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
    "é 12",
    "ß 9",
    "12€",
    "3'",
    "12_3",
    "Straat 3b.1",
    "a.5 9",
    "tel0612345678",
    "1 2 3 4 5 6 7",
    "op",
    "Jan",
    "en",
    ",",
    ".",
    ":",
    "/",
    "(",
    ")",
    "-",
    "\n",
    "x",
)


def _random_post(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_FRAGMENTS) + rng.choice((" ", "", ", ", "\n")) for _ in range(parts))


def _assert_full_pass_less_hopeless_numbers(text: str) -> None:
    full = [m.span() for m in candidates.NUM_CANDIDATE.finditer(text)]
    got = list(candidates.digit_candidates(text, _shape_of(text)))
    assert got == [span for span in full if span in got], text
    left_out = [span for span in full if span not in got]
    assert not [s for s, _ in left_out if may_start_house_number(text, s)], text


def test_digit_candidates_equal_one_full_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The windows (byte-level tests per branch) lose no digit run a full pass would yield,
    but short numbers after a word no house number can follow ("blz. 45")."""
    rng = random.Random(14)
    texts = [_random_post(rng, rng.choice((3, 12, 60, 200))) for _ in range(1500)]
    for text in texts:  # as the rule runs: runs when digits are few, windows or one pass
        _assert_full_pass_less_hopeless_numbers(text)
    monkeypatch.setattr(candidates, "_FEW_DIGITS", -1)  # windows, however many
    monkeypatch.setattr(candidates, "_MAX_CORES", 10**9)
    for text in texts:
        _assert_full_pass_less_hopeless_numbers(text)


def test_the_candidates_left_out_change_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings with every candidate of a full pass equal the rule's own (long posts)."""
    rng = random.Random(15)
    texts = [_random_post(rng, rng.choice((60, 200))) for _ in range(400)]
    texts.append("blz. 45 opdr. 3a t/m 7c, h4 om 8 uur, Kerkstraat 12a, 10x, 12/05. " * 30)
    own = [find_personal_data(text) for text in texts]
    monkeypatch.setattr(rules_scan, "few_digits", lambda shape, first, last: False)
    monkeypatch.setattr(
        rules_scan,
        "many_digit_candidates",
        lambda text, shape, first: [m.span() for m in candidates.NUM_CANDIDATE.finditer(text)],
    )
    assert [find_personal_data(text) for text in texts] == own
    assert any(f.kind == "address" for f in own[-1])


def test_page_and_exercise_numbers_are_no_candidates() -> None:
    text = "blz 12, 13, 14 opg 3a 4b 5c, om 8 uur, t/m 7c " * 40
    assert len(text) > 256
    assert list(candidates.digit_candidates(text, _shape_of(text))) == []
    assert find_personal_data(text) == ()


def _shape_of(text: str) -> bytes:
    src = text.replace("\u00a0", " ")
    return src.encode("ascii", "replace").translate(candidates.SHAPE)


@pytest.mark.parametrize(
    "line",
    [
        "Toets H3 om 8.30-9.20 in lokaal 2.14, een 7,5 gehaald, klas 4H2, 3-2 gewonnen. ",
        "\u0422oets H3 om 8.30 in l\u043ekaal 2.14 (Cyrillic T and o), cijfer 7,5, 3-2, 4H2. ",
        "Cijfers 7,5 / 8,1 / 6,9; lokaal 1.12 en 2.14; klas 4H2 en 3VWO-B; h4 \u00a74.2. ",
    ],
)
def test_look_alike_heavy_post_needs_no_digit_pass(line: str) -> None:
    """A long post of times, grades, rooms and look-alike letters opens no window at all."""
    text = (line * 40)[:2000]
    assert candidates.number_windows(text, _shape_of(text)) == []
    assert found(text) == []


def test_short_numbers_after_words_are_no_data() -> None:
    """Page, exercise and hour numbers are candidates (a house number could follow a word)
    that the address check turns down."""
    line = "blz. 45 opdr. 3a t/m 7c, h4 \u00a74.2, 1e uur 9.20-9.50, om 8 uur, 10x, 12/05. "
    assert found((line * 40)[:2000]) == []


def test_dates_and_degrees_open_small_windows_only() -> None:
    look = "Toets H3 om 8.30-9.20 in lokaal 2.14, een 7,5 gehaald, klas 4H2, 3-2 gewonnen. " * 8
    text = look + "toets op 12-05-2024, " + look + "het is 21 \u00b0C. " + look
    windows = candidates.number_windows(text, _shape_of(text))
    assert windows and sum(hi - lo + 1 for lo, hi in windows) < 40
    assert found(text) == []


def test_data_far_apart_in_a_look_alike_post_is_found() -> None:
    look = "Toets H3 om 8.30-9.20 in lokaal 2.14, een 7,5 gehaald, klas 4H2, 3-2 gewonnen. " * 8
    text = (
        "app 06-12345678. "
        + look
        + "IBAN NL91 ABNA 0417 1643 00 "
        + look
        + "bsn 123456782, "
        + look
        + "pin 52.3676, 4.9041 "
        + look
        + "3512\u00a0JK\u00a08 "
        + look
        + "kom naar Kerkstraat\u00a012a"
    )
    assert [k for k, _ in found(text)] == [
        "phone",
        "id-number",
        "id-number",
        "location-link",
        "postcode",
        "address",
    ]


def test_data_in_disguise_is_read_as_it_looks_and_masked_as_typed() -> None:
    """Full-width digits, digits of other scripts and invisible characters inside a number or
    an address (a way around a filter) are read as the digits they show; the span and the
    mask cover the characters as the member typed them."""
    full_width = "bel \uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 nu"
    assert found(full_width) == [("phone", full_width[4:14])]
    assert mask(full_width, find_personal_data(full_width)) == "bel [telefoonnummer verborgen] nu"
    hidden = "bel 06\u200b12345678 of mail jan\u00ad@school.nl"
    assert [kind for kind, _ in found(hidden)] == ["phone", "email"]
    assert "\u200b" not in mask(hidden, find_personal_data(hidden))
    arabic = "bel \u0660\u0666-12345678"
    assert found(arabic) == [("phone", arabic[4:])]
    assert PersonalDataRule().find(full_width) == find_personal_data(full_width)
    # after an ASCII number, full-width digits continue it: still flagged, all of it masked
    trailing = "bel 030-2345678\uff10\uff16 nu"
    assert mask(trailing, find_personal_data(trailing)).endswith("verborgen] nu")
    assert found("héél leuk 😀, kamer ２") == []  # no data, only non-ASCII letters
    # a right-to-left override shows "8765432360" as 0632345678: read as it shows, and the
    # override goes with the mask so it cannot turn the mask's words around
    reversed_number = "bel Sara: \u202e8765432360\u202c ok"
    assert [kind for kind, _ in found(reversed_number)] == ["phone"]
    assert mask(reversed_number, find_personal_data(reversed_number)) == (
        "bel Sara: [telefoonnummer verborgen] ok"
    )
    assert found("\u202ehallo wereld, tot morgen") == []


# --- fast paths against the slow definitions they replace ---------------------------------

_MIXED = (
    "aAdDoOtTpPuUnNeErRsS 0123456789.,:-/()+@?'%_\u00a0\u00e9\u00c9\u00df\u0422\u043e\u212a\u0130\n"
)


def _random_mixed(rng: random.Random) -> str:
    words = ("dot", "DOT", "Punt", "pUnT", "apenstaart", "APENSTAARTJE", "at", "\u212aade")
    parts = [
        rng.choice(words) if rng.random() < 0.2 else rng.choice(_MIXED)
        for _ in range(rng.randint(0, 40))
    ]
    return "".join(parts)


@pytest.mark.parametrize(
    "text",
    [
        "look at gmail dot com for the login",
        "log in at outlook dot com",
        "mail me at outlook dot com",
        "the code is at hotmail dot com",
    ],
)
def test_an_at_word_in_a_sentence_is_no_address(text: str) -> None:
    assert found(text) == []


def test_word_disguise_gate_equals_the_dot_word_pattern() -> None:
    """The gate before the disguised e-mail search says yes exactly where ``_DOT_WORD``
    (" dot " / " punt " between whitespace, any case) matches: from the byte view (one
    translate) and from the text, also with non-Latin-1 letters and spaces, the Kelvin sign
    and the Turkish dotted I around."""
    from compass_bot.features.personal_data.rules_email import (
        _DOT_WORD,
        has_word_disguise,
        latin1_view,
        word_disguise_in,
    )

    rng = random.Random(141)
    texts = [_random_mixed(rng) for _ in range(5000)]
    spaces = (" ", "\n", "\u00a0", "\t", "\u2003", "", "x", ".")
    for _ in range(2000):  # a dot word between whitespace or not, somewhere in a mixed text
        text = _random_mixed(rng)
        k = rng.randint(0, len(text))
        word = rng.choice(("dot", "DOT", "Punt", "pUnT", "punten", "xdot"))
        texts.append(text[:k] + rng.choice(spaces) + word + rng.choice(spaces) + text[k:])
    texts += ["İİ dot x", "a\npunt\nb", "a\u00a0DoT\u00a0b", "punten dotje", "x dot", "dot y"]
    hits = 0
    for text in texts:
        expected = _DOT_WORD.search(text) is not None
        assert word_disguise_in(latin1_view(text)) == expected, text
        assert has_word_disguise(text) == expected, text
        hits += expected
    assert 300 < hits < 6500  # both answers are met often


def test_shape_from_the_latin1_view_equals_the_ascii_shape() -> None:
    """Latin-1 letters, the no-break space and other characters get the bytes they had when
    the shape was read from an ASCII encoding with the no-break space replaced."""
    rng = random.Random(142)
    for _ in range(3000):
        text = _random_mixed(rng)
        assert candidates.shape_of(text) == _shape_of(text), text


def _street_word_slow(word: str) -> bool:
    import re

    from compass_bot.features.personal_data.rules_kinds import (
        STREET_NOT,
        STREET_SUFFIXES,
        STREET_TYPE_WORDS,
    )

    ends = [x for x in STREET_SUFFIXES if word.endswith(x)]
    if not ends:
        return False
    stem = word[: -max(len(x) for x in ends)]
    if (stem and re.fullmatch(r"(?:[^\W\d_]|['-])+", stem) is None) or word in STREET_NOT:
        return False
    return len(stem) >= 2 or word in STREET_TYPE_WORDS


def test_street_word_lookup_by_last_letters_equals_the_longest_suffix_rule() -> None:
    from compass_bot.features.personal_data.rules_kinds import STREET_NOT, STREET_SUFFIXES
    from compass_bot.features.personal_data.rules_street import is_street_word

    rng = random.Random(143)
    stems = ("", "a", "kerk", "dwars", "'s-", "x1", "\u00e9glise", "b\u00b2", "de-", "onder", "s")
    words = [stem + suffix for stem in stems for suffix in STREET_SUFFIXES]
    words += [*STREET_NOT, "straatjes", "weggetje", "kerk", "nr", "", "aat", "traat"]
    words += ["".join(rng.choice("straeglnpdhofwjk'-") for _ in range(8)) for _ in range(3000)]
    assert sum(_street_word_slow(w) for w in words) > 100
    for word in words:
        assert is_street_word(word) == _street_word_slow(word), word


def test_date_precheck_turns_down_no_date() -> None:
    """Without the separator again 1-2 digits on, ``date_or_time_end`` skips the date
    regex; on random digit runs it answers as the regexes alone do."""
    from compass_bot.features.personal_data import rules_lookalikes as lookalikes

    rng = random.Random(144)
    dates = 0
    for _ in range(20000):
        text = "".join(rng.choice("0123456789-/.: ") for _ in range(rng.randint(2, 14)))
        s = 0
        length = len(text) - len(text.lstrip("0123456789"))
        after = text[length : length + 1]
        if not length or after not in ("-", "/", ".", ":"):
            continue
        expected = 0
        if (length <= 2 and after != ":") or (length == 4 and after == "-"):
            m = lookalikes._DATE.match(text, s)
            expected = m.end() if m else 0
        if not expected and length <= 2 and after in (".", ":"):
            m = lookalikes._TIME.match(text, s)
            expected = m.end() if m else 0
        dates += expected > 0
        assert lookalikes.date_or_time_end(text, s, length, after) == expected, text
    assert dates > 100


def test_a_mistyped_account_number_hides_no_phone_number() -> None:
    """An IBAN of its country's shape that fails only mod-97 is no data, and its digits are
    no phone number either; a phone number after it still is."""
    assert found("NL04 RABO 0137 3248 06 klopt niet") == []
    assert found("NL04RABO0137324806 of bel 0612345678") == [("phone", "0612345678")]
    assert found("iban NL91 ABNA 0417 1643 00 kan") == [("id-number", "NL91 ABNA 0417 1643 00")]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("unit", ["0 ", "06 ", "(0)", "0\u00a0"])
def test_a_long_run_of_digit_groups_is_read_in_linear_time(unit: str) -> None:
    """Each start in a run of digit groups once read the whole rest of the run: 8,000
    characters of "0 " took two seconds, so 40,000 took about a minute. A phone number has
    at most 16 groups, so each start reads a bounded stretch now (well under a second
    here); the timeout is far from either."""
    assert found(unit * (40_000 // len(unit))) == []
