"""The cheap passes: the prefilter, the text's shape, and where candidates can start."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from compass_bot.features.personal_data.rules_address import house_number_word, lower_street_first
from compass_bot.features.personal_data.rules_email import has_word_disguise, latin1_view

# --- step 1: could the text hold data at all? ---------------------------------------------

_TRIGGER_CHARS: Final = "0123456789@/+([{\uff20"
_MAYBE: Final = re.compile(r"[0-9@/+(\[{\uff20]")
SHORT: Final = 256


def could_contain(text: str) -> bool:
    """Cheap prefilter: False means the text certainly holds none of the kinds."""
    if len(text) <= SHORT:
        if _MAYBE.search(text) is not None:
            return True
    else:
        for ch in _TRIGGER_CHARS:  # memchr per character beats one regex pass on long text
            if ch in text:
                return True
    return has_word_disguise(text)


# The candidate passes. A candidate starts at a trigger character: a digit (a digit run whose
# shape can be a kind) or one of ``<@/([{`` and the full-width at sign (Discord tags, links,
# e-mail anchors). Non-digit triggers are rare in chat, so ``OTHER_CANDIDATE`` runs between
# the first and last of them. Digits are not rare (times, grades, rooms), and the regex
# engine pays for every position where a branch starts, so ``NUM_CANDIDATE`` is matched
# only where ``_number_cores`` finds, with whole-text byte operations, that it can start.
#
# A digit run becomes a "num" candidate only when its shape can be a kind: 7+ digits in a
# row of separators (phone, BSN, date to reject), a postcode, a coordinate, IBAN digits
# after two letters, or a short number right after a word (a house number). Times, grades,
# scores, class codes and rooms fail every branch and never reach Python code.
_NUM_SEP = r"[ \u00a0\-./()]"
_NUM_BRANCHES = (
    rf"(?=(?:{_NUM_SEP}{{0,5}}+[0-9]){{6}})",
    r"(?=[0-9]{0,2}+[.,][0-9]{4}|[0-9]?+°)",
    r"(?<=[1-9])(?=[0-9]{3}(?:[ \u00a0-]?[A-Z]{2}|[ \u00a0]?[a-z]{2})(?![A-Za-z0-9]))",
    r"(?<=[A-Za-z]{2}[0-9])(?<![A-Za-z0-9][A-Za-z]{2}[0-9])(?=[0-9](?: ?[A-Za-z0-9]{4}){2})",
    r"(?:(?<=[^\W\d_][ \u00a0][1-9])|(?<=[^\W\d_][.,:][ \u00a0][1-9]))"
    # no word glued to the number ("10km", "3de"), but a house number's "hs" or "bis"
    r"(?=[0-9]{0,3}+(?![0-9]|[.,:/][0-9]|(?!(?:hs|bis)(?![\w-]))[^\W\d_]\w|[%°€']))",
)
NUM_CANDIDATE: Final = re.compile(rf"[0-9](?<![0-9][0-9])(?:{'|'.join(_NUM_BRANCHES)})[0-9]*+")
# The same pattern with the short number after a word tried first, for a post with few
# digits (``few_numbers``): every branch is zero-width and the match is the run's digits,
# so the order changes the cost, never the match. A cheap one-character look-behind turns
# a run led by 0 down at once, and the house number of a post with data is found without
# four failing branches; on a post full of look-alikes the first order costs less.
NUM_CANDIDATE_WORD_FIRST: Final = re.compile(
    rf"[0-9](?<![0-9][0-9])(?:(?<=[1-9]){_NUM_BRANCHES[4]}|{'|'.join(_NUM_BRANCHES[:4])})[0-9]*+"
)
_SLASH_BRANCHES = (
    r"(?<=/)(?P<w3w>//[^\W\d_]{2,}\.[^\W\d_]{2,}\.[^\W\d_]{2,})"
    r"|(?<=/)(?P<link>(?<=[A-Za-z0-9]{2}/)|(?=/))"
    # no link: a date or fraction token ("12/05.", "10/10"), digits around the slash
    r"(?!(?<=(?<![^ \n\t])[0-9]{2}/)[0-9]{1,4}[).,!?;:'\">\]*_]*(?!\S))"
)
OTHER_CANDIDATE: Final = re.compile(
    r"[<@/(\[{\uff20](?:"
    r"(?<=<)(?P<tag>(?:@[!&]?\d+|#\d+|t:-?\d+(?::[a-zA-Z])?|a?:\w+:\d+|/[\w -]+:\d+)>)"
    rf"|{_SLASH_BRANCHES}"
    r"|(?<=[@\uff20])(?P<at>)"
    r"|(?<=[\[({<])(?P<bat>\s?(?i:at|@|a|apenstaartje)\s?[\])}>])"
    r")"
)
# the same matches where a slash is the only trigger character (a post of dates, "t/m"):
# a pattern led by one literal, which the regex engine searches for at C speed instead of
# testing a character class at every position
SLASH_CANDIDATE: Final = re.compile(rf"/(?:{_SLASH_BRANCHES})")


def other_span(text: str, shape: bytes) -> tuple[int, int, re.Pattern[str]]:
    """First and last index of a non-digit trigger character (last -1: none), or a wider
    span (a ')' counts as a '(' in the shape), and the pattern for it: ``SLASH_CANDIDATE``
    when the slash is the only trigger character, else ``OTHER_CANDIDATE``.

    find/rfind per trigger byte of the shape (memchr loops in C); the full-width at sign (a
    ``u`` in the shape) by str.find.
    """
    lo, last = len(shape), -1
    pattern = SLASH_CANDIDATE
    for mark in (b"@", b"/", b"("):
        i = shape.find(mark)
        if i >= 0:
            lo = min(lo, i)
            last = max(last, shape.rfind(mark))
            if mark != b"/":
                pattern = OTHER_CANDIDATE
    if "\uff20" in text:
        lo = min(lo, text.find("\uff20"))
        last = max(last, text.rfind("\uff20"))
        pattern = OTHER_CANDIDATE
    return lo, last, pattern


# --- where digit runs can be candidates ---------------------------------------------------
#
# ``NUM_CANDIDATE`` costs the regex engine a few hundred nanoseconds at every digit-run
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
# start the regex engine searches for in C), kept only where the word before can precede a
# house number (``may_start_house_number``). Branch 5 serves the address alone, so a place
# it drops ("blz. 45", "opdr. 3a", "om 8") would have yielded no finding: a page full of
# page and exercise numbers costs a few windows instead of a match at every number.


def _shape_table() -> bytes:
    table = bytearray(b"," * 128 + b"u" * 128)  # bytes 128-255: Latin-1 letters and signs
    for i in range(128):
        ch = chr(i)
        if "0" <= ch <= "9":
            table[i] = ord("9")
        elif ch.isalpha():
            table[i] = ord("a")
    for chars, mark in ((" \u00a0", " "), (".,:", "."), ("/", "/"), ("-", "-"), ("()", "(")):
        for ch in chars:
            table[ord(ch)] = ord(mark)
    for chars, mark in (("%'", "%"), ("_", "_"), ("?", "u"), ("<@[{", "@")):
        for ch in chars:
            table[ord(ch)] = ord(mark)
    return bytes(table)


SHAPE: Final = _shape_table()
_SHAPE_NUM_SEPS: Final = b" .-/("  # branch 1's separators (and ',', ':': a wider test)
_SHAPE_AFTER_WORD: Final = re.compile(
    rb" 9(?:(?<=[au] 9)|(?<=[au]\. 9))9{0,3}+(?!9|[./]9|a[9_]|aaaa|%)"
)
_SEP_MARKS: Final = bytes(
    ord("s") if bytes([i]) in _SHAPE_NUM_SEPS else ord("x") for i in range(256)
)
_DIGITS: Final = re.compile(rb"9*")
SHAPE_DIGITS: Final = _DIGITS  # a digit run in the shape
_MATCH_START: Final = re.Match.start
_DIGITS_AND_SEPS: Final = re.compile(rb"9(?:[ .\-/(]*+9)*+")
_WINDOW_MARGIN: Final = 48  # > the longest look-ahead of NUM_CANDIDATE (24 characters)
_MAX_CORES: Final = 24  # more places to try: one pass over the text is cheaper
_FEW_DIGITS: Final = 64  # up to this many digits, too


def _number_cores(text: str, shape: bytes) -> list[tuple[int, int]] | None:
    """Spans ``(lo, hi)`` that hold every position where a NUM_CANDIDATE match can start;
    None when there are so many that one pass over the text costs less."""
    cores: list[tuple[int, int]] = []
    # rfind() first where only presence counts: CPython's reverse search is about twice as
    # fast as its forward one on such short needles in these byte strings
    joined = shape.translate(None, _SHAPE_NUM_SEPS)
    k = joined.find(b"9999999") if joined.rfind(b"9999999") >= 0 else -1
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
    # a coordinate's decimals or a postcode starts near
    i = shape.find(b"9999") if shape.rfind(b"9999") >= 0 else -1
    while i >= 0:
        cores.append((max(0, i - 4), i))
        i = shape.find(b"9999", i + 4)
    if len(cores) > _MAX_CORES:
        return None
    i = shape.rfind(b"aa99")  # IBAN: the check digits after the country code
    while i >= 0:  # from the end: the cores are sorted later, and "aa99" cannot overlap
        cores.append((i + 2, i + 2))
        i = shape.rfind(b"aa99", 0, i)
    if "°" in text:
        i = text.find("°")
        while i >= 0:
            cores.append((max(0, i - 3), i))
            i = text.find("°", i + 1)
    if len(cores) > _MAX_CORES:
        return None
    # The verdict on the word before a number, by the 8 characters up to the number (the
    # word and the space after it) when a space starts the word inside them: "blz. 45" is
    # judged once a post. The loop body is the whole cost of a post full of page numbers
    # (a slice and a dict lookup per number), so it is kept bare.
    seen: dict[str, int] = {}
    get = seen.get
    for sp in map(_MATCH_START, _SHAPE_AFTER_WORD.finditer(shape)):  # sp: the space
        key = text[sp - 7 if sp > 7 else 0 : sp + 1]
        ok = get(key)
        if ok is None:
            ok = house_number_word(text, sp + 1)
            if " " in key[:-1]:  # the word lies inside the key: the key decides
                seen[key] = ok
        if ok:  # not "blz. 45", "om 8": no place for a house number, so no candidate
            if ok == 2 and lower_street_first(text, sp + 1) < 0:
                continue  # a lower-case name: the street type before it decides, each time
            cores.append((sp + 1, sp + 1))
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


def digit_candidates(
    text: str, shape: bytes, skip: list[int] | None = None
) -> Iterator[tuple[int, int]]:
    """The spans of the NUM_CANDIDATE matches in ``text``, in order: what one full pass
    finds, less the short numbers after a word that cannot precede a house number when the
    windows are used (they would yield no finding). With few digits, a match at the first
    digit of each digit run (the pattern's look-behind allows no other); with many, a
    match at each possible start that ``_number_cores`` found, or one pass when those are
    many too.

    ``skip`` (one int, set by the caller between two spans): with few digits, a run that
    starts before it is not matched at all (the caller found a number that holds it)."""
    first = shape.find(b"9")
    if first < 0:
        return
    if few_digits(shape, first, shape.rfind(b"9")):
        i = first
        while i >= 0:  # find() runs in C; a regex for the runs would try every position
            if skip is None or i >= skip[0]:
                m = NUM_CANDIDATE.match(text, i)  # only a run's first digit can start a match
                if m is not None:
                    yield m.span()
                    end = m.end()  # the pattern ends with the run's digits
                    i = shape.find(b"9", end)
                    continue
            end = _DIGITS.match(shape, i).end()  # type: ignore[union-attr]
            i = shape.find(b"9", end)
        return
    yield from many_digit_candidates(text, shape, first)


def many_digit_candidates(text: str, shape: bytes, first: int) -> Iterator[tuple[int, int]]:
    """``digit_candidates`` when the digits are many (``first``: the first digit): a
    match at each possible start that ``_number_cores`` found, or one pass when those are
    many too. The scan calls it directly, having counted the digits once."""
    n = len(text)
    windows = number_windows(text, shape)
    if windows is None:
        for m in NUM_CANDIDATE.finditer(text, first):
            yield m.span()
        return
    for lo, hi in windows:
        if lo == hi:
            at = NUM_CANDIDATE.match(text, lo)
            if at:
                yield at.span()
            continue
        for m in NUM_CANDIDATE.finditer(text, lo, min(n, hi + 1 + _WINDOW_MARGIN)):
            if m.start() > hi:
                break
            yield m.span()


def few_digits(shape: bytes, first: int, last: int) -> bool:
    """Are the digits between the first and the last digit of the shape few (the way
    ``digit_candidates`` takes: a match at each run's first digit)? Digits within a
    stretch of _FEW_DIGITS characters are few without counting them."""
    return last - first < _FEW_DIGITS or shape.count(b"9", first) <= _FEW_DIGITS


def number_windows(text: str, shape: bytes) -> list[tuple[int, int]] | None:
    """The cores sorted and merged where they overlap: every NUM_CANDIDATE match starts in
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


def shape_of(text: str) -> bytes:
    """The text as one byte per character (see ``_shape_table``)."""
    return latin1_view(text).translate(SHAPE)


def shape_of_view(view: bytes) -> bytes:
    """The shape from the text's ``latin1_view`` (read once for the shape and the words)."""
    return view.translate(SHAPE)
