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
_REPEATS = re.compile(r"([a-z])\1+")


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
            # the regex screen gives the folded text when it read the post in full: the same
            # words once repeated letters are collapsed (as the model's score collapses them)
            assert [_REPEATS.sub(r"\1", w) for w in got_words] == [
                _REPEATS.sub(r"\1", w) for w in _WORD.findall(want_plain)
            ], text
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


def test_a_full_cache_never_drops_the_anchor_of_the_post_being_read() -> None:
    """The anchor word of a phrase ("wat is dit": an objection) the oldest in a full cache,
    read again beside a new word: the phrase is still found (it was dropped before the anchor
    check, and the post read as plain)."""
    from compass_bot.features.heat.rules_lexicon import WORD_CACHE, WORD_HOSTILE, load_lexicon

    lexicon = load_lexicon()
    words = ["wat", "is", "dit"]
    assert WORD_HOSTILE in lexicon.word_kinds(words)
    for i in range(WORD_CACHE - len(words)):
        word = f"zq{i:x}".translate(str.maketrans("0123456789", "ghijklmnop"))
        lexicon.word_kinds([word])
    assert len(lexicon._kinds) == WORD_CACHE and next(iter(lexicon._kinds)) == "wat"
    assert WORD_HOSTILE in lexicon.word_kinds([*words, "paardje"])
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
        # the shortcut the screen gives (its words, or the lower-cased text, only when folding
        # has nothing more to do: single letters "d a a" are spaced letters, folded together)
        given = _screened(text)[1]
        assert model.text_score(text, lexical, given) == pytest.approx(expected, abs=1e-9), text
        assert model.text_score(text, lexical) == pytest.approx(expected, abs=1e-9), text


def _pattern_words() -> list[str]:
    """Every word and phrase a pattern, allow entry or laugh may contain (sets expanded)."""
    doc = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    sets: dict[str, list[str]] = doc["sets"]
    texts = [p for entry in doc["terms"] for p in entry["patterns"]]
    texts += doc["allow"] + doc["laugh"]["words"] + doc["second_person"] + doc["intensifiers"]
    words: set[str] = set()
    for text in texts:
        for token in text.split():
            for part in token.rstrip("?").split("+"):
                for alt in part.split("|"):
                    for word in sets.get(alt[1:], []) if alt.startswith("$") else [alt]:
                        words.add(word.rstrip("*"))
    return sorted(w for w in words if w.isascii() and w.isalpha())


def test_a_plain_post_read_by_its_words_reads_as_the_full_read() -> None:
    """Posts made of the lexicon's own words (so most have every word of some pattern or allow
    entry, in any order), everyday words, stems going on and repeated letters: a post the
    pattern screen lets through on the word path reads exactly as the full fold and match."""
    from compass_bot.features.heat.rules_signals import _read

    lexicon = shipped_lexicon()
    assert lexicon.patterns is not None  # the build-time check passed for the shipped lexicon
    vocabulary = _pattern_words()
    everyday = ["niet", "wat", "wie", "ok", "maar", "vandaag", "huiswerk", "morgen", "ja"]
    rng = random.Random(31)
    on_words = 0
    for _ in range(8000):
        words = []
        for _ in range(rng.randint(1, 7)):
            word = rng.choice(vocabulary if rng.random() < 0.7 else everyday)
            if rng.random() < 0.1:
                word += rng.choice(["je", "s", "en", "haha"])  # a stem going on
            if rng.random() < 0.1:
                word = word[0] + word  # a repeated letter
            words.append(word)
        text = rng.choice([" ", " ", ", ", "? "]).join(words)
        signals, plain = _screened(text, lexicon)
        if isinstance(plain, list):
            on_words += 1
            assert signals == _read(text, lexicon)[0], text
    assert on_words > 1000


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("wat doe jij vandaag niet", False),  # everyday words: no pattern is complete
        ("maar wie heeft er morgen les", False),
        ("ok ik snap het niet", False),
        ("niemand vindt jou leuk", True),  # every word of 'niemand ~~ je|jou|...' is there
        ("jij kan het", True),  # an allow entry that covers an address word: read in full
        ("ik ga dood", True),  # one that covers a laugh
    ],
)
def test_a_plain_post_is_read_in_full_only_when_a_pattern_may_match(
    text: str, full: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compass_bot.features.heat import rules_signals

    reads: list[str] = []
    real = rules_signals._read

    def counted(text: str, lexicon: object = None) -> object:
        reads.append(text)
        return real(text, shipped_lexicon())

    monkeypatch.setattr(rules_signals, "_read", counted)
    signals, _ = _screened(text, shipped_lexicon())
    assert bool(reads) is full
    assert signals == real(text, shipped_lexicon())[0]


def test_the_pattern_screen_gives_way_when_it_cannot_be_exact() -> None:
    """An address word that starts a laugh, or a pattern with nothing to screen it by: no
    pattern screen (the needed words screen the word path, as before)."""
    from compass_bot.features.heat.rules_lexicon import _COMMON
    from compass_bot.features.heat.rules_screen import build

    assert build(["jij bent dom"], [], ["jij lacht"], ["jij"], [], {}, _COMMON) is None
    assert build(["~~ a-b"[3:]], [], [], ["jij"], [], {}, _COMMON) is None
    screen = build(["jij bent dom"], ["jij kan het"], ["haha*"], ["jij"], [], {}, _COMMON)
    assert screen is not None
    assert screen.may_match(["dom", "bent", "jij"])  # any order: a necessary condition
    assert not screen.may_match(["jij", "bent", "lief"])
    assert screen.may_match(["jij", "kan", "het"])  # the allow entry covers "jij"
    assert screen.may_match(["jiij", "beent", "doom"])  # repeated letters fold


def test_every_bucket_of_the_shipped_lexicon_compiles() -> None:
    """The buckets compile when a post first needs one (not at every start), so a pattern that
    is no regex must fail here, not on a member's post."""
    buckets = shipped_lexicon().buckets
    assert len(buckets) > 100
    for key in buckets:
        bucket = buckets.get(key)
        assert bucket is not None and bucket.pattern
    assert buckets.get("no key of the lexicon") is None
