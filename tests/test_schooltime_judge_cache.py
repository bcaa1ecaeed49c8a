"""The school-time service keeps its `PostJudge` (what repeats from post to post) and builds it
anew for another timetable or another config; the screening's two steps (`watches`, then
`judge_post` by parts) say what `judge` of the whole post says."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from compass_bot.app import App
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, MessagePosted
from compass_bot.schedule.school_calendar import SchoolCalendar
from tests.conftest import TEST_CONFIG, make_loaded

LESSON = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)  # 10:15 in Amsterdam: a lesson
ANNA = Member(1, "anna", ((10, "Leerling"),))
ALGEMEEN = ChannelInfo(50, "algemeen", 60, "Sociaal")
MEMES_ONLY = TEST_CONFIG.replace("social_channels: [algemeen, memes]", "social_channels: [memes]")
MEMES_ONLY = MEMES_ONLY.replace("  social_categories: [Sociaal]\n", "")
LUNCH = datetime(2026, 11, 24, 11, 20, tzinfo=UTC)  # 12:20 in Amsterdam


class _Lazy:
    """A screened post: its author converted on first use, counted."""

    def __init__(self, member: Member) -> None:
        self._member = member
        self.reads = 0

    @property
    def member(self) -> Member:
        self.reads += 1
        return self._member


async def test_the_screening_judge_follows_a_new_config_and_reads_no_author_unwatched(
    tmp_path: Path,
) -> None:
    """`judge_screened`: a lunch break's verdict (kept per roles) comes from the calendar in
    force (built anew for a new config); a channel the rule does not watch is None and never
    reads the author."""
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[SchoolTimeService]
        verdict = service.judge_screened(LUNCH, ALGEMEEN, _Lazy(ANNA))
        assert verdict is not None and verdict.reason == "lunch_break"
        assert "12:45" in verdict.message
        later = TEST_CONFIG.replace(
            '{start: "12:15", end: "12:45"}', '{start: "12:15", end: "12:50"}'
        )
        assert later != TEST_CONFIG
        (tmp_path / "later").mkdir()
        app.kernel.loaded = make_loaded(tmp_path / "later", later)  # lunch is the calendar's
        app.kernel.calendar = SchoolCalendar.build(app.kernel.loaded, LUNCH)
        verdict = service.judge_screened(LUNCH, ALGEMEEN, _Lazy(ANNA))
        assert verdict is not None and "12:50" in verdict.message
        (tmp_path / "memes").mkdir()
        app.kernel.loaded = make_loaded(tmp_path / "memes", MEMES_ONLY)
        post = _Lazy(ANNA)
        assert service.judge_screened(LUNCH, ALGEMEEN, post) is None
        assert post.reads == 0
    finally:
        await app.close()


async def test_another_config_is_judged_by_its_own_rules(tmp_path: Path) -> None:
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[SchoolTimeService]
        assert service.watches(ALGEMEEN)
        assert service.judge_post(LESSON, ANNA, ALGEMEEN).reason == "lesson_time"
        (tmp_path / "other").mkdir()
        app.kernel.loaded = make_loaded(tmp_path / "other", MEMES_ONLY)
        assert not service.watches(ALGEMEEN)
        event = MessagePosted(ANNA, ALGEMEEN, LESSON, "hoi", 1, 7)
        assert service.judge(event).reason == "not_watched"
    finally:
        await app.close()


async def test_the_two_steps_say_what_judge_says(tmp_path: Path) -> None:
    """Over many posts (channels, roles, moments of a week): `watches` is False exactly when
    `judge` says `not_watched`, and `judge_post` by parts is `judge` of the whole post."""
    rng = random.Random(28)
    app = await App.create(make_loaded(tmp_path))
    try:
        service = app[SchoolTimeService]
        channels = [
            ChannelInfo(50 + i, name, *category)
            for i, (name, category) in enumerate(
                [
                    ("algemeen", (None, None)),
                    ("memes", (61, "Lessen")),
                    ("wiskunde-3b", (60, "Sociaal")),
                    ("huiswerk", (61, "Lessen")),
                    ("kletsen", (60, "Sociaal")),
                ]
            )
        ]
        members = [
            Member(1, "anna", ((10, "Leerling"),)),
            Member(2, "jansen", ((11, "Docent"),)),
            Member(3, "bram", ()),
        ]
        seen = set()
        for _ in range(3000):
            channel, member = rng.choice(channels), rng.choice(members)
            at = LESSON + timedelta(minutes=rng.randrange(7 * 24 * 60))
            verdict = service.judge(MessagePosted(member, channel, at, "x", 1, 7))
            assert service.watches(channel) == (verdict.reason != "not_watched")
            assert service.judge_post(at, member, channel) == verdict
            screened = service.judge_screened(at, channel, _Lazy(member))
            assert screened == (None if verdict.reason == "not_watched" else verdict)
            seen.add(verdict.reason)
        assert {"not_watched", "staff", "lesson_time", "lunch_break"} <= seen, seen
    finally:
        await app.close()
