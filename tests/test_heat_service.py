"""The cool-down service without a front end: which channels, the nudge's language, the alert's
reason, erasure from the in-memory windows, and the moved `heat:` config section."""

from __future__ import annotations

import random
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from compass_bot.app import App
from compass_bot.config import ConfigError, parse_config
from compass_bot.features.heat.rules import ChannelWatch, Post, signals_of
from compass_bot.features.heat.service import (
    _KNOWN_AUTHORS,
    HeatPost,
    HeatService,
    RecentAuthors,
    _reply_target,
)
from compass_bot.features.heat.settings import HeatConfig
from compass_bot.features.heat.texts import involved, reason_text
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.model import Member, MessagePosted
from tests.conftest import TEST_CONFIG, make_loaded

T0 = datetime(2026, 11, 24, 15, 5, tzinfo=UTC)
ANNA = Member(1, "anna", ((10, "Leerling"),))
BRAM = Member(2, "bram", ((10, "Leerling"),))
JANSEN = Member(3, "jansen", ((11, "Docent"),))
ALGEMEEN = ChannelInfo(50, "algemeen", 60, "Sociaal")
HUISWERK = ChannelInfo(51, "huiswerk", 61, "Lessen")
DEBAT = ChannelInfo(52, "debat", 60, "Sociaal")


def post(member: Member, text: str, i: int, channel: ChannelInfo = ALGEMEEN) -> HeatPost:
    event = MessagePosted(member, channel, T0 + timedelta(seconds=40 * i), text, 1000 + i, 7)
    return HeatPost(event=event, reply_to_message=999 + i if i else None)


async def test_watched_channels_default_to_the_social_ones_and_config_overrides(
    tmp_path: Path,
) -> None:
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        assert service.watches(ALGEMEEN) and service.watches(DEBAT)  # by category
        assert not service.watches(HUISWERK)
        thread = ChannelInfo(53, "draadje", 60, "Sociaal", parent=ALGEMEEN)
        assert service.watches(thread)
    finally:
        await app.close()
    (tmp_path / "x").mkdir()
    app = await App.create(
        make_loaded(tmp_path / "x", TEST_CONFIG + "heat:\n  watched_channels: [huiswerk]\n")
    )
    try:
        service = app[HeatService]
        assert service.watches(HUISWERK) and not service.watches(ALGEMEEN)
    finally:
        await app.close()


async def test_a_channel_moved_or_renamed_is_judged_again_under_the_same_id(
    tmp_path: Path,
) -> None:
    """The watched-channel answer is kept per channel id with what it was decided on: a
    channel moved out of the social category, renamed, or turned into a thread of a lesson
    channel is decided again, not served from the id's old answer."""
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        assert service.watches(DEBAT)  # by its category
        assert not service.watches(ChannelInfo(52, "debat", 61, "Lessen"))  # moved
        assert service.watches(ChannelInfo(52, "debat", 60, "Sociaal"))  # and back
        assert not service.watches(ChannelInfo(51, "wiskunde-3b", None, None))  # exempt
        assert service.watches(ChannelInfo(51, "algemeen", None, None))  # renamed: social
        assert not service.watches(ChannelInfo(53, "draad", 61, "Lessen", parent=HUISWERK))
        assert service.watches(ChannelInfo(53, "draad", 60, "Sociaal", parent=ALGEMEEN))
    finally:
        await app.close()


async def test_a_calm_post_gets_the_shared_calm_outcome(tmp_path: Path) -> None:
    """Nothing is built per post for the common case: a calm (or laughing) post in a calm
    channel gets one shared outcome, the same as an unwatched channel's."""
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        first = await service.observe(post(ANNA, "heeft iemand de opdracht al af?", 0))
        second = await service.observe(post(BRAM, "nee nog niet", 1))
        unwatched = await service.observe(post(BRAM, "nee nog niet", 2, HUISWERK))
        assert first is second is unwatched
        assert first.heat.action == "none" and first.nudge is None and first.alert is None
        laughing = await service.observe(post(ANNA, "hahaha echt", 3))
        assert laughing.heat.reason == "banter"
        assert laughing is await service.observe(post(BRAM, "haha ja", 4))
    finally:
        await app.close()


async def test_the_nudge_adds_english_when_the_channel_talks_english(tmp_path: Path) -> None:
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        lines = [
            "you are so stupid",
            "shut up you idiot",
            "what a loser you are",
            "nobody likes you",
        ]
        outcomes = [
            await service.observe(post((ANNA, BRAM)[i % 2], t, i)) for i, t in enumerate(lines)
        ]
        nudge = next(o.nudge for o in outcomes if o.nudge)
        clause = app.book["aanwijzing-5"]
        assert nudge.index(clause.text) < nudge.index(clause.text_en)  # Dutch first
        dutch = service.nudge_text(DEBAT.id)
        assert clause.text in dutch and clause.text_en not in dutch
    finally:
        await app.close()


async def test_decide_is_in_memory_and_the_nudge_alert_is_recorded_after(tmp_path: Path) -> None:
    """The screening asks `decide` for every post: it never touches the store; a nudge's
    alert is recorded by `record_nudge` (what `observe` does in one call)."""
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        lines = ["je bent zo dom", "hou je bek idioot", "wat een loser ben jij", "niemand mag jou"]
        posts = [post((ANNA, BRAM)[i % 2], t, i) for i, t in enumerate(lines)]
        outcomes = [service.decide(p) for p in posts]
        decided = next(o for o in outcomes if o.nudge)
        assert decided.alert is None and await app.alerts.repo.alerts() == []
        turned = posts[outcomes.index(decided)].event
        recorded = await service.record_nudge(turned, decided)
        assert recorded.alert is not None and recorded.alert_created
        assert recorded.nudge == decided.nudge and recorded.heat == decided.heat
        assert [a.rule for a in await app.alerts.repo.alerts()] == ["aanwijzing-5"]
    finally:
        await app.close()


async def test_staff_posts_are_not_fed(tmp_path: Path) -> None:
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        for i, text in enumerate(["jij bent zo dom", "hou je kop idioot", "kankerlijer"]):
            outcome = await service.observe(post(JANSEN, text, i))
            assert outcome.heat.level == 0 and outcome.nudge is None
    finally:
        await app.close()


def test_forget_drops_a_member_from_the_window() -> None:
    watch = ChannelWatch()
    watch.observe(Post(1, T0, signals_of("jij bent zo dom"), reply_to=2))
    watch.observe(Post(2, T0 + timedelta(seconds=20), signals_of("hou je kop"), reply_to=1))
    watch.forget(1)
    assert [p.author for p in watch.posts] == [2]
    assert watch.posts[0].reply_to is None
    heat = watch.observe(Post(3, T0 + timedelta(seconds=30), signals_of("hoi")))
    assert heat.members == (2,)  # without forget: (1, 2)


def test_the_reason_reads_in_words_and_the_members_come_apart() -> None:
    """Codes and wording kinds in words (Dutch, or English); the members are ids each front
    shows as names (`involved`), not part of the sentence."""
    text = reason_text("pile-on+escalation: insult,dismissive|11,22")
    assert text == "meerdere leden tegen één, steeds feller; woorden: scheldwoord, kleineren"
    assert "several members against one" in reason_text("pile-on|1", "en")
    assert reason_text("fast: threat|1", "en") == "fast; wording: threat"
    assert involved("pile-on+escalation: insult,dismissive|11,22") == (11, 22)
    assert involved("fast") == () and involved("fast|") == ()


def test_the_heat_section_lives_with_its_feature_and_old_files_stay_valid() -> None:
    assert parse_config(TEST_CONFIG).heat == HeatConfig()
    cfg = parse_config(TEST_CONFIG + "heat:\n  slowmode_seconds: 60\n")
    assert cfg.heat.slowmode_seconds == 60
    with pytest.raises(ConfigError, match=r"heat\.slowmode_second"):
        parse_config(TEST_CONFIG + "heat:\n  slowmode_second: 60\n")


def test_the_authors_kept_for_replies_are_the_last_ones_as_before() -> None:
    """A reply the front end cannot resolve is aimed by the author of the post it answers,
    among the last `_KNOWN_AUTHORS` posts (a post seen again keeps its place; an erased
    member's posts are forgotten): the same answers as the `OrderedDict` this was, over many
    posts, repeats and erasures."""
    rng = random.Random(28)
    authors = RecentAuthors()
    model: OrderedDict[int, int] = OrderedDict()
    for _step in range(12000):
        message_id, author = rng.randrange(3 * _KNOWN_AUTHORS), rng.randrange(40)
        if rng.random() < 0.002:
            authors.forget(author)
            for gone in [m for m, a in model.items() if a == author]:
                del model[gone]
            continue
        authors.remember(message_id, author)
        model[message_id] = author
        if len(model) > _KNOWN_AUTHORS:
            model.popitem(last=False)
        asked = rng.randrange(3 * _KNOWN_AUTHORS)
        assert authors.of(asked) == model.get(asked)
    assert authors.items() == list(model.items())


async def test_a_reply_is_aimed_at_the_remembered_author_unless_it_is_the_replier(
    tmp_path: Path,
) -> None:
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        service._authors.remember(500, ANNA.id)
        assert _reply_target(service._authors, service.is_staff, BRAM.id, 500, None) == ANNA.id
        assert (
            _reply_target(service._authors, service.is_staff, ANNA.id, 500, None) is None
        )  # her own post
        assert (
            _reply_target(service._authors, service.is_staff, BRAM.id, 501, None) is None
        )  # not remembered
        service.forget(ANNA.id)
        assert _reply_target(service._authors, service.is_staff, BRAM.id, 500, None) is None
    finally:
        await app.close()


FIGHT = [
    (ANNA, "jij bent zo dom"),
    (BRAM, "hou je kop idioot"),
    (ANNA, "kankerlijer"),
    (BRAM, "ga lekker janken"),
    (ANNA, "niemand mag je"),
    (BRAM, "kankerlijer idioot"),
]


async def test_the_slowmode_restates_the_episode_alert_and_never_waits_on_a_failing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's slowmode edits the nudge's open alert; when the store fails at that moment
    the slowmode still goes ahead (the edit is kept and retried), and a handled alert gets
    a new one instead of an edit."""
    import sqlite3

    for mode in ("ok", "failing", "handled"):
        folder = tmp_path / mode
        folder.mkdir()
        app = await App.create(make_loaded(folder))
        try:
            service, db = app[HeatService], app.db
            slowed = None
            for i, (member, text) in enumerate(FIGHT):
                other = BRAM if member is ANNA else ANNA
                heat_post = post(member, text, i)
                heat_post = HeatPost(event=heat_post.event, mentions=(other,))
                outcome = service.decide(heat_post)
                if outcome.slowmode and mode == "failing":
                    real = db.execute

                    async def full(sql: str, *args: object, real: Any = real) -> object:
                        if sql.lstrip().upper().startswith("UPDATE"):
                            raise sqlite3.OperationalError("database or disk is full")
                        return await real(sql, *args)

                    monkeypatch.setattr(db, "execute", full)
                if outcome.slowmode and mode == "handled":
                    await db.execute("UPDATE alerts SET status = 'resolved'")
                    await db.commit()
                if outcome.nudge:
                    await service.record_nudge(heat_post.event, outcome)
                elif outcome.slowmode:
                    slowed = await service.record_slowmode(heat_post.event, outcome)
            assert slowed is not None and slowed.slowmode is not None  # never lost
            monkeypatch.undo()
            alerts = await db.fetchall("SELECT id, count, detail, status FROM alerts ORDER BY id")
            if mode == "ok":
                assert [(a["id"], a["count"]) for a in alerts] == [(1, 2)]
                assert "+slowmode" in alerts[0]["detail"]
            elif mode == "failing":
                assert app.alerts.storage_failing and [a["count"] for a in alerts] == [1]
            else:
                assert [a["status"] for a in alerts] == ["resolved", "open"]
                assert "+slowmode" in alerts[1]["detail"]
        finally:
            await app.close()


def test_an_episode_alert_gathers_the_kinds_of_wording_in_order() -> None:
    """Session 46: a restated alert keeps its codes and kinds and adds the new ones (the
    bot's slowmode last); a threat's own heat adds its kinds only."""
    from compass_bot.features.heat.episode_alert import severe, with_kinds

    assert with_kinds("fast: insult", "pile-on: threat,insult") == "fast+pile-on: insult,threat"
    assert with_kinds("objection+slowmode: dismissive", "fast: threat") == (
        "objection+fast+slowmode: dismissive,threat"
    )
    assert with_kinds("fast", "calm: threat", False) == "fast: threat"
    assert severe(("insult", "threat")) and not severe(("insult", "dismissive"))


async def test_the_alert_shows_the_most_hostile_post_and_its_author(tmp_path: Path) -> None:
    """Session 45 (a tester's bystander): the alert names and shows the episode's most
    hostile post, not whoever posted when the heat crossed the threshold; a threat after the
    nudge by the member it names is shown in it (masked like any excerpt), another member's
    threat counts in it but never stands under that member's name."""
    chris = Member(4, "chris", ((10, "Leerling"),))
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        nudged = await _nudged_episode(service, chris)
        assert nudged is not None and nudged is not ANNA  # crossed on another's post
        (alert,) = await app.alerts.repo.alerts()
        assert alert.member_id == ANNA.id and alert.message_id == 1000  # the turn: anna's
        assert "kankerlijer" in (alert.excerpt or "")
        assert "ik weet waar je woont" in (alert.excerpt or "")
        for k, (member, text, shown) in enumerate(
            (
                (ANNA, "@bram ik steek je neer morgen", False),  # milder than the post shown
                (BRAM, "@anna ik steek je neer morgen", False),
                (ANNA, "@bram ik steek je neer morgen, kankerlijer, 0612345678", True),
            )
        ):
            # counted in the alert: an escalation, or the slowmode a second one after the nudge
            outcome = await service.observe(post(member, text, 20 + k))
            assert outcome.escalated or outcome.slowmode, text
            assert outcome.alert is not None
            (alert,) = await app.alerts.repo.alerts()
            assert alert.member_id == ANNA.id
            assert ("ik steek je neer morgen" in (alert.excerpt or "")) is shown, text
            assert "0612345678" not in (alert.excerpt or "")
    finally:
        await app.close()


async def _nudged_episode(service: HeatService, bystander: Member, start: int = 0) -> Member | None:
    """Anna's threat and jabs at bram, who asks to stop, then a bystander: the member whose
    post got the nudge, recorded (None when none did)."""
    lines = [
        (ANNA, "@bram ik weet waar je woont, kankerlijer"),
        (BRAM, "laat me met rust"),
        (ANNA, "huil maar loser"),
        (BRAM, "stop alsjeblieft"),
        (bystander, "jongens doe normaal"),
        (bystander, "hallo??"),
    ]
    for i, (member, text) in enumerate(lines):
        heat_post = post(member, text, start + i)
        outcome = service.decide(heat_post)
        if outcome.nudge:
            await service.record_nudge(heat_post.event, outcome)
            return member
    return None


async def test_the_post_kept_for_an_alert_goes_with_an_erasure_and_with_time(
    tmp_path: Path,
) -> None:
    """The most hostile post waits in memory, masked, only for its alert: erasing any member
    or the window passing lets it go, so an alert never brings back an erased member's words
    (a reviewer's finding, session 45)."""
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]
        for i, text in enumerate(["@bram kankerlijer 0612345678", "haha"]):
            service.decide(post(ANNA, text, i))
        state = service._channels[ALGEMEEN.id]
        assert state.hottest is not None and "0612345678" not in (state.hottest.excerpt or "")
        service.forget(BRAM.id)  # the post names bram: it goes with his erasure
        assert state.hottest is None
        service.decide(post(ANNA, "@bram kankerlijer", 2))
        assert state.hottest is not None
        later = MessagePosted(BRAM, ALGEMEEN, T0 + timedelta(hours=2), "hoi", 2000, 7)
        service.decide(HeatPost(event=later))
        assert state.hottest is None  # older than the window: let go
    finally:
        await app.close()


TESTER_FIGHT = [  # session 46's tester: cas and bram, the nudge at cas's second jab
    ("cas", "@bram jij bent dom"),
    ("bram", "@cas hou op"),
    ("cas", "@bram jij bent een loser"),
    ("bram", "@cas kanker op idioot"),
    ("cas", "@bram ik maak je kapot"),
    ("bram", "@cas ik hoop dat je doodgaat"),
]


async def test_a_restated_alert_keeps_what_it_had_and_a_new_episode_gets_its_own(
    tmp_path: Path,
) -> None:
    """Session 46 (a tester): the slowmode's edit shows the named member's threat (more
    hostile than the insult the nudge showed) and a death wish adds its kind; a nudge a
    cool-down later is a new episode with an alert of its own, so the first keeps its
    threat, death wish and slowmode."""
    cas, bram = Member(5, "cas", ((10, "Leerling"),)), Member(6, "bram", ((10, "Leerling"),))
    members = {"cas": cas, "bram": bram}
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[HeatService]

        async def say(name: str, text: str, at: datetime, message_id: int) -> None:
            member = members[name]
            other = bram if member is cas else cas
            event = MessagePosted(member, ALGEMEEN, at, text, message_id, 7)
            await service.observe(HeatPost(event=event, mentions=(other,)))

        for i, (name, text) in enumerate(TESTER_FIGHT):
            await say(name, text, T0 + timedelta(seconds=i), 3000 + i)
        (first,) = await app.alerts.repo.alerts()
        assert first.member_id == cas.id and first.count == 3
        assert first.excerpt is not None and "ik maak je kapot" in first.excerpt
        reason = reason_text(first.detail or "")
        assert "de bot zette slowmode aan" in reason
        assert "bedreiging, iemand dood wensen" in reason
        later = T0 + timedelta(minutes=16)  # the quarrel again, past the cool-down
        for i, (name, text) in enumerate(TESTER_FIGHT[:3]):
            await say(name, text, later + timedelta(seconds=i), 3100 + i)
        second, again = await app.alerts.repo.alerts()  # newest first
        assert again == first  # untouched: same count, reason and post
        assert second.id != first.id and second.member_id == cas.id and second.count == 1
        assert "loser" in (second.excerpt or "")
    finally:
        await app.close()
