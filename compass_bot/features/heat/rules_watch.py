"""A channel's bounded window of posts and its action state, kept in memory for the rule."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Final

from compass_bot.features.heat.rules_model import HeatModel, shipped_model
from compass_bot.features.heat.rules_window import (
    Heat,
    HeatSettings,
    HeatState,
    Post,
    arrival_score,
    assess,
)


@dataclass
class ChannelWatch:
    """One channel's bounded window and action state, in memory (nothing of the text).

    `observe` adds a post, assesses the channel at the post's time and assumes the returned
    action is carried out (the state then holds the nudge or slowmode time).
    """

    settings: HeatSettings = field(default_factory=HeatSettings)
    state: HeatState = field(default_factory=HeatState)
    posts: deque[Post] = field(default_factory=deque)
    model: HeatModel = field(default_factory=shipped_model)
    _hostile: int = field(
        default=0, init=False, repr=False
    )  # posts in the window with insult/curse

    def observe(self, post: Post) -> Heat:
        posts = self.posts
        start = post.at - self.settings.window
        while posts and (len(posts) >= self.settings.window_posts or posts[0].at < start):
            self._hostile -= _heated(posts.popleft())
        model = self.model
        learned = post.signals.learned
        if learned is not None and model.enabled:  # scored once, as it arrives
            score = learned + arrival_score(model, post, posts)
            p = post
            post = Post(p.author, p.at, p.signals, p.reply_to, p.mentions, p.message_id, score)
        posts.append(post)
        self._hostile += _heated(post)
        if not self._hostile and not (model.enabled and self._learned_hot()):
            return _BANTER if post.signals.laugh else _CALM  # the common case
        heat = assess(list(posts), post.at, self.settings, self.state, model)
        self.state = self.state.after(heat, post.at, self.settings)
        return heat

    def _learned_hot(self) -> bool:
        """Whether the model's evidence over the last posts reaches its threshold."""
        model = self.model
        scores: list[float] = []
        for p in reversed(self.posts):  # only the last `model.window` scores count
            if p.learned is not None:
                scores.append(p.learned)
                if len(scores) == model.window:
                    break
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
        self._hostile = sum(_heated(p) for p in kept)


def _heated(post: Post) -> int:
    s = post.signals
    return 1 if s.insult or s.curse or s.protests else 0


_CALM: Final = Heat(0, "none", "calm")
_BANTER: Final = Heat(0, "none", "banter")
