"""Protocol clause `aanwijzing-6`: no information about third parties without their permission.

The bot cannot know whose data a post holds, so it looks for the data itself: phone numbers,
e-mail addresses, home addresses, postcodes with a house number, map and live-location links,
and identity numbers (BSN, IBAN). This module is the pure verdict on one text: no discord
import, no store, no clock; word lists live in ``data/personal_data.json``.

API: ``find_personal_data(text, allowed)`` returns the findings (kind and character span,
sorted by position); ``mask(text, findings)`` replaces each span by a Dutch label such as
``[telefoonnummer verborgen]``, so moderators and the author can see *what* was found
without the value. ``PersonalDataRule(allowed)`` keeps the normalised allow list between
calls (the bot's hot path).

Cost
----
The bot runs this on every post, so the order is cheapest first:

1. ``could_contain`` rejects almost every chat message: a post without a digit, ``@``,
   ``/``, ``+``, an opening bracket or the words dot/punt holds none of the
   kinds (every kind needs one of them). One compiled character-class regex for short
   posts; ``str`` membership tests (memchr-fast) for long ones.
2. The text is read once as a "shape" (``bytes.translate``: one byte per character, ``9``
   for a digit, ``a`` for a letter, ...). Two regex passes yield the candidates:
   ``_OTHER_CANDIDATE`` from the first to the last ``<@/([{`` (Discord tags, links and
   e-mail anchors; rare in chat), and ``_NUM_CANDIDATE`` for digit runs whose shape can be
   a kind (7+ digits among separators, a postcode, a coordinate, IBAN digits after two
   letters, a short number right after a word). The regex engine pays a few hundred
   nanoseconds at every digit run, so with more than a few digits ``_number_cores``
   first finds, with byte operations that run in C (find, count, a literal-led regex on
   the shape), every place where such a run can start, and the digit pattern is matched
   only there; a post full of times, grades and rooms has none. When the places are many
   (dates, timetables) one pass costs less and is taken. Both ways yield the same
   candidates (a test compares them on random posts). A long post with few digits (the
   usual post with data) is read by one loop, ``Scan.few_numbers``: a match at each
   run's first digit with the branches in the order that reaches a house number first
   (zero-width branches: the order changes the cost, never the match), the detectors
   called in the same loop, and the next digit after a number found.
3. Each candidate then gets its detector (``Pattern.match`` at the anchor). Dutch phone
   numbers are decided by ``phonenumbers``' own metadata for NL (its number patterns,
   compiled once): the same verdict as ``phonenumbers.is_valid_number`` at a fraction of
   its parse cost, cached per distinct written number within a post; the whole run of
   digit groups is tried first; the usual national writing ("06-12345678") is read by
   the scan itself (``usual_phone_at``), and a short number after a word with no date,
   time or coordinate mark after it goes straight to the address test. Foreign numbers
   (``+``/``00`` with another country code) go through ``phonenumbers.parse``; BSN and
   IBAN through ``python-stdnum``.
4. Why no single combined candidate regex: on CPython 3.11 a regex pass over a 2,000-
   character post costs about 4 ns a character even for a bare character class (7 us, over
   half a discord.py parse; with a dot-word branch 25 us), and a few hundred nanoseconds
   at every place a branch can start. A ``bytes.translate`` costs 0.6 ns a byte and a
   one-character find runs at memchr speed; a short multi-character find costs about
   1 ns a byte forward and half that in reverse, so presence tests use ``rfind``. Hence
   the byte passes, regexes only at anchors or led by one literal (the link pass when a
   slash is the only trigger), and cheap general rejections before any detector: a date
   or fraction token (``12/05``) is no link candidate, the word before a short number is
   judged once a post ("blz. 45"), and the dot-word gate first reads only the whitespace
   and the letters of dot/punt.

What is found (kinds)
---------------------
``phone``         a number ``phonenumbers`` calls valid: Dutch numbers written with ``0``,
                  ``+31``, ``0031``, ``+31 (0)``, area code in brackets, any grouping with
                  spaces, dashes, dots or slashes; foreign numbers with ``+`` or ``00``.
                  Service numbers (0800, 0900) are valid numbers too: list the ones the
                  school publishes in ``personal_data.allowed``. When the digit groups
                  run on and the whole run is no valid number (``0612 345 678 9``), no
                  shorter number inside it is flagged; a number ends early only at a clear
                  break (another separator, a new number, a time such as ``15:00``).
                  A phone number spelled out in words ("nul zes, twee acht, ...", "zero six
                  ...", "06 five three ..."), read as the digits it spells. British and
                  American national writing ("07911 123456", "(212) 555-0182") judged with
                  that region; a number only possible there (+44 7700 900xxx) with its
                  country code or after a phone word (``rules_phone_abroad``).
``email``         ``name@domain.tld`` and the usual disguises: ``[at]``, ``(at)``, ``{at}``,
                  ``(a)``, `` at ``, ``apenstaartje``, ``[dot]``, ``(punt)``, `` dot ``,
                  `` punt ``, spaces around ``@`` and ``.``. A disguised domain must end in a
                  common top-level domain (com, nl, be, ...).
``address``       a street with a house number: a word ending in a Dutch street suffix
                  (straat, laan, weg, plein, gracht, kade, singel, dijk, pad, hof, ...; not
                  words such as onderweg or supermarkt), optionally preceded by capitalised
                  words, particles and abbreviations (``Burg. de Withstraat``,
                  ``Van Heemstraweg``), or a street type first (``Laan van Meerdervoort``);
                  then a house number with suffix (``12a``, ``3-II``, ``14 bis``, ``7-1``,
                  ``3 b`` before a comma or postcode) and optionally a postcode (included
                  in the span; also after ``|``, ``(``, ``/`` or a dash, unless it has a
                  house number of its own). In lower case only with the type first and
                  a particle (``laan van meerdervoort 418``; laan, dreef, allee, ...).
                  An English street type in the same order (``Baker Street 12``); and the
                  house number first, as English writes it, after a word that says a place
                  follows (``lives at 12 Kerkstraat``, ``moved to 14 Maple Avenue``:
                  ``number_first_cues``, ``street_types_english``), or opening the post, a
                  bracket, a line or a colon (``rules_address_context``).
``postcode``      a full postcode within 80 characters after an address (before it when
                  named: "postcode is 3723 HJ ..."), or with a house number (``3512 JK 8``, ``3512jk, nr 8``,
                  ``3512 jk 8``, ``3512 JK en het huisnummer is 8``). A postcode alone
                  names a street, not a home: not flagged. A year followed by a short
                  word (``2024 EN 8``) is no postcode unless the word postcode stands
                  before it; lower case after a space never a word or unit (``2024 en``,
                  ``1500 km``).
``location-link`` a link to a map or a live location (Google Maps incl. maps.app.goo.gl and
                  goo.gl/maps, Apple Maps, Snap Map, Life360 links and invite codes,
                  what3words ``///a.b.c``, Waze, OpenStreetMap), raw coordinates (decimal
                  with at least four decimals, latitude -90..90 and longitude -180..180,
                  the longitude may be named (``52.5168 lon 6.0830``),
                  not next to a math word or operator, and near 0,0 only with a degree
                  sign, compass letter or location word; or degrees-minutes-seconds) and
                  plus codes (Open Location Code in one case, such as ``9F46+QX``,
                  ``9f46+qx`` or ``9F469F2W+5V``).
``id-number``     a BSN that passes the elfproef (9 digits, also grouped 1234.56.782) and an
                  IBAN that passes mod-97 and its country's format; a passport or ID card
                  number (9 capitals and digits, no O, the last a digit) a few words
                  after the word that names it (``rules_documents``: "paspoortnr:
                  NP4L8R2J7").

What is not found (look-alikes)
-------------------------------
Times, dates, grades, scores, prices, class codes, rooms, exercise and page numbers, phone
models and years fail the number checks above (too few digits, no leading 0 or +, a date
or time shape). Digits inside Discord mentions (``<@123>``, ``<#123>``, ``<t:...>``,
custom emoji), long ids (15+ digits) and any link that is not a map link are skipped.
Numbers that fail their check digit are not flagged. Unicode digits other than 0-9 are not
read.

Modules
-------
``rules_kinds`` (kinds, findings, word lists), ``rules_candidates`` (prefilter, shape,
candidate passes), one module per detector family (``rules_phone``, ``rules_email``,
``rules_address``, ``rules_location``, ``rules_ids``), ``rules_lookalikes`` (the guards),
``rules_scan`` (the scan that combines them). This module is the public face: the allow
list, ``find_personal_data``, ``mask`` and the names the rest of the bot imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

from compass_bot.features.personal_data.rules_address import HOUSE_NR
from compass_bot.features.personal_data.rules_candidates import could_contain
from compass_bot.features.personal_data.rules_disguise import back, unveil
from compass_bot.features.personal_data.rules_documents import named_ids
from compass_bot.features.personal_data.rules_email import email_key
from compass_bot.features.personal_data.rules_kinds import (
    CLAUSE_ID,
    KINDS,
    MASK_LABELS,
    MASK_LABELS_EN,
    Finding,
    Kind,
)
from compass_bot.features.personal_data.rules_phone import nl_number_is_valid, phone_digits
from compass_bot.features.personal_data.rules_scan import Scan
from compass_bot.features.personal_data.rules_spelled import as_digits, may_spell, spelled_phones

__all__ = [
    "CLAUSE_ID",
    "KINDS",
    "Finding",
    "Kind",
    "PersonalDataRule",
    "could_contain",
    "describe",
    "find_personal_data",
    "finding_key",
    "mask",
    "nl_number_is_valid",
]

_KEY_POSTCODE: Final = re.compile(r"[1-9]\d{3}\s?[A-Za-z]{2}")


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def finding_key(kind: Kind, value: str) -> str:
    """The normalised form used to compare a finding with the allow list."""
    if kind == "phone":
        digits, international = phone_digits(as_digits(value))
        if international:
            return digits if not digits.startswith("310") else "31" + digits[3:]
        return "31" + digits[1:] if digits.startswith("0") else digits
    if kind == "email":
        return email_key(value)
    if kind == "address":
        return _alnum(_KEY_POSTCODE.sub(" ", value))
    if kind == "location-link":
        low = value.casefold().removeprefix("https://").removeprefix("http://")
        return low.removeprefix("www.").rstrip("/")
    return _alnum(value)


def _keys_of(text: str) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for f in Scan(text).run():
        value = text[f.start : f.end]
        keys.add((f.kind, finding_key(f.kind, value)))
        if f.kind == "address":
            code = _KEY_POSTCODE.search(value)
            nr = HOUSE_NR.search(value)
            if code and nr:
                keys.add(("postcode", _alnum(code.group(0) + nr.group(0))))
    return keys


@lru_cache(maxsize=16)
def _allowed_keys(allowed: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for entry in allowed:
        keys |= _keys_of(entry)
    return frozenset(keys)


def _scan(text: str) -> tuple[Finding, ...]:
    if not text or not could_contain(text):
        return ()
    return Scan(text).run()


def _without_allowed(
    text: str, findings: tuple[Finding, ...], keys: frozenset[tuple[str, str]]
) -> tuple[Finding, ...]:
    if not keys or not findings:
        return findings
    return tuple(
        f for f in findings if (f.kind, finding_key(f.kind, text[f.start : f.end])) not in keys
    )


def _and_more(found: tuple[Finding, ...], more: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """``found`` and the findings of ``more`` that none of it covers."""
    extra = tuple(f for f in more if all(f.end <= g.start or f.start >= g.end for g in found))
    if not extra:
        return found
    return tuple(sorted((*found, *extra), key=lambda f: f.start))


def _and_spelled(text: str, found: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """``found`` and the phone numbers spelled out in words that none of it covers."""
    return _and_more(found, spelled_phones(text))


def _with_named(text: str, found: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The scan's findings and the passport and ID card numbers named before them."""
    named = named_ids(text)
    return _and_more(found, named) if named else found


def find_personal_data(text: str, allowed: Sequence[str] = ()) -> tuple[Finding, ...]:
    """Every piece of personal data in ``text``, minus the entries of ``allowed``.

    ``allowed`` holds the school's public contacts (its address, reception number,
    helplines) written in any form: each entry is read by the same rule and compared
    normalised (a phone number by country code and number, an address without spaces).
    """
    if not text.isascii() and (folded := unveil(text)) is not None:
        return back(text, find_personal_data(folded, allowed))
    found = _with_named(text, Scan(text).run()) if text and could_contain(text) else ()
    if text and may_spell(text):
        found = _and_spelled(text, found)
    if allowed and found:
        return _without_allowed(text, found, _allowed_keys(tuple(allowed)))
    return found


class PersonalDataRule:
    """The rule with its allow list read once (the bot's per-post entry point)."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self._keys = _allowed_keys(tuple(allowed))

    def find(self, text: str) -> tuple[Finding, ...]:
        """Every piece of personal data in `text`, minus the allowed ones. Every post comes
        here, and the prefilter ends almost all of them: it is asked first, inline."""
        if not text or not could_contain(text):  # _scan's first line
            if text.isascii() or (folded := unveil(text)) is None:
                if text and may_spell(text):  # "nul zes, twee acht, ..."
                    return _without_allowed(text, _and_spelled(text, ()), self._keys)
                return ()
        elif text.isascii() or (folded := unveil(text)) is None:
            found = _with_named(text, Scan(text).run())
            if may_spell(text):
                found = _and_spelled(text, found)
            return _without_allowed(text, found, self._keys)
        return back(text, self.find(folded))  # full-width digits, invisible characters


def mask(text: str, findings: Iterable[Finding], english: bool = False) -> str:
    """``text`` with every found span replaced by ``[<kind in Dutch> verborgen]`` (or
    ``[phone number hidden]`` for a member who writes English).

    No character of a found span survives, so an excerpt shown to moderators or logged
    names the kind (``[telefoonnummer verborgen]``) but never the value.
    """
    labels, hidden = (MASK_LABELS_EN, "hidden") if english else (MASK_LABELS, "verborgen")
    parts: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        parts.append(text[pos : f.start])
        parts.append(f"[{labels[f.kind]} {hidden}]")
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def describe(kind: Kind) -> str:
    """The Dutch label of a kind (``telefoonnummer``), for messages that name the kind only."""
    return MASK_LABELS[kind]
