"""One post read for the service: `rules_signals.read`, and the words the reading made.

The service guesses a channel's language from each post's words. A plain post (lower-case
ASCII letters and separators, `rules_signals._plain_words`) is read word by word, and those
words are exactly what `[a-z']+` finds in it lower-cased (no apostrophe, no digit, no other
sign); handing them over saves a second lower() and findall on every post.
"""

from __future__ import annotations

from compass_bot.features.heat.rules_lexicon import Lexicon
from compass_bot.features.heat.rules_model import HeatModel, shipped_model
from compass_bot.features.heat.rules_signals import PostSignals, _screened


def read_post(
    text: str, lexicon: Lexicon | None = None, model: HeatModel | None = None
) -> tuple[PostSignals, float | None, list[str] | None]:
    """`read(text, lexicon, model)` and the post's `[a-z']+` words lower-cased when the
    reading made them (a plain post), else None."""
    signals, lowered = _screened(text, lexicon)
    words = lowered if isinstance(lowered, list) else None
    model = shipped_model() if model is None else model
    if not model.enabled:
        return signals, None, words
    return signals, model.text_score(text, signals, lowered), words
