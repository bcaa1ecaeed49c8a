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

# soft hyphen, zero-width space / non-joiner / joiner, word joiner, zero-width no-break
# space: nothing on screen, but they cut a digit run in two for the scan
_INVISIBLE: Final = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


@cache
def _table() -> dict[int, int | None]:
    """str.translate's table: invisible characters dropped, full-width forms and every
    script's decimal digits (about 650, read from unicodedata once) as ASCII."""
    table: dict[int, int | None] = {ord(ch): None for ch in _INVISIBLE}
    table.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})
    for cp in range(0x80, 0x1FC00):
        digit = unicodedata.decimal(chr(cp), None)
        if digit is not None:
            table[cp] = ord("0") + digit
    return table


# what a post in disguise uses: invisible characters, full-width forms, Arabic-Indic and
# mathematical digits. A small class: the search costs a few nanoseconds a character, and
# an emoji or a Dutch é is no reason to read the post twice
_DISGUISE: Final = re.compile(
    "[\u00ad\u200b-\u200d\u2060\ufeff\uff01-\uff5e\u0660-\u0669\u06f0-\u06f9\U0001d7ce-\U0001d7ff]"
)


def unveil(text: str) -> str | None:
    """`text` as it reads (ASCII digits and forms, invisible characters dropped), or None
    when nothing in it is disguised. Asked only for a text that is not ASCII."""
    if _DISGUISE.search(text) is None:
        return None
    return text.translate(_table())


def back(text: str, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Findings in `unveil(text)` as spans of the characters the member typed (the map is
    made only for a post with data)."""
    table = _table()
    index = [i for i, ch in enumerate(text) if table.get(ord(ch), 0) is not None]
    return tuple(Finding(f.kind, index[f.start], index[f.end - 1] + 1) for f in findings)
