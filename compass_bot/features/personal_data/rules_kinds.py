"""The vocabulary of the personal-data rule: the kinds, a finding, and the word lists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final, Literal, NamedTuple, get_args

CLAUSE_ID: Final = "aanwijzing-6"

Kind = Literal["phone", "email", "address", "postcode", "location-link", "id-number"]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)

_DATA_PATH = Path(__file__).with_name("data") / "personal_data.json"


class Finding(NamedTuple):
    """One piece of personal data: its kind and the span ``text[start:end]``.

    A named tuple, not a frozen dataclass: as immutable, and made at half the cost on the
    path of every post with data."""

    kind: Kind
    start: int
    end: int


# ``new_finding(Finding, (kind, start, end))``: the named tuple without its Python-level
# ``__new__`` (half the cost; the scan makes one per finding)
new_finding: Final = tuple.__new__


def _load_words() -> dict[str, object]:
    data: dict[str, object] = json.loads(_DATA_PATH.read_text(encoding="utf-8"))
    return data


def _strings(name: str) -> tuple[str, ...]:
    value = _WORDS[name]
    assert isinstance(value, list)
    return tuple(str(item) for item in value)


_WORDS = _load_words()
STREET_SUFFIXES: Final = tuple(sorted(set(_strings("street_suffixes")), key=len, reverse=True))
STREET_TYPE_WORDS: Final = frozenset(_strings("street_type_words"))
STREET_NOT: Final = frozenset(_strings("street_not"))
STREET_TYPE_FIRST_LOWER: Final = _strings("street_type_first_lower")
NAME_ABBREVIATIONS: Final = frozenset(_strings("name_abbreviations"))
NAME_PARTICLES: Final = frozenset(_strings("name_particles"))
HOUSE_NUMBER_UNITS: Final = frozenset(_strings("house_number_units"))
EMAIL_TLDS: Final = frozenset(_strings("email_tlds"))
EMAIL_PROVIDERS: Final = frozenset(_strings("email_providers"))
AT_WORD_NOT_LOCAL: Final = frozenset(_strings("at_word_not_local"))
LOCATION_LINK_MARKERS: Final = _strings("location_link_markers")
COORDINATE_MATH_WORDS: Final = frozenset(_strings("coordinate_math_words"))
COORDINATE_CONTEXT_WORDS: Final = frozenset(_strings("coordinate_context_words"))
POSTCODE_NOT_LETTERS: Final = frozenset(_strings("postcode_not_letters"))
POSTCODE_SPACED_LOWER_NOT: Final = frozenset(_strings("postcode_spaced_lower_not_letters"))
_labels = _WORDS["mask_labels"]
assert isinstance(_labels, dict)
MASK_LABELS: Final[dict[str, str]] = {str(k): str(v) for k, v in _labels.items()}
assert set(MASK_LABELS) == set(KINDS), "mask_labels must name every kind"
MASK_LABELS_EN: Final[dict[str, str]] = {
    "phone": "phone number",
    "email": "e-mail address",
    "address": "address",
    "postcode": "postcode",
    "location-link": "location",
    "id-number": "number",
}
assert set(MASK_LABELS_EN) == set(KINDS), "an English mask label for every kind"

SPACE: Final = "[ \u00a0]"  # a space or a no-break space, in the patterns of every kind
DIGIT_RUN: Final = re.compile(r"[0-9]+")
STREET_TYPES_ENGLISH: Final = frozenset(_strings("street_types_english"))
NUMBER_FIRST_CUES: Final = frozenset(_strings("number_first_cues"))
_digit_words = _WORDS["digit_words"]
assert isinstance(_digit_words, dict)
_pairs = _WORDS["pair_words"]
assert isinstance(_pairs, dict)


def _pair_words(pairs: dict[str, dict[str, int]]) -> dict[str, str]:
    """Two-digit numbers as words ("zeventien", "twintig", "zevenentwintig", "tweeëntwintig"
    and as typed without the diaeresis): a spelled phone number said in pairs."""
    words = {w: str(n) for w, n in (*pairs["teens"].items(), *pairs["tens"].items())}
    for unit, u in pairs["units"].items():
        joins = ("ën", "en") if unit.endswith(("ee", "ie")) else ("en",)
        for tens, t in pairs["tens"].items():
            for join in joins:
                words[unit + join + tens] = str(t + u)
    return words


DIGIT_WORDS: Final[dict[str, str]] = {
    **{str(k): str(v) for k, v in _digit_words.items()},
    **_pair_words({k: v for k, v in _pairs.items() if isinstance(v, dict)}),
}
HOME_WORDS: Final = frozenset(_strings("home_words"))
PHONE_CUES: Final = _strings("phone_cues")
NUMBER_NOT_PHONE: Final = frozenset(_strings("number_not_phone"))
PHONE_CALL_CUES: Final = frozenset(_strings("phone_call_cues"))
STREET_TYPES_PUBLIC: Final = frozenset(_strings("street_types_public"))
