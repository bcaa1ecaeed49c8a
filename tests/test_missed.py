"""The last post seen per channel (catch-up after downtime), on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.features.schooltime.missed import SeenPosts, still_worth_a_warning
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.storage.db import Database

NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


async def test_marks_survive_a_restart_and_never_move_back(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "c.db")
    seen = SeenPosts(SchoolTimeRepo(store))
    await seen.load()
    assert seen.mark(1) is None  # nothing seen: nothing to catch up on
    seen.saw(1, 500)
    seen.saw(1, 400)  # an older post read late does not move the mark back
    seen.saw(2, 300)
    assert seen.mark(1) == 500 and seen.mark(3) == 500  # unseen channel: latest anywhere
    await seen.flush()
    await store.close()

    store = await Database.open(tmp_path / "c.db")
    again = SeenPosts(SchoolTimeRepo(store))
    await again.load()
    assert (again.mark(1), again.mark(2)) == (500, 300)
    await SchoolTimeRepo(store).save_channel_marks({1: 450})
    assert (await SchoolTimeRepo(store).channel_marks())[1] == 500
    await store.close()


async def test_a_failed_flush_keeps_the_marks_for_the_next_try(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "c.db")
    seen = SeenPosts(SchoolTimeRepo(store))
    seen.saw(7, 70)
    await store.close()
    with pytest.raises(Exception):  # noqa: B017 - any storage error
        await seen.flush()
    store = await Database.open(tmp_path / "c.db")
    seen._store = SchoolTimeRepo(store)
    await seen.flush()
    assert await SchoolTimeRepo(store).channel_marks() == {7: 70}
    await store.close()


def test_only_a_recent_breach_is_worth_a_warning() -> None:
    assert still_worth_a_warning(NOW - timedelta(minutes=3), NOW)
    assert not still_worth_a_warning(NOW - timedelta(minutes=40), NOW)
