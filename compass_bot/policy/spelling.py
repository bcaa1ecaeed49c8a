"""How much a question *looks like* each clause's examples, letter by letter.

The concept index (matcher.py) compares meanings: words mapped to concepts and stems.
It misses what its lexicon does not know: a word it has no concept for, a compound or
spelling it cannot split, an English word beside its Dutch cousin ("consequences" and
"consequenties"). This index compares the letters instead: every content word becomes
its padded 4-letter grams (" snap", "snap", "nap ", ...) weighted by inverse example
frequency, and a question is compared (cosine) with every example. Both views are
blended in `Matcher.scores`; cross-validation and an unseen question set both gained
from the blend (benchmarks/qa.py --cv, matcher.py docstring).

Speed: a question's dot products are the sum of its words' contributions, and a word's
contribution to every example is computed once and cached, so a question made of words
seen before costs a few list additions per word.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from compass_bot.policy.ranking import posting_views

GRAM = 4
_CACHE_LIMIT = 50_000


def grams(word: str) -> tuple[str, ...]:
    """The padded 4-letter grams of a word; a short word is one padded gram ("ik" -> " ik ")."""
    padded = f" {word} "
    if len(padded) <= GRAM:
        return (padded,)
    return tuple(padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1))


class SpellingIndex:
    """Letter-gram cosine between a question and each indexed example."""

    def __init__(self, entries: Sequence[Iterable[str]], max_df: float = 0.2) -> None:
        """`entries`: the content words of each example, in the matcher's entry order."""
        bags: list[set[str]] = [{g for word in words for g in grams(word)} for words in entries]
        df: dict[str, int] = {}
        for bag in bags:
            for gram in bag:
                df[gram] = df.get(gram, 0) + 1
        n = len(bags)
        self._idf = {
            gram: math.log(n / count) + 1.0 for gram, count in df.items() if count <= max_df * n
        }
        postings: dict[str, list[tuple[int, float]]] = {}
        for idx, bag in enumerate(bags):
            bag &= self._idf.keys()
            norm = math.sqrt(sum(self._idf[g] ** 2 for g in bag)) or 1.0
            for gram in bag:
                postings.setdefault(gram, []).append((idx, self._idf[gram] / norm))
        # a gram's postings are views made once, each share scaled by the gram's idf (the
        # same product a question's word computed gram by gram): a new word costs slices;
        # and per gram its idf squared
        views = posting_views(postings, self._idf)
        self._grams = {
            gram: (entries, shares, self._idf[gram] * self._idf[gram])
            for gram, (entries, shares) in views.items()
        }
        self._n = n
        self._word_cache: dict[
            str, tuple[float, npt.NDArray[np.intp], npt.NDArray[np.float64]]
        ] = {}

    def _word(self, word: str) -> tuple[float, npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """(squared weight of the word's known grams, its dot-product share per example).

        Grams no example has are left out of the question's length too: a typo costs
        the grams it breaks, not more."""
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        sq = 0.0
        entries: list[npt.NDArray[np.intp]] = []
        shares: list[npt.NDArray[np.float64]] = []
        for gram in set(grams(word)):
            posting = self._grams.get(gram)
            if posting is None:
                continue
            gram_entries, gram_shares, idf_sq = posting
            sq += idf_sq
            entries.append(gram_entries)
            shares.append(gram_shares)
        if entries:
            dense = np.bincount(np.concatenate(entries), np.concatenate(shares), minlength=self._n)
            found = np.flatnonzero(dense)
            result = (sq, found, dense[found].astype(np.float64))
        else:
            result = (sq, np.zeros(0, dtype=np.intp), np.zeros(0))
        if len(self._word_cache) >= _CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[word] = result
        return result

    def dot_products(self, words: Iterable[str]) -> tuple[list[float], float]:
        """Dot products of the question's words with every example (in entry order), and
        the question's norm: dot / norm is the cosine (0..1). Kept apart so that a caller
        who only needs the best few divides a few numbers, not all of them."""
        dots, norm = self.dot_array(words)
        products: list[float] = dots.tolist()
        return products, norm

    def dot_array(self, words: Iterable[str]) -> tuple[npt.NDArray[np.float64], float]:
        """`dot_products` as a numpy array (one bincount over the words' cached shares)."""
        sq = 0.0
        entries: list[npt.NDArray[np.intp]] = []
        shares: list[npt.NDArray[np.float64]] = []
        for word in dict.fromkeys(words):
            word_sq, word_entries, word_shares = self._word(word)
            sq += word_sq
            entries.append(word_entries)
            shares.append(word_shares)
        if not entries:
            return np.zeros(self._n), 0.0
        dots = np.bincount(np.concatenate(entries), np.concatenate(shares), minlength=self._n)
        return dots.astype(np.float64), math.sqrt(sq)
