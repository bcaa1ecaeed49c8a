"""A learned hostility signal for the heat rule, trained offline, scored here by pure Python.

The lexicon (rules_lexicon) knows the words it was given; a writer with another style turns a
discussion with short cold messages, exclusion and sarcasm it has no word for. A logistic
regression over features that carry across writers (folded words and word pairs, letter grams
within words for spelling variants, second-person address, laughter and emoji classes, caps and
punctuation, the lexicon's own scores, and who addresses whom) adds that evidence.

A post is scored once, as it arrives, in two parts: `HeatModel.text_score` (what it says;
`rules_signals.read` gives only this number, never the text) and `HeatModel.context_score` (to whom,
from the window before it). The window's evidence is an aggregate of the last posts' scores
(`HeatModel.evidence`). Training is `tools/train_heat_model.py` (numpy, offline); the file
records a fingerprint of the code the features depend on (checked at load: a stale model is
not used) and of the transcripts it was trained on (checked by a test).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from compass_bot.features.heat.rules_fold import fold
from compass_bot.features.heat.rules_score import ContextScorer, TextScorer

if TYPE_CHECKING:
    from compass_bot.features.heat.rules_window import Post

log = logging.getLogger(__name__)

FORMAT: Final = 2  # 2: `threshold` is the lowest evidence that counts, `alone` beside it
_HERE: Final = Path(__file__).resolve().parent
MODEL_FILE: Final = _HERE / "data" / "heat_model.json"
CODE_FILES: Final = tuple(
    _HERE / name
    for name in (
        "rules_fold.py",
        "rules_lexicon.py",
        "rules_screen.py",
        "rules_signals.py",
        "rules_model.py",
        "rules_transcript.py",
        "data/heat_lexicon.json",
    )
)
"""The code and data a post's features depend on: part of the fingerprint, so an edit there
(a docstring too) asks for the model to be trained again."""

_WORD: Final = re.compile(r"[a-z]+")
_YOU: Final = frozenset(
    {"je", "jij", "jou", "jouw", "jullie", "u", "you", "your", "youre", "ur", "yourself"}
    | {"jezelf", "ya", "yall"}
)
_LAUGH_WORD: Final = re.compile(r"(?:h[aeiou]){2,}h?|l[ou]l|lmf?ao|xd|rofl|hihi")
_EMOJI: Final = {
    "laugh": "😂🤣😆😹😅😁😄😃😀😝😜😛🤪",
    "skull": "💀😭☠",
    "angry": "😡🤬😠👿💢🖕👊🔪😤",
    "cold": "🙄😒😑😐🥱🤡💅🤨🫠🤷",
    "sad": "😢😔😞🥺😕☹😟😥😿",
    "heart": "❤💕💖🥰😍😘🫶♥💙💜🧡💚🤍💛",
    "ok": "👍👌🙏✅💪🔥",
}
_EMOJI_CLASS: Final = {ch: name for name, chars in _EMOJI.items() for ch in chars}
_AUTHORS_SPAN: Final = 6  # posts looked back for how many members talk
_FAST_S: Final = 15.0
_SLOW_S: Final = 120.0


class Lexical(Protocol):
    """The lexicon's reading of a post (`PostSignals`), as the model's features use it."""

    @property
    def hostility(self) -> float: ...
    @property
    def insult(self) -> float: ...
    @property
    def curse(self) -> float: ...
    @property
    def aimed(self) -> bool: ...
    @property
    def laugh(self) -> bool: ...
    @property
    def caps(self) -> bool: ...
    @property
    def objects(self) -> bool: ...
    @property
    def kinds(self) -> tuple[str, ...]: ...


def text_features(text: str, lexical: Lexical) -> dict[str, float]:
    """What a post says, as named features (the text itself is not kept)."""
    folded = fold(text)
    words = _WORD.findall(folded)
    out: dict[str, float] = {"bias": 1.0}
    laugh = lexical.laugh
    you = False
    for w in words:
        out["w:" + w] = 1.0
        if w in _YOU:
            you = True
        elif _LAUGH_WORD.fullmatch(w):
            laugh = True
        if len(w) >= 4:
            padded = "<" + w + ">"
            for i in range(len(padded) - 3):
                out["c:" + padded[i : i + 4]] = 1.0
    for a, b in pairwise(words):
        out["b:" + a + "_" + b] = 1.0
    n = len(words)
    out["n:0" if not n else "n:1" if n <= 2 else "n:3" if n <= 6 else "n:7"] = 1.0
    if you:
        out["you"] = 1.0
    if laugh:
        out["laugh"] = 1.0
    if not text.isascii():
        for ch in text:
            name = _EMOJI_CLASS.get(ch)
            if name is not None:
                out["e:" + name] = 1.0
    if lexical.caps:
        out["caps"] = 1.0
    if "!" in text:
        out["excl"] = 1.0
    if "?" in text:
        out["quest"] = 1.0
    if "..." in text:
        out["dots"] = 1.0
    if lexical.hostility:
        out["lex:hostility"] = lexical.hostility
        out["lex:insult"] = lexical.insult
        out["lex:curse"] = lexical.curse
        for kind in lexical.kinds:
            out["k:" + kind] = 1.0
    if lexical.aimed:
        out["lex:aimed"] = 1.0
    if lexical.objects:
        out["lex:objects"] = 1.0
    return out


def context_features(
    post: Post, targets: frozenset[int], explicit: bool, previous: Sequence[Post]
) -> dict[str, float]:
    """To whom a post speaks, from the window before it: reply or mention, how many members
    address the same member, whether the two answer each other, the pace."""
    out: dict[str, float] = {}
    if not targets:
        out["x:none"] = 1.0
    else:
        out["x:reply" if post.reply_to is not None else "x:mention" if explicit else "x:flow"] = 1.0
        addressers = {post.author}
        again = mutual = 0
        for q in previous:
            aimed_at = q.mentions | ({q.reply_to} if q.reply_to is not None else set())
            if aimed_at & targets:
                addressers.add(q.author)
                again += q.author == post.author
            if post.author in aimed_at and q.author in targets:
                mutual = 1
        count = min(len(addressers), 3)
        out[f"x:addr{count}"] = 1.0
        if again:
            out["x:again"] = 1.0
        if mutual:
            out["x:mutual"] = 1.0
        if post.signals.laugh:
            out[f"x:addr{count}&laugh"] = 1.0
        if post.signals.aimed:
            out[f"x:addr{count}&you"] = 1.0
    authors = {q.author for q in previous[-_AUTHORS_SPAN:]} | {post.author}
    out[f"x:authors{min(len(authors), 4)}"] = 1.0
    if previous:
        gap = (post.at - previous[-1].at).total_seconds()
        if gap <= _FAST_S:
            out["x:fast"] = 1.0
        elif gap >= _SLOW_S:
            out["x:slow"] = 1.0
    return out


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class HeatModel:
    """Weights per feature, and how the window's evidence is read from the posts' scores.

    `window` posts are looked at; `mode` "message": the mean of the `top` highest post
    probabilities among them; "window" (trained on the mean features of the last posts): the
    probability of the mean score. `threshold` is the lowest evidence that can heat the
    channel: enough beside other signs (the lexicon's level half-way to a nudge, a member
    several others laugh at); `alone` is the evidence that suffices without them (both chosen
    by leave-one-set-out, never on one set). Below `threshold` the model never raises the heat,
    so a channel watch may skip the window's assessment there."""

    weights: Mapping[str, float] = field(default_factory=dict)
    mode: str = "message"
    window: int = 4
    top: int = 2
    threshold: float = 1.0  # an empty model never fires
    alone: float = 1.0  # the evidence that suffices with no other sign (>= threshold)
    # the weights compiled for scoring every post cheaply (rules_score), built once
    _text: TextScorer = field(init=False, repr=False, compare=False)
    _context: ContextScorer = field(init=False, repr=False, compare=False)
    # a post scored below this cannot bring the evidence to the threshold, whatever the others
    # (the evidence never exceeds the highest post's probability); a margin for rounding
    lowest_hot: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_text", TextScorer(self.weights))
        object.__setattr__(self, "_context", ContextScorer(self.weights))
        t = self.threshold
        lowest = -math.inf if t <= 0.0 else 30.0 if t >= 1.0 else math.log(t / (1.0 - t)) - 1e-6
        object.__setattr__(self, "lowest_hot", lowest)

    @property
    def enabled(self) -> bool:
        return bool(self.weights)

    def score(self, features: Mapping[str, float]) -> float:
        weights = self.weights
        total = 0.0
        for name, value in features.items():
            w = weights.get(name)
            if w is not None:
                total += w * value
        return total

    def text_score(
        self, text: str, lexical: Lexical, lowered: str | list[str] | None = None
    ) -> float:
        """`score(text_features(text, lexical))`, compiled (`rules_score.TextScorer.score`
        says what `lowered` may be)."""
        return self._text.score(text, lexical, lowered)

    def context_score(
        self, post: Post, targets: frozenset[int], explicit: bool, previous: Sequence[Post]
    ) -> float:
        """`score(context_features(post, targets, explicit, previous))`, compiled."""
        return self._context.score(post, targets, explicit, previous)

    @property
    def text_scorer(self) -> TextScorer:
        """The compiled text part (`TextScorer`, for the service's reader)."""
        return self._text

    @property
    def context_scorer(self) -> ContextScorer:
        """The compiled context part (`ContextScorer.arrival`, for the channel watch)."""
        return self._context

    def context_at_arrival(
        self,
        post: Post,
        targets: frozenset[int],
        explicit: bool,
        addressing: tuple[int, bool, bool],
        authors: int,
        gap: float | None,
    ) -> float:
        """`context_score` from what the channel watch keeps as posts arrive: who addresses
        whom (`WindowIndex.addressing`), the distinct recent `authors` and the `gap` in
        seconds since the newest post (None: an empty window)."""
        return self._context.arrival(post, targets, explicit, *addressing, authors, gap)

    def evidence(self, scores: Sequence[float]) -> float:
        """The window's evidence (0..1) from its last posts' scores, oldest first."""
        last = scores[-self.window :]
        if not last:
            return 0.0
        if self.mode == "window":
            return sigmoid(sum(last) / len(last))
        probs = sorted((sigmoid(s) for s in last), reverse=True)[: self.top]
        return sum(probs) / len(probs)

    # -- file

    def save(self, path: Path, code: str, data: str, trained_on: Iterable[str]) -> None:
        doc = {
            "format": FORMAT,
            "code": code,
            "data": data,
            "trained_on": list(trained_on),
            "mode": self.mode,
            "window": self.window,
            "top": self.top,
            "threshold": self.threshold,
            "alone": self.alone,
            "weights": {k: round(v, 4) for k, v in sorted(self.weights.items())},
        }
        path.write_text(
            json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, path: Path, code: str) -> HeatModel | None:
        """The model at `path` if its features come from this code; else None, with a log line."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT or doc.get("code") != code:
                log.warning(
                    "heat model %s was trained with other code: the rule runs without it until "
                    "`python tools/train_heat_model.py` is run",
                    path,
                )
                return None
            weights = {str(k): float(v) for k, v in doc["weights"].items()}
            model = cls(
                weights,
                str(doc["mode"]),
                int(doc["window"]),
                int(doc["top"]),
                float(doc["threshold"]),
                float(doc["alone"]),
            )
        except FileNotFoundError:
            log.info("no heat model at %s: the rule runs on the lexicon alone", path)
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("heat model %s is unreadable (%s): the rule runs without it", path, exc)
            return None
        if model.mode not in ("message", "window") or model.window < 1 or model.top < 1:
            log.warning("heat model %s is damaged: the rule runs without it", path)
            return None
        if not all(math.isfinite(w) for w in weights.values()):
            log.warning("heat model %s is damaged: the rule runs without it", path)
            return None
        return model


OFF: Final = HeatModel()
"""No learned signal: the rule as it was (for the benchmark's comparison and for tests)."""


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A hash of the files' contents (line endings normalised) and their names."""
    digest = hashlib.sha256(f"format {FORMAT} {extra}".encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def code_fingerprint() -> str:
    return fingerprint(CODE_FILES)


@cache
def shipped_model() -> HeatModel:
    """The shipped model, loaded on first use; `OFF` when it is missing or stale, or when the
    feature code it is checked against cannot be read (an install without sources)."""
    try:
        code = code_fingerprint()
    except OSError as exc:
        log.warning("heat model: cannot read the feature code (%s): the rule runs without it", exc)
        return OFF
    return HeatModel.load(MODEL_FILE, code) or OFF
