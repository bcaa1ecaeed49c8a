"""Everyone in the episode in on it (rules_needle.playing_along and everyone_in): each
member's latest say laughs or answers in kind, nothing earnest after it; the rough words
then weigh as banter (the same damping as a roast answered laughing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from compass_bot.features.heat.rules_needle import playing_along
from compass_bot.features.heat.rules_signals import PostSignals
from compass_bot.features.heat.rules_window import Post, assess

T0 = datetime(2026, 3, 2, 11, 20, tzinfo=UTC)
A, B, C = 1, 2, 3

LAUGH = PostSignals(laugh=True)
COMEBACK = PostSignals(aimed=True)  # "en jij dan", no rough word
PLAIN = PostSignals()
STOP = PostSignals(objects=True, protests=True)
THREAT = PostSignals(hostility=0.7, insult=0.7, aimed=True, kinds=("threat",))
LAUGHING_JAB = PostSignals(hostility=0.5, insult=0.5, aimed=True, laugh=True, kinds=("insult",))
JAB = PostSignals(hostility=0.5, insult=0.5, aimed=True, kinds=("insult",))


def _posts(*lines: tuple[int, PostSignals] | tuple[int, PostSignals, int]) -> list[Post]:
    return [
        Post(line[0], T0 + timedelta(seconds=15 * i), line[1], line[2] if len(line) == 3 else None)
        for i, line in enumerate(lines)
    ]


def test_a_laugh_and_a_comeback_are_in_play() -> None:
    posts = _posts((B, PLAIN), (A, THREAT), (B, COMEBACK, A), (A, LAUGH))
    assert playing_along(posts, T0, {A, B})


def test_a_comeback_needs_someone_who_addressed_the_member() -> None:
    posts = _posts((A, PLAIN), (B, COMEBACK, A))
    assert not playing_along(posts, T0, {B})


def test_an_earnest_word_after_it_takes_the_member_out() -> None:
    assert not playing_along(_posts((B, PLAIN), (A, THREAT), (B, LAUGH), (B, STOP)), T0, {B})
    posts = _posts((B, PLAIN), (A, LAUGHING_JAB), (B, LAUGH), (A, JAB))
    assert playing_along(posts, T0, {B})
    assert not playing_along(posts, T0, {A})


def test_only_what_is_said_from_the_start_counts() -> None:
    posts = _posts((B, LAUGH), (A, THREAT))
    assert playing_along(posts, posts[0].at, {B})
    assert not playing_along(posts, posts[1].at, {B})


def _level(*lines: tuple[int, PostSignals] | tuple[int, PostSignals, int]) -> tuple[int, str]:
    posts = _posts(*lines)
    heat = assess(posts, posts[-1].at)
    return heat.level, heat.reason


def test_both_sides_in_on_it_cool_the_episode() -> None:
    # the threat answered in kind, then its author laughing at the answer: a game both play
    played, reason = _level((B, PLAIN), (A, THREAT), (B, COMEBACK, A), (A, LAUGHING_JAB, B))
    # the same jab answered by a request to stop: nobody damps it
    earnest, _ = _level((B, PLAIN), (A, THREAT), (B, STOP, A), (A, LAUGHING_JAB, B))
    assert "banter" in reason
    assert played < earnest


def test_a_silent_target_is_not_in_on_it() -> None:
    # the one aimed at says nothing: laughing attackers are mockery, not a game of both sides
    _, reason = _level((B, PLAIN), (A, THREAT, B), (C, LAUGH, A), (A, LAUGHING_JAB, B))
    assert "banter" not in reason


def test_the_targets_given_read_as_the_ones_worked_out() -> None:
    from compass_bot.features.heat.rules_needle import targets_of

    posts = _posts((B, PLAIN), (A, THREAT), (B, COMEBACK, A), (C, LAUGH), (A, LAUGHING_JAB, B))
    aimed = [targets_of(p, posts[:i])[0] for i, p in enumerate(posts)]
    for members in ({A}, {B}, {C}, {A, B, C}):
        assert playing_along(posts, T0, members, aimed) == playing_along(posts, T0, members)
    assert playing_along(posts, T0, {A, B, C})
    assert not playing_along(posts[:2], T0, {A, B})
