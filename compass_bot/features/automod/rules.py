"""Which clause an AutoMod hit cites, what its alert says, and the rules `automod sync` keeps.

Pure: no discord, no store, no clock. The rule bodies are plain data in Discord's JSON shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

DEFAULT_CLAUSE: Final = "aanwijzing-9"
NAME_CLAUSE: Final = "aanwijzing-2"
DATA_CLAUSE: Final = "aanwijzing-6"

# Discord's documented AutoMod limits (docs "Auto Moderation", "Trigger Metadata").
MAX_BLOCK_MESSAGE: Final = 150
MAX_KEYWORD: Final = 60
MAX_KEYWORDS: Final = 1000
MAX_ALLOW_LIST: Final = 100
MAX_REGEX: Final = 260
MAX_REGEXES: Final = 10
MAX_RULE_NAME: Final = 100

TRIGGER_KEYWORD: Final = 1
TRIGGER_MEMBER_PROFILE: Final = 6
EVENT_MESSAGE_SEND: Final = 1
EVENT_MEMBER_UPDATE: Final = 2
ACTION_BLOCK_MESSAGE: Final = 1
ACTION_BLOCK_MEMBER_INTERACTION: Final = 4

NAME_RULE: Final = "Compass in een naam (aanwijzing-2)"
PHONE_RULE: Final = "Telefoonnummers (aanwijzing-6)"
ADDRESS_RULE: Final = "Adressen (aanwijzing-6)"

# The school's name as plainly written, anywhere in a name ("*" = any letters around it).
DEFAULT_NAME_KEYWORDS: Final = ("*compass*",)

# A Dutch phone number: 0 (or +31 / 0031) and nine digits, spaces or dashes between them.
PHONE_PATTERNS: Final = (r"(?:\+31|0031|\b0)[ -]?(?:\(0\))?[1-9](?:[ -]?[0-9]){8}\b",)
# A street with a house number, and a postcode (four digits, two capitals; not SA, SD, SS).
ADDRESS_PATTERNS: Final = (
    r"\b\w+(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|dijk|hof)\s+[0-9]{1,4}\s?[a-z]?\b",
    r"\b[1-9][0-9]{3} ?(?-i:[A-RT-Z][A-Z]|S[BCE-RT-Z])\b",
)

BLOCK_MESSAGE: Final = (
    "Niet gepost: dit lijkt een telefoonnummer of adres. Deel geen gegevens van jezelf of "
    "anderen (protocol, aanwijzing-6)."
)


def rule_key(ref: int | str) -> str:
    """A rule name or id as compared: ids as digits, names case-folded."""
    return str(ref).strip().casefold()


def clause_for(
    rule_id: int, rule_name: str | None, mapping: Mapping[str, str], default: str
) -> str:
    """The clause an AutoMod hit cites: by the rule's id, else its name, else the default."""
    keyed = {rule_key(k): v for k, v in mapping.items()}
    for ref in (rule_id, rule_name):
        if ref is not None and rule_key(ref) in keyed:
            return keyed[rule_key(ref)]
    return default


def detail_text(rule_name: str | None, rule_id: int, keyword: str | None) -> str:
    """The alert's reason: the rule and what of the rule matched (never the message)."""
    name = rule_name or f"regel {rule_id}"
    return f"AutoMod: {name}, gevonden: {keyword or '?'}"


@dataclass(frozen=True, slots=True)
class RuleBody:
    """An AutoMod rule as `automod sync` wants it (found again by its name)."""

    name: str
    trigger_type: int
    event_type: int
    keyword_filter: tuple[str, ...] = ()
    regex_patterns: tuple[str, ...] = ()
    allow_list: tuple[str, ...] = ()
    actions: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    def trigger_metadata(self) -> dict[str, list[str]]:
        meta: dict[str, list[str]] = {}
        if self.keyword_filter:
            meta["keyword_filter"] = list(self.keyword_filter)
        if self.regex_patterns:
            meta["regex_patterns"] = list(self.regex_patterns)
        if self.allow_list:
            meta["allow_list"] = list(self.allow_list)
        return meta


def _fits(words: Sequence[str], limit: int) -> tuple[str, ...]:
    """Words within AutoMod's length limit, without repeats, at most `limit` of them."""
    kept = dict.fromkeys(w.strip() for w in words if w.strip() and len(w.strip()) <= MAX_KEYWORD)
    return tuple(kept)[:limit]


def planned_rules(
    name_keywords: Sequence[str], allowed_words: Sequence[str], block_message: str = BLOCK_MESSAGE
) -> tuple[RuleBody, ...]:
    """The rules `automod sync` keeps: one MEMBER_PROFILE rule for the school's name, and a
    keyword/regex rule each for phone numbers and addresses that blocks the message."""
    if len(block_message) > MAX_BLOCK_MESSAGE:
        raise ValueError(f"the block message is longer than {MAX_BLOCK_MESSAGE} characters")
    block = ({"type": ACTION_BLOCK_MESSAGE, "metadata": {"custom_message": block_message}},)
    return (
        RuleBody(
            NAME_RULE,
            TRIGGER_MEMBER_PROFILE,
            EVENT_MEMBER_UPDATE,
            keyword_filter=_fits(name_keywords, MAX_KEYWORDS),
            allow_list=_fits(allowed_words, MAX_ALLOW_LIST),
            actions=({"type": ACTION_BLOCK_MEMBER_INTERACTION, "metadata": {}},),
        ),
        RuleBody(
            PHONE_RULE,
            TRIGGER_KEYWORD,
            EVENT_MESSAGE_SEND,
            regex_patterns=PHONE_PATTERNS,
            actions=block,
        ),
        RuleBody(
            ADDRESS_RULE,
            TRIGGER_KEYWORD,
            EVENT_MESSAGE_SEND,
            regex_patterns=ADDRESS_PATTERNS,
            actions=block,
        ),
    )


def default_mapping() -> dict[str, str]:
    """The rules `automod sync` makes cite their own clauses without any config."""
    return {
        rule_key(NAME_RULE): NAME_CLAUSE,
        rule_key(PHONE_RULE): DATA_CLAUSE,
        rule_key(ADDRESS_RULE): DATA_CLAUSE,
    }
