"""The sixth round of personal-data fast paths answers as the code before it did.

Each shortcut (#14: a 2,000-character post with data judged in <= 1x discord.py's parse)
is compared with the code it replaces, kept below as the reference, on random texts built
to hit the shortcut and its edges: the phone-run pattern with possessive quantifiers,
the few-digit loop sending a number led by 0 after a space straight to the phone test
(``usual_phone_at``, moved out of the scan) and a short number after a space straight to
the address test, and the loop's overlap test skipped past the last finding (``hi``).
"""

from __future__ import annotations

import random
import re

from compass_bot.features.personal_data import rules_phone as phone
from compass_bot.features.personal_data.rules_address import postcode_at
from compass_bot.features.personal_data.rules_candidates import (
    NUM_CANDIDATE_WORD_FIRST,
    SHAPE_DIGITS,
)
from compass_bot.features.personal_data.rules_ids import bsn_at
from compass_bot.features.personal_data.rules_kinds import SPACE
from compass_bot.features.personal_data.rules_location import coordinates_at
from compass_bot.features.personal_data.rules_lookalikes import date_or_time_end
from compass_bot.features.personal_data.rules_phone_abroad import abroad_phone_at
from compass_bot.features.personal_data.rules_scan import Scan, take_iban

# --- references: the code before the shortcuts ----------------------------------------

_PHONE_RUN_REFERENCE = re.compile(
    rf"(?:\+|00)?{SPACE}?\(?\+?\d{{1,12}}\)?"
    rf"(?:(?:{SPACE}{{0,2}}[-./]{SPACE}{{0,2}}|{SPACE}{{1,2}}|(?<=\))|(?=\())\(?\d{{1,12}}\)?)*"
)
_MARKS_AFTER = ("-", "/", ".", ":", ",", "°")


class _ReferenceScan(Scan):
    """The scan as it was: every number in the few-digit loop but the short one after a
    space goes through number_at, each overlap through ``taken``, and the usual phone
    writing is read in the scan with the phone-run pattern as it was."""

    __slots__ = ()

    def few_numbers(self, shape: bytes, i: int) -> None:
        text = self.text
        findings = self.findings
        blocked = self.blocked
        while i >= 0:
            m = NUM_CANDIDATE_WORD_FIRST.match(text, i)
            if m is None:
                i = shape.find(b"9", SHAPE_DIGITS.match(shape, i).end())  # type: ignore[union-attr]
                continue
            s, e = m.span()
            if s and text[s - 1].isalpha():
                if not self.taken(s, e):
                    take_iban(self, s)  # a valid IBAN found, a mistyped one's span blocked
            elif e - s < 15 and not ((findings or blocked) and self.taken(s, e)):
                if (
                    e - s <= 2
                    and s > 1
                    and text[s - 1] == " "
                    and text[s] != "0"
                    and text[e : e + 1] not in _MARKS_AFTER
                ):
                    end = self.address_at(s)
                else:
                    end = self.number_at(s, e)
                if end > e:
                    e = end
            i = shape.find(b"9", e)

    def number_at(self, s: int, e: int) -> int:
        text = self.text
        before = text[s - 1] if s else " "
        if before in "#@_/\\" or (before in ".," and s > 1 and text[s - 2].isdigit()):
            return 0
        after = text[e : e + 1]
        length = e - s
        if length <= 2 and after not in _MARKS_AFTER and text[s] != "0" and before not in "+(":
            # the usual short number after a word: of the tests below only the address's
            # can pass (no date, time or coordinate mark after it, no phone, postcode, BSN)
            return self.address_at(s)
        if after in ("-", "/", ".", ":") and (
            (length <= 2 and (after in ".:" or after in text[e + 2 : e + 4]))
            or (length == 4 and after == "-")
        ):  # date_or_time_end's own first tests: without them it finds nothing
            end = date_or_time_end(text, s, length, after)
            if end:
                return end
        if length <= 2 and after in (".", ",", "°"):
            span = coordinates_at(text, s)
            if span:
                self.add("location-link", *span)
                return span[1]
        if text[s] == "0" and before not in "+(":
            if before != "-" and not before.isalnum():  # else phone_at finds nothing
                span = self.usual_phone(s) or abroad_phone_at(text, s)  # abroad: since s47
                if span:
                    self.add("phone", *span)
                    return span[1]
        elif before in "+(":
            span = phone.phone_at(text, s, self.cache)
            if span:
                self.add("phone", *span)
                return span[1]
        if length == 3 and (before == "(" or after in "-."):  # since s47: "(212) 555-0182"
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
            return self.address_at(s)
        return 0

    def usual_phone(self, s: int) -> tuple[int, int] | None:
        text = self.text
        m = _PHONE_RUN_REFERENCE.match(text, s)
        if m is None:
            return None
        end = m.end()
        if text[end - 1] == ")":
            end -= 1
        if end - s <= 16 and "0" <= text[end - 1] <= "9":
            written = text[s:end]
            digits = written.replace("-", "").replace(" ", "")
            if (
                8 <= len(digits) <= 11
                and digits[1] != "0"
                and digits.isdigit()
                and digits.isascii()
            ):
                valid = self.cache.get(written)
                if valid is None:
                    valid = self.cache[written] = phone._NL_VALID.fullmatch(digits, 1) is not None
                if valid:
                    return s, end
        return phone.phone_of_run(text, s, s, m, self.cache)


# --- random texts ---------------------------------------------------------------------

_NUMBERS = (
    "06-12345678", "0612345678", "06 12 34 56 78", "06 1234 5678", "020-1234567",
    "020 123 4567", "(020) 123 4567", "0612 345 678 9", "06-1234567", "06-123456789",
    "0031 6 12345678", "+31 6 12345678", "+31 (0)6 12345678", "0800-1234", "0900 1234567",
    "06\u00a012345678", "06\u0661234567", "06.12.34.56.78", "06/12345678", "06  -  12345678",
    "0612345678)", "00 12345678", "061234567890", "06-12-2024", "06/12/2024", "06.12.2024",
    "08:30", "08.30", "05.12345, 004.12345", "0°", "0612-345678", "0612 345678",
    "0201234567", "012345678", "0123.45.678", "0123 45 678", "06-1-2", "06-12 34", "0 6",
    "06-", "06 -", "0612345678901234", "020\u00a0123\u00a04567", "0a", "05,5",
    "0800-01-23", "0900-12-31", "0800-1234-5", "NL74 ABNA 0612 3456 78", "NL19RABO0612345678",
)  # fmt: skip
_WORDS = (
    "bel", "me", "op", "naar", "Kerkstraat", "kerkstraat", "nr", "blz.", "om", "tel",
    "12a", "3-II", "3512 JK", "12:15", "7,5", "3-2", "52.3702", "111222333",
    "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "45%", "#", "@", "-", "(", "+",
    "<@123456789012345678>", "https://example.nl/06-12345678", "naam@example.nl",
    "naam (at) example (punt) nl", "///een.twee.drie", "Kerkstraat 12", "0612345678@x.nl",
    "Kerkstraat 12, 3512 JK Utrecht", "naar Kerkstraat 9 3512jk", "Burg. de Withstraat 3-II",
)  # fmt: skip
_GAPS = (" ", " ", " ", "  ", ", ", "\u00a0", "\t", "\n", ". ", ": ", " - ", ",", "", "/", "-")
_FILLER = "hoi allemaal morgen gym en daarna wiskunde, wie heeft de opdracht al af? "


def _middle(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 8)):
        parts.append(rng.choice(_NUMBERS if rng.random() < 0.5 else _WORDS))
        parts.append(rng.choice(_GAPS))
    return "".join(parts)


def _post(rng: random.Random) -> str:
    """A long post with its digits within a few dozen characters (the few-digit loop)."""
    head = _FILLER * rng.randint(4, 8)
    return head[: rng.randint(260, len(head))] + _middle(rng) + _FILLER * rng.randint(0, 2)


def test_phone_run_matches_as_before() -> None:
    """The possessive phone-run pattern matches the same span as the pattern before it at
    every position of random texts of digits, separators, brackets and plus signs."""
    rng = random.Random(6161)
    alphabet = "0123456789 \u00a0-./()+a\u0663"
    matched = 0
    for _ in range(6000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        for s in range(len(text)):
            want = _PHONE_RUN_REFERENCE.match(text, s)
            got = phone._PHONE_RUN.match(text, s)
            assert (got and got.span()) == (want and want.span()), (text, s)
            matched += want is not None
    assert matched > 50000, matched


def test_few_numbers_finds_what_the_reference_scan_found() -> None:
    """The few-digit loop with the number led by 0 sent to the phone test and the overlap
    test skipped past ``hi``: the same findings as the reference on random long posts
    (numbers led by 0 of every length before every mark, links, tags, e-mail addresses
    and IBANs around them)."""
    rng = random.Random(6162)
    found = 0
    for _ in range(6000):
        text = _post(rng)
        assert len(text) > 256
        got = Scan(text).run()
        assert got == _ReferenceScan(text).run(), text
        found += len(got)
    assert found > 6000, found
