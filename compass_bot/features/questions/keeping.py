"""What of a question the bot may keep: an unanswered or unhelpful question is stored for the
moderators to improve the answers, and a student's question can hold more than the job needs.

Other people's data is masked by every feature's redaction (`Kernel.redacted`) before this;
here, what only a stored question needs hidden, since it is kept for weeks and read later:
who is meant (a Discord mention, an @handle) and a password or code the asker typed in
("mijn wachtwoord is Kaas123, is dat erg?"). Pure: text in, text out.

A password cannot be told from a word by its letters alone, so the rule is general, not a
list: in a question that names a password, pin or code, every word that looks like a
credential (letters with digits, four digits or more, a capital inside a word, a sign inside
a word) is masked, and so is the word right after "wachtwoord is", "password:" or "pin =" when
it is no word of Dutch or English (simplemma's dictionaries: "letmein" is masked, "gehackt",
"kwijt" and "vergeten" stay, since they are what the question is about).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

import simplemma

_MENTION: Final = re.compile(r"<@[!&]?\d{15,21}>")  # a member or a role, not a channel
# an @handle as Instagram, TikTok, Snapchat or Discord writes it (the full-width @ too); an
# e-mail address was masked before this, and one glued to a word is kept out by the lookbehind
_HANDLE: Final = re.compile(r"(?<![^\W_])(?<![@＠])[@＠]++(?P<name>\w[\w.]*\w|\w)")  # linear
_NOT_PEOPLE: Final = frozenset({"everyone", "here"})  # Discord's own pings name nobody
_INVISIBLE: Final = re.compile(r"[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
_CUE: Final = re.compile(
    r"\b(?:wachtwoord(?:en|je)?|ww|pw|passw(?:or)?d|password'?s?|pass|passwort|passcode|"
    r"pin(?:code)?|inlogcode|toegangscode|code|wifi-?code|wifi)\b",
    re.IGNORECASE,
)
# the cue, then "is", "was", ":" or "=" (also "password's"), then the value: a quoted string or
# one run of non-blank characters
_GIVEN: Final = re.compile(
    rf"(?P<cue>{_CUE.pattern})(?P<between>\s*(?:[:=]|\b(?:is|was|wordt|werd)\b:?)\s*)"
    r"""(?P<value>"[^"\n]{1,80}"|'[^'\n]{1,80}'|[^\s,;]+)""",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(r"\[[^\]\n]*\]|[^\s,;()\[\]\"']+")  # a mask whole, or a word
_CLASS_CODE: Final = re.compile(r"\d[A-Za-z]{1,4}\d?(?:-[A-Za-z0-9]{1,3})?")  # 4H2, 3VWO-B
_DIGIT_GROUPS: Final = re.compile(r"(?<![\w-])\d{1,4}(?:[ -]\d{1,4})+(?![\w-])")
MENTION_MASK: Final = "[vermelding verborgen]"
HANDLE_MASK: Final = "[account verborgen]"
SECRET_MASK: Final = "[wachtwoord verborgen]"


def _core(token: str) -> str:
    """The token without the signs around it: quotes, brackets, end punctuation, emoji."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[start:end]


def looks_like_credential(token: str) -> bool:
    """Letters with digits ("Kaas123", "hunter2"), four digits or more ("4821"), a capital
    inside a lower-case word ("KaasBrood"), or a sign inside a word ("Compass2026!x"): not an
    ordinary word, a count ("3", "2x", "8") or a word in capitals ("GEHACKT")."""
    core = _core(token)
    if len(core) < 4 or _CLASS_CODE.fullmatch(core):
        return False
    digits = sum(c.isdigit() for c in core)
    letters = sum(c.isalpha() for c in core)
    if (digits and letters) or digits >= 4:
        return not core.lower().endswith(("x", "e", "ste", "de"))  # "10x", "4e", "1000ste"
    if not core.isupper() and any(c.isupper() for c in core[1:]):
        return True
    return any(not c.isalnum() and c not in "-'._" for c in core)  # not "e-mail", "zo'n"


def _is_word(token: str) -> bool:
    core = _core(token)
    return not core or core.isdigit() or _known(core.lower())


@lru_cache(maxsize=4096)
def _known(word: str) -> bool:
    """simplemma's look-up costs up to a tenth of a millisecond for an unknown word: kept per
    word, so a long message repeating one cue costs one look-up (bounded, like every cache)."""
    return simplemma.is_known(word, lang=("nl", "en"))


def _given(match: re.Match[str]) -> str:
    """The value right after "wachtwoord is" / "password:": masked unless it is a word."""
    value = match.group("value")
    # a quoted phrase is a password ("correct horse battery staple"); one quoted word is
    # judged as any word ("'gehackt'")
    quoted = value[:1] in "\"'" and value[-1:] == value[:1] and " " in value.strip()
    core = _core(value)
    if not quoted and (value.startswith("[") or _is_word(value) or len(core) < 4):
        return match.group(0)  # a word, a count ("3 keer", "2x") or masked already
    trail = "" if quoted else value[len(value.rstrip(".!?")) :]
    return f"{match.group('cue')}{match.group('between')}{SECRET_MASK}{trail}"


def _credential(match: re.Match[str]) -> str:
    token = match.group(0)
    if token.startswith("[") or not looks_like_credential(token):
        return token
    core = _core(token)
    start = token.index(core)
    return token[:start] + SECRET_MASK + token[start + len(core) :]


def _digit_group(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return SECRET_MASK if digits >= 4 else match.group(0)


def _handle(match: re.Match[str]) -> str:
    return match.group(0) if match.group("name").lower() in _NOT_PEOPLE else HANDLE_MASK


def kept_question(text: str) -> str:
    """`text` (already redacted) with mentions, @handles and typed-in passwords masked."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    if "<" in text:
        text = _MENTION.sub(MENTION_MASK, text)
    if "@" in text or "＠" in text:
        text = _HANDLE.sub(_handle, text)
    if _CUE.search(text) is None:
        return text
    text = _GIVEN.sub(_given, text)
    text = _DIGIT_GROUPS.sub(_digit_group, text)
    return _TOKEN.sub(_credential, text)
