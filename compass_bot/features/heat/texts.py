"""What the cool-down feature says: the nudge around aanwijzing-5, the slowmode notice, the
alert's reason, and the staff replies. Dutch first; English beside it when the channel talks
English. The clause itself is quoted from the protocol, never rewritten here."""

from __future__ import annotations

from datetime import datetime

from compass_bot.texts import WEEKDAYS_EN, WEEKDAYS_NL

NUDGE_NL = (
    "Even pauze, allemaal. Dit gesprek lijkt onplezierig te worden. "
    "Uit het protocol sociale media (aanwijzing 5):"
)
NUDGE_CLOSING_NL = (
    "Laat het even rusten; praat het later rustig uit, of vraag een docent of moderator."
)
NUDGE_EN = (
    "Let's all take a short break. This conversation seems to be turning unpleasant. "
    "From the social media protocol (guideline 5):"
)
NUDGE_CLOSING_EN = (
    "Let it rest for a while; talk it over calmly later, or ask a teacher or moderator."
)

SLOWMODE_NL = "Slowmode staat {minutes} minuten aan: {seconds} seconden tussen berichten."
SLOWMODE_EN = "Slowmode is on for {minutes} minutes: {seconds} seconds between messages."


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def nudge(clause_nl: str, clause_en: str, english: bool) -> str:
    """The calm message with aanwijzing-5 quoted verbatim; English too in an English channel."""
    lines = [NUDGE_NL, _quote(clause_nl), NUDGE_CLOSING_NL]
    if english:
        lines += ["", NUDGE_EN, _quote(clause_en), NUDGE_CLOSING_EN]
    return "\n".join(lines)


def slowmode_notice(minutes: int, seconds: int, english: bool) -> str:
    text = SLOWMODE_NL.format(minutes=minutes, seconds=seconds)
    if english:
        text += "\n" + SLOWMODE_EN.format(minutes=minutes, seconds=seconds)
    return text


# /afkoelen and the alert button
IN_A_CHANNEL = (
    "Afkoelen kan alleen in een kanaal van de server. / "
    "Cooling down only works in a channel of the server."
)
REFUSED = "Alleen docenten en moderatoren kunnen afkoelen starten, stoppen of uitzetten."
REFUSED_EN = "Only teachers and moderators can start, stop or switch off cooling down."
STARTED = (
    "Slowmode in #{channel} staat aan tot {until} ({seconds} seconden tussen berichten). / "
    "Slowmode in #{channel} is on until {until_en} ({seconds} seconds between messages)."
)


def started(channel: str, until: datetime, now: datetime, seconds: int) -> str:
    """The reply to /afkoelen start; `until` and `now` in the school's zone. The end's day is
    said when it is not today (600 minutes at 16:30 end in the night), as a permission's is."""
    days = (until.date() - now.date()).days
    if days == 0:
        nl = en = f"{until:%H:%M}"
    elif days == 1:
        nl, en = f"morgen {until:%H:%M}", f"tomorrow {until:%H:%M}"
    else:
        nl = f"{WEEKDAYS_NL[until.weekday()]} {until:%d-%m %H:%M}"
        en = f"{WEEKDAYS_EN[until.weekday()]} {until:%d-%m %H:%M}"
    return STARTED.format(channel=channel, until=nl, until_en=en, seconds=seconds)


STOPPED = (
    "Slowmode in #{channel} is uit; de vorige instelling ({seconds} s) is terug. / "
    "Slowmode in #{channel} is off; the previous setting ({seconds} s) is back."
)
NOT_RUNNING = (
    "De bot heeft in #{channel} geen slowmode aan staan. / "
    "The bot has no slowmode on in #{channel}."
)
ALERT_NOT_RUNNING = (
    "De bot heeft in het kanaal van melding {alert_id} geen slowmode (meer) aan staan. / "
    "The bot has no slowmode on (any more) in the channel of alert {alert_id}."
)
NO_PERMISSION = (
    "De bot mag #{channel} niet beheren ({permission} ontbreekt); er is geen slowmode gezet. / "
    "The bot may not manage #{channel} ({permission} is missing); no slowmode was set."
)
NOT_SET = (
    "Discord weigerde nu de slowmode in #{channel}; er is geen slowmode gezet. Probeer het zo "
    "opnieuw. / Discord refused the slowmode in #{channel} just now; no slowmode was set. "
    "Try again in a moment."
)
NOT_RESTORED = (
    "De slowmode in #{channel} is nog aan: de bot mag dat kanaal niet (meer) beheren of Discord "
    "weigerde. Zet hem met de hand uit (kanaal bewerken > Slowmode); de bot probeert het ook "
    "zelf opnieuw. / The slowmode in #{channel} is still on: the bot may not manage that "
    "channel (any more) or Discord refused. Switch it off by hand (Edit Channel > Slowmode); "
    "the bot also tries again itself."
)
ALREADY_SLOWER = (
    "#{channel} heeft al een slowmode van {seconds} seconden; de bot verandert daar niets aan. / "
    "#{channel} already has a slowmode of {seconds} seconds; the bot leaves it as it is."
)
BAD_MINUTES = (  # {value}: as typed, quoted (compass_bot.texts.quoted)
    "{value} is geen aantal minuten: geef een heel getal van 1 tot 1440, of een duur als "
    "20 min, 1 uur, 1,5 uur of 1u30. / {value} is not a number of minutes: give a whole "
    "number from 1 to 1440, or a duration such as 20 min, 1 hour, 1.5 hours or 1h30."
)
MINUTES_OUT_OF_RANGE = (
    "{value} minuten kan niet: geef een heel getal van 1 tot 1440. / "
    "{value} minutes cannot be: give a whole number from 1 to 1440."
)
CHANNEL_OFF = (
    "#{channel} wordt niet meer bewaakt op verhitte discussies (aanzetten: /afkoelen aan). / "
    "#{channel} is no longer watched for heated discussions (switch on: /afkoelen aan)."
)
CHANNEL_ON = (
    "#{channel} wordt weer bewaakt op verhitte discussies. / "
    "#{channel} is watched for heated discussions again."
)
ALREADY_OFF = "#{channel} werd al niet bewaakt. / #{channel} was already not watched."
ALREADY_ON = "#{channel} werd al bewaakt. / #{channel} was already watched."
NOT_WATCHED = (
    "Let op: #{channel} valt buiten de bewaakte kanalen (heat.watched_channels of de sociale "
    "kanalen van school_time). / Note: #{channel} is outside the watched channels "
    "(heat.watched_channels or the social channels of school_time)."
)
ALERT_NOT_HEAT = (
    "Melding {alert_id} gaat niet over een verhitte discussie. / "
    "Alert {alert_id} is not about a heated discussion."
)

REASON_LABELS = {
    "back-and-forth": "heen en weer tussen dezelfde leden",
    "pile-on": "meerdere leden tegen één",
    "escalation": "steeds feller",
    "fast": "snel achter elkaar",
    "repeated": "steeds weer tegen hetzelfde lid",
    "objection": "iemand vroeg om te stoppen",
    "banter": "deels lachend",
    "hostile-words": "vijandige woorden",
    "calm": "rustig",
    "slowmode": "de bot zette slowmode aan",
}
REASON_LABELS_EN = {
    "back-and-forth": "back and forth between the same members",
    "pile-on": "several members against one",
    "escalation": "getting harsher",
    "fast": "fast",
    "repeated": "the same member targeted again and again",
    "objection": "someone asked to stop",
    "banter": "partly laughing",
    "hostile-words": "hostile wording",
    "calm": "calm",
    "slowmode": "the bot turned slowmode on",
}


WORDING_LABELS = {
    "curse": "vloeken",
    "disease-insult": "ziektescheldwoord",
    "dismissive": "kleineren",
    "exclusion": "buitensluiten",
    "exposure": "iemand te kijk zetten",
    "insult": "scheldwoord",
    "mother": "over iemands moeder",
    "negative": "negatief",
    "objection": "vraagt om te stoppen",
    "scorn": "minachting",
    "self-harm-wish": "iemand dood wensen",
    "swear": "schelden",
    "threat": "bedreiging",
}
WORDING_LABELS_EN = {
    "curse": "cursing",
    "disease-insult": "disease insult",
    "dismissive": "dismissive",
    "exclusion": "exclusion",
    "exposure": "exposing someone",
    "insult": "insult",
    "mother": "about someone's mother",
    "negative": "negative",
    "objection": "asks to stop",
    "scorn": "scorn",
    "self-harm-wish": "wishing someone dead",
    "swear": "swearing",
    "threat": "threat",
}


def reason_text(detail: str, language: str = "nl") -> str:
    """An alert's stored detail ("codes: kinds|ids") in words; the members are shown by
    each front (`involved`)."""
    reason, _, _ = detail.partition("|")
    codes, _, kinds = reason.partition(": ")
    labels = REASON_LABELS_EN if language == "en" else REASON_LABELS
    wording = WORDING_LABELS_EN if language == "en" else WORDING_LABELS
    words = ", ".join(labels.get(code, code) for code in codes.split("+") if code)
    parts = [words or reason]
    if kinds:
        found = ", ".join(wording.get(kind, kind) for kind in kinds.split(",") if kind)
        parts.append(("wording: " if language == "en" else "woorden: ") + found)
    return "; ".join(parts)


def detail_of(reason: str, members: tuple[int, ...] | list[int]) -> str:
    """The stored detail of a heat alert: the reason's codes, then the members' ids."""
    return f"{reason}|{','.join(str(m) for m in members)}"


def involved(detail: str) -> tuple[int, ...]:
    """The members of the discussion, by id, from the stored detail ("...|id,id")."""
    _, _, members = detail.partition("|")
    return tuple(int(m) for m in members.split(",") if m.strip().isdigit())
