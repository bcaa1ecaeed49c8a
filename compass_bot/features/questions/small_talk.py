"""Greetings, thanks, "help", goodbyes and an "ok" said to the bot: a short reply of its own.

"The protocol does not cover that" is true of "bedankt!" but no reply to it, and it was in
Dutch for "thanks!". Only a message that is nothing but such words counts ("help, iemand zet
mijn foto online" is a question for the matcher). Pure: text in, what it is out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from compass_bot.features.questions import texts

Kind = Literal["hello", "thanks", "help", "bye", "ok"]


@dataclass(frozen=True, slots=True)
class SmallTalk:
    kind: Kind
    language: Literal["nl", "en"] | None  # None: either language (the reply has both)

    def reply(self) -> str:
        """The reply: in the language of the words, or Dutch then English."""
        said = texts.SMALL_TALK[self.kind]
        if self.language or said["nl"] == said["en"]:
            return said[self.language or "nl"]
        return f"{said['nl']}\n{said['en']}"


def _phrases(
    kind: Kind, language: Literal["nl", "en"] | None, *phrases: str
) -> dict[str, SmallTalk]:
    return dict.fromkeys(phrases, SmallTalk(kind, language))


_PHRASES: Final[dict[str, SmallTalk]] = {
    **_phrases("hello", "nl", "hoi", "hallo", "goedemorgen", "goeiemorgen", "goedemiddag"),
    **_phrases("hello", "nl", "goedenavond", "goeienavond", "hoi hoi", "hallo daar"),
    **_phrases("hello", "en", "hello", "hello there", "hi there", "good morning"),
    **_phrases("hello", "en", "good afternoon", "good evening", "hey there"),
    **_phrases("hello", None, "hi", "hey", "hee", "yo", "heey", "hai"),
    **_phrases("thanks", "nl", "bedankt", "dank je", "dankje", "dankjewel", "dank u"),
    **_phrases("thanks", "nl", "dankuwel", "dank jullie", "merci", "top bedankt"),
    **_phrases("thanks", "en", "thanks", "thank you", "thx", "tnx", "ty", "many thanks"),
    **_phrases("thanks", "en", "cheers", "thanks bot", "thank u"),
    **_phrases("help", "nl", "hulp", "wat kun je", "wat kan je", "wat kun jij", "wat kan jij"),
    **_phrases("help", "nl", "wat doe je", "wat doe jij", "hoe werkt dit", "hoe werk je"),
    **_phrases("help", "nl", "wie ben je", "wie ben jij", "wat ben je", "wat ben jij"),
    **_phrases("help", "en", "what can you do", "how does this work", "who are you"),
    **_phrases("help", "nl", "help mij", "help mee", "help me alsjeblieft", "help aub"),
    **_phrases("help", "en", "what are you", "help me", "how do you work", "help me please"),
    **_phrases("help", None, "help"),
    **_phrases("bye", "nl", "doei", "doeg", "tot later", "tot morgen", "fijne dag", "doeidoei"),
    **_phrases("bye", "en", "bye", "goodbye", "bye bye", "see you", "see ya", "have a nice day"),
    **_phrases("bye", None, "later", "ciao", "dag", "daag"),
    # "ok" after an answer: a nod, not "the protocol does not cover that"
    **_phrases("ok", None, "ok", "oke", "oké", "okay", "okee", "oki", "okido", "top", "cool"),
    **_phrases("ok", None, "nice", "prima", "duidelijk", "helder", "got it", "alright", "lol"),
    **_phrases("ok", None, "haha", "hahaha", "xd", "snap ik", "ah oke", "oh oke", "ah ok"),
}
# words around the phrase that change nothing: "ok thanks", "heel erg bedankt", "dank je wel"
_BEFORE: Final = frozenset(
    {
        "ok",
        "oke",
        "oké",
        "okay",
        "okee",
        "oki",
        "top",
        "super",
        "cool",
        "nice",
        "great",
        "alright",
        "ah",
        "oh",
        "oja",
        "nou",
        "heel",
        "erg",
    }
)
_AFTER: Final = frozenset(
    {
        "wel",
        "hoor",
        "he",
        "hè",
        "joh",
        "man",
        "bot",
        "compass",
        "compassbot",
        "nogmaals",
        "again",
        "so",
        "much",
        "a",
        "lot",
        "veel",
        "very",
        "allemaal",
        "all",
        "everyone",
        "iedereen",
        "voor",
        "je",
        "de",
        "hulp",
        "for",
        "the",
        "help",
    }
)
_WORD: Final = re.compile(r"[^\W\d_]+")
_LONG_REPEAT: Final = re.compile(r"(.)\1{2,}")  # "hoiii", "heeeey": two of the letter left
_REPEAT: Final = re.compile(r"(.)\1+")  # "thankss", "hoii": one left
LONGEST: Final = 60  # characters: a longer message says more than hello


def _collapsed(phrases: dict[str, SmallTalk]) -> dict[str, SmallTalk]:
    """The phrases with every doubled letter single ("hallo": "halo", "help mee": "help me"),
    for words lengthened past their own double letters ("hallooo"); two phrases of one kind
    that collapse alike in two languages ("help mee", "help me") answer in both."""
    found: dict[str, SmallTalk] = {}
    for phrase, talk in phrases.items():
        key = _REPEAT.sub(r"\1", phrase)
        known = found.get(key)
        if known is not None and known.language != talk.language:
            talk = SmallTalk(talk.kind, None)
        found[key] = talk
    return found


_COLLAPSED: Final = _collapsed(_PHRASES)


def small_talk(text: str) -> SmallTalk | None:
    """What `text` is, when it is only a greeting, thanks or a call for help; else None."""
    if len(text) > LONGEST or any(ch.isdigit() for ch in text):
        return None
    words = _WORD.findall(text.casefold())
    found = _trimmed([_LONG_REPEAT.sub(r"\1\1", w) for w in words], _PHRASES)
    if found is None:
        found = _trimmed([_REPEAT.sub(r"\1", w) for w in words], _COLLAPSED)
    return found


def _trimmed(words: list[str], phrases: dict[str, SmallTalk]) -> SmallTalk | None:
    """The phrase, with the words around it that change nothing taken off."""
    while words and words[0] in _BEFORE and " ".join(words) not in phrases:
        words = words[1:]
    while words and words[-1] in _AFTER and " ".join(words) not in phrases:
        words = words[:-1]
    return phrases.get(" ".join(words))
