"""What the personal-data feature says. It names the KIND of data, never the value."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from compass_bot.features.personal_data.rules import KINDS, Kind, describe

# "een telefoonnummer": the kind with its article, for sentences about one post.
ARTICLES_NL: dict[str, str] = {
    "phone": "een telefoonnummer",
    "email": "een e-mailadres",
    "address": "een adres",
    "postcode": "een postcode met huisnummer",
    "location-link": "een locatie (kaart- of live-locatielink, coördinaten)",
    "id-number": "een BSN- of rekeningnummer",
}
ARTICLES_EN: dict[str, str] = {
    "phone": "a phone number",
    "email": "an e-mail address",
    "address": "a home address",
    "postcode": "a postcode with a house number",
    "location-link": "a location (map or live-location link, coordinates)",
    "id-number": "a citizen service number or bank account number",
}
assert set(ARTICLES_NL) == set(ARTICLES_EN) == set(KINDS)

WARNING_INTRO = (
    "Hoi! Je bericht in #{channel} bevat {kinds}. De bot kan niet weten van wie die gegevens "
    "zijn, dus hij zegt het je even privé. Volgens het protocol sociale media:"
)
WARNING_CLOSING = (
    "Gaat het om iemand anders? Haal het dan weg, tenzij die persoon toestemming gaf. Deel je "
    "eigen gegevens liever in een privébericht. De moderatoren krijgen een melding zonder de "
    "gegevens zelf."
)
WARNING_FALLBACK = (
    "{mention} Je bericht bevat {kinds}. Deel geen gegevens van anderen zonder hun "
    "toestemming (protocol sociale media, aanwijzing-6)."
)
# The English second part, after the Dutch: the same message with the clause's English text.
WARNING_EN = (
    "English: your post in #{channel} contains {kinds}. The bot cannot know whose data it "
    "is, so it tells you privately. The social media protocol says:"
)
WARNING_CLOSING_EN = (
    "Is it someone else's? Then remove it, unless they gave permission. Share your own "
    "details in a private message instead. The moderators get an alert without the data."
)
WARNING_FALLBACK_EN = (
    "Your post contains {kinds}. Do not share other people's data without their permission."
)
POST_HIDDEN = (
    "Je bericht is daarom verwijderd. Je tekst zonder de gegevens (your post was removed; "
    "your text without the data):"
)
POST_HIDDEN_SHORT = "Je bericht is daarom verwijderd."
POST_HIDDEN_SHORT_EN = "Your post was removed for this reason."
POST_HIDDEN_CONSOLE = "(bot verwijdert je bericht in #{channel})"

SECOND_LOOK_TITLE = {"nl": "Tweede blik", "en": "Second look"}
SECOND_LOOK_LABEL = {"nl": "Je concept", "en": "Your draft"}
SECOND_LOOK_HINT = {
    "nl": "Plak wat je wilt posten. Alleen jij ziet het antwoord; niets wordt bewaard.",
    "en": "Paste what you want to post. Only you see the answer; nothing is stored.",
}
SECOND_LOOK_FOUND = {
    "nl": "Je concept bevat {kinds}. Is dat van iemand anders, post het dan niet zonder "
    "diens toestemming (aanwijzing-6). Zo ziet het eruit zonder de gegevens:",
    "en": "Your draft contains {kinds}. If it belongs to someone else, do not post it without "
    "their permission (aanwijzing-6). This is how it reads without the data:",
}
SECOND_LOOK_CLEAN = {
    "nl": "In je concept staan geen telefoonnummers, adressen, e-mailadressen, locaties of "
    "andere nummers van iemand.",
    "en": "Your draft holds no phone numbers, addresses, e-mail addresses, locations or other "
    "numbers of anyone.",
}
SECOND_LOOK_EMPTY = {
    "nl": "Je concept is leeg: typ of plak de tekst die je wilt posten.",
    "en": "Your draft is empty: type or paste the text you want to post.",
}
SECOND_LOOK_CLAUSES = {
    "nl": "Punten van het protocol die je concept raakt",
    "en": "Points of the protocol your draft touches",
}
SECOND_LOOK_TIMING = {
    "nl": "Nu posten in een sociaal kanaal?",
    "en": "Posting it now in a social channel?",
}
# The school-time verdict's own (Dutch) sentence says why posting is fine now.
SECOND_LOOK_ALLOWED_NL = "Nu mag het. {why}"
SECOND_LOOK_LESSON_NL = "Nu is het lestijd: pas vanaf {at:%H:%M}."
SECOND_LOOK_LESSON_EN = "It is lesson time now: not until {at:%H:%M}."
SECOND_LOOK_AFTER_SCHOOL_NL = "Nu is het lestijd: pas vanaf {at:%H:%M}, na schooltijd."
SECOND_LOOK_AFTER_SCHOOL_EN = "It is lesson time now: not until {at:%H:%M}, after school."
SECOND_LOOK_LESSON_ANYTIME_NL = "Nu is het lestijd: nu niet."  # no later moment known
SECOND_LOOK_LESSON_ANYTIME_EN = "It is lesson time now: not now."
# Why posting is fine now, by the school-time verdict's reason code.
SECOND_LOOK_ALLOWED_EN: dict[str, str] = {
    "lunch_break": "Fine now: it is the lunch break.",
    "outside_school_hours": "Fine now: it is outside school hours.",
    "not_school_day": "Fine now: there is no school today.",
    "day_off": "Fine now: there is no school today.",
    "permission": "Fine now: your teacher has given you permission.",
    "staff": "Fine now: staff are not bound by the school-time rule.",
}
SECOND_LOOK_ALLOWED_EN_OTHER = "Fine now."
# With the end the Dutch sentence gives ("middagpauze (tot 12:45)"), by reason code.
SECOND_LOOK_UNTIL_EN: dict[str, str] = {
    "lunch_break": "Fine now: it is the lunch break (until {until:%H:%M}).",
    "permission": "Fine now: your teacher has given you permission until {until:%H:%M}.",
}
SECOND_LOOK_SCHOOL_OUT_EN = "Fine now: it is the lunch break; school is out at {until:%H:%M}."
SECOND_LOOK_STORED = {
    "nl": "Niets van je concept wordt bewaard of doorgegeven.",
    "en": "Nothing of your draft is stored or passed on.",
}


def timing_sentence(
    allowed: bool,
    reason: str,
    message: str,
    next_at: datetime | None,
    language: str,
    after_school: bool = False,
    until: time | None = None,
    school_out: bool = False,
) -> str:
    """'Nu mag het. Het is nu middagpauze (tot 12:45).' or 'Nu is het lestijd: pas vanaf
    12:15.': whether a post in a social channel would be fine now, from the school-time
    verdict (its Dutch sentence for why; the English by its reason code)."""
    if allowed:
        if language == "en":
            if until is not None and school_out:
                return SECOND_LOOK_SCHOOL_OUT_EN.format(until=until)
            if until is not None and reason in SECOND_LOOK_UNTIL_EN:
                return SECOND_LOOK_UNTIL_EN[reason].format(until=until)
            return SECOND_LOOK_ALLOWED_EN.get(reason, SECOND_LOOK_ALLOWED_EN_OTHER)
        return SECOND_LOOK_ALLOWED_NL.format(why=message).strip()
    if next_at is None:
        return SECOND_LOOK_LESSON_ANYTIME_EN if language == "en" else SECOND_LOOK_LESSON_ANYTIME_NL
    if after_school:
        english, dutch = SECOND_LOOK_AFTER_SCHOOL_EN, SECOND_LOOK_AFTER_SCHOOL_NL
    else:
        english, dutch = SECOND_LOOK_LESSON_EN, SECOND_LOOK_LESSON_NL
    return (english if language == "en" else dutch).format(at=next_at)


def kinds_sentence(kinds: Iterable[Kind], language: str = "nl") -> str:
    """'een telefoonnummer en een adres': the kinds, each once, in the order found."""
    table = ARTICLES_EN if language == "en" else ARTICLES_NL
    names = [table[k] for k in dict.fromkeys(kinds)]
    if len(names) <= 1:
        return "".join(names)
    joiner = " and " if language == "en" else " en "
    return ", ".join(names[:-1]) + joiner + names[-1]


DUTCH_LABELS: dict[str, str] = {kind: describe(kind) for kind in KINDS}
ENGLISH_LABELS: dict[str, str] = {
    "phone": "phone number",
    "email": "e-mail address",
    "address": "address",
    "postcode": "postcode",
    "location-link": "location",
    "id-number": "id number",
}


def reason_text(detail: str, language: str) -> str:
    """An alert's stored detail (kind codes, comma-separated) in words, never the value."""
    codes = [code for code in detail.split(",") if code]
    table = ENGLISH_LABELS if language == "en" else DUTCH_LABELS
    words = [table.get(code, code) for code in codes]
    prefix = "contains: " if language == "en" else "bevat: "
    return prefix + ", ".join(words) if words else detail
