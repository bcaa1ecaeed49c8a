"""What of a question the bot may keep: an unanswered or unhelpful question is stored for the
moderators to improve the answers, and a student's question can hold more than the job needs.

Other people's data is masked by every feature's redaction (`Kernel.redacted`) before this;
here, what only a stored question needs hidden, since it is kept for weeks and read later:
who is meant (a Discord mention, an @handle) and a password or code the asker typed in
("mijn wachtwoord is Kaas123, is dat erg?"). Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import Final

_MENTION: Final = re.compile(r"<@[!&]?\d{15,21}>")  # a member or a role, not a channel
# an @handle as Instagram, TikTok, Snapchat or Discord writes it; an e-mail address was
# masked before this (its @ follows a letter, so the lookbehind keeps it out anyway)
_HANDLE: Final = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?")
_SECRET_WORDS: Final = (
    r"wachtwoord(?:je)?|password|passwort|passcode|pincode|pin|inlogcode|"
    r"toegangscode|wifi-?code|ww|pw"
)
# the cue word, then "is", "was", "=" or ":" and one run of non-blank characters
_SECRET: Final = re.compile(
    rf"\b(?P<cue>(?:{_SECRET_WORDS}))\b(?P<between>\s*(?:[:=]|\b(?:is|was|wordt|werd)\b:?)\s*)"
    r"(?P<value>[^\s,;]+)",
    re.IGNORECASE,
)
MENTION_MASK: Final = "[vermelding verborgen]"
HANDLE_MASK: Final = "[account verborgen]"
SECRET_MASK: Final = "[wachtwoord verborgen]"


def _looks_secret(value: str, explicit: bool) -> bool:
    """A word after "wachtwoord is" is a password when it looks like one (a digit, a capital
    inside, a sign); after "wachtwoord:" or "=" any word is. "mijn wachtwoord is gehackt"
    keeps its verb: that is what the question is about."""
    value = value.rstrip(".!?")
    if not value or value.startswith("["):  # already masked
        return False
    if explicit:
        return True
    return (
        any(c.isdigit() for c in value)
        or any(c.isupper() for c in value[1:])
        or any(not c.isalnum() for c in value)
    )


def _secret(match: re.Match[str]) -> str:
    between = match.group("between")
    explicit = ":" in between or "=" in between
    if not _looks_secret(match.group("value"), explicit):
        return match.group(0)
    trail = match.group("value")[len(match.group("value").rstrip(".!?")) :]
    return f"{match.group('cue')}{between}{SECRET_MASK}{trail}"


def kept_question(text: str) -> str:
    """`text` (already redacted) with mentions, @handles and typed-in passwords masked."""
    if "<" in text:
        text = _MENTION.sub(MENTION_MASK, text)
    if "@" in text:
        text = _HANDLE.sub(HANDLE_MASK, text)
    return _SECRET.sub(_secret, text)
