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


# Discord's /privacy wissen without a member or with an id that is none.
PICK_A_MEMBER = (
    "Kies een lid, of geef het id van een lid (15 tot 20 cijfers). / "
    "Pick a member, or give the id of a member (15 to 20 digits)."
)
# What an erased member's alert message in the moderators' channel becomes.
ERASED_TITLE = "Melding #{alert_id} gewist / Alert #{alert_id} erased"
ERASED_BY = (
    "Gewist op verzoek (privacy) door <@{by}> om {when}. / "
    "Erased on request (privacy) by <@{by}> at {when}."
)

OPEN = ".open"  # a hook's `TABLE.open`: how many of TABLE's erased rows were still open


def _still_open(n: int, total: int) -> tuple[str, str]:
    """The part of an erased count that was still open (unhandled), Dutch and English."""
    if n == total:
        return ("nog open", "still open") if n == 1 else ("alle nog open", "all still open")
    return f"waarvan {n} nog open", f"{n} of them still open"


def erased_summary(who: str, counts: Mapping[str, int]) -> str:
    """What was erased, Dutch then English, in each feature's own words: only what there
    was (a list of zeros reads as if something happened), or one line saying nothing was
    kept. A count `TABLE.open` (rows that were still open, e.g. unhandled alerts) follows
    TABLE's, so a moderator knows open cases went too. A feature without English words for
    a table is named in its Dutch ones. `who` is the front's name for the member (the
    console's label, Discord's `<@id>`)."""
    erased = [(table, n) for table, n in counts.items() if n and not table.endswith(OPEN)]
    if not erased:
        return f"Over {who} was niets bewaard. / Nothing was stored about {who}."
    nl, en = erased_labels(), erased_labels_en()
    dutch, english = [], []
    for table, n in erased:
        nl_part = counted(n, nl.get(table, table))
        en_part = counted(n, en.get(table) or nl.get(table, table))
        if still_open := counts.get(table + OPEN, 0):
            nl_open, en_open = _still_open(still_open, n)
            nl_part, en_part = f"{nl_part} ({nl_open})", f"{en_part} ({en_open})"
        dutch.append(nl_part)
        english.append(en_part)
    return (
        f"Alles over {who} gewist: {', '.join(dutch)}.\n"
        f"Everything about {who} erased: {', '.join(english)}."
    )
