"""The `automod:` section: which clause each AutoMod rule cites, and what `automod sync` puts
into Discord's AutoMod."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from compass_bot.features.automod.rules import DEFAULT_CLAUSE, DEFAULT_NAME_KEYWORDS, MAX_KEYWORD
from compass_bot.inputs import StrictBool
from compass_bot.policy import CLAUSE_IDS
from compass_bot.sections import Section, Words


def _keys_as_text(value: Any) -> Any:
    """YAML reads a rule id as a number; ids and names are compared as text."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


def _known_clause(value: str) -> str:
    if value not in CLAUSE_IDS:
        raise ValueError(
            f"unknown clause id {value!r} (the protocol's ids: {', '.join(CLAUSE_IDS)})"
        )
    return value


class AutoModSettings(Section):
    # Invite with Manage Server, which Discord requires to send AutoMod hits and to sync rules.
    enabled: StrictBool = False
    # AutoMod rule name or id -> the protocol clause its alerts cite; others cite default_clause.
    rules: Annotated[dict[str, str], BeforeValidator(_keys_as_text)] = Field(default_factory=dict)
    default_clause: str = DEFAULT_CLAUSE
    # `automod sync`: the school's name in names ("*" = any letters around it).
    name_keywords: Words = Field(default_factory=lambda: list(DEFAULT_NAME_KEYWORDS))

    @field_validator("rules")
    @classmethod
    def _clauses(cls, value: dict[str, str]) -> dict[str, str]:
        for clause in value.values():
            _known_clause(clause)
        return value

    @field_validator("default_clause")
    @classmethod
    def _default(cls, value: str) -> str:
        return _known_clause(value)

    @field_validator("name_keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        for word in value:
            if not word.strip() or len(word) > MAX_KEYWORD:
                raise ValueError(f"keyword {word!r} must be 1 to {MAX_KEYWORD} characters")
        return value
