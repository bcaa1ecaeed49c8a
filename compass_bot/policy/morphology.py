"""Word forms for looking words up: the Snowball stem, de-inflection, Dutch infinitives."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache

import simplemma
import Stemmer

from compass_bot.policy.text import tokenize

_SNOWBALL = Stemmer.Stemmer("dutch", 0)
"""Without PyStemmer's own cache (size 0): `stem` remembers each word already, and that
second cache kept a new list per new word, young objects for the garbage collector to
walk at its next collections (some 1,500 of a generation-1 collection's 3,300)."""
_SNOWBALL_LOCK = threading.Lock()
"""A PyStemmer object is not thread-safe; the matcher may run in worker threads."""


INTENSIFIERS = frozenset({"aller", "super", "mega", "kei", "hyper", "ultra", "reuze"})
"""Modifiers that only intensify (allerbelangrijkste, superleuk): the head carries the meaning."""

VERB_PREFIX = re.compile(
    r"(?:aan|af|bij|door|in|mee|na|om|onder|op|over|terug|toe|uit|voor|weg|samen|"
    r"ver|her|be|ont|er)(?:ge)?|ge"
)
"""A Dutch separable particle or unstressed prefix, with the participle's ge-: what it
glues to is a verb of another meaning (aan+vallen "attack" is not vallen "count as",
ver+anderd "changed" is not ander "other"). Not a compound's modifier."""


@lru_cache(maxsize=65_536)
def stem(token: str) -> str:
    """The Snowball Dutch stem of a word (PyStemmer), deterministic.

    It only has to map inflections of the same word to the same key (posten, posting ->
    post; ruzie, ruzies -> ruzie; verhalen, verhaal -> verhaal); it need not be a real word. Snowball
    replaced a hand-written suffix stripper: the same on the leave-one-set-out benchmark
    (1721 vs 1720 of 1837 in scope, 429 of 451 refused either way), better on the
    new-style questions, and kept by others. Short words and numbers stay as they are.
    """
    if len(token) <= 3 or token.isdigit():
        return token
    with _SNOWBALL_LOCK:
        return str(_SNOWBALL.stemWord(token))


_LANGUAGES = ("nl", "en")


@lru_cache(maxsize=65_536)
def is_word(token: str) -> bool:
    """True when the Dutch or English dictionary of simplemma (a kept lemmatizer, its
    word lists inside the wheel) knows `token` as a word form.

    A real word is not a typo: without this check "parijs" was corrected to "prijs",
    "slaap" to "slaan", "tekst" to "test", "lekker" to "lekken" (on the dev sets nine
    of ten fixes were such words; the real typos, "pauzze", "protokol", "socal",
    "acount", are in neither dictionary).
    """
    return simplemma.is_known(token, lang=_LANGUAGES)


@lru_cache(maxsize=65_536)
def lemma(token: str) -> str:
    """The Dutch dictionary form of a word (simplemma): zusje -> zus, boeken -> boek,
    gefilmd -> filmen. Used to look a word up, never to rewrite one not found."""
    return simplemma.lemmatize(token, lang="nl")


def load_dictionaries() -> None:
    """Load the dictionaries now (a few seconds, once per process) rather than during
    the first question that needs one."""
    is_word("xqzw")  # no word: every language's dictionary is looked in, so loaded
    lemma("huizen")


def undouble(word: str) -> str:
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        return word[:-1]
    return word


@lru_cache(maxsize=65_536)
def deinflect(token: str) -> tuple[str, ...]:
    """Possible base forms of a Dutch/English inflection, most likely first.

    snapchatten -> snapchat, tiktokken -> tiktok, instagrammen -> instagram,
    gepost -> post, geappt -> app, posts -> post, posting -> post, openbare -> openbaar,
    and the English past: posted -> post, tagged -> tag (without "ed", "posted" stayed an
    unknown word, so an English story lost its act). Only used to look
    a word up in the lexicon, never to change a word that is not found there.
    """
    out: list[str] = []
    word = token
    if word.startswith("ge") and len(word) >= 6:
        out.append(word[2:])
        word = word[2:]
    for suffix in ("en", "ing", "te", "ten", "de", "den", "t", "ed", "d", "s", "e", "er", "ers"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            out.append(base)
            undoubled = undouble(base)
            if undoubled != base:
                out.append(undoubled)
            elif suffix in ("en", "e") and _open_syllable(base):
                # Dutch spelling: openbare -> openbaar, verhalen -> verhaal
                out.append(base[:-1] + base[-2] + base[-1])
    return tuple(out)


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65_536)
def infinitives(token: str) -> tuple[str, ...]:
    """Dutch infinitives a conjugated verb form may come from, most likely first.

    weghaal/weghaalt -> weghalen, flipt -> flippen, praat -> praten, boeit -> boeien,
    leert -> leren. Like `deinflect`, only used to look a word up, never to rewrite one
    that is not found.
    """
    if len(token) < 4 or not token.isalpha():
        return ()
    bases = [token]
    if token.endswith("t") and len(token) >= 5:
        bases.append(token[:-1])
    out: list[str] = []
    for base in bases:
        out.append(base + "en")
        if base.endswith(("ij", "ie", "ei", "oe", "ui", "eu", "ou", "au")):
            continue
        if (
            len(base) >= 4
            and base[-1] not in _VOWELS
            and base[-2] == base[-3]
            and base[-2] in "aeou"
        ):
            out.append(base[:-2] + base[-1] + "en")  # haal -> halen, praat -> praten
        elif (
            len(base) >= 3
            and base[-1] not in _VOWELS
            and base[-2] in _VOWELS
            and base[-3] not in _VOWELS
        ):
            out.append(base + base[-1] + "en")  # flip -> flippen
        if base[-1] in "fs" and base[-2] in _VOWELS:
            out.append(base[:-1] + ("v" if base[-1] == "f" else "z") + "en")  # geloof -> geloven
    return tuple(out)


def _open_syllable(base: str) -> bool:
    """True for a stem like "openbar" whose vowel was doubled before the ending went."""
    return (
        len(base) >= 3
        and base[-1] not in _VOWELS
        and base[-2] in "aeou"
        and base[-3] not in _VOWELS
    )


SEPARABLE_PARTICLES = frozenset(
    {"in", "uit", "af", "aan", "op", "weg", "mee", "terug", "door", "rond", "online"}
)
"""Particles that a Dutch main clause moves to the end, away from their verb: "ik check
elke ochtend op Snapchat in" is inchecken, "haal hem morgen weg" is weghalen."""
_AFTER_PARTICLE = frozenset(
    {"bij", "op", "met", "om", "voor", "na", "naar", "tijdens", "in", "vanaf", "zodat"}
    | {"als", "want", "maar", "en", "of", "omdat", "toen", "terwijl", "dan", "hoor", "toch"}
)
"""What may follow a particle at the end of its clause: the clause ends, or a
preposition or a conjunction opens the next part ("check ... in bij school"). A particle
followed by anything else is a preposition ("zet het op tiktok", "in de les")."""
_SEPARATED_WITHIN = 8
"""How far after its verb a particle is still looked for (tokens of the same sentence)."""


def separated_verbs(sentence: list[str]) -> list[str]:
    """Candidate whole verbs of a sentence's separated particles (particle + verb form),
    e.g. "check ... in" -> "incheck", "inchecken".
    The caller keeps the candidates its lexicon knows. A particle right after the verb
    is left to the phrase lexicon ("check in")."""
    found: list[str] = []
    for j, particle in enumerate(sentence):
        if particle not in SEPARABLE_PARTICLES or j < 2:
            continue
        if j + 1 < len(sentence) and sentence[j + 1] not in _AFTER_PARTICLE:
            continue
        for i in range(max(0, j - _SEPARATED_WITHIN), j - 1):
            verb = sentence[i]
            if len(verb) < 3 or verb in SEPARABLE_PARTICLES:
                continue
            for form in _verb_forms(verb):
                found.append(particle + form)
    return found


@lru_cache(maxsize=65_536)
def _verb_forms(verb: str) -> tuple[str, ...]:
    """A verb as typed, its dictionary form and its infinitives (each once), remembered per
    word; a tuple of strings, which the garbage collector does not track."""
    return tuple(dict.fromkeys((verb, lemma(verb), *infinitives(verb))))


_SENTENCE_BREAK = re.compile(r"[.!?;:,()\n]+")


def separated_concepts(text: str, lexicon: Mapping[str, frozenset[str]]) -> set[str]:
    """Concepts of separable verbs split by a main clause ("check ... in", "geef ... aan");
    sentences are cut at punctuation."""
    out: set[str] = set()
    for piece in _SENTENCE_BREAK.split(text):
        for word in separated_verbs(tokenize(piece)):
            out |= lexicon.get(word, frozenset())
    return out
