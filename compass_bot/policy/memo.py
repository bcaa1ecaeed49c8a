"""Per-word memory for pure functions of one word, kept out of the garbage collector's way.

`functools.lru_cache` keeps a linked list node (a list) per entry: in a bot that runs for
weeks a 65,536-entry cache is 65,536 more objects every full collection walks. A plain
dict of strings and tuples of strings adds one object, and it is emptied when full (the
words people use come back quickly).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def remembered(limit: int) -> Callable[[Callable[[K], V]], Callable[[K], V]]:
    """Remember a one-argument pure function's results, up to `limit` of them."""

    def wrap(function: Callable[[K], V]) -> Callable[[K], V]:
        cache: dict[K, V] = {}

        def cached(key: K) -> V:
            try:
                return cache[key]
            except KeyError:
                pass
            if len(cache) >= limit:
                cache.clear()
            value = cache[key] = function(key)
            return value

        cached.__doc__ = function.__doc__
        cached.__name__ = function.__name__
        cached.__wrapped__ = function  # type: ignore[attr-defined]
        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached

    return wrap
