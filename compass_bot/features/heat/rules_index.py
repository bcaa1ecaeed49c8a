"""Who addresses whom in a channel's window, kept as posts arrive and leave.

The learned model's context of an arriving post (`rules_window._targets`, `context_features`)
asks the whole window: whom the post answers when it names nobody (the last other author within
`IMPLICIT_S`), which members address the same member, whether the author did before, whether
the two answer each other. `WindowIndex` keeps the answers up to date in O(1) per post instead of
rescanning the window on every arrival; it gives the same answers as the scans (a test replays
the training sets through both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import datetime

    from compass_bot.features.heat.rules_window import Post

IMPLICIT_S: Final = 90.0  # a post without reply/mention answers the last other author
_NONE: Final[frozenset[int]] = frozenset()
_ONES: Final = 256


def explicit_targets(post: Post) -> frozenset[int]:
    """Whom a post names itself: the members it mentions and the one it replies to."""
    explicit = set(post.mentions)
    if post.reply_to is not None:
        explicit.add(post.reply_to)
    explicit.discard(post.author)
    return frozenset(explicit)


class WindowIndex:
    """For the posts of a window, oldest first: per addressed member, who addressed them (how
    many posts); the author and start of the trailing run of posts by one member; and the
    latest post by another member before that run (by its position since the watch began, so
    a post leaving the window is recognised even when the same object comes twice)."""

    __slots__ = (
        "_addressed",
        "_last_at",
        "_left",
        "_ones",
        "_other",
        "_other_at",
        "_run_author",
        "_run_oldest",
        "_seq",
    )

    def __init__(self, posts: Sequence[Post] = ()) -> None:
        self._addressed: dict[int, dict[int, int]] = {}
        self._ones: dict[int, frozenset[int]] = {}
        self._seq = 0  # posts added so far
        self._left = 0  # posts that have left the window so far
        self._run_author: int | None = None
        self._run_oldest: datetime | None = None
        self._last_at: datetime | None = None
        self._other = -1  # position of the latest post by another member than the run's
        self._other_at: tuple[int, datetime] | None = None
        for post in posts:
            self.add(post)

    def add(self, post: Post) -> None:
        """A post joins the window (at its newest end)."""
        author = post.author
        if post.mentions or post.reply_to is not None:
            for target in _aimed_at(post):
                by = self._addressed.setdefault(target, {})
                by[author] = by.get(author, 0) + 1
        if author == self._run_author and self._run_oldest is not None:
            if post.at < self._run_oldest:
                self._run_oldest = post.at
        else:
            if self._run_author is not None and self._last_at is not None:
                self._other = self._seq - 1
                self._other_at = (self._run_author, self._last_at)
            self._run_author = author
            self._run_oldest = post.at
        self._last_at = post.at
        self._seq += 1

    def remove(self, post: Post) -> None:
        """The oldest post leaves the window."""
        self._left += 1
        if not post.mentions and post.reply_to is None:
            return
        author = post.author
        for target in _aimed_at(post):
            by = self._addressed[target]
            left = by[author] - 1
            if left:
                by[author] = left
            else:
                del by[author]
                if not by:
                    del self._addressed[target]

    def targets(
        self, post: Post, last: Post | None, gap: float | None = None
    ) -> tuple[frozenset[int], bool]:
        """`rules_window._targets(post, window)`: whom the post is aimed at, and whether
        explicitly; `last` is the window's newest post (None: empty), `gap` the seconds from
        it to the post when the caller has them."""
        mentions, reply = post.mentions, post.reply_to
        if mentions:
            explicit = explicit_targets(post)
            if explicit:
                return explicit, True
        elif reply is not None and reply != post.author:  # a reply alone: no set to build
            return self._one(reply), True
        if last is None:
            return _NONE, False
        at = post.at
        if last.author != post.author:  # the scan's first look is the newest post
            if gap is None:
                gap = (at - last.at).total_seconds()
            if gap > IMPLICIT_S:
                return _NONE, False
            return self._one(last.author), False
        # the scan walks back through the author's own run, then meets the other member's post
        oldest, other = self._run_oldest, self._other_at
        if self._other < self._left or other is None or oldest is None:
            return _NONE, False  # the run fills the window: nobody else to answer
        if (at - oldest).total_seconds() > IMPLICIT_S:
            return _NONE, False
        if (at - other[1]).total_seconds() > IMPLICIT_S:
            return _NONE, False
        return self._one(other[0]), False

    def _one(self, member: int) -> frozenset[int]:
        """`frozenset({member})`, built once per member (a few members talk in a channel;
        bounded; an erasure builds a new index, so an erased member is not kept here)."""
        ones = self._ones
        one = ones.get(member)
        if one is None:
            if len(ones) >= _ONES:
                ones.clear()
            one = ones[member] = frozenset((member,))
        return one

    def addressing(self, me: int, targets: frozenset[int]) -> tuple[int, bool, bool]:
        """Over the window: how many members address one of `targets` (with `me`, at most 3),
        whether `me` did before, and whether one of them addressed `me`."""
        addressed = self._addressed
        addressers = {me}
        again = mutual = False
        for target in targets:
            by = addressed.get(target)
            if by:
                addressers.update(by)
                again = again or me in by
        mine = addressed.get(me)
        if mine:
            mutual = not targets.isdisjoint(mine)
        return min(len(addressers), 3), again, mutual


def _aimed_at(post: Post) -> frozenset[int]:
    reply = post.reply_to
    if reply is None:
        return post.mentions
    return post.mentions | {reply}
