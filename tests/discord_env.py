"""The school server as the Discord tests see it, and the real CompassBot running against it.

    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        calls = await fake.settle()

`running_compass(fake, loaded)` starts another CompassBot on the same fake and the same
SQLite file, for restart tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.discord_front.client import CompassBot
from compass_bot.features.alerts.discord_delivery import AlertDelivery
from tests.conftest import TEST_CONFIG, make_loaded
from tests.fakediscord import (
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    running_bot,
)
from tests.fakediscord.ratelimit import RateLimits

AMS = ZoneInfo("Europe/Amsterdam")
LESSON = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)  # a Tuesday, in a lesson
LUNCH = datetime(2026, 11, 24, 12, 20, tzinfo=AMS)
AFTER_SCHOOL = datetime(2026, 11, 24, 16, 5, tzinfo=AMS)

_MODS_ONLY = {
    "@everyone": (0, Perm.VIEW_CHANNEL),
    "Moderator": (Perm.VIEW_CHANNEL, 0),
    "Schoolleiding": (Perm.VIEW_CHANNEL, 0),
    "@bot": (Perm.VIEW_CHANNEL, 0),
}

SCHOOL = GuildSpec(
    name="Compass",
    roles=[
        RoleSpec("Leerling"),
        RoleSpec("Klas 1-2"),
        RoleSpec("Docent"),
        RoleSpec("Moderator"),
        RoleSpec("Schoolleiding"),
    ],
    channels=[
        ChannelSpec("algemeen", category="Sociaal"),
        ChannelSpec("memes", category="Sociaal"),
        ChannelSpec("gamen", category="Sociaal"),
        ChannelSpec("wiskunde-3b", category="Sociaal"),  # a lesson channel, exempt by config
        ChannelSpec("huiswerk", category="Lessen"),
        ChannelSpec("protocol-vragen"),
        ChannelSpec("mod-meldingen", overwrites=_MODS_ONLY),
    ],
    members=[
        MemberSpec("anna", roles=["Leerling"]),
        MemberSpec("bram", roles=["Leerling", "Klas 1-2"]),
        MemberSpec("stil", roles=["Leerling"], dms_open=False),
        MemberSpec("jansen", roles=["Docent"]),
        MemberSpec("mod", roles=["Moderator"]),
        MemberSpec("rector", roles=["Schoolleiding"]),
    ],
)


@contextmanager
def outbox_watched(fake: FakeDiscord, bot: CompassBot) -> Iterator[None]:
    """`fake.settle()` also waits while the bot's outbox has alerts to send now (it works in
    the background, so without this a test could read the moderators' channel too early)."""

    def outbox() -> str | None:
        delivery = bot.get_cog("AlertDelivery")
        busy = isinstance(delivery, AlertDelivery) and not bot.is_closed() and delivery.busy()
        return "the bot's outbox is sending" if busy else None

    fake.busy_checks.append(outbox)
    try:
        yield
    finally:
        fake.busy_checks.remove(outbox)


@asynccontextmanager
async def running_compass(
    fake: FakeDiscord, loaded: LoadedConfig, clock: Clock | None = None
) -> AsyncIterator[CompassBot]:
    """A CompassBot with its own service on `loaded`'s SQLite file, connected to `fake`.

    The bot's clock starts at LESSON and runs from there (a test may move it through
    `bot.app.clock`), so the timetable's computed years hold the dates the tests post at,
    whatever today's date is; posts carry their own timestamps (`fake.post(..., at=LESSON)`).
    """
    service = await App.create(loaded, clock=clock or Clock(LESSON))
    bot = CompassBot(loaded, service, guild_ready_timeout=0.05)
    async with running_bot(fake, bot):
        with outbox_watched(fake, bot):
            yield bot


@asynccontextmanager
async def running_board(
    fake: FakeDiscord, loaded: LoadedConfig, clock: Clock | None = None
) -> AsyncIterator[CompassBot]:
    """One CompassBot for every school of a board's config (`loaded.schools`), each school
    with its own services and SQLite file, one clock between them (starting at LESSON)."""
    apps = await App.create_each_school(loaded, clock or Clock(LESSON))
    try:
        bot = CompassBot(loaded, apps, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            with outbox_watched(fake, bot):
                yield bot
    finally:
        for app in apps:
            await app.close()


@asynccontextmanager
async def compass_bot(
    tmp_path: Path,
    guild: GuildSpec = SCHOOL,
    config_text: str = TEST_CONFIG,
    rate_limits: RateLimits | None = None,
) -> AsyncIterator[tuple[FakeDiscord, CompassBot]]:
    """The school server with the real bot in it, on a fresh SQLite file under tmp_path
    (with Discord's rate limits when `rate_limits` is given)."""
    loaded = make_loaded(tmp_path, config_text)
    async with (
        FakeDiscord(guild, rate_limits=rate_limits) as fake,
        running_compass(fake, loaded) as bot,
    ):
        yield fake, bot
