"""A permission the bot lacks is said in the log once per place, not once per event: without
Manage Messages every lesson-time post would repeat the same line, burying the rest."""

from __future__ import annotations


class SaidOnce:
    """The places (channel or server ids) where a missing permission was already logged.

    `first` is true the first time a place is refused; `back` forgets it once the bot could
    act there again, so a permission that is taken away later is said again."""

    def __init__(self) -> None:
        self._said: set[int] = set()

    def first(self, place: int) -> bool:
        if place in self._said:
            return False
        self._said.add(place)
        return True

    def back(self, place: int) -> None:
        self._said.discard(place)
