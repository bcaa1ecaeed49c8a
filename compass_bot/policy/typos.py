"""Typo correction towards the known vocabulary: "pauzze" -> "pauze", "acount" -> "account".

The normaliser (normalise.py) asks for a fix only for a word it could not read otherwise:
not a concept, not a known stem, not a compound. A real word of Dutch or English is never
"fixed" into another one (morphology.is_word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from compass_bot.policy.morphology import is_word

_TYPO_SIMILARITY = 80.0
_DOUBLED = re.compile(r"([a-z])\1")


class TypoFixer:
    """The known words by first letter, and the fixes found so far."""

    def __init__(self, known: set[str]) -> None:
        """`known`: the vocabulary (shared with the normaliser, which adds to it)."""
        self._known = known
        self._by_initial: dict[str, list[str]] = {}
        self._cache: dict[str, str | None] = {}

    def add_words(self, words: Iterable[str]) -> None:
        """Words a typo may be fixed towards (three letters or more, not numbers)."""
        for word in words:
            if len(word) >= 3 and not word.isdigit():
                self._by_initial.setdefault(word[0], []).append(word)
        self._cache.clear()

    def fix(self, token: str) -> str | None:
        """The known word that `token` is a typo of, if any.

        A typo fix must keep the first letter, be at most one edit away (two for words of
        six letters or more) and keep at least 80% of the letters in order (Indel
        similarity): "klagten" -> "klachten", but not "kauwen" -> "kansen".
        """
        if token in self._cache:
            return self._cache[token]
        result: str | None = None
        squeezed = _DOUBLED.sub(r"\1", token)
        if squeezed != token and squeezed in self._known:
            result = squeezed
        elif is_word(token):
            pass  # a word of the language, not a typo of another one
        else:
            limit = 1 if len(token) <= 5 else 2
            candidates = self._by_initial.get(token[0], ())
            for word, _, _ in process.extract(
                token, candidates, scorer=fuzz.ratio, score_cutoff=_TYPO_SIMILARITY, limit=3
            ):
                if OSA.distance(token, word, score_cutoff=limit) <= limit:
                    result = word
                    break
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[token] = result
        return result
