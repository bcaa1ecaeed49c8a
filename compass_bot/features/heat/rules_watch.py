"""A channel's bounded window of posts and its action state, kept in memory for the rule."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Final

from compass_bot.features.heat.rules_index import WindowIndex
from compass_bot.features.heat.rules_model import HeatModel, shipped_model
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
    changed only through `observe` and `forget` (they keep the window's index in step).
    """

    settings: HeatSettings = field(default_factory=HeatSettings)
    state: HeatState = field(default_factory=HeatState)
    posts: deque[Post] = field(default_factory=deque)
    model: HeatModel = field(default_factory=shipped_model)
    _hostile: int = field(
        default=0, init=False, repr=False
    )  # posts in the window with insult/curse
    _index: WindowIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = WindowIndex(self.posts)
        self._hostile = sum(_heated(p) for p in self.posts)

    def observe(self, post: Post) -> Heat:
        posts = self.posts
        index = self._index
        start = post.at - self.settings.window
        while posts and (len(posts) >= self.settings.window_posts or posts[0].at < start):
            gone = posts.popleft()
            index.remove(gone)
            self._hostile -= _heated(gone)
        model = self.model
        said = post.said
        if said is not None and model.enabled:  # scored once, as it arrives
            targets, explicit = index.targets(post, posts[-1] if posts else None)
            addressing = index.addressing(post.author, targets)
            score = said + model.context_total(post, targets, explicit, posts, addressing)
            if post.learned is not None:  # the same post again: a copy, the first keeps its score
                p = post
                post = Post(p.author, p.at, p.signals, p.reply_to, p.mentions, p.message_id)
                post.said = said
            post.learned = score
        posts.append(post)
        index.add(post)
        self._hostile += _heated(post)
        if not self._hostile and not (model.enabled and self._learned_hot()):
            return _BANTER if post.signals.laugh else _CALM  # the common case
        heat = assess(list(posts), post.at, self.settings, self.state, model)
        self.state = self.state.after(heat, post.at, self.settings)
        return heat

    def _learned_hot(self) -> bool:
        """Whether the model's evidence over the last posts reaches its threshold (never when
        none of them reaches it alone: the evidence is a mean of the highest)."""
        model = self.model
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
        self._index = WindowIndex(kept)
        self._hostile = sum(_heated(p) for p in kept)


def _heated(post: Post) -> int:
    s = post.signals
    return 1 if s.insult or s.curse or s.protests else 0


_CALM: Final = Heat(0, "none", "calm")
_BANTER: Final = Heat(0, "none", "banter")
