"""The first harness test of the real bot: a lesson-time post reaches the listener."""

from __future__ import annotations

from pathlib import Path

from tests.discord_env import LESSON, compass_bot


async def test_lesson_post_reaches_the_listener_and_nothing_sent_can_ping(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("anna", "algemeen", "hoi @everyone", at=LESSON)
        await fake.settle()
        alerts = fake.messages_sent(channel="mod-meldingen")
        dms = fake.dms_sent("anna")
        assert len(alerts) == 1 and len(dms) == 1
        for message in (*alerts, *dms):
            body = fake.body_of(message["id"])
            assert body["allowed_mentions"]["parse"] == []
        assert "Leerlingen van de Compass mogen onder schooltijd" in str(dms[0]["embeds"])
