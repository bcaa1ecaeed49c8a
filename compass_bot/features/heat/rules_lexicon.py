"""The heat lexicon: its pattern syntax compiled to gated regexes and the early-exit screen."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any, Final

from compass_bot.features.heat.rules_fold import fold
from compass_bot.features.heat.rules_screen import PatternScreen, build

_DATA_DIR: Final = Path(__file__).resolve().parent / "data"
_LEXICON_FILE: Final = _DATA_DIR / "heat_lexicon.json"

MOTHER: Final = "mother"
MAX_WEIGHT: Final = 1.0
"""A term's greatest weight: a threat meant for real (a time, a place, an address)."""

_SEP: Final = r"[\s,.;:!?'\"()\-]+"
_JOIN: Final = r"[\s\-]*"
_EDGE_L: Final = r"(?<![a-z0-9])"
_EDGE_R: Final = r"(?![a-z0-9])"
# Negations (folded, so "geen" is "gen" and "nooit" "noit"): "niet dom", "geen sukkel" are not
# insults; the free gap never crosses one.
NEGATION: Final = r"(?:niet|nie|gen|not|never|noit|no)"


class LexiconError(ValueError):
    """The lexicon file is malformed (a developer's mistake, caught by the tests)."""


def _word(word: str) -> str:
    """One alternative of a pattern word: folded, with '*' letting the word continue."""
    prefix = word.endswith("*")
    core = fold(word.rstrip("*"))
    if not core or " " in core:
        raise LexiconError(f"{_LEXICON_FILE.name}: bad word {word!r}")
    return re.escape(core) + ("[a-z]*" if prefix else "")


def _alternatives(part: str, sets: dict[str, list[str]]) -> str:
    words: list[str] = []
    for alt in part.split("|"):
        if alt.startswith("$"):
            if alt[1:] not in sets:
                raise LexiconError(f"{_LEXICON_FILE.name}: no set {alt!r}")
            words.extend(sets[alt[1:]])
        else:
            words.append(alt)
    return "(?:" + "|".join(_word(w) for w in words) + ")"


def _token(token: str, sets: dict[str, list[str]]) -> str:
    return _JOIN.join(_alternatives(part, sets) for part in token.split("+"))


def _pattern(text: str, gap: str, sets: dict[str, list[str]] | None = None) -> str:
    """The regex of one pattern in the lexicon's small syntax (see its `_about`)."""
    tokens = text.split()
    if not tokens or tokens[-1] in ("~", "~~") or tokens[-1].endswith("?"):
        raise LexiconError(f"{_LEXICON_FILE.name}: pattern {text!r} cannot end optionally")
    out = []
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        if token == "~":
            out.append(f"(?:(?:{gap}){_SEP}){{0,3}}")
        elif token == "~~":
            out.append(f"(?:(?!{NEGATION}{_EDGE_R})[a-z0-9]+{_SEP}){{0,4}}")
        elif token.endswith("?"):
            out.append(f"(?:{_token(token[:-1], sets or {})}{_SEP})?")
        else:
            out.append(_token(token, sets or {}) + ("" if last else _SEP))
    return _EDGE_L + "".join(out) + _EDGE_R


def _emoji(chars: Iterable[str]) -> str:
    return "|".join(re.escape(ch) for ch in chars)


def _first_words(text: str, sets: dict[str, list[str]]) -> list[tuple[str, bool]]:
    """The folded words a pattern can start with, and whether each may continue ('*')."""
    first = text.split()[0]
    if first in ("~", "~~") or first.endswith("?"):
        raise LexiconError(f"{_LEXICON_FILE.name}: pattern {text!r} cannot start optionally")
    out = []
    joined = "+" in first  # "kkr+mongool" also starts "kkrmongool": the first word continues
    for alt in first.split("+")[0].split("|"):
        for word in sets[alt[1:]] if alt.startswith("$") else [alt]:
            core = fold(word.rstrip("*"))
            prefix = word.endswith("*") or joined
            if prefix and len(core) < 2:
                raise LexiconError(f"{_LEXICON_FILE.name}: stem {word!r} is too short")
            out.append((core, prefix))
    return out


def _trie_nodes(words: Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """The trie of `words` as nested dicts: "" marks a word's end, "*" a prefix (anything may
    follow)."""
    root: dict[str, Any] = {}
    for word, prefix in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node["*" if prefix else ""] = True
    return root


def _trie(words: Iterable[tuple[str, bool]]) -> str:
    """One regex for many words, as a trie: each position fails after a character or two
    (Python's re tries a flat alternation one alternative at a time)."""
    root = _trie_nodes(words)

    def render(node: dict[str, Any]) -> str:
        if "*" in node:
            return ""
        alts = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append(_EDGE_R)
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return _EDGE_L + render(root)


# Words too common to be the one a pattern is recognised by ("je bent ~ $bad": $bad).
_COMMON: Final = frozenset(
    [
        "ik",
        "je",
        "jij",
        "jou",
        "jouw",
        "u",
        "you",
        "ur",
        "your",
        "de",
        "het",
        "een",
        "a",
        "the",
        "ga",
        "gaat",
        "gaan",
        "wat",
        "wie",
        "is",
        "ben",
        "bent",
        "zijn",
        "are",
        "r",
        "maar",
        "dan",
        "zo",
        "niet",
        "met",
        "op",
        "van",
        "dat",
        "die",
        "dit",
        "ze",
        "hij",
        "zij",
        "we",
        "wij",
        "mijn",
        "me",
        "my",
        "to",
        "of",
        "in",
        "and",
        "en",
        "hou",
        "houd",
        "doe",
        "go",
        "i",
        "im",
        "ill",
    ]
)


def _needed_words(text: str, sets: dict[str, list[str]]) -> list[str]:
    """The folded alternatives of the one word of a pattern that any match must contain:
    the least common token (no function words, longest shortest alternative)."""
    best: tuple[int, list[str]] | None = None
    for token in text.split():
        if token in ("~", "~~") or token.endswith("?"):
            continue
        words = [
            fold(word.rstrip("*"))
            for alt in token.split("+")[0].split("|")
            for word in (sets[alt[1:]] if alt.startswith("$") else [alt])
        ]
        rank = min(len(w) for w in words) - (100 if _COMMON.intersection(words) else 0)
        if best is None or rank > best[0]:
            best = (rank, words)
    return best[1] if best else []


def _start_trie(words: Iterable[tuple[str, bool]]) -> str:
    """A trie of word starts over lower-cased, unfolded text, each letter repeatable ("kkanker");
    a word not marked as a prefix must end there. Each branch opens with a plain character, so
    Python's re rejects a wrong branch with one comparison (a `k+` opening would enter a loop)."""
    root = _trie_nodes(words)

    def render(node: dict[str, Any]) -> str:
        if "*" in node:
            return ""
        alts = [
            re.escape(ch) + re.escape(ch) + "*" + render(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if "" in node:
            alts.append("(?![a-z])")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return render(root)


# After the screen's one separator character: spaced single letters ("k a n k e r", "k.u.t"),
# and leet signs at letters ("k4nker", "1diot", "kank3r", "k@nker") -- what fold() rewrites.
_DISGUISE: Final = (
    r"(?<=[a-z][*#])(?=[a-z])|(?<=[a-z][*#][*#])(?=[a-z])"
    r"|[a-z][ .\-_*/|+]+[a-z013457](?![a-z0-9])[ .\-_*/|+]+[a-z013457](?![a-z0-9])"
    r"|(?<=[013457@$!])(?:(?<=[013457])(?=[a-z])|(?<=[a-z][013457@$!])[013457@$!]*(?=[a-z])"
    r"|(?<=[a-z][013457]))"
)
# as _MENTION_IN_TEXT, after the separator: "@name" (not after a digit) or "<@123>"
_MENTION_START: Final = r"@(?:(?<![0-9]@)[a-z0-9_]|(?<=<@)!?[0-9]+>)"


def _screens(
    needed: list[str], laugh: list[tuple[str, bool]], you: list[str]
) -> tuple[str, str, str]:
    """The early exit's two regexes over " " + the lower-cased text, both anchored on the
    character before a word (a class test Python's re scans for in C, so a post costs about
    one try per word): `screen` finds whether anything at all needs reading; `marks` says what
    (a hostile word or a disguise: read in full; a laugh; an address)."""
    hostile = _start_trie((word, True) for word in needed) + "|" + _DISGUISE
    laughs = _start_trie(laugh)
    yous = _start_trie((word, False) for word in you) + "|" + _MENTION_START
    every = _start_trie([(w, True) for w in needed] + laugh + [(w, False) for w in you])
    screen = rf"[^a-z](?:{every}|{_DISGUISE}|{_MENTION_START})"
    # laugh and address marks look ahead only, so a word inside them is still tried on its own
    others = rf"(?P<laugh>(?<![0-9])(?={laughs}))|(?P<you>(?<![0-9])(?={yous}))"
    marks = rf"[^a-z](?:(?P<hostile>{hostile})|{others})"
    return screen, marks, rf"[^a-z](?:{others})"


# Punctuation a plain post's words may be split on (`Lexicon.separators` keeps those no screened
# word contains); "!" only where no letter follows it (rules_signals checks: leet "k!nker").
_SEPARATORS: Final = '.,?!:;"()-'
WORD_CACHE: Final = 4096
WORD_UNSURE: Final = 5
WORD_PHRASE: Final = 4
WORD_HOSTILE: Final = 3
WORD_LAUGH: Final = 2
WORD_YOU: Final = 1
_WORD_KIND: Final = {"hostile": WORD_HOSTILE, "laugh": WORD_LAUGH, "you": WORD_YOU}


def _byte_table(separators: Iterable[str]) -> bytes:
    """`Lexicon.separators`: "[a-z]" kept, white space and `separators` to " ", else "#"."""
    table = bytearray(b"#" * 256)
    for ch in "abcdefghijklmnopqrstuvwxyz":
        table[ord(ch)] = ord(ch)
    for ch in [*separators, *" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"]:
        table[ord(ch)] = ord(" ")
    return bytes(table)


def _key(word: str) -> str:
    return word[:2]


@dataclass(frozen=True, slots=True)
class _Term:
    kind: str
    weight: float
    aimed: bool


class Buckets:
    """The per-key regexes of the lexicon, each compiled the first time a post needs it: the
    lexicon's 170 keys hold about 800 patterns, and compiling them all took over a second at
    every start of the console or a command line, for keys most runs never meet."""

    __slots__ = ("_compiled", "_sources")

    def __init__(self, sources: dict[str, str]) -> None:
        self._sources = sources
        self._compiled: dict[str, re.Pattern[str]] = {}

    def get(self, key: str) -> re.Pattern[str] | None:
        found = self._compiled.get(key)
        if found is None:
            source = self._sources.get(key)
            if source is None:
                return None
            found = self._compiled[key] = re.compile(source)
        return found

    def compile_all(self) -> None:
        """Every bucket now (the bot, in a worker thread at start: the first posts would
        otherwise pay up to 50 ms each for theirs, on the event loop)."""
        for key in self._sources:
            self.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled word lists.

    `gate` finds, in one pass, where a listed pattern may start (a trie of the patterns' first
    words); `buckets` holds, per first two letters, one regex of the patterns starting there,
    whose named group says what matched (allow, laugh, you, or a term `t<n>`). The patterns are
    tried in the file's order, allow first, and matches do not overlap.
    """

    gate: re.Pattern[str]
    buckets: Buckets
    emoji: re.Pattern[str]
    terms: dict[str, _Term]  # group name -> term
    mother_weight: float = 0.0
    # the early exit over " " + the lower-cased text: `screen` is None for a post without any
    # word a hostile pattern needs, a laugh, an address or a disguise; `marks` tells them apart
    screen: re.Pattern[str] = re.compile(r"(?!)")
    marks: re.Pattern[str] = re.compile(r"(?!)")
    # what `marks` finds at the start of a word met before (WORD_HOSTILE, WORD_LAUGH, WORD_YOU or
    # 0), by the lower-cased word; bounded like the model's unknown words, the oldest dropped
    _kinds: dict[str, int] = field(default_factory=dict, init=False, compare=False, repr=False)
    # the words in `_kinds` a screened pattern is anchored on (`patterns`)
    _anchors: set[str] = field(default_factory=set, init=False, compare=False, repr=False)
    # a byte table over ASCII: letters kept, white space and the punctuation that separates
    # words and is part of no screened word (":p" is a laugh) to a space, anything else to
    # "#"; and the first words of the screened phrases ("ik ga dood")
    separators: bytes = b"#" * 256
    leads: re.Pattern[str] = re.compile(r"(?!)")
    # where `marks` finds a laugh, single words and phrases, over " " + the lower-cased text
    laughs: re.Pattern[str] = re.compile(r"(?!)")
    # the exact screen of a plain post's words (rules_screen; None: by the needed words), and
    # `marks` without its hostile words (what a word is when the pattern screen decides that)
    patterns: PatternScreen | None = None
    word_marks: re.Pattern[str] = re.compile(r"(?!)")

    def word_kinds(self, words: Sequence[str]) -> set[int]:
        """What `marks` finds at the start of each word (lower-case ASCII letters only), as one
        set: the screen of a post whose words are all plain, one dict lookup per word. With the
        pattern screen, WORD_HOSTILE says some pattern may match (`PatternScreen.may_match`,
        asked only when a word of the post is one a pattern is anchored on)."""
        known = self._kinds
        found = set(map(known.get, words, repeat(-1)))
        if -1 in found:
            found.discard(-1)
            for word in words:
                kind = known.get(word)
                if kind is None:
                    kind = known[word] = self._word_kind(word)
                found.add(kind)
        patterns = self.patterns
        if (
            patterns is not None
            and not self._anchors.isdisjoint(words)
            and patterns.may_match(words)
        ):
            found.add(WORD_HOSTILE)
        # the oldest words dropped only now: dropped while the post's words were still being
        # looked up, one of them (its anchor) could go before the anchor check above
        while len(known) > WORD_CACHE:
            oldest = next(iter(known))
            self._anchors.discard(oldest)
            del known[oldest]
        return found

    def _word_kind(self, word: str) -> int:
        kind, anchored = self.word_entry(word)
        if anchored:
            self._anchors.add(word)
        return kind

    def word_entry(self, word: str) -> tuple[int, bool]:
        """What `marks` finds at the start of a plain word (as `word_kinds`), and whether a
        screened pattern is anchored on it (then `patterns.may_match` decides); not cached."""
        patterns = self.patterns
        m = (self.marks if patterns is None else self.word_marks).match(" " + word)
        kind = 0 if m is None else _WORD_KIND[m.lastgroup or ""]
        if kind != WORD_HOSTILE and self.leads.match(word):
            # a laughing phrase may go on past this word (`laughs`); an address word that
            # starts one is left to the marks
            kind = WORD_UNSURE if kind == WORD_YOU else WORD_PHRASE
        return kind, patterns is not None and bool(patterns.word(word)[1])

    @classmethod
    def from_data(cls, doc: dict[str, Any]) -> Lexicon:
        try:
            gap = "|".join(_word(w) for w in doc["intensifiers"])
            sets: dict[str, list[str]] = {k: list(v) for k, v in doc.get("sets", {}).items()}
            groups: list[tuple[str, list[str]]] = [
                ("allow", list(doc["allow"])),
                ("laugh", list(doc["laugh"]["words"])),
            ]
            terms: dict[str, _Term] = {}
            for index, entry in enumerate(doc["terms"]):
                name = f"t{index}"
                weight = float(entry["weight"])
                if not 0.0 < weight <= MAX_WEIGHT:
                    raise LexiconError(
                        f"{_LEXICON_FILE.name}: weight {weight} not in (0, {MAX_WEIGHT:g}]"
                    )
                terms[name] = _Term(str(entry["kind"]), weight, bool(entry["aimed"]))
                groups.append((name, list(entry["patterns"])))
            groups.append(("you", list(doc["second_person"])))
            emoji = re.compile(_emoji(doc["laugh"]["emoji"]))
        except (KeyError, TypeError, AttributeError) as exc:
            raise LexiconError(f"{_LEXICON_FILE.name}: malformed ({exc!r})") from None
        firsts: list[tuple[str, bool]] = []
        by_key: dict[str, dict[str, list[str]]] = {}
        for name, patterns in groups:
            for text in patterns:
                words = _first_words(text, sets)
                firsts.extend(words)
                regex = _pattern(text, gap, sets)
                for key in {_key(word) for word, _ in words}:
                    by_key.setdefault(key, {}).setdefault(name, []).append(regex)
        buckets = Buckets(
            {
                key: "|".join(f"(?P<{name}>" + "|".join(rx) + ")" for name, rx in named.items())
                for key, named in by_key.items()
            }
        )
        mother = max((t.weight for t in terms.values() if t.kind == MOTHER), default=0.0)
        needed = [
            word
            for name, patterns in groups
            if name.startswith("t")
            for text in patterns
            for word in _needed_words(text, sets)
        ]
        laughs = [(fold(w.rstrip("*")), w.endswith("*")) for w in doc["laugh"]["words"]]
        yous = [fold(w) for w in doc["second_person"]]
        screen, marks, word_marks = _screens(needed, laughs, yous)
        pattern_screen = build(
            [text for name, texts in groups if name.startswith("t") for text in texts],
            doc["allow"],
            doc["laugh"]["words"],
            doc["second_person"],
            doc["intensifiers"],
            sets,
            _COMMON,
        )
        screened = [*needed, *(w for w, _ in laughs), *yous]
        signs = {ch for word in screened for ch in word if not ("a" <= ch <= "z")}
        separators = _byte_table(set(_SEPARATORS) - signs)
        firsts_of_phrases = {(w.split()[0], False) for w in screened if " " in w.strip()}
        leads = _start_trie(firsts_of_phrases) if firsts_of_phrases else "(?!)"
        return cls(
            re.compile(_trie(firsts)),
            buckets,
            emoji,
            terms,
            mother,
            re.compile(screen),
            re.compile(marks),
            separators,
            re.compile(leads + r"\Z"),
            re.compile(rf"[^a-z](?<![0-9])(?={_start_trie(laughs)})"),
            pattern_screen,
            re.compile(word_marks),
        )


def load_lexicon(path: Path = _LEXICON_FILE) -> Lexicon:
    return Lexicon.from_data(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped_lexicon() -> Lexicon:
    """The shipped lexicon, compiled on first use (not at import: the config and every
    command line import this module, and compiling the one regex takes a while)."""
    return load_lexicon()
