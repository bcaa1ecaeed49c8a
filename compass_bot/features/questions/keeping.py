"""What of a question the bot may keep: an unanswered or unhelpful question is stored for the
moderators to improve the answers, and a student's question can hold more than the job needs.

Other people's data is masked by every feature's redaction (`Kernel.redacted`) before this;
here, what a stored question (and the question shown under a public answer) needs hidden,
since it is kept for weeks and read by others: who is meant (a Discord mention, an @handle)
and a password or code the asker typed in ("mijn wachtwoord is Kaas123, is dat erg?"; the
rule is shared, `compass_bot.passwords.masked_secrets`, which every alert's text gets
too). Pure: text in, text out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from compass_bot.passwords import masked_secrets
from compass_bot.visible import ZERO_WIDTH

_MENTION: Final = re.compile(r"<@[!&]?\d{15,21}>")  # a member or a role, not a channel
# an @handle as Instagram, TikTok, Snapchat or Discord writes it (the full-width @ too); an
# e-mail address was masked before this, and one glued to a word is kept out by the lookbehind
_HANDLE: Final = re.compile(r"(?<![^\W_])(?<![@＠])[@＠]++(?P<name>\w[\w.]*\w|\w)")  # linear
_NOT_PEOPLE: Final = frozenset({"everyone", "here"})  # Discord's own pings name nobody
# zero-width characters go; the bidirectional ones stay, shown to staff as markers
_INVISIBLE: Final = re.compile(f"[{ZERO_WIDTH}]")
MENTION_MASK: Final = "[vermelding verborgen]"
HANDLE_MASK: Final = "[account verborgen]"


def _handle(match: re.Match[str]) -> str:
    return match.group(0) if match.group("name").lower() in _NOT_PEOPLE else HANDLE_MASK


def kept_question(text: str) -> str:
    """`text` (already redacted) with mentions, @handles and typed-in passwords masked."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    if "<" in text:
        text = _MENTION.sub(MENTION_MASK, text)
    if "@" in text or "＠" in text:
        text = _HANDLE.sub(_handle, text)
    return masked_secrets(text)
