"""The service's reading of a post (`rules_post.read_post`): `read`'s answer, and the language of
the post's `[a-z']+` words, from one pass over a plain post's words (`PostReader`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from compass_bot.features.heat.rules import read
from compass_bot.features.heat.rules_lexicon import shipped_lexicon
from compass_bot.features.heat.rules_model import OFF, shipped_model
from compass_bot.features.heat.rules_post import CACHE_WORDS, PostReader, read_post
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


def test_read_post_reads_as_read_and_gives_the_language_of_its_words() -> None:
    english = 0
    for text in _texts():
        signals, said, language = read_post(text)
        assert (signals, said) == read(text), text
        assert language == detect_language(_WORDS.findall(text.lower())), text
        english += language == "en"
    assert 0 < english < len(_texts())  # both languages were met


def test_read_post_is_the_same_a_second_time_and_after_its_word_cache_turned_over() -> None:
    """The per-word entries are a cache: a word's second reading, and one after the cache
    dropped it, give the same answer."""
    texts = _texts()
    first = [read_post(text) for text in texts]
    fresh = PostReader(shipped_lexicon(), shipped_model())
    assert [fresh.read(text) for text in texts] == first
    filler = [
        f"woord{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(5000)
    ]
    for start in range(0, len(filler), 8):
        fresh.read(" ".join(filler[start : start + 8]))
    assert len(fresh._words) <= CACHE_WORDS
    assert [fresh.read(text) for text in texts] == first


def test_read_post_without_a_model_scores_nothing() -> None:
    signals, said, language = read_post("heeft iemand de huiswerkopdracht al af?", model=OFF)
    assert said is None and language == "nl"
    assert (signals, said) == read("heeft iemand de huiswerkopdracht al af?", model=OFF)
    assert read_post("is this the homework for today", model=OFF)[2] == "en"
