"""The erasure summary both fronts reply with (`/privacy wissen`): one home for its words."""

from __future__ import annotations

from collections.abc import Mapping

from compass_bot.registry import FEATURES
from compass_bot.texts import counted


def erased_labels() -> dict[str, str]:
    """Each feature's Dutch words for its erased rows, by table."""
    return {table: label for f in FEATURES for table, label in f.erased_labels.items()}


def erased_labels_en() -> dict[str, str]:
    """Each feature's English words for its erased rows, by table (some have none)."""
    return {table: label for f in FEATURES for table, label in f.erased_labels_en.items()}


def erased_summary(who: str, counts: Mapping[str, int]) -> str:
    """What was erased, Dutch then English, in each feature's own words: only what there
    was (a list of zeros reads as if something happened), or one line saying nothing was
    kept. A feature without English words for a table is named in its Dutch ones. `who`
    is the front's name for the member (the console's label, Discord's `<@id>`)."""
    erased = [(table, n) for table, n in counts.items() if n]
    if not erased:
        return f"Over {who} was niets bewaard. / Nothing was stored about {who}."
    nl, en = erased_labels(), erased_labels_en()
    dutch = ", ".join(counted(n, nl.get(table, table)) for table, n in erased)
    english = ", ".join(counted(n, en.get(table) or nl.get(table, table)) for table, n in erased)
    return f"Alles over {who} gewist: {dutch}.\nEverything about {who} erased: {english}."
