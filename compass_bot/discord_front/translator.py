"""English names and descriptions for the Dutch slash commands (app command localisation).

The commands are Dutch by default (`/vraag`); a member whose Discord runs in English sees
`/ask` and English descriptions. Only English is added: Dutch is the base.
"""

from __future__ import annotations

import discord
from discord import app_commands

ENGLISH: dict[str, str] = {
    "vraag": "ask",
    "Stel een vraag over het protocol sociale media": "Ask a question about the social media protocol",
    "Je vraag, bijvoorbeeld: mag ik in de les op TikTok?": "Your question, e.g.: can I use TikTok in class?",
    "protocol": "protocol",
    "Het protocol sociale media": "The social media protocol",
    "lijst": "list",
    "Alle regels van het protocol": "All rules of the protocol",
    "regel": "rule",
    "Toon een regel van het protocol": "Show one rule of the protocol",
    "onbeantwoord": "unanswered",
    "Vragen die de bot niet kon beantwoorden (moderatoren)": "Questions the bot could not answer (moderators)",
    "toestemming": "permission",
    "Toestemming voor sociale media onder schooltijd (docenten)": "Permission for social media during school time (teachers)",
    "geven": "grant",
    "Geef toestemming aan een leerling, een klas (rol) of een kanaal": "Grant permission to a student, a class (role) or a channel",
    "intrekken": "revoke",
    "naam": "name",
    "Goedgekeurde accountnamen met Compass (schoolleiding)": "Approved account names containing Compass (leadership)",
    "goedkeuren": "approve",
    "naamcontrole": "namecheck",
    "Controleer de namen van alle leden": "Check the names of all members",
    "meldingen": "alerts",
    "Meldingen voor moderatoren": "Moderator alerts",
    "open": "open",
    "export": "export",
    "privacy": "privacy",
    "wissen": "erase",
    "Wis alles wat de bot over een lid bewaart": "Erase everything the bot stores about a member",
}
_ENGLISH_LOCALES = frozenset({discord.Locale.american_english, discord.Locale.british_english})


def language_of(interaction: discord.Interaction) -> str:
    """The member's Discord language for what the bot answers them: English clients get
    English, every other one Dutch (the one home of that choice)."""
    return "en" if interaction.locale in _ENGLISH_LOCALES else "nl"


class CompassTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale in _ENGLISH_LOCALES:
            # `_("vraag", en="question")`: one Dutch word, a different English per place.
            english = string.extras.get("en")
            if isinstance(english, str):
                return english
            return ENGLISH.get(string.message)
        return None
