"""User text shown to staff, with the characters that reorder text made visible.

A student can put U+202E (right-to-left override) or the isolates U+2066-2069 in a post,
a name or a question, so that what a moderator reads is not what was written ("txt.exe"
shown as "exe.txt"). Wherever user text reaches staff it goes through `show_controls`:
each such character is replaced by a visible marker naming it, so nothing is hidden and
nothing is reordered.
"""

from __future__ import annotations

import re
from typing import Final

# Nothing on screen, but they cut a word or a digit run in two: soft hyphen, zero-width space /
# non-joiner / joiner, word joiner, zero-width no-break space, and the bidirectional marks,
# embeddings and isolates (the override U+202E is shown instead: `show_controls`)
ZERO_WIDTH: Final = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE: Final = ZERO_WIDTH + "\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069"

# Bidirectional formatting characters (Unicode's Bidi_Control property) and the marks.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_controls(text: str) -> str:
    """`text` with every bidirectional control written out as `⟨U+XXXX⟩`.

    Angle brackets from the mathematical block, because markdown leaves them alone."""
    if not _BIDI.search(text):
        return text
    return _BIDI.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


# C0 and C1 control characters and DEL (a terminal acts on ESC sequences, BEL, backspace),
# except the tab; line breaks never reach a one-line field shown to staff.
_TERMINAL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """`show_controls(text)` with the control characters a terminal would act on written out
    as `⟨U+XXXX⟩` as well: the console shows members' text to staff on a terminal."""
    text = show_controls(text)
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def written_out(text: str) -> str:
    """`text` with every character a screen would not show written out as `⟨U+XXXX⟩`: the
    controls, format characters (zero-width, bidirectional, invisible operators, tag
    characters), line separators and every space but the plain one. A name as staff should
    see it ("C⟨U+200B⟩ompass"), where a terminal or Discord would hide it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"⟨U+{ord(c):04X}⟩" for c in text)
