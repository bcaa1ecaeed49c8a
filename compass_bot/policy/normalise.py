"""Turning a question as typed in Discord into matchable terms.

Steps (both languages; the same pipeline for questions and for the clause examples):

1. cut to MAX_QUESTION_CHARS; drop Discord noise (mentions, @everyone, channel links,
   custom emoji, timestamps, URLs);
2. account names: a word that glues the school name to something (compass_memes,
   compasskids, c0mpass, @compass) or a quoted name with it ('compass roddels') becomes
   the concept ACCOUNTNAME and is not read further;
3. fold: Unicode NFKC, case-fold, strip accents ("privé" -> "prive"), unify quotes;
   expand contractions (m'n, z'n, 't, i'm, don't) and glue plural 's (foto's);
4. tokenise on letters/digits; squeeze letters repeated 3+ times (lesss -> less);
   expand chat abbreviations (ff, mn, gwn, eig, wnr, ipv, idk, pls, btw, w8, ...);
5. detect the language (nl/en) from function words (else dictionaries);
6. map phrases and words to CONCEPTS (policy_text/concepts.yaml): longest phrase first
   (on stems), then the word, a de-inflected form (gepost -> post) or its stem;
7. drop stop words; split an unknown word as a Dutch compound on a known last part
   (instagrampagina -> PLATFORM + ACCOUNT), else correct a likely typo towards the known
   vocabulary (one or two edits, rapidfuzz): "pauzze", "protokol", "acount". What
   remains unknown is kept as its stem and flagged.

The steps live in one module per idea: `wordlists` (abbreviations, stop words, language
markers), `text` (steps 1-5), `sentences` (a letter's addressee, the sentence that asks),
`morphology` (stems and word forms), `typos` (step 7's fixes); this module holds the
analyser (steps 6-7) and keeps the public names importable from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from compass_bot.policy.frame import phrase_read
from compass_bot.policy.morphology import (
    INTENSIFIERS,
    VERB_PREFIX,
    deinflect,
    infinitives,
    lemma,
    load_dictionaries,
    separated_concepts,
    stem,
    undouble,
)
from compass_bot.policy.perword import PerWord
from compass_bot.policy.phrases import find_phrase, overlapping
from compass_bot.policy.putting import PUT, put_read
from compass_bot.policy.sentences import asking_span, without_addressee
from compass_bot.policy.text import (
    Language,
    detect_language,
    fold,
    handle_like,
    quotes_in,
    split_handles,
    strip_discord,
    tokenize,
)
from compass_bot.policy.typos import TypoFixer
from compass_bot.policy.wordlists import (
    CHAT_ABBREVIATIONS,
    COUNT_WORDS,
    HOUR_WORDS,
    SHORT_HEADS,
    STOPWORDS,
    STOPWORDS_EN,
    STOPWORDS_NL,
)

__all__ = [
    "ACCOUNTNAME",
    "CHAT_ABBREVIATIONS",
    "COURTESY",
    "IGNORE",
    "MAX_COMPOUND",
    "MAX_QUESTION_CHARS",
    "NUMBER",
    "SCHOOL",
    "STOPWORDS",
    "STOPWORDS_EN",
    "STOPWORDS_NL",
    "STUDENT_VOICE",
    "Analysis",
    "Language",
    "Normaliser",
    "concept_pairs",
    "deinflect",
    "detect_language",
    "fold",
    "handle_like",
    "infinitives",
    "quotes_in",
    "split_handles",
    "stem",
    "strip_discord",
    "tokenize",
]

MAX_COMPOUND = 30  # the longest word tried as a compound: splitting costs grow with length
MAX_QUESTION_CHARS = 500  # questions are cut to this: a wall of text is not a question

NUMBER = "NUMBER"
ACCOUNTNAME = "ACCOUNTNAME"
SCHOOL = "SCHOOL"
STUDENT_VOICE = "ASSTUDENT"
"""The asker says they are a student ("ik ben leerling", "mijn mentor"): the staff-only
clauses score as without a staff signal (index.py), even beside a manager or teacher ("mijn
teamleider zei ..."). It says who asks, not what about: no similarity or model uses it."""
COURTESY = frozenset({"GREETING", "BOT"})
"""Concepts of politeness ("Beste bot", "hoi", "bedankt"): the whole question when
there is nothing else (chit-chat, out of scope), noise around a social-media question."""
SETTING = frozenset({"BREAK", "LESSON", "SCHOOLTIME", "ATSCHOOL"})
"""When and where (the break, class, school): the question in the sentence that asks ("mag
ik in de pauze ...?"), the scene in the story around it ("In de pauze heb ik ... gepost. Mag
dat?"), which counts less than what happened (`Analysis.told`, index.py)."""
_BARE_ASK = COURTESY | {"ALLOWED"}
"""An asking sentence of only these ("Mag dat?", "Kan dat?") asks about the story itself:
nothing in the story is then told apart from what is asked."""
IGNORE = "IGNORE"
"""False friends in concepts.yaml ("does that mean", "ik snap het": no UNPLEASANT, no
PLATFORM): a form listed under IGNORE is consumed and yields no term."""


# ---------------------------------------------------------------- the analyser


@dataclass(frozen=True, slots=True)
class Analysis:
    """A question as the matcher sees it."""

    terms: tuple[str, ...]
    """Concepts (UPPERCASE) and stems of other content words, in order, without repeats."""
    unknown: frozenset[str]
    """Terms that neither the lexicon nor the known vocabulary recognises."""
    language: Language
    concepts: frozenset[str]
    """The concept terms only."""
    quotes: tuple[str, ...] = ()
    """Quoted passages of three words or more, folded to plain words: a reader quoting
    the protocol ("what does 'use your common sense' mean")."""
    words: tuple[str, ...] = ()
    """The content words as typed (folded, chat abbreviations expanded, stop words and
    school-name handles left out), for comparing spellings (spelling.py)."""
    asked: tuple[str, ...] = ()
    """The concepts of the sentence that asks, when a story comes before it ("In de pauze
    filmde ik ... . Moet ik haar dat vragen?"): what the question turns on."""
    told: frozenset[str] = frozenset()
    """The concepts named only in the story around the sentence that asks, when that
    sentence asks a thing of its own (empty for one sentence, and after "Mag dat?"):
    the scene, which weighs less than what is asked."""


def concept_pairs(analysis: Analysis) -> list[str]:
    """Every pair of the question's concepts ("NAME+SCHOOL"): a pair says more than its
    parts (the school's name inside an account name, aanwijzing-2)."""
    return list(_pairs_of(analysis.concepts))


@lru_cache(maxsize=4096)
def _pairs_of(concepts: frozenset[str]) -> tuple[str, ...]:
    """`concept_pairs` per concept set, remembered: the index, decision and model each ask."""
    ordered = sorted(concepts)
    return tuple(f"{a}+{b}" for i, a in enumerate(ordered) for b in ordered[i + 1 :])


_STRETCHED = re.compile(r"([aeiouy])\1$")
_MAX_PHRASE = 5


def _read_lexicon(
    concepts: Mapping[str, Iterable[str]],
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[tuple[str, ...], set[str]]]:
    """The concepts of each single word, of each word's stem, and of each phrase (as
    the stems of its first words)."""
    exact: dict[str, set[str]] = {}
    stemmed: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for name, forms in concepts.items():
        for form in forms:
            tokens = tokenize(form)
            if len(tokens) == 1:
                exact.setdefault(tokens[0], set()).add(name)
                stemmed.setdefault(stem(tokens[0]), set()).add(name)
            elif tokens:
                key = tuple(stem(t) for t in tokens[:_MAX_PHRASE])
                phrases.setdefault(key, set()).add(name)
    return exact, stemmed, phrases


def _is_count(token: str) -> bool:
    """A cardinal before "uur" makes it a time of day or a duration; an ordinal ("2e",
    "tweede") leaves it the lesson hour."""
    return token.isdigit() or token in COUNT_WORDS


class Normaliser:
    """Maps text to terms using a concept lexicon; corrects typos against a vocabulary."""

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        exact, stemmed, phrases = _read_lexicon(concepts)
        # IGNORE forms are recognised (so that they are consumed) but yield no concept;
        # one object per distinct concept set (some 200 for 8,000 forms): fewer objects
        # for the garbage collector to walk through at every full collection
        shared: dict[frozenset[str], frozenset[str]] = {}

        def names_of(found: set[str]) -> frozenset[str]:
            names = frozenset(found - {IGNORE})
            return shared.setdefault(names, names)

        self._exact = {k: names_of(v) for k, v in exact.items()}
        self._stemmed = {k: names_of(v) for k, v in stemmed.items() if v != {IGNORE}}
        self._phrases = {k: names_of(v) for k, v in phrases.items()}
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        # per first stem, the lengths of the phrases it opens, longest first: a token that
        # opens no phrase costs one lookup instead of one tuple and lookup per length
        sizes: dict[str, set[int]] = {}
        for key in self._phrases:
            sizes.setdefault(key[0], set()).add(len(key))
        self._phrase_sizes = {first: tuple(sorted(s, reverse=True)) for first, s in sizes.items()}
        self._phrase_stems = frozenset(t for key in self._phrases for t in key)
        self._vocab_stems: set[str] = set()
        self._vocab_words: set[str] = set(exact)
        self._typos = TypoFixer(self._vocab_words)
        self._phrase_stems_of = PerWord(self._find_phrase_stem)
        self._concepts_by_word = PerWord(self._find_concepts)
        # a word's reading without and with typo correction, remembered apart and keyed on
        # the word alone: the load's reading of every example (no typo correction) is then
        # the reading of that word in a question (see `_reading`)
        self._plain_readings: PerWord[str, tuple[tuple[str, ...], str | None]]
        self._plain_readings = PerWord(lambda token: self._read(token, False))
        self._typo_readings: PerWord[str, tuple[tuple[str, ...], str | None]]
        self._typo_readings = PerWord(lambda token: self._read(token, True))
        self._typos.add_words(sorted(exact))
        load_dictionaries()
        # the lexicon by dictionary form: "vernoemd" is listed, "vernoemen" is asked
        by_lemma: dict[str, set[str]] = {}
        for word, names in self._exact.items():
            if names and word.isalpha():
                by_lemma.setdefault(lemma(word), set()).update(names)
        self._by_lemma = {k: names_of(v) for k, v in by_lemma.items()}

    # -- vocabulary for typo correction

    def add_vocabulary(self, texts: Iterable[str]) -> None:
        """Words seen in clause examples and out-of-scope examples are 'known' words."""
        words: set[str] = set()
        for text in texts:
            words.update(tokenize(text))
        words -= STOPWORDS
        self._vocab_words.update(words)
        words -= set(self._exact)
        self._vocab_stems.update(stem(w) for w in words)
        self._typos.add_words(sorted(words))
        self._plain_readings.clear()  # a word's reading depends on the vocabulary
        self._typo_readings.clear()

    def _phrase_stem(self, token: str) -> str:
        """The stem used to look phrases up: a conjugated verb takes its infinitive's stem
        when only that one occurs in a phrase ("praat over" matches "praten over")."""
        return self._phrase_stems_of(token)

    def _find_phrase_stem(self, token: str) -> str:
        key = stem(token)
        if key in self._phrase_stems:
            return key
        for base in infinitives(token):
            alt = stem(base)
            if alt in self._phrase_stems:
                return alt
        return key

    # -- analysis

    def concepts_of(self, word: str) -> frozenset[str] | None:
        """The concepts a single word stands for, or None when it stands for none."""
        return self._concepts_of(word)

    def _concepts_of(self, token: str) -> frozenset[str] | None:
        """`_find_concepts`, remembered per word (the lexicon does not change)."""
        return self._concepts_by_word(token)

    def _find_concepts(self, token: str) -> frozenset[str] | None:
        """Concepts of a word: its exact form, a de-inflected form (snapchatten -> snapchat,
        gepost -> post), else its stem; not under five letters ("het" is not "heten")."""
        found = self._exact.get(token)
        if found is not None or token in STOPWORDS:
            return found
        for base in deinflect(token):
            found = self._exact.get(base)
            if found is not None:
                return found
        if len(token) >= 5:
            found = self._stemmed.get(stem(token))
            if found is not None:
                return found
        for base in infinitives(token):
            found = self._exact.get(base)
            if found is not None:
                return found
        return None

    def _is_word(self, part: str, *, nested: bool = True) -> bool:
        """A known word, also with a linking -s-/-e-/-en- (klassenfoto, groepsapp), or one
        level deep a compound of them (socialemedia + protocol): not "spij" + "bellen"."""
        if part in self._vocab_words or part in INTENSIFIERS:
            return True
        if any(
            part.endswith(link) and undouble(part[: -len(link)]) in self._vocab_words
            for link in ("s", "e", "en")
        ):
            return True
        return nested and len(part) >= 7 and bool(self._compound(part, nested=False))

    def _compound(self, token: str, *, nested: bool = True) -> list[frozenset[str]]:
        """Concepts of a Dutch compound (instagrampagina -> PLATFORM + ACCOUNT): a known head
        of four letters or more, plus a known modifier's concepts (schoolfoto -> SCHOOL +
        PHOTO); not over MAX_COMPOUND letters ("hahahaha...")."""
        if not 7 <= len(token) <= MAX_COMPOUND:
            return []
        for cut in range(3, len(token) - 3):
            head = self._concepts_of(token[cut:])
            if not head:
                continue
            modifier = token[:cut]
            if VERB_PREFIX.fullmatch(modifier) or not self._is_word(modifier, nested=nested):
                continue  # aangevallen is not a kind of "vallen", spijbelen not of "bellen"
            found = [head]
            mod = self._exact.get(modifier) or self._exact.get(modifier.rstrip("s"))
            if mod is not None and modifier not in STOPWORDS:
                found.insert(0, mod)
            return found
        if short := self._short_head(token):
            return short
        # unknown head: a known modifier of four letters or more still says what the
        # compound is about (discordserver -> PLATFORM, klassengroep -> LESSON)
        for cut in range(len(token) - 3, 3, -1):
            modifier = token[:cut]
            if modifier in STOPWORDS:
                continue
            mod = self._exact.get(modifier) or self._exact.get(modifier.rstrip("s"))
            if mod:
                return [mod]
        return []

    def _short_head(self, token: str) -> list[frozenset[str]]:
        """tekenles -> LESSON: a three-letter concept (SHORT_HEADS) after a known word."""
        head, modifier = token[-3:], token[:-3]
        concepts = self._concepts_of(head) if head in SHORT_HEADS else None
        if (
            not concepts
            or VERB_PREFIX.fullmatch(modifier)
            or not self._is_word(modifier, nested=False)
        ):
            return []
        return [c for c in (self._exact.get(modifier), concepts) if c]

    def _stretched_stopword(self, token: str) -> bool:
        """A function word stretched in chat ("soooo", "zooo", "nouuu", left with a double
        last vowel by tokenize: "soo"): it says no more than the word itself, not an
        unknown word that weighs like a topic. A word of the examples is left alone."""
        if not _STRETCHED.search(token) or token in self._vocab_words:
            return False
        return token[:-1] in STOPWORDS

    def _reading(self, token: str, correct_typos: bool) -> tuple[tuple[str, ...], str | None]:
        """`_read`, remembered per word: a word outside every phrase reads the same
        wherever it stands, and its reading (concepts, de-inflection, dictionary form,
        compound, typo) was most of a question's analysis. Cleared by `add_vocabulary`.

        Typo correction is `_read`'s last step, met only by a word of four letters or more
        that stays unknown; any other word reads the same either way, so a question takes
        its reading from the plain one, which the load made for every word of the examples."""
        plain = self._plain_readings(token)
        if not correct_typos or plain[1] is None or len(token) < 4:
            return plain
        return self._typo_readings(token)

    def _read(self, token: str, correct_typos: bool) -> tuple[tuple[str, ...], str | None]:
        """A word outside a phrase: the terms it adds, in order, and its stem when it is
        unknown (neither lexicon nor vocabulary recognises it)."""
        names = self._concepts_of(token)
        if names is not None:
            return tuple(sorted(names)), None
        if token in STOPWORDS or self._stretched_stopword(token):
            return (), None
        if any(len(b) >= 4 and b in STOPWORDS_NL for b in deinflect(token)):
            return (), None  # an inflected stop word: "bedoelt", "denkt", "weten"
        if token.isdigit():
            return (), None  # a bare number ("om 12 uur", "klas 3") says nothing of the topic
        key = stem(token)
        if key not in self._vocab_stems:
            for base in infinitives(token):
                if stem(base) in self._vocab_stems:
                    key = stem(base)
                    break
        if key not in self._vocab_stems:
            # the dictionary form: zusje -> zus, liep -> lopen, gefilmd -> filmen; or
            # a listed word with the same dictionary form (vernoemen ~ vernoemd)
            base = lemma(token)
            names = self._concepts_of(base) if base != token else None
            names = names or self._by_lemma.get(base)
            if names is not None:
                return tuple(sorted(names)), None
            if base != token and stem(base) in self._vocab_stems:
                key = stem(base)
        if key not in self._vocab_stems:
            parts = self._compound(token)
            if parts:
                return tuple(name for names in parts for name in sorted(names)), None
        if key in self._vocab_stems or len(token) < 4 or not correct_typos:
            return (key,), (None if key in self._vocab_stems else key)
        fixed = self._typos.fix(token)
        if fixed is None:
            return (key,), key
        names = self._concepts_of(fixed)
        if names is not None:
            return tuple(sorted(names)), None
        return ((stem(fixed),) if fixed not in STOPWORDS else ()), None

    def analyse(self, text: str, *, correct_typos: bool = True) -> Analysis:
        stripped = strip_discord(text[:MAX_QUESTION_CHARS])
        quotes = quotes_in(stripped)
        # the addressee goes before folding: a name is told by its capital letter
        opened = without_addressee(stripped)
        text, has_handle = split_handles(opened)
        tokens = tokenize(text)
        language = detect_language(tokens, keywords=True)
        stems = [self._phrase_stem(t) for t in tokens]
        terms: list[str] = []
        unknown: set[str] = set()
        concepts: set[str] = set()

        asked_from, asked_to = asking_span(text, len(tokens))
        asked: list[str] = []
        has_story = asked_to > asked_from

        def add(term: str) -> None:
            if term.isupper() and asked_from <= at < asked_to and term not in asked:
                asked.append(term)
            if term not in seen:
                seen.add(term)
                terms.append(term)
                if term.isupper():
                    concepts.add(term)

        seen: set[str] = set()
        framed: set[int] = set()  # the positions of the words of a FRAME phrase
        i = at = 0
        if has_handle:
            add(ACCOUNTNAME)
            add(SCHOOL)
        n = len(tokens)
        while i < n:
            at = i
            if i and tokens[i] in HOUR_WORDS and _is_count(tokens[i - 1]):
                i += 1
                continue  # "om 2 uur", "na 24 uur": a clock time or a duration, not a lesson
            sizes = self._phrase_sizes.get(stems[i])
            if sizes and (found := find_phrase(tokens, stems, i, sizes, self._phrases)):
                names, unasked = phrase_read(found[0], tokens, i, found[1], STOPWORDS)
                framed.update(unasked)
                for name in sorted(names):
                    add(name)
                i = found[1]
                # a phrase opening inside this one and reaching past it is read too
                for opens, names, ends in overlapping(
                    tokens, stems, at, i, self._phrase_sizes, self._phrases
                ):
                    at, i = opens, ends
                    for name in sorted(names):
                        add(name)
                continue
            read, unknown_key = self._reading(tokens[i], correct_typos)
            i += 1
            for term in read:
                add(term)
            if unknown_key is not None:
                unknown.add(unknown_key)
        for name in sorted(separated_concepts(text, self._exact) if language == "nl" else ()):
            add(name)
        if PUT in concepts:
            terms, asked = put_read(terms, concepts), put_read(asked, concepts)
        # "Mag dat?" asks about the whole story; "Moet ik haar dat vragen?" asks a thing
        # of its own, and the story around it is told
        asks_own = not set(asked) <= _BARE_ASK
        return Analysis(
            terms=tuple(terms),
            unknown=frozenset(unknown),
            language=language,
            concepts=frozenset(concepts),
            quotes=quotes,
            words=tuple(t for k, t in enumerate(tokens) if t not in STOPWORDS and k not in framed),
            asked=tuple(asked),
            told=frozenset(concepts - set(asked)) if has_story and asks_own else frozenset(),
        )
