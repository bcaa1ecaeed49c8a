"""A school board: two schools in one bot, one gateway session, against the fake Discord.

Noord and Zuid share the board's defaults but have their own lunch breaks, servers,
moderators and databases. What happens in one school's server is judged by that school's
rules, alerted to that school's moderators, stored in that school's file, and can be acted
on only from that school's server.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig, load_config
from compass_bot.discord_front.pacing import dm_pacer
from compass_bot.discord_front.schools import ServerSetup
from compass_bot.features.questions.repo import QuestionRepo
from compass_bot.storage.db import StoreError
from tests.conftest import BOARD_CONFIG
from tests.discord_env import AMS, SCHOOL, running_board
from tests.fakediscord import FakeDiscord, GuildSpec, MemberSpec

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
    path.write_text(BOARD_CONFIG, encoding="utf-8")
    return load_config(path)


def alerts_in(fake: FakeDiscord, guild: str) -> list[dict[str, object]]:
    return [m for m in fake.messages_sent("mod-meldingen", guild=guild) if m.get("embeds")]


async def delivered(fake: FakeDiscord, guild: str, count: int) -> list[dict[str, object]]:
    """The alerts in a school's moderators' channel once `count` are there (the outbox
    delivers in the background: settle does not wait for it)."""
    deadline = asyncio.get_running_loop().time() + 30.0
    while len(alerts_in(fake, guild)) < count:
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for the outbox"
        await asyncio.sleep(0.02)
    return alerts_in(fake, guild)


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
        [alert] = await delivered(fake, "Zuid", 1)  # a lesson at Zuid
        assert alerts_in(fake, "Noord") == []  # lunch at Noord
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
        assert fake.global_commands() == []  # nothing outside the schools' servers
        noord = {c["name"] for c in fake.guild_commands("Noord")}
        assert "vraag" in noord and "meldingen" in noord
        assert {c["name"] for c in fake.guild_commands("Zuid")} == noord


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
        assert "Open meldingen / Open alerts (1)" in str(own.data)


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
        assert erased.ephemeral and "gewist" in (erased.content or "")
        assert await zuid.app.alerts.repo.alerts() == []
        assert len(await noord.app.alerts.repo.alerts()) == 1  # Noord keeps its own record


async def test_alert_buttons_act_on_their_own_schools_alert_only(tmp_path: Path) -> None:
    """Both schools have an alert #1; a button under Zuid's acts on Zuid's, and only for a
    moderator of Zuid."""
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        await fake.post("anna", "algemeen", "hoi", at=MORNING, guild="Noord")
        await fake.post("anna", "algemeen", "hoi", at=MORNING, guild="Zuid")
        await fake.settle()
        noord, zuid = bot.schools
        [at_noord] = await noord.app.alerts.repo.alerts()
        [at_zuid] = await zuid.app.alerts.repo.alerts()
        assert at_noord.id == at_zuid.id == 1
        [message] = await delivered(fake, "Zuid", 1)

        refused = await fake.click("mod", message["id"], label="Onterecht")
        await fake.settle()
        assert refused.ephemeral and "moderator" in str(refused.data).lower()
        pressed = await fake.click("zmod", message["id"], label="Onterecht")
        await fake.settle()
        assert pressed.callback_type == 7
        [at_zuid] = await zuid.app.alerts.repo.alerts()
        [at_noord] = await noord.app.alerts.repo.alerts()
        assert at_zuid.status != "open" and at_noord.status == "open"


async def test_a_dm_is_handled_for_the_school_of_the_sender(tmp_path: Path) -> None:
    """zmod is only in Zuid's server: their unanswered DM question is kept in Zuid's file."""
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        await fake.dm("zmod", "wat eten we vandaag?", guild="Zuid")
        await fake.settle()
        assert fake.dms_sent("zmod", guild="Zuid")  # answered (the protocol does not cover it)
        noord, zuid = bot.schools
        assert await QuestionRepo(zuid.app.db).questions(("unanswered",), 10) != []
        assert await QuestionRepo(noord.app.db).questions(("unanswered",), 10) == []


async def test_a_server_that_is_no_school_gets_no_commands_and_no_rules(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    other = GuildSpec(
        name="Gamers", roles=SCHOOL.roles, channels=SCHOOL.channels, members=SCHOOL.members
    )
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID, other]) as fake,
        running_board(fake, loaded) as bot,
    ):
        await fake.post("anna", "algemeen", "hoi", at=MORNING, guild="Gamers")
        await fake.settle()
        assert fake.guild_commands("Gamers") == []
        assert fake.messages_sent(guild="Gamers") == []
        for school in bot.schools:
            assert await school.app.alerts.repo.alerts() == []


async def test_the_schools_share_one_protocol_and_matcher(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        noord, zuid = bot.schools
        assert noord.app.book is zuid.app.book
        assert noord.app.kernel.matcher is zuid.app.kernel.matcher


async def test_a_schools_bad_database_closes_the_schools_already_open(tmp_path: Path) -> None:
    """Zuid's database cannot be opened: one StoreError, and Noord's file (opened first) is
    closed again, so no database thread keeps the process alive."""
    text = BOARD_CONFIG.replace(
        "    discord: {guild: Zuid}\n",
        "    discord: {guild: Zuid}\n    storage: {database: zuid}\n",
    )
    (tmp_path / "zuid").mkdir()  # a folder where Zuid's file should be
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_config(path)

    def database_threads() -> list[str]:
        # asyncio's own executor threads stay for the loop; the database's must end.
        return [
            t.name
            for t in threading.enumerate()
            if t.name != "MainThread" and not t.name.startswith("asyncio_")
        ]

    before = database_threads()
    with pytest.raises(StoreError):
        await App.create_each_school(loaded, Clock(MORNING))
    for _ in range(100):  # a closed connection's worker thread ends soon after
        if database_threads() == before:
            break
        await asyncio.sleep(0.02)
    assert database_threads() == before


async def test_a_name_shared_by_two_schools_servers_is_checked_by_each_school(
    tmp_path: Path,
) -> None:
    """anna is in both servers: her new username is one for both, and discord.py tells it
    once; each school's own name rule (and its own approvals) must still see it."""
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        await fake.member_update("anna", username="c0mpass_official")
        await fake.settle()
        noord, zuid = bot.schools
        assert [a.rule for a in await noord.app.alerts.repo.alerts()] == ["aanwijzing-2"]
        assert [a.rule for a in await zuid.app.alerts.repo.alerts()] == ["aanwijzing-2"]


def test_a_boards_schools_share_one_dm_budget_at_the_slowest_schools_pace() -> None:
    """Asking with each school's own pace in turn must not start a new burst each time."""

    def school(per_minute: int) -> SimpleNamespace:
        alerts = SimpleNamespace(dms_per_minute=per_minute)
        return SimpleNamespace(loaded=SimpleNamespace(config=SimpleNamespace(alerts=alerts)))

    class Bot:  # the pacers are kept per bot in a weak mapping
        def __init__(self) -> None:
            self.schools = [school(30), school(10)]

    bot = Bot()
    first = dm_pacer(bot, 30)
    assert first.interval == 6.0  # 10 a minute: Zuid's pace
    assert dm_pacer(bot, 10) is first and dm_pacer(bot, 30) is first


async def test_a_school_whose_server_comes_later_is_set_up_when_it_comes(tmp_path: Path) -> None:
    loaded = load_config_at(tmp_path)
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, loaded) as bot,
    ):
        noord, zuid = bot.schools
        server = zuid.setup.guild
        assert server is not None
        zuid.setup = ServerSetup()  # as if Zuid's server was unavailable at the start
        bot.dispatch("guild_available", server)
        for _ in range(100):
            if zuid.setup.guild is not None:
                break
            await asyncio.sleep(0.02)
        assert zuid.setup.guild is server and zuid.setup.moderators_channel is not None
        assert noord.setup.guild is not server


async def test_two_schools_naming_one_server_leave_it_to_the_first(tmp_path: Path) -> None:
    """One school names the server by name, the other by its id: the config cannot see it;
    at the start the later school is switched off, so no post is judged twice."""
    async with FakeDiscord(NOORD, other_guilds=[ZUID]) as fake:
        text = BOARD_CONFIG.replace(
            "    discord: {guild: Zuid}\n", f"    discord: {{guild: {fake.guild_id_of('Noord')}}}\n"
        )
        path = tmp_path / "config.yaml"
        path.write_text(text, encoding="utf-8")
        async with running_board(fake, load_config(path)) as bot:
            noord, zuid = bot.schools
            assert noord.setup.guild is not None and zuid.setup.guild is None
            await fake.post("anna", "algemeen", "hoi", at=MORNING, guild="Noord")
            await fake.settle()
            await delivered(fake, "Noord", 1)
            assert len(await noord.app.alerts.repo.alerts()) == 1
            assert await zuid.app.alerts.repo.alerts() == []


async def test_a_dm_finds_the_senders_school_also_without_the_member_list(
    tmp_path: Path,
) -> None:
    """Without the Server Members intent the bot's member cache is empty: the school of a DM
    is asked of Discord, so zmod's question is kept in Zuid's file, not in the first school's."""
    path = tmp_path / "config.yaml"
    path.write_text("discord: {members: false}\n" + BOARD_CONFIG, encoding="utf-8")
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, load_config(path)) as bot,
    ):
        await fake.dm("zmod", "wat eten we vandaag?", guild="Zuid")
        await fake.settle()
        assert fake.dms_sent("zmod", guild="Zuid")
        noord, zuid = bot.schools
        assert await QuestionRepo(zuid.app.db).questions(("unanswered",), 10) != []
        assert await QuestionRepo(noord.app.db).questions(("unanswered",), 10) == []


async def test_the_bot_logs_each_school_that_watches_no_channel_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The line `validate-config` prints, logged at start for the school it is about."""
    caplog.set_level(logging.INFO, logger="compass_bot.discord")
    text = BOARD_CONFIG.replace("  social_channels: [algemeen, memes]\n", "").replace(
        "  social_categories: [Sociaal]\n", ""
    )
    path = tmp_path / "config.yaml"
    path.write_text(text + "    school_time:\n      social_categories: [Sociaal]\n", "utf-8")
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, load_config(path)),
    ):
        await fake.settle()
    warned = [r.getMessage() for r in caplog.records if "school_time" in r.getMessage()]
    assert warned == [
        "warning: school Noord: school_time names no social channels or categories: the "
        "lesson-time rule watches no channel"
    ]


async def test_each_schools_log_lines_name_the_school(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`retention purge: {...}` and `weekly digests start after ...` said no school."""
    caplog.set_level(logging.INFO)
    path = tmp_path / "config.yaml"
    path.write_text(BOARD_CONFIG + "digest: {enabled: true}\n", encoding="utf-8")
    async with (
        FakeDiscord(NOORD, other_guilds=[ZUID]) as fake,
        running_board(fake, load_config(path)),
    ):
        await fake.settle()
    lines = [r.getMessage() for r in caplog.records]
    for said in ("retention purge: ", "weekly digests start after "):
        assert sorted(line.split(": ", 1)[0] for line in lines if said in line) == [
            "Noord",
            "Zuid",
        ], lines


def test_a_line_naming_another_place_still_names_the_school_and_is_not_formatted_early(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ "Noordvleugel" holds "Noord" but is not the school: the line gets its prefix; an
    argument that fails to format fails where logging reports it, not in the caller."""
    from types import SimpleNamespace

    from compass_bot.discord_front.schools import CURRENT, name_schools_in_logs

    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no text")

    name_schools_in_logs()
    token = CURRENT.set(SimpleNamespace(loaded=SimpleNamespace(school="Noord")))  # type: ignore[arg-type]
    try:
        caplog.set_level(logging.INFO)
        log = logging.getLogger("compass_bot.test.board")
        log.info("purge: channel %s", "Noordvleugel")
        log.info("Noord: already named")
        record = log.makeRecord(log.name, logging.INFO, __file__, 1, "x %s", (Broken(),), None)
        assert record.msg == "Noord: x %s"  # made without formatting its argument
    finally:
        CURRENT.reset(token)
    said = [r.getMessage() for r in caplog.records if r.name == "compass_bot.test.board"]
    assert said == ["Noord: purge: channel Noordvleugel", "Noord: already named"]
