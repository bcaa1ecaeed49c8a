"""How a street name is read before its house number: which words end a street's name (its
suffixes), which are names, particles or abbreviations, and where the street starts."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_kinds import (
    NAME_ABBREVIATIONS,
    NAME_PARTICLES,
    STREET_NOT,
    STREET_SUFFIXES,
    STREET_TYPE_WORDS,
    STREET_TYPES_ENGLISH,
)

NR_WORD_END: Final = re.compile(r"\b(?:[Hh]uis|[Hh])?(?:[Nn]ummer|[Nn]r|[Nn]o)\.?:?\s?$")
SUFFIXES_BY_END: Final[dict[str, tuple[str, ...]]] = {}  # last 3 letters -> suffixes
for _suffix in STREET_SUFFIXES:  # sorted longest first, so each tuple is too
    SUFFIXES_BY_END[_suffix[-3:]] = (*SUFFIXES_BY_END.get(_suffix[-3:], ()), _suffix)
assert min(len(x) for x in STREET_SUFFIXES) >= 3, "street suffixes are looked up by 3 letters"
_JOIN_END: Final = re.compile(r"[ \u00a0](?:op|at|on),?$", re.IGNORECASE)
_STEM: Final = re.compile(r"(?:[^\W\d_]|['-])+")


def street_before(text: str, s: int) -> int | None:
    """Start of the street name that ends just before position s, or None."""
    if not s or text[s - 1] not in " \u00a0,":
        return None  # the number touches the word: "4H2", "iPhone15"
    return street_start(text, s)


def street_start(text: str, s: int) -> int | None:
    """``street_before`` once text[s - 1] is known to be a space, no-break space or comma.

    The usual street ("naar Kerkstraat 12") is settled from the last two words: a street
    word after a plain lower-case word starts the street itself; only other shapes split
    the six words before the number."""
    lo = s - 80 if s > 80 else 0
    stripped = text[lo:s].rstrip(" \u00a0,")
    opener = max(stripped.rfind("("), stripped.rfind("["))
    if opener >= 0 and ")" not in stripped[opener:] and "]" not in stripped[opener:]:
        lo += opener + 1  # a street never reaches back over an open bracket: "(Kastanjehof 9"
        stripped = stripped[opener + 1 :]
    if stripped[-1:] in "rRoO.:":
        nr_word = NR_WORD_END.search(stripped, max(0, len(stripped) - 16))
        if nr_word:  # "in de Dorpsstraat op nummer 7": the street before "(op) nummer"
            stripped = _JOIN_END.sub("", stripped[: nr_word.start()].rstrip(" ,"))
    two = stripped.rsplit(maxsplit=2)
    if not two:
        return None
    last = two[-1]
    bare = last.rstrip(".,:").lower()
    if len(two) >= 2 and bare not in STREET_TYPE_WORDS and is_street_word(bare):
        word = two[-2]
        if word.islower() and word.isalpha() and word not in NAME_PARTICLES:
            return lo + stripped.rfind(last)  # the loop below would stop at this word
    words = stripped.rsplit(maxsplit=6)
    if len(words) == 7:
        words = words[1:]
    chain_from: int | None = None
    if is_street_word(bare) and bare not in STREET_TYPE_WORDS:
        chain_from = len(words) - 1
    elif (
        bare in STREET_TYPES_ENGLISH
        and last[:1].isupper()
        and len(words) >= 2
        and name_word(words[-2]) == "cap"
    ):  # "at Baker Street 12": an English street in Dutch order
        chain_from = len(words) - 1
    elif last[:1].isupper():
        for k in range(len(words) - 1, -1, -1):
            word = words[k].rstrip(".,:")
            if word[:1].isupper() and word.lower() in STREET_TYPE_WORDS:
                if k == len(words) - 1:
                    if k > 0 and name_word(words[k - 1]) == "cap":
                        chain_from = k
                elif all(
                    name_word(w.rstrip(".,")) in ("cap", "particle", "abbr") for w in words[k + 1 :]
                ):
                    chain_from = k
                break
    if chain_from is None:
        return None
    start_k = chain_from
    for k in range(chain_from - 1, -1, -1):
        word = words[k]
        if word.islower() and word.isalpha() and word not in NAME_PARTICLES:
            break  # name_word says '' to a plain lower-case word ("naar"): without the call
        kind = name_word(word)
        if kind in ("cap", "abbr"):
            start_k = k  # particles in between ("Burg. de With...") come along
        elif kind != "particle":
            break
    pos = len(stripped)
    for word in reversed(words[start_k:]):
        pos = stripped.rfind(word, 0, pos)
    return lo + pos


def is_street_word(word: str) -> bool:
    """A lower-case word that ends in a street suffix and is no word such as onderweg.

    The stem before the longest suffix it ends with must be letters ("-" and "'" allowed),
    at least two of them unless the word is a street type itself ("weg", "laan")."""
    ends = SUFFIXES_BY_END.get(word[-3:])  # one dict lookup turns down almost every word
    if ends is None:
        return False
    for suffix in ends:  # longest first
        if word.endswith(suffix):
            break
    else:
        return False
    stem = word[: -len(suffix)]
    # isalpha() letters are a subset of _STEM's: the regex only for the rest ("'s-", "é")
    if (stem and not stem.isalpha() and _STEM.fullmatch(stem) is None) or word in STREET_NOT:
        return False
    return len(stem) >= 2 or word in STREET_TYPE_WORDS


def name_word(word: str) -> str:
    """'abbr' (Burg., St., v.), 'cap' (a capitalised name), 'particle' (de, van) or ''."""
    if word.endswith((",", ":", ";", "!", "?")):
        return ""
    bare = word.rstrip(".")
    low = bare.lower()
    if word.endswith(".") and (low in NAME_ABBREVIATIONS or (len(bare) == 1 and bare.isalpha())):
        return "abbr"
    if low in NAME_PARTICLES:
        return (
            "cap"
            if bare[:1].isupper() and low in ("van", "de", "den", "der", "ter", "ten", "het")
            else "particle"
        )
    if bare[:1].isupper() and bare.replace("-", "").replace("'", "").isalpha():
        return "cap" if low not in _SENTENCE_WORDS else ""
    return ""


_SENTENCE_WORDS: Final = frozenset(
    {
        "ik",
        "jij",
        "je",
        "hij",
        "zij",
        "ze",
        "wij",
        "we",
        "mijn",
        "m'n",
        "zijn",
        "haar",
        "onze",
        "ons",
        "hun",
        "het",
        "op",
        "in",
        "naar",
        "bij",
        "adres",
        "is",
        "woon",
        "woont",
        "kom",
        "the",
        "my",
        "at",
        "on",
        "i",
        "his",
        "her",
        "our",
        "their",
        "address",
        "lives",
        "live",
        "hoi",
        "hey",
        "hallo",
        "zit",
        "thuis",
        "oh",
        "ja",
        "nee",
        "dus",
        "maar",
        "en",
        "of",
        "want",
        "ok",
        "oke",
        "oké",
        "welke",
        "wie",
        "waar",
        "dat",
        "die",
        "deze",
        "dit",
    }
)
