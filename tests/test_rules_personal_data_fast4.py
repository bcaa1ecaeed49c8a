"""The fourth round of personal-data fast paths answers as the code before it did.

Each shortcut (#14: a 2,000-character post with data judged in <= 1x discord.py's parse)
is compared with the code it replaces, kept below as the reference, on random texts built
to hit the shortcut and its edges: the digit-candidate pattern with its branches
reordered for a post with few digits, the unit test after a house number, the date-or-time gate in the scan, the
street read from the word before a house number, and the findings made without the named
tuple's ``__new__``.
"""

from __future__ import annotations

import random
import re

from compass_bot.features.personal_data import rules_address as address
from compass_bot.features.personal_data import rules_lookalikes as lookalikes
from compass_bot.features.personal_data import rules_street as street
from compass_bot.features.personal_data.rules import find_personal_data
from compass_bot.features.personal_data.rules_candidates import (
    NUM_CANDIDATE,
    NUM_CANDIDATE_WORD_FIRST,
    digit_candidates,
)
from compass_bot.features.personal_data.rules_kinds import HOUSE_NUMBER_UNITS, Finding
from compass_bot.features.personal_data.rules_scan import Scan

# --- references: the code before the shortcuts ----------------------------------------

_NUM_SEP = r"[ \u00a0\-./()]"
_NUM_CANDIDATE_REFERENCE = re.compile(
    r"[0-9](?<![0-9][0-9])(?:"
    rf"(?=(?:{_NUM_SEP}{{0,3}}+[0-9]){{6}})"
    r"|(?=[0-9]{0,2}+[.,][0-9]{4}|[0-9]?+°)"
    # a postcode in lower case after a space too ("5651 cd"): the rule reads it since pdacc2
    r"|(?<=[1-9])(?=[0-9]{3}[ \u00a0]?(?:[A-Z]{2}|[a-z]{2})(?![A-Za-z0-9]))"
    r"|(?<=[A-Za-z]{2}[0-9])(?<![A-Za-z0-9][A-Za-z]{2}[0-9])(?=[0-9](?: ?[A-Za-z0-9]{4}){2})"
    r"|(?:(?<=[^\W\d_][ \u00a0][1-9])|(?<=[^\W\d_][.,:][ \u00a0][1-9]))"
    r"(?=[0-9]{0,3}+(?![0-9]|[.,:/][0-9]|[^\W\d_]\w|[%°€']))"
    r")[0-9]*+"
)


def _unit_follows_reference(text: str, end: int) -> bool:
    rest = text[end : end + 12]
    if rest[:1] in ("%", "€", "'", "°") and rest:
        return True
    if rest[:1] in (":", ".", ",") and rest[1:2].isdigit():
        return True
    words = rest.lower().split(maxsplit=1)
    return bool(words) and words[0].rstrip(".,!?)") in HOUSE_NUMBER_UNITS


class _ReferenceScan(Scan):
    """The scan as it was: few digits go through digit_candidates and numbers too."""

    __slots__ = ()

    def few_numbers(self, shape: bytes, i: int) -> None:
        self.numbers(digit_candidates(self.text, shape, self.skip))


# --- random texts ---------------------------------------------------------------------

_PIECES = (
    "Kerkstraat", "kerkstraat", "naar", "van", "de", "Van", "Burg.", "Laan", "weg",
    "Dorpsweg", "Molenlaan", "Amsteloever", "nr", "nr.", "no", "Jan", "ik", "woon",
    "blz.", "om", "op", "of", "in", "km", "uur", "keer", "x", "punten", "Oude", "onderweg",
    "AB", "jk", "pc", "tel", "bel", "\u00e9\u00e9n", "Stra\u00dfe", "NL91", "ABNA", "°",
    "06-12345678", "0612345678", "+31 6 12345678", "8.30-9.20", "12:15", "7,5", "3-2",
    "12/05/2024", "2024-05-12", "52.3702", "4.8952", "3512 JK", "3512jk", "12a", "3-II",
    "14 bis", "111222333", "1234.56.782", "0417 1648", "4H2", "2.14", "€12", "45%",
)  # fmt: skip
_GAPS = (" ", " ", " ", "  ", ", ", "\u00a0", "\t", "\n", ". ", ": ", " - ", ",", "", "/")
_DIGITS = ("1", "12", "105", "1234", "0", "06", "9", "123456789", "2")


_DATA = (
    "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300", "12345678901234", "123456789012345",
    "06-12345678", "naar Kerkstraat 12a", "111222333", "3512 JK 8", "52.37021, 4.89517",
    "Tel: +31 6 12345678", "12-05-2024 om 06-12345678", "", "om 8.30-9.20",
)  # fmt: skip


def _text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 16)):
        parts.append(rng.choice(_PIECES) if rng.random() < 0.7 else rng.choice(_DIGITS))
        parts.append(rng.choice(_GAPS))
    if rng.random() < 0.2:
        parts.insert(0, "x" * rng.randint(30, 90))  # windows that cut a word
    return "".join(parts)


def test_num_candidate_branch_order_changes_no_match() -> None:
    """The branches of the digit-candidate pattern are zero-width, so their order cannot
    change a match: the same spans as the pattern in its old order, at every position of
    random texts and over whole texts."""
    rng = random.Random(4141)
    matched = 0
    for _ in range(4000):
        text = _text(rng)
        got = [m.span() for m in NUM_CANDIDATE_WORD_FIRST.finditer(text)]
        assert got == [m.span() for m in _NUM_CANDIDATE_REFERENCE.finditer(text)], text
        assert got == [m.span() for m in NUM_CANDIDATE.finditer(text)], text
        for i in range(len(text)):
            m = NUM_CANDIDATE_WORD_FIRST.match(text, i)
            r = _NUM_CANDIDATE_REFERENCE.match(text, i)
            assert (m and m.span()) == (r and r.span()), (text, i)
        matched += len(got)
    assert matched > 5000, matched


def test_unit_follows_shortcut_answers_as_reference() -> None:
    """A space and a letter no unit starts with settles unit_follows at once: the same
    answer as the full test after every digit of random texts."""
    rng = random.Random(4142)
    shortcut = 0
    for _ in range(4000):
        text = _text(rng)
        for end in range(1, len(text) + 1):
            got = lookalikes.unit_follows(text, end)
            assert got == _unit_follows_reference(text, end), (text, end)
            shortcut += text[end : end + 1] == " " and text[end + 1 : end + 2] in "bo"
    assert shortcut > 1000, shortcut


def test_date_or_time_gate_keeps_every_date_and_time() -> None:
    """The scan calls date_or_time_end only after its own first tests: wherever the gate
    is closed, date_or_time_end finds nothing either."""
    rng = random.Random(4143)
    dates = 0
    for _ in range(4000):
        text = _text(rng)
        for m in re.finditer(r"[0-9]+", text):
            s, e = m.span()
            after, length = text[e : e + 1], e - s
            if after not in ("-", "/", ".", ":"):
                continue
            end = lookalikes.date_or_time_end(text, s, length, after)
            gate = (length <= 2 and (after in ".:" or after in text[e + 2 : e + 4])) or (
                length == 4 and after == "-"
            )
            assert gate or not end, (text, s)
            dates += bool(end)
    assert dates > 1000, dates


def test_street_after_word_answers_as_street_start() -> None:
    """The street read from the word before a house number is -1 (not settled) or where
    the general reading starts the street, at every digit of random street-like texts."""
    rng = random.Random(4144)
    settled = 0
    lower = ("naar", "op", "de", "van", "woon", "x1", "ik", "", "'t", "\u00e9\u00e9n", "a\tb")
    gaps = (" ",) * 12 + _GAPS
    streets = (
        "\u0130kerkstraat",
        "K\u0130straat",
        "Kerkstraat",
        "kerkstraat",
        "Dorpsweg",
        "weg",
        "Laan",
        "Amsteloever",
        "Zeedijk",
    )
    for _ in range(6000):
        text = _text(rng)
        if rng.random() < 0.6:  # the usual writing and its near misses
            text += rng.choice(lower) + rng.choice(gaps) + rng.choice(streets)
            text += rng.choice(gaps) + rng.choice(_DIGITS) + rng.choice(_GAPS)
        for s in range(2, len(text)):
            if not text[s].isdigit() or text[s - 1] not in " \u00a0,":
                continue
            space = text.rfind(" ", s - 40 if s > 40 else 0, s - 1)
            word = text[space + 1 : s].rstrip(" \u00a0,.:")
            if not word:
                continue
            got = address._street_after_word(text, s, space, word)
            if got >= 0:
                settled += 1
                assert got == street.street_start(text, s), (text, s)
    assert settled > 100, settled


def test_findings_are_findings() -> None:
    """Findings made without the named tuple's __new__ are Finding instances all the same:
    equal, hashed and named as ones made the usual way."""
    text = "bel 06-12345678 of kom naar Kerkstraat 12a, 3512 JK"
    found = find_personal_data(text)
    assert [type(f) for f in found] == [Finding, Finding, Finding]
    assert found == (
        Finding("phone", 4, 15),
        Finding("address", 28, 51),
        Finding("postcode", 44, 51),
    )
    assert {found[0]} == {Finding("phone", 4, 15)}
    assert found[1].kind == "address" and found[1].end == 51
    scan = Scan(text)
    scan.add("email", 0, 2)
    assert scan.findings == [Finding("email", 0, 2)] and type(scan.findings[0]) is Finding


def test_few_numbers_loop_finds_what_the_generator_and_numbers_found() -> None:
    """A long post with few digits is read by one loop instead of digit_candidates and
    numbers: the same findings as the reference scan on random long posts, and the loop
    is taken (each post holds its digits within a stretch of 64 characters)."""
    rng = random.Random(4145)
    filler = "hoi allemaal morgen gym en daarna wiskunde, wie heeft de opdracht al af? "
    found = 0
    for _ in range(3000):
        middle = _text(rng)[:40] + " " + rng.choice(_DATA) + rng.choice(_GAPS) + _text(rng)[:20]
        head = filler * rng.randint(4, 8)
        text = head[: rng.randint(260, len(head))] + middle + filler * rng.randint(0, 3)
        assert len(text) > 256
        got = Scan(text).run()
        assert got == _ReferenceScan(text).run(), text
        found += len(got)
    assert found > 2000, found
