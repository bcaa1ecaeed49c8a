"""Discord markdown as a terminal shows it: plain text.

The features write their replies once, for Discord (`**compass-bot 0.1.0**`, `` `aanwijzing-2` ``);
the console prints them through `as_plain_text`, so a moderator reads the words, not the
asterisks and backticks. What Discord receives is unchanged.

Block quotes keep their "> ": in plain text that is how a quote reads (as in e-mail), and it
sets the protocol's verbatim words apart from the bot's own. Strikethrough and spoilers keep
their marks too: without them the text would say something else.
"""

from __future__ import annotations

import re
from typing import Final

_MARKS: Final = r"\\*_~`|>\[\]()#-"
# Discord's own test for a bare URL (simple-markdown's): it ends before trailing punctuation.
_URL: Final = r"https?://[^\s<]+[^<.,:;\"')\]\s]"
# What no markup touches: an escaped mark (shown as the mark), inline code (its content), a
# link's URL, an autolink (<url>, shown without the brackets) and a bare URL ("_pad_" in
# https://x.nl/_pad_/ is part of the address, not italics).
_LITERAL: Final = re.compile(
    rf"\\([{_MARKS}])|(`+)(.+?)\2"
    rf"|\[([^\]\n]+)\]\(<?(https?://[^\s)>]+)>?\)|<({_URL})>|({_URL})",
    re.DOTALL,
)
_HEADING: Final = re.compile(r"^(?:#{1,3}|-#) +", re.MULTILINE)  # "# Kop", "-# kleine tekst"
_BOLD: Final = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_UNDERLINE: Final = re.compile(r"__(?=\S)(.+?)(?<=\S)__", re.DOTALL)
# A single * or _ around words; not inside a word (snake_case, 2*3*4) nor a list's "* ".
_ITALIC_STAR: Final = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_ITALIC_LINE: Final = re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)")


def _markup_gone(text: str) -> str:
    text = _HEADING.sub("", text)
    for pattern in (_BOLD, _UNDERLINE, _ITALIC_STAR, _ITALIC_LINE):
        text = pattern.sub(r"\1", text)
    return text


def as_plain_text(text: str) -> str:
    """`text` (Discord markdown) as plain text: bold, underline, italics, inline code,
    headings and links without their marks; an escaped mark (`\\*`) as the mark itself, a
    URL exactly as written."""
    # The literals wait outside, each as a private-use character the text does not hold,
    # so markup around them ("**`aanwijzing-2` geldt**") still pairs up.
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    kept: dict[str, str] = {}

    def hold(literal: str) -> str:
        mark = next(free)
        kept[mark] = literal
        return mark

    def keep(found: re.Match[str]) -> str:
        escaped, _ticks, code, label, target, auto, bare = found.groups()
        if label is not None:  # [tekst](url): the words stay markdown, the URL is literal
            return f"{_LITERAL.sub(keep, label)} ({hold(target)})"
        return hold(escaped or code or auto or bare)

    plain = _markup_gone(_LITERAL.sub(keep, text))
    return "".join(kept.get(char, char) for char in plain) if kept else plain
