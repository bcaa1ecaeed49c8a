"""The heat rule's cheap paths give what the regexes give: the word-by-word screen of a plain
post (`rules_signals._plain_words`, `Lexicon.word_kinds`) and the compiled text score."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from compass_bot.features.heat.rules_lexicon import shipped_lexicon
from compass_bot.features.heat.rules_model import shipped_model, text_features
from compass_bot.features.heat.rules_signals import (
    _plain_words,
    _screened,
    _screened_by_regex,
    signals_of,
)

ROOT = Path(__file__).resolve().parents[1]
LEXICON_FILE = ROOT / "compass_bot" / "features" / "heat" / "data" / "heat_lexicon.json"
_WORD = re.compile(r"[a-z]+")


def _lexicon_words() -> list[str]:
    """Words and phrases of the shipped lexicon, as a writer would type them."""
    doc = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    words = [w.rstrip("*") for w in doc["laugh"]["words"] + doc["second_person"]]
    for entry in doc["terms"]:
        for pattern in entry["patterns"]:
            for token in pattern.split():
                if token not in ("~", "~~") and not token.startswith("$"):
                    words.append(token.rstrip("?").split("|")[0].split("+")[0].rstrip("*"))
    words += doc["allow"]
    return sorted({w for w in words if w})


def _fragments() -> list[str]:
    plain = [
        "ik",
        "ga",
        "zo",
        "naar",
        "huis",
        "heeft",
        "iemand",
        "de",
        "huiswerk",
        "toets",
        "morgen",
        "ok",
        "nog",
        "heb",
        "lekker",
    ]
    signs = [*list(" .,?!:;\"()-'@$*#/_|+&"), "  ", "!!", "...", "\n", "1", "4", "0", "3"]
    letters = [*list("kutaeiou"), "HAHA", "JIJ", "Ok", "é", "😂", "🤡", "<@12>", ":p", "xd"]
    return plain + signs + letters + _lexicon_words()


def test_the_word_screen_reads_every_post_as_the_regex_screen_does() -> None:
    """Random posts of lexicon words and phrases, plain words, single letters (spaced-letter
    disguises), leet digits and signs, separators, emoji: the same reading, and the same words
    for the model."""
    lexicon = shipped_lexicon()
    fragments = _fragments()
    rng = random.Random(23)
    seen_words = 0
    for _ in range(6000):
        parts = [rng.choice(fragments) for _ in range(rng.randint(1, 9))]
        glue = rng.choice([" ", " ", "", ", ", "! "])
        text = glue.join(parts)
        got, got_words = _screened(text, lexicon)
        want, want_plain = _screened_by_regex(text, lexicon)
        assert got == want, text
        if isinstance(got_words, list):
            seen_words += 1
            assert isinstance(want_plain, str), text
            assert got_words == _WORD.findall(want_plain), text
    assert seen_words > 300  # the word path was taken


@pytest.mark.parametrize(
    "text",
    [
        "k u t toets",  # spaced letters
        "k.u.t",
        "wat een 1diot",  # leet digit
        "k!nker",  # "!" before a letter
        "k@nker",
        "f#ck",
        "you're done",  # apostrophe
        "lol :p",  # a laugh made of signs
        "hé jij",  # not ASCII
    ],
)
def test_a_post_with_a_disguise_sign_or_phrase_is_left_to_the_regexes(text: str) -> None:
    lexicon = shipped_lexicon()
    words = _plain_words(text.lower(), lexicon.separators)
    leaves = words is None or not text.isascii()
    if not leaves:
        assert words is not None
        leaves = any(lexicon.leads.match(w) for w in words)
    assert leaves
    assert _screened(text, lexicon)[0] == _screened_by_regex(text, lexicon)[0]


@pytest.mark.parametrize(
    ("text", "laugh"),
    [
        ("lig dubbel", True),
        ("nee ik lig dubbel", True),
        ("ik lig   dubbel", True),
        ("lig, dubbel", False),  # a phrase is written with spaces
        ("lig dubbel?", True),
        ("ik lig op bed", False),
        ("ik ga naar huis", False),
    ],
)
def test_a_laughing_phrase_is_read_on_the_word_path(text: str, laugh: bool) -> None:
    lexicon = shipped_lexicon()
    signals, words = _screened(text, lexicon)
    assert isinstance(words, list)
    assert signals.laugh is laugh
    assert signals == _screened_by_regex(text, lexicon)[0]


def test_a_plain_post_is_split_into_its_words() -> None:
    lexicon = shipped_lexicon()
    text = "Heeft iemand de huiswerkopdracht al af? (morgen, 3e uur) -- ja!"
    assert _plain_words(text.lower(), lexicon.separators) is None  # a digit
    text = "Heeft iemand de huiswerkopdracht al af? (morgen, in de les) -- ja!"
    words = [
        "heeft",
        "iemand",
        "de",
        "huiswerkopdracht",
        "al",
        "af",
        "morgen",
        "in",
        "de",
        "les",
        "ja",
    ]
    assert _plain_words(text.lower(), lexicon.separators) == words
    assert _screened(text, lexicon)[1] == words


def test_the_word_kinds_cache_is_bounded() -> None:
    from compass_bot.features.heat.rules_lexicon import WORD_CACHE, load_lexicon

    lexicon = load_lexicon()
    for i in range(WORD_CACHE + 30):
        word = f"zq{i:x}".translate(str.maketrans("0123456789", "ghijklmnop"))
        assert lexicon.word_kinds([word]) == {0}
    assert len(lexicon._kinds) <= WORD_CACHE


def test_the_compiled_score_of_words_equals_the_feature_score() -> None:
    """Word salad from the model's vocabulary (bigrams, letter grams shared by two words,
    repeated words and letters) and unknown words: the words path, the lower-cased text path
    and the features give the same number."""
    model = shipped_model()
    assert model.enabled
    vocabulary = sorted(w[2:] for w in model.weights if w.startswith("w:"))
    pairs = sorted(w[2:].split("_") for w in model.weights if w.startswith("b:"))
    rng = random.Random(5)
    for _ in range(1500):
        words: list[str] = []
        for _ in range(rng.randint(0, 8)):
            pick = rng.random()
            if pick < 0.3:
                words.extend(rng.choice(pairs))
            elif pick < 0.8:
                words.append(rng.choice(vocabulary))
            elif pick < 0.9 and words:
                words.append(rng.choice(words))
            else:
                words.append("".join(rng.choice("aeklmnorst") for _ in range(rng.randint(2, 9))))
        words = [w.replace("e", "ee") if rng.random() < 0.1 else w for w in words]
        text = rng.choice([" ", ", ", "? "]).join(words)
        lexical = signals_of(text)
        expected = model.score(text_features(text, lexical))
        assert model.text_score(text, lexical, words) == pytest.approx(expected, abs=1e-9), text
        assert model.text_score(text, lexical, text) == pytest.approx(expected, abs=1e-9), text
        assert model.text_score(text, lexical) == pytest.approx(expected, abs=1e-9), text
