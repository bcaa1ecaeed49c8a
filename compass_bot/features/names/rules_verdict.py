"""The name rule's verdict: reason codes, disguises and their Dutch explanations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, get_args

CLAUSE_ID: Final = "aanwijzing-2"

Disguise = Literal[
    "leetspeak",
    "homoglyph",
    "stylized",
    "accents",
    "separators",
    "invisible",
    "repeated-letters",
    "missing-letter",
    "swapped-letters",
    "reversed",
    "respelled",
]

NameReason = Literal[
    "plain",
    Disguise,
    "disguised",
    "uncertain-variant",
    "uncertain-split",
    "approved",
    "allowed-word",
    "no-match",
]

REASONS: Final[tuple[NameReason, ...]] = get_args(NameReason)

# the order disguises are named in an explanation
_DISGUISE_ORDER: Final[tuple[Disguise, ...]] = (
    "leetspeak",
    "homoglyph",
    "stylized",
    "accents",
    "separators",
    "invisible",
    "repeated-letters",
    "missing-letter",
    "swapped-letters",
    "reversed",
    "respelled",
)

_DISGUISE_NL: Final[dict[Disguise, str]] = {
    "leetspeak": "cijfers of tekens in plaats van letters",
    "homoglyph": "letters uit een ander schrift of tekens die op letters lijken",
    "stylized": "sierletters (brede, vette, schuine of omcirkelde letters)",
    "accents": "accenten of andere tekens op de letters",
    "separators": "spaties of tekens tussen de letters",
    "invisible": "onzichtbare tekens",
    "repeated-letters": "dubbele letters",
    "missing-letter": "een weggelaten letter",
    "swapped-letters": "twee omgewisselde letters",
    "reversed": "achterstevoren geschreven letters",
    "respelled": "een andere spelling met een K (Kompass, of Kompas naast een woord over school)",
}
_RTL_NL: Final = "achterstevoren geschreven tekst die een onzichtbaar teken omdraait"
_FLIPPED_NL: Final = "op hun kop gezette of gespiegelde letters"

VARIANT_NL: Final[dict[str, str]] = {
    "k": "met een K in plaats van de C",
    "missing": "met een ontbrekende letter",
    "other": "met één andere letter of een ander teken",
    "swapped": "met twee omgewisselde letters",
    "z": "met een z in plaats van een s",
}

EXPLAIN_NO_MATCH: Final = "De naam bevat 'Compass' niet."
EXPLAIN_APPROVED: Final = "De schoolleiding heeft deze naam goedgekeurd."
EXPLAIN_SPLIT: Final = (
    "De letters van 'Compass' staan alleen verspreid over verschillende woorden; dat kan toeval "
    "zijn, een moderator beslist."
)


@dataclass(frozen=True, slots=True)
class NameVerdict:
    name: str
    """The name as given."""
    flagged: bool
    """The name clearly breaks the rule."""
    uncertain: bool
    """The rule can't tell: a moderator decides (``flagged`` is False then)."""
    matched: str | None
    """The part of the original name that spelled Compass; None if nothing matched."""
    span: tuple[int, int] | None
    """[start, end) of ``matched`` in ``name``."""
    reason: NameReason
    """A short stable code; see the module docstring."""
    explanation: str
    """One Dutch sentence for moderators and members."""
    clause_id: str = CLAUSE_ID
    disguises: tuple[Disguise, ...] = ()
    """Every disguise seen in ``matched`` (in a fixed order); empty for a plain match."""


def in_order(disguises: Iterable[Disguise]) -> tuple[Disguise, ...]:
    present = set(disguises)
    return tuple(d for d in _DISGUISE_ORDER if d in present)


def reason_for(disguises: tuple[Disguise, ...]) -> NameReason:
    if not disguises:
        return "plain"
    if len(disguises) == 1:
        return disguises[0]
    return "disguised"


def explain_flagged(
    disguises: tuple[Disguise, ...], *, rtl: bool = False, flipped: bool = False
) -> str:
    """`rtl`: reversed by a right-to-left override; `flipped`: the look-alikes are turned or
    mirrored letters."""
    if not disguises:
        return "De naam bevat 'Compass'."
    words = dict(_DISGUISE_NL)
    if rtl:
        words["reversed"] = _RTL_NL
    if flipped:
        words["homoglyph"] = _FLIPPED_NL
    parts = [words[d] for d in disguises]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
    return f"De naam bevat 'Compass', vermomd met {listed}."
