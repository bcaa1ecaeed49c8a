"""The AutoMod bridge's pure parts and its config section: which clause a hit cites, the
rule bodies `automod sync` sends (within Discord's limits), and the `automod:` validation."""

from __future__ import annotations

import re

import pytest

from compass_bot.config import ConfigError, parse_config
from compass_bot.features.automod.rules import (
    ADDRESS_PATTERNS,
    BLOCK_MESSAGE,
    MAX_ALLOW_LIST,
    MAX_BLOCK_MESSAGE,
    MAX_KEYWORD,
    MAX_REGEX,
    PHONE_PATTERNS,
    clause_for,
    detail_text,
    planned_rules,
)
from compass_bot.features.names.rules import DEFAULT_ALLOWED_WORDS
from tests.conftest import TEST_CONFIG


def test_clause_by_id_then_name_then_default() -> None:
    mapping = {"123": "aanwijzing-5", "scheldwoorden": "aanwijzing-7"}
    assert clause_for(123, "Scheldwoorden", mapping, "aanwijzing-9") == "aanwijzing-5"
    assert clause_for(9, "Scheldwoorden", mapping, "aanwijzing-9") == "aanwijzing-7"
    assert clause_for(9, None, mapping, "aanwijzing-9") == "aanwijzing-9"


def test_detail_names_the_rule_and_keyword_or_the_id() -> None:
    assert detail_text("Spam", 5, "*gratis*") == "AutoMod: Spam, gevonden: *gratis*"
    assert detail_text(None, 5, None) == "AutoMod: regel 5, gevonden: ?"


@pytest.mark.parametrize(
    "text",
    ["06 1234 5678", "06-12345678", "+31 6 12345678", "0031612345678", "bel 010-1234567 nu"],
)
def test_phone_patterns_find_dutch_numbers(text: str) -> None:
    assert any(re.search(p, text, re.IGNORECASE) for p in PHONE_PATTERNS)


@pytest.mark.parametrize("text", ["in 2026 was het leuk", "12345", "06 123", "score 3-0"])
def test_phone_patterns_leave_other_numbers(text: str) -> None:
    assert not any(re.search(p, text, re.IGNORECASE) for p in PHONE_PATTERNS)


@pytest.mark.parametrize("text", ["Dorpsstraat 12", "ik woon aan de Kerkweg 3a", "1234 AB"])
def test_address_patterns_find_streets_and_postcodes(text: str) -> None:
    assert any(re.search(p, text, re.IGNORECASE) for p in ADDRESS_PATTERNS)


@pytest.mark.parametrize("text", ["in 2024 en daarna", "de straat is leeg", "1234 SS"])
def test_address_patterns_leave_plain_text(text: str) -> None:
    assert not any(re.search(p, text, re.IGNORECASE) for p in ADDRESS_PATTERNS)


def test_planned_rules_stay_within_automod_limits() -> None:
    long_words = [*DEFAULT_ALLOWED_WORDS, "x" * (MAX_KEYWORD + 1), *(f"w{i}" for i in range(200))]
    name, phone, address = planned_rules(["*compass*", "*compass*"], long_words)
    assert name.keyword_filter == ("*compass*",)
    assert len(name.allow_list) == MAX_ALLOW_LIST
    assert all(len(w) <= MAX_KEYWORD for w in name.allow_list)
    assert [a["type"] for a in name.actions] == [4]
    for rule in (phone, address):
        assert rule.trigger_type == 1 and rule.event_type == 1
        assert all(len(p) <= MAX_REGEX for p in rule.regex_patterns)
        assert rule.actions[0]["metadata"]["custom_message"] == BLOCK_MESSAGE
    assert len(BLOCK_MESSAGE) <= MAX_BLOCK_MESSAGE
    with pytest.raises(ValueError, match="150"):
        planned_rules(["*compass*"], [], "x" * (MAX_BLOCK_MESSAGE + 1))


def test_config_maps_rule_ids_and_names_to_known_clauses() -> None:
    text = TEST_CONFIG + "automod:\n  rules:\n    123456: aanwijzing-5\n    Spam: aanwijzing-7\n"
    config = parse_config(text)
    assert config.automod.rules == {"123456": "aanwijzing-5", "Spam": "aanwijzing-7"}
    assert config.automod.default_clause == "aanwijzing-9"
    assert not config.automod.enabled


@pytest.mark.parametrize(
    "section",
    [
        "automod:\n  rules:\n    Spam: aanwijzing-99\n",
        "automod:\n  default_clause: nergens\n",
        "automod:\n  name_keywords: ['']\n",
        "automod:\n  typo: true\n",
    ],
)
def test_config_refuses_unknown_clauses_and_keys(section: str) -> None:
    with pytest.raises(ConfigError):
        parse_config(TEST_CONFIG + section)
