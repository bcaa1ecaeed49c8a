"""What the names feature says: the warning around aanwijzing-2 and the check's reasons."""

from __future__ import annotations

import ast
import re

from compass_bot.texts import counted
from compass_bot.visible import written_out

NAME_WARNING = (
    'Hoi! Je {field} "{name}" bevat de naam Compass. Volgens het protocol sociale media '
    "(aanwijzing 2):"
)
# The English second part, after the Dutch: the same message with the clause's English text.
NAME_WARNING_EN = (
    'English: your {field} "{name}" contains the name Compass. The social media protocol '
    "says (aanwijzing 2):"
)


SETTLED_BY_ITSELF = "opgelost: naam aangepast"
NOT_A_NAME_ALERT = (
    "Dit is geen melding over een naam: er is niets goed te keuren. / "
    "This is not an alert about a name: there is nothing to approve."
)
NO_NAMES_TO_APPROVE = (
    "Er is geen naam van dit lid bekend om goed te keuren. / "
    "No name of this member is known to approve."
)
NOTHING_TO_APPROVE = (
    "Geen van de namen van dit lid bevat 'Compass'; er valt niets goed te keuren. / "
    "None of this member's names contains 'Compass'; there is nothing to approve."
)
NO_APPROVED_NAMES = "Geen goedgekeurde namen. / No approved names."
ALREADY_APPROVED = (
    "De namen van dit lid zijn al goedgekeurd; er verandert niets.\n"
    "This member's names are already approved; nothing changes."
)
HOLDS_DATA = (
    "Een naam van dit lid bevat gegevens die niet in een naam horen (een telefoonnummer, "
    "e-mailadres of wachtwoord); zo'n naam wordt niet goedgekeurd. Vraag het lid de naam aan "
    "te passen (aanwijzing-6). / A name of this member holds data that does not belong in a "
    "name (a phone number, e-mail address or password); such a name is not approved. Ask the "
    "member to change the name (aanwijzing-6)."
)
APPROVED_DM = (
    "Goed nieuws: de schoolleiding heeft je naam goedgekeurd. Je mag hem blijven gebruiken.\n"
    "Good news: the school leadership approved your name. You may keep using it."
)
UNCERTAIN_PREFIX = "onzeker: "  # an alert's detail about names the rule is unsure of
REVOKED_DM = (
    "De schoolleiding heeft de goedkeuring van je naam ingetrokken: een naam met 'Compass' "
    "erin mag weer alleen met hun toestemming.\n"
    "The school leadership revoked the approval of your name: a name with 'Compass' in it "
    "again needs their permission."
)
NAME_HOW_TO_ASK = (
    "Wil je deze naam toch gebruiken? Vraag dan toestemming aan de schoolleiding; tot die "
    "tijd vragen we je een andere naam te kiezen."
)
NAME_HOW_TO_ASK_EN = (
    "Do you still want to use this name? Then ask the school leadership for permission; until "
    "then we ask you to choose another name."
)


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
        "missing-letter": "een letter weggelaten",
        "swapped-letters": "twee letters omgewisseld",
        "reversed": "achterstevoren geschreven",
        "respelled": "spelling met een K: Kompass, of Kompas naast een woord over school",
        "disguised": "op meer manieren vermomd",
        "uncertain-variant": "lijkt op Compass (een letter anders of weg)",
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
        "missing-letter": "a letter left out",
        "swapped-letters": "two letters swapped",
        "reversed": "written backwards",
        "respelled": "a spelling with a K: Kompass, or Kompas beside a word about school",
        "disguised": "disguised in more than one way",
        "uncertain-variant": "close to Compass (a letter different or missing)",
        "uncertain-split": "the letters are spread over words",
        "approved": "approved by the school leadership",
        "allowed-word": "only inside an allowed word",
        "no-match": "no Compass",
    },
}


NAME_FIELDS = {"username": "gebruikersnaam", "global_name": "weergavenaam", "nick": "bijnaam"}
NAME_FIELDS_EN = {"username": "username", "global_name": "display name", "nick": "nickname"}


# one stored entry: a field, the name as a Python literal (its escapes keep every character
# on one line), and the check's code
_NAME_ENTRY = re.compile(
    r"""(?P<name>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*") \((?P<code>[a-z-]+)\)(?=;|$)"""
)


def reason_text(detail: str, language: str = "nl") -> str:
    """A name alert's stored reason in words: each name (stored as a literal, e.g. `bijnaam:
    'C\\u200bompass' (lookalike)`) shown between quotes with its hidden characters written
    out (`“C⟨U+200B⟩ompass”`), and the check's code a label in the reader's language."""
    labels = NAME_REASON_LABELS["en" if language == "en" else "nl"]

    def entry(m: re.Match[str]) -> str:
        try:
            name = ast.literal_eval(m.group("name"))
        except (SyntaxError, ValueError):
            name = m.group("name")[1:-1]
        code = m.group("code")
        return f"“{written_out(str(name))}” ({labels.get(code, code)})"

    return _NAME_ENTRY.sub(entry, detail)


# /naamcontrole: its replies on Discord (started, progress, done) and in the console (done).
SWEEP_BUSY = "Er loopt al een naamcontrole. / A name check is already running."
ONLY_IN_SCHOOL = (
    "Dit werkt alleen in de server van de school. / This only works in the school's server."
)


def sweep_started(expected: int) -> str:
    return f"Naamcontrole gestart: {counted(expected, 'lid/leden')}… / " + (
        f"Name check started: {counted(expected, 'member(s)')}…"
    )


def sweep_progress(index: int, total: int, hits: int) -> str:
    return (
        f"Naamcontrole: {index}/{counted(total, 'lid/leden')}, {hits} gevonden… / "
        f"Name check: {index}/{counted(total, 'member(s)')}, {hits} found…"
    )


def sweep_done(total: int, hits: int) -> str:
    return (
        f"Naamcontrole klaar: {counted(total, 'lid/leden')} gecontroleerd, {hits} met een naam "
        f"om te bekijken. / Name check done: {counted(total, 'member(s)')} checked, {hits} with "
        "a name to look at."
    )
