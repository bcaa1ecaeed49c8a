"""The heat rule's learned signal: the shipped file, staleness, training, and its place in the rule."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.features.heat.rules_model import (
    MODEL_FILE,
    OFF,
    HeatModel,
    code_fingerprint,
    shipped_model,
    text_features,
)
from compass_bot.features.heat.rules_signals import PostSignals, read, signals_of
from compass_bot.features.heat.rules_transcript import Message, replay
from compass_bot.features.heat.rules_watch import ChannelWatch
from compass_bot.features.heat.rules_window import Post

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from train_heat_model import (
    DEFAULT,
    TRAINING_SETS,
    TrainSettings,
    data_fingerprint,
    fit,
    training_paths,
)

RETRAIN = "run .venv/bin/python tools/train_heat_model.py"


def _conversation(lines: list[tuple[str, str]]) -> list[Message]:
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    return [
        Message(author, start + timedelta(seconds=12 * i), text)
        for i, (author, text) in enumerate(lines)
    ]


# Written for this test (in no set): one member shut out by three, in short messages the
# lexicon has no hostile word for.
SHUT_OUT = [
    ("daan", "wie gaat er zaterdag mee naar de stad"),
    ("mila", "ik ga mee"),
    ("sem", "ik ook"),
    ("ravi", "ik kan ook"),
    ("daan", "ravi jij niet"),
    ("mila", "nee serieus jij niet"),
    ("sem", "niemand vroeg jou iets"),
    ("ravi", "waarom niet dan"),
    ("daan", "daarom"),
    ("mila", "snap het zelf maar"),
    ("sem", "echt elke keer weer"),
]
# Friends teasing, the teased one laughing along.
TEASING = [
    ("lotte", "wie heeft de wiskunde al af"),
    ("ayoub", "ik niet haha"),
    ("lotte", "jij hebt nooit iets af 😂"),
    ("ayoub", "klopt helemaal 😂😂"),
    ("finn", "ayoub is de koning van te laat"),
    ("ayoub", "haha eerlijk is eerlijk"),
    ("lotte", "morgen samen maken?"),
    ("ayoub", "deal, ik neem chips mee"),
    ("finn", "ik kom ook lol"),
]


def test_the_shipped_model_is_trained_from_the_current_code_and_transcripts() -> None:
    doc = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert doc["code"] == code_fingerprint(), f"heat model is stale (code): {RETRAIN}"
    assert tuple(doc["trained_on"]) == TRAINING_SETS
    missing = [p.name for p in training_paths() if not p.is_file()]
    assert not missing, f"training transcripts missing from tests/data: {missing}"
    assert doc["data"] == data_fingerprint(training_paths()), (
        f"heat model is stale (transcripts or training settings): {RETRAIN}"
    )
    assert shipped_model().enabled


def test_a_model_from_other_code_or_a_damaged_file_is_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = HeatModel({"bias": -1.0, "w:weg": 2.0}, "window", 3, 2, 0.9)
    path = tmp_path / "m.json"
    model.save(path, "code-1", "data-1", ["a.jsonl"])
    assert HeatModel.load(path, "code-1") == model
    with caplog.at_level(logging.WARNING):
        assert HeatModel.load(path, "code-2") is None
    assert "tools/train_heat_model.py" in caplog.text
    path.write_text('{"format": 1, "code": "code-1", "weights": []}', encoding="utf-8")
    assert HeatModel.load(path, "code-1") is None
    assert HeatModel.load(tmp_path / "none.json", "code-1") is None


def test_training_learns_a_small_problem() -> None:
    rows = [({"bias": 1.0, "w:weg": 1.0}, 1), ({"bias": 1.0, "w:hoi": 1.0}, 0)] * 30
    weights = fit(rows, TrainSettings(iterations=200, l2=0.1))
    assert weights["w:weg"] > 1.0 > -1.0 > weights["w:hoi"]


def test_the_model_catches_a_shut_out_member_the_lexicon_misses() -> None:
    messages = _conversation(SHUT_OUT)
    assert all(h.action == "none" for h in replay(messages, model=OFF))
    heats = replay(messages)
    nudges = [i for i, h in enumerate(heats) if h.action == "nudge"]
    assert nudges and 4 <= nudges[0] <= 8  # after it turned (index 4), not long after
    first = heats[nudges[0]]
    assert first.reason.startswith("learned")
    assert first.members  # the members involved, as ids


def test_the_model_leaves_friends_teasing_alone() -> None:
    heats = replay(_conversation(TEASING))
    assert all(h.action == "none" for h in heats)


def test_the_target_laughing_along_cools_the_model_too() -> None:
    laughing = [
        *SHUT_OUT[:5],
        ("ravi", "hahaha oke oke 😂"),
        SHUT_OUT[5],
        ("ravi", "lol 😂 jullie zijn erg"),
        SHUT_OUT[6],
        ("ravi", "hahah 😂"),
    ]
    assert all(h.action == "none" for h in replay(_conversation(laughing)))
    # the same jabs unanswered are nudged (the laughing is what cools it)
    assert any(h.action == "nudge" for h in replay(_conversation(SHUT_OUT[:7])))


def test_the_member_aimed_at_laughing_along_stays_aimed_at_however_hot_the_laugh() -> None:
    """A model that reads laughter in a crowd as mockery scores the target's own bare laugh hot;
    that laugh answers the jabs at them, so they are still the member aimed at, laughing
    along (the cause of the test above failing once heat_blind15 was trained on). The same
    laugh from a bystander is no member aimed at laughing along."""
    from compass_bot.features.heat.rules_window import assess

    model = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)

    def window(laugher: int) -> list[Post]:
        jab = signals_of("jij niet")
        assert jab.aimed and not jab.hostile
        posts = [
            Post(1, start, jab, mentions=frozenset({3}), learned=4.0, said=1.0),
            Post(2, start + timedelta(seconds=10), jab, mentions=frozenset({3}), learned=4.0),
            Post(laugher, start + timedelta(seconds=20), signals_of("hahah 😂"), learned=0.5),
        ]
        posts[1].said = posts[2].said = 0.1
        return posts

    target = window(3)
    assert assess(target, target[-1].at, model=model).action == "none"
    bystander = window(4)
    assert assess(bystander, bystander[-1].at, model=model).action == "nudge"


def test_a_post_is_scored_once_on_arrival_and_keeps_no_text() -> None:
    watch = ChannelWatch()
    messages = _conversation(SHUT_OUT[:5])
    for i, m in enumerate(messages):
        signals, said = read(m.text)
        watch.observe(Post(author=i % 3 + 1, at=m.at, signals=signals, said=said))
    kept = list(watch.posts)
    assert all(p.learned is not None for p in kept)
    # the context part was added once, on arrival: the text part plus the context
    assert any(p.learned != p.said for p in kept)
    assert not any(isinstance(v, str) for p in kept for v in vars_of(p))
    # without a score (a post built by hand) the model adds nothing
    bare = Post(author=9, at=messages[-1].at)
    assert replace(bare).learned is None


def vars_of(post: Post) -> list[object]:
    return [getattr(post, name) for name in post.__slots__] + [
        getattr(post.signals, name) for name in post.signals.__slots__ if name != "words"
    ]


def test_features_are_named_and_never_the_whole_text() -> None:
    lexical = signals_of("JIJ NIET!!")
    features = text_features("JIJ NIET!!", lexical)
    assert {"w:jij", "w:niet", "b:jij_niet", "you", "excl", "caps", "bias"} <= set(features)
    assert "JIJ NIET!!" not in features
    assert OFF.evidence([5.0, 5.0]) >= 0.0 and not OFF.enabled
    assert DEFAULT.threshold == shipped_model().threshold


def test_a_fast_crowd_of_plain_posts_is_not_a_fight() -> None:
    """A burst of neutral posts from many members (fast, everyone answering the last one) has
    the context of a pile-on but no words for one: the model stays quiet."""
    start = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    burst = [
        Message(f"leerling{i % 30}", start + timedelta(seconds=i // 10), f"spam {i}")
        for i in range(60)
    ]
    assert all(h.action == "none" for h in replay(burst))


def test_the_compiled_scores_equal_the_feature_scores_on_every_training_transcript() -> None:
    """The live path (compiled text score in `signals_of`, compiled context score in
    `ChannelWatch.observe`) gives the numbers the model was trained on: every message of the six
    training sets replayed through both, scores equal to 1e-9."""
    from train_heat_model import load

    from compass_bot.features.heat.rules_transcript import transcript_posts
    from compass_bot.features.heat.rules_window import arrival_context

    model = shipped_model()
    checked = 0
    for path in training_paths():
        for _, _, messages in load(path):
            watch = ChannelWatch(model=model)
            for message, post in zip(messages, transcript_posts(messages, model), strict=True):
                text = model.score(text_features(message.text, signals_of(message.text)))
                assert post.said == pytest.approx(text, abs=1e-9), message.text
                previous = list(watch.posts)
                start = post.at - watch.settings.window
                while previous and (
                    len(previous) >= watch.settings.window_posts or previous[0].at < start
                ):
                    previous.pop(0)
                context = model.score(arrival_context(post, previous))
                watch.observe(post)
                assert watch.posts[-1].learned == pytest.approx(text + context, abs=1e-9)
                checked += 1
    assert checked > 4000


@pytest.mark.parametrize(
    "text",
    [
        "heeft iemand de huiswerkopdracht al af?",
        "jij bent echt zooo dommmm haha",
        "k a n k e r  l i j e r",
        "j3 b3nt 1diot!!",
        "you're so done... 🙄😂😂",
        "NIEMAND MAG JOU",
        "huiswerk huiswerkopdracht huiswerk, werkopdracht",
        "wat een k*nker toets",
        "Ça va? Jíj bènt ràar 💀",
        "",
        "!!! ???",
    ],
)
def test_the_compiled_text_score_equals_the_feature_score(text: str) -> None:
    """Disguises, apostrophes, repeated letters, a repeated word, letter grams shared by two
    words, accents and emoji: the same number as the features give."""
    model = shipped_model()
    expected = model.score(text_features(text, signals_of(text)))
    assert read(text)[1] == pytest.approx(expected, abs=1e-9)


def test_the_unknown_word_cache_is_bounded_and_changes_no_score() -> None:
    from compass_bot.features.heat.rules_score import CACHE_WORDS, TextScorer

    model = shipped_model()
    scorer = TextScorer(model.weights)
    known = len(scorer._words)
    lexical = signals_of("x")
    for i in range(CACHE_WORDS + 50):
        text = f"woord{'ab'[i % 2]}{i:x}".translate(str.maketrans("0123456789", "ghijklmnop"))
        assert scorer.score(text, lexical) == pytest.approx(
            model.score(text_features(text, lexical)), abs=1e-9
        )
    assert len(scorer._words) <= known + CACHE_WORDS


def test_the_window_index_answers_as_the_window_scans_do() -> None:
    """Random posts (times going back too, self-replies, the same post object twice, posts
    leaving the window, erasure): the index's targets and addressing equal the scans'."""
    import random

    from compass_bot.features.heat.rules_index import WindowIndex
    from compass_bot.features.heat.rules_window import _targets

    rng = random.Random(11)
    start = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    model = shipped_model()
    for _ in range(60):
        watch = ChannelWatch(model=model)
        at = start
        reused: Post | None = None
        for _ in range(rng.randint(1, 60)):
            at += timedelta(seconds=rng.choice([-30, 0, 5, 40, 80, 100, 200]))
            author = rng.randint(1, 4)
            post = reused if reused is not None and rng.random() < 0.1 else None
            if post is None:
                reply = rng.choice([None, None, 1, 2, 3, 4])
                mentions = frozenset(rng.sample(range(1, 6), rng.choice([0, 0, 1, 2])))
                post = Post(author, at, signals_of("hoi"), reply, mentions, said=0.0)
            previous = list(watch.posts)
            start_at = post.at - watch.settings.window
            while previous and (
                len(previous) >= watch.settings.window_posts or previous[0].at < start_at
            ):
                previous.pop(0)
            expected = model.context_score(post, *_targets(post, previous), previous)
            watch.observe(post)
            assert watch.posts[-1].learned == pytest.approx(expected, abs=1e-12)
            reused = post
            if rng.random() < 0.05:
                watch.forget(rng.randint(1, 4))
                index = WindowIndex(watch.posts)
                assert index.addressing(1, frozenset({2})) == watch._index.addressing(
                    1, frozenset({2})
                )


def test_without_its_feature_code_on_disk_the_rule_runs_without_the_model(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An install without the .py sources cannot check the model against its features: one
    log line and the lexicon alone, never an exception on every post."""
    from compass_bot.features.heat import rules_model

    monkeypatch.setattr(rules_model, "CODE_FILES", (Path("/nonexistent/rules_model.py"),))
    rules_model.shipped_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert rules_model.shipped_model() is rules_model.OFF
        assert "cannot read the feature code" in caplog.text
    finally:
        monkeypatch.undo()
        rules_model.shipped_model.cache_clear()


def test_the_watch_keeps_what_the_window_scans_gave() -> None:
    """Random posts (up to eight members, scores around the model's threshold, times going back,
    the same post twice, posts leaving by count and by time, erasure): the context scored on
    arrival and whether the evidence can be hot equal a scan of the window."""
    import random

    from compass_bot.features.heat.rules_window import _targets

    rng = random.Random(7)
    start = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    model = shipped_model()
    hot_seen = 0
    for _ in range(80):
        watch = ChannelWatch(model=model)
        at = start
        reused: Post | None = None
        for _ in range(rng.randint(1, 80)):
            at += timedelta(seconds=rng.choice([-20, 0, 3, 10, 30, 90, 200]))
            post = reused if reused is not None and rng.random() < 0.1 else None
            if post is None:
                said = rng.choice([-6.0, -2.0, 0.5, 2.5, 6.0])
                post = Post(rng.randint(1, 8), at, signals_of("hoi"), said=said)
            previous = list(watch.posts)
            while previous and (
                len(previous) >= watch.settings.window_posts
                or previous[0].at < post.at - watch.settings.window
            ):
                previous.pop(0)
            expected = post.said + model.context_score(post, *_targets(post, previous), previous)
            watch.observe(post)
            assert watch.posts[-1].learned == pytest.approx(expected, abs=1e-12)
            scores = [p.learned for p in watch.posts if p.learned is not None][-model.window :]
            hot = model.evidence(scores) >= model.threshold
            assert watch._learned_hot() is hot
            hot_seen += hot
            reused = post
            if rng.random() < 0.05:
                watch.forget(rng.randint(1, 8))
    assert hot_seen > 20


def test_one_member_alone_is_never_a_discussion_for_the_model() -> None:
    """The learned evidence nudges a discussion, not one member's posts: a window with a single
    author (a rant, the first hot post of a channel) is left to the lexicon, however high its
    scores; a second member in the window makes it a discussion again."""
    from compass_bot.features.heat.rules_window import assess

    model = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    alone = [
        Post(author=1, at=start + timedelta(seconds=10 * i), learned=4.0, said=1.0)
        for i in range(3)
    ]
    heat = assess(alone, alone[-1].at, model=model)
    assert heat.action == "none" and heat.level == 0
    two = [*alone, Post(author=2, at=start + timedelta(seconds=40), learned=4.0, said=1.0)]
    assert assess(two, two[-1].at, model=model).action == "nudge"


def test_the_window_decides_whether_a_slow_reply_is_one_discussion() -> None:
    """A member answering one who posted a minute longer ago than the window reaches sees that
    member alone; within a window twice as long it is a discussion of two."""
    from compass_bot.features.heat.rules_window import HeatSettings

    model = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    start = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    default = HeatSettings()
    gap = default.window + timedelta(minutes=1)

    def heats(settings: HeatSettings) -> list[str]:
        watch = ChannelWatch(settings=settings, model=model)
        posts = [
            Post(author=1, at=start, said=4.0),
            Post(author=2, at=start + gap, said=4.0),
            Post(author=2, at=start + gap + timedelta(minutes=1), said=4.0),  # in cool-down
        ]
        return [watch.observe(p).action for p in posts]

    assert heats(HeatSettings(window=2 * default.window)) == ["none", "nudge", "none"]
    assert heats(default) == ["none"] * 3


def test_asking_to_stop_after_the_nudge_never_brings_the_slowmode() -> None:
    """The model learns an objection as part of the fight it comes with; after the nudge the
    same words are the cooling it asked for, so they never count towards a slowmode (posts the
    model reads as hot, without such words, do)."""
    from compass_bot.features.heat.rules_window import HeatState, assess

    model = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    stop = signals_of("doe normaal")
    assert stop.protests and not stop.hostile

    def window(after: PostSignals) -> list[Post]:
        before = [
            Post(author=1 + i % 2, at=start + timedelta(seconds=10 * i), learned=4.0, said=1.0)
            for i in range(3)
        ]
        later = [
            Post(
                author=1 + i % 2,
                at=start + timedelta(seconds=40 + 10 * i),
                signals=after,
                learned=4.0,
                said=1.0,
            )
            for i in range(2)
        ]
        return before + later

    state = HeatState(last_nudge_at=start + timedelta(seconds=25))
    calmed = window(stop)
    assert assess(calmed, calmed[-1].at, state=state, model=model).action == "none"
    hot = window(signals_of("ja en"))
    assert assess(hot, hot[-1].at, state=state, model=model).action == "slowmode"


def test_the_member_aimed_at_answering_back_in_kind_keeps_the_model_quiet() -> None:
    """A roast answered in kind (the member the hot posts aim at addresses the one who
    addressed them, without hostile words or a plea) reads as banter even with no emoji; the
    same hot posts answered with a plea, or not answered back, are still nudged."""
    from compass_bot.features.heat.rules_window import assess

    model = HeatModel({"bias": 1.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)

    def window(answer: str) -> list[Post]:
        jab = signals_of("jij bent altijd te laat")
        assert not jab.hostile and jab.aimed
        posts = [
            Post(author=1, at=start, signals=jab, mentions=frozenset({2}), learned=4.0, said=1.0),
            Post(
                author=2,
                at=start + timedelta(seconds=10),
                signals=signals_of(answer),
                mentions=frozenset({1}),
                learned=-0.5,  # not hot itself; the window's evidence stays above 0.85
                said=-1.0,
            ),
            Post(
                author=1,
                at=start + timedelta(seconds=20),
                signals=jab,
                mentions=frozenset({2}),
                learned=4.0,
                said=1.0,
            ),
        ]
        return posts

    answered = window("en jij staat elke week op de bank")
    assert assess(answered, answered[-1].at, model=model).action == "none"
    pleaded = window("doe normaal")
    assert assess(pleaded, pleaded[-1].at, model=model).action == "nudge"
    unanswered = window("ok")
    assert assess(unanswered, unanswered[-1].at, model=model).action == "nudge"


def test_the_words_add_up_over_the_episode_the_model_reads_the_longer_window() -> None:
    """Round heat35: hostile words eight minutes apart are two episodes for the lexicon (its
    `episode_window`), while the model's evidence and who talks read the whole `window`: a slow,
    cold discussion keeps its start in view."""
    from compass_bot.features.heat.rules_signals import PostSignals
    from compass_bot.features.heat.rules_window import HeatSettings, assess

    default = HeatSettings()
    assert default.episode_window < default.window
    start = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    rough = PostSignals(hostility=0.5, insult=0.5, aimed=True, kinds=("insult",))
    first = Post(author=1, at=start, signals=rough, reply_to=2)
    later = Post(author=3, at=start + timedelta(minutes=8), signals=rough, reply_to=2)
    alone = assess([later], later.at, default)
    both = assess([first, later], later.at, default)
    assert both.level == alone.level
    whole = HeatSettings(episode_window=default.window)
    assert assess([first, later], later.at, whole).level != alone.level
    # the model reads the slow discussion whole: one member eight minutes earlier counts
    model = HeatModel({"bias": 4.0}, "window", 3, 2, threshold=0.6, alone=0.85)
    calm_first = Post(author=1, at=start, said=4.0, learned=4.0)
    calm_later = Post(author=2, at=start + timedelta(minutes=8), said=4.0, learned=4.0)
    assert assess([calm_later], calm_later.at, default, model=model).level == 0
    assert assess([calm_first, calm_later], calm_later.at, default, model=model).level > 0
