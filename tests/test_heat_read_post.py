"""The service's reading of a post (`rules_post.read_post`): `read`'s answer, and the words the
reading made, which are the `[a-z']+` words the language guess needs (no second pass)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from compass_bot.features.heat.rules import read
from compass_bot.features.heat.rules_model import OFF
from compass_bot.features.heat.rules_post import read_post
from compass_bot.policy import detect_language

DEV = Path(__file__).parent / "data" / "heat_dev.jsonl"
_WORDS = re.compile(r"[a-z']+")
EDGES = [
    "heeft iemand de huiswerkopdracht al af?",
    "Heeft\tiemand   de SAMENVATTING?!",
    "WAT EEN TOETS",
    "i don't know what you mean",
    "om 12:15 in lokaal 2.14",
    "k u t toets",
    "k!nker vervelend",
    'café of niet... (ja) - nee; ok: "top"',
    "hahaha jij bent echt grappig 😂",
    "",
    "   ",
]


def _texts() -> list[str]:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return EDGES + [
        m["text"] for line in lines if line.strip() for m in json.loads(line)["messages"]
    ]


def test_read_post_reads_as_read_and_its_words_are_the_language_words() -> None:
    plain = 0
    for text in _texts():
        signals, said, words = read_post(text)
        assert (signals, said) == read(text), text
        if words is not None:
            plain += 1
            assert words == _WORDS.findall(text.lower()), text
            assert detect_language(words) == detect_language(_WORDS.findall(text.lower()))
    assert 100 < plain < len(_texts())  # both paths were taken


def test_read_post_without_a_model_scores_nothing() -> None:
    signals, said, words = read_post("heeft iemand de huiswerkopdracht al af?", model=OFF)
    assert said is None and words is not None
    assert (signals, said) == read("heeft iemand de huiswerkopdracht al af?", model=OFF)
