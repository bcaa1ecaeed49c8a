"""Tests of the fake Discord harness itself, with a tiny discord.py bot defined here."""

from __future__ import annotations

import asyncio
import io
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import (
    BotErrors,
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    UserArg,
    make_members,
    patch_endpoints,
    running_bot,
    snowflake_at,
    snowflake_time,
)

pytestmark = pytest.mark.timeout(30)

GUILD = GuildSpec(
    name="Compass",
    roles=[
        RoleSpec("Leerling"),
        RoleSpec("Klas 1-2"),
        RoleSpec("Docent"),
        RoleSpec("Moderator", permissions=Perm.MANAGE_MESSAGES),
    ],
    channels=[
        ChannelSpec("algemeen", category="Sociaal"),
        ChannelSpec("wiskunde-3b", category="Lessen"),
        ChannelSpec("huiswerk", kind="thread", parent="wiskunde-3b", owner="anna"),
        ChannelSpec(
            "mod-meldingen",
            overwrites={
                "@everyone": (0, Perm.VIEW_CHANNEL),
                "Moderator": (Perm.VIEW_CHANNEL, 0),
                "@bot": (Perm.VIEW_CHANNEL, 0),
            },
        ),
        ChannelSpec("docenten", overwrites={"@everyone": (0, Perm.VIEW_CHANNEL)}),
    ],
    members=[
        MemberSpec("anna", roles=["Leerling", "Klas 1-2"]),
        MemberSpec("bram", roles=["Leerling"], nick="Bram B.", global_name="Bram"),
        MemberSpec("jansen", roles=["Docent"], global_name="Mevr. Jansen"),
        MemberSpec("gesloten", roles=["Leerling"], dms_open=False),
    ],
)


# --------------------------------------------------------------------------- the tiny bot


class FeedbackView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(
        label="Nuttig", custom_id="feedback:nuttig", style=discord.ButtonStyle.success
    )
    async def nuttig(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        seen(interaction)["click"].append(interaction)
        await interaction.response.send_message("Bedankt!", ephemeral=True)

    @discord.ui.button(label="Weg", custom_id="feedback:weg", style=discord.ButtonStyle.danger)
    async def weg(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content="Weggehaald.", view=None)


class VraagModal(discord.ui.Modal, title="Stel je vraag"):
    vraag: discord.ui.TextInput[VraagModal] = discord.ui.TextInput(label="Vraag", custom_id="vraag")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        seen(interaction)["modal"].append(self.vraag.value)
        await interaction.response.send_message(f"Ontvangen: {self.vraag.value}", ephemeral=True)


def seen(interaction: discord.Interaction) -> defaultdict[str, list[Any]]:
    client = interaction.client
    assert isinstance(client, TinyBot)
    return client.seen


@app_commands.command(name="ping", description="Zegt pong")
@app_commands.describe(tekst="Wat terug moet komen")
async def ping(interaction: discord.Interaction, tekst: str) -> None:
    seen(interaction)["ping"].append((interaction, tekst))
    await interaction.response.send_message(f"pong: {tekst}", ephemeral=True)


@ping.autocomplete("tekst")
async def ping_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    words = ["hallo", "hoi", "huiswerk", "dag"]
    return [app_commands.Choice(name=w, value=w) for w in words if w.startswith(current)]


@app_commands.command(name="wie", description="Toont een lid")
async def wie(interaction: discord.Interaction, lid: discord.Member) -> None:
    seen(interaction)["wie"].append(lid)
    roles = ", ".join(r.name for r in lid.roles[1:])
    await interaction.response.send_message(f"{lid.display_name}: {roles}")


@app_commands.command(name="formulier", description="Opent een formulier")
async def formulier(interaction: discord.Interaction) -> None:
    await interaction.response.send_modal(VraagModal())


@app_commands.command(name="later", description="Antwoordt na even denken")
async def later(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("klaar")


beheer = app_commands.Group(name="beheer", description="Beheer")
rol = app_commands.Group(name="rol", description="Rollen", parent=beheer)


@rol.command(name="toon", description="Toont een rol")
async def rol_toon(interaction: discord.Interaction, rol: discord.Role, aantal: int = 1) -> None:
    seen(interaction)["rol"].append((rol, aantal))
    await interaction.response.send_message(f"{rol.name} x{aantal}", ephemeral=True)


class TinyBot(commands.Bot):
    def __init__(self, *, message_content: bool = True, guild_sync: bool = False) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = message_content
        super().__init__(
            command_prefix="!",
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
            help_command=None,
        )
        self.seen: defaultdict[str, list[Any]] = defaultdict(list)
        self.guild_sync = guild_sync

    async def setup_hook(self) -> None:
        self.add_view(FeedbackView())
        for command in (ping, wie, formulier, later, beheer):
            self.tree.add_command(command)
        if not self.guild_sync:
            await self.tree.sync()

    async def on_ready(self) -> None:
        if self.guild_sync:
            guild = self.guilds[0]
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)

    async def on_message(self, message: discord.Message) -> None:
        self.seen["message"].append(message)
        if message.author.bot:
            return
        if message.content.startswith("echo "):
            await message.channel.send(f"echo: {message.content[5:]} {message.author.mention}")
        elif message.content == "knop":
            await message.channel.send("Was dit nuttig?", view=FeedbackView())

    async def on_member_join(self, member: discord.Member) -> None:
        self.seen["join"].append(member)

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        self.seen["member_update"].append((before, after))

    async def on_user_update(self, before: discord.User, after: discord.User) -> None:
        self.seen["user_update"].append((before, after))


@asynccontextmanager
async def harness(
    guild: GuildSpec = GUILD, **bot_options: Any
) -> AsyncIterator[tuple[FakeDiscord, TinyBot]]:
    async with FakeDiscord(guild) as fake:
        bot = TinyBot(**bot_options)
        async with running_bot(fake, bot):
            yield fake, bot


# --------------------------------------------------------------------------- snowflakes


def test_snowflake_at_round_trips_and_needs_aware_datetimes() -> None:
    at = datetime(2026, 11, 24, 9, 15, 30, 123000, tzinfo=UTC)
    assert snowflake_time(snowflake_at(at)) == at
    assert discord.utils.snowflake_time(snowflake_at(at)) == at
    with pytest.raises(ValueError):
        snowflake_at(datetime(2026, 11, 24, 9, 15))  # noqa: DTZ001 - naive on purpose


# --------------------------------------------------------------------------- login, READY, GUILD_CREATE


async def test_ready_and_guild_create_build_the_guild() -> None:
    async with harness() as (fake, bot):
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.name == "Compass"
        assert guild.me is not None and guild.me.id == fake.bot_user_id == bot.user.id
        assert {r.name for r in guild.roles} >= {
            "@everyone",
            "Leerling",
            "Klas 1-2",
            "Docent",
            "Moderator",
        }
        algemeen = guild.get_channel(fake.channel_id("algemeen"))
        assert isinstance(algemeen, discord.TextChannel)
        assert algemeen.category is not None and algemeen.category.name == "Sociaal"
        thread = guild.get_thread(fake.channel_id("huiswerk"))
        assert thread is not None and thread.parent_id == fake.channel_id("wiskunde-3b")
        assert thread.owner_id == fake.member_id("anna")
        anna = guild.get_member(fake.member_id("anna"))
        assert anna is not None
        assert [r.name for r in anna.roles] == ["@everyone", "Leerling", "Klas 1-2"]
        bram = guild.get_member_named("bram")
        assert bram is not None and bram.nick == "Bram B." and bram.global_name == "Bram"
        assert guild.member_count == len(guild.members) == 6  # 4 + owner "eigenaar" + the bot
        assert guild.owner_id == fake.member_id("eigenaar")
        mod = guild.get_channel(fake.channel_id("mod-meldingen"))
        assert mod is not None
        assert not mod.permissions_for(anna).view_channel
        assert mod.permissions_for(guild.me).view_channel  # "@bot" overwrite
        docenten = guild.get_channel(fake.channel_id("docenten"))
        assert docenten is not None and not docenten.permissions_for(guild.me).view_channel

        # Login and startup REST traffic.
        assert [c.path for c in fake.calls[:2]] == ["/users/@me", "/oauth2/applications/@me"]
        sync = fake.find_calls("PUT", f"/applications/{fake.application_id}/commands")
        assert len(sync) == 1
        assert {c["name"] for c in sync[0].json} == {"ping", "wie", "formulier", "later", "beheer"}
        assert fake.intents is not None and fake.intents & (1 << 15) and fake.intents & (1 << 1)
        assert fake.sessions[0].compress == "zlib-stream" and fake.sessions[0].binary_frames >= 2


# --------------------------------------------------------------------------- MESSAGE_CREATE


async def test_message_reaches_on_message_and_reply_is_recorded() -> None:
    at = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    async with harness() as (fake, bot):
        sent = await fake.post("anna", "algemeen", "echo hoi", at=at)
        calls = await fake.settle()

        message = bot.seen["message"][0]
        assert isinstance(message, discord.Message)
        assert message.id == int(sent["id"])
        assert message.created_at == at
        assert message.content == "echo hoi"
        assert isinstance(message.author, discord.Member) and message.author.name == "anna"
        assert [r.name for r in message.author.roles] == ["@everyone", "Leerling", "Klas 1-2"]
        assert message.channel.id == fake.channel_id("algemeen")
        assert message.guild is not None and message.guild.id == fake.guild_id

        [post] = [c for c in calls if c.method == "POST"]
        assert post.path == f"/channels/{fake.channel_id('algemeen')}/messages"
        assert post.json["allowed_mentions"] == {"parse": []}
        assert post.json["content"] == f"echo: hoi <@{fake.member_id('anna')}>"
        assert post.status == 200
        [reply] = fake.messages_sent(channel="algemeen")
        assert reply["content"] == post.json["content"]
        assert reply["mentions"] == []  # allowed_mentions none: nobody pinged
        # Discord echoes the bot's own message as MESSAGE_CREATE; the bot sees (and ignores) it.
        assert bot.seen["message"][-1].author.id == fake.bot_user_id


async def test_content_is_blank_without_the_message_content_intent() -> None:
    async with harness(message_content=False) as (fake, bot):
        assert fake.intents is not None and not fake.intents & (1 << 15)
        await fake.post("anna", "algemeen", "geheime tekst")
        await fake.post("anna", "algemeen", f"hee {fake.mention(fake.bot_user_id)} luister")
        await fake.dm("anna", "in een DM")
        await fake.settle()
        contents = [m.content for m in bot.seen["message"]]
        assert contents == ["", f"hee <@{fake.bot_user_id}> luister", "in een DM"]


async def test_message_in_a_thread_and_a_hidden_channel() -> None:
    async with harness() as (fake, bot):
        await fake.post("anna", "huiswerk", "echo draad")
        calls = await fake.settle()
        assert isinstance(bot.seen["message"][0].channel, discord.Thread)
        assert calls[0].path == f"/channels/{fake.channel_id('huiswerk')}/messages"
        # Discord sends no events from channels the bot cannot see.
        await fake.post("jansen", "docenten", "echo geheim")
        assert await fake.settle() == []
        assert len(bot.seen["message"]) == 2  # the thread message and the bot's own reply
        assert fake.undelivered[-1][0] == "MESSAGE_CREATE"


async def test_uploads_reactions_edits_and_deletes() -> None:
    async with harness() as (fake, bot):
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("bijlage", file=discord.File(io.BytesIO(b"abc"), "regels.txt"))
        await sent.add_reaction("\N{THUMBS UP SIGN}")
        edited = await sent.edit(content="bijlage (nieuw)")
        assert edited.edited_at is not None
        calls = await fake.settle()
        upload, react, edit = calls
        assert upload.json["content"] == "bijlage" and upload.files[0].filename == "regels.txt"
        assert upload.files[0].data == b"abc"
        assert sent.attachments[0].filename == "regels.txt" and sent.attachments[0].size == 3
        assert react.method == "PUT" and react.path.endswith("/reactions/\N{THUMBS UP SIGN}/@me")
        assert edit.method == "PATCH" and edit.json["content"] == "bijlage (nieuw)"
        assert fake.message(sent.id)["content"] == "bijlage (nieuw)"

        post = await fake.post("anna", "algemeen", "oeps")
        deleted = asyncio.ensure_future(bot.wait_for("raw_message_delete", timeout=2))
        await fake.delete(post["id"])
        assert (await deleted).message_id == int(post["id"])
        edits = asyncio.ensure_future(bot.wait_for("raw_message_edit", timeout=2))
        await fake.edit(sent.id, "door een mod aangepast")
        assert (await edits).data["content"] == "door een mod aangepast"
        await fake.settle()


# --------------------------------------------------------------------------- members


async def test_member_join() -> None:
    joined = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    async with harness() as (fake, bot):
        await fake.member_join(
            MemberSpec("nieuw", roles=["Leerling"], global_name="Nieuwe"), at=joined
        )
        await fake.settle()
        [member] = bot.seen["join"]
        assert isinstance(member, discord.Member)
        assert member.name == "nieuw" and member.global_name == "Nieuwe"
        assert member.joined_at == joined
        assert [r.name for r in member.roles] == ["@everyone", "Leerling"]
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.get_member(member.id) is member


async def test_member_update_nick_change() -> None:
    async with harness() as (fake, bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.add_role("anna", "Docent")
        await fake.settle()
        (before, after), (_, with_role) = bot.seen["member_update"]
        assert before.nick is None and after.nick == "C0mpass"
        assert "Docent" in [r.name for r in with_role.roles]
        assert bot.seen["user_update"] == []


async def test_user_update_fires_for_a_username_change() -> None:
    async with harness() as (fake, bot):
        await fake.member_update("bram", username="bram_2", global_name="Brammetje")
        await fake.settle()
        [(before, after)] = bot.seen["user_update"]
        assert (before.name, before.global_name) == ("bram", "Bram")
        assert (after.name, after.global_name) == ("bram_2", "Brammetje")
        assert fake.member_id("bram") == fake.member_id("bram_2") == after.id


async def test_bot_edits_a_nick_and_respects_hierarchy() -> None:
    async with harness() as (fake, bot):
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None
        anna = guild.get_member(fake.member_id("anna"))
        assert anna is not None
        await anna.edit(nick="Anna", reason="test")
        calls = await fake.settle()
        [patch] = [c for c in calls if c.method == "PATCH"]
        assert patch.path == f"/guilds/{fake.guild_id}/members/{anna.id}"
        assert patch.json == {"nick": "Anna"} and patch.reason == "test"
        assert anna.nick == "Anna"  # updated from the GUILD_MEMBER_UPDATE echo
        owner = guild.get_member(fake.member_id("eigenaar"))
        assert owner is not None
        with pytest.raises(discord.Forbidden) as caught:
            await owner.edit(nick="nee")
        assert caught.value.code == 50013


# --------------------------------------------------------------------------- interactions


async def test_slash_command_response_is_recorded() -> None:
    async with harness() as (fake, bot):
        ix = await fake.slash(
            "anna", "ping", {"tekst": "mag ik insta in de les"}, channel="algemeen"
        )
        calls = await fake.settle()
        [(interaction, tekst)] = bot.seen["ping"]
        assert isinstance(interaction, discord.Interaction)
        assert tekst == "mag ik insta in de les"
        assert isinstance(interaction.user, discord.Member) and interaction.user.name == "anna"
        assert interaction.channel is not None and interaction.channel.id == fake.channel_id(
            "algemeen"
        )
        assert interaction.locale == discord.Locale.dutch
        [callback] = calls
        assert callback.method == "POST"
        assert callback.path == f"/interactions/{ix.id}/{ix.token}/callback"
        assert callback.query == {"with_response": "1"}
        assert callback.json["type"] == 4
        assert callback.json["data"]["content"] == "pong: mag ik insta in de les"
        assert callback.json["data"]["flags"] == 64
        assert ix.ephemeral and ix.content == "pong: mag ik insta in de les"


async def test_slash_user_option_and_subcommand_group() -> None:
    async with harness() as (fake, bot):
        await fake.slash("jansen", "wie", {"lid": UserArg("anna")})
        await fake.slash("jansen", "beheer rol toon", {"rol": "Docent", "aantal": 3})
        await fake.settle()
        [lid] = bot.seen["wie"]
        assert isinstance(lid, discord.Member) and lid.id == fake.member_id("anna")
        assert [r.name for r in lid.roles] == ["@everyone", "Leerling", "Klas 1-2"]
        [(role, aantal)] = bot.seen["rol"]
        assert isinstance(role, discord.Role) and role.id == fake.role_id("Docent") and aantal == 3
        with pytest.raises(ValueError, match="required"):
            await fake.slash("jansen", "wie", {})


async def test_guild_synced_commands_carry_the_guild_id() -> None:
    async with harness(guild_sync=True) as (fake, _bot):
        assert fake.find_calls("PUT", f"/applications/*/guilds/{fake.guild_id}/commands")
        ix = await fake.slash("anna", "ping", {"tekst": "x"})
        await fake.settle()
        assert ix.payload["data"]["guild_id"] == str(fake.guild_id)
        assert ix.content == "pong: x"


async def test_button_click_on_a_message_the_bot_sent() -> None:
    async with harness() as (fake, bot):
        await fake.post("anna", "algemeen", "knop")
        await fake.settle()
        [question] = fake.messages_sent(channel="algemeen")
        assert question["components"][0]["components"][0]["custom_id"] == "feedback:nuttig"

        ix = await fake.click("bram", question["id"], custom_id="feedback:nuttig")
        calls = await fake.settle()
        [interaction] = bot.seen["click"]
        assert interaction.type is discord.InteractionType.component
        assert interaction.message is not None and interaction.message.id == int(question["id"])
        assert interaction.data is not None and interaction.data["custom_id"] == "feedback:nuttig"
        assert calls[0].path == f"/interactions/{ix.id}/{ix.token}/callback"
        assert ix.callback_type == 4 and ix.content == "Bedankt!"

        gone = await fake.click("bram", question["id"], label="Weg")
        await fake.settle()
        assert gone.callback_type == 7
        assert fake.message(question["id"])["content"] == "Weggehaald."
        assert fake.message(question["id"])["components"] == []


async def test_autocomplete_choices() -> None:
    async with harness() as (fake, _bot):
        ix = await fake.autocomplete("anna", "ping", {"tekst": "h"}, focused="tekst")
        await fake.settle()
        assert ix.callback_type == 8
        assert ix.choices == [
            {"name": "hallo", "value": "hallo"},
            {"name": "hoi", "value": "hoi"},
            {"name": "huiswerk", "value": "huiswerk"},
        ]


async def test_modal_open_and_submit() -> None:
    async with harness() as (fake, bot):
        opened = await fake.slash("anna", "formulier")
        await fake.settle()
        assert opened.modal is not None and opened.modal["title"] == "Stel je vraag"
        submitted = await fake.submit_modal(
            "anna", opened, {"vraag": "Mag ik mijn telefoon gebruiken?"}
        )
        await fake.settle()
        assert bot.seen["modal"] == ["Mag ik mijn telefoon gebruiken?"]
        assert submitted.content == "Ontvangen: Mag ik mijn telefoon gebruiken?"


async def test_defer_then_followup_replaces_the_thinking_message() -> None:
    async with harness() as (fake, _bot):
        ix = await fake.slash("anna", "later")
        calls = await fake.settle()
        assert [(c.method, c.path.split("/")[1]) for c in calls] == [
            ("POST", "interactions"),
            ("POST", "webhooks"),
        ]
        assert ix.callback_type == 5
        assert calls[1].path == f"/webhooks/{fake.application_id}/{ix.token}"
        assert ix.content == "klaar" and ix.followups == []


# --------------------------------------------------------------------------- DMs


async def test_dm_message_and_bot_dms() -> None:
    async with harness() as (fake, bot):
        await fake.dm("anna", "echo prive")
        calls = await fake.settle()
        message = bot.seen["message"][0]
        assert isinstance(message.channel, discord.DMChannel)
        assert message.guild is None and message.author.id == fake.member_id("anna")
        assert calls[0].path == f"/channels/{fake.dm_channel_id('anna')}/messages"
        assert [m["content"] for m in fake.dms_sent("anna")] == [
            f"echo: prive <@{fake.member_id('anna')}>"
        ]

        jansen = bot.get_user(fake.member_id("jansen"))
        assert jansen is not None
        await jansen.send("Hallo mevrouw")
        calls = await fake.settle()
        assert [(c.method, c.path) for c in calls] == [
            ("POST", "/users/@me/channels"),
            ("POST", f"/channels/{fake.dm_channel_id('jansen')}/messages"),
        ]
        assert calls[0].json == {"recipient_id": fake.member_id("jansen")}


async def test_closed_dms_raise_forbidden_50007() -> None:
    async with harness() as (fake, bot):
        closed = bot.get_user(fake.member_id("gesloten"))
        assert closed is not None
        with pytest.raises(discord.Forbidden) as caught:
            await closed.send("hoi")
        assert caught.value.code == 50007 and caught.value.status == 403

        fake.fail_next("POST", "/channels/*/messages", 403, code=50007)
        anna = bot.get_user(fake.member_id("anna"))
        assert anna is not None
        with pytest.raises(discord.Forbidden) as caught:
            await anna.send("hoi")
        assert caught.value.code == 50007
        await anna.send("nu wel")


# --------------------------------------------------------------------------- failure injection


async def test_500_then_success_is_retried() -> None:
    async with harness() as (fake, _bot):
        fake.fail_next("POST", f"/channels/{fake.channel_id('algemeen')}/messages", 500)
        await fake.post("anna", "algemeen", "echo nogmaals")
        calls = await fake.settle()
        assert [c.status for c in calls if c.method == "POST"] == [500, 200]
        assert len(fake.messages_sent(channel="algemeen")) == 1


async def test_429_with_retry_after_is_retried() -> None:
    async with harness() as (fake, _bot):
        fake.fail_next("POST", "/channels/*/messages", 429, retry_after=0.05)
        started = time.monotonic()
        await fake.post("anna", "algemeen", "echo snel")
        calls = await fake.settle()
        assert [c.status for c in calls if c.method == "POST"] == [429, 200]
        assert time.monotonic() - started < 2


async def test_blocked_channel_fails_until_cleared() -> None:
    async with harness() as (fake, bot):
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        rule = fake.block_channel("algemeen")
        for _ in range(2):
            with pytest.raises(discord.Forbidden) as caught:
                await channel.send("x")
            assert caught.value.code == 50013
        fake.clear_failures(rule)
        await channel.send("y")
        assert rule.hits == 2


async def test_discord_validation_and_unknown_routes() -> None:
    async with harness() as (fake, bot):
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as caught:
            await channel.send("x" * 2001)
        assert caught.value.status == 400 and caught.value.code == 50035
        assert [c.status for c in fake.invalid_requests] == [400]
        fake.invalid_requests.clear()  # else running_bot reports it
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/bestaat/niet"))
        assert [c.path for c in fake.unknown_routes] == ["/bestaat/niet"]
        fake.unknown_routes.clear()  # else running_bot reports it


async def test_running_bot_reports_listener_exceptions() -> None:
    class Broken(TinyBot):
        async def on_message(self, message: discord.Message) -> None:
            raise RuntimeError("kapot")

    async with FakeDiscord(GUILD) as fake:
        with pytest.raises(BotErrors, match="kapot"):
            async with running_bot(fake, Broken()):
                await fake.post("anna", "algemeen", "hoi")
                await fake.settle()


async def test_a_bot_that_hangs_logs_what_each_of_its_tasks_awaits(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("tests.fakediscord.scenario.HANG_REPORT_SECONDS", 0.2)
    never = asyncio.Event()

    class Stuck(TinyBot):
        async def on_message(self, message: discord.Message) -> None:
            await never.wait()

    async with FakeDiscord(GUILD) as fake, running_bot(fake, Stuck()):
        await fake.post("anna", "algemeen", "hoi")
        await asyncio.sleep(0.5)
        never.set()
    reports = [r.getMessage() for r in caplog.records if "tasks wait on" in r.getMessage()]
    assert len(reports) >= 2  # again and again while it hangs
    assert "on_message (test_fakediscord.py:" in reports[0]
    assert "wait (locks.py:" in reports[0]  # the Event it waits for
    caplog.clear()
    await asyncio.sleep(0.3)
    assert not [r for r in caplog.records if "tasks wait on" in r.getMessage()]  # cancelled


async def test_privileged_intents_not_enabled_closes_with_4014() -> None:
    async with FakeDiscord(GUILD, privileged_intents=()) as fake:
        # With reconnect=False discord.py raises ConnectionClosed(4014); a bot run with
        # connect() (reconnect=True, like the real runner) gets PrivilegedIntentsRequired.
        with pytest.raises(RuntimeError, match="4014"):
            async with running_bot(fake, TinyBot()):
                pass


# --------------------------------------------------------------------------- scale and threads


async def test_guild_with_10000_members_loads_by_chunking() -> None:
    big = GuildSpec(
        name="Groot",
        roles=[RoleSpec("Leerling")],
        channels=[ChannelSpec("algemeen")],
        members=make_members(10_000, roles=["Leerling"]),
    )
    started = time.monotonic()
    async with harness(big) as (fake, bot):
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.chunked
        assert guild.member_count == len(guild.members) == 10_002  # + owner + bot
        assert fake.chunk_requests and fake.chunk_requests[0]["query"] == ""
        member = guild.get_member(fake.member_id("leerling09999"))
        assert member is not None and [r.name for r in member.roles] == ["@everyone", "Leerling"]
    assert time.monotonic() - started < 10


async def test_fake_in_a_background_thread() -> None:
    fake = FakeDiscord(GUILD)
    port = fake.start()
    try:
        assert fake.api_base_url == f"http://127.0.0.1:{port}/api/v10"
        bot = TinyBot()
        async with running_bot(fake, bot):
            await fake.post(
                "anna", "algemeen", "echo draad", at=datetime.now(UTC) - timedelta(minutes=1)
            )
            calls = await fake.settle()
            assert [c.status for c in calls] == [200]
            assert bot.seen["message"][0].content == "echo draad"
            identify = await fake.wait_identified(timeout=1)
            assert identify["token"] == "<redacted>"
        call = await fake.wait_for_call("POST", "/channels/*/messages", timeout=1)
        assert call.json["content"].startswith("echo: draad")
        assert await asyncio.to_thread(lambda: fake.sync.settle(timeout=2)) == []
    finally:
        fake.stop()


async def test_settle_with_a_client_it_does_not_know_uses_heartbeats() -> None:
    # As for a bot in another process: the fake cannot look inside, so settle() asks the
    # client to heartbeat and waits until it has confirmed reading every event.
    async with FakeDiscord(GUILD) as fake:
        bot = TinyBot()
        with patch_endpoints(fake):
            await bot.login("token")
            connect = asyncio.create_task(bot.connect(reconnect=False))
            await asyncio.wait_for(bot.wait_until_ready(), 5)
            await fake.settle()
            session = fake.sessions[-1]
            await fake.slash("anna", "ping", {"tekst": "ver weg"}, dm=True)
            calls = await fake.settle()
            assert session.last_heartbeat_seq == session.seq
            assert [c.json["type"] for c in calls] == [4]
            [(interaction, _)] = bot.seen["ping"]
            assert interaction.guild is None and isinstance(interaction.channel, discord.DMChannel)
            assert not isinstance(interaction.user, discord.Member)
            await bot.close()
            await connect
