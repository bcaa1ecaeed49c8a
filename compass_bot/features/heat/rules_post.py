"""One post read for the service: `rules_signals.read`, and the post's language, in one pass.

The service guesses a channel's language from each post's words. A plain post (lower-case
ASCII letters and separators, `rules_signals._plain_words`) is read word by word, and those
words are exactly what `[a-z']+` finds in it lower-cased (no apostrophe, no digit, no other
sign). `PostReader` keeps, per word met, everything the three readings want of it in one entry:
the lexicon's word kind (`Lexicon.word_entry`), the model's word entry (`TextScorer.entry`) and
the word's vote for English or Dutch (`policy.detect_language`'s markers), so a plain post costs
one dict lookup per word. Bounded like the other word caches (the oldest dropped first); keyed
by the word, never by the post.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from typing import Final

from compass_bot.features.heat.rules_lexicon import (
    WORD_HOSTILE,
    WORD_LAUGH,
    WORD_PHRASE,
    WORD_UNSURE,
    WORD_YOU,
    Lexicon,
    shipped_lexicon,
)
from compass_bot.features.heat.rules_model import HeatModel, shipped_model
from compass_bot.features.heat.rules_score import TextScorer, _Word
from compass_bot.features.heat.rules_signals import (
    _PLAIN,
    PostSignals,
    _caps,
    _plain_words,
    _read,
    _screened_by_regex,
)
from compass_bot.policy import Language, detect_language
from compass_bot.policy.wordlists import EN_MARKERS, NL_MARKERS

CACHE_WORDS: Final = 4096
_WORDS: Final = re.compile(r"[a-z']+")
_HOSTILE: Final = 1 << WORD_HOSTILE
_UNSURE: Final = 1 << WORD_UNSURE
_LAUGH: Final = 1 << WORD_LAUGH
_PHRASE: Final = 1 << WORD_PHRASE
_YOU: Final = 1 << WORD_YOU
_ANCHOR: Final = 1 << 8  # a screened pattern is anchored on the word
_FLAG_SHIFT: Final = 9  # the model's flag (address 1, laughter 2) above the kind bits

# per word: its kind (a bit, with _ANCHOR) and the model's flag shifted above them (both are
# or-ed over the words, in one step), +1 for an English marker, -1 for a Dutch one, the
# model's entry (None without a model) and, from it, what the score's fast path adds up: the
# entry's key, the key's bit count, score, bigram weights (empty for none: one test less per
# word) and folded word (`rules_score._Word`)
_Entry = tuple[int, int, _Word | None, int, int, float, Mapping[str, float], str]
_NO_FOLLOW: Final[Mapping[str, float]] = {}
_NO_MODEL: Final = (0, 0, 0.0, _NO_FOLLOW, "")


class PostReader:
    """`read` and the language of a post, for one lexicon and model (`reader` keeps one).

    A plain post's model score is summed in the same pass over its words when no two of them
    share a bit of their keys (`rules_score._Word.key`: no repeated word, no shared letter
    gram, the common case): each word's score, then the bigram it ends, in the order
    `TextScorer.score_entries` adds them, so the sum is the same float; its last part (address,
    laughter, caps, punctuation, the plain reading's lexicon part) is kept per combination for
    an ASCII post. Any other post is scored by `score_entries`."""

    def __init__(self, lexicon: Lexicon, model: HeatModel) -> None:
        self.lexicon = lexicon
        self.model = model
        self._scorer: TextScorer | None = model.text_scorer if model.enabled else None
        # `TextScorer.start` per word count (the last for 7 and more), without its call
        self._starts = self._scorer.starts if self._scorer is not None else (0.0,) * 8
        self._words: dict[str, _Entry] = {}
        self._order: deque[str] = deque()
        self._extras: dict[int, float] = {}  # an ASCII plain post's extras, per combination

    def _entry(self, word: str) -> _Entry:
        kind, anchored = self.lexicon.word_entry(word)
        scorer = self._scorer
        bits = 1 << kind | (_ANCHOR if anchored else 0)
        english = (word in EN_MARKERS) - (word in NL_MARKERS)
        if scorer is None:
            entry: _Entry = (bits, english, None, *_NO_MODEL)
        else:
            w = scorer.entry(word)
            follow = _NO_FOLLOW if w.follow is None else w.follow
            key = w.key
            entry = (
                bits | w.flag << _FLAG_SHIFT,
                english,
                w,
                key,
                key.bit_count(),
                w.score,
                follow,
                w.word,
            )
        words, order = self._words, self._order
        if len(order) >= CACHE_WORDS:
            del words[order.popleft()]
        words[word] = entry
        order.append(word)
        return entry

    def read(self, text: str) -> tuple[PostSignals, float | None, Language]:
        """`rules_signals.read(text, lexicon, model)` and `detect_language` of the post's
        `[a-z']+` words lower-cased."""
        lexicon = self.lexicon
        lowered = text.lower()
        if lowered.isascii():
            words = _plain_words(lowered, lexicon.separators)
            if words is not None:
                known = self._words.get
                scorer = self._scorer
                bits = english = keys = ones = 0
                n = len(words)
                total = 0.0 if scorer is None else self._starts[n if n < 8 else 7]
                follow = _NO_FOLLOW
                # one pass, no list of entries (a clash looks them up again); two keys share
                # a bit exactly when their union has fewer bits than they have together, so
                # one test after the loop, not an AND of two wide keys per word
                for word in words:
                    b, e, _, key, one, score, follows, folded = known(word) or self._entry(word)
                    bits |= b
                    english += e
                    keys |= key
                    ones += one
                    total += score
                    if follow:
                        weight = follow.get(folded)
                        if weight is not None:
                            total += weight
                    follow = follows
                language: Language = "en" if english > 0 else "nl"
                patterns = lexicon.patterns
                if bits & _ANCHOR and patterns is not None and patterns.may_match(words):
                    bits |= _HOSTILE
                if bits & _HOSTILE:
                    signals, lowered_read = _read(text, lexicon)
                elif bits & _UNSURE:
                    signals, lowered_read = _screened_by_regex(text, lexicon, lowered)
                else:
                    you = bits & _YOU != 0
                    laugh = bool(bits & _LAUGH) or (
                        bits & _PHRASE != 0  # "ik ga dood": what follows "ik" says
                        and lexicon.laughs.search(" " + lowered) is not None
                    )
                    caps = _caps(text)
                    signals = _PLAIN[you, laugh, caps]
                    if scorer is None:
                        return signals, None, language
                    if keys.bit_count() != ones:  # a repeated word or a shared gram: the exact way
                        entries = [known(word) or self._entry(word) for word in words]
                        model_words = [e[2] for e in entries if e[2] is not None]
                        return signals, scorer.score_entries(text, signals, model_words), language
                    flags = bits >> _FLAG_SHIFT
                    if not text.isascii():  # lower-cased to ASCII ("\u212a"): emoji may count
                        return signals, total + scorer.extras(text, signals, flags), language
                    # `TextScorer.extras` of an ASCII plain post depends only on the words'
                    # flags, the plain reading and three punctuation marks: kept per combination
                    combination = (
                        flags
                        | you << 2
                        | laugh << 3
                        | caps << 4
                        | ("!" in text) << 5
                        | ("?" in text) << 6
                        | ("..." in text) << 7
                    )
                    extra = self._extras.get(combination)
                    if extra is None:
                        extra = self._extras[combination] = scorer.extras(text, signals, flags)
                    return signals, total + extra, language
                return signals, self._score(text, signals, lowered_read), language
        signals, lowered_read = _screened_by_regex(text, lexicon, lowered)
        words = _WORDS.findall(lowered)
        return signals, self._score(text, signals, lowered_read), detect_language(words)

    def _score(self, text: str, signals: PostSignals, lowered: str | None) -> float | None:
        return None if self._scorer is None else self._scorer.score(text, signals, lowered)


_READERS: dict[tuple[int, int], PostReader] = {}


def reader(lexicon: Lexicon | None = None, model: HeatModel | None = None) -> PostReader:
    """The reader of `lexicon` and `model` (the shipped ones unless given), built once each."""
    lexicon = shipped_lexicon() if lexicon is None else lexicon
    model = shipped_model() if model is None else model
    key = (id(lexicon), id(model))
    found = _READERS.get(key)
    if found is None or found.lexicon is not lexicon or found.model is not model:
        if len(_READERS) >= 8:
            _READERS.clear()
        found = _READERS[key] = PostReader(lexicon, model)
    return found


def read_post(
    text: str, lexicon: Lexicon | None = None, model: HeatModel | None = None
) -> tuple[PostSignals, float | None, Language]:
    """`read(text, lexicon, model)` and the language of the post's words (`PostReader.read`)."""
    return reader(lexicon, model).read(text)
