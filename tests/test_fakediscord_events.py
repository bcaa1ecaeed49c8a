"""The interaction and gateway payloads for what comes next, received by a real discord.py
bot: message and user context menus, a modal submit, a string select, CHANNEL_UPDATE after
slowmode, AUTO_MODERATION_ACTION_EXECUTION and MESSAGE_DELETE."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
import pytest
from discord import app_commands

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

GUILD = GuildSpec(
    name="Compass",
    roles=[RoleSpec("Leerling"), RoleSpec("Moderator")],
    channels=[ChannelSpec("algemeen"), ChannelSpec("mod-meldingen")],
    members=[MemberSpec("anna", roles=["Leerling"]), MemberSpec("mod", roles=["Moderator"])],
    bot=BotSpec(permissions=Perm.BOT_DEFAULT | Perm.MANAGE_GUILD | Perm.MANAGE_CHANNELS),
)


class Report(discord.ui.Modal, title="Melding"):
    reden: discord.ui.TextInput[Report] = discord.ui.TextInput(label="Waarom?", max_length=500)

    def __init__(self, seen: list[Any]) -> None:
        super().__init__()
        self.seen = seen

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.seen.append(("modal", self.reden.value))
        await interaction.response.send_message("Dank je, gemeld.", ephemeral=True)


class Bot(discord.Client):
    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        intents.auto_moderation_execution = True
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.seen: list[Any] = []

        async def report_message(
            interaction: discord.Interaction, message: discord.Message
        ) -> None:
            self.seen.append(("message", message.id, message.content))
            await interaction.response.send_modal(Report(self.seen))

        async def who(interaction: discord.Interaction, member: discord.Member) -> None:
            self.seen.append(("user", member.id, isinstance(member, discord.Member)))
            await interaction.response.send_message(f"{member.display_name}", ephemeral=True)

        self.menus = [
            app_commands.ContextMenu(name="Meld bericht", callback=report_message),
            app_commands.ContextMenu(name="Wie is dit", callback=who),
        ]

    async def setup_hook(self) -> None:
        for menu in self.menus:
            self.tree.add_command(menu)
        await self.tree.sync()

    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        assert isinstance(before, discord.TextChannel) and isinstance(after, discord.TextChannel)
        self.seen.append(("slowmode", before.slowmode_delay, after.slowmode_delay))

    async def on_automod_action(self, execution: discord.AutoModAction) -> None:
        self.seen.append(
            ("automod", execution.user_id, execution.matched_keyword, execution.content)
        )

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        self.seen.append(("deleted", payload.message_id, payload.channel_id))


class Choice(discord.ui.View):
    def __init__(self, seen: list[Any]) -> None:
        super().__init__(timeout=None)
        self.seen = seen

    @discord.ui.select(
        custom_id="klas",
        options=[discord.SelectOption(label=k, value=k) for k in ("1a", "2b", "3c")],
    )
    async def klas(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        self.seen.append(("select", select.values))
        await interaction.response.send_message("ok", ephemeral=True)


@asynccontextmanager
async def harness() -> AsyncIterator[tuple[FakeDiscord, Bot]]:
    bot = Bot()
    async with FakeDiscord(GUILD) as fake, running_bot(fake, bot):
        yield fake, bot


async def test_message_context_menu_then_modal_submit() -> None:
    async with harness() as (fake, bot):
        msg = await fake.post("anna", "algemeen", "kijk mijn tiktok")
        rec = await fake.message_command("mod", "Meld bericht", msg["id"])
        await fake.settle()
        data = rec.payload["data"]
        assert (data["type"], data["target_id"]) == (3, msg["id"])
        assert data["resolved"]["messages"][msg["id"]]["content"] == "kijk mijn tiktok"
        assert bot.seen == [("message", int(msg["id"]), "kijk mijn tiktok")]
        assert rec.modal is not None and rec.modal["title"] == "Melding"
        sub = await fake.submit_modal(
            "mod", rec, {rec.modal["components"][0]["components"][0]["custom_id"]: "spam"}
        )
        await fake.settle()
        assert sub.payload["type"] == 5
        inputs = sub.payload["data"]["components"][0]["components"]
        assert inputs[0]["value"] == "spam" and inputs[0]["id"] >= 1
        assert bot.seen[-1] == ("modal", "spam") and sub.ephemeral


async def test_user_context_menu_resolves_the_member() -> None:
    async with harness() as (fake, bot):
        rec = await fake.user_command("mod", "Wie is dit", "anna", channel="algemeen")
        await fake.settle()
        data = rec.payload["data"]
        anna = str(fake.member_id("anna"))
        assert (data["type"], data["target_id"]) == (2, anna)
        assert anna in data["resolved"]["users"] and anna in data["resolved"]["members"]
        assert bot.seen == [("user", int(anna), True)] and rec.content == "anna"
        with pytest.raises(ValueError, match="was synced"):
            await fake.user_command("mod", "Bestaat niet", "anna")


async def test_string_select_and_component_ids() -> None:
    async with harness() as (fake, bot):
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("Kies je klas", view=Choice(bot.seen))
        await fake.settle()
        stored = fake.message(sent.id)
        ids = [stored["components"][0]["id"], stored["components"][0]["components"][0]["id"]]
        assert ids == [1, 2]  # Discord numbers components the bot left without an id
        rec = await fake.select("anna", sent.id, "klas", ["2b"])
        await fake.settle()
        assert rec.payload["data"] == {"custom_id": "klas", "component_type": 3, "values": ["2b"]}
        assert bot.seen == [("select", ["2b"])]
        with pytest.raises(ValueError):
            await fake.select("anna", sent.id, "klas", ["9z"])


async def test_slowmode_change_by_a_moderator_and_by_the_bot() -> None:
    async with harness() as (fake, bot):
        await fake.set_slowmode("algemeen", 30)
        await fake.settle()
        assert bot.seen == [("slowmode", 0, 30)]
        channel = bot.get_channel(fake.channel_id("algemeen"))
        assert isinstance(channel, discord.TextChannel)
        await channel.edit(slowmode_delay=10)
        await fake.settle()
        assert fake.world.channel(channel.id)["rate_limit_per_user"] == 10  # type: ignore[index]
        assert bot.seen[-1] == ("slowmode", 30, 10)
        with pytest.raises(discord.HTTPException) as caught:  # Discord's maximum is 6 hours
            await channel.edit(slowmode_delay=21601)
        assert caught.value.code == 50035
        fake.invalid_requests.clear()  # refused on purpose


async def test_automod_action_and_message_delete() -> None:
    async with harness() as (fake, bot):
        msg = await fake.post("anna", "algemeen", "volg mijn insta")
        payload = await fake.automod_action("anna", "algemeen", "volg mijn insta", keyword="insta")
        await fake.delete(msg["id"])
        await fake.settle()
        anna = fake.member_id("anna")
        assert payload["rule_trigger_type"] == 1 and payload["matched_content"] == "insta"
        assert bot.seen == [
            ("automod", anna, "insta", "volg mijn insta"),
            ("deleted", int(msg["id"]), fake.channel_id("algemeen")),
        ]
