"""A phone number spelled out in words, the way a member writes it past a filter: "nul zes,
twee acht, vijf een, ...", "zero six four one ...", "06 five three nine ...", or in pairs as
a Dutch number is said ("nul zes, zevenentwintig, achtendertig, ...": ``pair_words``).

Read as digits, the phone rule decides: only a run that gives a valid number is one. A run
starts with a zero (the word or the digit: a Dutch number as people say it), so the cheap
test first looks for "nul", "zero", "oh" or a 0 before a number word (``may_spell``). The
words stand apart by spaces, commas or dots; joined by dashes ("nul-twee, nul-een, ..." may
be a list of scores) or led by "oh" ("oh six ..." may be a sigh) only after a word that says a
phone number follows ("text him: oh-six, one-three, ...", "mijn nummer: nul-zes-één-zeven
...": ``phone_cue_before``)."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_kinds import DIGIT_WORDS, Finding
from compass_bot.features.personal_data.rules_phone import usual_phone_at
from compass_bot.features.personal_data.rules_phone_abroad import phone_cue_before

_WORD: Final = "|".join(sorted(DIGIT_WORDS, key=len, reverse=True))
_TOKEN: Final = rf"(?:[0-9]{{1,4}}|{_WORD})"
_RUN: Final = re.compile(
    rf"(?<![\w+-])(?:0[0-9]{{0,3}}|nul|zero|oh)(?:(?:[ \u00a0,.]{{1,3}}|-){_TOKEN}){{4,}}(?![\w-])",
    re.IGNORECASE,
)
# a 0 (or "oh") and the word after it, read by a dict: an alternation of every number word
# tried at each 0 of a long post of times and rooms cost 70 us a post
_ZERO_THEN_WORD: Final = re.compile(r"0[0-9]{0,3}(?:[ \u00a0,.]{1,3}|-)([^\W\d_]+)")
_OH_THEN_WORD: Final = re.compile(r"\boh[ \u00a0,.-]{1,3}([^\W\d_]+)", re.IGNORECASE)


def _number_word_after(pattern: re.Pattern[str], text: str) -> bool:
    return any(m.group(1).lower() in DIGIT_WORDS for m in pattern.finditer(text))


_SPLIT: Final = re.compile(rf"[0-9]+|{_WORD}", re.IGNORECASE)


def may_spell(text: str) -> bool:
    """False when ``text`` certainly holds no spelled-out number (a few substring tests)."""
    low = text.lower()
    if "nul" in low or "zero" in low:
        return True
    if "oh" in low and _number_word_after(_OH_THEN_WORD, text):
        return True
    return "0" in text and _number_word_after(_ZERO_THEN_WORD, text)


def spelled_phones(text: str) -> tuple[Finding, ...]:
    """Every run of number words (with digits among them) that reads as a valid phone number.
    A run of digits alone is the scan's: here only runs with a word in them."""
    found: list[Finding] = []
    for m in _RUN.finditer(text):
        parts = _SPLIT.findall(m.group(0))
        if all(part.isdigit() for part in parts):
            continue
        run = m.group(0)
        if ("-" in run or run[:2].lower() == "oh") and not phone_cue_before(text, m.start()):
            continue  # scores ("nul-twee, nul-een, ...") or a sigh ("oh six ...")
        digits = "".join(p if p.isdigit() else DIGIT_WORDS[p.lower()] for p in parts)
        if 9 <= len(digits) <= 11 and usual_phone_at(digits, 0, {}) == (0, len(digits)):
            found.append(Finding("phone", m.start(), m.end()))
    return tuple(found)


def as_digits(value: str) -> str:
    """A phone number's text with its number words as digits ("nul zes 12" -> "0 6 12"):
    compared with the allow list as the digits it spells."""
    return _SPLIT.sub(lambda m: DIGIT_WORDS.get(m.group(0).lower(), m.group(0)), value)
