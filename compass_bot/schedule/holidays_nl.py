"""Dutch public holidays and school vacations from the `holidays` package, in Dutch and English."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Final

import holidays

REGION_SUBDIV: Final = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}

_KNOWN_NAME_YEARS: Final = range(2024, 2031)  # includes lustrum years (Bevrijdingsdag)


@lru_cache(maxsize=64)
def package_days(
    years: tuple[int, ...], category: str, subdiv: str | None
) -> dict[date, tuple[tuple[str, str], ...]]:
    """date -> ((Dutch name, English name), ...) for one holidays category."""
    names: dict[str, dict[date, list[str]]] = {}
    for language in ("nl", "en_US"):
        calendar = holidays.country_holidays(
            "NL", subdiv=subdiv, years=years, categories=(category,), language=language
        )
        names[language] = {day: calendar.get_list(day) for day in calendar}
    out: dict[date, tuple[tuple[str, str], ...]] = {}
    for day, dutch in names["nl"].items():
        english = names["en_US"].get(day, [])
        if len(english) != len(dutch):  # should not happen; keep the Dutch names usable
            english = dutch
        out[day] = tuple(zip(dutch, english, strict=True))
    return out


@lru_cache(maxsize=1)
def known_holiday_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """(casefolded Dutch and English names, Dutch names) of public holidays and vacations."""
    years = tuple(_KNOWN_NAME_YEARS)
    known: set[str] = set()
    dutch: dict[str, None] = {}
    for category, subdiv in ((holidays.PUBLIC, None), (holidays.SCHOOL, "Midden")):
        for _, pairs in sorted(package_days(years, category, subdiv).items()):
            for nl, en in pairs:
                known.update((nl.casefold(), en.casefold()))
                dutch.setdefault(nl, None)
    return frozenset(known), tuple(dutch)
