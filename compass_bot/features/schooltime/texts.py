"""What the school-time feature says: the warning around the clause, its reason codes."""

from __future__ import annotations

TIME_WARNING_INTRO = (
    "Hoi! Je bericht in #{channel} viel onder lestijd. Volgens het protocol sociale media:"
)


TIME_WARNING_FALLBACK = (
    "{mention} Sociale media mag onder schooltijd alleen in de middagpauze of met "
    "toestemming van je docent. {next_allowed}"
)


REASON_LABELS = {
    "lesson_time": "gepost onder lestijd, buiten de pauzes en zonder toestemming",
}


SCOPE_LABELS = {"member": "leerling", "role": "rol", "channel": "kanaal"}
