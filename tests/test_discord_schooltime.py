"""The school-time rule through the real bot and the fake Discord.

A student who posts in a social channel during lessons (outside their lunch break, without a
teacher's permission) gets a friendly DM citing clause `schooltijd`, or a short self-deleting
reply when DMs are closed; the moderators get an alert. Posts are judged by their own
timestamp (`at=` becomes message.created_at), never by the clock. Teachers grant permission
with `/toestemming`; those grants are stored, audited and used by later posts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from compass_bot.clock import Clock
from compass_bot.discord_front.client import CompassBot
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.features.schooltime.rules_grants import PermissionGrant
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, Refusal
from compass_bot.policy import load_clauses
from compass_bot.storage.db import AuditEntry
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import AMS, LESSON, LUNCH, SCHOOL, compass_bot, running_compass
from tests.fakediscord import BotSpec, ChannelSpec, FakeDiscord, InteractionRecord, Perm, RoleSpec
from tests.test_discord_alerts import eventually

# SCHOOL plus two threads: one in a watched channel, one in the exempt lesson channel.
SCHOOL_WITH_THREADS = dataclasses.replace(
    SCHOOL,
    channels=[
        *SCHOOL.channels,
        ChannelSpec("kletshoek", kind="thread", parent="algemeen", owner="anna"),
        ChannelSpec("som-12", kind="thread", parent="wiskunde-3b", owner="anna"),
    ],
)
# Every breach warns (no cooldown), so each post's verdict shows as a DM or no DM.
NO_COOLDOWN = TEST_CONFIG + "  warning_cooldown_minutes: 0\n"
BY_ROLE = NO_COOLDOWN.replace(
    '    default: {start: "12:15", end: "12:45"}\n',
    '    default: {start: "12:15", end: "12:45"}\n'
    "    by_role:\n"
    '      - {role: "Klas 1-2", start: "12:00", end: "12:30"}\n',
)
WARN_AND_DELETE = TEST_CONFIG + "  action: warn_and_delete\n"

CLAUSE_TEXT = load_clauses()["schooltijd"].text
REFUSED = (
    "Alleen docenten kunnen toestemming geven of intrekken. / "
    "Only teachers can grant or revoke permission."
)
REFUSED_LIST = (
    "Alleen docenten kunnen de lijst met toestemmingen zien. / "
    "Only teachers can see the list of permissions."
)


def at(hh: int, mm: int, day: int = 24, month: int = 11, year: int = 2026) -> datetime:
    """A moment in school time (Amsterdam); the default day is Tuesday 24 November 2026."""
    return datetime(year, month, day, hh, mm, tzinfo=AMS)


def is_warning(message: dict[str, Any]) -> bool:
    embeds = message.get("embeds") or []
    return bool(embeds) and str(embeds[0].get("description", "")).startswith("Hoi! Je bericht in")


def warnings_to(fake: FakeDiscord, member: str) -> list[dict[str, Any]]:
    """The school-time warnings the bot DMed to a member, oldest first."""
    return [m for m in fake.dms_sent(member) if is_warning(m)]


def embed_text(message: dict[str, Any]) -> str:
    """Everything a member reads in a message's first embed."""
    embed = message["embeds"][0]
    parts = [embed.get("title", ""), embed.get("description", "")]
    for f in embed.get("fields", []):
        parts += [f["name"], f["value"]]
    parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


def fields(message: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0].get("fields", [])}


def alert_calls(fake: FakeDiscord, calls: list[Any]) -> list[Any]:
    """Calls that created or updated a message in the moderators' channel."""
    mods = f"/channels/{fake.channel_id('mod-meldingen')}/messages"
    return [c for c in calls if c.path.startswith(mods) and c.method in ("POST", "PATCH")]


async def post_and_see(
    fake: FakeDiscord, member: str, channel: str, when: datetime, text: str = "hoi"
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Post, let the bot react; (new warnings DMed to the member, all calls the bot made)."""
    before = len(warnings_to(fake, member))
    await fake.post(member, channel, text, at=when)
    calls = await fake.settle()
    return warnings_to(fake, member)[before:], calls


def live_ext(bot: CompassBot) -> ModuleType:
    """The school-time extension module as this bot runs it.

    discord.py's load_extension executes a fresh module object for every bot, so patching
    the module a test imported would not reach the running code.
    """
    cog = bot.get_cog("SchoolTime")
    assert cog is not None
    return sys.modules[type(cog).__module__]


def set_clock(monkeypatch: pytest.MonkeyPatch, bot: CompassBot, moment: datetime) -> None:
    """Slash-command grants are made "now": stop this bot's clock at `moment`."""
    bot.app.clock.freeze(moment)


def callback_data(ix: InteractionRecord) -> dict[str, Any]:
    """The data of the bot's interaction callback (content, flags, allowed_mentions)."""
    assert ix.callback is not None, "the bot did not answer the interaction"
    data: dict[str, Any] = ix.callback["data"]
    return data


async def permission_audit(bot: CompassBot) -> list[AuditEntry]:
    """The permission entries of the audit trail, oldest first."""
    entries = await bot.app.db.audit_entries()
    return [e for e in reversed(entries) if e.action.startswith("permission.")]


def teacher(fake: FakeDiscord) -> Member:
    """jansen as the service sees him (for grants with explicit times)."""
    return Member(
        id=fake.member_id("jansen"), label="jansen", roles=((fake.role_id("Docent"), "Docent"),)
    )


# -- the warning, the alert, the cooldown --------------------------------------------------------


async def test_lesson_post_gets_a_friendly_dm_citing_the_clause_and_an_alert(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        post = await fake.post("anna", "algemeen", "kijk deze meme @everyone", at=LESSON)
        calls = await fake.settle()

        [dm] = warnings_to(fake, "anna")
        text = embed_text(dm)
        assert CLAUSE_TEXT in fields(dm).values()  # the clause verbatim, as one field
        assert "#algemeen" in text
        assert "Je mag weer vanaf 12:15." in text
        # Dutch first, then English with the clause's own English text.
        english = load_clauses()["schooltijd"].text_en
        assert text.index("Je mag weer vanaf 12:15.") < text.index(
            "English: your post in #algemeen"
        )
        assert english in text and "You can post again from 12:15." in text
        assert fields(dm)["English"].startswith("English: your post in #algemeen")  # its own
        assert "kijk deze meme" not in text  # the post is not echoed
        assert fake.body_of(dm["id"])["allowed_mentions"] == {"parse": []}

        [alert] = fake.messages_sent(channel="mod-meldingen")
        alert_fields = fields(alert)
        assert "`schooltijd`" in alert_fields["Regel"]
        assert alert_fields["Lid"].startswith(fake.mention("anna"))
        assert alert_fields["Waar"].startswith(f"<#{fake.channel_id('algemeen')}>")
        assert post["id"] in alert_fields["Waar"]  # the jump link to the post
        assert alert_fields["Wanneer"].startswith("2026-11-24 10:15")
        assert fake.body_of(alert["id"])["allowed_mentions"] == {"parse": []}

        # action "warn" (the default): nothing in the channel, the post stays.
        assert fake.messages_sent(channel="algemeen") == []
        assert not [c for c in calls if c.method == "DELETE"]


async def test_a_post_is_judged_by_when_it_was_written_not_when_it_arrives(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        # Both arrive "now"; only their own timestamps differ.
        new, calls = await post_and_see(fake, "anna", "algemeen", at(16, 5))
        assert new == [] and calls == []
        new, _ = await post_and_see(fake, "anna", "algemeen", at(10, 15))
        assert len(new) == 1 and "Het is nu lestijd (10:15)" in embed_text(new[0])


async def test_at_most_one_warning_per_student_per_30_minutes_but_every_post_is_counted(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        assert len((await post_and_see(fake, "anna", "algemeen", at(10, 15)))[0]) == 1
        assert (await post_and_see(fake, "anna", "memes", at(10, 20)))[0] == []
        assert (await post_and_see(fake, "anna", "algemeen", at(10, 44)))[0] == []
        # Another student has a cooldown of their own.
        assert len((await post_and_see(fake, "bram", "algemeen", at(10, 44)))[0]) == 1
        # 30 minutes after the last warning: warned again.
        new, _ = await post_and_see(fake, "anna", "algemeen", at(10, 45))
        assert len(new) == 1 and "(10:45)" in embed_text(new[0])

        alerts = await bot.app.alerts.repo.alerts()
        anna = [a for a in alerts if a.member_id == fake.member_id("anna")]
        assert sum(a.count for a in anna) == 4  # all four of anna's posts are on record


async def test_the_cooldown_is_configurable(tmp_path: Path) -> None:
    config = TEST_CONFIG + "  warning_cooldown_minutes: 10\n"
    async with compass_bot(tmp_path, config_text=config) as (fake, _bot):
        for hh, mm, warned in ((10, 15, True), (10, 20, False), (10, 25, True), (10, 34, False)):
            new, _ = await post_and_see(fake, "anna", "algemeen", at(hh, mm))
            assert len(new) == int(warned), f"{hh}:{mm}"


# -- which moments count -------------------------------------------------------------------------


DAY_CASES: list[tuple[str, datetime, str | None]] = [
    # (what, when, the "vanaf" in the warning, or None for no warning)
    ("herfstvakantie", at(10, 15, day=20, month=10), None),
    ("voor school", at(8, 29), None),
    ("eerste les", at(8, 30), "vanaf 12:15."),
    ("net voor de pauze", at(12, 14), "vanaf 12:15."),
    ("pauze begint", at(12, 15), None),
    ("einde pauze", at(12, 44), None),
    ("pauze voorbij", at(12, 45), "vanaf 16:00, na schooltijd."),
    ("laatste minuut", at(15, 59), "vanaf 16:00, na schooltijd."),
    ("school uit", at(16, 0), None),
    ("zaterdag", at(10, 15, day=28), None),
    ("kerstvakantie", at(10, 15, day=22, month=12), None),
    ("tweede paasdag", at(10, 15, day=29, month=3, year=2027), None),
    ("gewone maandag erna", at(10, 15, day=5, month=4, year=2027), "vanaf 12:15."),
]


async def test_the_school_day_its_boundaries_weekends_holidays_and_vacations(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, config_text=NO_COOLDOWN) as (fake, _bot):
        for what, when, expected in DAY_CASES:
            new, calls = await post_and_see(fake, "anna", "algemeen", when)
            if expected is None:
                assert new == [] and calls == [], what  # the bot does nothing at all
            else:
                assert len(new) == 1, what
                assert f"Je mag weer {expected}" in embed_text(new[0]), what
                assert alert_calls(fake, calls), what


async def test_lunch_breaks_per_year_group_role(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=BY_ROLE) as (fake, _bot):
        # bram (Klas 1-2) has lunch 12:00-12:30; anna (no year-group role) the default.
        assert (await post_and_see(fake, "bram", "algemeen", at(12, 5)))[0] == []
        [anna] = (await post_and_see(fake, "anna", "algemeen", at(12, 5)))[0]
        assert "Je mag weer vanaf 12:15." in embed_text(anna)
        [bram] = (await post_and_see(fake, "bram", "algemeen", at(11, 55)))[0]
        assert "Je mag weer vanaf 12:00." in embed_text(bram)
        [bram] = (await post_and_see(fake, "bram", "algemeen", at(12, 30)))[0]
        assert "Je mag weer vanaf 16:00, na schooltijd." in embed_text(bram)
        assert (await post_and_see(fake, "anna", "algemeen", at(12, 30)))[0] == []


# -- which posts count ---------------------------------------------------------------------------


async def test_threads_and_the_watched_category_count_staff_and_lesson_channels_do_not(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path, guild=SCHOOL_WITH_THREADS, config_text=NO_COOLDOWN) as (
        fake,
        _bot,
    ):
        # A thread in a watched channel follows its parent.
        [dm], calls = await post_and_see(fake, "anna", "kletshoek", LESSON)
        assert "#kletshoek" in embed_text(dm)
        [alert] = fake.messages_sent(channel="mod-meldingen")
        assert fields(alert)["Waar"].startswith(f"<#{fake.channel_id('kletshoek')}>")

        # gamen is not listed itself, but sits in the watched category Sociaal.
        [dm], calls = await post_and_see(fake, "anna", "gamen", LESSON + timedelta(minutes=1))
        assert "#gamen" in embed_text(dm) and alert_calls(fake, calls)

        quiet = [
            ("jansen", "algemeen"),  # staff
            ("anna", "wiskunde-3b"),  # exempt lesson channel inside the social category
            ("anna", "som-12"),  # a thread in the exempt lesson channel
            ("anna", "huiswerk"),  # not watched
            ("anna", "protocol-vragen"),  # not watched (questions only)
        ]
        for member, channel in quiet:
            new, calls = await post_and_see(fake, member, channel, LESSON, "even iets anders")
            assert new == [], (member, channel)
            assert alert_calls(fake, calls) == [], (member, channel)
            assert not [c for c in calls if c.method == "DELETE"]
            if channel != "protocol-vragen":  # the questions channel answers, nothing else does
                assert calls == [], (member, channel)


async def test_dms_to_the_bot_and_the_bots_own_messages_are_not_posts(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.dm("anna", "hoi, ik zit in de les", at=LESSON)
        calls = await fake.settle()
        assert warnings_to(fake, "anna") == [] and alert_calls(fake, calls) == []

        await fake.post(fake.bot_user_id, "algemeen", "Welkom allemaal!", at=LESSON)
        calls = await fake.settle()
        assert calls == []
        assert fake.messages_sent(channel="mod-meldingen") == []


# -- DMs closed, and deleting the post -----------------------------------------------------------


async def test_dms_closed_gives_a_short_reply_in_the_channel_that_deletes_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        monkeypatch.setattr(live_ext(bot), "FALLBACK_SECONDS", 0.2)
        post = await fake.post("stil", "memes", "mijn geheime tekst", at=LESSON)
        start = len(fake.calls)
        await fake.settle()

        [reply] = fake.messages_sent(channel="memes")
        body = fake.body_of(reply["id"])
        assert body["content"].startswith(fake.mention("stil"))
        assert "Je mag weer vanaf 12:15." in body["content"]
        assert "middagpauze" in body["content"]
        dutch, english = body["content"].split("\n")
        assert english.startswith("During school time, social media is only allowed in the lunch")
        assert english.endswith("You can post again from 12:15.") and "12:15" in dutch
        assert "geheime" not in body["content"]  # the member's message is not echoed
        assert body["allowed_mentions"] == {"parse": []}  # the mention does not ping
        assert body["message_reference"]["message_id"] == int(post["id"])
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1

        memes = fake.channel_id("memes")
        delete = await fake.wait_for_call(
            "DELETE", f"/channels/{memes}/messages/{reply['id']}", since=start, timeout=5
        )
        assert delete.status == 204
        assert fake.messages_sent(channel="memes") == []
        assert [m["id"] for m in fake.messages("memes")] == [post["id"]]  # the post stays


async def test_warn_and_delete_removes_the_post_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path, config_text=WARN_AND_DELETE) as (fake, bot):
        monkeypatch.setattr(live_ext(bot), "FALLBACK_SECONDS", 0.2)
        algemeen = fake.channel_id("algemeen")
        post = await fake.post("anna", "algemeen", "hoi", at=LESSON)
        calls = await fake.settle()
        [delete] = [c for c in calls if c.method == "DELETE"]
        assert delete.path == f"/channels/{algemeen}/messages/{post['id']}"
        [dm] = warnings_to(fake, "anna")
        assert CLAUSE_TEXT in fields(dm).values()
        assert "Je bericht is daarom verwijderd." in embed_text(dm)

        # Within the cooldown: deleted again, but no second warning.
        post2 = await fake.post("anna", "algemeen", "nog eens", at=LESSON + timedelta(minutes=2))
        calls = await fake.settle()
        assert [c.path for c in calls if c.method == "DELETE"] == [
            f"/channels/{algemeen}/messages/{post2['id']}"
        ]
        assert len(warnings_to(fake, "anna")) == 1

        # DMs closed: the reply in the channel does not point at the deleted post.
        post3 = await fake.post("stil", "algemeen", "hallo", at=LESSON)
        start = len(fake.calls)
        await fake.settle()
        assert fake.find_calls("DELETE", f"/channels/{algemeen}/messages/{post3['id']}")
        [reply] = fake.messages_sent(channel="algemeen")
        body = fake.body_of(reply["id"])
        assert "message_reference" not in body
        dutch, english = body["content"].split("\n")  # each language says it was removed
        assert dutch.endswith("Je bericht is daarom verwijderd.")
        assert english.endswith("Your post was removed for this reason.")
        assert body["allowed_mentions"] == {"parse": []}
        await fake.wait_for_call(
            "DELETE", f"/channels/{algemeen}/messages/{reply['id']}", since=start, timeout=5
        )
        await fake.settle()

        # Staff posts are never deleted.
        await fake.post("jansen", "algemeen", "Vergeet je huiswerk niet", at=LESSON)
        assert await fake.settle() == []


async def test_a_post_that_cannot_be_deleted_still_gets_the_warning(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=WARN_AND_DELETE) as (fake, _bot):
        fake.fail_next("DELETE", "/channels/*/messages/*", code=50013)
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        calls = await fake.settle()
        assert [c.status for c in calls if c.method == "DELETE"] == [403]
        [dm] = warnings_to(fake, "anna")
        assert "verwijderd" not in embed_text(dm)  # it was not removed, so don't say it was
        assert len(fake.messages_sent(channel="mod-meldingen")) == 1


async def test_without_manage_messages_deletes_are_logged_once_per_channel_until_it_is_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Every lesson-time post would fail alike: one line per channel, not one per post; the
    warnings and alerts go out all the same. Once the bot may again, a later loss is said
    again."""
    school = dataclasses.replace(
        SCHOOL,
        roles=[*SCHOOL.roles, RoleSpec("Opruimen", permissions=Perm.MANAGE_MESSAGES)],
        bot=BotSpec(permissions=Perm.BOT_DEFAULT & ~Perm.MANAGE_MESSAGES),
    )
    caplog.set_level(logging.INFO, logger="compass_bot.discord.schooltime")

    def said() -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == "compass_bot.discord.schooltime" and r.levelno >= logging.WARNING
        ]

    config = WARN_AND_DELETE.replace("  action:", "  warning_cooldown_minutes: 0\n  action:")
    async with compass_bot(tmp_path, school, config) as (fake, _bot):
        for member, minute in (("anna", 0), ("bram", 1), ("anna", 2)):
            await fake.post(member, "algemeen", "hoi", at=LESSON + timedelta(minutes=minute))
            await fake.settle()
        assert fake.find_calls("DELETE", "/channels/*/messages/*") == []
        assert len(warnings_to(fake, "anna")) == 2 and len(warnings_to(fake, "bram")) == 1
        assert "verwijderd" not in embed_text(warnings_to(fake, "bram")[0])
        [line] = said()
        assert "#algemeen" in line and "Manage Messages" in line
        await eventually(lambda: len(fake.messages_sent(channel="mod-meldingen")) == 2)

        await fake.add_role(fake.bot_user_id, "Opruimen")  # given back: deleted, nothing said
        post = await fake.post("anna", "algemeen", "weer", at=LESSON + timedelta(minutes=3))
        await fake.settle()
        assert fake.find_calls("DELETE", f"/channels/*/messages/{post['id']}")
        await fake.remove_role(fake.bot_user_id, "Opruimen")  # taken away again: said again
        await fake.post("anna", "algemeen", "nog eens", at=LESSON + timedelta(minutes=4))
        await fake.settle()
        assert len(said()) == 2


# -- permission grants: the rule's side (explicit times) -----------------------------------------


async def test_a_grant_starts_is_used_expires_and_is_revoked(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, guild=SCHOOL_WITH_THREADS, config_text=NO_COOLDOWN) as (
        fake,
        bot,
    ):
        service = bot.app
        anna = await service[SchoolTimeService].grant_permission(
            teacher(fake), "member", fake.member_id("anna"), "anna", at(10, 0), 20, "presentatie"
        )
        assert isinstance(anna, PermissionGrant)
        assert anna.ends_at == at(10, 20)

        # Before it starts: warned, and told posting is allowed again when the grant starts.
        [dm] = (await post_and_see(fake, "anna", "algemeen", at(9, 55)))[0]
        assert "Je mag weer vanaf 10:00." in embed_text(dm)
        # While it runs: allowed, in every watched channel; not for other students.
        for when, channel in (
            (at(10, 0), "algemeen"),
            (at(10, 10), "kletshoek"),
            (at(10, 19), "memes"),
        ):
            new, calls = await post_and_see(fake, "anna", channel, when)
            assert new == [] and calls == [], (when, channel)
        assert len((await post_and_see(fake, "bram", "algemeen", at(10, 10)))[0]) == 1
        # Expired at 10:20 (the end is exclusive).
        [dm] = (await post_and_see(fake, "anna", "algemeen", at(10, 20)))[0]
        assert "Je mag weer vanaf 12:15." in embed_text(dm)

        # A class (role) grant, revoked halfway.
        klas = await service[SchoolTimeService].grant_permission(
            teacher(fake), "role", fake.role_id("Klas 1-2"), "Klas 1-2", at(10, 30)
        )
        assert isinstance(klas, PermissionGrant) and klas.ends_at == at(11, 20)  # 50 minutes
        assert (await post_and_see(fake, "bram", "memes", at(10, 35)))[0] == []
        assert len((await post_and_see(fake, "anna", "memes", at(10, 35)))[0]) == 1
        revoked = await service[SchoolTimeService].revoke_permission(
            teacher(fake), klas.id, at(10, 40)
        )
        assert isinstance(revoked, PermissionGrant) and revoked.id == klas.id
        assert len((await post_and_see(fake, "bram", "memes", at(10, 45)))[0]) == 1

        # A channel grant covers that channel and its threads, never past the end of the day.
        kanaal = await service[SchoolTimeService].grant_permission(
            teacher(fake), "channel", fake.channel_id("algemeen"), "algemeen", at(15, 30), 600
        )
        assert isinstance(kanaal, PermissionGrant) and kanaal.ends_at == at(16, 0)
        assert (await post_and_see(fake, "anna", "algemeen", at(15, 45)))[0] == []
        assert (await post_and_see(fake, "bram", "kletshoek", at(15, 46)))[0] == []
        assert len((await post_and_see(fake, "anna", "memes", at(15, 47)))[0]) == 1

        # No school time left, or not a teacher: refused.
        late = await service[SchoolTimeService].grant_permission(
            teacher(fake), "member", fake.member_id("anna"), "anna", at(16, 30)
        )
        assert isinstance(late, Refusal) and "geen schooltijd meer" in late.message
        student = Member(id=fake.member_id("bram"), label="bram", roles=())
        assert isinstance(
            await service[SchoolTimeService].grant_permission(
                student, "member", student.id, "bram", at(10, 0)
            ),
            Refusal,
        )

        audit = await permission_audit(bot)
        actions = [(e.action, e.actor_id, e.subject_id) for e in audit]
        jansen = fake.member_id("jansen")
        assert actions == [
            ("permission.grant", jansen, fake.member_id("anna")),
            ("permission.grant", jansen, fake.role_id("Klas 1-2")),
            ("permission.revoke", jansen, fake.role_id("Klas 1-2")),
            ("permission.grant", jansen, fake.channel_id("algemeen")),
        ]


# -- /toestemming: the slash commands -------------------------------------------------------------


async def test_toestemming_commands_are_synced_with_real_descriptions(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        [put] = fake.find_calls("PUT", f"/applications/*/guilds/{fake.guild_id}/commands")
        [group] = [c for c in put.json if c["name"] == "toestemming"]
        assert group["dm_permission"] is False  # a teacher's roles exist only in the server
        subs = {s["name"]: s for s in group["options"]}
        assert set(subs) == {"geven", "lijst", "intrekken"}
        descriptions = {s["description"] for s in subs.values()}
        assert len(descriptions) == 3  # each says what it does
        for sub in subs.values():
            for option in sub.get("options", []):
                assert option["description"] not in ("…", "..."), (sub["name"], option["name"])
        assert subs["lijst"]["description_localizations"]["en-US"] == "The permissions in force now"
        kanaal = next(o for o in subs["geven"]["options"] if o["name"] == "kanaal")
        assert 4 in kanaal["channel_types"]  # a whole category may be given permission
        assert subs["intrekken"]["options"][0].get("autocomplete") is True


async def test_teacher_grants_lists_and_revokes_and_posts_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path, config_text=NO_COOLDOWN) as (fake, bot):
        set_clock(monkeypatch, bot, LESSON)
        ix = await fake.slash(
            "jansen",
            "toestemming geven",
            {"leerling": "anna", "reden": "projectwerk"},
            channel="algemeen",
        )
        await fake.settle()
        assert ix.ephemeral and callback_data(ix)["flags"] == 64
        assert (
            ix.content == f"Toestemming gegeven: #1 {fake.mention('anna')} tot 11:05 (projectwerk)"
        )
        assert callback_data(ix)["allowed_mentions"] == {"parse": []}

        # The grant is used by anna's post; bram is still warned.
        assert (await post_and_see(fake, "anna", "algemeen", at(10, 20)))[0] == []
        assert len((await post_and_see(fake, "bram", "algemeen", at(10, 20)))[0]) == 1

        ix = await fake.slash("jansen", "toestemming geven", {"klas": "Klas 1-2", "minuten": 10})
        await fake.settle()
        assert ix.content == f"Toestemming gegeven: #2 {fake.role_mention('Klas 1-2')} tot 10:25"
        assert (await post_and_see(fake, "bram", "memes", at(10, 21)))[0] == []

        ix = await fake.slash("jansen", "toestemming geven", {"kanaal": "gamen", "minuten": 600})
        await fake.settle()
        gamen = fake.channel_id("gamen")
        assert ix.content == (  # the end of the day cuts it short, and the teacher hears it
            f"Toestemming gegeven: #3 <#{gamen}> tot 16:00. Ingekort tot 16:00, het einde van "
            "de schooldag (je vroeg 600 minuten). (Cut short to 16:00, the end of the school "
            "day: you asked for 600 minutes.)"
        )
        ix = await fake.slash("jansen", "toestemming geven", {"kanaal": "wiskunde-3b"})
        await fake.settle()  # a lesson channel is not watched: nothing to allow, no grant made
        assert ix.content.startswith("In wiskunde-3b geldt de schooltijdregel niet")
        ix = await fake.slash("jansen", "toestemming geven", {"kanaal": "Sociaal", "minuten": 30})
        await fake.settle()
        assert ix.content == f"Toestemming gegeven: #4 <#{fake.channel_id('Sociaal')}> tot 10:45"
        assert (await post_and_see(fake, "bram", "algemeen", at(10, 40)))[0] == []

        ix = await fake.slash("jansen", "toestemming lijst", {})
        await fake.settle()
        assert ix.ephemeral
        assert (ix.content or "").splitlines() == [
            f"#1 {fake.mention('anna')} tot 11:05 (projectwerk)",
            f"#2 {fake.role_mention('Klas 1-2')} tot 10:25",
            f"#3 <#{gamen}> tot 16:00",
            f"#4 <#{fake.channel_id('Sociaal')}> tot 10:45",
        ]

        ix = await fake.autocomplete(
            "jansen", "toestemming intrekken", {"nummer": ""}, focused="nummer"
        )
        await fake.settle()
        assert ix.choices is not None
        assert [(c["name"], c["value"]) for c in ix.choices] == [
            ("#1 anna tot 11:05 (projectwerk)", 1),
            ("#2 @Klas 1-2 tot 10:25", 2),
            ("#3 #gamen tot 16:00", 3),
            ("#4 #Sociaal tot 10:45", 4),
        ]

        ix = await fake.slash("jansen", "toestemming intrekken", {"nummer": 1})
        await fake.settle()
        assert ix.ephemeral
        assert ix.content == (
            f"Ingetrokken / Revoked: #1 {fake.mention('anna')} tot 11:05 (projectwerk)"
        )
        [dm] = (await post_and_see(fake, "anna", "algemeen", at(10, 55)))[0]
        assert "Je mag weer vanaf 12:15." in embed_text(dm)
        ix = await fake.slash("jansen", "toestemming intrekken", {"nummer": 1})
        await fake.settle()
        assert ix.ephemeral and ix.content == (
            "Er is geen actieve toestemming met nummer 1. / There is no active permission #1."
        )

        # Stored and audited: who granted what to whom, and who revoked it.
        active = await SchoolTimeRepo(bot.app.db).active_grants(LESSON)
        assert [(g.id, g.scope, g.target_id) for g in active] == [
            (2, "role", fake.role_id("Klas 1-2")),
            (3, "channel", gamen),
            (4, "channel", fake.channel_id("Sociaal")),
        ]
        audit = await permission_audit(bot)
        jansen = fake.member_id("jansen")
        assert [(e.action, e.actor_id, e.subject_id, e.detail.get("grant")) for e in audit] == [
            ("permission.grant", jansen, fake.member_id("anna"), 1),
            ("permission.grant", jansen, fake.role_id("Klas 1-2"), 2),
            ("permission.grant", jansen, gamen, 3),
            ("permission.grant", jansen, fake.channel_id("Sociaal"), 4),
            ("permission.revoke", jansen, fake.member_id("anna"), 1),
        ]
        assert audit[0].detail["scope"] == "member"
        assert all("projectwerk" not in str(e.detail) for e in audit)  # codes, not text

        # After school there is nothing left to grant.
        set_clock(monkeypatch, bot, at(16, 30))
        ix = await fake.slash("jansen", "toestemming geven", {"leerling": "anna"})
        await fake.settle()
        assert ix.ephemeral and "geen schooltijd meer" in (ix.content or "")
        ix = await fake.slash("jansen", "toestemming lijst", {})
        await fake.settle()
        assert ix.content == (
            "Er is nu geen actieve toestemming. / There is no active permission now."
        )


async def test_only_teachers_may_use_toestemming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        set_clock(monkeypatch, bot, LESSON)
        for member in ("anna", "mod", "rector"):
            for command, options in (
                ("toestemming geven", {"leerling": member}),
                ("toestemming lijst", {}),
                ("toestemming intrekken", {"nummer": 1}),
            ):
                ix = await fake.slash(member, command, options)
                await fake.settle()
                assert callback_data(ix)["flags"] == 64, (member, command)
                refused = REFUSED_LIST if command == "toestemming lijst" else REFUSED
                assert ix.content == refused, (member, command)
            ix = await fake.autocomplete(
                member, "toestemming intrekken", {"nummer": ""}, focused="nummer"
            )
            await fake.settle()
            assert ix.choices == []
        assert await SchoolTimeRepo(bot.app.db).active_grants(LESSON) == []
        assert await permission_audit(bot) == []
        # anna's own "grant" did not happen: her post is still a breach.
        assert len((await post_and_see(fake, "anna", "algemeen", at(10, 20)))[0]) == 1


async def test_toestemming_geven_needs_exactly_one_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        set_clock(monkeypatch, bot, LESSON)
        for options in ({}, {"minuten": 20}, {"leerling": "anna", "klas": "Klas 1-2"}):
            ix = await fake.slash("jansen", "toestemming geven", options)
            await fake.settle()
            assert ix.ephemeral, options
            assert ix.content == (
                "Kies precies één: een leerling, een klas (rol) of een kanaal. / "
                "Pick exactly one: a student, a class (role) or a channel."
            )
        assert await SchoolTimeRepo(bot.app.db).active_grants(LESSON) == []


async def test_a_slash_grant_survives_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    lesson = LESSON
    clock = Clock(lesson)  # the restarted bot loads the grants that have not ended by then
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded, clock) as bot:
            set_clock(monkeypatch, bot, lesson)
            ix = await fake.slash("jansen", "toestemming geven", {"leerling": "anna"})
            await fake.settle()
            assert (ix.content or "").startswith("Toestemming gegeven: #1")
        async with running_compass(fake, loaded, clock):
            new, calls = await post_and_see(
                fake, "anna", "algemeen", lesson + timedelta(minutes=15)
            )
            assert new == [] and calls == []
            [dm] = (await post_and_see(fake, "anna", "algemeen", lesson + timedelta(minutes=50)))[0]
            assert "(11:05)" in embed_text(dm)  # the grant ended at 11:05


async def test_an_edit_in_lesson_time_counts_as_posting_then(tmp_path: Path) -> None:
    """Hold under faults #19.14: a post written in the lunch break and edited into something
    else during a lesson is posting in the lesson; an edit in the break is fine."""
    async with compass_bot(tmp_path) as (fake, bot):
        post = await fake.post("anna", "algemeen", "hoi", at=LUNCH)
        await fake.settle()
        assert warnings_to(fake, "anna") == []
        await fake.edit(post["id"], "hoi (bewerkt)", at=LUNCH + timedelta(minutes=5))
        await fake.settle()
        assert warnings_to(fake, "anna") == []
        await fake.edit(post["id"], "iets heel anders", at=LUNCH + timedelta(minutes=45))
        await fake.settle()
        assert len(warnings_to(fake, "anna")) == 1
        [alert] = await bot.app.alerts.repo.alerts()
        assert alert.message_id == int(post["id"]) and alert.excerpt == "iets heel anders"
        # A second edit within the repeat window raises the count, no second DM.
        await fake.edit(post["id"], "nog eens", at=LUNCH + timedelta(minutes=46))
        await fake.settle()
        assert len(warnings_to(fake, "anna")) == 1
        [alert] = await bot.app.alerts.repo.alerts()
        assert alert.count == 2


async def test_posts_made_while_the_bot_was_away_are_judged_once(tmp_path: Path) -> None:
    """#19.9: on start the bot reads the watched channels' history since the last post it
    saw; a recent breach gets its warning and alert, an old one only the alert, and nothing
    is judged twice (a further restart changes nothing)."""
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    clock = Clock(LESSON)
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded, clock):
            await fake.post("anna", "algemeen", "voor de crash", at=LUNCH - timedelta(days=1))
            await fake.settle()
        # The bot is away: a breach 40 minutes ago, one 3 minutes ago in a channel the bot
        # has not seen a post in yet, and a post in a channel the rule does not watch.
        await fake.post("bram", "algemeen", "lang geleden", at=LESSON - timedelta(minutes=40))
        await fake.post("anna", "memes", "net nog", at=LESSON - timedelta(minutes=3))
        await fake.post("anna", "huiswerk", "niet sociaal", at=LESSON - timedelta(minutes=2))
        async with running_compass(fake, loaded, clock) as bot:
            # The catch-up runs in the background after READY, channel by channel: wait for
            # it (a loaded machine may need more than two quiet moments of the fake).
            for _ in range(200):
                await fake.settle()
                alerts = await bot.app.alerts.repo.alerts()
                if len(alerts) >= 2 and warnings_to(fake, "anna"):  # the warning comes after
                    break
                await asyncio.sleep(0.05)
            assert sorted(a.excerpt or "" for a in alerts) == ["lang geleden", "net nog"]
            assert len(warnings_to(fake, "anna")) == 1  # recent: warned
            assert warnings_to(fake, "bram") == []  # 40 minutes late: alert only
        async with running_compass(fake, loaded, clock) as bot:
            await fake.settle()
            await fake.settle()
            assert len(await bot.app.alerts.repo.alerts()) == 2
            assert [a.count for a in await bot.app.alerts.repo.alerts()] == [1, 1]
            assert len(warnings_to(fake, "anna")) == 1


# -- #18: grants that start later, the students told, the teacher told of a cut ----------------


def notices_to(fake: FakeDiscord, member: str) -> list[str]:
    """The grant notices the bot DMed to a member (plain text, not a warning embed)."""
    return [
        m["content"] for m in fake.dms_sent(member) if "toestemming gegeven" in m.get("content", "")
    ]


def revoked_to(fake: FakeDiscord, member: str) -> list[str]:
    return [m["content"] for m in fake.dms_sent(member) if "ingetrokken" in m.get("content", "")]


async def test_a_reason_that_is_only_a_duration_is_the_duration(tmp_path: Path) -> None:
    """`reden: 20 min` without `minuten` gives 20 minutes (no reason stored), and the cut
    note says the 20 minutes asked; next to `minuten` it is refused."""
    async with compass_bot(tmp_path, config_text=NO_COOLDOWN) as (fake, bot):
        bot.app.clock.freeze(at(15, 45))
        ix = await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "reden": "20"})
        await fake.settle()
        assert ix.content == (
            f"Toestemming gegeven: #1 {fake.mention('anna')} tot 16:00. Ingekort tot 16:00, het "
            "einde van de schooldag (je vroeg 20 minuten). (Cut short to 16:00, the end of the "
            "school day: you asked for 20 minutes.)"
        )
        bot.app.clock.freeze(at(10, 15, day=25))
        ix = await fake.slash(
            "jansen", "toestemming geven", {"klas": "Klas 1-2", "reden": "20 min"}
        )
        await fake.settle()
        assert ix.content == f"Toestemming gegeven: #2 {fake.role_mention('Klas 1-2')} tot 10:35"
        ix = await fake.slash(
            "jansen", "toestemming geven", {"kanaal": "gamen", "minuten": 10, "reden": "1 uur"}
        )
        await fake.settle()
        assert ix.ephemeral and (ix.content or "").startswith("De reden '1 uur' is een duur")


async def test_a_grant_may_start_later_today_or_on_a_coming_school_day(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=NO_COOLDOWN) as (fake, bot):
        bot.app.clock.freeze(LESSON)  # Tuesday 10:15
        ix = await fake.slash(
            "jansen", "toestemming geven", {"leerling": "anna", "minuten": 30, "begint": "13:30"}
        )
        await fake.settle()
        assert ix.content == (
            f"Toestemming gegeven: #1 {fake.mention('anna')} vandaag van 13:30 tot 14:00"
        )
        assert len((await post_and_see(fake, "anna", "algemeen", at(10, 20)))[0]) == 1
        assert (await post_and_see(fake, "anna", "algemeen", at(13, 40)))[0] == []
        assert len((await post_and_see(fake, "anna", "algemeen", at(14, 0)))[0]) == 1

        ix = await fake.slash(
            "jansen", "toestemming geven", {"klas": "Klas 1-2", "begint": "donderdag 9:00"}
        )
        await fake.settle()
        assert ix.content == (
            f"Toestemming gegeven: #2 {fake.role_mention('Klas 1-2')} "
            "op donderdag 26-11 van 09:00 tot 09:50"
        )
        assert len((await post_and_see(fake, "bram", "memes", at(9, 10)))[0]) == 1  # not today
        assert (await post_and_see(fake, "bram", "memes", at(9, 10, day=26)))[0] == []
        grants = await SchoolTimeRepo(bot.app.db).active_grants(LESSON)
        assert [(g.starts_at, g.ends_at) for g in grants] == [
            (at(13, 30), at(14, 0)),
            (at(9, 0, day=26), at(9, 50, day=26)),
        ]
        [entry, _] = await permission_audit(bot)  # audited when given, with when it runs
        assert entry.at == LESSON and entry.detail["from"] == "2026-11-24T12:30:00.000000+00:00"

        for start, problem in (
            ("9:00", "24-11 09:00 is al voorbij. / 24-11 09:00 has already passed."),
            ("zaterdag 10:00", "Op 28-11 om 10:00 is er geen schooltijd"),
            ("2027-01-20 10:00", "tot 14 dagen vooruit"),
            ("straks", "Begintijd 'straks' begrijp ik niet"),
            ("31-02 10:00", "begrijp ik niet"),
        ):
            ix = await fake.slash(
                "jansen", "toestemming geven", {"leerling": "bram", "begint": start}
            )
            await fake.settle()
            assert ix.ephemeral and problem in (ix.content or ""), (start, ix.content)
        assert len(await SchoolTimeRepo(bot.app.db).active_grants(LESSON)) == 2


async def test_the_students_a_grant_covers_are_told_and_the_teacher_when_they_cannot_be(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.clock.freeze(LESSON)
        ix = await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "reden": "ziek"})
        await fake.settle()
        [dm] = notices_to(fake, "anna")
        assert dm.startswith("Je docent heeft je toestemming gegeven om sociale media te gebruiken")
        assert "tot 11:05 (toestemming #1)" in dm and "until 11:05" in dm
        assert "ziek" not in dm and "jansen" not in dm  # not why, not who asked

        ix = await fake.slash("jansen", "toestemming geven", {"leerling": "stil"})
        await fake.settle()
        assert notices_to(fake, "stil") == []
        [followup] = [m for m in fake.messages_sent(ephemeral=True) if "DM's dicht" in m["content"]]
        assert followup["content"].startswith(fake.mention("stil"))

        ix = await fake.slash("jansen", "toestemming geven", {"klas": "Klas 1-2", "minuten": 20})
        await fake.settle()
        assert ix.content is not None and ix.content.startswith("Toestemming gegeven: #3")
        assert [n for n in notices_to(fake, "bram") if "#3" in n]  # bram is in Klas 1-2
        assert len(notices_to(fake, "anna")) == 1  # anna is not

        ix = await fake.slash("jansen", "toestemming geven", {"kanaal": "gamen", "minuten": 20})
        await fake.settle()
        [line] = [m["content"] for m in fake.messages_sent(channel="gamen")]
        assert line.startswith("In dit kanaal mag sociale media met toestemming van de docent")
        assert "tot 10:35" in line


async def test_a_grant_to_staff_or_a_staff_role_is_refused_in_one_line(tmp_path: Path) -> None:
    """The school-time rule leaves staff alone: a grant to a teacher, a moderator or a staff
    role would mean nothing, so the service refuses it (as in the console); nobody is told."""
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.clock.freeze(LESSON)
        for options in ({"leerling": "jansen"}, {"leerling": "mod"}, {"klas": "Docent"}):
            ix = await fake.slash("jansen", "toestemming geven", {**options, "minuten": 10})
            await fake.settle()
            assert ix.ephemeral and (ix.content or "").startswith("Toestemming voor "), options
            assert "de schooltijdregel geldt niet voor personeel" in (ix.content or "")
        assert notices_to(fake, "jansen") == [] and notices_to(fake, "mod") == []
        assert await SchoolTimeRepo(bot.app.db).active_grants(LESSON) == []


async def test_the_teacher_hears_once_when_the_end_of_the_school_day_cut_a_grant_short(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        cog = bot.get_cog("PermissionGrants")
        assert cog is not None
        bot.app.clock.freeze(at(15, 30))
        ix = await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "minuten": 60})
        await fake.settle()
        assert "Ingekort tot 16:00, het einde van de schooldag (je vroeg 60 minuten)" in (
            ix.content or ""
        )
        await fake.slash("jansen", "toestemming geven", {"leerling": "bram", "minuten": 10})
        await fake.settle()

        def told() -> list[str]:
            return [m["content"] for m in fake.dms_sent("jansen") if "gestopt" in m["content"]]

        await cog.tell_cut_grants()  # type: ignore[attr-defined]
        assert told() == []  # not ended yet
        bot.app.clock.freeze(at(16, 1))
        await cog.tell_cut_grants()  # type: ignore[attr-defined]
        await cog.tell_cut_grants()  # type: ignore[attr-defined]
        await fake.settle()
        assert told() == [
            "Je toestemming #1 voor anna is om 16:00 gestopt: einde van de schooldag. Nog nodig "
            "op een volgende schooldag? Geef een nieuwe met een begintijd (bijvoorbeeld: "
            "morgen 8:30).\nYour permission #1 for anna stopped at 16:00: the end of the school "
            "day. Still needed on a coming school day? Give a new one with a start time (e.g. "
            "tomorrow 8:30)."
        ]  # once, and only for the grant that was cut (bram's ended at 15:40 as asked)


async def test_a_cut_grant_that_ended_while_the_bot_was_down_is_told_after_the_restart(
    tmp_path: Path,
) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG)
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded, Clock(at(15, 30))) as bot:
            bot.app.clock.freeze(at(15, 30))
            await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "minuten": 60})
            await fake.settle()
        async with running_compass(fake, loaded, Clock(at(16, 5))) as bot:
            bot.app.clock.freeze(at(16, 5))

            def told() -> list[str]:
                return [m["content"] for m in fake.dms_sent("jansen") if "gestopt" in m["content"]]

            async def marked() -> bool:  # the DM goes out before its mark is written
                [row] = await bot.app.db.fetchall("SELECT end_told_at FROM permission_grants")
                return row["end_told_at"] is not None

            deadline = asyncio.get_running_loop().time() + 10
            while not (told() and await marked()) and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            assert len(told()) == 1 and told()[0].startswith("Je toestemming #1 voor anna")
            [row] = await bot.app.db.fetchall("SELECT end_told_at FROM permission_grants")
            assert row["end_told_at"] is not None


async def test_a_role_too_big_to_be_a_class_gets_no_dms_and_the_teacher_hears_it(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        cog = bot.get_cog("PermissionGrants")
        assert cog is not None
        sys.modules[type(cog).__module__].ROLE_NOTICE_LIMIT = 2  # Leerling: anna, bram, stil
        bot.app.clock.freeze(LESSON)
        await fake.slash("jansen", "toestemming geven", {"klas": "Leerling", "minuten": 20})
        await fake.settle()
        assert [notices_to(fake, m) for m in ("anna", "bram", "stil")] == [[], [], []]
        [said] = [
            m["content"] for m in fake.messages_sent(ephemeral=True) if "geen klas" in m["content"]
        ]
        assert said.startswith(f"{fake.role_mention('Leerling')} heeft 3 leden")

        sys.modules[type(cog).__module__].ROLE_NOTICE_LIMIT = 60
        await fake.slash("jansen", "toestemming geven", {"klas": "Leerling", "minuten": 20})
        await fake.settle()  # refused: Leerling already has a grant now
        await fake.slash("jansen", "toestemming intrekken", {"nummer": 1})
        await fake.settle()
        await fake.slash("jansen", "toestemming geven", {"klas": "Leerling", "minuten": 20})
        await fake.settle()
        assert [len(notices_to(fake, m)) for m in ("anna", "bram", "stil")] == [1, 1, 0]
        closed = [
            m["content"] for m in fake.messages_sent(ephemeral=True) if "van de 3" in m["content"]
        ]
        assert len(closed) == 2  # the revoke and the new grant: stil has DMs closed
        assert all(c.startswith("1 van de 3 leden") for c in closed)


async def test_those_a_revoked_grant_covered_hear_it_is_gone(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        bot.app.clock.freeze(LESSON)
        await fake.slash("jansen", "toestemming geven", {"leerling": "anna", "begint": "13:30"})
        await fake.slash("jansen", "toestemming geven", {"klas": "Klas 1-2", "minuten": 20})
        await fake.slash("jansen", "toestemming geven", {"kanaal": "gamen", "minuten": 20})
        await fake.settle()
        assert revoked_to(fake, "anna") == revoked_to(fake, "bram") == []
        for number in (1, 2, 3):
            await fake.slash("jansen", "toestemming intrekken", {"nummer": number})
            await fake.settle()
        [anna] = revoked_to(fake, "anna")
        assert anna.startswith("Je docent heeft je toestemming #1 voor sociale media ingetrokken")
        assert "Your teacher has revoked your permission #1" in anna
        assert [n[:30] for n in revoked_to(fake, "bram")] == ["Je docent heeft je toestemming"]
        last = fake.messages_sent(channel="gamen")[-1]["content"]
        assert last.startswith("De toestemming voor sociale media in dit kanaal is ingetrokken.")


async def test_a_grant_to_everyone_is_refused_with_the_way_to_give_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members' roles never list @everyone, so such a grant would cover nobody while the
    teacher read "given": refused, pointing at a channel grant."""
    async with compass_bot(tmp_path, config_text=NO_COOLDOWN) as (fake, bot):
        set_clock(monkeypatch, bot, LESSON)
        ix = await fake.slash("jansen", "toestemming geven", {"klas": "@everyone"})
        await fake.settle()
        assert ix.ephemeral and "@everyone is iedereen" in (ix.content or "")
        ix = await fake.slash("jansen", "toestemming lijst", {})
        await fake.settle()
        assert "@everyone" not in (ix.content or "") and "#1" not in (ix.content or "")
