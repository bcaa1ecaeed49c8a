"""The fast paths of the personal-data scan find exactly what the scan found before them.

The scan was made cheaper (#14: a 2,000-character post with data judged in <= 1x
discord.py's parse). Its findings must not move: ``FIXTURE`` holds the findings of the scan
before those changes on generated posts (chat, numbers of every look-alike kind, phone
numbers in many writings, plain and disguised e-mail addresses, addresses, postcodes,
links, coordinates, ids, look-alike letters and digits, accents, short and long posts), and
the rule of today must return the same on the same posts.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from compass_bot.features.personal_data.rules import _scan, find_personal_data

FIXTURE = Path(__file__).resolve().parent / "data" / "personal_data_fastpath_findings.json"
SEED = 1414
COUNT = 3000

_WORD_TEXT = (
    "hoi allemaal morgen hebben we het tweede uur gym en daarna wiskunde wie heeft de "
    "opdracht al af ik snap er niks van zullen we na school afspreken bij de ingang mijn "
    "moeder zegt dat het niet mag the test is tomorrow at school look at this dot com "
    "punt uit klaar apenstaartje bel me app me op straat onderweg supermarkt weg laan "
    "Jan Piet Kees Amsterdam Utrecht De Van Het Oude Nieuwe Burg. St. v. Dr. Prof. "
    "Toets Lokaal Klas Ik Jij We Op Hoofdstuk Pagina blz blz. p. pag. opdr. opg. nr. nr "
    "nummer huisnummer postcode pc Tel tel: mail: adres: woont wonen ook even dus maar"
)
_WORDS = tuple(_WORD_TEXT.split())
_STREETS = (
    "Kerkstraat",
    "Dorpsweg",
    "Stationsplein",
    "Burg. de Withstraat",
    "Van Heemstraweg",
    "Laan van Meerdervoort",
    "Oude Gracht",
    "Prinsengracht",
    "Hoofdweg",
    "Molenlaan",
    "Schoolpad",
    "Julianakade",
    "Wilhelminasingel",
    "Zeedijk",
    "Lindenhof",
    "St. Jansstraat",
    "Dr. Lelylaan",
    "Kerkstraat\u00a0",
    "\u041aerkstraat",
    "Straße",
    "Jan van Galenstraat",
    "kerkstraat",
    "Marktplein",
    "Rue de la Paix",
)
_HOUSE = ("1", "12", "12a", "3-II", "14 bis", "7-1", "105", "2b", "9 hs", "1234", "0", "44-A")
_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_TLDS = ("com", "nl", "be", "org", "net", "io", "xyz", "co.uk", "info", "zz")
_PROVIDERS = ("gmail", "hotmail", "outlook", "live", "school", "example", "ziggo", "kpn")
_AT = (
    "@",
    " @ ",
    "[at]",
    " [at] ",
    "(at)",
    " (at) ",
    "{at}",
    "(a)",
    " at ",
    " AT ",
    " apenstaartje ",
    "\uff20",
    "<at>",
)
_DOT = (".", " . ", "[dot]", " [dot] ", "(punt)", " (punt) ", " dot ", " DOT ", " punt ", "(.)")
_CHATTY = (
    "12:15",
    "8.30-9.20",
    "8.30\u00a0uur",
    "7,5",
    "3-2",
    "4H2",
    "3VWO-B",
    "lokaal 2.14",
    "blz. 45",
    "blz 12, 13, 14",
    "p. 7",
    "pagina 33",
    "opdr. 3a t/m 7c",
    "h4 \u00a74.2",
    "1e uur",
    "om 8 uur",
    "10x",
    "12/05",
    "12-05-2024",
    "2024-05-12",
    "12.05.24",
    "iPhone 15",
    "2024",
    "\u20ac 3,50",
    "12\u20ac",
    "20%",
    "21\u00b0C",
    "pi is 3.14159",
    "e = 2.71828",
    "3'",
    "12345678901234567890",
    "<@123456789012345678>",
    "<#987654321098765432>",
    "<t:1700000000:R>",
    "<:kat:123456789012345678>",
    "https://example.com/a/b",
    "www.school.nl/rooster",
    "t/m",
    "1 2 3 4 5 6 7",
    "12_3",
    "a.5 9",
    "5 km",
    "3 jaar",
    "\uff10\uff16\uff11\uff12\uff13\uff14",
    "\u0660\u0666\u0661\u0662",
    "\u00e9\u00e9n 7,5",
    "\u0422oets",
    "l\u043ekaal",
    "caf\u00e9 12",
    "\u00df 9",
    "score 12 - 3",
    "tel 112",
    "0800-1234",
)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _group(rng: random.Random, digits: str) -> str:
    """The digits in groups with one separator kind (or none), as people write them."""
    sep = rng.choice(("", " ", "-", ".", " ", "\u00a0", "/", " - "))
    if not sep:
        return digits
    out, i = [], 0
    while i < len(digits):
        k = rng.choice((2, 2, 3, 4))
        out.append(digits[i : i + k])
        i += k
    return sep.join(out)


def _phone(rng: random.Random) -> str:
    kind = rng.randrange(12)
    if kind <= 2:
        return _group(rng, "06" + _digits(rng, 8))
    if kind == 3:
        return rng.choice(("+31 6 ", "+316-", "+31 (0)6 ", "0031 6 ", "+31(0)6")) + _group(
            rng, _digits(rng, 8)
        )
    if kind == 4:
        area = rng.choice(("20", "10", "30", "70", "40", "50", "71", "346", "299"))
        rest = _digits(rng, 9 - len(area))
        return rng.choice(
            (f"0{area}-{rest}", f"(0{area}) {rest[:3]} {rest[3:]}", f"0{area} {rest}")
        )
    if kind == 5:
        return rng.choice(("+44 7911 ", "+49 30 ", "+1 (415) ", "+32 4", "0044 20 ", "+33 6 ")) + (
            _group(rng, _digits(rng, rng.choice((6, 7, 8))))
        )
    if kind == 6:
        return "0612 345 678 " + _digits(rng, 1)  # a run-on, no shorter number inside
    if kind == 7:
        return _group(rng, "0" + _digits(rng, rng.choice((6, 7, 8, 9, 10, 11))))
    if kind == 8:
        return rng.choice(("0800-", "0900 ", "088-", "085 ")) + _digits(rng, rng.choice((4, 7)))
    if kind == 9:
        return "tel:" + "06" + _digits(rng, 8)
    if kind == 10:
        return "06" + _digits(rng, 8) + rng.choice((" 14", " 15:00", " 20%", "2x", " 9"))
    return _digits(rng, rng.choice((7, 8, 9, 10)))


def _email(rng: random.Random) -> str:
    local = rng.choice(("jan", "piet.jansen", "kees_99", "a.b-c", "Sanne2010", "x"))
    domain = rng.choice(_PROVIDERS) + (rng.choice(_DOT) + rng.choice(_TLDS))
    return local + rng.choice(_AT) + domain


def _postcode(rng: random.Random) -> str:
    code = f"{rng.randint(1000, 9999)}" + rng.choice(("", " ", "\u00a0"))
    letters = rng.choice(_LETTERS) + rng.choice(_LETTERS)
    code += letters if rng.random() < 0.7 else letters.lower()
    return code


def _address(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind <= 2:
        text = rng.choice(_STREETS) + rng.choice((" ", " ", "\u00a0", ", ", " nr ", " nr. ", ""))
        text += rng.choice(_HOUSE)
        if rng.random() < 0.4:
            text += rng.choice((", ", " ", ",")) + _postcode(rng)
        return text
    if kind == 3:
        return (
            _postcode(rng)
            + rng.choice((" ", ", nr ", ",", "\u00a0", " huisnummer "))
            + (rng.choice(_HOUSE))
        )
    if kind == 4:
        return f"huisnummer {rng.choice(_HOUSE)}, {_postcode(rng)}"
    return (
        rng.choice(("postcode ", "in ", "pc ", ""))
        + rng.choice(("2024", "1999", "2010"))
        + (rng.choice((" EN ", " AB ", " OF ", " de ")) + str(rng.randint(1, 20)))
    )


def _bsn(rng: random.Random, valid: bool) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            break
    if not valid:
        last = (last + 1) % 10
    text = "".join(map(str, digits)) + str(last)
    return rng.choice(
        (text, f"{text[:4]}.{text[4:6]}.{text[6:]}", f"{text[:3]} {text[3:6]} {text[6:]}")
    )


def _iban(rng: random.Random, valid: bool) -> str:
    bank = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
    account = _digits(rng, 10)
    moved = bank + account + "NL00"
    numeric = "".join(str(int(c, 36)) for c in moved)
    check = 98 - int(numeric) % 97
    if not valid:
        check = (check + 1) % 100
    text = f"NL{check:02d}{bank}{account}"
    if rng.random() < 0.5:
        text = " ".join(text[i : i + 4] for i in range(0, len(text), 4))
    return text.lower() if rng.random() < 0.2 else text


def _location(rng: random.Random) -> str:
    kind = rng.randrange(8)
    lat = f"{rng.randint(-89, 89)}.{_digits(rng, rng.choice((3, 4, 6)))}"
    lon = f"{rng.randint(-179, 179)}.{_digits(rng, rng.choice((3, 4, 6)))}"
    if kind == 0:
        return f"{lat}, {lon}"
    if kind == 1:
        return f"{rng.randint(0, 9)}.{_digits(rng, 5)}{rng.choice(('', '°'))} {rng.randint(0, 9)}.{_digits(rng, 5)}"
    if kind == 2:
        return rng.choice(
            (
                "https://maps.app.goo.gl/AbC123",
                "https://www.google.com/maps/place/x",
                "goo.gl/maps/xyz",
                "maps.apple.com/?q=1",
                "https://life360.com/invite",
            )
        )
    if kind == 3:
        return rng.choice(("9F46+QX", "9f46+qx", "9F469F2W+5V", "9F46+qX", "AB12+CD"))
    if kind == 4:
        return "///" + ".".join(rng.choice(("appel", "boom", "huis", "fiets")) for _ in range(3))
    if kind == 5:
        return f"life360 code {rng.choice(('ABC-123', 'XYZ123', 'abc-def'))}"
    if kind == 6:
        return f"{rng.randint(0, 89)}°{rng.randint(0, 59)}'N {rng.randint(0, 179)}°{rng.randint(0, 59)}'E"
    return f"{lat},{lon}"


def _piece(rng: random.Random, data_rate: float, chat_rate: float) -> str:
    r = rng.random()
    if r >= data_rate + chat_rate:
        return rng.choice(_WORDS)
    if r >= data_rate:
        return rng.choice(_CHATTY)
    return rng.choice(
        (
            _phone,
            _phone,
            _email,
            _address,
            _address,
            lambda g: _bsn(g, g.random() < 0.5),
            lambda g: _iban(g, g.random() < 0.5),
            _location,
        )
    )(rng)


def generate_posts(seed: int, count: int) -> list[str]:
    """``count`` varied posts, short and long (up to 2,000 characters), from ``seed``."""
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        parts = rng.choice((1, 3, 8, 20, 60, 150, 300, 400))
        data_rate = rng.choice((0.0, 0.005, 0.02, 0.1, 0.3, 0.6))
        chat_rate = rng.choice((0.0, 0.1, 0.3, 0.6))
        seps = (" ", " ", " ", ", ", ". ", "\n", "", " - ", ": ")
        text = "".join(_piece(rng, data_rate, chat_rate) + rng.choice(seps) for _ in range(parts))
        posts.append(text[:2000])
    return posts


def findings_of(posts: list[str]) -> list[list[list[object]]]:
    """The scan's findings as the text is written: the fast paths are compared with the scan
    before them; data in disguise (full-width or Arabic-Indic digits, read as the digits
    they show since, `rules_disguise`) is the generator's look-alike here and is tested
    on its own (test_rules_personal_data)."""
    return [[[f.kind, f.start, f.end] for f in _scan(t)] for t in posts]


def digest(posts: list[str]) -> str:
    return hashlib.sha256("\x00".join(posts).encode("utf-8")).hexdigest()


def record_of(posts: list[str]) -> dict[str, object]:
    """For each post with findings (by index) a short hash of its findings, and how many
    posts have none: a small fixture that still names the posts that differ."""
    found = findings_of(posts)
    return {
        "findings": {
            str(i): hashlib.sha256(json.dumps(f).encode()).hexdigest()[:12]
            for i, f in enumerate(found)
            if f
        },
        "clean": sum(not f for f in found),
    }


def test_findings_equal_the_scan_before_the_fast_paths() -> None:
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    posts = generate_posts(stored["seed"], stored["count"])
    assert digest(posts) == stored["digest"], "the generator changed: the fixture is stale"
    got = record_of(posts)
    want = stored["findings"]
    have = got["findings"]
    assert isinstance(have, dict)
    wrong = sorted((k for k in {*have, *want} if have.get(k) != want.get(k)), key=int)
    assert not wrong, f"{len(wrong)} posts differ, first {wrong[:5]}"
    assert got["clean"] == stored["clean"]


def test_the_generated_posts_hold_every_kind_and_both_lengths() -> None:
    """The comparison means something: every kind is found, posts are short and long."""
    stored = json.loads(FIXTURE.read_text(encoding="utf-8"))
    posts = generate_posts(stored["seed"], stored["count"])
    kinds = {f[0] for post in findings_of(posts) for f in post}
    assert kinds == {"phone", "email", "address", "postcode", "location-link", "id-number"}
    assert sum(len(p) <= 256 for p in posts) > 300 and sum(len(p) > 1000 for p in posts) > 300
    assert stored["clean"] > 100  # and posts without data


if __name__ == "__main__":  # record the fixture: run only with the scan that is the reference
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    posts = generate_posts(SEED, count)
    record = {"seed": SEED, "count": count, "digest": digest(posts), **record_of(posts)}
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(json.dumps(record), encoding="utf-8")
    else:
        FIXTURE.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")


def test_the_folded_dot_word_test_is_necessary_and_turns_down_chat() -> None:
    """The cheap test before the dot-word gate never says no where a dot word stands (also
    with words that fold to it, such as "doet" and "pot", around), and says no to chat."""
    from compass_bot.features.personal_data.rules_email import (
        _DOT_WORD,
        latin1_view,
        may_hold_dot_word,
        word_disguise_in,
    )

    rng = random.Random(1416)
    pieces = ("dot", "DoT", "punt", "PUNT", "doet", "pot", "put", "dont", "pont", "x", "\u00e9")
    spaces = (" ", "\n", "\t", "\u00a0", "\u2003", "", "-")
    hits = 0
    for _ in range(5000):
        text = "".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(1, 8)))
        exact = _DOT_WORD.search(text) is not None
        assert may_hold_dot_word(latin1_view(text)) or not exact, text
        hits += exact
    assert hits > 500
    long_hits = 0
    for _ in range(1000):  # long texts, where the gate runs the cheap test first
        words = [rng.choice(pieces[4:]) for _ in range(60)]  # look-alikes, now and then a dot word
        words[rng.randrange(60)] = rng.choice(pieces)
        text = "".join(word + rng.choice(spaces) for word in words)
        assert len(text) > 160
        exact = _DOT_WORD.search(text) is not None
        assert word_disguise_in(latin1_view(text)) == exact, text
        long_hits += exact
    assert 100 < long_hits < 1000
    assert may_hold_dot_word(latin1_view("hij doet het"))  # passes on to the exact test
    chat = "Hoi allemaal, morgen hebben we het tweede uur gym en daarna wiskunde. " * 20
    assert not may_hold_dot_word(latin1_view(chat))


def test_a_date_or_fraction_token_is_no_link_candidate() -> None:
    """A slash between digits in a token of its own ("12/05.", "10/10") is not sent to the
    link check (it holds no dot, so it is no link); a link with digits after its slash is."""
    from compass_bot.features.personal_data.rules_candidates import OTHER_CANDIDATE

    def links(text: str) -> list[int]:
        return [m.start() for m in OTHER_CANDIDATE.finditer(text) if m.lastgroup == "link"]

    assert links("inleveren 12/05. blz 45, cijfer 10/10, (zie 24/7)") == []
    assert links("school.nl/05 en ab12/05 en 12/05a en 12/123456") == [9, 20, 29, 39]
    text = "kijk op www.school.nl/2024 of 12/05 " * 3
    assert [(f.kind, f.start) for f in find_personal_data(text + "goo.gl/maps/x")] == [
        ("location-link", len(text))
    ]


def test_nl_validity_in_one_match_equals_both_metadata_patterns() -> None:
    """``nl_number_is_valid`` folds the general and the per-type pattern into one match."""
    from compass_bot.features.personal_data import rules_phone

    rng = random.Random(1415)
    valid = 0
    for _ in range(20000):
        nsn = rng.choice(("6", "20", "10", "30", "800", "900", "85", "88", "97", "1", "")) + (
            _digits(rng, rng.randint(0, 11))
        )
        both = (
            rules_phone._NL_GENERAL.fullmatch(nsn) is not None
            and rules_phone._NL_TYPES.fullmatch(nsn) is not None
        )
        assert rules_phone.nl_number_is_valid(nsn) == both, nsn
        valid += both
    assert 1000 < valid < 19000


def _phone_digits_general(candidate: str) -> tuple[str, bool]:
    """``phone_digits`` as it was before its fast path for the usual national writing."""
    import re

    stripped = candidate.lstrip(" \u00a0(")
    international = stripped.startswith("+")
    if international or stripped.startswith("00"):
        candidate = re.sub(r"\(\s?0\s?\)", "", candidate)
    digits = re.sub(r"[^0-9]+", "", candidate)
    if not international and digits.startswith("00"):
        return digits[2:], True
    return digits, international


def test_phone_digits_fast_path_equals_the_general_reading() -> None:
    """The usual national writing ("06-12345678") skips the general path with the same
    answer, also for "0 0031 ...", full-width digits, brackets and no-break spaces."""
    from compass_bot.features.personal_data.rules_phone import phone_digits

    rng = random.Random(1417)
    chars = "0000123456789 --.()+\u00a0/\uff10"
    for _ in range(20000):
        text = rng.choice(("0", "06", "00", "0 0", "+", "(0", "")) + "".join(
            rng.choice(chars) for _ in range(rng.randint(0, 14))
        )
        assert phone_digits(text) == _phone_digits_general(text), text


def test_the_slash_pattern_matches_as_the_full_one_where_slashes_are_the_only_trigger() -> None:
    """On a post whose only trigger character is the slash, the slash-led pattern finds
    exactly what the full one finds (span and branch), and ``other_span`` chooses it."""
    from compass_bot.features.personal_data.rules_candidates import (
        OTHER_CANDIDATE,
        SLASH_CANDIDATE,
        other_span,
        shape_of,
    )

    rng = random.Random(1418)
    pieces = ("/", "//", "///", "12/05", "t/m", "x.nl/a", "appel.boom.huis", "10", "ab", ".")
    pieces += (" ", "\n", "\t", "!", ")", "w", "5")
    seen = set()
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        full = [(m.lastgroup, m.span()) for m in OTHER_CANDIDATE.finditer(text)]
        assert [(m.lastgroup, m.span()) for m in SLASH_CANDIDATE.finditer(text)] == full, text
        seen.update(kind for kind, _ in full)
    assert seen == {"link", "w3w"}
    assert other_span("blz 12/05 t/m 7", shape_of("blz 12/05 t/m 7"))[2] is SLASH_CANDIDATE
    for other in ("(", "@", "<", "[", "{", "\uff20"):
        text = "blz 12/05 " + other
        assert other_span(text, shape_of(text))[2] is OTHER_CANDIDATE, other
