"""Oracles for heat's fast paths on a plain post: each gives exactly (float for float) what the
exact way gives. `PostReader.read`'s one-pass sum against `rules_signals.read` (whose model score
goes through `TextScorer.score_entries`); `ContextScorer.untargeted` against `arrival`;
`ChannelWatch.observe`'s arrival score against the index and `arrival` fed in parallel."""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.features.heat.rules import read
from compass_bot.features.heat.rules_index import WindowIndex
from compass_bot.features.heat.rules_lexicon import shipped_lexicon
from compass_bot.features.heat.rules_model import shipped_model
from compass_bot.features.heat.rules_post import PostReader
from compass_bot.features.heat.rules_score import TextScorer
from compass_bot.features.heat.rules_signals import signals_of
from compass_bot.features.heat.rules_watch import ChannelWatch
from compass_bot.features.heat.rules_window import Post
from compass_bot.policy import detect_language

sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
from train_heat_model import TRAINING_SETS

DATA = Path(__file__).parent / "data"
_WORDS = re.compile(r"[a-z']+")
PLAIN = "heeft iemand de huiswerkopdracht al af?"


def _transcript_texts() -> list[str]:
    texts = []
    for name in TRAINING_SETS:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts += [m["text"] for m in json.loads(line)["messages"]]
    return texts


def _mixes(texts: list[str], rng: random.Random, count: int) -> list[str]:
    """Random posts from the transcripts' words: repeats, shared letter grams, caps, emoji,
    accents, punctuation, the Kelvin sign (lower-cased to ASCII), separators."""
    words = sorted({w for t in texts for w in t.split()})
    extra = ["😂", "💀", "🙄", "café", "\u212aut", "...", "!", "?", "haha", "je", "jij", "de"]
    extra += ["werk", "huiswerk", "werkopdracht", "ik ga dood", "lol", "NIEMAND", "mag", "jou"]
    mixes = []
    for _ in range(count):
        chosen = rng.choices(words + extra, k=rng.randint(1, 12))
        if rng.random() < 0.3:  # a word again
            chosen.append(rng.choice(chosen))
        text = rng.choice([" ", "  ", ", ", " - ", "\t"]).join(chosen)
        text += rng.choice(["", "", "?", "!", "...", "?!", " 😂", "."])
        if rng.random() < 0.15:
            text = text.upper()
        mixes.append(text)
    return mixes


def _reference(text: str) -> tuple[object, float | None, str]:
    signals, said = read(text)
    return signals, said, detect_language(_WORDS.findall(text.lower()))


def test_the_plain_post_one_pass_sum_is_the_exact_score() -> None:
    """Every transcript text and thousands of random mixes, through a fresh reader and one whose
    word cache turns over: the same signals, the same float, the same language."""
    texts = _transcript_texts()
    mixes = _mixes(texts, random.Random(27), 6000)
    small = PostReader(shipped_lexicon(), shipped_model())
    fresh = PostReader(shipped_lexicon(), shipped_model())
    fast = 0
    for i, text in enumerate(texts + mixes):
        expected = _reference(text)
        assert fresh.read(text) == expected, text
        assert fresh.read(text) == expected, text  # from the cache
        if i % 7 == 0:  # a reader whose cache the filler turns over
            small.read(" ".join(f"vul{chr(97 + i % 26)}{chr(97 + (i * 7) % 26)}q" for _ in "ab"))
            assert small.read(text) == expected, text
        fast += text.isascii()
    assert fast > 10000


def test_the_plain_post_is_summed_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The common plain post never goes the exact way; a repeated word or a shared letter gram
    does (and gives the exact score)."""
    calls: list[int] = []
    exact = TextScorer.score_entries

    def spy(self: TextScorer, *args: object) -> float:
        calls.append(1)
        return exact(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TextScorer, "score_entries", spy)
    reader = PostReader(shipped_lexicon(), shipped_model())
    got = reader.read(PLAIN)
    assert calls == []
    assert got == _reference(PLAIN)
    for text in ("de toets en de toets", "huiswerk en huiswerkopdracht"):
        calls.clear()
        got = reader.read(text)
        assert calls, text
        assert got[1] == read(text)[1]


def test_untargeted_is_arrival_for_a_post_aimed_at_nobody() -> None:
    scorer = shipped_model().context_scorer
    at = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    for laugh_text in ("hoi", "haha", "jij", "HAHA JIJ"):
        post = Post(1, at, signals_of(laugh_text), said=0.0)
        for authors in range(8):
            for gap in (None, 0.0, 14.999, 15.0, 15.001, 60.0, 119.999, 120.0, 500.0):
                expected = scorer.arrival(post, frozenset(), False, 1, False, False, authors, gap)
                assert scorer.untargeted(authors, gap) == expected, (authors, gap)


def test_the_watch_scores_each_arrival_as_the_index_and_arrival_do() -> None:
    """Random windows (one author alone, a few members, replies, mentions, self-replies, times
    going back, posts leaving by count and by time): the learned score equals, float for float,
    `said` plus `arrival` over an index fed the same posts."""
    rng = random.Random(5)
    model = shipped_model()
    scorer = model.context_scorer
    start = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    for round_ in range(150):
        watch = ChannelWatch(model=model)
        window: list[Post] = []
        index = WindowIndex()
        members = 1 if round_ % 3 == 0 else rng.randint(2, 6)
        at = start
        for _ in range(rng.randint(1, 70)):
            at += timedelta(seconds=rng.choice([-20, 0, 3, 10, 16, 30, 95, 130, 400]))
            author = rng.randint(1, members)
            reply = rng.choice([None, None, None, rng.randint(1, members)])
            mentions = frozenset(rng.sample(range(1, members + 2), rng.choice([0, 0, 0, 1, 2])))
            said = rng.choice([-6.0, -2.0, 0.5, 2.5])
            post = Post(author, at, signals_of(rng.choice(["hoi", "haha", "jij"])), reply, mentions)
            post.said = said
            while window and (
                len(window) >= watch.settings.window_posts
                or window[0].at < at - watch.settings.window
            ):
                index.remove(window.pop(0))
            last = window[-1] if window else None
            gap = None if last is None else (at - last.at).total_seconds()
            targets, explicit = index.targets(post, last, gap)
            count, again, mutual = index.addressing(author, targets)
            authors = len({author, *(p.author for p in window[-6:])})
            expected = said + scorer.arrival(
                post, targets, explicit, count, again, mutual, authors, gap
            )
            watch.observe(post)
            assert watch.posts[-1].learned == expected
            window.append(post)
            index.add(post)
