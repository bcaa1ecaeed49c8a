"""User-facing text in one place: Dutch first, English where the member asked in English.

Front ends take these strings as they are; the protocol's own clause texts come from
policy_text/ and are never rewritten here.
"""

from __future__ import annotations

import re

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
NEARBY = {
    "nl": "Wel zegt het protocol iets over een onderwerp dat ernaast ligt:",
    "en": "The protocol does say something about a nearby topic:",
}
SECOND_QUESTION = {
    "nl": "Over je andere vraag zegt het protocol dit:",
    "en": "About your other question, see:",
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

# Refusals name the role that may and the action refused, one key per action.
REFUSED = {
    "permissions": "Alleen docenten kunnen toestemming geven of intrekken.",
    "unanswered": "Alleen moderatoren kunnen de onbeantwoorde vragen bekijken.",
    "approve_names": "Alleen de schoolleiding kan namen goedkeuren.",
    "revoke_names": "Alleen de schoolleiding kan goedgekeurde namen intrekken.",
    "list_names": "Alleen moderatoren en de schoolleiding kunnen de goedgekeurde namen bekijken.",
    "handle_alert": "Alleen moderatoren en de schoolleiding kunnen meldingen afhandelen.",
    "open_alerts": "Alleen moderatoren en de schoolleiding kunnen de meldingen bekijken.",
    "export_alerts": "Alleen moderatoren en de schoolleiding kunnen meldingen exporteren.",
    "name_check": "Alleen moderatoren en de schoolleiding kunnen een naamcontrole doen.",
    "erase": "Alleen moderatoren kunnen de gegevens van een lid wissen.",
    "reset": "Alleen de console kan opnieuw beginnen; de database van de echte bot blijft staan.",
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
# The name check's reason codes (compass_bot.features.names.rules), in the reader's language.
NAME_REASON_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "plain": "gewone letters",
        "leetspeak": "cijfers of tekens in plaats van letters",
        "homoglyph": "letters uit een ander schrift of tekens die op letters lijken",
        "stylized": "sierletters",
        "accents": "accenten of tekens op de letters",
        "separators": "spaties of tekens tussen de letters",
        "invisible": "onzichtbare tekens",
        "repeated-letters": "dubbele letters",
        "reversed": "achterstevoren geschreven",
        "disguised": "op meer manieren vermomd",
        "uncertain-variant": "lijkt op Compass (een letter anders, weg of omgewisseld)",
        "uncertain-split": "de letters staan verspreid over woorden",
        "approved": "goedgekeurd door de schoolleiding",
        "allowed-word": "alleen in een toegestaan woord",
        "no-match": "geen Compass",
    },
    "en": {
        "plain": "plain letters",
        "leetspeak": "digits or symbols for letters",
        "homoglyph": "look-alike letters from another script or symbols",
        "stylized": "stylised letters",
        "accents": "accents or marks on the letters",
        "separators": "spaces or symbols between the letters",
        "invisible": "invisible characters",
        "repeated-letters": "repeated letters",
        "reversed": "written backwards",
        "disguised": "disguised in more than one way",
        "uncertain-variant": "close to Compass (a letter different, missing or swapped)",
        "uncertain-split": "the letters are spread over words",
        "approved": "approved by the school leadership",
        "allowed-word": "only inside an allowed word",
        "no-match": "no Compass",
    },
}
# What `/privacy wissen` removed, per table.
ERASED_LABELS = {
    "alerts": "melding(en)",
    "approved_names": "goedgekeurde naam/namen",
    "warning_cooldowns": "waarschuwingstijd(en)",
    "permission_grants": "toestemming(en)",
}
ALERT_STATUS_EXPORT = {"open": "open", "resolved": "afgehandeld", "false_positive": "onterecht"}
SCOPE_LABELS = {"member": "leerling", "role": "rol", "channel": "kanaal"}
FEEDBACK_PROMPT = {
    "nl": "(Was dit nuttig? /nuttig ja of /nuttig nee)",
    "en": "(Was this helpful? /nuttig ja (yes) or /nuttig nee (no))",
}
CHOOSE_RULE = {"nl": "(Kies met /protocol regel ID)", "en": "(Choose one with /protocol regel ID)"}
SLOW_DOWN_MINUTES = {
    "nl": "Rustig aan! Je stelt veel vragen achter elkaar. Probeer het over {minutes} minuten "
    "opnieuw.",
    "en": "Slow down! You are asking a lot of questions at once. Try again in {minutes} minutes.",
}
QUESTION_KINDS = {"unanswered": "geen antwoord", "unhelpful": "niet nuttig", "helpful": "nuttig"}
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
NAME_FIELDS = {"username": "gebruikersnaam", "global_name": "weergavenaam", "nick": "bijnaam"}


def lang_of(language: str) -> str:
    """Only nl and en exist; anything else reads Dutch."""
    return "en" if language == "en" else "nl"


_NAME_REASON_CODE = re.compile(r"(?<=['\"]) \(([a-z-]+)\)(?=;|$)")


def reason_text(detail: str, language: str = "nl") -> str:
    """An alert's stored reason in words: school-time codes and the name check's codes
    (stored after each name, e.g. `bijnaam: 'C0mpass' (leetspeak)`) become labels."""
    if detail in REASON_LABELS:
        return REASON_LABELS[detail]
    labels = NAME_REASON_LABELS[lang_of(language)]
    return _NAME_REASON_CODE.sub(lambda m: f" ({labels.get(m.group(1), m.group(1))})", detail)
