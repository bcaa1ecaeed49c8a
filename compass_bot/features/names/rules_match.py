"""A match of Compass in a folded name classified: which disguises, flagged or uncertain."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from compass_bot.features.names.rules_fold import CONT, INVISIBLE_EXTRA, has_flipped
from compass_bot.features.names.rules_patterns import (
    LEET_LETTERS,
    LETTER_CHARS,
    LOOSE,
    SEP_RE,
    SPLIT_NEAR,
    STRICT,
    WORD_CHARS,
)
from compass_bot.features.names.rules_verdict import (
    EXPLAIN_SPLIT,
    VARIANT_NL,
    Disguise,
    NameReason,
    explain_flagged,
    in_order,
    reason_for,
)


@dataclass(frozen=True, slots=True)
class Found:
    start: int  # in the folded text
    end: int
    flagged: bool
    reason: NameReason
    disguises: tuple[Disguise, ...]
    explanation: str


def scan(name: str, masked: str, owners: Sequence[int]) -> Found | None:
    """The first flagged match, else the first uncertain one, else a near miss; a near miss
    (K for C, a letter missing or replaced) beside a word about school is flagged
    (`school_beside`), as is a K with the school's double s (`_K_DOUBLE_S`)."""
    found = _scan(name, masked, owners)
    if (
        found is not None
        and found.reason == "uncertain-variant"
        and (
            _K_DOUBLE_S.match(masked, found.start) is not None
            or school_beside(masked, found.start, found.end)
        )
    ):
        return _flagged(found, "respelled")
    if (
        found is not None
        and found.reason == "uncertain-split"
        and school_beside(masked, found.start, found.end)
    ):  # "Compas_5vwo": letters across words, but a class or a word about school beside them
        return _flagged(found)
    return found


def _flagged(found: Found, *more: Disguise) -> Found:
    """`found` (a moderator's case) flagged after all, with `more` disguises named."""
    ordered = in_order({*found.disguises, *more})
    return Found(
        found.start, found.end, True, reason_for(ordered), ordered, explain_flagged(ordered)
    )


# "Kompass", "K0mp4ss": a K with the school's double s sounds and reads as its name (the Dutch
# word, kompas, has one s; its plural kompassen stays a moderator's)
_K_DOUBLE_S: Final = re.compile(r"k+[o0]+(?:m|rn)+p+[a4@]+[s5$]{2,}(?!e|3[a-z])")


# A word about school beside a near miss: "kompas" is the Dutch word, but "Kompas_leerling",
# "KompasCollege", "LeerlingVanKompas" or "kompazz_3vwo" name the school. Glued on either side;
# a short word not followed by a letter ("kompas_klasse", "kompas_jufferen" stay a moderator's).
# A class code standing apart is one too ("Kompass_H4", "KompasGang_3B": year and stream or
# group), but not a size or a dimension ("kompas_a4", "kompas_3d" stay a moderator's).
_SCHOOL_WORD: Final = re.compile(
    r"leerling|docent|leraar|lerares|mentor|school|college|lyceum|gymnasium|atheneum"
    r"|brugklas|student|scholier|klasgeno|teacher|examen|conrector|directie"
    r"|(?:juf|meester|klas|vwo|havo|mavo|vmbo|brugger|rector)(?![a-z])"
    r"|(?<![a-z0-9])(?:[1-6][abchmv]|[hmv][1-6])(?![a-z0-9])"
)


def school_beside(masked: str, start: int, end: int) -> bool:
    """Whether the rest of the folded name (outside the match; its last letter may start the
    word, "kompasschool") holds a word about school, also in leetspeak ("h4v0")."""
    rest = masked[:start] + " " + masked[end - 1 :]
    return (
        _SCHOOL_WORD.search(rest) is not None
        or _SCHOOL_WORD.search(rest.translate(LEET_LETTERS)) is not None
    )


def _scan(name: str, masked: str, owners: Sequence[int]) -> Found | None:
    """The first flagged match, else the first uncertain one, else a near miss."""
    uncertain: Found | None = None
    for m in STRICT.finditer(masked):
        found = _classify(name, masked, owners, m)
        if found.flagged:
            return found
        if uncertain is None:
            uncertain = found
    if uncertain is not None:
        return uncertain
    for near in LOOSE.finditer(masked):
        kind = near.lastgroup or "other"
        start, end = near.span()
        if kind == "dropped":
            return _variant(name, masked, owners, start, end, "missing-letter")
        starts_word = _starts_word(name, masked, owners, start)
        # a swap with a z for an s too is two differences: a moderator decides
        if kind == "swapped" and "z" not in masked[start:end] and starts_word:
            return _variant(name, masked, owners, start, end, "swapped-letters")
        if kind in ("compas", "missing") and _whole_name(masked, start, end):
            return _variant(name, masked, owners, start, end, "missing-letter")
        if starts_word:
            # a sign masking one letter (C*mpass, C♡mpass) or an s as z (Compazz, Compasz): no word
            # of any language, a spelling chosen to hide the name (a letter for a letter,
            # Compiss, or a K, stays with a moderator)
            sign = _sign_for_letter(name, masked, owners, start, end) if kind == "other" else None
            if sign is not None:
                return _variant(name, masked, owners, start, end, sign)
            if kind == "compas" and _S_AS_Z.fullmatch(masked, start, end):
                return _variant(name, masked, owners, start, end, "leetspeak")
        # "compas"/"kompas" anywhere; rarer near misses only where a word starts, so that
        # "syncopasse" or "krompasser" stay clean
        if kind == "compas" or starts_word:
            return _near_miss(masked, start, end, kind)
    return _split_near_miss(name, masked, owners)


def _split_near_miss(name: str, masked: str, owners: Sequence[int]) -> Found | None:
    """compas or kompas with signs between its letters (`SPLIT_NEAR`), read as the near miss
    written together: with a C and nothing else in the name flagged, else a moderator's (a K
    beside a word about school is flagged by `scan`)."""
    split = SPLIT_NEAR.search(masked)
    if split is None or split.end() - split.start() == 6:  # together: LOOSE's to judge
        return None
    start, end = split.span()
    if masked[start] == "c" and _whole_name(masked, start, end):
        return _flagged(_variant(name, masked, owners, start, end, "missing-letter"), "separators")
    return _near_miss(masked, start, end, "compas")


# a z for one s or both (Compazz, Compasz, Compazs): the s-to-z of leetspeak, no word
# with a K only both s as z: "kompasz" may be a language's word for a compass, "kompazz" is none
_S_AS_Z: Final = re.compile(
    r"c+[o0]+(?:m|rn)+p+[a4@]+(?:zz+|[s5$]+z+|z+[s5$]+)|k+[o0]+(?:m|rn)+p+[a4@]+zz+"
)
_COMPASS_CHARS: Final = frozenset("".join(LETTER_CHARS.values()))


def _sign_for_letter(
    name: str, masked: str, owners: Sequence[int], start: int, end: int
) -> Disguise | None:
    """How the one character of a near miss that stands for another letter disguises it, when
    it is a sign (no letter, no digit: ``*``, ``#``, ``♡``, an emoji); None for a letter."""
    for pos in range(start, end):
        if masked[pos] not in _COMPASS_CHARS:
            ch = name[owners[pos]]
            if unicodedata.category(ch)[0] in "LN":
                return None
            return _letter_kind(ch) or "leetspeak"
    return None


# A word of two letters or more that is no class code's tail ("3a", "4havo"): in a name beside
# a near miss, it may make the near miss a word of its own ("Compas_MX", "kompas_wandelclub").
_OTHER_WORD: Final = re.compile(r"(?<![0-9a-z])[a-z]{2,}")


def _whole_name(masked: str, start: int, end: int) -> bool:
    """Whether a near miss with a real C and one consonant dropped (Compas, Comass) is all the
    name says: nothing beside it but numbers, a class code, signs or emoji. With nothing else to
    read it as, in a school's server it is the school's name with a letter left out; beside
    other words ("Compas_MX") or with a K (kompas, the Dutch word) a moderator decides."""
    if masked[start] != "c" or "z" in masked[start:end]:
        return False
    rest = masked[:start] + " " + masked[end:]
    return _OTHER_WORD.search(rest) is None


def _near_miss(masked: str, start: int, end: int, kind: str) -> Found:
    detail = VARIANT_NL["missing" if kind == "compas" else kind]
    if kind in ("compas", "missing") and "z" in masked[start:end]:
        detail = VARIANT_NL["z"]
    if masked[start] == "k":  # kompas: a K and one more difference
        detail = f"{VARIANT_NL['k']} en {detail}"
    return Found(
        start,
        end,
        False,
        "uncertain-variant",
        (),
        f"De naam lijkt op 'Compass', {detail}; een moderator beslist.",
    )


def _variant(
    name: str, masked: str, owners: Sequence[int], start: int, end: int, variant: Disguise
) -> Found:
    """A near miss that is still Compass, flagged (see `rules_patterns`): one vowel left out
    (Cmpass, Compss), or two neighbouring letters swapped where a word starts (Copmass)."""
    length = 6 if variant == "missing-letter" else 7
    while end - start > length and masked[end - 1] in "5$" and masked[end - 2] == "s":
        end -= 1  # trailing leet s after a real "ss" is not part of the name (Cmpass5)
    disguises: set[Disguise] = {variant}
    if end - start > length:
        disguises.add("repeated-letters")
    for index in sorted({owners[pos] for pos in range(start, end)}):
        kind = _letter_kind(name[index])
        if kind is not None:
            disguises.add(kind)
    for index in range(owners[start], owners[end - 1] + 1):  # folded to nothing in between
        if _is_variation_selector(name[index]):
            continue
        category = unicodedata.category(name[index])
        if category in ("Mn", "Me"):
            disguises.add("accents")
        elif category == "Cf" or name[index] in INVISIBLE_EXTRA:
            disguises.add("invisible")
    ordered = in_order(disguises)
    return Found(start, end, True, reason_for(ordered), ordered, explain_flagged(ordered))


_BASE_COUNT: Final[dict[str, int]] = {"c": 1, "o": 1, "m": 1, "p": 1, "a": 1, "s": 2}


def _classify(name: str, masked: str, owners: Sequence[int], m: re.Match[str]) -> Found:
    start, end = m.span()
    # trailing leet s after a real "ss" is not part of the name ("Compass5" -> "Compass")
    s_start, s_end = m.span("s")
    while (
        s_end - s_start > 2
        and masked[s_end - 1] in "5$"
        and masked[s_end - 2] == "s"
        and not SEP_RE.match(masked, s_end - 2)
    ):
        s_end -= 1
    end = s_end

    disguises: set[Disguise] = set()
    letter_pos: set[int] = set()
    only_k = True
    repeated = False
    for group in ("c", "o", "m", "p", "a", "s"):
        g_start, g_end = m.span(group)
        if group == "s":
            g_end = end
        count = 0
        chars = LETTER_CHARS[group] + ("k" if group == "c" else "")
        for pos in range(g_start, g_end):
            ch = masked[pos]
            if ch == CONT:
                letter_pos.add(pos)
            elif ch in chars and not (group == "m" and ch == "n" and masked[pos - 1] == "r"):
                letter_pos.add(pos)
                count += 1
                if group == "m" and ch == "r":
                    letter_pos.add(pos + 1)
                    disguises.add("homoglyph")
                if group == "c" and ch != "k":
                    only_k = False
        if count > _BASE_COUNT[group]:
            repeated = True
    if repeated:
        disguises.add("repeated-letters")

    has_separator = False
    seen_chars: set[int] = set()
    for pos in range(start, end):
        index = owners[pos]
        if masked[pos] == CONT:
            letter_pos.add(pos)
        if pos not in letter_pos:
            has_separator = True
            disguises.add("separators")
        if index in seen_chars:
            continue
        seen_chars.add(index)
        if pos in letter_pos:
            kind = _letter_kind(name[index])
            if kind is not None:
                disguises.add(kind)
    # characters that folded to nothing (zero-width, soft hyphen, combining marks) between
    first, last = owners[start], owners[end - 1]
    for index in range(first, last + 1):
        if index not in seen_chars and not _is_variation_selector(name[index]):
            ch = name[index]
            category = unicodedata.category(ch)
            if category in ("Mn", "Me"):
                disguises.add("accents")
            elif category == "Cf" or ch in INVISIBLE_EXTRA:
                disguises.add("invisible")
            else:  # pragma: no cover - every other character folds to something
                disguises.add("separators")

    ordered = in_order(disguises)
    if only_k:
        detail = VARIANT_NL["k"]
        return Found(
            start,
            end,
            False,
            "uncertain-variant",
            ordered,
            f"De naam lijkt op 'Compass', {detail}; een moderator beslist.",
        )
    if has_separator and not _on_word_boundaries(name, masked, owners, start, end):
        return Found(start, end, False, "uncertain-split", ordered, EXPLAIN_SPLIT)
    return Found(start, end, True, reason_for(ordered), ordered, explain_flagged(ordered))


def _is_variation_selector(ch: str) -> bool:
    """U+FE00-FE0F and U+E0100-E01EF pick how the character before is drawn (the emoji
    form of ©: "©️"): no mark on a letter, so no disguise of their own to name."""
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def with_marks(name: str, end: int) -> int:
    """Extend `end` over combining marks that belong to the last character."""
    while end < len(name) and unicodedata.category(name[end]) in ("Mn", "Me"):
        end += 1
    return end


def _starts_word(name: str, masked: str, owners: Sequence[int], start: int) -> bool:
    return (
        start == 0
        or masked[start - 1] not in WORD_CHARS
        or (name[owners[start]].isupper() and name[owners[start - 1]].islower())
    )


def _on_word_boundaries(
    name: str, masked: str, owners: Sequence[int], start: int, end: int
) -> bool:
    starts_word = _starts_word(name, masked, owners, start)
    ends_word = (
        end == len(masked)
        or masked[end] not in WORD_CHARS
        or (name[owners[end]].isupper() and name[owners[end - 1]].islower())
    )
    return starts_word and ends_word


@lru_cache(maxsize=4096)
def _letter_kind(ch: str) -> Disguise | None:
    """How one character that stands for a letter of Compass disguises it (None: plainly)."""
    if ch.isascii():
        return None if ch.isalpha() else "leetspeak"
    nfkc = unicodedata.normalize("NFKC", ch).strip("()")  # parenthesized letters: (c)
    if nfkc.isascii() and nfkc.isalnum():
        return "stylized"
    if len(nfkc) == 1 and nfkc.isascii():
        return "leetspeak"  # a fullwidth or small form of a symbol used as a letter: ＠ ﹩
    base = unicodedata.normalize("NFD", ch)
    if len(base) > 1 and base[0].isascii() and base[0].isalpha():
        return "accents"
    if has_flipped(ch):
        return "homoglyph"  # a turned or mirrored letter (ᴐ), also where it reads as itself
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN") and " WITH " in name:
        return "accents"  # stroked, barred, hooked letters: ø ȼ ɱ
    if name.startswith(("LATIN LETTER SMALL CAPITAL", "NEGATIVE ", "REGIONAL INDICATOR")):
        return "stylized"
    return "homoglyph"
