"""The fake Discord serving two guilds in one gateway session, with a plain discord.py bot:
what a board's bot for several schools sees (issue #16)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import (
    BotSpec,
    ChannelSpec,
    FakeDiscord,
    GuildSpec,
    MemberSpec,
    Perm,
    RoleSpec,
    make_members,
    running_bot,
)

pytestmark = pytest.mark.timeout(30)

T = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
HIDDEN = {"@everyone": (0, Perm.VIEW_CHANNEL), "Moderator": (Perm.VIEW_CHANNEL, 0)}


def noord() -> GuildSpec:
    return GuildSpec(
        name="Noord",
        roles=[RoleSpec("Leerling"), RoleSpec("Moderator", permissions=Perm.MANAGE_MESSAGES)],
        channels=[
            ChannelSpec("algemeen", category="Sociaal"),
            ChannelSpec("mod-meldingen", overwrites={**HIDDEN, "@bot": (Perm.VIEW_CHANNEL, 0)}),
        ],
        members=[
            MemberSpec("anna", roles=["Leerling"], nick="Anna N."),
            MemberSpec("bram", roles=["Leerling"]),
            MemberSpec("piet", roles=["Moderator"]),
        ],
        bot=BotSpec(permissions=Perm.ADMINISTRATOR),
    )


def zuid(*, extra_members: int = 0) -> GuildSpec:
    return GuildSpec(
        name="Zuid",
        roles=[RoleSpec("Leerling"), RoleSpec("Docent"), RoleSpec("Moderator")],
        channels=[
            ChannelSpec("algemeen"),
            ChannelSpec("lokaal-12"),
            # The bot may not see this one in Zuid (it may in Noord, where it is admin).
            ChannelSpec("mod-meldingen", overwrites=HIDDEN),
        ],
        members=[
            MemberSpec("anna", roles=["Docent"]),
            MemberSpec("karim", roles=["Leerling"]),
            *make_members(extra_members, roles=["Leerling"]),
        ],
        # Send and read, no Manage Nicknames, no Administrator.
        bot=BotSpec(permissions=Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES),
    )


@app_commands.command(name="rooster", description="Het rooster van deze school")
async def rooster(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(f"rooster van {interaction.guild_id}")


@app_commands.command(name="melding", description="Een melding voor deze school")
async def melding(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(f"melding in {interaction.guild_id}")


class SchoolsBot(commands.Bot):
    """Replies to every guild message in its own channel and records what it saw; syncs
    /rooster to the first guild only and /melding to the second only."""

    def __init__(self, guild_ids: list[int], *, sync: bool = True) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_ids_to_sync = guild_ids if sync else []
        self.seen: defaultdict[str, list[Any]] = defaultdict(list)

    async def setup_hook(self) -> None:
        if self.guild_ids_to_sync:
            first, second = (discord.Object(id=g) for g in self.guild_ids_to_sync)
            self.tree.add_command(rooster, guild=first)
            self.tree.add_command(melding, guild=second)
            await self.tree.sync(guild=first)
            await self.tree.sync(guild=second)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None:
            return
        self.seen["message"].append(message)
        await message.channel.send(f"gezien in {message.guild.name}")

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        self.seen["member_update"].append(after)


async def test_both_guilds_arrive_in_one_session_with_their_own_contents() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            assert (fake.guild_id, fake.guild_id_of("zuid")) == (north, south)
            assert fake.guild_id_of(south) == south
            assert len(fake.sessions) == 1
            events = fake.sessions[0].dispatched
            assert [e for e, _ in events[:3]] == ["READY", "GUILD_CREATE", "GUILD_CREATE"]
            ready = events[0][1]
            assert ready["guilds"] == [
                {"id": str(north), "unavailable": True},
                {"id": str(south), "unavailable": True},
            ]
            assert [d["id"] for _, d in events[1:3]] == [str(north), str(south)]
            assert sorted(g.id for g in bot.guilds) == sorted([north, south])
            n, s = bot.get_guild(north), bot.get_guild(south)
            assert n is not None and s is not None
            assert (n.name, s.name) == ("Noord", "Zuid")
            assert {c.name for c in s.text_channels} == {"algemeen", "lokaal-12", "mod-meldingen"}
            assert "lokaal-12" not in {c.name for c in n.text_channels}
            assert {r.name for r in s.roles} >= {"Docent", "Leerling"}
            assert "Docent" not in {r.name for r in n.roles}
            assert {m.name for m in s.members} == {"eigenaar", "anna", "karim", "Compass"}
            assert "karim" not in {m.name for m in n.members}
            assert {g.id for g in [guild async for guild in bot.fetch_guilds()]} == {north, south}


async def test_a_message_in_the_second_guild_carries_its_guild_id() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            south = fake.guild_id_of("Zuid")
            mark = len(fake.sessions[0].dispatched)
            sent = await fake.post("karim", "algemeen", "hoi", at=T, guild="Zuid")
            await fake.settle()
            events = fake.sessions[0].dispatched[mark:]
            assert [e for e, _ in events] == ["MESSAGE_CREATE", "MESSAGE_CREATE"]
            assert {d["guild_id"] for _, d in events} == {str(south)}
            assert sent["guild_id"] == str(south)
            message = bot.seen["message"][0]
            assert message.guild.id == south
            assert message.channel.id == fake.channel_id("algemeen", guild="Zuid")
            assert message.channel.id != fake.channel_id("algemeen")
            assert isinstance(message.author, discord.Member)
            assert message.author.guild.id == south
            replies = fake.messages_sent("algemeen", guild="Zuid")
            assert [m["content"] for m in replies] == ["gezien in Zuid"]
            assert replies[0]["guild_id"] == str(south)
            assert fake.messages_sent("algemeen") == []
            assert fake.messages_sent(guild="Zuid") == replies
            assert fake.messages_sent(guild="Noord") == []
            assert [m["id"] for m in fake.messages(guild="Zuid")] == [sent["id"], replies[0]["id"]]
            # A channel id finds its own guild without guild=.
            again = await fake.post("anna", fake.channel_id("lokaal-12", guild="Zuid"), "x", at=T)
            assert again["guild_id"] == str(south)
            await fake.settle()


async def test_a_name_in_two_guilds_is_one_user_with_a_member_in_each() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            anna = fake.member_id("anna")
            assert fake.member_id("anna", guild="Zuid") == anna
            assert fake.dm_channel_id("anna", guild="Zuid") == fake.dm_channel_id("anna")
            assert fake.mention("anna", guild="Zuid") == f"<@{anna}>"
            assert fake.member("anna")["nick"] == "Anna N."
            assert fake.member("anna", guild="Zuid")["nick"] is None
            assert fake.member("anna", guild="Zuid")["roles"] == [
                str(fake.role_id("Docent", guild="Zuid"))
            ]
            in_north = bot.get_guild(north).get_member(anna)  # type: ignore[union-attr]
            in_south = bot.get_guild(south).get_member(anna)  # type: ignore[union-attr]
            assert in_north is not None and in_south is not None
            assert [r.name for r in in_north.roles[1:]] == ["Leerling"]
            assert [r.name for r in in_south.roles[1:]] == ["Docent"]
            assert {u.id for u in bot.users if u.name == "anna"} == {anna}
            assert len({fake.member_id("bram"), fake.member_id("karim", guild="Zuid"), anna}) == 3
            with pytest.raises(KeyError):
                fake.member_id("karim")  # only in Zuid
            with pytest.raises(KeyError):
                fake.member_id("bram", guild="Zuid")
            # The bot: one user, its own member and managed role in each guild.
            assert fake.member_id("Compass", guild="Zuid") == fake.bot_user_id
            assert fake.role_id("Compass") != fake.role_id("Compass", guild="Zuid")
            # A username change is the user's, so both guilds see it.
            await fake.member_update("anna", username="anna2", guild="Zuid")
            await fake.settle()
            assert {m.guild.id for m in bot.seen["member_update"]} == {north, south}
            assert fake.member("anna")["user"]["username"] == "anna2"
            # Nick and roles are per guild.
            await fake.add_role("anna", "Moderator", guild="Zuid")
            await fake.settle()
            assert bot.seen["member_update"][-1].guild.id == south
            assert "Moderator" not in [r.name for r in in_north.roles]
            dm = await fake.dm("karim", "hoi", at=T, guild="Zuid")
            assert "guild_id" not in dm
            assert int(dm["channel_id"]) == fake.dm_channel_id("karim", guild="Zuid")
            # Joining a second guild keeps the user; leaving one keeps the other.
            joined = await fake.member_join("bram", at=T, guild="Zuid")
            assert joined["user"]["id"] == str(fake.member_id("bram"))
            await fake.member_leave("bram")
            await fake.settle()
            assert bot.get_guild(north).get_member(fake.member_id("bram")) is None  # type: ignore[union-attr]
            assert bot.get_guild(south).get_member(fake.member_id("bram", guild="Zuid"))  # type: ignore[union-attr]
            # karim shares only Zuid with the bot: the bot may still DM him.
            karim = await bot.fetch_user(fake.member_id("karim", guild="Zuid"))
            await karim.send("welkom")
            assert [m["content"] for m in fake.dms_sent("karim", guild="Zuid")] == ["welkom"]


async def test_guild_commands_are_synced_per_guild() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            puts = fake.find_calls("PUT", "/applications/*/guilds/*/commands")
            assert [c.path.split("/")[4] for c in puts] == [str(north), str(south)]
            assert [c["name"] for c in fake.guild_commands()] == ["rooster"]
            assert [c["name"] for c in fake.guild_commands("Zuid")] == ["melding"]
            assert fake.global_commands() == []
            assert fake.command("rooster", guild="Zuid") is None
            assert fake.command("melding", guild="Zuid")["guild_id"] == str(south)  # type: ignore[index]

            rec = await fake.slash("anna", "melding", guild="Zuid")
            await fake.settle()
            assert rec.payload["guild_id"] == str(south)
            assert rec.payload["data"]["guild_id"] == str(south)
            assert rec.content == f"melding in {south}"
            rec = await fake.slash("anna", "rooster")
            await fake.settle()
            assert rec.content == f"rooster van {north}"
            # Discord's client offers /rooster only in Noord.
            with pytest.raises(ValueError, match="only in"):
                await fake.slash("anna", "rooster", guild="Zuid")
            listed = await bot.tree.fetch_commands(guild=discord.Object(id=south))
            assert [c.name for c in listed] == ["melding"]


async def test_rest_on_a_guild_the_bot_is_not_in_is_unknown_guild() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            stranger = max(fake.guild_ids) + 1_000_000
            for call in (
                bot.http.get_guild(stranger),
                bot.http.get_all_guild_channels(stranger),
                bot.http.get_member(stranger, fake.member_id("anna")),
                bot.http.get_roles(stranger),
            ):
                with pytest.raises(discord.NotFound) as caught:
                    await call
                assert caught.value.code == 10004
            south = fake.guild_id_of("Zuid")
            assert (await bot.http.get_guild(south))["name"] == "Zuid"
            # A member of Noord only is unknown in Zuid.
            with pytest.raises(discord.NotFound) as caught:
                await bot.http.get_member(south, fake.member_id("bram"))
            assert caught.value.code == 10007
            with pytest.raises(discord.Forbidden) as denied:
                await bot.http.bulk_upsert_guild_commands(bot.application_id, stranger, [])
            assert denied.value.code == 50001


async def test_permissions_are_computed_in_each_guild() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            n, s = bot.get_guild(north), bot.get_guild(south)
            assert n is not None and s is not None
            assert n.me.guild_permissions.administrator
            assert not s.me.guild_permissions.administrator
            assert not s.me.guild_permissions.manage_nicknames
            bram = n.get_member(fake.member_id("bram"))
            karim = s.get_member(fake.member_id("karim", guild="Zuid"))
            assert bram is not None and karim is not None
            await bram.edit(nick="B.")
            assert fake.member("bram")["nick"] == "B."
            with pytest.raises(discord.Forbidden):
                await karim.edit(nick="K.")
            assert fake.member("karim", guild="Zuid")["nick"] is None
            # mod-meldingen: the bot sees it in Noord, not in Zuid.
            hidden = fake.channel_id("mod-meldingen", guild="Zuid")
            with pytest.raises(discord.Forbidden) as caught:
                await bot.http.send_message(hidden, params=_text("x"))
            assert caught.value.code == 50001
            await fake.post("piet", "mod-meldingen", "melding", at=T)
            before = len(fake.undelivered)
            await fake.post("anna", "mod-meldingen", "stil", at=T, guild="Zuid")
            await fake.settle()
            assert [m.guild.id for m in bot.seen["message"]] == [north]
            assert fake.undelivered[before:] == [
                ("MESSAGE_CREATE", f"the bot cannot see channel {hidden}")
            ]


def _text(content: str) -> Any:
    return discord.http.handle_message_parameters(content=content)


async def test_members_are_chunked_per_guild() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid(extra_members=300)]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            assert [str(r["guild_id"]) for r in fake.chunk_requests] == [str(south)]
            s, n = bot.get_guild(south), bot.get_guild(north)
            assert s is not None and n is not None
            assert len(s.members) == 303 + 1  # eigenaar, anna, karim, 300 pupils, the bot
            assert s.chunked and n.chunked
            assert "leerling00000" not in {m.name for m in n.members}


def test_ids_are_unique_across_guilds_and_the_first_guild_keeps_its_ids() -> None:
    alone = FakeDiscord(noord())
    fake = FakeDiscord(noord(), other_guilds=[zuid()])
    again = FakeDiscord(noord(), other_guilds=[zuid()])
    first, second = fake.worlds.values()
    assert fake.world is first
    # Adding guilds changes nothing in the first: existing tests keep their ids.
    assert (alone.guild_id, alone.bot_user_id) == (fake.guild_id, fake.bot_user_id)
    assert alone.world.channels.keys() == first.channels.keys()
    assert alone.world.roles.keys() == first.roles.keys()
    assert alone.world.members.keys() == first.members.keys()
    # Deterministic.
    assert [w.guild_id for w in again.worlds.values()] == fake.guild_ids
    assert again.worlds[second.guild_id].channels.keys() == second.channels.keys()
    # Unique: guild, channel, role ids; users are shared only by name (anna, eigenaar, bot).
    ids_a = {first.guild_id, *first.channels, *first.roles}
    ids_b = {second.guild_id, *second.channels, *second.roles}
    assert ids_a.isdisjoint(ids_b)
    shared_users = set(first.members) & set(second.members)
    names = {first.users[u]["username"] for u in shared_users}
    assert names == {"anna", "eigenaar", "Compass"}
    assert (ids_a | ids_b).isdisjoint(set(first.members) | set(second.members))


def test_guild_names_must_differ_and_unknown_guilds_are_named() -> None:
    with pytest.raises(ValueError, match="names must differ"):
        FakeDiscord(noord(), other_guilds=[noord()])
    fake = FakeDiscord(noord(), other_guilds=[zuid()])
    with pytest.raises(KeyError, match="Oost"):
        fake.channel_id("algemeen", guild="Oost")
    with pytest.raises(KeyError):
        fake.channel_id("lokaal-12")  # only in Zuid


async def test_automod_rules_belong_to_their_guild() -> None:
    async with FakeDiscord(noord(), other_guilds=[zuid()]) as fake:
        bot = SchoolsBot(fake.guild_ids, sync=False)
        async with running_bot(fake, bot):
            north, south = fake.guild_ids
            rule = {
                "name": "scheldwoorden",
                "event_type": 1,
                "trigger_type": 1,
                "trigger_metadata": {"keyword_filter": ["sukkel"]},
                "actions": [{"type": 1, "metadata": {}}],
                "enabled": True,
            }
            created = await bot.http.create_auto_moderation_rule(north, reason=None, **rule)
            assert created["guild_id"] == str(north)
            assert [r["name"] for r in await bot.http.get_auto_moderation_rules(north)] == [
                "scheldwoorden"
            ]
            # The bot lacks Manage Server in Zuid.
            with pytest.raises(discord.Forbidden) as caught:
                await bot.http.get_auto_moderation_rules(south)
            assert caught.value.code == 50013
            payload = await fake.automod_action(
                "anna", "algemeen", "jij sukkel", rule="scheldwoorden"
            )
            assert payload["guild_id"] == str(north)
            with pytest.raises(KeyError, match="Zuid"):
                await fake.automod_action(
                    "anna", "algemeen", "jij sukkel", rule="scheldwoorden", guild="Zuid"
                )
            await fake.settle()
