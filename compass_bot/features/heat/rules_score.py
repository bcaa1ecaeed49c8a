"""The learned model's scores, compiled for speed: every post is scored, most are plain.

`TextScorer.score` gives the same number as `HeatModel.score(text_features(...))` (to float
rounding) without building the feature dict: a word's unigram weight and the weights of its
letter grams are one number, folded at load time for every word the model knows (one lookup per
word); a word it does not know is worked out once and kept in a bounded cache (chat repeats its
words; 4,096 entries, the oldest dropped first; keyed by the word, never by the post). Letter
grams shared by two different words of a post count once, as in the features. `context_score`
is `context_features` summed over the weights without the dict. `text_features` and
`context_features` stay the reference (training uses them; a test replays the transcripts
through both).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import deque
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from compass_bot.features.heat.rules_fold import fold

if TYPE_CHECKING:
    from compass_bot.features.heat.rules_model import Lexical
    from compass_bot.features.heat.rules_window import Post

CACHE_WORDS: Final = 4096
_WORD: Final = re.compile(r"[a-z]+")
_REPEATS: Final = re.compile(r"([a-z])\1+")
_YOU_FLAG: Final = 1
_LAUGH_FLAG: Final = 2
KEY_BITS: Final = 1021  # the width of `_Word.key` (a prime: the grams' and words' bits spread)


class _Word:
    """What one folded word adds: its unigram and letter-gram weights (`score`), the weighted
    grams (to count a gram shared with another word once), the bigrams it starts, and whether it
    addresses someone (1) or laughs (2). `key` has one bit per weighted gram and one for the word
    (hashed into `KEY_BITS`): words whose keys share no bit neither repeat nor share a gram, so
    their scores simply add up (`TextScorer.score_entries`' fast path; a shared bit only sends the
    post the exact way)."""

    __slots__ = ("flag", "follow", "grams", "key", "score", "word")

    def __init__(
        self,
        word: str,
        score: float,
        grams: frozenset[str],
        follow: Mapping[str, float] | None,
        flag: int,
    ) -> None:
        self.word = word
        self.score = score
        self.grams = grams
        self.follow = follow
        self.flag = flag
        key = 1 << zlib.crc32(word.encode()) % KEY_BITS
        for name in grams:
            key |= 1 << zlib.crc32(name.encode()) % KEY_BITS
        self.key = key


class TextScorer:
    """The text part of a model's score over its weights, compiled once per model."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        from compass_bot.features.heat.rules_model import _EMOJI_CLASS, _LAUGH_WORD, _YOU

        self._you = _YOU
        self._laugh = _LAUGH_WORD
        self._weights = weights
        get = weights.get
        self._bias = get("bias", 0.0)
        self._counts = tuple(
            get("n:0" if not n else "n:1" if n <= 2 else "n:3" if n <= 6 else "n:7", 0.0)
            for n in range(8)
        )
        # what a post of n model words starts from (`start`), per n up to 7: added once here
        self.starts = tuple(self._bias + count for count in self._counts)
        self._flags = {name: get(name, 0.0) for name in ("you", "laugh", "caps", "excl")}
        self._flags |= {name: get(name, 0.0) for name in ("quest", "dots")}
        self._emoji = _EMOJI_CLASS
        self._emoji_weights = {name: get("e:" + name, 0.0) for name in set(_EMOJI_CLASS.values())}
        self._follow: dict[str, dict[str, float]] = {}
        vocabulary: set[str] = set()
        for name, value in weights.items():
            if name.startswith("b:"):
                first, _, second = name[2:].partition("_")
                self._follow.setdefault(first, {})[second] = value
                vocabulary.update((first, second))
            elif name.startswith("w:"):
                vocabulary.add(name[2:])
        # the words the model knows, and (bounded) the unknown ones met since, by their raw form
        self._words = {word: self._entry(word) for word in vocabulary}
        self._unknown_order: deque[str] = deque()

    def _entry(self, word: str) -> _Word:
        """A folded word's contribution, from the weights."""
        weights = self._weights
        score = weights.get("w:" + word, 0.0)
        grams: set[str] = set()
        if len(word) >= 4:
            padded = "<" + word + ">"
            for i in range(len(padded) - 3):
                name = "c:" + padded[i : i + 4]
                if name in weights and name not in grams:
                    grams.add(name)
                    score += weights[name]
        flag = _YOU_FLAG if word in self._you else _LAUGH_FLAG if self._laugh.fullmatch(word) else 0
        return _Word(word, score, frozenset(grams), self._follow.get(word), flag)

    def _unknown(self, raw: str) -> _Word:
        """A word the model has no unigram or bigram for, or one written with repeated letters:
        folded (repeats collapsed), worked out and cached (the oldest such word dropped first)."""
        word = _REPEATS.sub(r"\1", raw) if _REPEATS.search(raw) else raw
        words = self._words
        entry = words.get(word) or self._entry(word)
        order = self._unknown_order
        if len(order) >= CACHE_WORDS:
            del words[order.popleft()]
        words[raw] = entry
        order.append(raw)
        return entry

    def score(self, text: str, lexical: Lexical, lowered: str | list[str] | None = None) -> float:
        """The text score. `lowered`: the post's `[a-z]+` words, or the post lower-cased and
        accent-folded, given when the lexicon's screen found no disguise (spaced or leet
        letters) and it has no apostrophe: then folding only collapses repeated letters, per
        word; otherwise (None) the text is folded."""
        if isinstance(lowered, list):
            raw = lowered
        else:
            raw = _WORD.findall(fold(text) if lowered is None else lowered)
        known = self._words.get
        return self.score_entries(text, lexical, [known(w) or self._unknown(w) for w in raw])

    def entry(self, raw: str) -> _Word:
        """A lower-case word's contribution (cached as `score` caches it)."""
        return self._words.get(raw) or self._unknown(raw)

    def start(self, words: int) -> float:
        """What a post of `words` model words starts from (bias and word count), as
        `score_entries` adds it first."""
        return self.starts[min(words, 7)]

    def score_entries(self, text: str, lexical: Lexical, entries: Sequence[_Word]) -> float:
        """The text score from the post's words' entries (`entry`), in order: a folded word,
        a letter gram and a bigram each count once."""
        total = self._bias + self._counts[min(len(entries), 7)]
        seen: set[_Word] = set()  # one entry per folded word: a word counts once
        grams: set[str] = set()  # and a letter gram once, across the words
        pairs: set[tuple[str, str]] | None = None
        flags = 0
        follow: Mapping[str, float] | None = None  # the previous word's bigram weights
        previous = ""
        for entry in entries:
            if entry not in seen:
                seen.add(entry)
                total += entry.score
                flags |= entry.flag
                own = entry.grams
                if own:
                    if grams and not grams.isdisjoint(own):
                        weights = self._weights
                        # fsum: a set's order follows the hash seed; the sum must not
                        total -= math.fsum(weights[name] for name in own & grams)
                    grams |= own
            if follow is not None:
                weight = follow.get(entry.word)
                if weight is not None:
                    pair = (previous, entry.word)
                    if pairs is None:
                        pairs = {pair}
                        total += weight
                    elif pair not in pairs:
                        pairs.add(pair)
                        total += weight
            follow = entry.follow
            previous = entry.word
        return total + self.extras(text, lexical, flags)

    def extras(self, text: str, lexical: Lexical, flags: int) -> float:
        """Address, laughter, emoji, caps, punctuation and the lexicon's own scores."""
        f = self._flags
        total = 0.0
        if flags & _YOU_FLAG:
            total += f["you"]
        if lexical.laugh or flags & _LAUGH_FLAG:
            total += f["laugh"]
        if not text.isascii():
            classes = set(map(self._emoji.get, text))
            classes.discard(None)
            emoji = self._emoji_weights
            total += sum(emoji[name] for name in classes if name is not None)
        if lexical.caps:
            total += f["caps"]
        if "!" in text:
            total += f["excl"]
        if "?" in text:
            total += f["quest"]
        if "..." in text:
            total += f["dots"]
        if lexical.hostility or lexical.aimed or lexical.objects:
            total += self._lexicon_part(lexical)
        return total

    def _lexicon_part(self, lexical: Lexical) -> float:
        get = self._weights.get
        total = 0.0
        if lexical.hostility:
            total += get("lex:hostility", 0.0) * lexical.hostility
            total += get("lex:insult", 0.0) * lexical.insult
            total += get("lex:curse", 0.0) * lexical.curse
            total += sum(get("k:" + kind, 0.0) for kind in dict.fromkeys(lexical.kinds))
        if lexical.aimed:
            total += get("lex:aimed", 0.0)
        if lexical.objects:
            total += get("lex:objects", 0.0)
        return total


AUTHORS_SPAN: Final = 6  # as rules_model's: posts looked back for how many members talk
_FAST_S: Final = 15.0
_SLOW_S: Final = 120.0


class ContextScorer:
    """`context_features` of a post, summed over the weights without building the dict."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        get = weights.get
        self.none = get("x:none", 0.0)
        self.reply = get("x:reply", 0.0)
        self.mention = get("x:mention", 0.0)
        self.flow = get("x:flow", 0.0)
        self.addr = tuple(get(f"x:addr{n}", 0.0) for n in range(4))
        self.addr_laugh = tuple(get(f"x:addr{n}&laugh", 0.0) for n in range(4))
        self.addr_you = tuple(get(f"x:addr{n}&you", 0.0) for n in range(4))
        self.again = get("x:again", 0.0)
        self.mutual = get("x:mutual", 0.0)
        self.authors = tuple(get(f"x:authors{n}", 0.0) for n in range(5))
        self.fast = get("x:fast", 0.0)
        self.slow = get("x:slow", 0.0)
        # `arrival` of a post aimed at nobody, per min(authors, 4) and gap (None, fast, between,
        # slow): added up in `arrival`'s order, so the same floats
        self._untargeted = tuple(
            (
                0.0 + self.none + self.authors[a],
                0.0 + self.none + self.authors[a] + self.fast,
                0.0 + self.none + self.authors[a],
                0.0 + self.none + self.authors[a] + self.slow,
            )
            for a in range(5)
        )

    def untargeted(self, authors: int, gap: float | None) -> float:
        """`arrival` of a post aimed at nobody (`targets` empty), which reads nothing else of
        the post: `authors` and `gap` as there."""
        row = self._untargeted[min(authors, 4)]
        if gap is None:
            return row[0]
        return row[1] if gap <= _FAST_S else row[3] if gap >= _SLOW_S else row[2]

    def score(
        self, post: Post, targets: frozenset[int], explicit: bool, previous: Sequence[Post]
    ) -> float:
        """From a scan of the window before the post."""
        me = post.author
        count, again, mutual = 0, False, False
        if targets:
            addressers = {me}
            for q in previous:
                reply, mentions, author = q.reply_to, q.mentions, q.author
                if reply in targets or (mentions and not targets.isdisjoint(mentions)):
                    addressers.add(author)
                    again = again or author == me
                if author in targets and (reply == me or me in mentions):
                    mutual = True
            count = min(len(addressers), 3)
        return self.total(post, targets, explicit, previous, count, again, mutual)

    def total(
        self,
        post: Post,
        targets: frozenset[int],
        explicit: bool,
        previous: Sequence[Post],
        count: int,
        again: bool,
        mutual: bool,
    ) -> float:
        """Given who addresses the targets (`count` members with the author, at most 3; the
        author `again`; the two answering each other: `mutual`), from a scan or an index."""
        n = len(previous)
        authors = {post.author}
        for i in range(1, min(n, AUTHORS_SPAN) + 1):
            authors.add(previous[-i].author)
        gap = (post.at - previous[-1].at).total_seconds() if n else None
        return self.arrival(post, targets, explicit, count, again, mutual, len(authors), gap)

    def arrival(
        self,
        post: Post,
        targets: frozenset[int],
        explicit: bool,
        count: int,
        again: bool,
        mutual: bool,
        authors: int,
        gap: float | None,
    ) -> float:
        """`total` with the window's part known too: `authors`, the distinct members among the
        author and the last `AUTHORS_SPAN` posts; `gap`, the seconds since the newest post
        (None: the window is empty). Summed in the order of `context_features`."""
        total = 0.0
        if not targets:
            total += self.none
        else:
            total += (
                self.reply if post.reply_to is not None else self.mention if explicit else self.flow
            )
            total += self.addr[count]
            if again:
                total += self.again
            if mutual:
                total += self.mutual
            if post.signals.laugh:
                total += self.addr_laugh[count]
            if post.signals.aimed:
                total += self.addr_you[count]
        total += self.authors[min(authors, 4)]
        if gap is not None:
            if gap <= _FAST_S:
                total += self.fast
            elif gap >= _SLOW_S:
                total += self.slow
        return total
