r"""Data written in disguise: full-width characters (U+FF10..U+FF19 for 0..9), digits of
other scripts (Arabic-Indic, mathematical bold) and invisible characters inside a number or
address (06\u200b12345678, jan\u00ad@mail.nl). The scan reads ASCII digits and letters, so
such a post is read once more as it looks, with a map back to what the member typed."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Final

from compass_bot.features.personal_data.rules_kinds import Finding
from compass_bot.visible import INVISIBLE

# right-to-left override: what follows, up to the pop (U+202C) or the line's end, shows
# backwards ("bel \u202e8765432360" shows 0632345678)
_RLO: Final = "\u202e"
_END_OF_OVERRIDE: Final = frozenset("\u202c\n")


@cache
def _table() -> dict[int, int | None]:
    """str.translate's table: invisible characters dropped, full-width forms and every
    script's decimal digits (about 650, read from unicodedata once) as ASCII."""
    table: dict[int, int | None] = {ord(ch): None for ch in INVISIBLE + _RLO}
    table.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})
    for cp in range(0x80, 0x1FC00):
        digit = unicodedata.decimal(chr(cp), None)
        if digit is not None:
            table[cp] = ord("0") + digit
    return table


# what a post in disguise uses: invisible and bidirectional characters, full-width forms,
# Arabic-Indic and mathematical digits. A small class: the search costs a few nanoseconds a
# character, and an emoji or a Dutch é is no reason to read the post twice
_DISGUISE: Final = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\uff01-\uff5e"
    "\u0660-\u0669\u06f0-\u06f9\U0001d7ce-\U0001d7ff]"
)


def unveil(text: str) -> str | None:
    """`text` as it reads (ASCII digits and forms, invisible characters dropped, an
    overridden stretch in the order it shows), or None when nothing in it is disguised.
    Asked only for a text that is not ASCII."""
    if _DISGUISE.search(text) is None:
        return None
    if _RLO not in text:
        return text.translate(_table())
    return "".join(ch for ch, _ in _as_shown(text))


def _as_shown(text: str) -> list[tuple[str, int]]:
    """The characters as they show, each with its index in `text`: folded by `_table`, and
    every right-to-left override's stretch reversed."""
    table = _table()
    shown: list[tuple[str, int]] = []
    stretch: list[tuple[str, int]] | None = None
    for i, ch in enumerate(text):
        if ch == _RLO:
            if stretch:
                shown.extend(reversed(stretch))
            stretch = []
            continue
        if stretch is not None and ch in _END_OF_OVERRIDE:
            shown.extend(reversed(stretch))
            stretch = None
        folded = table.get(ord(ch), ord(ch))
        if folded is None:
            continue
        (shown if stretch is None else stretch).append((chr(folded), i))
    if stretch:
        shown.extend(reversed(stretch))
    return shown


def back(text: str, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings in `unveil(text)` as spans of the characters the member typed (the map is
    made only for a post with data); a reversed stretch maps to the span it covers."""
    index = [i for _, i in _as_shown(text)]
    spans = [(min(index[f.start : f.end]), max(index[f.start : f.end]) + 1) for f in findings]
    return tuple(
        Finding(f.kind, *_with_controls(text, *span))
        for f, span in zip(findings, spans, strict=True)
    )


def _with_controls(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened over the invisible and direction characters around it: the mask
    replaces them too, so no override is left to turn the mask's own words around."""
    hidden = INVISIBLE + _RLO
    while start > 0 and text[start - 1] in hidden:
        start -= 1
    while end < len(text) and text[end] in hidden:
        end += 1
    return start, end
