"""Pile-ons on a member who stays silent or is not in the channel (heat14), mockery of a named
member as evidence enough beside the model's lowest `threshold`, and a reply to one who named them as
answering in kind (heat15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from compass_bot.features.heat.rules import Post, signals_of
from compass_bot.features.heat.rules_model import HeatModel
from compass_bot.features.heat.rules_needle import mocked
from compass_bot.features.heat.rules_window import MOCKED_EASE, assess

START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
SILENT = 9  # named, never posts (in Discord: a mention of a member who is not talking)
MODEL = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)


def _post(
    author: int,
    seconds: float,
    text: str,
    reply_to: int | None = None,
    mentions: frozenset[int] = frozenset(),
) -> Post:
    at = START + timedelta(seconds=seconds)
    return Post(author, at, signals_of(text), reply_to=reply_to, mentions=mentions)


def _hot(post: Post) -> Post:
    post.learned, post.said = 4.0, 1.0
    return post


def _laughing_at(target: int, *, answer: str | None = None) -> list[Post]:
    """Members 1 and 2 laugh at `target` by name, each hot post written laughing."""
    posts = [
        _hot(_post(1, 0, "die kan niet eens normaal praten 😂", mentions=frozenset({target}))),
        _hot(_post(2, 20, "hahaha echt, moet terug naar groep 8", mentions=frozenset({target}))),
    ]
    if answer is not None:
        reply = _post(target, 30, answer, reply_to=1)
        reply.learned, reply.said = -0.5, -1.0
        posts.append(reply)
    posts.append(_hot(_post(1, 40, "en dat accent 💀", mentions=frozenset({target}))))
    return posts


def test_several_laughing_at_a_silent_member_is_mockery_not_banter() -> None:
    """Every hot post is written laughing, which alone reads as banter; but two members laugh
    AT a third who does not laugh along: the model's raise is not held back."""
    posts = _laughing_at(SILENT)
    assert all(p.signals.laugh for p in posts)
    assert mocked(posts) == {SILENT}
    heat = assess(posts, posts[-1].at, model=MODEL)
    assert heat.action == "nudge"
    assert SILENT in heat.members


def test_the_member_laughed_at_laughing_along_is_banter() -> None:
    posts = _laughing_at(3, answer="hahaha jullie zijn zo erg 😂")
    assert mocked(posts) == set()
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_one_member_laughing_at_another_is_not_yet_a_pile_on() -> None:
    posts = [
        _hot(_post(1, 0, "die kan niet eens normaal praten 😂", mentions=frozenset({SILENT}))),
        _hot(_post(1, 20, "en dat accent 💀", mentions=frozenset({SILENT}))),
        _hot(_post(2, 40, "hahaha wat", mentions=frozenset({4}))),
    ]
    assert mocked(posts) == set()
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_one_who_jabbed_first_is_in_the_roast_not_its_silent_target() -> None:
    """The member two others laugh at had roasted one of them, laughing, first."""
    posts = [
        _hot(_post(3, 0, "romy is zo slim als een stoeptegel 😂", mentions=frozenset({1}))),
        *_laughing_at(3)[:2],
    ]
    for p in posts[1:]:
        p.at += timedelta(seconds=5)
    assert mocked(posts) == set()


def test_a_bare_laugh_in_a_slow_channel_joins_the_latest_jab() -> None:
    """Two minutes after a jab at a named member (too late to answer it by the flow), a bare
    "💀" still laughs along with it: the member laughed at has two against them."""
    posts = [
        _post(1, 0, "imagine being that broke 😭", reply_to=SILENT),
        _post(2, 110, "poor girl era 💀"),
    ]
    assert mocked(posts) == {SILENT}
    alone = [posts[0], _post(2, 400, "poor girl era 💀")]
    assert mocked(alone) == set()


def _scored(post: Post, learned: float) -> Post:
    post.learned, post.said = learned, 1.0
    return post


def _laughing_lightly_at(target: int, learned: float) -> list[Post]:
    """Members 1 and 2 laugh at `target` by name with laughter only, each post scored
    `learned` by the model."""
    named = frozenset({target})
    return [
        _scored(_post(1, 0, "die tekening 😂", mentions=named), learned),
        _scored(_post(2, 20, "hahaha echt", mentions=named), learned),
        _scored(_post(1, 40, "💀💀", mentions=named), learned),
    ]


def test_mockery_of_a_silent_member_needs_only_the_lowest_evidence() -> None:
    """Evidence between `threshold` (0.6) and `alone` (0.85): enough when several members
    laugh at a member who does not laugh along, as when the words are half-way hot."""
    posts = _laughing_lightly_at(SILENT, 1.0)  # sigmoid(1.0) = 0.73
    assert mocked(posts) == {SILENT}
    heat = assess(posts, posts[-1].at, model=MODEL)
    assert heat.action == "nudge" and SILENT in heat.members


def test_without_a_mocked_member_the_same_evidence_is_not_enough() -> None:
    posts = _laughing_lightly_at(SILENT, 1.0)
    laughs_along = _scored(
        _post(SILENT, 50, "hahaha ik weet het 😂", mentions=frozenset({1})), -1.0
    )
    laughs_along.said = -1.0
    posts.append(laughs_along)
    assert mocked(posts) == set()
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_below_the_lowest_evidence_mockery_is_not_enough() -> None:
    posts = _laughing_lightly_at(SILENT, -0.6)  # sigmoid(-0.6) = 0.35 < 0.6 - MOCKED_EASE
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_mockery_of_a_silent_member_spares_some_of_the_evidence() -> None:
    """Under `threshold` but within `MOCKED_EASE` of it: enough for a mocked member only."""
    posts = _laughing_lightly_at(SILENT, 0.2)  # sigmoid(0.2) = 0.55
    assert 0.6 - MOCKED_EASE < 0.55
    assert assess(posts, posts[-1].at, model=MODEL).action == "nudge"
    laughs_along = _scored(
        _post(SILENT, 50, "hahaha ik weet het 😂", mentions=frozenset({1})), -1.0
    )
    laughs_along.said = -1.0
    posts.append(laughs_along)
    assert assess(posts, posts[-1].at, model=MODEL).action == "none"


def test_a_reply_to_one_who_named_them_is_answering_in_kind() -> None:
    """The member laughed at answers one of the jabbers in a reply, without a laugh or "je"
    ("zegt de meid die ..."): in the roast, not its silent target."""
    posts = _laughing_lightly_at(SILENT, 1.0)
    comeback = Post(
        SILENT,
        START + timedelta(seconds=50),
        signals_of("zegt de meid die dacht dat een walvis een vis is"),
        reply_to=2,
    )
    comeback.learned, comeback.said = 1.0, 1.0
    posts.append(comeback)
    assert mocked(posts) == set()
    protest = Post(
        SILENT, START + timedelta(seconds=50), signals_of("stop alsjeblieft"), reply_to=2
    )
    assert mocked([*posts[:3], protest]) == {SILENT}


def test_the_channel_watch_nudges_mockery_with_only_the_lowest_evidence() -> None:
    """Live, a window with no hostile word is assessed only when the model's evidence can count:
    from its lowest `threshold` on, not only from `alone` (the mockery above, post by post)."""
    from compass_bot.features.heat.rules_watch import ChannelWatch

    watch = ChannelWatch(model=MODEL)
    posts = _laughing_lightly_at(SILENT, 1.0)
    for post in posts:
        post.learned = None  # scored by the watch on arrival (said + context: 1.0 here)
    heats = [watch.observe(post) for post in posts]
    assert not any(p.signals.hostile for p in posts)
    # nudged once a second member laughs at the silent one, as `assess` of the window says
    assert [h.action for h in heats] == ["none", "nudge", "none"]
    assert SILENT in heats[1].members
    assert assess(posts[:2], posts[1].at, model=MODEL).action == "nudge"


def test_laughs_after_a_plain_remark_naming_a_member_mock_that_member() -> None:
    """No laugh or hostile word in the remark itself; the laughs after it go with it."""
    from compass_bot.features.heat.rules_transcript import Message, transcript_posts

    lines = [
        ("jelle", "nee sorry bo", None),
        ("bo", "oh", None),
        ("quinten", "bo kan niet eens een bal raken, hij rent als een giraf", 1),
        ("mats", "HAHA die ene gymles dat hij over de bal struikelde", None),
        ("jelle", "😂😂 daar is een filmpje van", None),
    ]
    messages = [
        Message(a, START + timedelta(seconds=15 * i), text, reply)
        for i, (a, text, reply) in enumerate(lines)
    ]
    posts = transcript_posts(messages)
    assert mocked(posts) == {2}  # bo
    answered = [*messages, Message("bo", START + timedelta(seconds=90), "hahaha klopt 😂", None)]
    assert mocked(transcript_posts(answered)) == set()
