"""User-facing text in one place: Dutch first, English where the member asked in English.

Front ends take these strings as they are; the protocol's own clause texts come from
policy_text/ and are never rewritten here.
"""

from __future__ import annotations

PROTOCOL_FOOTER = "Protocol sociale media (1.10) · Compass"

NO_MATCH = {
    "nl": (
        "Daar zegt het protocol sociale media niets over. Vraag het je mentor of de "
        "vertrouwenspersoon."
    ),
    "en": (
        "The social media protocol does not cover that. Please ask your mentor or the "
        "vertrouwenspersoon (the school's confidential adviser)."
    ),
}
DOUBTFUL = {"nl": "Bedoel je een van deze regels?", "en": "Did you mean one of these rules?"}
EMPTY_QUESTION = {
    "nl": "Stel je vraag over het protocol sociale media, bijvoorbeeld: mag ik in de les op TikTok?",
    "en": "Ask your question about the social media protocol, e.g.: can I use TikTok in class?",
}
SLOW_DOWN = {
    "nl": "Rustig aan! Je stelt veel vragen achter elkaar. Probeer het over een halve minuut opnieuw.",
    "en": "Slow down! You are asking a lot of questions at once. Try again in half a minute.",
}
TRUNCATED_NOTE = {
    "nl": "(Je vraag was erg lang; ik heb alleen het begin gelezen.)",
    "en": "(Your question was very long; I only read the beginning.)",
}
FEEDBACK_THANKS = {"nl": "Bedankt voor je reactie!", "en": "Thanks for your feedback!"}

REFUSED = {
    "teacher": "Alleen docenten kunnen toestemming geven of intrekken.",
    "moderator": "Alleen moderatoren kunnen meldingen afhandelen.",
    "leadership": "Alleen de schoolleiding kan namen goedkeuren.",
}

TIME_WARNING_INTRO = (
    "Hoi! Je bericht in #{channel} viel onder lestijd. Volgens het protocol sociale media:"
)
TIME_WARNING_FALLBACK = (
    "{mention} Sociale media mag onder schooltijd alleen in de middagpauze of met "
    "toestemming van je docent. {next_allowed}"
)
NAME_WARNING = (
    'Hoi! Je {field} "{name}" bevat de naam Compass. Volgens het protocol sociale media '
    "(aanwijzing 2):"
)
NAME_HOW_TO_ASK = (
    "Wil je deze naam toch gebruiken? Vraag dan toestemming aan de schoolleiding; tot die "
    "tijd vragen we je een andere naam te kiezen."
)
# The school-time rule's reason codes, as moderators read them.
REASON_LABELS = {
    "lesson_time": "gepost onder lestijd, buiten de pauzes en zonder toestemming",
}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
NAME_FIELDS = {"username": "gebruikersnaam", "global_name": "weergavenaam", "nick": "bijnaam"}


def lang_of(language: str) -> str:
    """Only nl and en exist; anything else reads Dutch."""
    return "en" if language == "en" else "nl"
