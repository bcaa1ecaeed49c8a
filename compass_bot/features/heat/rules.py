"""Protocol clauses `aanwijzing-5` and `aanwijzing-7`: help a discussion cool down.

"Als je in een discussie betrokken raakt waarvan je merkt dat die onplezierig wordt, houd er dan
mee op in plaats van je te laten meeslepen." -- when a discussion turns unpleasant, stop rather
than be carried along; and don't react impulsively.

This module is the pure rule: no discord import, no store, no clock (time is a parameter). It has
two steps, so the cheap one can run on every post and the text is never kept:

1. `signals_of(text)` reads one post into `PostSignals` (numbers and short codes, not the text):
   the text is folded (lower case; accents and look-alike letters to ASCII with the name rule's
   table; leet digits between letters; spaced letters "k a n k e r" joined; repeated letters
   collapsed), then one compiled regex over the word lists of ``data/heat_lexicon.json`` finds
   hostile wording (insults, threats, cold dismissal, disease curses, swearing, "je moeder"),
   second-person address, and banter markers (laughing words and emoji). Words on the allow
   list are consumed first and never count.
2. `assess(window, at, settings, state)` looks at a short window of `Post`s (author ids, times,
   signals, reply and mention targets) and returns a `Heat`: a level 0-100, an action
   (none / nudge / slowmode), a reason and the member ids involved. It models who talks to whom
   (replies, mentions, or the fast back-and-forth of two or three members), mutual hostility,
   a pile-on (several members against one; laughing along with the attacker counts as joining
   it), one member going at the same member again and again, escalation (each turn harsher),
   the pace, someone asking to stop ("doe rustig", "dit gaat te ver": an objection, which also
   ends any banter cooling), and banter (the target laughing along, laughter from both sides),
   which cools the level.

A plain post costs one regex search: `Lexicon.screen` over " " + the lower-cased text finds
whether any word a pattern needs, a laugh, an address or a disguise is there at all.

Swearing counts for little unless it is aimed at a person ("kut toets" is frustration; "jij
kankerlijer" is not). `ChannelWatch` keeps the bounded per-channel window and the action state
in memory, for the bot and the command line alike.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from compass_bot.lookalikes import fold_map

CLAUSE_IDS: Final = ("aanwijzing-5", "aanwijzing-7")

Action = Literal["none", "nudge", "slowmode"]

_DATA_DIR: Final = Path(__file__).resolve().parent / "data"
_LEXICON_FILE: Final = _DATA_DIR / "heat_lexicon.json"

# Kinds whose match is itself about a person (an insult noun, a threat); curses ("kanker",
# "kut") are about a person only when the post addresses one.
_CURSE_KINDS: Final = frozenset({"curse", "swear", "negative"})
_MOTHER: Final = "mother"
_OBJECTION: Final = "objection"
_THREAT_KINDS: Final = frozenset({"threat", "self-harm-wish"})
_MAX_REPEATS_PER_KIND: Final = 2
_UNAIMED_CURSE: Final = 0.3  # "kut toets": cursing at things
_UNAIMED_INSULT: Final = 0.7  # "wat een idioot" without je/jij or a reply
_MOTHER_HOSTILE: Final = 0.4  # "je moeder" next to other hostile wording
_LAUGH_IN_POST: Final = 0.7  # an insult with a laugh in the same post: probably a roast
_CAPS: Final = 1.15  # shouting makes hostile words harsher (and nothing else)
_MAX_WORDS: Final = 4
_UTC: Final = ZoneInfo("UTC")
_MAX_WORD_CHARS: Final = 24


# --------------------------------------------------------------------------------------------
# Plain data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostSignals:
    """What the rule keeps of one post: scores and codes, never the text.

    `hostility` is the post's own score (0..1) as written; `insult` and `curse` are its two parts
    so that `assess` can re-weigh a curse when a reply or mention aims it at someone.
    """

    hostility: float = 0.0
    insult: float = 0.0
    curse: float = 0.0
    aimed: bool = False  # addresses a person in the text: je/jij/you, @name
    laugh: bool = False  # banter markers: haha, lol, xD, 😂, 💀 ...
    caps: bool = False  # written all in capitals
    objects: bool = False  # asks to stop or says it goes too far ("doe rustig", "dit is gemeen")
    kinds: tuple[str, ...] = ()  # kinds of hostile wording found, in order
    words: tuple[str, ...] = ()  # the folded lexicon matches (a few, short), for reasons

    @property
    def hostile(self) -> bool:
        return self.hostility > 0.0


CALM: Final = PostSignals()


@dataclass(frozen=True, slots=True)
class Post:
    """One post in a channel's window: who, when, to whom, and its signals (no text)."""

    author: int
    at: datetime
    signals: PostSignals = CALM
    reply_to: int | None = None  # the author id of the post it replies to
    mentions: frozenset[int] = frozenset()
    message_id: int | None = None  # for a jump link to where it turned; never needed


@dataclass(frozen=True, slots=True)
class HeatSettings:
    """The rule's knobs (the config's `heat:` section gives the first three)."""

    nudge_threshold: int = 50
    cooldown: timedelta = timedelta(minutes=15)
    slowmode_duration: timedelta = timedelta(minutes=10)
    window_posts: int = 20
    window: timedelta = timedelta(minutes=5)
    # hostile posts after a nudge, while the heat stays over the threshold, before slowmode
    slowmode_after_posts: int = 2


@dataclass(frozen=True, slots=True)
class HeatState:
    """What the channel's earlier actions left: given to `assess`, updated by `after`."""

    last_nudge_at: datetime | None = None
    slowmode_until: datetime | None = None

    def after(self, heat: Heat, at: datetime, settings: HeatSettings) -> HeatState:
        """The state once `heat.action` has been carried out at `at`."""
        if heat.action == "nudge":
            return HeatState(last_nudge_at=at, slowmode_until=self.slowmode_until)
        if heat.action == "slowmode":
            return replace(self, slowmode_until=at + settings.slowmode_duration)
        return self


@dataclass(frozen=True, slots=True)
class Heat:
    """The rule's verdict on a channel at one moment."""

    level: int  # 0..100
    action: Action
    reason: str  # short codes, e.g. "pile-on+escalation: insult,dismissive"
    members: tuple[int, ...] = ()  # the members involved (authors and targets), sorted
    turned_at: datetime | None = None  # the first hostile post of the episode in the window
    turned_message_id: int | None = None


# --------------------------------------------------------------------------------------------
# The lexicon and the one regex
# --------------------------------------------------------------------------------------------


def _load_fold_table() -> dict[int, str]:
    """Accents and look-alike letters to ASCII letters (the name rule's generated table);
    digits and everything else stay as they are, so emoji survive for the banter markers."""
    mapping = fold_map()
    table: dict[int, str] = {}
    for key, value in mapping.items():
        if len(key) == 1 and value.isascii() and value.isalpha():
            table[ord(key)] = value.lower()
    for ch in "\u2019\u2018\u00b4`":
        table[ord(ch)] = "'"
    return table


_FOLD_TABLE: Final = _load_fold_table()
_LEET_TABLE: Final = str.maketrans("013457@$!", "oieastasi")
# Leet digits next to letters (h4h4, k4nk3r, 1diot); @ $ ! only between letters (k@nker).
_LEET: Final = re.compile(
    r"(?<=[a-z])[013457@$!]+(?=[a-z])|(?<![a-z0-9])[013457]+(?=[a-z])|(?<=[a-z])[013457]+(?![a-z0-9])"
)
# Three or more single letters with separators between them: "k a n k e r", "k.u.t".
_SPACED: Final = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*/|+]+[a-z013457](?![a-z0-9])){2,}")
_SPACED_SEPS: Final = re.compile(r"[^a-z]+")
_REPEATS: Final = re.compile(r"([a-z])\1+")
_LEET_ANY: Final = re.compile(r"[013457@$!]")
_SEP: Final = r"[\s,.;:!?'\"()\-]+"
_JOIN: Final = r"[\s\-]*"
_EDGE_L: Final = r"(?<![a-z0-9])"
_EDGE_R: Final = r"(?![a-z0-9])"
# Negations (folded): "niet dom", "geen sukkel" are not insults; the free gap never crosses one.
_NEGATION: Final = r"(?:niet|nie|geen|not|never|noit|no)"
_NEGATED: Final = re.compile(_NEGATION + r"[\s,]+$")


def _leet(m: re.Match[str]) -> str:
    return m.group().translate(_LEET_TABLE)


_WORD_GAP: Final = re.compile(r"\s{2,}")


def _unspace(m: re.Match[str]) -> str:
    """Join spaced letters; two or more spaces are the gap between words ("j e  b e n t")."""
    parts = _WORD_GAP.split(m.group().translate(_LEET_TABLE))
    return " ".join(_SPACED_SEPS.sub("", part) for part in parts)


def _first(m: re.Match[str]) -> str:
    return m.group(1)


def fold(text: str) -> str:
    """The folded text the lexicon is matched against (also used for the lexicon itself)."""
    folded = text.lower()
    if not folded.isascii():
        folded = folded.translate(_FOLD_TABLE)
    if _LEET_ANY.search(folded):
        folded = _LEET.sub(_leet, folded)
    folded = _SPACED.sub(_unspace, folded)
    return _REPEATS.sub(_first, folded)


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
            out.append(f"(?:(?!{_NEGATION}{_EDGE_R})[a-z0-9]+{_SEP}){{0,4}}")
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


def _screens(needed: list[str], laugh: list[tuple[str, bool]], you: list[str]) -> tuple[str, str]:
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
    marks = rf"[^a-z](?:(?P<hostile>{hostile})|(?P<laugh>(?<![0-9])(?={laughs}))|(?P<you>(?<![0-9])(?={yous})))"
    return screen, marks


def _key(word: str) -> str:
    return word[:2]


@dataclass(frozen=True, slots=True)
class _Term:
    kind: str
    weight: float
    aimed: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled word lists.

    `gate` finds, in one pass, where a listed pattern may start (a trie of the patterns' first
    words); `buckets` holds, per first two letters, one regex of the patterns starting there,
    whose named group says what matched (allow, laugh, you, or a term `t<n>`). The patterns are
    tried in the file's order, allow first, and matches do not overlap.
    """

    gate: re.Pattern[str]
    buckets: dict[str, re.Pattern[str]]
    emoji: re.Pattern[str]
    terms: dict[str, _Term]  # group name -> term
    mother_weight: float = 0.0
    # the early exit over " " + the lower-cased text: `screen` is None for a post without any
    # word a hostile pattern needs, a laugh, an address or a disguise; `marks` tells them apart
    screen: re.Pattern[str] = re.compile(r"(?!)")
    marks: re.Pattern[str] = re.compile(r"(?!)")

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
                if not 0.0 < weight <= 1.0:
                    raise LexiconError(f"{_LEXICON_FILE.name}: weight {weight} not in (0, 1]")
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
        buckets = {
            key: re.compile(
                "|".join(f"(?P<{name}>" + "|".join(rx) + ")" for name, rx in named.items())
            )
            for key, named in by_key.items()
        }
        mother = max((t.weight for t in terms.values() if t.kind == _MOTHER), default=0.0)
        needed = [
            word
            for name, patterns in groups
            if name.startswith("t")
            for text in patterns
            for word in _needed_words(text, sets)
        ]
        screen, marks = _screens(
            needed,
            [(fold(w.rstrip("*")), w.endswith("*")) for w in doc["laugh"]["words"]],
            [fold(w) for w in doc["second_person"]],
        )
        return cls(
            re.compile(_trie(firsts)),
            buckets,
            emoji,
            terms,
            mother,
            re.compile(screen),
            re.compile(marks),
        )


def load_lexicon(path: Path = _LEXICON_FILE) -> Lexicon:
    return Lexicon.from_data(json.loads(path.read_text(encoding="utf-8")))


@cache
def shipped_lexicon() -> Lexicon:
    """The shipped lexicon, compiled on first use (not at import: the config and every
    command line import this module, and compiling the one regex takes a while)."""
    return load_lexicon()


def __getattr__(name: str) -> Lexicon:
    if name == "LEXICON":
        return shipped_lexicon()
    raise AttributeError(name)


_MENTION_IN_TEXT: Final = re.compile(r"<@!?[0-9]+>|(?<![a-z0-9])@[a-z0-9_]")


def _matches(folded: str, lexicon: Lexicon) -> Iterable[re.Match[str]]:
    """The lexicon's matches in the folded text, left to right, not overlapping."""
    end = 0
    buckets = lexicon.buckets
    for candidate in lexicon.gate.finditer(folded):
        start = candidate.start()
        if start < end:
            continue
        bucket = buckets.get(folded[start : start + 2]) or buckets.get(folded[start])
        if bucket is None:
            continue
        m = bucket.match(folded, start)
        if m is not None:
            end = m.end()
            yield m


def _combine(values: Iterable[float]) -> float:
    """Independent evidence: 1 - prod(1 - v), so two hits weigh more than one, never over 1."""
    rest = 1.0
    for value in values:
        rest *= 1.0 - value
    return 1.0 - rest


# The plain posts' signals, by (aimed, laugh, caps): built once, not per post.
_PLAIN: Final = {
    (aimed, laugh, caps): PostSignals(aimed=aimed, laugh=laugh, caps=caps)
    for aimed in (False, True)
    for laugh in (False, True)
    for caps in (False, True)
}


def signals_of(text: str, lexicon: Lexicon | None = None) -> PostSignals:
    """Read one post: one fold, one gated regex pass. Cheap enough for every post in a channel.

    Most posts contain no word any hostile pattern needs and no disguise: one search of the
    lower-cased text (`Lexicon.screen`) settles them, and at most one more pass (`marks`) keeps
    their banter and address markers; only the rest are folded and matched in full."""
    lexicon = lexicon or shipped_lexicon()
    lowered = text.lower()
    ascii_only = lowered.isascii()
    if not ascii_only:
        lowered = lowered.translate(_FOLD_TABLE)
    padded = " " + lowered
    if lexicon.screen.search(padded) is None:
        laugh = not ascii_only and lexicon.emoji.search(lowered) is not None
        return _PLAIN[False, laugh, _caps(text)]
    aimed = laugh = False
    for mark in lexicon.marks.finditer(padded):
        kind = mark.lastgroup
        if kind == "hostile":
            break
        if kind == "laugh":
            laugh = True
        else:
            aimed = True
    else:
        if not laugh and not ascii_only:
            laugh = lexicon.emoji.search(lowered) is not None
        return _PLAIN[aimed, laugh, _caps(text)]
    return _read(text, lexicon)


# A censored letter between letters ("k*nker", "f#ck", "tyf**s"): one or two stars or hashes.
_CENSORED: Final = re.compile(r"(?<=[a-z])[*#]{1,2}(?=[a-z])")
_VOWELS: Final = "aeiou"


def _read(text: str, lexicon: Lexicon | None = None) -> PostSignals:
    """The full reading of one post; a censored letter is read as each vowel in turn and the
    harshest reading counts (a writer hides the word, not the meaning)."""
    lexicon = lexicon or shipped_lexicon()
    lowered = text.lower()
    if ("*" in lowered or "#" in lowered) and _CENSORED.search(lowered):
        readings = [_read_folded(text, fold(_CENSORED.sub(v, lowered)), lexicon) for v in _VOWELS]
        return max(readings, key=lambda signals: signals.hostility)
    return _read_folded(text, fold(text), lexicon)


def _read_folded(text: str, folded: str, lexicon: Lexicon) -> PostSignals:
    """The lexicon's gated matches in the folded text (`text` only says whether it is caps)."""
    insults: list[float] = []
    curses: list[float] = []
    kinds: list[str] = []
    words: list[str] = []
    per_kind: dict[str, int] = {}
    aimed = laugh = mother = objects = False
    for m in _matches(folded, lexicon):
        group = m.lastgroup
        if group == "allow" or group is None:
            continue
        if group == "laugh":
            laugh = True
            continue
        if group == "you":
            aimed = True
            continue
        term = lexicon.terms[group]
        start = m.start()
        if start and _NEGATED.search(folded, max(0, start - 7), start):
            continue
        if term.kind == _OBJECTION:
            objects = True
            continue
        aimed = aimed or term.aimed
        if term.kind == _MOTHER:
            mother = True
            continue
        seen = per_kind.get(term.kind, 0)
        per_kind[term.kind] = seen + 1
        if seen >= _MAX_REPEATS_PER_KIND:
            continue
        (curses if term.kind in _CURSE_KINDS else insults).append(term.weight)
        if term.kind not in kinds:
            kinds.append(term.kind)
        if len(words) < _MAX_WORDS:
            words.append(m.group()[:_MAX_WORD_CHARS])
    if not laugh and not folded.isascii() and lexicon.emoji.search(folded):
        laugh = True
    if not aimed and "@" in folded and _MENTION_IN_TEXT.search(folded):
        aimed = True
    if mother:
        # "je moeder" alone is a classic joke; next to other hostile wording it is an insult.
        insults.append(_MOTHER_HOSTILE if (insults or curses) else lexicon.mother_weight)
        kinds.append(_MOTHER)
    insult = _combine(insults)
    curse = _combine(curses)
    if not (insult or curse):
        return PostSignals(aimed=aimed, laugh=laugh, caps=_caps(text), objects=objects)
    caps = _caps(text)
    hostility = _score(insult, curse, aimed, aimed, laugh, caps)
    return PostSignals(
        hostility=hostility,
        insult=insult,
        curse=curse,
        aimed=aimed,
        laugh=laugh,
        caps=caps,
        objects=objects,
        kinds=tuple(kinds),
        words=tuple(words),
    )


def _caps(text: str) -> bool:
    return len(text) >= 4 and text.isupper()


def _score(
    insult: float, curse: float, aimed: bool, addressed: bool, laugh: bool, caps: bool
) -> float:
    """A post's hostility: insults count when aimed or addressed, curses mostly when aimed."""
    value = _combine(
        (
            insult * (1.0 if aimed or addressed else _UNAIMED_INSULT),
            curse * (1.0 if aimed else _UNAIMED_CURSE),
        )
    )
    if laugh:
        value *= _LAUGH_IN_POST
    if caps:
        value *= _CAPS
    return min(1.0, value)


# --------------------------------------------------------------------------------------------
# The window
# --------------------------------------------------------------------------------------------

_HALF_LIFE_S: Final = 150.0  # older hostility fades: a fight two minutes ago counts half
_IMPLICIT_S: Final = 90.0  # a post without reply/mention answers the last other author
_HOSTILE: Final = 0.2  # a post this hostile counts as a hostile turn
_SCALE: Final = 1.0
_SINGLE: Final = 0.7  # one hostile post alone is not yet a discussion
_MUTUAL: Final = 1.3
_PILE_ON: Final = 1.35
_ESCALATION: Final = 1.2
_FAST: Final = 1.1
_TARGET_LAUGHS: Final = 0.35
_REPEATED: Final = 1.25  # one member going at the same member a third time
_REPEATS_AT_ONE: Final = 3
_OBJECTED: Final = 1.35  # someone asks to stop / says it goes too far, not laughing
_BOTH_LAUGH: Final = 0.6
_FAST_POSTS: Final = 4
_FAST_SECONDS: Final = 60.0
_EPSILON: Final = timedelta(seconds=1)


@dataclass(slots=True)
class _Turn:
    post: Post
    targets: frozenset[int]
    score: float


def _targets(post: Post, previous: Sequence[Post]) -> tuple[frozenset[int], bool]:
    """Whom a post is aimed at, and whether explicitly (reply/mention) or by the flow."""
    explicit = set(post.mentions)
    if post.reply_to is not None:
        explicit.add(post.reply_to)
    explicit.discard(post.author)
    if explicit:
        return frozenset(explicit), True
    for earlier in reversed(previous):
        if (post.at - earlier.at).total_seconds() > _IMPLICIT_S:
            break
        if earlier.author != post.author:
            return frozenset({earlier.author}), False
    return frozenset(), False


def _recent(window: Sequence[Post], at: datetime, settings: HeatSettings) -> list[Post]:
    start = at - settings.window
    posts = [p for p in window[-settings.window_posts :] if start <= p.at <= at]
    return posts


def assess(
    window: Sequence[Post],
    at: datetime,
    settings: HeatSettings = HeatSettings(),
    state: HeatState = HeatState(),
) -> Heat:
    """The channel's heat at `at` from its recent posts, and what to do about it."""
    posts = _recent(window, at, settings)
    if not any(p.signals.insult or p.signals.curse for p in posts):
        # the common case: nothing hostile in the window
        banter = any(p.signals.laugh for p in posts)
        return Heat(0, "none", "banter" if banter else "calm")
    turns: list[_Turn] = []
    for index, post in enumerate(posts):
        targets, explicit = _targets(post, posts[:index])
        s = post.signals
        score = 0.0
        if s.hostility or s.insult or s.curse:
            addressed = bool(targets)
            aimed = s.aimed or bool(post.mentions)
            score = _score(s.insult, s.curse, aimed, addressed or explicit, s.laugh, s.caps)
        turns.append(_Turn(post, targets, score))

    hostile = [t for t in turns if t.score >= _HOSTILE]
    if not hostile:
        banter = any(t.post.signals.laugh for t in turns)
        return Heat(0, "none", "banter" if banter else "calm")

    mass = 0.0
    for turn in turns:
        age = (at - turn.post.at).total_seconds()
        mass += turn.score * 0.5 ** (age / _HALF_LIFE_S)
    level = 1.0 - pow(2.718281828, -mass / _SCALE)
    codes: list[str] = []

    # who is hostile to whom
    edges: dict[tuple[int, int], float] = {}
    for turn in hostile:
        for target in turn.targets:
            key = (turn.post.author, target)
            edges[key] = max(edges.get(key, 0.0), turn.score)
    mutual = any((b, a) in edges for (a, b) in edges)
    attackers: dict[int, set[int]] = {}
    for a, b in edges:
        attackers.setdefault(b, set()).add(a)
    # laughing along with an attacker at someone else joins the pile-on ("NOOR 😭 accurate")
    by_author = {t.post.author: t for t in hostile}
    for turn in turns:
        s = turn.post.signals
        if not s.laugh or s.objects or turn.score >= _HOSTILE:
            continue
        for attacker in turn.targets:
            hit = by_author.get(attacker)
            if hit is None or hit.post.at > turn.post.at:
                continue
            for victim in hit.targets - {turn.post.author}:
                attackers.setdefault(victim, set()).add(turn.post.author)
    pile_target = max(attackers, key=lambda b: len(attackers[b]), default=None)
    pile_on = pile_target is not None and len(attackers[pile_target]) >= 2
    if len(hostile) == 1 and not _THREAT_KINDS.intersection(hostile[0].post.signals.kinds):
        level *= _SINGLE  # one threat alone is enough; one insult is not yet a discussion
        codes.append("hostile-words")
    if pile_on:
        level *= _PILE_ON
        codes.append("pile-on")
    elif mutual:
        level *= _MUTUAL
        codes.append("back-and-forth")
    elif _repeated(hostile):
        level *= _REPEATED
        codes.append("repeated")
    if _escalating(turns):
        level *= _ESCALATION
        codes.append("escalation")
    involved = {t.post.author for t in hostile} | {b for (_, b) in edges}
    fast = [
        t
        for t in turns
        if t.post.author in involved and (at - t.post.at).total_seconds() <= _FAST_SECONDS
    ]
    if len(fast) >= _FAST_POSTS:
        level *= _FAST
        codes.append("fast")

    # banter: the target laughing along, or every hostile turn written laughing from both
    # sides (a roast); one side laughing alone is mockery and cools nothing
    # a target laughing along once it turned cools it, ...
    opened = hostile[0].post.at
    targets_hit = {b for (_, b) in edges}
    # ... and stops counting once that member hits back in earnest (hostile, not laughing)
    earnest: dict[int, datetime] = {}
    objected = False
    for turn in turns:
        signals = turn.post.signals
        if signals.laugh or turn.post.at < opened:
            continue
        if signals.objects:  # an earnest "stop it" after it turned: not a roast any more
            earnest[turn.post.author] = turn.post.at
            objected = True
        elif turn.score >= _HOSTILE and any(kind != _MOTHER for kind in signals.kinds):
            earnest[turn.post.author] = turn.post.at  # "je moeder" alone is the classic joke
    target_laughs = any(
        t.post.signals.laugh
        and t.score < _HOSTILE
        and t.post.at >= opened
        and t.post.at > earnest.get(t.post.author, t.post.at - _EPSILON)
        for t in turns
        if t.post.author in targets_hit
    )
    # laughing from both sides: a member who was hit laughs while hitting back; several
    # attackers laughing at one silent target is mockery, not a roast
    laughing = {t.post.author for t in hostile if t.post.signals.laugh}
    both_sides = len(laughing) >= 2 and bool(laughing & targets_hit)
    roast = both_sides and all(t.post.signals.laugh for t in hostile)
    if target_laughs or roast:
        level *= _TARGET_LAUGHS
        codes.append("banter")
    elif both_sides:
        level *= _BOTH_LAUGH
        codes.append("banter")
    if objected:
        level *= _OBJECTED
        codes.append("objection")
    if not codes:
        codes.append("hostile-words")

    kinds: list[str] = []
    for turn in hostile:
        for kind in turn.post.signals.kinds:
            if kind not in kinds:
                kinds.append(kind)
    value = max(0, min(100, round(level * 100)))
    reason = "+".join(codes) + (": " + ",".join(kinds) if kinds else "")
    first = hostile[0].post
    heat = Heat(value, "none", reason, tuple(sorted(involved)), first.at, first.message_id)
    return replace(heat, action=_action(heat, turns, at, settings, state))


def _repeated(hostile: Sequence[_Turn]) -> bool:
    """One member going at the same member again and again (without an answer in kind)."""
    counts: dict[tuple[int, int], int] = {}
    for turn in hostile:
        for target in turn.targets:
            key = (turn.post.author, target)
            counts[key] = counts.get(key, 0) + 1
    return max(counts.values(), default=0) >= _REPEATS_AT_ONE


def _escalating(turns: Sequence[_Turn]) -> bool:
    """Each turn harsher: the last three hostile-ish turns rise and end clearly hostile."""
    scores = [t.score for t in turns if t.score > 0.0]
    if len(scores) < 3:
        return False
    a, b, c = scores[-3:]
    return a <= b <= c and c - a >= 0.2 and c >= 0.5


def _action(
    heat: Heat, turns: Sequence[_Turn], at: datetime, settings: HeatSettings, state: HeatState
) -> Action:
    """A nudge when the heat crosses the threshold (once per cool-down); slowmode when it
    stays high after the nudge (hostile turns after it), once per episode."""
    if heat.level < settings.nudge_threshold:
        return "none"
    nudged = state.last_nudge_at
    if nudged is None or at - nudged >= settings.cooldown:
        return "nudge"
    if state.slowmode_until is not None and state.slowmode_until > nudged:
        return "none"  # this episode already has its slowmode (running or over)
    after = sum(1 for t in turns if t.post.at > nudged and t.score >= _HOSTILE)
    return "slowmode" if after >= settings.slowmode_after_posts else "none"


@dataclass
class ChannelWatch:
    """One channel's bounded window and action state, in memory (nothing of the text).

    `observe` adds a post, assesses the channel at the post's time and assumes the returned
    action is carried out (the state then holds the nudge or slowmode time).
    """

    settings: HeatSettings = field(default_factory=HeatSettings)
    state: HeatState = field(default_factory=HeatState)
    posts: deque[Post] = field(default_factory=deque)
    _hostile: int = field(
        default=0, init=False, repr=False
    )  # posts in the window with insult/curse

    def observe(self, post: Post) -> Heat:
        posts = self.posts
        posts.append(post)
        self._hostile += _heated(post)
        start = post.at - self.settings.window
        while posts and (len(posts) > self.settings.window_posts or posts[0].at < start):
            self._hostile -= _heated(posts.popleft())
        if not self._hostile:  # the common case, without building the window
            return _BANTER if post.signals.laugh else _CALM
        heat = assess(list(posts), post.at, self.settings, self.state)
        self.state = self.state.after(heat, post.at, self.settings)
        return heat

    def forget(self, member: int) -> None:
        """Erasure: drop a member's posts from the window and the member as a target."""
        kept = [
            replace(
                p,
                reply_to=None if p.reply_to == member else p.reply_to,
                mentions=p.mentions - {member},
            )
            for p in self.posts
            if p.author != member
        ]
        self.posts = deque(kept)
        self._hostile = sum(_heated(p) for p in kept)


def _heated(post: Post) -> int:
    return 1 if post.signals.insult or post.signals.curse else 0


_CALM: Final = Heat(0, "none", "calm")
_BANTER: Final = Heat(0, "none", "banter")


# --------------------------------------------------------------------------------------------
# Transcripts (the command line and the benchmark): one channel's messages, replayed live
# --------------------------------------------------------------------------------------------

MAX_TEXT_CHARS: Final = 4000  # Discord's longest post; longer text is read up to here
_MENTION: Final = re.compile(r"@([^\s@,.:;!?]+)")
_NAME_PART: Final = re.compile(r"[a-z]+")
_MIN_NAME: Final = 3


class TranscriptError(ValueError):
    """A transcript message that cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a transcript as written: the author's name, the time, the text."""

    author: str
    at: datetime
    text: str
    reply_to: int | None = None  # index of an earlier message


def parse_message(obj: object, index: int, previous: datetime | None = None) -> Message:
    """A transcript message from its decoded JSON: `{"author", "at", "text", "reply_to"}`."""
    from compass_bot.inputs import InputError, parse_moment, shown

    if not isinstance(obj, dict):
        raise TranscriptError(f"expected a JSON object, got {type(obj).__name__}")
    author, at, text = obj.get("author"), obj.get("at"), obj.get("text")
    reply_to = obj.get("reply_to")
    if not isinstance(author, str) or not author.strip():
        raise TranscriptError(f'"author" must be a non-empty string, got {shown(author)}')
    if not isinstance(at, str):
        raise TranscriptError(f'"at" must be an ISO-8601 date-time string, got {shown(at)}')
    if not isinstance(text, str):
        raise TranscriptError(f'"text" must be a string, got {shown(text)}')
    if reply_to is not None and (
        isinstance(reply_to, bool) or not isinstance(reply_to, int) or not 0 <= reply_to < index
    ):
        raise TranscriptError(
            f'"reply_to" must be null or the index of an earlier message (0..{index - 1}), '
            f"got {shown(reply_to)}"
        )
    try:
        moment = parse_moment(at, _UTC, '"at"')
    except InputError as exc:
        raise TranscriptError(str(exc)) from None
    if previous is not None and moment < previous:
        raise TranscriptError(f'"at" {at} is earlier than the message before it')
    return Message(author.strip(), moment, text[:MAX_TEXT_CHARS], reply_to)


def replay(messages: Sequence[Message], settings: HeatSettings = HeatSettings()) -> list[Heat]:
    """The rule's verdict after each message, as the bot would have acted live.

    Authors get ids in order of appearance; "@name" of an author in the text is a mention.
    """
    ids: dict[str, int] = {}
    for message in messages:
        ids.setdefault(message.author.casefold(), len(ids) + 1)
    # a member is also addressed by the letters of their name without "@" ("kevin_03": kevin)
    stems = {
        stem: ident
        for name, ident in ids.items()
        for stem in _NAME_PART.findall(name)
        if len(stem) >= _MIN_NAME
    }
    bare = (
        re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, stems)) + r")(?![a-z0-9])")
        if stems
        else None
    )
    watch = ChannelWatch(settings)
    out: list[Heat] = []
    for index, message in enumerate(messages):
        mentioned = frozenset(
            ids[name]
            for name in (m.casefold() for m in _MENTION.findall(message.text))
            if name in ids
        )
        if bare is not None:
            mentioned |= {stems[m] for m in bare.findall(message.text.casefold())}
        reply = (
            messages[message.reply_to].author.casefold() if message.reply_to is not None else None
        )
        post = Post(
            author=ids[message.author.casefold()],
            at=message.at,
            signals=signals_of(message.text),
            reply_to=ids[reply] if reply is not None else None,
            mentions=mentioned,
            message_id=index,
        )
        out.append(watch.observe(post))
    return out
