"""The fifth round of personal-data fast paths answers as the code before it did.

Each shortcut (#14: a 2,000-character post with data judged in <= 1x discord.py's parse)
is compared with the code it replaces, kept below as the reference, on random texts built
to hit the shortcut and its edges: the usual national phone writing judged in the scan
(``usual_phone_at``, with the post's verdict cache), and the short number after a word
sent straight to the address test.
"""

from __future__ import annotations

import random

from compass_bot.features.personal_data import rules_phone as phone
from compass_bot.features.personal_data.rules_address import address_at, postcode_at
from compass_bot.features.personal_data.rules_ids import bsn_at
from compass_bot.features.personal_data.rules_location import coordinates_at
from compass_bot.features.personal_data.rules_lookalikes import date_or_time_end
from compass_bot.features.personal_data.rules_phone_abroad import abroad_phone_at
from compass_bot.features.personal_data.rules_scan import Scan

# --- reference: the code before the shortcuts ----------------------------------------


class _ReferenceScan(Scan):
    """The scan with number_at as it was: phone_at for every phone, one test after the
    other for every run."""

    __slots__ = ()

    def number_at(self, s: int, e: int) -> int:
        text = self.text
        before = text[s - 1] if s else " "
        if before in "#@_/\\" or (before in ".," and s > 1 and text[s - 2].isdigit()):
            return 0
        after = text[e : e + 1]
        length = e - s
        if after in ("-", "/", ".", ":") and (
            (length <= 2 and (after in ".:" or after in text[e + 2 : e + 4]))
            or (length == 4 and after == "-")
        ):
            end = date_or_time_end(text, s, length, after)
            if end:
                return end
        if length <= 2 and after in (".", ",", "°"):
            span = coordinates_at(text, s)
            if span:
                self.add("location-link", *span)
                return span[1]
        if text[s] == "0" or before in "+(":
            span = phone.phone_at(text, s, self.cache)
            if span:
                self.add("phone", *span)
                return span[1]
        if (text[s] == "0" and before not in "+(") or (
            length == 3 and (before == "(" or after in "-.")
        ):  # since s47: British and American writing ("07700 900461", "(212) 555-0182")
            span = abroad_phone_at(text, s)
            if span:
                self.add("phone", *span)
                return span[1]
        if length == 4:
            span = postcode_at(text, s)
            if span:
                self.add("postcode", *span)
                return span[1]
        if length in (9, 4, 3):
            end = bsn_at(text, s)
            if end:
                self.add("id-number", s, end)
                return end
        if length <= 4 and text[s] != "0":
            found = address_at(text, s)
            if found:
                address = found[0]
                end = address[2]
                if not self.taken(address[1], end):
                    self.findings.append(address)
                if len(found) > 1:
                    self.findings.extend(found[1:])
                return end
        return 0


# --- random texts ---------------------------------------------------------------------

_PHONES = (
    "06-12345678", "0612345678", "06 12 34 56 78", "06 1234 5678", "020-1234567",
    "020 123 4567", "(020) 123 4567", "0612 345 678 9", "06-1234567", "06-123456789",
    "0031 6 12345678", "+31 6 12345678", "+31 (0)6 12345678", "0800-1234", "0900 1234567",
    "06\u00a012345678", "06-1234567\u0668", "06\u0661234567", "06.12.34.56.78", "06/12345678",
    "06  -  12345678", "06 -12 34 5678", "0612345678)", "00 12345678", "061234567890",
)  # fmt: skip
_WORDS = (
    "bel", "me", "op", "naar", "Kerkstraat", "kerkstraat", "Laan", "van", "nr", "blz.",
    "om", "tel", "x", "a", "km", "uur", "punten", "12a", "3-II", "14 bis", "3512 JK",
    "12:15", "8.30-9.20", "7,5", "3-2", "12/05/2024", "52.3702", "4.8952", "111222333",
    "NL91ABNA0417164300", "€12", "45%", "°", "#", "@", "_", "/", "(", "+", "-",
)  # fmt: skip
_GAPS = (" ", " ", " ", "  ", ", ", "\u00a0", "\t", "\n", ". ", ": ", " - ", ",", "", "/")
_DIGITS = ("1", "12", "105", "1234", "0", "06", "9", "2", "07", "12345", "0612")


def _text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 14)):
        roll = rng.random()
        pool = _PHONES if roll < 0.3 else _DIGITS if roll < 0.5 else _WORDS
        parts.append(rng.choice(pool))
        parts.append(rng.choice(_GAPS))
    return "".join(parts)


def test_usual_phone_answers_as_phone_at() -> None:
    """At every digit starting with 0 after no bracket, plus, dash or letter, the scan's
    own reading of the usual writing gives phone_at's span, and the post's cache holds
    the same verdicts after it (a later number is judged from it)."""
    rng = random.Random(5151)
    found = 0
    for _ in range(6000):
        text = _text(rng)
        scan = Scan(text)
        reference_cache: dict[str, bool] = {}
        for s in range(len(text)):
            before = text[s - 1] if s else " "
            if text[s] != "0" or before in "+(-" or before.isalnum():
                continue
            got = phone.usual_phone_at(text, s, scan.cache)
            assert got == phone.phone_at(text, s, reference_cache), (text, s)
            found += got is not None
        for written, valid in scan.cache.items():
            assert phone._verdict(written, {})[0] is valid, (text, written)
    assert found > 3000, found


def test_scan_finds_what_the_reference_scan_found() -> None:
    """number_at with the usual phone read in the scan and the short number after a
    word sent straight to the address test: the same findings as the reference scan, on
    short texts and on long posts with few digits (the few_numbers loop)."""
    rng = random.Random(5152)
    filler = "hoi allemaal morgen gym en daarna wiskunde, wie heeft de opdracht al af? "
    found = 0
    for k in range(8000):
        text = _text(rng)
        if k % 2:
            head = filler * rng.randint(4, 8)
            text = head[: rng.randint(260, len(head))] + text[:80] + filler
        got = Scan(text).run()
        assert got == _ReferenceScan(text).run(), text
        found += len(got)
    assert found > 4000, found
