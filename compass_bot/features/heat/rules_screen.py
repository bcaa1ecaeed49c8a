"""The word path's exact screen: a plain post is read in full only when a pattern can match.

A pattern of the lexicon matches only where each of its required words (not `~`, `~~` or `?`)
starts a word of the folded text: as the whole word, or as its start when the word is a stem
('*') or joined to the next ('kkr+mongool'). A plain post (lower-case ASCII letters and
separators, `rules_signals._plain_words`) folds to its words with repeated letters collapsed, so
a pattern none of whose required words is missing from the post cannot match, and the full read
finds no term in it.

What the full read would then still find is its laughs and address words, unless an allow entry
(read first) covers one: 'jij kan het', 'ik ga dood' read as nothing at all. `build` finds, at
build time, the allow entries that may cover the first word of a laugh or an address word (any
of their words or gaps may be one; a free gap '~~' may be anything) and the laughs that may
cover an address word; these are screened like the terms, so a post that may hold one is read
in full too. A pattern that needs an emoji never matches a plain post. Where no such check is possible (a required word with a sign in it, an address word
that starts a laugh), `build` gives None and the screen by needed words stays in use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from compass_bot.features.heat.rules_fold import fold

_LETTERS: Final = re.compile(r"[a-z]+\Z")
_REPEATS: Final = re.compile(r"([a-z])\1+")
_OPTIONAL: Final = ("~", "~~")
CACHE_WORDS: Final = 4096
_ALTERNATIVES: Final = 5  # a word with this many more alternatives ranks as a letter shorter

# An alternative: its folded core and whether a word may go on after it.
_Alt = tuple[str, bool]


def _alternatives(part: str, sets: dict[str, list[str]], joined: bool) -> list[_Alt]:
    out: list[_Alt] = []
    for alt in part.split("|"):
        for word in sets[alt[1:]] if alt.startswith("$") else [alt]:
            out.append((fold(word.rstrip("*")), word.endswith("*") or joined))
    return out


def _tokens(text: str, sets: dict[str, list[str]]) -> list[tuple[bool, list[_Alt]]]:
    """Each word of a pattern: whether it is required, and every alternative of each of its
    joined parts (the first part's as they start a word, the others' as they may)."""
    out: list[tuple[bool, list[_Alt]]] = []
    for token in text.split():
        if token in _OPTIONAL:
            continue
        required = not token.endswith("?")
        parts = token.rstrip("?").split("+")
        out.append((required, _alternatives(parts[0], sets, len(parts) > 1)))
        for part in parts[1:]:
            out.append((False, _alternatives(part, sets, False)))
    return out


def _overlap(a: _Alt, b: _Alt) -> bool:
    """Whether one word of the folded text can be (or start with) both alternatives."""
    (x, x_more), (y, y_more) = a, b
    if x == y:
        return True
    if x_more and y.startswith(x):
        return True
    return y_more and x.startswith(y)


def _covers(
    text: str, sets: dict[str, list[str]], gap: Sequence[_Alt], words: Sequence[_Alt]
) -> bool:
    """Whether a match of pattern `text` may cover the start of one of `words` (a word the
    match may contain, a gap word, anything for a free gap)."""
    for token in text.split():
        if token == "~~":
            return True
        alts = list(gap) if token == "~" else []
        if token != "~":
            parts = token.rstrip("?").split("+")
            for index, part in enumerate(parts):
                alts.extend(_alternatives(part, sets, index < len(parts) - 1))
        if any(_overlap(a, w) for a in alts for w in words):
            return True
    return False


@dataclass(frozen=True, slots=True)
class PatternScreen:
    """Per required word (a bit), which folded words satisfy it (`exact`, and by their first
    letters `prefixes`); per pattern screened, its required words as a bit mask, listed under
    its rarest one (`anchored`)."""

    exact: dict[str, int]
    prefixes: dict[int, dict[str, int]]
    anchored: dict[int, tuple[int, ...]]
    # per lower-case word met: the bits it satisfies and the masks anchored on one of them
    _words: dict[str, tuple[int, tuple[int, ...]]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def word(self, raw: str) -> tuple[int, tuple[int, ...]]:
        """The required words a post's word satisfies, and the patterns to check (cached)."""
        known = self._words.get(raw)
        if known is not None:
            return known
        word = _REPEATS.sub(r"\1", raw)
        bits = self.exact.get(word, 0)
        for length, starts in self.prefixes.items():
            if length <= len(word):
                bits |= starts.get(word[:length], 0)
        masks: list[int] = []
        rest = bits
        while rest:
            low = rest & -rest
            masks.extend(self.anchored.get(low, ()))
            rest ^= low
        entry = (bits, tuple(masks))
        words = self._words
        if len(words) >= CACHE_WORDS:
            del words[next(iter(words))]
        words[raw] = entry
        return entry

    def may_match(self, words: Sequence[str]) -> bool:
        """Whether some screened pattern has every required word among `words` (a plain
        post's lower-case words)."""
        known = self._words.get
        present = 0
        masks: list[int] = []
        for word in words:
            bits, anchored = known(word) or self.word(word)
            present |= bits
            if anchored:
                masks.extend(anchored)
        return any(mask & present == mask for mask in masks)


def build(
    terms: Sequence[str],
    allow: Sequence[str],
    laughs: Sequence[str],
    yous: Sequence[str],
    gap_words: Sequence[str],
    sets: dict[str, list[str]],
    common: frozenset[str],
) -> PatternScreen | None:
    """The screen over the term patterns and the allow and laugh entries that may hide a laugh
    or an address (see the module); None when it cannot be exact."""
    if any(len(text.split()) != 1 or "+" in text for text in yous):
        return None  # an address of several words: read by the regexes
    you = [a for text in yous for a in _tokens(text, sets)[0][1]]
    laugh_firsts = [a for text in laughs for a in _tokens(text, sets)[0][1]]
    if any(_overlap(a, b) for a in you for b in laugh_firsts):
        return None  # an address word that starts a laugh: read by the regexes
    gap = [(fold(w.rstrip("*")), w.endswith("*")) for w in gap_words]
    screened = list(terms)
    screened += [text for text in allow if _covers(text, sets, gap, [*you, *laugh_firsts])]
    screened += [text for text in laughs if _covers(" ".join(text.split()[1:]), sets, gap, you)]
    bit_of: dict[frozenset[_Alt], int] = {}
    exact: dict[str, int] = {}
    prefixes: dict[int, dict[str, int]] = {}
    anchored: dict[int, list[int]] = {}
    for text in screened:
        mask = 0
        best: tuple[int, int] | None = None
        possible = True
        for required, every in _tokens(text, sets):
            alts = [(core, more) for core, more in every if core.isascii()]
            if required and not alts:
                possible = False  # an emoji: never in a plain (ASCII) post
                break
            if not required or not all(_LETTERS.match(core) for core, _ in alts):
                continue  # optional, or not decidable from a post's words: assumed present
            key = frozenset(alts)
            bit = bit_of.get(key)
            if bit is None:
                bit = bit_of[key] = 1 << len(bit_of)
                for core, more in alts:
                    into = prefixes.setdefault(len(core), {}) if more else exact
                    into[core] = into.get(core, 0) | bit
            mask |= bit
            # the rarest word: no function word, long, few alternatives (each may be the one)
            rank = min(len(core) for core, _ in alts) - len(alts) // _ALTERNATIVES
            if common.intersection(core for core, _ in alts):
                rank -= 100
            if best is None or rank > best[0]:
                best = (rank, bit)
        if not possible:
            continue
        if best is None:
            return None  # nothing to screen this pattern by
        anchored.setdefault(best[1], []).append(mask)
    return PatternScreen(exact, prefixes, {b: tuple(m) for b, m in anchored.items()})
