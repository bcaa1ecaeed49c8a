"""The letter-gram index: grams, cosine behaviour, the per-word cache."""

from __future__ import annotations

import math

import pytest

from compass_bot.policy.spelling import SpellingIndex, grams


def test_grams_are_padded_four_letter_pieces() -> None:
    assert grams("snap") == (" sna", "snap", "nap ")
    assert grams("ik") == (" ik ",)
    assert grams("") == ("  ",)


def _cosines(index: SpellingIndex, words: list[str]) -> list[float]:
    dots, norm = index.dot_products(words)
    return [dot / norm if norm else 0.0 for dot in dots]


@pytest.fixture()
def index() -> SpellingIndex:
    return SpellingIndex(
        [("instagram", "pauze"), ("locatie", "delen"), ("huiswerk", "wiskunde"), ("wifi",)],
        max_df=1.0,
    )


def test_the_same_words_have_cosine_one(index: SpellingIndex) -> None:
    cos = _cosines(index, ["locatie", "delen"])
    assert math.isclose(cos[1], 1.0)
    assert cos[0] == cos[2] == 0.0


def test_a_misspelling_still_looks_like_its_word(index: SpellingIndex) -> None:
    cos = _cosines(index, ["instagarm", "pauzze"])
    assert cos[0] > 0.3
    assert cos[0] == max(cos)


def test_words_no_example_has_give_nothing(index: SpellingIndex) -> None:
    dots, norm = index.dot_products(["xyzzy", "qwerty"])
    assert dots == [0.0, 0.0, 0.0, 0.0]
    assert norm == 0.0


def test_repeated_words_count_once_and_the_cache_gives_the_same_answer(
    index: SpellingIndex,
) -> None:
    first = index.dot_products(["wiskunde", "huiswerk"])
    again = index.dot_products(["wiskunde", "huiswerk", "wiskunde"])
    assert first == again


def test_common_grams_are_left_out() -> None:
    """A gram in more than max_df of the examples weighs little and costs the most."""
    index = SpellingIndex([("post",), ("post", "foto"), ("post", "les")], max_df=0.5)
    dots, norm = index.dot_products(["post"])
    assert norm == 0.0 and dots == [0.0, 0.0, 0.0]
    dots, _ = index.dot_products(["foto"])
    assert dots[1] > 0.0
