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
   ``/``, ``+``, an opening bracket or the words dot/punt/apenstaartje holds none of the
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
   candidates (a test compares them on random posts).
3. Each candidate then gets its detector (``Pattern.match`` at the anchor). Dutch phone
   numbers are decided by ``phonenumbers``' own metadata for NL (its number patterns,
   compiled once): the same verdict as ``phonenumbers.is_valid_number`` at a fraction of
   its parse cost, cached per distinct written number within a post; the whole run of
   digit groups is tried first. Foreign numbers (``+``/``00`` with another country code)
   go through ``phonenumbers.parse``; BSN and IBAN through ``python-stdnum``.

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
``email``         ``name@domain.tld`` and the usual disguises: ``[at]``, ``(at)``, ``{at}``,
                  ``(a)``, `` at ``, ``apenstaartje``, ``[dot]``, ``(punt)``, `` dot ``,
                  `` punt ``, spaces around ``@`` and ``.``. A disguised domain must end in a
                  common top-level domain (com, nl, be, ...).
``address``       a street with a house number: a word ending in a Dutch street suffix
                  (straat, laan, weg, plein, gracht, kade, singel, dijk, pad, hof, ...; not
                  words such as onderweg or supermarkt), optionally preceded by capitalised
                  words, particles and abbreviations (``Burg. de Withstraat``,
                  ``Van Heemstraweg``), or a street type first (``Laan van Meerdervoort``);
                  then a house number with suffix (``12a``, ``3-II``, ``14 bis``, ``7-1``)
                  and optionally a postcode (included in the span).
``postcode``      a full postcode with a house number (``3512 JK 8``, ``3512jk, nr 8``).
                  A postcode alone names a street, not a home: not flagged. A year
                  followed by a short word (``2024 EN 8``) is no postcode unless the word
                  postcode stands before it.
``location-link`` a link to a map or a live location (Google Maps incl. maps.app.goo.gl and
                  goo.gl/maps, Apple Maps, Snap Map, Life360 links and invite codes,
                  what3words ``///a.b.c``, Waze, OpenStreetMap), raw coordinates (decimal
                  with at least four decimals, latitude -90..90 and longitude -180..180,
                  not next to a math word or operator, and near 0,0 only with a degree
                  sign, compass letter or location word; or degrees-minutes-seconds) and
                  plus codes (Open Location Code in one case, such as ``9F46+QX``,
                  ``9f46+qx`` or ``9F469F2W+5V``).
``id-number``     a BSN that passes the elfproef (9 digits, also grouped 1234.56.782) and an
                  IBAN that passes mod-97 and its country's format.

What is not found (look-alikes)
-------------------------------
Times, dates, grades, scores, prices, class codes, rooms, exercise and page numbers, phone
models and years fail the number checks above (too few digits, no leading 0 or +, a date
or time shape). Digits inside Discord mentions (``<@123>``, ``<#123>``, ``<t:...>``,
custom emoji), long ids (15+ digits) and any link that is not a map link are skipped.
Numbers that fail their check digit are not flagged. Unicode digits other than 0-9 are not
read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Final, Literal, get_args

import phonenumbers
from stdnum import iban as _iban
from stdnum.nl import bsn as _bsn

CLAUSE_ID: Final = "aanwijzing-6"

Kind = Literal["phone", "email", "address", "postcode", "location-link", "id-number"]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)

_DATA_PATH = Path(__file__).with_name("data") / "personal_data.json"


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind and the span ``text[start:end]``."""

    kind: Kind
    start: int
    end: int


def _load_words() -> dict[str, object]:
    data: dict[str, object] = json.loads(_DATA_PATH.read_text(encoding="utf-8"))
    return data


def _strings(name: str) -> tuple[str, ...]:
    value = _WORDS[name]
    assert isinstance(value, list)
    return tuple(str(item) for item in value)


_WORDS = _load_words()
STREET_SUFFIXES: Final = tuple(sorted(set(_strings("street_suffixes")), key=len, reverse=True))
STREET_TYPE_WORDS: Final = frozenset(_strings("street_type_words"))
STREET_NOT: Final = frozenset(_strings("street_not"))
NAME_ABBREVIATIONS: Final = frozenset(_strings("name_abbreviations"))
NAME_PARTICLES: Final = frozenset(_strings("name_particles"))
HOUSE_NUMBER_UNITS: Final = frozenset(_strings("house_number_units"))
EMAIL_TLDS: Final = frozenset(_strings("email_tlds"))
EMAIL_PROVIDERS: Final = frozenset(_strings("email_providers"))
LOCATION_LINK_MARKERS: Final = _strings("location_link_markers")
COORDINATE_MATH_WORDS: Final = frozenset(_strings("coordinate_math_words"))
COORDINATE_CONTEXT_WORDS: Final = frozenset(_strings("coordinate_context_words"))
POSTCODE_NOT_LETTERS: Final = frozenset(_strings("postcode_not_letters"))
_labels = _WORDS["mask_labels"]
assert isinstance(_labels, dict)
MASK_LABELS: Final[dict[str, str]] = {str(k): str(v) for k, v in _labels.items()}
assert set(MASK_LABELS) == set(KINDS), "mask_labels must name every kind"

# --- step 1: could the text hold data at all? ---------------------------------------------

_TRIGGER_CHARS: Final = "0123456789@/+([{\uff20"
_MAYBE: Final = re.compile(r"[0-9@/+(\[{\uff20]")
_MAYBE_WORDS: Final = (" dot ", " punt ", "apenstaart")
_SHORT: Final = 256


def could_contain(text: str) -> bool:
    """Cheap prefilter: False means the text certainly holds none of the kinds."""
    if len(text) <= _SHORT:
        if _MAYBE.search(text) is not None:
            return True
    else:
        for ch in _TRIGGER_CHARS:  # memchr per character beats one regex pass on long text
            if ch in text:
                return True
    return _has_word_disguise(text)


def _has_word_disguise(text: str) -> bool:
    """' dot ' / ' punt ' / 'apenstaartje' in any case: the only kinds without a trigger
    character. One lower-cased copy and three substring searches (cheaper than six)."""
    low = text.lower()
    for word in _MAYBE_WORDS:  # noqa: SIM110 - a plain loop: no generator on the hot path
        if word in low:
            return True
    return False


# --- patterns ------------------------------------------------------------------------------

_SPACE = "[ \u00a0]"
_NONSPACE: Final = re.compile(r"\S+")
_DIGIT_RUN: Final = re.compile(r"[0-9]+")
_DISCORD_TAG: Final = re.compile(
    r"<(?:@[!&]?\d+|#\d+|t:-?\d+(?::[a-zA-Z])?|a?:\w+:\d+|/[\w -]+:\d+)>"
)
_DATE: Final = re.compile(
    r"(?:(?:[0-3]?\d)([-/.])(?:[01]?\d)\1(?:\d{4}|\d{2})|\d{4}-[01]\d-[0-3]\d)(?![-/.]?\d)"
)
_TIME: Final = re.compile(r"[0-2]?\d[:.][0-5]\d(?![.:]?\d)")
_PHONE_RUN: Final = re.compile(
    rf"(?:\+|00)?{_SPACE}?\(?\+?\d{{1,12}}\)?"
    rf"(?:(?:{_SPACE}{{0,2}}[-./]{_SPACE}{{0,2}}|{_SPACE}{{1,2}}|(?<=\)))\(?\d{{1,12}}\)?)*"
)
_TRUNK: Final = re.compile(r"\(\s?0\s?\)")
_COORD: Final = re.compile(
    r"-?(?:[1-8]?\d)[.,]\d{4,10}°?\s?[NSns]?\s?[,;/ ]\s?-?(?:1[0-7]\d|[1-9]?\d)[.,]\d{4,10}°?"
    r"(?:\s?[EWOewo](?![A-Za-z]))?"
    r"|\d{1,2}°\s?\d{1,2}['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?\s?[NSns],?\s{0,2}"
    r"\d{1,3}°\s?\d{1,2}['′](?:\s?\d{1,2}(?:[.,]\d+)?[\"″]?)?\s?[EWOewo](?![A-Za-z])"
)
_HOUSE_NR_TEXT = (
    r"[1-9]\d{0,3}(?:"
    rf"{_SPACE}?-{_SPACE}?(?:[IVX]{{1,4}}|hs|bis|\d{{1,3}}|[A-Za-z])(?![\w-])"
    rf"|{_SPACE}?(?:bis|hs|huis|boven|rood|zwart)(?![\w-])"
    r"|[A-Za-z](?![\w-])"
    r")?"
)
_HOUSE_NR: Final = re.compile(_HOUSE_NR_TEXT)
_POSTCODE_TEXT = (
    rf"[1-9]\d{{3}}(?:{_SPACE}?(?!SA|SD|SS)[A-Z]{{2}}|(?!sa|sd|ss)[a-z]{{2}})(?![A-Za-z0-9])"
)
_NR_WORD = r"(?:huis)?(?:nummer|nr|no)\.?:?"
_POSTCODE: Final = re.compile(
    rf"{_POSTCODE_TEXT}(?:{_SPACE}?,?{_SPACE}{{0,2}}(?:{_NR_WORD}{_SPACE}?)?)"
    rf"(?P<nr>{_HOUSE_NR_TEXT})(?![\d:.,]\d|[\w%€])"
)
_POSTCODE_ALONE: Final = re.compile(_POSTCODE_TEXT)
_NR_BEFORE: Final = re.compile(
    rf"\b{_NR_WORD}{_SPACE}?{_HOUSE_NR_TEXT}{_SPACE}?,?{_SPACE}{{0,2}}$", re.IGNORECASE
)
_POSTCODE_TAIL: Final = re.compile(rf"{_SPACE}?,?{_SPACE}{{0,2}}{_POSTCODE_TEXT}")
_BSN: Final = re.compile(
    r"\d{9}(?![\d])|\d{4}\.\d{2}\.\d{3}(?![.\d])|\d{3}[ .-]\d{3}[ .-]\d{3}(?![ .-]?\d)"
)
_IBAN: Final = re.compile(
    r"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])"
)
_PLUS_CODE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:[2-9CFGHJMPQRVWX]{8}|[2-9CFGHJMPQRVWX]{6}|[2-9CFGHJMPQRVWX]{4})"
    r"\+[2-9CFGHJMPQRVWX]{2,3}"
    r"|(?:[2-9cfghjmpqrvwx]{8}|[2-9cfghjmpqrvwx]{6}|[2-9cfghjmpqrvwx]{4})"
    r"\+[2-9cfghjmpqrvwx]{2,3}"
    r")(?![A-Za-z0-9])"
)
_W3W: Final = re.compile(r"///[^\W\d_]{2,}\.[^\W\d_]{2,}\.[^\W\d_]{2,}")
_LIFE360_CODE: Final = re.compile(
    r"[Ll][Ii][Ff][Ee]360\b\W{1,3}(?:[\w ]{0,30}?\b[Cc][Oo][Dd][Ee]\W{1,3})?"
    r"([A-Z0-9]{3}-?[A-Z0-9]{3})\b"
)

_AT_FORMS = r"(?:\s?[\[({<]\s?(?:at|@|a|apenstaartje)\s?[\])}>]\s?|\s(?:at|AT|apenstaartje)\s|\s?[@\uff20]\s?)"
_DOT_FORMS = r"(?:\s?[\[({<]\s?(?:dot|punt|\.)\s?[\])}>]\s?|\s(?:dot|DOT|punt|PUNT)\s| \. |\.)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_AT: Final = re.compile(_AT_FORMS, re.IGNORECASE)
_AT_BRACKET: Final = re.compile(r"[\[({<]\s?(?:at|@|a|apenstaartje)\s?[\])}>]", re.IGNORECASE)
_AT_WORD: Final = re.compile(r"\s(?:at|apenstaartje)\s", re.IGNORECASE)
_DOMAIN: Final = re.compile(
    rf"{_LABEL}(?:{_DOT_FORMS}{_LABEL})*{_DOT_FORMS}(?P<tld>[A-Za-z]{{2,24}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_LOCAL_REV: Final = re.compile(r"[\w+-](?:[\w.+-]{0,63}[\w+-])?")
_DOT_WORD: Final = re.compile(r"\s(?:dot|punt)\s", re.IGNORECASE)

_MATH_CHARS: Final = "=≈~^×*÷√π"
_WORD: Final = re.compile(r"[^\W\d_]+")
_COORD_NUMBER: Final = re.compile(r"-?\d+(?=[.,]\d)")
_POSTCODE_WORD_BEFORE: Final = re.compile(r"\b(?:postcode|pc|zip)\b\W{0,3}$", re.IGNORECASE)
_LAST_SEP: Final = re.compile(r"[^0-9]+(?=[0-9]+$)")
_NR_WORD_END: Final = re.compile(r"\b(?:[Hh]uis)?(?:[Nn]ummer|[Nn]r|[Nn]o)\.?:?\s?$")
_STRIP_URL_TAIL = ").,!?;:'\">]*_"

# The candidate passes. A candidate starts at a trigger character: a digit (a digit run whose
# shape can be a kind) or one of ``<@/([{`` and the full-width at sign (Discord tags, links,
# e-mail anchors). Non-digit triggers are rare in chat, so ``_OTHER_CANDIDATE`` runs between
# the first and last of them. Digits are not rare (times, grades, rooms), and the regex
# engine pays for every position where a branch starts, so ``_NUM_CANDIDATE`` is matched
# only where ``_number_cores`` finds, with whole-text byte operations, that it can start.
#
# A digit run becomes a "num" candidate only when its shape can be a kind: 7+ digits in a
# row of separators (phone, BSN, date to reject), a postcode, a coordinate, IBAN digits
# after two letters, or a short number right after a word (a house number). Times, grades,
# scores, class codes and rooms fail every branch and never reach Python code.
_NUM_SEP = r"[ \u00a0\-./()]"
_NUM_CANDIDATE: Final = re.compile(
    r"[0-9](?<![0-9][0-9])(?:"
    rf"(?=(?:{_NUM_SEP}{{0,3}}+[0-9]){{6}})"
    r"|(?=[0-9]{0,2}+[.,][0-9]{4}|[0-9]?+°)"
    r"|(?<=[1-9])(?=[0-9]{3}(?:[ \u00a0]?[A-Z]{2}|[a-z]{2})(?![A-Za-z0-9]))"
    r"|(?<=[A-Za-z]{2}[0-9])(?<![A-Za-z0-9][A-Za-z]{2}[0-9])(?=[0-9](?: ?[A-Za-z0-9]{4}){2})"
    r"|(?:(?<=[^\W\d_][ \u00a0][1-9])|(?<=[^\W\d_][.,:][ \u00a0][1-9]))"
    r"(?=[0-9]{0,3}+(?![0-9]|[.,:/][0-9]|[^\W\d_]\w|[%°€']))"
    r")[0-9]*+"
)
_OTHER_CHARS: Final = "<@/([{\uff20"
_OTHER_CANDIDATE: Final = re.compile(
    r"[<@/(\[{\uff20](?:"
    r"(?<=<)(?P<tag>(?:@[!&]?\d+|#\d+|t:-?\d+(?::[a-zA-Z])?|a?:\w+:\d+|/[\w -]+:\d+)>)"
    r"|(?<=/)(?P<w3w>//[^\W\d_]{2,}\.[^\W\d_]{2,}\.[^\W\d_]{2,})"
    r"|(?<=/)(?P<link>(?<=[A-Za-z0-9]{2}/)|(?=/))"
    r"|(?<=[@\uff20])(?P<at>)"
    r"|(?<=[\[({<])(?P<bat>\s?(?i:at|@|a|apenstaartje)\s?[\])}>])"
    r")"
)


def _other_span(text: str, shape: bytes) -> tuple[int, int]:
    """First and last index of a non-digit trigger character (last -1: none), or a wider
    span (a ')' counts as a '(' in the shape).

    find/rfind per trigger byte of the shape (memchr loops in C); the full-width at sign (a
    ``u`` in the shape) by str.find.
    """
    lo, last = len(shape), -1
    for mark in (b"@", b"/", b"("):
        i = shape.find(mark)
        if i >= 0:
            lo = min(lo, i)
            last = max(last, shape.rfind(mark))
    if "\uff20" in text:
        lo = min(lo, text.find("\uff20"))
        last = max(last, text.rfind("\uff20"))
    return lo, last


# --- where digit runs can be candidates ---------------------------------------------------
#
# ``_NUM_CANDIDATE`` costs the regex engine a few hundred nanoseconds at every digit-run
# start, which a post full of times and grades has hundreds of. ``_number_cores`` finds,
# with byte operations that run in C, every place where one of its five branches *could*
# start, and the pattern is matched only there. Each test below is implied by its branch
# (so no candidate is lost); a place may hold no candidate (then it costs one short match).
# The text is read as a "shape": one byte per character (``9`` a digit,
# ``a`` an ASCII letter, ``u`` any other character, which may be a letter, ``.`` one of
# ``.,:``, and so on; a no-break space counts as a space).
#
# branch 1, 7 digits among separators: with the separators deleted, 7 digits in a row;
# branches 2 and 3, a coordinate or a postcode: 4 digits in a row (or a degree sign);
# branch 4, IBAN digits: two ASCII letters and two digits;
# branch 5, a short number after a word: ``_SHAPE_AFTER_WORD`` on the shape (a literal
# start the regex engine searches for in C).


def _shape_table() -> bytes:
    table = bytearray(b"," * 256)
    for i in range(256):
        ch = chr(i)
        if "0" <= ch <= "9":
            table[i] = ord("9")
        elif ch.isascii() and ch.isalpha():
            table[i] = ord("a")
    for chars, mark in ((" ", " "), (".,:", "."), ("/", "/"), ("-", "-"), ("()", "(")):
        for ch in chars:
            table[ord(ch)] = ord(mark)
    for chars, mark in (("%'", "%"), ("_", "_"), ("?", "u"), ("<@[{", "@")):
        for ch in chars:
            table[ord(ch)] = ord(mark)
    return bytes(table)


_SHAPE: Final = _shape_table()
_SHAPE_NUM_SEPS: Final = b" .-/("  # branch 1's separators (and ',', ':': a wider test)
_SHAPE_AFTER_WORD: Final = re.compile(
    rb" 9(?:(?<=[au] 9)|(?<=[au]\. 9))9{0,3}+(?!9|[./]9|a[a9_]|%)"
)
_SEP_MARKS: Final = bytes(
    ord("s") if bytes([i]) in _SHAPE_NUM_SEPS else ord("x") for i in range(256)
)
_DIGITS: Final = re.compile(rb"9*")
_DIGITS_AND_SEPS: Final = re.compile(rb"9(?:[ .\-/(]*+9)*+")
_WINDOW_MARGIN: Final = 48  # > the longest look-ahead of _NUM_CANDIDATE (24 characters)
_MAX_CORES: Final = 24  # more places to try: one pass over the text is cheaper
_FEW_DIGITS: Final = 64  # up to this many digits, too


def _number_cores(text: str, shape: bytes) -> list[tuple[int, int]] | None:
    """Spans ``(lo, hi)`` that hold every position where a _NUM_CANDIDATE match can start;
    None when there are so many that one pass over the text costs less."""
    cores: list[tuple[int, int]] = []
    joined = shape.translate(None, _SHAPE_NUM_SEPS)
    k = joined.find(b"9999999")
    if k >= 0:
        marks = shape.translate(_SEP_MARKS)  # one byte for every separator: one count()
        pos, seps = k, marks.count(b"s", 0, k + 1)
        while k >= 0:
            pos, seps = _unjoined(marks, k, pos, seps)
            end = _DIGITS_AND_SEPS.match(shape, pos).end()  # type: ignore[union-attr]
            cores.append((pos, end))
            if len(cores) > _MAX_CORES:
                return None
            k = joined.find(b"9999999", _DIGITS.match(joined, k + 7).end())  # type: ignore[union-attr]
    i = shape.find(b"9999")  # a coordinate's decimals or a postcode starts near
    while i >= 0:
        cores.append((max(0, i - 4), i))
        i = shape.find(b"9999", i + 4)
    if len(cores) > _MAX_CORES:
        return None
    i = shape.find(b"aa99")  # IBAN: the check digits after the country code
    while i >= 0:
        cores.append((i + 2, i + 2))
        i = shape.find(b"aa99", i + 4)
    if "°" in text:
        i = text.find("°")
        while i >= 0:
            cores.append((max(0, i - 3), i))
            i = text.find("°", i + 1)
    if len(cores) > _MAX_CORES:
        return None
    for m in _SHAPE_AFTER_WORD.finditer(shape):
        cores.append((m.start() + 1, m.start() + 1))
        if len(cores) > _MAX_CORES:
            return None
    return cores


def _unjoined(marks: bytes, k: int, p: int, seps: int) -> tuple[int, int]:
    """Index i in the text of the character at index k once the separators are deleted,
    and the separators in ``marks[: i + 1]`` (``s`` marks one), from a start ``p`` at or
    before i with its count ``seps``.

    i is k plus the separators before it: move on by the count, count the new stretch,
    until no separator is left; each byte is counted once (C loops).
    """
    while True:
        q = k + seps  # at least this far: seps separators come before
        if q == p and marks[p] != 115:  # 115: "s"
            return p, seps
        if q <= p:
            q = p + 1
        seps += marks.count(b"s", p + 1, q + 1)
        p = q


def _digit_candidates(text: str, shape: bytes) -> list[tuple[int, int]]:
    """The spans of the _NUM_CANDIDATE matches in ``text``, in order (one full pass finds
    the same): one pass from the first digit when there are few, else a match at each
    possible start that ``_number_cores`` found."""
    first = shape.find(b"9")
    if first < 0:
        return []
    n = len(text)
    windows = _number_windows(text, shape) if shape.count(b"9", first) > _FEW_DIGITS else None
    if windows is None:
        end = min(n, shape.rfind(b"9") + 1 + _WINDOW_MARGIN)
        return [m.span() for m in _NUM_CANDIDATE.finditer(text, first, end)]
    spans: list[tuple[int, int]] = []
    for lo, hi in windows:
        if lo == hi:
            m = _NUM_CANDIDATE.match(text, lo)
            if m:
                spans.append(m.span())
            continue
        for m in _NUM_CANDIDATE.finditer(text, lo, min(n, hi + 1 + _WINDOW_MARGIN)):
            if m.start() > hi:
                break
            spans.append(m.span())
    return spans


def _number_windows(text: str, shape: bytes) -> list[tuple[int, int]] | None:
    """The cores sorted and merged where they overlap: every _NUM_CANDIDATE match starts in
    one. A match starting in ``[lo, hi]`` is seen in full by a pass over
    ``text[lo : hi + 1 + _WINDOW_MARGIN]``."""
    cores = _number_cores(text, shape)
    if not cores:
        return cores
    cores.sort()
    windows: list[tuple[int, int]] = []
    lo, hi = cores[0]
    for c_lo, c_hi in cores[1:]:
        if c_lo > hi + 1:
            windows.append((lo, hi))
            lo, hi = c_lo, c_hi
        elif c_hi > hi:
            hi = c_hi
    windows.append((lo, hi))
    return windows


# --- phone numbers -------------------------------------------------------------------------

_NL_META = phonenumbers.PhoneMetadata.metadata_for_region("NL")
assert _NL_META is not None and _NL_META.general_desc is not None
_NL_GENERAL: Final = re.compile(str(_NL_META.general_desc.national_number_pattern))
_NL_TYPES: Final = re.compile(
    "|".join(
        f"(?:{desc.national_number_pattern})"
        for desc in (
            _NL_META.fixed_line,
            _NL_META.mobile,
            _NL_META.toll_free,
            _NL_META.premium_rate,
            _NL_META.shared_cost,
            _NL_META.personal_number,
            _NL_META.voip,
            _NL_META.pager,
            _NL_META.uan,
            _NL_META.voicemail,
        )
        if desc is not None and desc.national_number_pattern
    )
)


def nl_number_is_valid(national_significant_number: str) -> bool:
    """phonenumbers.is_valid_number for an NL number, from phonenumbers' NL metadata."""
    nsn = national_significant_number
    return _NL_GENERAL.fullmatch(nsn) is not None and _NL_TYPES.fullmatch(nsn) is not None


def _foreign_is_valid(digits: str) -> bool:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


# A lower-case street word: a stem of letters ("-" and "'" allowed) and the longest
# street suffix it ends with (the stem is then as short as it can be).
_STREET_WORD: Final = re.compile(
    r"((?:[^\W\d_]|['-])*?)(?:" + "|".join(map(re.escape, STREET_SUFFIXES)) + ")"
)
_ADDRESS_LAST_WORDS: Final = (*STREET_SUFFIXES, "nr", "nummer", "no")
_LABEL_RE: Final = re.compile(r"[A-Za-z0-9-]+")
_NOT_DIGIT: Final = re.compile(r"[^0-9]+")
_START: Final = attrgetter("start")
_NONZERO_DIGITS: Final = frozenset("123456789")


def _phone_digits(candidate: str) -> tuple[str, bool]:
    """(digits, international?) of a written number; ``(0)`` after a country code dropped."""
    stripped = candidate.lstrip(" \u00a0(")
    international = stripped.startswith("+")
    if international or stripped.startswith("00"):
        candidate = _TRUNK.sub("", candidate)
    digits = _NOT_DIGIT.sub("", candidate)
    if not international and digits.startswith("00"):
        return digits[2:], True
    return digits, international


def _canonical_phone(candidate: str) -> str | None:
    """Country code + national number when the written number is valid, else None."""
    return _canonical_digits(*_phone_digits(candidate))


def _canonical_digits(digits: str, international: bool) -> str | None:
    if international:
        if digits.startswith("31"):
            nsn = digits[2:]
            if nsn.startswith("0"):
                nsn = nsn[1:]
            return "31" + nsn if 7 <= len(nsn) <= 10 and nl_number_is_valid(nsn) else None
        if 7 <= len(digits) <= 15 and _foreign_is_valid(digits):
            return digits
        return None
    if len(digits) < 8 or digits[0] != "0" or digits[1] == "0":
        return None
    nsn = digits[1:]
    return "31" + nsn if len(nsn) <= 10 and nl_number_is_valid(nsn) else None


# --- the scan ------------------------------------------------------------------------------


class _Scan:
    """One pass over one text; findings and skipped spans never overlap."""

    __slots__ = ("blocked", "cache", "findings", "n", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[str, bool] = {}
        self.n = len(text)
        self.findings: list[Finding] = []
        self.blocked: list[tuple[int, int]] = []

    def taken(self, start: int, end: int) -> bool:
        for f in self.findings:
            if start < f.end and f.start < end:
                return True
        for s, e in self.blocked:  # noqa: SIM110 - a plain loop: no generator on the hot path
            if start < e and s < end:
                return True
        return False

    def add(self, kind: Kind, start: int, end: int) -> None:
        if not self.taken(start, end):
            self.findings.append(Finding(kind, start, end))

    def run(self) -> tuple[Finding, ...]:
        """Two regex passes yield the candidates; only they reach Python code.

        Non-numeric candidates (Discord tags, links, e-mail anchors) go first, so a link or
        an address blocks the digits inside it, then the digit runs in text order.
        """
        text = self.text
        n = self.n
        shape = b""
        if n <= _SHORT:  # one pass of each pattern costs less than reading the shape
            lo, last = 0, n - 1
        else:
            if text.isascii():
                raw = text.encode("ascii")
            else:  # one byte per character: "?" for every other character
                src = text.replace("\u00a0", " ") if "\u00a0" in text else text
                raw = src.encode("ascii", "replace")
            shape = raw.translate(_SHAPE)
            lo, last = _other_span(text, shape)
        if last >= 0:
            skip_until = -1
            hi = n if n <= _SHORT else min(n, last + 64)
            for m in _OTHER_CANDIDATE.finditer(text, lo, hi):
                kind = m.lastgroup
                i = m.start()
                if i < skip_until:
                    continue
                if kind == "tag":
                    self.blocked.append(m.span())
                elif kind == "w3w":
                    self.add("location-link", i, m.end())
                elif kind == "link":
                    skip_until = self.link_at(i)
                elif kind == "at":
                    j = _AT.match(text, i - 1) if i and text[i - 1] == " " else None
                    if j:
                        self.email_at(j.start(), j.end(), False)
                    else:
                        self.email_at(i, i + 1, False)
                elif kind == "bat":
                    end = m.end()
                    while end < n and text[end] == " ":
                        end += 1
                    start = i
                    while start > 0 and text[start - 1] == " ":
                        start -= 1
                    self.email_at(start, end, True)
        if n <= _SHORT:
            numbers = [m.span() for m in _NUM_CANDIDATE.finditer(text)]
            life360 = "360" in text
        else:
            numbers = _digit_candidates(text, shape)
            first = shape.find(b"9")  # a life360 code has its digits between the first and last
            life360 = first >= 0 and text.find("360", first, shape.rfind(b"9") + 1) >= 0
        if _has_word_disguise(text):
            for m in _DOT_WORD.finditer(text):
                ats = list(_AT_WORD.finditer(text, max(0, m.start() - 80), m.start()))
                if ats:
                    self.email_at(ats[-1].start(), ats[-1].end(), False)
        if life360:
            for m in _LIFE360_CODE.finditer(text):
                self.add("location-link", m.start(1), m.end(1))
        if "+" in text:
            self.plus_codes()
        if numbers:
            self.numbers(numbers)
        if len(self.findings) > 1:
            self.findings.sort(key=_START)
        return tuple(self.findings)

    def positions(self, needle: str) -> Iterable[int]:
        text = self.text
        i = text.find(needle)
        while i >= 0:
            yield i
            i = text.find(needle, i + 1)

    def token_bounds(self, i: int) -> tuple[int, int]:
        text = self.text
        start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i), text.rfind("\t", 0, i)) + 1
        m = _NONSPACE.match(text, i)
        end = m.end() if m else i
        while start < end and text[start] in "<(\"'[":
            start += 1
        while end > start and text[end - 1] in _STRIP_URL_TAIL:
            end -= 1
        return start, end

    def link_at(self, i: int) -> int:
        """The token with a '/' at i: a map link is a finding, any other link is skipped."""
        start, end = self.token_bounds(i)
        if end - start < 4 or "." not in self.text[start:end]:
            return max(end, i + 1)
        token = self.text[start:end].lower()
        if any(marker in token for marker in LOCATION_LINK_MARKERS):
            self.add("location-link", start, end)
        elif not self.taken(start, end):
            self.blocked.append((start, end))
        return max(end, i + 1)

    def email_at(self, a0: int, a1: int, disguised: bool) -> None:
        """An e-mail address around the '@' (or its disguise) at text[a0:a1], if any."""
        text = self.text
        if self.taken(a0, a1):
            return
        window = text[max(0, a0 - 64) : a0][::-1]
        local = _LOCAL_REV.match(window)
        if not local:
            return
        start = a0 - local.end()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "<#"):
            return
        dom = _DOMAIN.match(text, a1)
        if not dom:
            return
        tld = dom.group("tld").lower()
        domain = dom.group(0).lower()
        plain = not disguised and " " not in domain and not any(c in domain for c in "[({<")
        if not plain and tld not in EMAIL_TLDS:
            return
        if not disguised and text[a0:a1].strip().isalpha():
            # "naam at gmail dot com": plain words, so only with a mail provider or a
            # local part no sentence has ("look at this dot com" is English).
            label = _LABEL_RE.match(dom.group(0).lstrip())
            provider = label is not None and label.group(0).lower() in EMAIL_PROVIDERS
            if not provider and not any(c in local.group(0) for c in "._0123456789"):
                return
        self.add("email", start, dom.end())

    def plus_codes(self) -> None:
        for i in self.positions("+"):
            m = _PLUS_CODE.search(self.text, max(0, i - 8), min(self.n, i + 4))
            if m and m.start() <= i < m.end() and not self.text[m.end() : m.end() + 1].isalnum():
                code = m.group(0)
                if any(c.isalpha() for c in code) and any(c.isdigit() for c in code):
                    self.add("location-link", m.start(), m.end())

    def numbers(self, runs: list[tuple[int, int]]) -> None:
        """Try the number kinds at each candidate digit run the digit pass let through."""
        text = self.text
        skip_until = -1
        for s, e in runs:
            if s < skip_until:
                continue
            if s and text[s - 1].isalpha():
                if not self.taken(s, e):
                    self.iban_at(s)
                continue
            if e - s >= 15 or self.taken(s, e):
                continue
            end = self.number_at(s, e)
            if end:
                skip_until = end

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
        if after in ("-", "/", ".", ":"):
            # a date starts with 1-2 digits and - / . or with a year and -; a time with 1-2
            # digits and : or .
            if (length <= 2 and after != ":") or (length == 4 and after == "-"):
                m = _DATE.match(text, s)
                if m:
                    return m.end()
            if length <= 2 and after in (".", ":"):
                m = _TIME.match(text, s)
                if m:
                    return m.end()
        if length <= 2 and after in (".", ",", "°"):
            end = self.coordinates_at(s)
            if end:
                return end
        if text[s] == "0" or before in "+(":
            end = self.phone_at(s)
            if end:
                return end
        if length == 4:
            end = self.postcode_at(s)
            if end:
                return end
        if length in (9, 4, 3):
            end = self.bsn_at(s)
            if end:
                return end
        if length <= 4 and text[s] != "0":
            return self.address_at(s)
        return 0

    def phone_at(self, s: int) -> int:
        text = self.text
        p = s
        if p and text[p - 1] == "(":
            p -= 1
        if p and text[p - 1] == "+":
            p -= 1
        if p and text[p - 1] == "(":
            p -= 1
        if p and (text[p - 1].isalnum() or text[p - 1] in "+-"):
            return 0
        if text[s] != "0" and "+" not in text[p:s]:
            return 0
        m = _PHONE_RUN.match(text, p)
        if not m:
            return 0
        end = m.end() - (text[m.end() - 1] == ")")
        if end - s <= 16 and "0" <= text[end - 1] <= "9" and self.phone_ends_at(p, end):
            # end closes the last group of digits 0-9, and there are at most 8 groups, so the
            # loop below would try this one first
            return end
        ends = [d.end() for d in _DIGIT_RUN.finditer(text, s, m.end())]
        if len(ends) > 8:
            ends = ends[:8]
        foreign_tries = 0
        for k in range(len(ends) - 1, -1, -1):
            end = ends[k]
            if k < len(ends) - 1 and not self.number_ends(p, end):
                continue  # "0612 345 678 9": the run goes on, so no prefix of it is a number
            candidate = text[p:end]
            digits, international = _phone_digits(candidate)
            if international and not digits.startswith("31"):
                if not 7 <= len(digits) <= 15 or foreign_tries >= 3:
                    continue
                foreign_tries += 1
            elif not 8 <= len(digits) <= 13:
                continue
            valid = self.cache.get(candidate)
            if valid is None:  # a post repeating a number checks it once
                valid = self.cache[candidate] = _canonical_digits(digits, international) is not None
            if valid:
                self.add("phone", p, end)
                return end
        return 0

    def phone_ends_at(self, p: int, end: int) -> bool:
        """Is text[p:end], all of a run of digit groups, a valid number? (Then it is added.)"""
        candidate = self.text[p:end]
        digits, international = _phone_digits(candidate)
        if international and not digits.startswith("31"):
            if not 7 <= len(digits) <= 15:
                return False
        elif not 8 <= len(digits) <= 13:
            return False
        valid = self.cache.get(candidate)
        if valid is None:
            valid = self.cache[candidate] = _canonical_digits(digits, international) is not None
        if valid:
            self.add("phone", p, end)
        return valid

    def number_ends(self, p: int, end: int) -> bool:
        """Does the written number text[p:end] end at ``end`` although digits follow?

        Only at a clear break: another separator than the one before the number's last
        group ("06-12345678 20%", "0612345678 14"), a new number (starting with 0, + or a
        bracket, or a group of 6+ digits), or a group that is a time, decimal or count of
        its own ("0612 345 678 15:00", "2x"). Otherwise the following group is the rest of
        the number ("0612 345 678 9"), and no shorter number inside it is flagged.
        """
        text = self.text
        m = _DIGIT_RUN.search(text, end)
        if not m:
            return True
        gap = text[end : m.start()]
        last_sep = _LAST_SEP.search(text, p, end)
        if last_sep is None or gap != last_sep.group(0) or gap[-1] in "(+":
            return True
        if text[m.start()] == "0" or m.end() - m.start() >= 6:
            return True
        after = text[m.end() : m.end() + 2]
        return (after[:1] in (":", ".", ",") and after[1:].isdigit()) or after[:1].isalpha()

    def coordinates_at(self, s: int) -> int:
        p = s - 1 if s and self.text[s - 1] == "-" else s
        m = _COORD.match(self.text, p)
        if not m or not self.plausible_coordinates(p, m.end()):
            return 0
        self.add("location-link", p, m.end())
        return m.end()

    def plausible_coordinates(self, start: int, end: int) -> bool:
        """Two decimals read as a position only outside math and, near 0,0, with a marker.

        Latitude and longitude ranges and 4+ decimals are in the pattern already. "pi is
        3.14159, e 2.71828" fails: a math word or operator stands near, and both integer
        parts are single digits (a spot in the Gulf of Guinea) without a degree sign,
        compass letter or a location word before it.
        """
        text = self.text
        found = text[start:end]
        if "'" in found or "\u2032" in found:
            return True  # degrees, minutes, seconds: written as a position on purpose
        before = text[max(0, start - 40) : start].lower()
        after = text[end : end + 12]
        if any(ch in before[-12:] or ch in after for ch in _MATH_CHARS):
            return False
        words = set(_WORD.findall(before))
        if words & COORDINATE_MATH_WORDS:
            return False
        parts = _COORD_NUMBER.findall(found)
        if len(parts) != 2 or any(len(x.lstrip("-")) > 1 for x in parts):
            return True
        marked = "°" in found or found.rstrip()[-1:].isalpha()
        return marked or bool(words & COORDINATE_CONTEXT_WORDS)

    def year_and_word(self, s: int) -> bool:
        """'in 2024 EN 8 jaar later': a year followed by a short word, not a postcode.

        Only a year-like number (1900-2099) with letters that are a word in the list, and
        not after the word 'postcode' (or 'pc'), which settles it.
        """
        text = self.text
        if text[s : s + 2] not in ("19", "20"):
            return False
        letters = text[s + 4 : s + 7].strip().lower()
        if letters not in POSTCODE_NOT_LETTERS:
            return False
        return not _POSTCODE_WORD_BEFORE.search(text, max(0, s - 16), s)

    def postcode_at(self, s: int) -> int:
        if self.year_and_word(s):
            return 0
        m = _POSTCODE.match(self.text, s)
        if m and not self.unit_follows(m.end()):
            self.add("postcode", s, m.end())
            return m.end()
        m = _POSTCODE_ALONE.match(self.text, s)
        if not m:
            return 0
        nr = _NR_BEFORE.search(self.text, max(0, s - 30), s)  # "huisnummer 12, 3512 AB"
        if not nr:
            return 0
        self.add("postcode", nr.start(), m.end())
        return m.end()

    def bsn_at(self, s: int) -> int:
        m = _BSN.match(self.text, s)
        if not m:
            return 0
        digits = "".join(ch for ch in m.group(0) if ch.isdigit())
        if not _bsn.is_valid(digits):
            return 0
        self.add("id-number", s, m.end())
        return m.end()

    def iban_at(self, s: int) -> bool:
        text = self.text
        p = s - 2
        if p < 0 or (p and text[p - 1].isalnum()):
            return False
        m = _IBAN.match(text, p)
        if not m or not _iban.is_valid(m.group(0)):
            return False
        self.add("id-number", p, m.end())
        return True

    def unit_follows(self, end: int) -> bool:
        """A unit or a decimal after a number: '12 km', '12:30', '12,5' are no house numbers."""
        text = self.text
        rest = text[end : end + 12]
        if rest[:1] in ("%", "€", "'", "°") and rest:
            return True
        if rest[:1] in (":", ".", ",") and rest[1:2].isdigit():
            return True
        words = rest.lower().split(maxsplit=1)
        return bool(words) and words[0].rstrip(".,!?)") in HOUSE_NUMBER_UNITS

    def address_at(self, s: int) -> int:
        text = self.text
        if s < 2 or text[s - 1] not in " \u00a0,":
            return 0
        space = text.rfind(" ", max(0, s - 40), s - 1)
        word = text[space + 1 : s].rstrip(" \u00a0,.:")
        if not (word[:1].isupper() or word.lower().endswith(_ADDRESS_LAST_WORDS)):
            return 0  # cheap reject: "hoofdstuk 3", "om 8", "cijfer 7"
        m = _HOUSE_NR.match(text, s)
        if not m or self.unit_follows(m.end()):
            return 0
        end = m.end()
        nxt = text[end : end + 2]
        if nxt[:1] in ":.," and nxt[1:2].isdigit():
            return 0
        start = self.street_before(s)
        if start is None:
            return 0
        tail = (
            _POSTCODE_TAIL.match(text, end)
            if text[end : end + 5].lstrip(" \u00a0,")[:1] in _NONZERO_DIGITS
            else None
        )
        self.add("address", start, tail.end() if tail else end)
        if tail:
            # "Kerkstraat 9, 3512 JK": the postcode has its house number (before it), so it is
            # a postcode finding too, inside the address.
            code = tail.group(0).lstrip(" \u00a0,")
            self.findings.append(Finding("postcode", tail.end() - len(code), tail.end()))
            end = tail.end()
        return end

    def street_before(self, s: int) -> int | None:
        """Start of the street name that ends just before position s, or None."""
        text = self.text
        lo = max(0, s - 80)
        head = text[lo:s]
        stripped = head.rstrip(" \u00a0,")
        if len(stripped) == len(head):
            return None  # the number touches the word: "4H2", "iPhone15"
        nr_word = (
            _NR_WORD_END.search(stripped, max(0, len(stripped) - 16))
            if stripped[-1:] in "rRoO.:"
            else None
        )
        if nr_word:
            stripped = stripped[: nr_word.start()].rstrip(" ,")
        words = stripped.rsplit(maxsplit=6)
        if not words:
            return None
        if len(words) == 7:
            words = words[1:]
        last = words[-1]
        bare = last.rstrip(".,:").lower()
        chain_from: int | None = None
        if self.is_street_word(bare) and bare not in STREET_TYPE_WORDS:
            chain_from = len(words) - 1
        elif last[:1].isupper():
            for k in range(len(words) - 1, -1, -1):
                word = words[k].rstrip(".,:")
                if word[:1].isupper() and word.lower() in STREET_TYPE_WORDS:
                    if k == len(words) - 1:
                        if k > 0 and self.name_word(words[k - 1]) == "cap":
                            chain_from = k
                    elif all(
                        self.name_word(w.rstrip(".,")) in ("cap", "particle", "abbr")
                        for w in words[k + 1 :]
                    ):
                        chain_from = k
                    break
        if chain_from is None:
            return None
        start_k = chain_from
        for k in range(chain_from - 1, -1, -1):
            kind = self.name_word(words[k])
            if kind in ("cap", "abbr"):
                start_k = k  # particles in between ("Burg. de With...") come along
            elif kind != "particle":
                break
        pos = len(stripped)
        for word in reversed(words[start_k:]):
            pos = stripped.rfind(word, 0, pos)
        return lo + pos

    @staticmethod
    def is_street_word(word: str) -> bool:
        if not word.endswith(STREET_SUFFIXES):
            return False
        m = _STREET_WORD.fullmatch(word)
        if m is None or word in STREET_NOT:
            return False
        return m.end(1) >= 2 or word in STREET_TYPE_WORDS

    @staticmethod
    def name_word(word: str) -> str:
        """'abbr' (Burg., St., v.), 'cap' (a capitalised name), 'particle' (de, van) or ''."""
        if word.endswith((",", ":", ";", "!", "?")):
            return ""
        bare = word.rstrip(".")
        low = bare.lower()
        if word.endswith(".") and (
            low in NAME_ABBREVIATIONS or (len(bare) == 1 and bare.isalpha())
        ):
            return "abbr"
        if low in NAME_PARTICLES:
            return (
                "cap"
                if bare[:1].isupper() and low in ("van", "de", "den", "der", "ter", "ten", "het")
                else "particle"
            )
        if bare[:1].isupper() and bare.replace("-", "").replace("'", "").isalpha():
            return "cap" if low not in _SENTENCE_WORDS else ""
        return ""


_SENTENCE_WORDS: Final = frozenset(
    {
        "ik",
        "jij",
        "je",
        "hij",
        "zij",
        "ze",
        "wij",
        "we",
        "mijn",
        "m'n",
        "zijn",
        "haar",
        "onze",
        "ons",
        "hun",
        "het",
        "op",
        "in",
        "naar",
        "bij",
        "adres",
        "is",
        "woon",
        "woont",
        "kom",
        "the",
        "my",
        "at",
        "on",
        "i",
        "his",
        "her",
        "our",
        "their",
        "address",
        "lives",
        "live",
        "hoi",
        "hey",
        "hallo",
        "zit",
        "thuis",
        "oh",
        "ja",
        "nee",
        "dus",
        "maar",
        "en",
        "of",
        "want",
        "ok",
        "oke",
        "oké",
        "welke",
        "wie",
        "waar",
        "dat",
        "die",
        "deze",
        "dit",
    }
)

# --- allow list, public API -----------------------------------------------------------------

_KEY_POSTCODE: Final = re.compile(r"[1-9]\d{3}\s?[A-Za-z]{2}")


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def finding_key(kind: Kind, value: str) -> str:
    """The normalised form used to compare a finding with the allow list."""
    if kind == "phone":
        digits, international = _phone_digits(value)
        if international:
            return digits if not digits.startswith("310") else "31" + digits[3:]
        return "31" + digits[1:] if digits.startswith("0") else digits
    if kind == "email":
        low = value.lower()
        at = _AT.search(low)
        if at:
            low = low[: at.start()] + "@" + low[at.end() :]
        low = re.sub(_DOT_FORMS, ".", low, flags=re.IGNORECASE)
        return "".join(low.split())
    if kind == "address":
        return _alnum(_KEY_POSTCODE.sub(" ", value))
    if kind == "location-link":
        low = value.casefold().removeprefix("https://").removeprefix("http://")
        return low.removeprefix("www.").rstrip("/")
    return _alnum(value)


def _keys_of(text: str) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for f in _Scan(text).run():
        value = text[f.start : f.end]
        keys.add((f.kind, finding_key(f.kind, value)))
        if f.kind == "address":
            code = _KEY_POSTCODE.search(value)
            nr = _HOUSE_NR.search(value)
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
    return _Scan(text).run()


def _without_allowed(
    text: str, findings: tuple[Finding, ...], keys: frozenset[tuple[str, str]]
) -> tuple[Finding, ...]:
    if not keys or not findings:
        return findings
    return tuple(
        f for f in findings if (f.kind, finding_key(f.kind, text[f.start : f.end])) not in keys
    )


def find_personal_data(text: str, allowed: Sequence[str] = ()) -> tuple[Finding, ...]:
    """Every piece of personal data in ``text``, minus the entries of ``allowed``.

    ``allowed`` holds the school's public contacts (its address, reception number,
    helplines) written in any form: each entry is read by the same rule and compared
    normalised (a phone number by country code and number, an address without spaces).
    """
    found = _scan(text)
    if allowed and found:
        return _without_allowed(text, found, _allowed_keys(tuple(allowed)))
    return found


class PersonalDataRule:
    """The rule with its allow list read once (the bot's per-post entry point)."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self._keys = _allowed_keys(tuple(allowed))

    def find(self, text: str) -> tuple[Finding, ...]:
        return _without_allowed(text, _scan(text), self._keys)


def mask(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every found span replaced by ``[<kind in Dutch> verborgen]``.

    No character of a found span survives, so an excerpt shown to moderators or logged
    names the kind (``[telefoonnummer verborgen]``) but never the value.
    """
    parts: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        parts.append(text[pos : f.start])
        parts.append(f"[{MASK_LABELS[f.kind]} verborgen]")
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def describe(kind: Kind) -> str:
    """The Dutch label of a kind (``telefoonnummer``), for messages that name the kind only."""
    return MASK_LABELS[kind]
