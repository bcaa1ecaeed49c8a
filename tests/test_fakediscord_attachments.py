"""Files on messages as Discord stores them, sent by a real discord.py bot: an embed with an
attached PNG (``attachment://name.png``), the bytes kept and served at the attachment's url,
image sizes read from the file, and Discord's upload limits."""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import discord
import pytest

from tests.fakediscord import (
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    running_bot,
)

pytestmark = pytest.mark.timeout(30)

GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Moderator")],
    channels=[
        ChannelSpec("mod-meldingen"),
        ChannelSpec("geen-bestanden", overwrites={"@bot": (0, Perm.ATTACH_FILES)}),
    ],
    members=[MemberSpec("mod", roles=["Moderator"])],
)


def png(width: int, height: int) -> bytes:
    """A real (grey) PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@asynccontextmanager
async def harness() -> AsyncIterator[tuple[FakeDiscord, discord.Client]]:
    bot = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    async with FakeDiscord(GUILD) as fake, running_bot(fake, bot):
        yield fake, bot


def channel(bot: discord.Client, fake: FakeDiscord, name: str) -> discord.TextChannel:
    found = bot.get_channel(fake.channel_id(name))
    assert isinstance(found, discord.TextChannel)
    return found


async def test_an_embed_with_an_attached_png_is_stored_and_served() -> None:
    image = png(640, 360)
    async with harness() as (fake, bot):
        embed = discord.Embed(title="Weekoverzicht").set_image(url="attachment://overzicht.png")
        sent = await channel(bot, fake, "mod-meldingen").send(
            embed=embed, file=discord.File(io.BytesIO(image), "overzicht.png")
        )
        await fake.settle()
        assert fake.body_of(sent.id)["embeds"][0]["image"]["url"] == "attachment://overzicht.png"
        assert fake.file_bytes(sent.id, "overzicht.png") == image
        (upload,) = fake.find_calls("POST", "/channels/*/messages")
        assert upload.files[0].field == "files[0]" and upload.files[0].data == image
        stored = fake.message(sent.id)
        (att,) = stored["attachments"]
        assert (att["content_type"], att["width"], att["height"]) == ("image/png", 640, 360)
        assert att["size"] == len(image)
        shown = stored["embeds"][0]["image"]
        assert shown["url"] == att["url"] and (shown["width"], shown["height"]) == (640, 360)
        # what discord.py made of Discord's answer, and the CDN serving the bytes
        assert sent.embeds[0].image.url == att["url"] and sent.embeds[0].image.width == 640
        assert await sent.attachments[0].read() == image


async def test_an_edit_may_replace_the_file() -> None:
    async with harness() as (fake, bot):
        sent = await channel(bot, fake, "mod-meldingen").send(
            file=discord.File(io.BytesIO(png(2, 2)), "a.png")
        )
        edited = await sent.edit(attachments=[discord.File(io.BytesIO(png(3, 1)), "b.png")])
        assert [a.filename for a in edited.attachments] == ["b.png"]
        assert fake.file_bytes(sent.id) == png(3, 1)
        assert (edited.attachments[0].width, edited.attachments[0].height) == (3, 1)


async def test_discord_renames_unsafe_file_names() -> None:
    async with harness() as (fake, bot):
        sent = await channel(bot, fake, "mod-meldingen").send(
            file=discord.File(io.BytesIO(b"week 12"), "week 12 (nl).txt")
        )
        assert sent.attachments[0].filename == "week_12__nl_.txt"
        assert sent.attachments[0].content_type == "text/plain"


async def test_upload_limits_and_the_attach_files_permission() -> None:
    async with harness() as (fake, bot):
        with pytest.raises(discord.Forbidden) as forbidden:
            await channel(bot, fake, "geen-bestanden").send(
                file=discord.File(io.BytesIO(png(1, 1)), "x.png")
            )
        assert forbidden.value.code == 50013
        big = discord.File(io.BytesIO(b"\0" * (10 * 1024 * 1024 + 1)), "groot.bin")
        with pytest.raises(discord.HTTPException) as too_large:
            await channel(bot, fake, "mod-meldingen").send(file=big)
        assert (too_large.value.status, too_large.value.code) == (413, 40005)
        fake.invalid_requests.clear()


async def test_eleven_files_are_refused() -> None:
    """discord.py itself refuses more than 10, so they go over plain HTTP here."""
    async with FakeDiscord(GUILD) as fake:
        form = aiohttp.FormData()
        attachments = [{"id": i, "filename": f"{i}.txt"} for i in range(11)]
        form.add_field("payload_json", json.dumps({"attachments": attachments}))
        for i in range(11):
            form.add_field(f"files[{i}]", b"x", filename=f"{i}.txt")
        url = f"{fake.api_base_url}/channels/{fake.channel_id('mod-meldingen')}/messages"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=form, headers={"Authorization": "Bot t"}) as resp,
        ):
            answer = await resp.json()
        assert (resp.status, answer["code"]) == (400, 50035)
        assert "attachments" in answer["errors"]
        assert fake.messages_sent(channel="mod-meldingen") == []
