"""Typed-in passwords, pins and codes: masked wherever the bot keeps or shows a member's text.

A password cannot be told from a word by its letters alone, so the rule is general, not a
list: in a text that names a password, pin or code, every word that looks like a credential
(`looks_like_credential`: letters with digits, four digits or more, a sign inside a word) is
masked, and so is the word right after "wachtwoord is", "password:" or "pin =" when it is no
word of Dutch or English (simplemma's dictionaries: "letmein" is masked, "gehackt", "kwijt"
and "vergeten" stay, since they are what a question about it is about). A masked password
takes the signs typed onto it along ("Geheim123!", "Zomer2024?!"); only the quotes or brackets
around it and a sentence's full stop or comma stay. The privacy feature
registers it as a redaction (`Kernel.redacted`): an alert's excerpt, a report's note and a stored
question keep "[wachtwoord verborgen]", never the password ("het wachtwoord van anna is
Zomer2026").
Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import Final

from compass_bot.policy.morphology import is_word

# the words for a password; "wachtwoord" and "password" also at the end of a compound
# ("magisterwachtwoord", "instapassword"), the short ones only as words of their own
# A short cue starts a word of its own (after a space, a quote, a bracket, a comma or a
# semicolon: "ok,pw: x"): "pass" inside a disguised name ("Com*pass", "Com\u200bpass") names
# no password.
_CUE: Final = re.compile(
    r"(?:(?<![^\s\"'“”‘’(\[])|(?<=[a-z]))(?:wachtwoord(?:en|je)?|paswoord|passw(?:or)?d|"
    r"password'?s?)\b|"
    r"(?<![^\s\"'“”‘’(\[,;])(?:ww|pw|pass|passwort|passcode|pin(?:code)?|inlog(?:code|gegevens)?|"
    r"login|toegangscode|code)\b",
    re.IGNORECASE,
)
# the cue, then "is", "was", ":" or "=" (also "password's"), then the value: a quoted string or
# one run of non-blank characters
_GIVEN: Final = re.compile(
    rf"(?P<cue>(?:{_CUE.pattern}))"
    r"(?P<between>(?:\s+(?:van|of)(?:\s+\S+){1,3}?)?\s*(?:[:=]|\b(?:is|was|wordt|werd)\b:?)\s*)"
    r"""(?P<value>["“”][^"“”\n]{1,80}["“”]|['‘’][^'‘’\n]{1,80}['‘’]|[^\s,;]+)""",
    re.IGNORECASE,
)
# a mask whole (no "[" inside: one pass over a run of "["), or a word
_TOKEN: Final = re.compile(r"\[[^\[\]\n]*\]|[^\s,;()\[\]\"']+")
_CLASS_CODE: Final = re.compile(r"\d[A-Za-z]{1,4}\d?(?:-[A-Za-z0-9]{1,3})?")  # 4H2, 3VWO-B
# a pin typed in groups ("48 21"); a date or a score has its own signs ("12-05", "3-2")
_DIGIT_GROUPS: Final = re.compile(r"(?<![\w-])\d{1,4}(?: \d{1,4})+(?![\w-])")
_YEAR: Final = re.compile(r"(?:19|20)\d\d")
_DISCORD_TAG: Final = re.compile(r"<(?:@[!&]?|#|a?:\w+:|t:)\d+(?::[A-Za-z])?>")
QUOTES: Final = "\"'“”‘’"  # straight and curly (as phones type them)
SECRET_MASK: Final = "[wachtwoord verborgen]"
# What stays of a masked run of characters: the quotes and brackets opened before it, and
# those closed after it with a sentence's one full stop or comma before them ("is hunter2.",
# '"pw is Zomer2026" en'); every other sign in the run is part of the password.
_OPENERS: Final = QUOTES + "([{«"
_KEPT_TAIL: Final = re.compile(r"[.,]?[\"'“”‘’)\]}»]*\Z")


def _core(token: str) -> str:
    """The token without the signs around it: quotes, brackets, end punctuation, emoji."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[start:end]


def _masked_run(run: str) -> str:
    """`run`, a password with the signs typed onto it, masked whole: a password often ends
    (or starts) with one ("Geheim123!", "Zomer2024?!", "!Kaas123"), and a mask of its
    letters alone left those visible."""
    core = _core(run)
    start = run.index(core)
    end = start + len(core)
    opened = len(run[:start]) - len(run[:start].lstrip(_OPENERS))
    kept = _KEPT_TAIL.search(run, end)
    tail = run[kept.start() :] if kept is not None else ""
    return run[:opened] + SECRET_MASK + tail


def looks_like_credential(token: str) -> bool:
    """Letters with digits ("Kaas123", "hunter2"), four digits or more ("4821"), or letters
    with a sign inside ("p@ss!x"): not an ordinary word, a brand written with capitals
    ("TikTok", "iPhone"), a count ("3", "2x"), a year ("2024"), a time or a date ("12:30",
    "12-05"), a class code ("4H2") or an account name ("compass_1d"). Right after
    "wachtwoord is" any word no dictionary knows counts as well (`_given`)."""
    core = _core(token)
    if len(core) < 4 or _CLASS_CODE.fullmatch(core) or _YEAR.fullmatch(core):
        return False
    if "_" in core or "." in core:
        return False  # an account name ("compass_1d", "sanne.2009"): the name rule's, no secret
    digits = sum(c.isdigit() for c in core)
    letters = sum(c.isalpha() for c in core)
    if digits and letters:
        return not core.lower().endswith(("x", "e", "ste", "de"))  # "10x", "4e", "1000ste"
    if not letters:
        return core.isdigit() and digits >= 4  # a pin; "12:30" and "12-05" are no secret
    return any(not c.isalnum() and c not in "-'._" for c in core)  # not "e-mail", "zo'n"


def _is_word(token: str) -> bool:
    core = _core(token)
    return not core or core.isdigit() or is_word(core.lower())


def _given(match: re.Match[str]) -> str:
    """The value right after "wachtwoord is" / "password:": masked unless it is a word."""
    value = match.group("value")
    # a quoted phrase is a password ("correct horse battery staple"); one quoted word is
    # judged as any word ("'gehackt'")
    quoted = value[:1] in QUOTES and value[-1:] in QUOTES and " " in value.strip()
    core = _core(value)
    pin = core.isdigit() and len(core) >= 4  # "pincode is 2009": a pin, though a year
    if not quoted and not pin and (value.startswith(("[", "@", "＠", "<")) or _is_word(value)):
        return match.group(0)  # a word, a count ("3 keer"), a handle or masked already
    if not quoted and len(core) < 4:
        return match.group(0)
    masked = SECRET_MASK if quoted else _masked_run(value)
    return f"{match.group('cue')}{match.group('between')}{masked}"


def _credential(match: re.Match[str]) -> str:
    token = match.group(0)
    if (
        token.startswith(("[", "@", "＠"))
        or _DISCORD_TAG.search(token)
        or not looks_like_credential(token)
    ):
        return token  # a mask, an @handle, Discord's own markup (a mention, an emoji), a word
    return _masked_run(token)


def _digit_group(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return SECRET_MASK if digits >= 4 else match.group(0)


def masked_secrets(text: str) -> str:
    """`text` with the passwords, pins and codes typed into it masked (nothing else changed)."""
    if _CUE.search(text) is None:
        return text
    text = _GIVEN.sub(_given, text)
    text = _DIGIT_GROUPS.sub(_digit_group, text)
    return _TOKEN.sub(_credential, text)
