"""The scan: one pass over one text that runs each detector at its candidates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter
from typing import Final

from compass_bot.features.personal_data.rules_address import address_at, postcode_at
from compass_bot.features.personal_data.rules_address_context import add_context
from compass_bot.features.personal_data.rules_candidates import (
    NUM_CANDIDATE,
    NUM_CANDIDATE_WORD_FIRST,
    OTHER_CANDIDATE,
    SHAPE_DIGITS,
    SHORT,
    few_digits,
    many_digit_candidates,
    other_span,
    shape_of_view,
)
from compass_bot.features.personal_data.rules_email import (
    at_sign_span,
    bracket_at_span,
    email_at,
    has_word_disguise,
    latin1_view,
    word_at_spans,
    word_disguise_in,
)
from compass_bot.features.personal_data.rules_ids import bsn_at, iban_or_shape_at
from compass_bot.features.personal_data.rules_kinds import Finding, Kind, new_finding
from compass_bot.features.personal_data.rules_location import (
    coordinates_at,
    life360_codes,
    link_at,
    plus_codes,
)
from compass_bot.features.personal_data.rules_lookalikes import date_or_time_end
from compass_bot.features.personal_data.rules_phone import phone_at, usual_phone_at
from compass_bot.features.personal_data.rules_phone_abroad import abroad_phone_at

_START: Final = attrgetter("start")
# after a number, the marks of a date, time or coordinate ("" after the text's end: none)
_MARKS_AFTER: Final = ("-", "/", ".", ":", ",", "°")


def _data_at_line_break(text: str) -> bool:
    """Does a digit or an at sign stand next to a line break (spaces between)? Only then
    can the lines joined hold data the lines alone do not."""
    i = text.find("\n")
    while i >= 0:
        before = text[:i].rstrip(" \r\t\u00a0-")[-1:]
        after = text[i + 1 : i + 4].lstrip(" \t\u00a0")[:1]
        if before.isdigit() or after.isdigit() or "@" in (before, after):
            return True
        if after in "(+" and after:
            return True
        i = text.find("\n", i + 1)
    return False


_TOKEN_PUNCTUATION: Final = ",;:!?()[]\"'"


def _plain_token(token: str) -> bool:
    """A word, a group of digits or a lone separator: no decimal, date or time, whose
    digits would not go on over a line break."""
    token = token.strip(_TOKEN_PUNCTUATION)
    return token.isalpha() or token.isdigit() or token in ("", "-", "/", ".", "+")


def _across_a_break(text: str, f: Finding) -> bool:
    """Does the finding of the joined reading cross a line break between plain tokens
    ("0653\n120 447", "Maliebaan\n61,"; an e-mail address at its at sign)?"""
    start, end = f[1], f[2]
    i = text.find("\n", start, end)
    if i < 0:
        return False
    if f[0] == "email":
        return True
    while i >= 0:
        before = text[i - 40 if i > 40 else 0 : i].split()  # whole tokens, past the span
        after = text[i + 1 : i + 41].split()
        if not (
            _plain_token(before[-1] if before else "") and _plain_token(after[0] if after else "")
        ):
            return False
        i = text.find("\n", i + 1, end)
    return True


def _last_end(findings: list[Finding], blocked: list[tuple[int, int]]) -> int:
    """The last end of a finding or a skipped span."""
    return max([f[2] for f in findings] + [b[1] for b in blocked])


# "06–43 21 98 76", "020 – 123 45 67": typing apps and web pages write a dash as an en dash
# (or a figure, em or minus sign); each is read as the hyphen, one character for one, so the
# findings' spans are the post's own. `in` per dash, not a regex: a post of Latin-1 text (most)
# cannot hold one, and Python answers that without reading it
_DASHES: Final = "\u2010\u2011\u2012\u2013\u2014\u2212"
_AS_HYPHEN: Final = str.maketrans(dict.fromkeys(_DASHES, "-"))


class Scan:
    """One pass over one text; findings and skipped spans never overlap."""

    __slots__ = ("blocked", "cache", "findings", "n", "skip", "text")

    def __init__(self, text: str) -> None:
        for dash in _DASHES:
            if dash in text:
                text = text.translate(_AS_HYPHEN)
                break
        self.text = text
        self.cache: dict[str, bool] = {}
        self.n = len(text)
        self.findings: list[Finding] = []
        self.blocked: list[tuple[int, int]] = []
        self.skip = [-1]  # the end of the last number found (see ``numbers``)

    def taken(self, start: int, end: int) -> bool:
        for f in self.findings:
            if start < f.end and f.start < end:
                return True
        for s, e in self.blocked:  # noqa: SIM110 - a plain loop: no generator on the hot path
            if start < e and s < end:
                return True
        return False

    def add(self, kind: Kind, start: int, end: int) -> None:
        if not (self.findings or self.blocked) or not self.taken(start, end):
            self.findings.append(new_finding(Finding, (kind, start, end)))

    def run(self) -> tuple[Finding, ...]:
        """Two regex passes yield the candidates; only they reach Python code.

        Non-numeric candidates (Discord tags, links, e-mail anchors) go first, so a link or
        an address blocks the digits inside it, then the digit runs in text order.
        """
        text = self.text
        n = self.n
        shape = view = b""
        pattern = OTHER_CANDIDATE
        if n <= SHORT:  # one pass of each pattern costs less than reading the shape
            lo, last = 0, n - 1
        else:
            view = latin1_view(text)
            shape = shape_of_view(view)
            if (  # the usual chat post: none of the trigger bytes, no call
                shape.rfind(b"@") < 0
                and shape.rfind(b"/") < 0
                and shape.rfind(b"(") < 0
                and "\uff20" not in text
            ):
                lo, last = 0, -1
            else:
                lo, last, pattern = other_span(text, shape)
        if last >= 0:
            self.others(lo, n if n <= SHORT else min(n, last + 64), pattern)
        numbers: Iterable[tuple[int, int]] = ()
        first = few = last9 = -1  # few: the first digit when the digits are few (few_numbers)
        if n <= SHORT:
            numbers = [m.span() for m in NUM_CANDIDATE.finditer(text)]
            life360 = "360" in text
        else:
            first = shape.find(b"9")  # a life360 code has its digits between the first and last
            if first >= 0:
                last9 = shape.rfind(b"9")
                if few_digits(shape, first, last9):
                    few = first
                else:
                    numbers = many_digit_candidates(text, shape, first)
            life360 = first >= 0 and text.rfind("360", first, last9 + 1) >= 0
        if word_disguise_in(view) if view else has_word_disguise(text):
            for a0, a1 in word_at_spans(text):
                self.email(a0, a1, False)
        if life360:
            for start, end in life360_codes(text):
                self.add("location-link", start, end)
        if "+" in text:
            for start, end in plus_codes(text):
                self.add("location-link", start, end)
        if few >= 0:
            self.few_numbers(shape, few)
        elif numbers:
            self.numbers(numbers)
        findings = self.findings
        if "\n" in text and _data_at_line_break(text):
            self.joined_lines()
        add_context(text, findings, self.taken)  # "4 Privet Drive is where I live"
        if len(findings) == 2:  # the usual case, as the stable sort orders it
            if findings[0].start > findings[1].start:
                findings.reverse()
        elif len(findings) > 2:
            findings.sort(key=_START)
        return tuple(findings)

    def joined_lines(self) -> None:
        """Data broken over a line break ("Maliebaan\n61", "0653\n120 447"): the text read
        again with each line break as a space (one character for one: the same spans)
        adds what it finds where the lines alone found nothing. A line break stays a
        break for data complete before it ("0800-1234\n3-2")."""
        text = self.text
        joined = text.replace("\n", " ").replace("\r", " ")
        crossing: list[Finding] = []  # an address over a break brings its postcode along
        for f in Scan(joined).run():
            if _across_a_break(text, f) or any(a[1] <= f[1] and f[2] <= a[2] for a in crossing):
                if f[0] == "address":
                    crossing.append(f)
                if not self.taken(f[1], f[2]):
                    self.findings.append(f)

    def others(self, lo: int, hi: int, pattern: re.Pattern[str]) -> None:
        """Discord tags, links, what3words and e-mail anchors in text[lo:hi] (``pattern``:
        OTHER_CANDIDATE, or SLASH_CANDIDATE when no other trigger character is there)."""
        text = self.text
        skip_until = -1
        for m in pattern.finditer(text, lo, hi):
            kind = m.lastgroup
            i = m.start()
            if i < skip_until:
                continue
            if kind == "tag":
                self.blocked.append(m.span())
            elif kind == "w3w":
                self.add("location-link", i, m.end())
            elif kind == "link":
                start, end, is_map = link_at(text, i)
                if is_map:
                    self.add("location-link", start, end)
                elif is_map is not None and not self.taken(start, end):
                    self.blocked.append((start, end))
                skip_until = max(end, i + 1)
            elif kind == "at":
                self.email(*at_sign_span(text, i), False)
            elif kind == "bat":
                self.email(*bracket_at_span(text, i, m.end()), True)

    def email(self, a0: int, a1: int, disguised: bool) -> None:
        if self.taken(a0, a1):
            return
        span = email_at(self.text, a0, a1, disguised)
        if span:
            self.add("email", *span)

    def numbers(self, runs: Iterable[tuple[int, int]]) -> None:
        """Try the number kinds at each candidate digit run the digit pass let through.

        ``self.skip[0]`` is the end of the last number found: a run before it is part of
        that number, and the digit pass (a generator on a long post) skips it unmatched."""
        text = self.text
        skip = self.skip
        findings = self.findings
        blocked = self.blocked
        for s, e in runs:
            if s < skip[0]:
                continue
            if s and text[s - 1].isalpha():
                if not self.taken(s, e):
                    take_iban(self, s)
                continue
            if e - s >= 15 or ((findings or blocked) and self.taken(s, e)):
                continue
            end = self.number_at(s, e)
            if end:
                skip[0] = end

    def few_numbers(self, shape: bytes, i: int) -> None:
        """``numbers`` over the runs ``digit_candidates`` yields when the digits are few,
        in one loop (no generator between them): a NUM_CANDIDATE match at the first digit
        of each run from i on, and after a number found the next digit after its end (a
        digit inside a run there matches nothing, as a run the number holds yields no
        candidate).

        ``hi`` bounds the ends of the findings and skipped spans, so a span from ``hi`` on
        needs no ``taken``; a number found ends before the next run read."""
        text = self.text
        findings = self.findings
        hi = _last_end(findings, self.blocked) if findings or self.blocked else -1
        match = NUM_CANDIDATE_WORD_FIRST.match
        find = shape.find
        while i >= 0:
            m = match(text, i)  # only a run's first digit can start a match
            if m is None:
                i = find(b"9", SHAPE_DIGITS.match(shape, i).end())  # type: ignore[union-attr]
                continue
            s, e = m.span()  # the pattern ends with the run's digits
            if s and text[s - 1].isalpha():
                if s >= hi or not self.taken(s, e):
                    end = take_iban(self, s)
                    if end > hi:
                        hi = end
            elif e - s < 15 and (s >= hi or not self.taken(s, e)):
                length = e - s
                after = text[e : e + 1]
                if s < 2 or text[s - 1] != " ":
                    end = self.number_at(s, e)
                elif text[s] != "0":
                    if length <= 2 and after not in _MARKS_AFTER:
                        # number_at's own first test of a short number: only an address
                        found = address_at(text, s)
                        end = 0
                        if found:  # Scan.address_at, with hi for its overlap test
                            address = found[0]
                            end = address[2]
                            if address[1] >= hi or not self.taken(address[1], end):
                                findings.append(address)
                            if len(found) > 1:
                                findings.extend(found[1:])
                    else:
                        end = self.number_at(s, e)
                elif (
                    length == 3
                    or length >= 5
                    or (length == 4 and after != "-")
                    or after == " "
                    or (after == "-" and "-" not in text[e + 2 : e + 4])
                ) and (span := usual_phone_at(text, s, self.cache)):
                    # led by 0 after a space, no date, time or coordinate test can take
                    # it: number_at's first test is the phone's, so its span is the answer
                    end = span[1]
                    if s >= hi or not self.taken(s, end):
                        findings.append(new_finding(Finding, ("phone", s, end)))
                else:
                    end = self.number_at(s, e)
                if end > e:
                    e = end
                if end > hi:
                    hi = end
            i = find(b"9", e)

    def number_at(self, s: int, e: int) -> int:
        """Try every number kind at the digit run text[s:e]; the end of what was used or 0.

        Each detector runs only when the run's length and neighbours allow its kind, so a
        post full of times, grades and page numbers stays cheap.
        """
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
                span = usual_phone_at(text, s, self.cache) or abroad_phone_at(text, s)
                if span:
                    self.add("phone", *span)
                    return span[1]
        elif before in "+(":
            span = phone_at(text, s, self.cache)
            if span:
                self.add("phone", *span)
                return span[1]
        if length == 3 and (before == "(" or after in "-."):  # "(212) 555-0182", "555-0173"
            span = abroad_phone_at(text, s)
            if span:
                self.add("phone", *span)
                return span[1]
        if length == 4:
            span = postcode_at(text, s)
            if span:
                self.add("postcode", *span)
                return span[1]
        if 3 <= length <= 9 and length != 8:  # 9 digits, or the first group of them
            end = bsn_at(text, s)
            if end:
                self.add("id-number", s, end)
                return end
        if length <= 4 and text[s] != "0":
            return self.address_at(s)
        return 0

    def address_at(self, s: int) -> int:
        """The address (and the postcode in it) whose house number starts at s: the end
        of what was used, or 0."""
        found = address_at(self.text, s)
        if not found:
            return 0
        address = found[0]
        end = address[2]  # by index: a named tuple's attribute costs a call
        if not self.taken(address[1], end):
            self.findings.append(address)
        if len(found) > 1:
            self.findings.extend(found[1:])
        return end


def take_iban(scan: Scan, s: int) -> int:
    """The IBAN whose check digits start at s: found when valid, its span blocked when only
    its shape is (no phone number inside a mistyped account number); its end or 0."""
    found = iban_or_shape_at(scan.text, s)
    if found is None:
        return 0
    start, end, valid = found
    if valid:
        scan.add("id-number", start, end)
    else:
        scan.blocked.append((start, end))
    return end
