"""A school board: two schools in one bot, one gateway session, against the fake Discord.

Noord and Zuid share the board's defaults but have their own lunch breaks, servers,
moderators and databases. What happens in one school's server is judged by that school's
rules, alerted to that school's moderators, stored in that school's file, and can be acted
on only from that school's server.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from compass_bot.config import LoadedConfig, load_config
from tests.discord_env import AMS, SCHOOL, running_board
from tests.fakediscord import FakeDiscord, GuildSpec, MemberSpec

BOARD = """
roles:
  students: [Leerling]
  teachers: [Docent]
  moderators: [Moderator]
  leadership: [Schoolleiding]
channels:
  moderators: mod-meldingen
  questions: protocol-vragen
schedule:
  timezone: Europe/Amsterdam
  lunch_breaks:
    default: {start: "12:00", end: "12:30"}
school_time:
  social_channels: [algemeen, memes]
  social_categories: [Sociaal]
  exempt_channels: [wiskunde-3b]
schools:
  - name: Noord
    discord: {guild: Noord}
  - name: Zuid
    discord: {guild: Zuid}
    schedule:
      lunch_breaks:
        default: {start: "12:30", end: "13:00"}
"""

# 12:15 on a Tuesday: lunch at Noord, a lesson at Zuid.
NOON = datetime(2026, 11, 24, 12, 15, tzinfo=AMS)
MORNING = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)  # a lesson at both

NOORD = GuildSpec(
    name="Noord", roles=SCHOOL.roles, channels=SCHOOL.channels, members=SCHOOL.members
)
# At Zuid, "mod" (a moderator at Noord) is a student, and "zmod" moderates.
ZUID = GuildSpec(
    name="Zuid",
    roles=SCHOOL.roles,
    channels=SCHOOL.channels,
    members=[
        MemberSpec("anna", roles=["Leerling"]),
        MemberSpec("mod", roles=["Leerling"]),
        MemberSpec("zmod", roles=["Moderator"]),
        MemberSpec("rector", roles=["Schoolleiding"]),
    ],
)


def load_config_at(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "config.yaml"
    path.write_text(BOARD, encoding="utf-8")
    return load_config(path)


def alerts_in(fake: FakeDiscord, guild: str) -> list[dict[str, object]]:
    return [m for m in fake.messages_sent("mod-meldingen", guild=guild) if m.get("embeds")]


async def test_each_school_is_judged_by_its_own_lunch_break_and_alerts_its_own_moderators(
    tmp_path: Path,
) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        assert [s.name for s in bot.schools] == ["Noord", "Zuid"]
        await fake.post("anna", "algemeen", "hoi allemaal", at=NOON, guild="Noord")
        await fake.post("anna", "algemeen", "hoi allemaal", at=NOON, guild="Zuid")
        await fake.settle()
        assert alerts_in(fake, "Noord") == []  # lunch at Noord
        [alert] = alerts_in(fake, "Zuid")  # a lesson at Zuid
        assert "schooltijd" in str(alert["embeds"])
        noord, zuid = bot.schools
        assert await noord.app.alerts.repo.alerts() == []
        assert [a.rule for a in await zuid.app.alerts.repo.alerts()] == ["schooltijd"]
        assert noord.app.db.path != zuid.app.db.path


async def test_commands_are_synced_to_each_schools_own_server(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded),
    ):
        await fake.settle()
        synced = {
            call.path.split("/guilds/")[1].split("/")[0]
            for call in fake.find_calls("PUT", "/applications/*/guilds/*/commands")
        }
        assert synced == {str(fake.guild_id_of("Noord")), str(fake.guild_id_of("Zuid"))}
        assert fake.find_calls("PUT", "/applications/*/commands") == []


async def test_a_moderator_of_one_school_cannot_act_on_the_other(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded),
    ):
        await fake.post("anna", "algemeen", "hoi", at=NOON, guild="Zuid")
        await fake.settle()
        # Noord's moderator sees Noord's alerts only (none) ...
        at_noord = await fake.slash("mod", "meldingen open", channel="mod-meldingen", guild="Noord")
        await fake.settle()
        assert "(1)" not in str(at_noord.data) and "#1" not in str(at_noord.data)
        # ... and at Zuid, where they are a student, is refused.
        at_zuid = await fake.slash("mod", "meldingen open", guild="Zuid")
        await fake.settle()
        assert at_zuid.ephemeral and "moderator" in str(at_zuid.data).lower()
        # Zuid's own moderator sees the alert.
        own = await fake.slash("zmod", "meldingen open", channel="mod-meldingen", guild="Zuid")
        await fake.settle()
        assert "Open meldingen (1)" in str(own.data)


async def test_erasure_is_per_school(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        await fake.post("anna", "algemeen", "hoi", at=MORNING, guild="Noord")
        await fake.post("anna", "algemeen", "hoi", at=MORNING + timedelta(minutes=1), guild="Zuid")
        await fake.settle()
        noord, zuid = bot.schools
        assert len(await noord.app.alerts.repo.alerts()) == 1
        assert len(await zuid.app.alerts.repo.alerts()) == 1
        erased = await fake.slash("zmod", "privacy wissen", {"lid": "anna"}, guild="Zuid")
        await fake.settle()
        assert erased.ephemeral and "gewist" in erased.data["content"]
        assert await zuid.app.alerts.repo.alerts() == []
        assert len(await noord.app.alerts.repo.alerts()) == 1  # Noord keeps its own record
