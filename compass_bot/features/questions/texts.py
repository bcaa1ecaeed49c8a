"""What the questions feature says in its own words, Dutch and English (the answers
themselves are the protocol's clauses, verbatim)."""

from __future__ import annotations

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


# replies to a greeting, thanks or "help" said to the bot (`small_talk`)
SMALL_TALK = {
    "hello": {
        "nl": "Hoi! Stel je vraag over het protocol sociale media, bijvoorbeeld: mag ik in de "
        "pauze op TikTok?",
        "en": "Hi! Ask your question about the social media protocol, e.g.: can I use TikTok in "
        "the break?",
    },
    "thanks": {"nl": "Graag gedaan!", "en": "You're welcome!"},
    "bye": {"nl": "Doei!", "en": "Bye!"},
    "ok": {"nl": "👍", "en": "👍"},
    "help": {
        "nl": "Ik beantwoord vragen over het protocol sociale media van de school, met de tekst "
        "van het protocol zelf. Vraag bijvoorbeeld: mag ik in de pauze op TikTok? Of: mag "
        "Compass in mijn accountnaam? Zit je ergens mee? Praat erover met je mentor of de "
        "vertrouwenspersoon.",
        "en": "I answer questions about the school's social media protocol, with the protocol's "
        "own text. Ask, for example: can I use TikTok in the break? Or: may I put Compass in my "
        "account name? Is something bothering you? Talk it over with your mentor or the "
        "vertrouwenspersoon (the school's confidential adviser).",
    },
}


SLOW_DOWN = {
    "nl": "Rustig aan! Je stelt veel vragen achter elkaar. Probeer het over een halve minuut opnieuw.",
    "en": "Slow down! You are asking a lot of questions at once. Try again in half a minute.",
}


SLOW_DOWN_MINUTES = {
    "nl": "Rustig aan! Je stelt veel vragen achter elkaar. Probeer het over {minutes} "
    "minuut/minuten opnieuw.",
    "en": "Slow down! You are asking a lot of questions at once. Try again in {minutes} minute(s).",
}


TRUNCATED_NOTE = {
    "nl": "(Je vraag was erg lang; ik heb alleen het begin gelezen.)",
    "en": "(Your question was very long; I only read the beginning.)",
}


# What stands in an answer's question field when the question was another member's post
# (the message menu): that text is not the asker's to store through feedback.
SOMEONE_ELSES_POST = {
    "nl": "(het bericht van een ander lid)",
    "en": "(another member's message)",
}
NO_TEXT_TO_ASK = (
    "Dit bericht heeft geen tekst om aan het protocol te vragen. / "
    "This message has no text to ask the protocol about."
)


FEEDBACK_THANKS = {"nl": "Bedankt voor je reactie!", "en": "Thanks for your feedback!"}


FEEDBACK_PROMPT = {
    "nl": "(Was dit nuttig? /nuttig ja of /nuttig nee)",
    "en": "(Was this helpful? /nuttig ja (yes) or /nuttig nee (no))",
}


CHOOSE_RULE = {"nl": "(Kies met /protocol regel ID)", "en": "(Choose one with /protocol regel ID)"}


NOTHING_UNANSWERED = (
    "Er zijn geen onbeantwoorde of niet-nuttige vragen. / "
    "There are no unanswered or unhelpful questions."
)
NOTHING_TO_RATE = "Er is geen antwoord om te beoordelen. / There is no answer to rate."
NO_SUCH_CLAUSE = "Die regel bestaat niet meer. / That rule no longer exists."


def no_rule(typed: str) -> str:
    """A rule id the protocol does not have, as typed (cut short, quoted)."""
    shown = repr(typed[:100])
    return f"Geen regel {shown}. Zie /protocol lijst. / No rule {shown}. See /protocol lijst."


QUESTION_KINDS = {"unanswered": "geen antwoord", "unhelpful": "niet nuttig", "helpful": "nuttig"}


def more_questions(more: int) -> str:
    """Under a list of stored questions cut short (the newest first): how many older ones
    are not shown."""
    return f"… en nog {more} oudere. / … and {more} older ones."


NOT_SAID = {"nl": "Het protocol zegt niet {topic}", "en": "The protocol does not say {topic}"}
NEARBY_AFTER_NOT_SAID = {"nl": "; wel dit, vlak ernaast:", "en": "; nearby it says:"}
TALK_TO = {"nl": "Praat erover met", "en": "Talk it over with"}
SEE_ALSO = {"nl": "Dit verwijst naar", "en": "This refers to"}


def answer_extras(
    language: str,
    see_also: tuple[tuple[str, str], ...],
    related: tuple[str, ...],
    talk_to: tuple[str, ...],
) -> tuple[tuple[str, str], ...]:
    """The parts of an answer beside the clause, as (label, text), in the asker's language:
    the points the clause refers to (title, text), the other question, the people to talk to."""
    lang = "en" if language == "en" else "nl"
    parts = [(f"{SEE_ALSO[lang]}: {title}", text) for title, text in see_also]
    if related:
        parts.append((SECOND_QUESTION[lang], "\n".join(f"• {r}" for r in related)))
    if talk_to:
        parts.append((TALK_TO[lang], ", ".join(talk_to)))
    return tuple(parts)
