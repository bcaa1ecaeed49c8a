"""The analyser's memories of a reading per word (normalise.py), apart from its rules."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
PER_WORD_LIMIT = 20_000


class PerWord(Generic[_K, _V]):
    """One of the analyser's readings, remembered per word (key): the words people use come
    back quickly, so the memory is emptied when full instead of ordered. Kept on the
    analyser, not in a module-level `lru_cache`, because a reading depends on its lexicon."""

    __slots__ = ("_compute", "_found")

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        self._compute = compute
        self._found: dict[_K, _V] = {}

    def __call__(self, key: _K) -> _V:
        found = self._found
        try:
            return found[key]
        except KeyError:
            pass
        if len(found) > PER_WORD_LIMIT:
            found.clear()
        value = found[key] = self._compute(key)
        return value

    def clear(self) -> None:
        self._found.clear()
