"""Channel edits, message deletes and threads as Discord does them, driven by a real
discord.py bot: slowmode needs Manage Channels (computed from roles and overwrites), 403
50013 without it, CHANNEL_UPDATE / THREAD_UPDATE, slowmode holding members back; deletes of
others' messages need Manage Messages; threads from a message and private threads, their
members, and posting in them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from tests.fakediscord import (
    BotSpec,
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    running_bot,
)

pytestmark = pytest.mark.timeout(30)

AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

# The bot's role has neither Manage Channels nor Manage Messages; overwrites grant them per
# channel, as a school server might for the channels the bot watches.
GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Leerling"), RoleSpec("Moderator", permissions=Perm.MANAGE_MESSAGES)],
    channels=[
        ChannelSpec(
            "algemeen",
            overwrites={"@bot": (Perm.MANAGE_CHANNELS | Perm.MANAGE_MESSAGES, 0)},
        ),
        ChannelSpec("debat"),
        ChannelSpec("mod-meldingen", overwrites={"@bot": (Perm.MANAGE_THREADS, 0)}),
        ChannelSpec("mededelingen", kind="announcement"),
    ],
    members=[
        MemberSpec("anna", roles=["Leerling"]),
        MemberSpec("bram", roles=["Leerling"]),
        MemberSpec("mod", roles=["Moderator"]),
    ],
    bot=BotSpec(permissions=Perm.BOT_DEFAULT & ~(Perm.MANAGE_CHANNELS | Perm.MANAGE_MESSAGES)),
)


class Bot(discord.Client):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        intents.members = True
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        self.seen: list[Any] = []

    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        assert isinstance(before, discord.TextChannel) and isinstance(after, discord.TextChannel)
        self.seen.append(("slowmode", after.name, before.slowmode_delay, after.slowmode_delay))

    async def on_thread_create(self, thread: discord.Thread) -> None:
        self.seen.append(("thread", thread.name, thread.type.name))

    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        self.seen.append(("thread slowmode", after.name, after.slowmode_delay))

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        self.seen.append(("deleted", payload.message_id))


@asynccontextmanager
async def harness() -> AsyncIterator[tuple[FakeDiscord, Bot]]:
    bot = Bot()
    async with FakeDiscord(GUILD) as fake, running_bot(fake, bot):
        yield fake, bot


def text_channel(bot: Bot, fake: FakeDiscord, name: str) -> discord.TextChannel:
    channel = bot.get_channel(fake.channel_id(name))
    assert isinstance(channel, discord.TextChannel)
    return channel


# --------------------------------------------------------------------------- slowmode


async def test_slowmode_set_and_restored_where_the_bot_may_manage_the_channel() -> None:
    async with harness() as (fake, bot):
        algemeen = text_channel(bot, fake, "algemeen")
        await algemeen.edit(slowmode_delay=30, reason="afkoelen")
        await fake.settle()
        assert fake.slowmode("algemeen") == 30
        (patch,) = fake.find_calls("PATCH", f"/channels/{algemeen.id}")
        assert patch.json == {"rate_limit_per_user": 30} and patch.reason == "afkoelen"
        await algemeen.edit(slowmode_delay=0)
        await fake.settle()
        assert fake.slowmode("algemeen") == 0
        assert bot.seen == [("slowmode", "algemeen", 0, 30), ("slowmode", "algemeen", 30, 0)]


async def test_no_manage_channels_is_403_50013_and_nothing_changes() -> None:
    async with harness() as (fake, bot):
        debat = text_channel(bot, fake, "debat")
        with pytest.raises(discord.Forbidden) as caught:
            await debat.edit(slowmode_delay=30)
        assert (caught.value.status, caught.value.code) == (403, 50013)
        await fake.settle()
        assert fake.slowmode("debat") == 0 and bot.seen == []
        assert not debat.permissions_for(debat.guild.me).manage_channels  # discord.py agrees


async def test_slowmode_beyond_six_hours_is_refused() -> None:
    async with harness() as (fake, bot):
        algemeen = text_channel(bot, fake, "algemeen")
        await algemeen.edit(slowmode_delay=21600)
        with pytest.raises(discord.HTTPException) as caught:
            await algemeen.edit(slowmode_delay=21601)
        assert caught.value.code == 50035
        assert fake.slowmode("algemeen") == 21600
        fake.invalid_requests.clear()  # refused on purpose


async def test_slowmode_holds_members_back_but_not_moderators() -> None:
    async with harness() as (fake, bot):
        await text_channel(bot, fake, "algemeen").edit(slowmode_delay=30)
        await fake.post("anna", "algemeen", "een", at=AT)
        await fake.post("bram", "algemeen", "twee", at=AT + timedelta(seconds=1))
        with pytest.raises(ValueError, match=r"slowmode: anna may post .* again in 20 s"):
            await fake.post("anna", "algemeen", "drie", at=AT + timedelta(seconds=10))
        await fake.post("anna", "algemeen", "drie", at=AT + timedelta(seconds=30))
        await fake.post("mod", "algemeen", "a", at=AT + timedelta(seconds=31))
        await fake.post("mod", "algemeen", "b", at=AT + timedelta(seconds=32))  # exempt
        await fake.post("anna", "debat", "elders mag het", at=AT + timedelta(seconds=31))


# --------------------------------------------------------------------------- deletes


async def test_delete_needs_manage_messages_for_others_messages() -> None:
    async with harness() as (fake, bot):
        own = await text_channel(bot, fake, "debat").send("van de bot")
        await own.delete()  # own messages: no permission needed
        theirs = await fake.post("anna", "debat", "jij bent stom")
        await fake.settle()
        partial = text_channel(bot, fake, "debat").get_partial_message(int(theirs["id"]))
        with pytest.raises(discord.Forbidden) as caught:
            await partial.delete()
        assert caught.value.code == 50013
        here = await fake.post("anna", "algemeen", "jij bent stom")
        await text_channel(bot, fake, "algemeen").get_partial_message(int(here["id"])).delete()
        with pytest.raises(discord.NotFound) as gone:
            await text_channel(bot, fake, "algemeen").get_partial_message(int(here["id"])).delete()
        assert gone.value.code == 10008
        await fake.settle()
        assert [s for s in bot.seen if s[0] == "deleted"] == [
            ("deleted", own.id),
            ("deleted", int(here["id"])),
        ]
        assert int(theirs["id"]) not in fake.world.deleted_messages


# --------------------------------------------------------------------------- threads


async def test_a_public_thread_from_a_message_takes_its_id_once() -> None:
    async with harness() as (fake, bot):
        alert = await text_channel(bot, fake, "mod-meldingen").send("Melding 1")
        thread = await alert.create_thread(name="Bespreking melding 1", auto_archive_duration=1440)
        await fake.settle()
        assert thread.id == alert.id and thread.type is discord.ChannelType.public_thread
        assert fake.message(alert.id)["thread"]["id"] == str(alert.id)
        assert fake.thread_members(thread.id) == ["Compass"]
        await thread.send("Wie pakt dit op?")
        await fake.settle()
        assert fake.messages_sent(channel=thread.id)[0]["content"] == "Wie pakt dit op?"
        assert ("thread", "Bespreking melding 1", "public_thread") in bot.seen
        with pytest.raises(discord.HTTPException) as again:
            await alert.create_thread(name="Nog een")
        assert again.value.code == 160004


async def test_a_private_thread_is_for_its_members_only() -> None:
    async with harness() as (fake, bot):
        channel = text_channel(bot, fake, "mod-meldingen")
        thread = await channel.create_thread(name="Melding 2", invitable=False)
        assert thread.type is discord.ChannelType.private_thread
        await thread.add_user(discord.Object(fake.member_id("mod")))
        await thread.send("Graag kijken.")
        await fake.settle()
        assert fake.thread_members(thread.id) == ["Compass", "mod"]
        stored = fake.world.threads[thread.id]
        assert stored["type"] == 12 and stored["thread_metadata"]["invitable"] is False
        await fake.post("mod", thread.id, "Ik pak het op.")
        with pytest.raises(ValueError, match="not a member of private thread"):
            await fake.post("anna", thread.id, "mag ik meelezen?")
        await thread.edit(slowmode_delay=10)  # Manage Threads via the overwrite
        await fake.settle()
        assert fake.slowmode(thread.id) == 10
        assert ("thread slowmode", "Melding 2", 10) in bot.seen


async def test_thread_creation_needs_the_right_channel_and_permission() -> None:
    async with harness() as (fake, bot):
        mededelingen = bot.get_channel(fake.channel_id("mededelingen"))
        assert isinstance(mededelingen, discord.TextChannel) and mededelingen.is_news()
        with pytest.raises(discord.HTTPException) as private_in_news:
            await mededelingen.create_thread(name="Geheim", type=discord.ChannelType.private_thread)
        assert private_in_news.value.code == 50035
        fake.invalid_requests.clear()
        thread = await text_channel(bot, fake, "debat").create_thread(
            name="Openbaar", type=discord.ChannelType.public_thread
        )
        with pytest.raises(discord.Forbidden):  # no Manage Threads in debat, and not its owner
            await thread.edit(locked=True)
        await thread.edit(archived=True)  # the owner may archive its own thread
        await fake.settle()
        assert fake.world.threads[thread.id]["thread_metadata"]["archived"] is True
        with pytest.raises(discord.HTTPException) as archived:
            await thread.add_user(discord.Object(fake.member_id("anna")))
        assert archived.value.code == 50083
