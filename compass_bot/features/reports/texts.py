"""What reporters, reported members and moderators read (Dutch first, English on request)."""

from __future__ import annotations

import json

from compass_bot.features.reports.rules import REASON_BY_CODE, RefusalCode
from compass_bot.texts import counted

TITLE = "Melding van een lid"

REFUSALS: dict[RefusalCode, tuple[str, str]] = {
    "unknown_reason": ("Kies een reden uit de lijst.", "Choose a reason from the list."),
    "self": ("Je kunt jezelf niet melden.", "You cannot report yourself."),
    "bot": (
        "Berichten en accounts van bots kun je niet melden; vraag het een moderator.",
        "You cannot report bots; ask a moderator.",
    ),
    "system": (
        "Systeemberichten van Discord kun je niet melden.",
        "You cannot report Discord's system messages.",
    ),
    "not_visible": (
        "Dat bericht kun je niet melden: je kunt dat kanaal niet zien, of het bestaat niet.",
        "You cannot report that message: you cannot see that channel, or it does not exist.",
    ),
    "duplicate": (
        "Je hebt dit al gemeld; de moderatoren hebben je melding.",
        "You already reported this; the moderators have your report.",
    ),
    "rate_limited": (
        "Je hebt het afgelopen uur al {limit} meldingen of aanvullingen gedaan. Probeer het "
        "later opnieuw, of praat met je mentor of een moderator als het dringend is.",
        "You made {limit} reports or additions in the last hour. Try again later, or talk to "
        "your mentor or a moderator if it is urgent.",
    ),
}

CONFIRM = (
    "Bedankt, je melding is doorgegeven aan de moderatoren. Wat er nu gebeurt: de "
    "moderatoren bekijken het volgens het protocol sociale media ({clause_id}):\n> {clause}\n"
    "Wie je meldde, hoort nooit van de bot wie de melding deed.\n{contacts}"
)
CONFIRM_EN = (
    "Thank you, your report has been passed on to the moderators. What happens next: they "
    "look at it according to the social media protocol ({clause_id}):\n> {clause}\n"
    "The member you reported never learns from the bot who reported them.\n{contacts}"
)
# A repeat by the same reporter with a new reason or note: added to their open report.
ADDED = {
    "reason": (
        "Aangevuld: de moderatoren zien je nieuwe reden bij je eerdere melding.",
        "Added: the moderators see your new reason with your earlier report.",
    ),
    "note": (
        "Aangevuld: de moderatoren zien je nieuwe toelichting bij je eerdere melding.",
        "Added: the moderators see your new note with your earlier report.",
    ),
    "both": (
        "Aangevuld: de moderatoren zien je nieuwe reden en toelichting bij je eerdere melding.",
        "Added: the moderators see your new reason and note with your earlier report.",
    ),
}
SHORTENED = (
    "Je toelichting was te lang en is ingekort tot {limit} tekens.",
    "Your note was too long and was shortened to {limit} characters.",
)
CONTACTS_DEFAULT = (
    "Wil je erover praten? Je kunt altijd terecht bij je mentor of de vertrouwenspersoon van "
    "school."
)
CONTACTS_DEFAULT_EN = (
    "Want to talk about it? You can always go to your mentor or the school's confidential "
    "counsellor (vertrouwenspersoon)."
)
CONTACTS_INTRO = "Wil je erover praten? Je kunt terecht bij:"
CONTACTS_INTRO_EN = "Want to talk about it? You can go to:"

MODAL_TITLE = ("Melden bij moderatoren", "Report to moderators")
REASON_LABEL = ("Reden", "Reason")
NOTE_LABEL = ("Toelichting (mag leeg)", "Note (optional)")
NOTE_HINT = (
    "Wat is er gebeurd? Je naam wordt niet getoond aan wie je meldt.",
    "What happened? Your name is not shown to the member you report.",
)

WARN_INTRO = (
    "Een moderator van de schoolserver heeft een bericht of je account bekeken na een "
    "melding. Houd je aan deze regel van het protocol sociale media:"
)
WARN_CLOSING = "Vragen? Praat met je mentor of een moderator."
WARN_INTRO_EN = (
    "A moderator of the school server looked at a message or your account after a report. "
    "Please keep to this rule of the social media protocol:"
)
WARN_CLOSING_EN = "Questions? Talk to your mentor or a moderator."

# Staff replies and refusals under a report's alert: Dutch, then English, in one line.
NOT_A_REPORT = "Dit is geen melding van een lid. / This is not a report by a member."
NO_MESSAGE = (
    "Deze melding gaat over een lid, niet over een bericht. / "
    "This report is about a member, not about a message."
)
ALREADY_DELETED = "Het bericht is al verwijderd. / The message was already deleted."
DELETED = "Het gemelde bericht is verwijderd. / The reported message was deleted."
WARNED = "De auteur heeft een waarschuwing gekregen (DM). / The author was sent a warning (DM)."
ALREADY_WARNED = (
    "De auteur is voor deze melding al gewaarschuwd; een tweede DM stuurt de bot niet. / "
    "The author was already warned for this report; the bot does not send a second DM."
)
DM_CLOSED = (
    "Het lid heeft DM's van de server uitgezet; de waarschuwing kon niet verstuurd worden. / "
    "The member has turned off DMs from the server; the warning could not be sent."
)
MAY_NOT_DELETE = (
    "De bot mag in dat kanaal geen berichten beheren (Manage Messages ontbreekt). / "
    "The bot may not manage messages in that channel (Manage Messages is missing)."
)
REVEAL_OFF = (
    "Melders tonen staat uit: niemand kan zien wie iets meldde (reports.reveal_reporter). / "
    "Showing reporters is off: nobody can see who reported something "
    "(reports.reveal_reporter)."
)
REVEALED = (
    "Gemeld door / Reported by: {who}. Dit inzien is vastgelegd in het auditlog; deel het met "
    "niemand. / Viewing this is recorded in the audit log; share it with nobody."
)
REVEALED_NONE = (
    "Van deze melding is geen melder meer bekend (gewist of verlopen). Dit inzien is "
    "vastgelegd in het auditlog. / No reporter of this report is known any more (erased or "
    "expired). Viewing this is recorded in the audit log."
)
LOOKED_AT = (
    "Je melding is bekeken door de moderatoren van de schoolserver. Bedankt dat je het "
    "meldde.\n\nYour report has been looked at by the moderators of the school server. "
    "Thank you for reporting it."
)
MEMBER_GONE = "Dit lid is niet (meer) in de server. / This member is not in the server (any more)."


def refusal_text(code: RefusalCode, language: str, limit: int) -> str:
    nl, en = REFUSALS[code]
    return (en if language == "en" else nl).format(limit=limit)


def added_text(reason: bool, note: bool, language: str) -> str:
    nl, en = ADDED["both" if reason and note else "reason" if reason else "note"]
    return en if language == "en" else nl


def shortened_text(limit: int, language: str) -> str:
    nl, en = SHORTENED
    return (en if language == "en" else nl).format(limit=limit)


def contacts_text(contacts: list[str], language: str) -> str:
    if not contacts:
        return CONTACTS_DEFAULT_EN if language == "en" else CONTACTS_DEFAULT
    intro = CONTACTS_INTRO_EN if language == "en" else CONTACTS_INTRO
    return intro + "\n" + "\n".join(f"- {c}" for c in contacts)


def detail_json(
    reasons: dict[str, int],
    reporters: int,
    files: list[str],
    file_count: int,
    notes: list[str],
    about_member: bool,
) -> str:
    """What the alert's reason shows, as stored: no reporter in it, only counts."""
    return json.dumps(
        {
            "reasons": reasons,
            "reporters": reporters,
            "files": files,
            "file_count": file_count,
            "notes": notes,
            "member": about_member,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def without_reporters(detail: str | None) -> str:
    """The stored reason once every report of the alert is erased: no reporter's own words
    left in it, and no reporter counted (`reason_text` says they were erased)."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    data["notes"] = []
    data["reporters"] = 0
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def reason_text(detail: str, language: str) -> str:
    """The alert's 'Reden': reasons with their clauses, how many reported, the attachments."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    en = language == "en"
    parts: list[str] = []
    counts = dict(data.get("reasons", {}))
    order = {r.code: i for i, r in enumerate(REASON_BY_CODE.values())}
    for code, count in sorted(counts.items(), key=lambda item: order.get(item[0], 99)):
        reason = REASON_BY_CODE.get(code)
        label = (reason.label_en if en else reason.label) if reason else str(code)
        clause = f" ({reason.clause_id})" if reason else ""
        parts.append(f"{label}{clause} ×{count}")
    lines = ["; ".join(parts)]
    reporters = int(data.get("reporters", 1))
    if reporters:
        who = (
            f"reported by {counted(reporters, 'member(s)')}"
            if en
            else f"gemeld door {counted(reporters, 'lid/leden')}"
        )
    else:
        who = (
            "the reporters' data were erased on request; the report stays"
            if en
            else "de gegevens van de melders zijn op verzoek gewist; de melding blijft"
        )
    lines.append(
        who
        + (" (about the member, no message)" if en and data.get("member") else "")
        + (" (over het lid, geen bericht)" if not en and data.get("member") else "")
    )
    files, file_count = list(data.get("files", [])), int(data.get("file_count", 0))
    if file_count:
        label = "attachments" if en else "bijlagen"
        lines.append(f"{label} ({file_count}): " + ", ".join(str(f) for f in files))
    for note in data.get("notes", []):
        lines.append(("note: " if en else "toelichting: ") + f'"{note}"')
    return "\n".join(lines)
