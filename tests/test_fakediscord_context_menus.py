"""Message and user context menus as Discord registers and sends them, with a real discord.py
bot: Dutch names with English localizations (the context-menu naming rules, not the slash
ones), ``resolved.messages`` / ``users`` / ``members`` as Discord shapes them, and the
client's own limits (permissions, visibility, DMs) enforced by the drivers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.fakediscord import (
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    running_bot,
)
from tests.test_fakediscord_strict import CMDS, fill, send

pytestmark = pytest.mark.timeout(30)

GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Leerling"), RoleSpec("Moderator", permissions=Perm.MANAGE_MESSAGES)],
    channels=[
        ChannelSpec("algemeen"),
        ChannelSpec(
            "mod-meldingen",
            overwrites={
                "@everyone": (0, Perm.VIEW_CHANNEL),
                "Moderator": (Perm.VIEW_CHANNEL, 0),
                "@bot": (Perm.VIEW_CHANNEL, 0),
            },
        ),
    ],
    members=[
        MemberSpec("anna", roles=["Leerling"]),
        MemberSpec("bram", roles=["Leerling"], nick="Brammetje"),
        MemberSpec("mod", roles=["Moderator"]),
    ],
)

ENGLISH = {
    "Melden bij moderatoren": "Report to moderators",
    "Lid melden": "Report member",
    "Verwijderen (mod)": "Delete (mod)",
}


class English(app_commands.Translator):
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale in (discord.Locale.american_english, discord.Locale.british_english):
            return self.table.get(string.message)
        return None


class Bot(discord.Client):
    def __init__(self, table: dict[str, str] = ENGLISH) -> None:
        # No message content intent: the resolved message carries its content anyway.
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.table = table
        self.seen: list[Any] = []

        @app_commands.guild_only()
        async def report_message(
            interaction: discord.Interaction, message: discord.Message
        ) -> None:
            self.seen.append(("message", message.id, message.content, message.author.id))
            await interaction.response.send_message("Gemeld.", ephemeral=True)

        @app_commands.guild_only()
        async def report_member(interaction: discord.Interaction, member: discord.Member) -> None:
            self.seen.append(("member", member.id, type(member).__name__, member.display_name))
            await interaction.response.send_message("Gemeld.", ephemeral=True)

        @app_commands.default_permissions(manage_messages=True)
        async def delete(interaction: discord.Interaction, message: discord.Message) -> None:
            self.seen.append(("delete", message.id))
            await interaction.response.send_message("Ok.", ephemeral=True)

        self.menus = [
            app_commands.ContextMenu(
                name=app_commands.locale_str("Melden bij moderatoren"), callback=report_message
            ),
            app_commands.ContextMenu(
                name=app_commands.locale_str("Lid melden"), callback=report_member
            ),
            app_commands.ContextMenu(
                name=app_commands.locale_str("Verwijderen (mod)"), callback=delete
            ),
        ]

    async def setup_hook(self) -> None:
        await self.tree.set_translator(English(self.table))
        for menu in self.menus:
            self.tree.add_command(menu)
        await self.tree.sync()


@asynccontextmanager
async def harness() -> AsyncIterator[tuple[FakeDiscord, Bot]]:
    bot = Bot()
    async with FakeDiscord(GUILD) as fake, running_bot(fake, bot):
        yield fake, bot


async def test_context_menus_register_with_dutch_names_and_english_localizations() -> None:
    async with harness() as (fake, _bot):
        (put,) = fake.find_calls("PUT", "/applications/*/commands")
        sent = {c["name"]: c for c in put.json}
        report = sent["Melden bij moderatoren"]
        assert report["type"] == 3 and not report.get("description") and "options" not in report
        assert report["name_localizations"] == {
            "en-US": "Report to moderators",
            "en-GB": "Report to moderators",
        }
        assert sent["Lid melden"]["type"] == 2
        assert int(sent["Verwijderen (mod)"]["default_member_permissions"]) == Perm.MANAGE_MESSAGES
        assert fake.invalid_requests == []


async def test_a_message_menu_sends_the_message_resolved_as_discord_does() -> None:
    async with harness() as (fake, bot):
        msg = await fake.post("bram", "algemeen", "anna is zo dom haha")
        rec = await fake.message_command("anna", "Report to moderators", msg["id"], locale="en-US")
        await fake.settle()
        data = rec.payload["data"]
        assert data["name"] == "Melden bij moderatoren"  # the default name, whatever the locale
        assert (data["type"], data["target_id"]) == (3, msg["id"])
        resolved = data["resolved"]["messages"][msg["id"]]
        assert resolved["content"] == "anna is zo dom haha"
        assert resolved["author"]["id"] == str(fake.member_id("bram"))
        assert resolved["channel_id"] == str(fake.channel_id("algemeen"))
        assert rec.payload["locale"] == "en-US" and rec.payload["context"] == 0
        bram = fake.member_id("bram")
        assert bot.seen == [("message", int(msg["id"]), "anna is zo dom haha", bram)]
        assert rec.ephemeral


async def test_a_user_menu_resolves_user_and_partial_member() -> None:
    async with harness() as (fake, bot):
        rec = await fake.user_command("anna", "Lid melden", "bram", channel="algemeen")
        await fake.settle()
        bram = str(fake.member_id("bram"))
        resolved = rec.payload["data"]["resolved"]
        assert resolved["users"][bram]["username"] == "bram"
        member = resolved["members"][bram]
        assert {"user", "deaf", "mute"} & set(member) == set()
        assert member["nick"] == "Brammetje" and member["permissions"].isdigit()
        assert member["roles"] == [str(fake.role_id("Leerling"))]
        assert bot.seen == [("member", int(bram), "Member", "Brammetje")]


async def test_a_user_who_left_is_resolved_as_a_user_only() -> None:
    async with harness() as (fake, bot):
        await fake.member_leave("bram")
        rec = await fake.user_command("anna", "Lid melden", "bram", channel="algemeen")
        await fake.settle()
        assert "members" not in rec.payload["data"]["resolved"]
        assert bot.seen[0][2] == "User"


async def test_the_client_offers_a_menu_only_where_discord_would() -> None:
    async with harness() as (fake, bot):
        msg = await fake.post("bram", "algemeen", "hoi")
        hidden = await fake.post("mod", "mod-meldingen", "intern")
        with pytest.raises(ValueError, match="default_member_permissions"):
            await fake.message_command("anna", "Verwijderen (mod)", msg["id"])
        with pytest.raises(ValueError, match="cannot see"):
            await fake.message_command("anna", "Melden bij moderatoren", hidden["id"])
        dm = await fake.dm("anna", "hallo bot")
        with pytest.raises(ValueError, match="not offered in DMs"):
            await fake.message_command("anna", "Melden bij moderatoren", dm["id"])
        with pytest.raises(ValueError, match="was synced"):
            await fake.message_command("anna", "Report to moderators", msg["id"], locale="nl")
        await fake.message_command("mod", "Verwijderen (mod)", msg["id"])
        await fake.settle()
        assert bot.seen == [("delete", int(msg["id"]))]


async def test_a_localized_name_over_32_characters_fails_the_sync() -> None:
    bot = Bot({**ENGLISH, "Lid melden": "Report this member to the moderators"})  # 36
    async with FakeDiscord(GUILD) as fake:
        with pytest.raises(discord.HTTPException) as caught:
            async with running_bot(fake, bot, check_errors=False):
                pass
        assert caught.value.code == 50035
        (refused,) = fake.invalid_requests
        assert refused.status == 400


CONTEXT_MENUS: list[tuple[str, Any, bool]] = [
    ("mixed case and spaces", {"name": "Melden bij Moderatoren", "type": 3}, True),
    ("punctuation", {"name": "Verwijderen (mod)?", "type": 2}, True),
    ("32 characters", {"name": "M" * 32, "type": 3}, True),
    ("33 characters", {"name": "M" * 33, "type": 3}, False),
    ("empty name", {"name": "", "type": 2}, False),
    (
        "localized with spaces",
        {"name": "Lid melden", "type": 2, "name_localizations": {"en-US": "Report member"}},
        True,
    ),
    (
        "localization of 33",
        {"name": "Lid melden", "type": 2, "name_localizations": {"en-GB": "R" * 33}},
        False,
    ),
    (
        "empty localization",
        {"name": "Lid melden", "type": 2, "name_localizations": {"en-GB": ""}},
        False,
    ),
    (
        "not a Discord locale",
        {"name": "Lid melden", "type": 2, "name_localizations": {"en": "Report member"}},
        False,
    ),
    (
        "slash command with a space",
        {"name": "lid melden", "type": 1, "description": "Meldt een lid"},
        False,
    ),
    (
        "slash command localized in upper case",
        {
            "name": "melden",
            "type": 1,
            "description": "Meldt",
            "name_localizations": {"en-US": "Report"},
        },
        False,
    ),
]


@pytest.mark.parametrize("name,body,ok", CONTEXT_MENUS, ids=[c[0] for c in CONTEXT_MENUS])
async def test_command_naming_rules_by_type(name: str, body: Any, ok: bool) -> None:
    async with FakeDiscord(GUILD) as fake:
        status, answer = await send(fake, "POST", fill(fake, CMDS), body)
        if ok:
            assert status == 201, answer
            assert fake.world.commands[None][(body["name"], body["type"])]["name"] == body["name"]
        else:
            assert (status, answer["code"]) == (400, 50035), answer
