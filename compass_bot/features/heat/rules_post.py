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

# per word: its kind (a bit, with _ANCHOR), +1 for an English marker, -1 for a Dutch one, and
# the model's entry (None without a model)
_Entry = tuple[int, int, _Word | None]


class PostReader:
    """`read` and the language of a post, for one lexicon and model (`reader` keeps one)."""

    def __init__(self, lexicon: Lexicon, model: HeatModel) -> None:
        self.lexicon = lexicon
        self.model = model
        self._scorer: TextScorer | None = model.text_scorer if model.enabled else None
        self._words: dict[str, _Entry] = {}
        self._order: deque[str] = deque()

    def _entry(self, word: str) -> _Entry:
        kind, anchored = self.lexicon.word_entry(word)
        scorer = self._scorer
        entry = (
            1 << kind | (_ANCHOR if anchored else 0),
            (word in EN_MARKERS) - (word in NL_MARKERS),
            None if scorer is None else scorer.entry(word),
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
                entries = [known(w) or self._entry(w) for w in words]
                bits = english = 0
                for entry in entries:
                    bits |= entry[0]
                    english += entry[1]
                language: Language = "en" if english > 0 else "nl"
                patterns = lexicon.patterns
                if bits & _ANCHOR and patterns is not None and patterns.may_match(words):
                    bits |= _HOSTILE
                if bits & _HOSTILE:
                    signals, lowered_read = _read(text, lexicon)
                elif bits & _UNSURE:
                    signals, lowered_read = _screened_by_regex(text, lexicon, lowered)
                else:
                    laugh = bool(bits & _LAUGH) or (
                        bits & _PHRASE != 0  # "ik ga dood": what follows "ik" says
                        and lexicon.laughs.search(" " + lowered) is not None
                    )
                    signals = _PLAIN[bits & _YOU != 0, laugh, _caps(text)]
                    scorer = self._scorer
                    if scorer is None:
                        return signals, None, language
                    model_words = [entry[2] for entry in entries if entry[2] is not None]
                    return signals, scorer.score_entries(text, signals, model_words), language
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
