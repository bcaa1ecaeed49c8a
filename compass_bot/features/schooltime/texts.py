"""What the school-time feature says: the warning around the clause, its reason codes."""

from __future__ import annotations

from compass_bot import texts as shared_texts

TIME_WARNING_INTRO = (
    "Hoi! Je bericht in #{channel} viel onder lestijd. Volgens het protocol sociale media:"
)


TIME_WARNING_FALLBACK = (
    "{mention} Sociale media mag onder schooltijd alleen in de middagpauze of met "
    "toestemming van je docent. {next_allowed}"
)

# The English second part, after the Dutch: the same message with the clause's English text.
TIME_WARNING_EN = (
    "English: your post in #{channel} was during lesson time ({at}). The social media "
    "protocol says:"
)
TIME_WARNING_CLOSING_EN = (
    "During school time, social media is only allowed in the lunch break or with your "
    "teacher's permission.{next_allowed}"
)


REASON_LABELS = {
    "lesson_time": "gepost onder lestijd, buiten de pauzes en zonder toestemming",
}


SCOPE_LABELS = {"member": "leerling", "role": "rol", "channel": "kanaal"}

GRANT_NOT_WATCHED = (
    "In {target} geldt de schooltijdregel niet (geen sociaal kanaal), dus er valt niets toe "
    "te staan. / The school-time rule does not apply in {target} (no social channel), so "
    "there is nothing to allow."
)
GRANT_TO_STAFF = (
    "Toestemming voor {target} kan niet: de schooltijdregel geldt niet voor personeel, "
    "dus er valt niets toe te staan. / Permission for {target} cannot be given: the "
    "school-time rule does not apply to staff, so there is nothing to allow."
)
GRANT_TO_DM = (
    "Toestemming per kanaal geldt voor een kanaal van de server, niet een DM. / "
    "A channel permission is for a channel of the server, not a DM."
)
GRANT_OVERLAPS = (
    "{target} heeft al toestemming (#{id}) {when}; trek die eerst in om een andere duur te "
    "geven. / {target} already has permission (#{id}) {when}; revoke it first to give "
    "another duration."
)
UNKNOWN_ROLE = (  # {role}: as typed, quoted (compass_bot.texts.quoted)
    "Onbekende rol {role}. Rollen in deze server: {known} (een nieuwe rol: /als leerling, ROL). "
    "/ Unknown role {role}. Roles in this server: {known} (a new role: /als leerling, ROLE)."
)
REVOKED = "Toestemming #{id} ingetrokken. / Permission #{id} revoked."
REVOKED_DESCRIBED = "Ingetrokken / Revoked: {grant}"  # {grant}: number, target, when
MORE_GRANTS = "… en nog {more} / … and {more} more"
NO_ACTIVE_GRANTS = "Er is nu geen actieve toestemming. / There is no active permission now."
NO_SUCH_GRANT = (
    "Er is geen actieve toestemming met nummer {id}. / There is no active permission #{id}."
)


WEEKDAYS_NL, WEEKDAYS_EN = shared_texts.WEEKDAYS_NL, shared_texts.WEEKDAYS_EN

GRANT_COVERS_YOU = (
    "Je docent heeft je toestemming gegeven om sociale media te gebruiken, {when_nl} "
    "(toestemming #{id}).\n"
    "Your teacher has given you permission to use social media, {when_en} (permission #{id})."
)

GRANT_IN_CHANNEL = (
    "In dit kanaal mag sociale media met toestemming van de docent, {when_nl}.\n"
    "Social media is allowed in this channel with the teacher's permission, {when_en}."
)

GRANT_REVOKED_YOU = (
    "Je docent heeft je toestemming #{id} voor sociale media ingetrokken: die geldt niet meer.\n"
    "Your teacher has revoked your permission #{id} for social media: it no longer applies."
)

GRANT_REVOKED_IN_CHANNEL = (
    "De toestemming voor sociale media in dit kanaal is ingetrokken.\n"
    "The permission for social media in this channel has been revoked."
)

GRANT_CUT_SHORT = (
    "Ingekort tot {end}, het einde van de schooldag (je vroeg {minutes} minuut/minuten). "
    "(Cut short to {end}, the end of the school day: you asked for {minutes} minute(s).)"
)

GRANT_ENDED_CUT_SHORT = (
    "Je toestemming #{id} voor {target} is om {end} gestopt: einde van de schooldag. Nog nodig "
    "op een volgende schooldag? Geef een nieuwe met een begintijd (bijvoorbeeld: morgen 8:30).\n"
    "Your permission #{id} for {target} stopped at {end}: the end of the school day. Still "
    "needed on a coming school day? Give a new one with a start time (e.g. tomorrow 8:30)."
)
