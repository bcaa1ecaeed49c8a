"""The outbox under faults (issue 19, classes 5-7): nothing sent twice, one sender per alert,
and the message always catching up with the count in the database.

A crash or a failing write between Discord's answer and the mark must not post an alert
again (nonce with enforce_nonce, resumed at start); two senders never take one alert (an
atomic claim); a repeat in the same millisecond as an edit is still shown (a version
counter, not a time).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from compass_bot.features.alerts.repo import OutboxRepo
from compass_bot.storage.db import Database
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import FakeDiscord, MemberSpec
from tests.test_discord_alerts import alert_messages, alert_posts, eventually, fields

pytestmark = pytest.mark.timeout(90)
T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


async def raw_post(fake: FakeDiscord, channel: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": "Bot t", "Content-Type": "application/json"}
    url = f"{fake.api_base_url}/channels/{fake.channel_id(channel)}/messages"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=json.dumps(body), headers=headers) as resp,
    ):
        assert resp.status == 200
        answer: dict[str, Any] = await resp.json()
        return answer


async def test_the_fake_returns_the_earlier_message_for_a_repeated_enforced_nonce() -> None:
    async with FakeDiscord(SCHOOL) as fake:
        first = await raw_post(
            fake, "algemeen", {"content": "a", "nonce": "n1", "enforce_nonce": True}
        )
        again = await raw_post(
            fake, "algemeen", {"content": "b", "nonce": "n1", "enforce_nonce": True}
        )
        assert again["id"] == first["id"] and again["content"] == "a"
        # Without enforce_nonce, or with another nonce, Discord makes a new message.
        loose = await raw_post(fake, "algemeen", {"content": "c", "nonce": "n1"})
        other = await raw_post(
            fake, "algemeen", {"content": "d", "nonce": "n2", "enforce_nonce": True}
        )
        assert len({first["id"], loose["id"], other["id"]}) == 3
        # Past the window ("a few minutes") the nonce is forgotten.
        fake.nonce_window = 0.0
        late = await raw_post(
            fake, "algemeen", {"content": "e", "nonce": "n1", "enforce_nonce": True}
        )
        assert late["id"] != first["id"]


async def test_a_crash_between_post_and_mark_posts_the_alert_once(tmp_path: Path) -> None:
    """The bot stops after Discord made the message and before it was marked: the next start
    sends it again with the same nonce, and Discord hands back the first message."""
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded) as bot:
            store = bot.app.alerts.repo
            posted = asyncio.Event()

            async def crash(*args: Any) -> None:
                posted.set()
                await asyncio.Event().wait()  # never returns: the bot stops here

            store.mark_delivered = crash  # type: ignore[method-assign]
            await fake.post("anna", "algemeen", "hoi", at=LESSON)
            await asyncio.wait_for(posted.wait(), 10)
            [stored] = await store.alerts()
            assert stored.delivery == "pending" and stored.send_nonce  # type: ignore[attr-defined]
        assert len(alert_posts(fake)) == 1
        async with running_compass(fake, loaded) as bot:
            await eventually(lambda: len(alert_posts(fake)) == 2)  # sent again ...
            await fake.settle()
            # The mark follows Discord's answer in the background: wait for it, not for a
            # fixed time (a loaded machine takes longer).
            deadline = asyncio.get_running_loop().time() + 30.0
            while True:
                [stored] = await bot.app.alerts.repo.alerts()
                if stored.delivery == "sent" or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.02)
            assert stored.delivery == "sent"
            messages = alert_messages(fake)
            assert len(messages) == 1  # ... and Discord gave back the one message
            assert stored.delivered_message_id == int(messages[0]["id"])
            nonces = {c.json["nonce"] for c in alert_posts(fake)}
            assert len(nonces) == 1 and all(c.json["enforce_nonce"] for c in alert_posts(fake))


async def test_a_failing_write_after_the_post_does_not_post_again(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        store = bot.app.alerts.repo
        real = store.mark_delivered
        failures = 0

        async def fails_twice(*args: Any) -> None:
            nonlocal failures
            if failures < 2:
                failures += 1
                raise sqlite3.OperationalError("disk I/O error")
            await real(*args)

        store.mark_delivered = fails_twice  # type: ignore[method-assign]
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.post("anna", "algemeen", "weer", at=LESSON + timedelta(seconds=1))

        async def delivered() -> bool:
            return [a.delivery for a in await store.alerts()] == ["sent"]

        # two failed rounds back off 4 s, then 8 s: a deadline, not a count of tries, so a
        # loaded machine still waits long enough
        deadline = asyncio.get_running_loop().time() + 60
        while not await delivered() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        await fake.settle()
        assert failures == 2 and await delivered()
        assert len(alert_posts(fake)) == 1 and len(alert_messages(fake)) == 1
        assert fields(alert_messages(fake)[0]["embeds"][0])["Aantal keer"] == "2"


async def record(store: Database, member: int, at: datetime) -> None:
    await OutboxRepo(store).record_alert(
        rule="schooltijd", member_id=member, member_label=str(member), at=at, window_start=at
    )


async def test_two_senders_on_one_file_never_claim_the_same_alert(tmp_path: Path) -> None:
    one = await Database.open(tmp_path / "db")
    two = await Database.open(tmp_path / "db")
    try:
        for member in range(60):
            await record(one, member, T0)
        claimed: list[int] = []

        async def sender(store: Database) -> None:
            while (
                alert := await OutboxRepo(store).claim_next(T0, T0 + timedelta(minutes=1))
            ) is not None:
                claimed.append(alert.id)
                await asyncio.sleep(0)

        await asyncio.gather(sender(one), sender(two), sender(one), sender(two))
        assert sorted(claimed) == list(range(1, 61))  # each once, none left
        # A claim that lapsed (its sender died) is due again; one released at start too.
        assert await OutboxRepo(one).claim_next(
            T0 + timedelta(minutes=2), T0 + timedelta(minutes=3)
        )
        assert await OutboxRepo(two).release_claims() == (60, 60)
    finally:
        await one.close()
        await two.close()


async def test_a_claim_cancelled_mid_way_leaves_no_transaction_open(tmp_path: Path) -> None:
    """A sender stopped while its claim is on the database's thread (a shutdown) must not
    leave the file locked: the claim is one statement, its own transaction."""
    store = await Database.open(tmp_path / "db")
    try:
        await record(store, 1, T0)
        await store.claims_connection()
        claim = asyncio.ensure_future(OutboxRepo(store).claim_next(T0, T0 + timedelta(minutes=1)))
        await asyncio.sleep(0)  # the claim's statement is now queued on its thread
        claim.cancel()
        with pytest.raises(asyncio.CancelledError):
            await claim
        claims = await store.claims_connection()
        await claims.execute_fetchall("SELECT 1")  # after the claim's statement (one thread)
        await store.execute("PRAGMA busy_timeout=200")
        await record(store, 2, T0)  # the main connection writes: nothing holds the lock
        assert await OutboxRepo(store).release_claims() == (1, 1)
    finally:
        await store.close()


async def test_a_repeat_in_the_same_millisecond_keeps_the_alert_pending(tmp_path: Path) -> None:
    store = await Database.open(tmp_path / "db")
    try:
        await record(store, 1, T0)
        sending = await OutboxRepo(store).claim_next(T0, T0 + timedelta(minutes=1))
        assert sending is not None
        await record(store, 1, T0)  # same member, same instant, while it is being sent
        await OutboxRepo(store).mark_delivered(sending.id, 99, sending.version)
        [pending] = await OutboxRepo(store).pending_alerts(T0)
        assert pending.count == 2 and pending.version == sending.version + 1
        await OutboxRepo(store).mark_delivered(pending.id, 99, pending.version)
        assert await OutboxRepo(store).pending_alerts(T0) == []
    finally:
        await store.close()


async def test_a_burst_at_one_timestamp_shows_the_stored_counts(tmp_path: Path) -> None:
    members = [f"leerling{i}" for i in range(4)]
    guild = dataclasses.replace(
        SCHOOL, members=[*SCHOOL.members, *(MemberSpec(m, roles=["Leerling"]) for m in members)]
    )
    async with compass_bot(tmp_path, guild) as (fake, bot):
        for i in range(200):
            await fake.post(members[i % 4], "algemeen", f"spam {i}", at=LESSON)
        await fake.settle(timeout=60)

        def shown() -> list[str]:
            return sorted(fields(m["embeds"][0])["Aantal keer"] for m in alert_messages(fake))

        await eventually(lambda: shown() == ["50"] * 4, timeout=30)
        stored = await bot.app.alerts.repo.alerts()
        assert sorted(a.count for a in stored) == [50] * 4
        await eventually(lambda: True)
        assert len(alert_posts(fake)) == 4
