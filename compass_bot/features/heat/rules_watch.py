"""A channel's bounded window of posts and its action state, kept in memory for the rule."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

from compass_bot.features.heat.rules_index import WindowIndex
from compass_bot.features.heat.rules_model import HeatModel, shipped_model
from compass_bot.features.heat.rules_score import AUTHORS_SPAN as _AUTHORS_SPAN
from compass_bot.features.heat.rules_window import (
    Heat,
    HeatSettings,
    HeatState,
    Post,
    assess,
)


@dataclass
class ChannelWatch:
    """One channel's bounded window and action state, in memory (nothing of the text).

    `observe` adds a post, assesses the channel at the post's time and assumes the returned
    action is carried out (the state then holds the nudge or slowmode time). The posts are
    changed only through `observe` and `forget` (they keep the window's index and tallies in
    step): what an arriving post's context and the model's evidence read of the window (its
    last authors, its newest time, where its last hot score is) is kept as posts arrive and
    leave, never rescanned.
    """

    settings: HeatSettings = field(default_factory=HeatSettings)
    state: HeatState = field(default_factory=HeatState)
    posts: deque[Post] = field(default_factory=deque)
    model: HeatModel = field(default_factory=shipped_model)
    _hostile: int = field(
        default=0, init=False, repr=False
    )  # posts in the window with insult/curse
    _index: WindowIndex = field(init=False, repr=False)
    # the authors of the last posts added (at most _AUTHORS_SPAN; the window may hold fewer)
    _authors: deque[int] = field(init=False, repr=False)
    # the posts with a learned score: added so far, left so far, and the number (in that
    # count) of the latest one scored at least `_hot_model.lowest_hot` (-1: none)
    _scored: int = field(default=0, init=False, repr=False)
    _scored_left: int = field(default=0, init=False, repr=False)
    _hot: int = field(default=-1, init=False, repr=False)
    _hot_model: HeatModel | None = field(default=None, init=False, repr=False)
    _enabled: bool = field(default=False, init=False, repr=False)  # `_hot_model.enabled`
    _lowest_hot: float = field(default=0.0, init=False, repr=False)  # `_hot_model.lowest_hot`
    # `_hot_model`'s context scorer (`ContextScorer.arrival`), looked up once
    _arrival: Callable[..., float] = field(init=False, repr=False)
    _untargeted: Callable[[int, float | None], float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        """The index and tallies from the posts as they are (at start and after erasure)."""
        posts = self.posts
        self._index = WindowIndex(posts)
        self._hostile = sum(_heated(p) for p in posts)
        self._authors = deque((p.author for p in posts), maxlen=_AUTHORS_SPAN)
        self._scored = self._scored_left = 0
        self._hot = -1
        self._hot_model = self.model
        self._enabled = self.model.enabled
        self._lowest_hot = self.model.lowest_hot
        self._arrival = self.model.context_scorer.arrival
        self._untargeted = self.model.context_scorer.untargeted
        for p in posts:
            self._count_score(p)

    def _count_score(self, post: Post) -> None:
        learned = post.learned
        if learned is not None:
            if learned >= self.model.lowest_hot:
                self._hot = self._scored
            self._scored += 1

    def observe(self, post: Post) -> Heat:
        posts = self.posts
        index = self._index
        at = post.at
        if posts:
            settings = self.settings
            limit = settings.window_posts
            start = at - settings.window
            if len(posts) >= limit or posts[0].at < start:
                while posts and (len(posts) >= limit or posts[0].at < start):
                    gone = posts.popleft()
                    index.remove(gone)
                    if gone.learned is not None:
                        self._scored_left += 1
                    g = gone.signals
                    if g.insult or g.curse or g.protests:  # _heated
                        self._hostile -= 1
        model = self.model
        if model is not self._hot_model:  # another model given: its own threshold
            self._rebuild()
        enabled = self._enabled
        said = post.said
        authors = self._authors
        author = post.author
        if said is not None and enabled:  # scored once, as it arrives
            last = posts[-1] if posts else None
            gap = None if last is None else (at - last.at).total_seconds()
            targets, explicit = index.targets(post, last, gap)
            n = len(posts)
            recent = set(authors) if n >= len(authors) else set(list(authors)[len(authors) - n :])
            recent.add(author)
            if targets:
                count, again, mutual = index.addressing(author, targets)
                score = said + self._arrival(
                    post, targets, explicit, count, again, mutual, len(recent), gap
                )
            else:  # aimed at nobody (most posts): nothing of the addressing counts
                score = said + self._untargeted(len(recent), gap)
            if post.learned is not None:  # the same post again: a copy, the first keeps its score
                p = post
                post = Post(p.author, p.at, p.signals, p.reply_to, p.mentions, p.message_id)
                post.said = said
            post.learned = score
            if score >= self._lowest_hot:  # _count_score
                self._hot = self._scored
            self._scored += 1
        else:
            self._count_score(post)
        posts.append(post)
        index.add(post)
        authors.append(author)
        s = post.signals
        if s.insult or s.curse or s.protests:  # _heated
            self._hostile += 1
        if not self._hostile:
            if self.state.held_at is not None:  # a calm post: the heat held is not confirmed
                self.state = replace(self.state, held_at=None)
            hot = self._hot
            if not enabled or hot < self._scored_left or hot < self._scored - model.window:
                # no score among the last `model.window` reaches `lowest_hot` (_learned_hot)
                return BANTER_HEAT if s.laugh else CALM_HEAT  # the common case
            if not self._learned_hot():
                return BANTER_HEAT if s.laugh else CALM_HEAT
        heat = assess(list(posts), at, self.settings, self.state, model)
        self.state = self.state.after(heat, at, self.settings)
        return heat

    def _learned_hot(self) -> bool:
        """Whether the model's evidence over the last posts reaches its threshold (never when
        none of them reaches it alone: the evidence is a mean of the highest)."""
        model = self.model
        hot = self._hot
        if hot < self._scored_left or hot < self._scored - model.window:
            return False  # no score among the last `model.window` reaches `lowest_hot`
        scores: list[float] = []
        for p in reversed(self.posts):  # only the last `model.window` scores count
            if p.learned is not None:
                scores.append(p.learned)
                if len(scores) == model.window:
                    break
        if not scores or max(scores) < model.lowest_hot:
            return False
        scores.reverse()
        return model.evidence(scores) >= model.threshold

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
        self._rebuild()


def _heated(post: Post) -> int:
    s = post.signals
    return 1 if s.insult or s.curse or s.protests else 0


# what `observe` returns for a post that leaves a calm window calm (shared, never rebuilt)
CALM_HEAT: Final = Heat(0, "none", "calm")
BANTER_HEAT: Final = Heat(0, "none", "banter")
