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
5. detect the language (nl/en) from function words;
6. map phrases and words to canonical CONCEPTS from policy_text/concepts.yaml: longest
   phrase first (on stems), then the exact word, a de-inflected form (snapchatten ->
   snapchat, gepost -> post), or the stem of a longer word (posting -> post);
7. drop stop words; a word still unknown is split as a Dutch compound when its last part
   is known (instagrampagina -> PLATFORM + ACCOUNT), else corrected towards the known
   vocabulary when it is a likely typo (same first letter, one edit, two for longer
   words, 80% Indel similarity; rapidfuzz): "pauzze", "protokol", "acount", "socal".
   What remains unknown is kept as its stem and flagged.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import Stemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

Language = Literal["nl", "en"]

MAX_COMPOUND = 30
"""Longest word that is tried as a compound: splitting costs grow with the length."""

MAX_QUESTION_CHARS = 500
"""Questions are cut to this length before matching; a wall of text is not a question."""

NUMBER = "NUMBER"
ACCOUNTNAME = "ACCOUNTNAME"
SCHOOL = "SCHOOL"
IGNORE = "IGNORE"
"""Concept name for false friends in concepts.yaml: phrases such as "does that mean" or
"ik snap het" whose words would otherwise be read as a concept ("mean" UNPLEASANT,
"snap" PLATFORM). A form listed under IGNORE is consumed and yields no term."""

# ---------------------------------------------------------------- word lists

CHAT_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    # Dutch chat
    "ff": ("even",),
    "effe": ("even",),
    "efkes": ("even",),
    "wnr": ("wanneer",),
    "wnn": ("wanneer",),
    "mn": ("mijn",),
    "mijne": ("mijn",),
    "zn": ("zijn",),
    "jou": ("jouw",),
    "ipv": ("in", "plaats", "van"),
    "eig": ("eigenlijk",),
    "eigl": ("eigenlijk",),
    "gwn": ("gewoon",),
    "gewn": ("gewoon",),
    "ies": ("iets",),
    "wss": ("waarschijnlijk",),
    "sws": ("sowieso",),
    "idd": ("inderdaad",),
    "nie": ("niet",),
    "ni": ("niet",),
    "nt": ("niet",),
    "tog": ("toch",),
    "wa": ("wat",),
    "da": ("dat",),
    "ma": ("maar",),
    "kben": ("ik", "ben"),
    "kheb": ("ik", "heb"),
    "kweet": ("ik", "weet"),
    "w8": ("wacht",),
    "hw": ("huiswerk",),
    "bijv": ("bijvoorbeeld",),
    "bv": ("bijvoorbeeld",),
    "bvb": ("bijvoorbeeld",),
    "evt": ("eventueel",),
    "mss": ("misschien",),
    "instas": ("insta",),
    # English chat
    "u": ("you",),
    "ur": ("your",),
    "r": ("are",),
    "y": ("why",),
    "idk": ("i", "do", "not", "know"),
    "dunno": ("do", "not", "know"),
    "pls": (),
    "plz": (),
    "pliz": (),
    "please": (),
    "btw": (),
    "tbh": (),
    "imo": (),
    "ngl": (),
    "fr": (),
    "rn": ("right", "now"),
    "b4": ("before",),
    "bc": ("because",),
    "cuz": ("because",),
    "coz": ("because",),
    "smth": ("something",),
    "sth": ("something",),
    "sm1": ("someone",),
    "some1": ("someone",),
    "any1": ("anyone",),
    "2day": ("today",),
    "gonna": ("going", "to"),
    "wanna": ("want", "to"),
    "gotta": ("have", "to"),
    "whats": ("what", "is"),
    "thats": ("that", "is"),
    "hows": ("how", "is"),
    "whos": ("who", "is"),
    "im": ("i", "am"),
    "ive": ("i", "have"),
    "id": ("i", "would"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "cant": ("can", "not"),
    "isnt": ("is", "not"),
    "arent": ("are", "not"),
    "wont": ("will", "not"),
    "shouldnt": ("should", "not"),
    "pic": ("picture",),
    "pics": ("pictures",),
    "convo": ("conversation",),
    "convos": ("conversations",),
    "sm": ("social", "media"),
    "socmed": ("social", "media"),
}

_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bm'n\b", "mijn"),
        (r"\bz'n\b", "zijn"),
        (r"\bd'r\b", "haar"),
        (r"'t\b", " het"),
        (r"\bi'm\b", "i am"),
        (r"n't\b", " not"),
        (r"'re\b", " are"),
        (r"'ll\b", " will"),
        (r"'ve\b", " have"),
        (r"'d\b", " would"),
        (r"(\w)'s\b", r"\1s"),  # foto's -> fotos, school's -> schools
    )
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS_NL = _words(
    """
    de het een en of maar dan dat die dit deze der des den d t in op aan af bij door met mee
    naar om onder over tot tussen uit van voor tegen na zonder via per sinds tijdens volgens
    ik je jij u hij zij ze we wij mij me mijn m jouw jullie zijn haar hun hen ons onze uw men
    iets niets niks wat waar wanneer welke welk hoeveel hoelang waarmee waarover wiens
    is ben bent was waren wordt word worden werd geweest heb hebt heeft hebben had hadden kan
    kun kunt kunnen kon konden zal zult zullen zou zouden wil wilt willen moet moeten moest
    hoef hoeft hoeven ga gaat gaan ging doe doet doen deed gedaan krijg krijgt krijgen kom
    komt komen laat laten er hier daar nu toen al nog ook wel niet geen nooit altijd heel zo
    zeer veel meer minder even gewoon eigenlijk echt toch alleen misschien waarschijnlijk
    sowieso dus want omdat zodat terwijl hoor he nou joh yo bro man lol haha hahaha xd
    inderdaad eventueel bijvoorbeeld ergens daarin daarmee daarvan daarover erin ermee
    erover ervan erop eraan zich zelf zelfs steeds elk elke ieder iedere soms vaak beetje
    ja nee weet denk bedoel niemand nergens verwacht verwachten goed goede algemeen check
    checken checkt gecheckt als te eerst voordat zitten zit zat staat staan stond maken maak
    maakt gemaakt lijken lijkt precies houden houdt hou helemaal totaal
    ofzo enzo ofso zoiets uberhaupt trouwens sowieso dan nou eens gwoon
    weer zomaar ding dingen daarop daarbij daaraan daarvoor daardoor hierop hierover hiermee
    hiervan hierin hierbij waarop waarin waarbij waaraan waarvan eerlijk gezegd
    hem ie zon zulk zulke zei zeggen zegt kwam kreeg kregen gekregen sprak ervoor
    ernaar ertegen erachter erbij erdoor eruit erna weleens zichzelf mezelf jezelf
    elkaar paar overal allang letterlijk exact half flink enorm super bepaald bepaalde
    bepaalt n eigelijk waneer wtf bruh ong lowkey random beste best alvast
    """
)

STOPWORDS_EN = _words(
    """
    the a an and or but if then than that this these those there here in on at to of for from
    with without by into onto over under between through during after before as is am are was
    were be been being do does did done doing have has had having can could will would shall
    should may might must i me my mine you your yours he him his she her it its we us our they
    them their what which whose when where not no yes so just really very also too only even
    still any some each much many more most other such own same please lol lmao bro dude guys
    like get got going want getting gets something anything things thing stuff actually
    basically literally kinda sorta well um uh hmm yeah yep nope right about nobody
    supposed expected required good general generally go goes went check checking checked
    isn yet make makes making made look looks looking
    honestly seriously anyway ever again thereby therefore
    ago during durin past exactly half pretty quite whole wtf bruh lowkey random
    """
)

STOPWORDS = STOPWORDS_NL | STOPWORDS_EN

_NL_MARKERS = _words(
    """
    de het een ik je jij mag mogen wat hoe van op niet dat die er mijn wel ook voor met als
    naar wordt zijn kan moet maar dan toch nog eigenlijk gewoon waarom wanneer wie welke jouw
    onze iemand iets hebben heb heeft ben bent worden word mee uit bij deze dit zo al tijdens
    onder zonder even mn ff gwn eig dus hoor nou wij jullie ze zij hij geen nooit altijd
    les klas pauze leerling leerlingen docent leraar waar
    """
)
_EN_MARKERS = _words(
    """
    the a an i you can what how my not it to do does should with for about if be am are this
    that when why who which someone something get got at your our we they them there have
    has will would could allowed teacher teachers class lesson student students and or
    """
)

# ---------------------------------------------------------------- basic text functions

_APOSTROPHES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
    }
)
_TOKEN = re.compile(r"[a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CHUNK = re.compile(r"\S+")
_DISCORD_NOISE = re.compile(
    r"<a?:\w+:\d+>"  # custom emoji
    r"|<[@#][!&]?\d+>"  # user, role and channel mentions
    r"|<t:\d+(?::\w)?>"  # timestamps
    r"|https?://\S+"  # links
    r"|@(?:everyone|here)\b"
    r"|@(?![\w.]*c[o0]mp)[\w.]+",  # @someone (an @handle with the school name stays)
    re.IGNORECASE,
)
_COMPASS_IN_WORD = re.compile(r"c[o0]mp[a4@][s5$]{1,3}")
_NOT_A_HANDLE_RESIDUE = frozenset({"", "s", "es", "ion", "ions", "ie", "ionate", "en"})


def fold(text: str) -> str:
    """Lower case without accents, with unified apostrophes and expanded contractions."""
    if text.isascii():
        plain = text.lower().replace("`", "'")
    else:
        folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
        decomposed = unicodedata.normalize("NFKD", folded)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if "'" in plain:
        for pattern, replacement in _CONTRACTIONS:
            plain = pattern.sub(replacement, plain)
    return plain


def tokenize(text: str) -> list[str]:
    """Folded tokens with chat abbreviations expanded."""
    out: list[str] = []
    for token in _TOKEN.findall(_REPEATS.sub(r"\1\1", fold(text).replace("'", ""))):
        expansion = CHAT_ABBREVIATIONS.get(token)
        if expansion is None:
            out.append(token)
        else:
            out.extend(expansion)
    return out


_SNOWBALL = Stemmer.Stemmer("dutch")
_SNOWBALL_LOCK = threading.Lock()
"""A PyStemmer object is not thread-safe; the matcher may run in worker threads."""


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


def _undouble(word: str) -> str:
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        return word[:-1]
    return word


def deinflect(token: str) -> list[str]:
    """Possible base forms of a Dutch/English inflection, most likely first.

    snapchatten -> snapchat, tiktokken -> tiktok, instagrammen -> instagram,
    gepost -> post, geappt -> app, posts -> post, posting -> post, openbare -> openbaar.
    Only used to look
    a word up in the lexicon, never to change a word that is not found there.
    """
    out: list[str] = []
    word = token
    if word.startswith("ge") and len(word) >= 6:
        out.append(word[2:])
        word = word[2:]
    for suffix in ("en", "ing", "te", "ten", "de", "den", "t", "d", "s", "e", "er", "ers"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            out.append(base)
            undoubled = _undouble(base)
            if undoubled != base:
                out.append(undoubled)
            elif suffix in ("en", "e") and _open_syllable(base):
                # Dutch spelling: openbare -> openbaar, verhalen -> verhaal
                out.append(base[:-1] + base[-2] + base[-1])
    return out


_VOWELS = frozenset("aeiou")

_INTENSIFIERS = frozenset({"aller", "super", "mega", "kei", "hyper", "ultra", "reuze"})
"""Modifiers that only intensify (allerbelangrijkste, superleuk): the head carries the meaning."""

_VERB_PREFIX = re.compile(
    r"(?:aan|af|bij|door|in|mee|na|om|onder|op|over|terug|toe|uit|voor|weg|samen|"
    r"ver|her|be|ont|er)(?:ge)?|ge"
)
"""A Dutch separable particle or unstressed prefix, with the participle's ge-: what it
glues to is a verb of another meaning (aan+vallen "attack" is not vallen "count as",
ver+anderd "changed" is not ander "other"). Not a compound's modifier."""


def infinitives(token: str) -> list[str]:
    """Dutch infinitives a conjugated verb form may come from, most likely first.

    weghaal/weghaalt -> weghalen, flipt -> flippen, praat -> praten, boeit -> boeien,
    leert -> leren. Like `deinflect`, only used to look a word up, never to rewrite one
    that is not found.
    """
    if len(token) < 4 or not token.isalpha():
        return []
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
    return out


def _open_syllable(base: str) -> bool:
    """True for a stem like "openbar" whose vowel was doubled before the ending went."""
    return (
        len(base) >= 3
        and base[-1] not in _VOWELS
        and base[-2] in "aeou"
        and base[-3] not in _VOWELS
    )


def detect_language(tokens: Iterable[str]) -> Language:
    """'en' when English function words outnumber Dutch ones, else 'nl' (the default)."""
    nl = en = 0
    for token in tokens:
        if token in _NL_MARKERS:
            nl += 1
        if token in _EN_MARKERS:
            en += 1
    return "en" if en > nl else "nl"


def _is_handle(chunk: str) -> bool:
    word = chunk.strip("?!.,:;\"'()[]{}*~<>|")
    match = _COMPASS_IN_WORD.search(word)
    if match is None:
        return False
    if word.startswith(("@", "#")) or any(c in match.group() for c in "04@5$"):
        return True
    residue = re.sub(r"[^a-z0-9]", "", word[: match.start()] + word[match.end() :])
    return residue not in _NOT_A_HANDLE_RESIDUE


def strip_discord(text: str) -> str:
    """Remove mentions, channel links, custom emoji, timestamps and URLs: not content."""
    return _DISCORD_NOISE.sub(" ", text)


_PASSAGE = re.compile(r"""(?:^|(?<=[\s(:]))(['"])(.{8,300}?)\1(?=$|[\s).,:;!?])""")


def quotes_in(text: str) -> tuple[str, ...]:
    """Passages between matching quotes, three words or more, as plain folded words."""
    found = []
    for match in _PASSAGE.finditer(fold(text)):
        words = re.findall(r"[a-z0-9]+", match.group(2))
        if len(words) >= 3:
            found.append(" ".join(words))
    return tuple(found)


_QUOTED = re.compile(r"(?<![a-z0-9])(['\"])([^'\"]{1,40}?)\1(?![a-z0-9])")


def split_handles(text: str) -> tuple[str, bool]:
    """Remove words that glue the school name into a handle; report whether there were any.

    compass_memes, compasskids, c0mpass, @compass are handles (an account name that uses
    the school's name); compass, compass's and compassion are not. The parts of a handle
    are not read as words: "compass_official" says nothing about speaking officially. A
    quoted name with the school in it ("een account 'compass roddels'") is a handle too.
    """
    found = False
    folded = fold(text)
    quoted_names = [  # a name is short: a longer quote is a passage ('keep ... in mind')
        m.group(0)
        for m in _QUOTED.finditer(folded)
        if _COMPASS_IN_WORD.search(m.group(2)) and len(m.group(2).split()) <= 3
    ]
    for name in quoted_names:  # 'compass roddels' as a name
        folded = folded.replace(name, " ")
        found = True
    kept: list[str] = []
    for chunk in folded.split():
        if _is_handle(chunk):
            found = True
            kept.append(" ")
        else:
            kept.append(chunk)
    return " ".join(kept), found


def handle_like(text: str) -> bool:
    """True when the school name is glued into a word, as in a username or handle."""
    return split_handles(text)[1]


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


def concept_pairs(analysis: Analysis) -> list[str]:
    """Every pair of the question's concepts ("NAME+SCHOOL"): a pair says more than its
    parts (the school's name inside an account name, aanwijzing-2)."""
    concepts = sorted(analysis.concepts)
    return [f"{a}+{b}" for i, a in enumerate(concepts) for b in concepts[i + 1 :]]


_MAX_PHRASE = 5
_TYPO_SIMILARITY = 80.0


class Normaliser:
    """Maps text to terms using a concept lexicon; corrects typos against a vocabulary."""

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, frozenset[str]] = {}
        self._stemmed: dict[str, frozenset[str]] = {}
        self._phrases: dict[tuple[str, ...], frozenset[str]] = {}
        exact: dict[str, set[str]] = {}
        stemmed: dict[str, set[str]] = {}
        phrases: dict[tuple[str, ...], set[str]] = {}
        for name, forms in concepts.items():
            for form in forms:
                tokens = tokenize(form)
                if not tokens:
                    continue
                if len(tokens) == 1:
                    exact.setdefault(tokens[0], set()).add(name)
                    stemmed.setdefault(stem(tokens[0]), set()).add(name)
                else:
                    key = tuple(stem(t) for t in tokens[:_MAX_PHRASE])
                    phrases.setdefault(key, set()).add(name)
        # IGNORE forms are recognised (so that they are consumed) but yield no concept
        self._exact = {k: frozenset(v - {IGNORE}) for k, v in exact.items()}
        self._stemmed = {k: frozenset(v - {IGNORE}) for k, v in stemmed.items() if v != {IGNORE}}
        self._phrases = {k: frozenset(v - {IGNORE}) for k, v in phrases.items()}
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        self._phrase_stems = frozenset(t for key in self._phrases for t in key)
        self._vocab_stems: set[str] = set()
        self._vocab_words: set[str] = set(exact)
        self._by_initial: dict[str, list[str]] = {}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._index_words(sorted(exact))

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
        self._index_words(sorted(words))
        self._fuzzy_cache.clear()

    def _index_words(self, words: Iterable[str]) -> None:
        for word in words:
            if len(word) >= 3 and not word.isdigit():
                self._by_initial.setdefault(word[0], []).append(word)

    def _phrase_stem(self, token: str) -> str:
        """The stem used to look phrases up: a conjugated verb takes its infinitive's stem
        when only that one occurs in a phrase ("praat over" matches "praten over")."""
        key = stem(token)
        if key in self._phrase_stems:
            return key
        for base in infinitives(token):
            alt = stem(base)
            if alt in self._phrase_stems:
                return alt
        return key

    def _correct(self, token: str) -> str | None:
        """The known word that `token` is a typo of, if any.

        A typo fix must keep the first letter, be at most one edit away (two for words of
        six letters or more) and keep at least 80% of the letters in order (Indel
        similarity): "klagten" -> "klachten", but not "kauwen" -> "kansen".
        """
        if token in self._fuzzy_cache:
            return self._fuzzy_cache[token]
        result: str | None = None
        squeezed = re.sub(r"([a-z])\1", r"\1", token)
        if squeezed != token and squeezed in self._vocab_words:
            result = squeezed
        else:
            limit = 1 if len(token) <= 5 else 2
            candidates = self._by_initial.get(token[0], ())
            for word, _, _ in process.extract(
                token, candidates, scorer=fuzz.ratio, score_cutoff=_TYPO_SIMILARITY, limit=3
            ):
                if OSA.distance(token, word, score_cutoff=limit) <= limit:
                    result = word
                    break
        if len(self._fuzzy_cache) > 20_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[token] = result
        return result

    # -- analysis

    def concepts_of(self, word: str) -> frozenset[str] | None:
        """The concepts a single word stands for, or None when it stands for none."""
        return self._concepts_of(word)

    def _concepts_of(self, token: str) -> frozenset[str] | None:
        """Concepts of a word: its exact form, a de-inflected form, else its stem.

        De-inflection handles verbs made from app names and Dutch participles
        (snapchatten -> snapchat, tiktokken -> tiktok, gepost -> post, geappt -> app).
        Words under five letters are not looked up by stem: "het" is not "heten", "geld"
        is not "gelden", "tell" is not "tellen".
        """
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
        """A known word, also with a linking -s-/-e-/-en- (klassenfoto, groepsapp).

        A compound's modifier must be one: "spij" + "bellen" is not a kind of calling. A
        modifier may be a compound of known words itself (socialemedia + protocol), one
        level deep."""
        if part in self._vocab_words or part in _INTENSIFIERS:
            return True
        if any(
            part.endswith(link) and _undouble(part[: -len(link)]) in self._vocab_words
            for link in ("s", "e", "en")
        ):
            return True
        return nested and len(part) >= 7 and bool(self._compound(part, nested=False))

    def _compound(self, token: str, *, nested: bool = True) -> list[frozenset[str]]:
        """Concepts of a Dutch compound: instagrampagina -> PLATFORM + ACCOUNT.

        The head (last part, at least four letters) must be a known word; a known
        modifier adds its concepts too (feestfotos -> PHOTO; schoolfoto -> SCHOOL + PHOTO).
        Words longer than MAX_COMPOUND letters are not split ("hahahaha...").
        """
        if not 7 <= len(token) <= MAX_COMPOUND:
            return []
        for cut in range(3, len(token) - 3):
            head = self._concepts_of(token[cut:])
            if not head:
                continue
            modifier = token[:cut]
            if _VERB_PREFIX.fullmatch(modifier) or not self._is_word(modifier, nested=nested):
                continue  # aangevallen is not a kind of "vallen", spijbelen not of "bellen"
            found = [head]
            mod = self._exact.get(modifier) or self._exact.get(modifier.rstrip("s"))
            if mod is not None and modifier not in STOPWORDS:
                found.insert(0, mod)
            return found
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

    def analyse(self, text: str, *, correct_typos: bool = True) -> Analysis:
        quotes = quotes_in(strip_discord(text[:MAX_QUESTION_CHARS]))
        text, has_handle = split_handles(strip_discord(text[:MAX_QUESTION_CHARS]))
        tokens = tokenize(text)
        language = detect_language(tokens)
        stems = [self._phrase_stem(t) for t in tokens]
        terms: list[str] = []
        unknown: set[str] = set()
        concepts: set[str] = set()

        def add(term: str) -> None:
            if term not in seen:
                seen.add(term)
                terms.append(term)
                if term.isupper():
                    concepts.add(term)

        seen: set[str] = set()
        if has_handle:
            add(ACCOUNTNAME)
            add(SCHOOL)
        i = 0
        n = len(tokens)
        while i < n:
            matched = False
            for size in range(min(self._max_phrase, n - i), 1, -1):
                names = self._phrases.get(tuple(stems[i : i + size]))
                if names is not None:
                    for name in sorted(names):
                        add(name)
                    i += size
                    matched = True
                    break
            if matched:
                continue
            token = tokens[i]
            i += 1
            names = self._concepts_of(token)
            if names is not None:
                for name in sorted(names):
                    add(name)
                continue
            if token in STOPWORDS:
                continue
            if any(len(b) >= 4 and b in STOPWORDS_NL for b in deinflect(token)):
                continue  # an inflected stop word: "bedoelt", "denkt", "weten"
            if token.isdigit():
                continue  # a bare number ("om 12 uur", "klas 3") says nothing about the topic
            key = stem(token)
            if key not in self._vocab_stems:
                for base in infinitives(token):
                    if stem(base) in self._vocab_stems:
                        key = stem(base)
                        break
            if key not in self._vocab_stems:
                parts = self._compound(token)
                if parts:
                    for names in parts:
                        for name in sorted(names):
                            add(name)
                    continue
            if key in self._vocab_stems or len(token) < 4 or not correct_typos:
                add(key)
                if key not in self._vocab_stems:
                    unknown.add(key)
                continue
            fixed = self._correct(token)
            if fixed is None:
                add(key)
                unknown.add(key)
                continue
            names = self._concepts_of(fixed)
            if names is not None:
                for name in sorted(names):
                    add(name)
            elif fixed not in STOPWORDS:
                add(stem(fixed))
        return Analysis(
            terms=tuple(terms),
            unknown=frozenset(unknown),
            language=language,
            concepts=frozenset(concepts),
            quotes=quotes,
            words=tuple(t for t in tokens if t not in STOPWORDS),
        )
