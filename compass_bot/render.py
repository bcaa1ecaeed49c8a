"""Plain-text rendering for the command line and the console front end.

The Discord front end renders the same results as embeds (compass_bot/discord_front);
the words themselves come from `texts` and the clause texts from policy_text/.
"""

from __future__ import annotations

import textwrap

from compass_bot import texts
from compass_bot.policy import Clause


def clause_heading(clause: Clause, language: str = "nl") -> str:
    """The clause's title and where it stands. The sections have Dutch names only, noise in
    an English answer (a 12-year-old asked about lunch breaks): English keeps the clause
    id, the reference other programs and the moderators use."""
    if language == "en":
        return f"{clause.title_en} ({clause.id})"
    number = f" {clause.number}" if clause.number is not None else ""
    return f"{clause.title} ({clause.section}{number}; {clause.id})"


def clause_as_text(clause: Clause, language: str = "nl") -> str:
    lines = [clause_heading(clause, language), _wrap(clause.text)]
    if language == "en":
        lines.append(_wrap("English: " + clause.text_en))
    lines.append(f"-- {texts.PROTOCOL_FOOTER}")
    return "\n".join(lines)


def _wrap(text: str) -> str:
    return "\n".join(textwrap.fill(p, 88) for p in text.split("\n"))
