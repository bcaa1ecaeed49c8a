"""The account-name rule (aanwijzing-2) through the real bot and the fake Discord.

Checks on join and on every change of username, display name or nickname; the moderators'
alert and the member's DM; the optional nickname reset; the leadership's approvals
(/naam goedkeuren, lijst, intrekken, the "Naam goedkeuren" button); and /naamcontrole over a
server of 10,000 members without blocking the bot.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from compass_bot.features.names import texts as name_texts
from compass_bot.features.names.repo import NameRepo
from compass_bot.features.names.service import FlaggedName, NameService, NamesSeen
from compass_bot.registry import action
from tests.conftest import TEST_CONFIG
from tests.discord_env import SCHOOL, compass_bot
from tests.fakediscord import BotSpec, FakeDiscord, MemberSpec, Perm, RoleSpec, make_members

MOD_CHANNEL = "mod-meldingen"
CLAUSE_TEXT = (
    "Als je accounts of aliasen aanmaakt, is het zonder toestemming van de schoolleiding, niet "
    "toegestaan de Compass op enigerlei wijze onderdeel te laten uitmaken van die accountnaam "
    "of alias."
)
CLAUSE_TEXT_EN = (
    "When you create accounts or aliases, you may not, without permission from the school "
    "leadership, make Compass in any way part of that account name or alias."
)
RESET_CONFIG = TEST_CONFIG + "names:\n  reset_nickname: true\n"


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """label -> custom_id of the buttons under a message."""
    return {
        item["label"]: item["custom_id"]
        for row in message.get("components") or []
        for item in row.get("components") or []
    }


def unescape(text: str) -> str:
    """What a moderator reads: Discord's markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def alerts(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The alerts in the moderators' channel (not ephemeral replies to buttons there)."""
    return fake.messages_sent(channel=MOD_CHANNEL, ephemeral=False)


def public_posts(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The bot's messages in guild channels other than the moderators' channel."""
    guild_channels = {fake.channel_id(c.name) for c in SCHOOL.channels}
    guild_channels.discard(fake.channel_id(MOD_CHANNEL))
    return [
        m for m in fake.messages_sent(ephemeral=False) if int(m["channel_id"]) in guild_channels
    ]


def assert_name_dm(fake: FakeDiscord, member: str, field: str, name: str) -> None:
    """One DM: the name, the field, aanwijzing-2 verbatim, how to ask permission, no pings."""
    [dm] = fake.dms_sent(member)
    [embed] = dm["embeds"]
    assert f'Je {field} "{name}"' in embed["description"]
    f = fields(embed)
    clause_field = next(k for k in f if "Compass niet in je accountnaam" in k)
    assert f[clause_field] == CLAUSE_TEXT
    assert name_texts.NAME_HOW_TO_ASK in f.values()
    assert "toestemming aan de schoolleiding" in name_texts.NAME_HOW_TO_ASK
    assert f["English"].splitlines()[1:] == [f"> {CLAUSE_TEXT_EN}", name_texts.NAME_HOW_TO_ASK_EN]
    assert embed["footer"]["text"].endswith("aanwijzing-2")
    assert fake.body_of(dm["id"])["allowed_mentions"] == {"parse": []}


# -- checks on join and on every change -----------------------------------------------------------


async def test_join_with_compass_username_alerts_moderators_and_dms_the_member(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_join(MemberSpec("c0mpass_fan", roles=["Leerling"]))
        await fake.settle()
        [alert] = alerts(fake)
        [embed] = alert["embeds"]
        f = fields(embed)
        member_id = fake.member_id("c0mpass_fan")
        assert f"<@{member_id}>" in f["Lid"] and f"id {member_id}" in f["Lid"]
        assert "aanwijzing-2" in f["Regel"]
        assert unescape(f["Naam (gebruikersnaam)"]) == "c0mpass_fan"
        assert f["Gevonden"] == "**c0mpass**"  # the matched part, highlighted
        assert set(buttons(alert)) == {
            "Afgehandeld",
            "Onterecht",
            "Notitie / Note",
            "Naam goedkeuren",
        }
        assert fake.body_of(alert["id"])["allowed_mentions"] == {"parse": []}
        assert_name_dm(fake, "c0mpass_fan", "gebruikersnaam", "c0mpass_fan")
        assert public_posts(fake) == []


async def test_the_name_dm_is_dutch_then_english_as_every_dm_to_a_student(
    tmp_path: Path,
) -> None:
    """The Dutch part (aanwijzing-2 quoted verbatim), then the English part with the clause's
    English text, as the school-time and personal-data warnings have."""
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.settle()
        [dm] = fake.dms_sent("anna")
        [embed] = dm["embeds"]
        assert embed["description"].startswith('Hoi! Je bijnaam "C0mpass" bevat de naam Compass.')
        f = fields(embed)
        assert CLAUSE_TEXT in f.values() and name_texts.NAME_HOW_TO_ASK in f.values()
        assert list(f)[-1] == "English"  # Dutch first, English after
        assert f["English"] == "\n".join(
            (
                'English: your nickname "C0mpass" contains the name Compass. The social media '
                "protocol says (aanwijzing 2):",
                f"> {CLAUSE_TEXT_EN}",
                "Do you still want to use this name? Then ask the school leadership for "
                "permission; until then we ask you to choose another name.",
            )
        )


async def test_join_is_not_checked_when_check_on_join_is_off(tmp_path: Path) -> None:
    config = TEST_CONFIG + "names:\n  check_on_join: false\n"
    async with compass_bot(tmp_path, config_text=config) as (fake, _bot):
        await fake.member_join(MemberSpec("compass_kid"))
        assert await fake.settle() == []


async def test_nickname_change_is_flagged_with_the_field_named(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("anna", nick="Team C.o.m.p.a.s.s")
        await fake.settle()
        [alert] = alerts(fake)
        f = fields(alert["embeds"][0])
        assert unescape(f["Naam (bijnaam)"]) == "Team C.o.m.p.a.s.s"
        assert unescape(f["Gevonden"]) == "**C.o.m.p.a.s.s**"
        assert "spaties of tekens tussen de letters" in f["Reden"]
        assert_name_dm(fake, "anna", "bijnaam", "Team C.o.m.p.a.s.s")


async def test_username_change_arrives_as_user_update_and_makes_one_alert(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", username="bram_compass")
        await fake.settle()
        [alert] = alerts(fake)
        f = fields(alert["embeds"][0])
        assert unescape(f["Naam (gebruikersnaam)"]) == "bram_compass"
        assert f["Aantal keer"] == "1"
        assert_name_dm(fake, "bram", "gebruikersnaam", "bram_compass")


async def test_display_name_and_nickname_changed_together_count_once(tmp_path: Path) -> None:
    # One GUILD_MEMBER_UPDATE fires on_user_update and on_member_update: one check, not two.
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", global_name="Ｃｏｍｐａｓｓ", nick="C0mpass")
        await fake.settle()
        [alert] = alerts(fake)
        f = fields(alert["embeds"][0])
        assert f["Aantal keer"] == "1"
        assert unescape(f["Naam (weergavenaam)"]) == "Ｃｏｍｐａｓｓ"
        assert "bijnaam: “C0mpass”" in unescape(f["Reden"])
        assert len(fake.dms_sent("bram")) == 1


async def test_unrelated_member_updates_check_nothing(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        await fake.add_role("anna", "Klas 1-2")  # a role change is not a name change
        await fake.member_update("anna", avatar="abc123")
        assert await fake.settle() == []
        [alert] = alerts(fake)
        assert fields(alert["embeds"][0])["Aantal keer"] == "1"


async def test_innocent_names_trigger_nothing(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_join(MemberSpec("compassion_queen", global_name="Campus"))
        await fake.member_update("anna", nick="encompass")
        await fake.member_update("bram", global_name="compassion_queen", username="campus")
        assert await fake.settle() == []
        assert alerts(fake) == [] and fake.dms_sent("anna") == []


async def test_other_bots_and_the_bot_itself_are_not_checked(tmp_path: Path) -> None:
    # The bot's own username is "Compass"; a bot is no pupil's account.
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_join(MemberSpec("CompassHelper", bot=True))
        await fake.member_update("Compass", nick="Compass Bot")
        assert await fake.settle() == []


async def test_member_with_closed_dms_still_gives_an_alert_and_nothing_public(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("stil", nick="Compass")
        await fake.settle()  # running_bot raises if a listener crashed
        dm_posts = fake.find_calls("POST", f"/channels/{fake.dm_channel_id('stil')}/messages")
        assert [c.status for c in dm_posts] == [403]
        [alert] = alerts(fake)
        assert unescape(fields(alert["embeds"][0])["Naam (bijnaam)"]) == "Compass"
        assert public_posts(fake) == []


async def test_a_phone_number_or_email_in_a_name_reaches_the_moderators_masked(
    tmp_path: Path,
) -> None:
    """Other people's data in a name is masked in the alert (the name, the reason, the
    username it is labelled with), as in a post's excerpt; the rest of the name stays."""
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update(
            "anna", username="compass.0612345678", global_name="compass anna@gmail.com"
        )
        await fake.settle()
        await fake.member_update("anna", nick="Compass 06-12345678")
        await fake.settle()
        [alert] = alerts(fake)
        [embed] = fake.message(alert["id"])["embeds"]
        f = fields(embed)
        shown = unescape(" ".join(f.values()))
        assert "12345678" not in shown and "anna@gmail.com" not in shown, shown
        assert unescape(f["Naam (gebruikersnaam)"]) == "compass.[telefoonnummer verborgen]"
        reason = unescape(f["Reden"])
        assert "weergavenaam: “compass [e-mailadres verborgen]”" in reason
        assert "bijnaam: “Compass [telefoonnummer verborgen]”" in reason
        assert "compass.[telefoonnummer verborgen]" in unescape(f["Lid"])
        [stored] = await bot.app.alerts.repo.alerts()
        kept = f"{stored.excerpt} {stored.matched} {stored.detail} {stored.member_label}"
        assert "12345678" not in kept and "anna@gmail.com" not in kept


async def test_everyone_in_a_nickname_is_shown_without_pinging(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("anna", nick="@everyone Compass")
        await fake.settle()
        [alert] = alerts(fake)
        body = fake.body_of(alert["id"])
        assert body["allowed_mentions"] == {"parse": []}
        shown = fields(alert["embeds"][0])["Naam (bijnaam)"]
        assert "@everyone" not in shown and "everyone" in shown
        [dm] = fake.dms_sent("anna")
        assert fake.body_of(dm["id"])["allowed_mentions"] == {"parse": []}
        for call in fake.find_calls("POST", "/channels/*/messages"):
            assert call.json["allowed_mentions"] == {"parse": []}


# -- resetting the nickname ------------------------------------------------------------------------


async def test_reset_nickname_patches_the_member_when_the_bot_may(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=RESET_CONFIG) as (fake, bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.settle()
        anna = fake.member_id("anna")
        [patch] = fake.find_calls("PATCH", f"/guilds/{fake.guild_id}/members/{anna}")
        assert patch.json == {"nick": None} and patch.status == 200
        assert patch.reason is not None and "aanwijzing 2" in patch.reason
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.get_member(anna).nick is None  # type: ignore[union-attr]
        assert len(alerts(fake)) == 1 and len(fake.dms_sent("anna")) == 1


async def test_reset_nickname_leaves_other_names_alone(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=RESET_CONFIG) as (fake, _bot):
        await fake.member_update("anna", global_name="C0mpass")  # not a server nickname
        await fake.settle()
        assert fake.find_calls("PATCH", "/guilds/*/members/*") == []
        assert len(alerts(fake)) == 1


async def test_reset_nickname_of_a_member_above_the_bot_is_logged_not_tried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The bot's role sits just above Moderator, below Schoolleiding.
    school = replace(SCHOOL, bot=BotSpec(role_position=5))
    caplog.set_level(logging.INFO, logger="compass_bot")
    async with compass_bot(tmp_path, school, RESET_CONFIG) as (fake, _bot):
        await fake.member_update("rector", nick="Rector Compass")
        await fake.settle()
        assert fake.find_calls("PATCH", "/guilds/*/members/*") == []
        assert len(alerts(fake)) == 1
        rector = fake.member_id("rector")
        assert any(
            f"cannot reset the nickname of {rector}" in r.getMessage() for r in caplog.records
        )


async def test_reset_nickname_without_manage_nicknames_is_logged_not_tried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    school = replace(SCHOOL, bot=BotSpec(permissions=Perm.BOT_DEFAULT & ~Perm.MANAGE_NICKNAMES))
    caplog.set_level(logging.INFO, logger="compass_bot")
    async with compass_bot(tmp_path, school, RESET_CONFIG) as (fake, _bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.settle()
        assert fake.find_calls("PATCH", "/guilds/*/members/*") == []
        assert len(alerts(fake)) == 1
        assert any("Manage Nicknames" in r.getMessage() for r in caplog.records)


async def test_without_manage_nicknames_it_is_logged_once_per_server_until_it_is_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Every flagged member would fail alike: one line for the server, not one per member;
    each still gets the DM and the moderators the alert. Given back, then taken away again:
    said again."""
    school = replace(
        SCHOOL,
        roles=[*SCHOOL.roles, RoleSpec("Namen", permissions=Perm.MANAGE_NICKNAMES)],
        members=[*SCHOOL.members, MemberSpec("daan", roles=["Leerling"])],
        bot=BotSpec(permissions=Perm.BOT_DEFAULT & ~Perm.MANAGE_NICKNAMES),
    )
    caplog.set_level(logging.INFO, logger="compass_bot")

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if "Manage Nicknames" in r.getMessage()]

    async with compass_bot(tmp_path, school, RESET_CONFIG) as (fake, _bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.member_update("bram", nick="Compass Bram")
        await fake.settle()
        assert fake.find_calls("PATCH", "/guilds/*/members/*") == []
        assert len(fake.dms_sent("anna")) == 1 and len(fake.dms_sent("bram")) == 1
        assert len(alerts(fake)) == 2
        [line] = said()
        assert "Compass" in line  # the server's name

        await fake.add_role(fake.bot_user_id, "Namen")
        await fake.member_update("stil", nick="Stil Compass")
        await fake.settle()
        stil = fake.member_id("stil")
        assert fake.find_calls("PATCH", f"/guilds/*/members/{stil}")
        await fake.remove_role(fake.bot_user_id, "Namen")
        await fake.member_update("daan", nick="Compass Daan")
        await fake.settle()
        assert len(said()) == 2


# -- approvals ----------------------------------------------------------------------------------


async def test_rector_approves_current_names_then_only_a_new_breach_is_flagged(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        [first] = alerts(fake)
        before = bot.app.clock.now()
        ix = await fake.slash("rector", "naam goedkeuren", {"lid": "anna"})
        await fake.settle()
        after = bot.app.clock.now()
        assert ix.ephemeral
        assert "Compass Anna" in (ix.content or "") and fake.mention("anna") in (ix.content or "")
        anna, rector = fake.member_id("anna"), fake.member_id("rector")
        approved = await NameRepo(bot.app.db).approved_names(anna)
        assert {a.name for a in approved} == {"Compass Anna"}  # a clean name needs no approval
        assert all(a.approved_by == rector for a in approved)
        [entry] = [e for e in await bot.app.db.audit_entries() if e.action == "name.approve"]
        assert entry.actor_id == rector and entry.subject_id == anna
        assert before - timedelta(seconds=1) <= entry.at <= after + timedelta(seconds=1)
        # the open alert about the approved name is resolved (and its message edited)
        [shown] = alerts(fake)
        assert shown["id"] == first["id"]
        assert fields(shown["embeds"][0])["Status"].startswith("Afgehandeld")
        assert "Naam goedkeuren" not in buttons(shown)

        # the approved name itself: never flagged again
        await fake.member_update("anna", nick="anna")
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        assert len(alerts(fake)) == 1
        # the name warning, then the approval; no new warning
        assert [d.get("content") for d in fake.dms_sent("anna")][1:] == [name_texts.APPROVED_DM]

        # another name that breaks the rule: flagged again
        await fake.member_update("anna", global_name="C0mpass")
        await fake.settle()
        first_again, second = alerts(fake)
        assert fields(first_again["embeds"][0])["Status"].startswith("Afgehandeld")
        f = fields(second["embeds"][0])
        assert unescape(f["Naam (weergavenaam)"]) == "C0mpass"
        assert "Compass Anna" not in unescape(f["Reden"])
        # the name warning, the approval, the new warning
        assert len(fake.dms_sent("anna")) == 3
        assert fake.dms_sent("anna")[1]["content"] == name_texts.APPROVED_DM
        assert 'Je weergavenaam "C0mpass"' in fake.dms_sent("anna")[2]["embeds"][0]["description"]


@pytest.mark.parametrize("who", ["mod", "jansen", "anna"])
async def test_only_leadership_may_approve(tmp_path: Path, who: str) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        ix = await fake.slash(who, "naam goedkeuren", {"lid": "anna"})
        await fake.settle()
        assert ix.callback_type == 4 and ix.data["flags"] & 64
        assert ix.content == action("approve_names").refused
        assert await NameRepo(bot.app.db).approved_names() == []
        await fake.member_update("anna", nick="Compass Anna!")
        await fake.settle()
        [alert] = alerts(fake)
        assert fields(alert["embeds"][0])["Aantal keer"] == "2"  # still flagged


async def test_naam_lijst_and_intrekken(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("anna", nick="Compass_Anna*")
        await fake.settle()
        await fake.slash("rector", "naam goedkeuren", {"lid": "anna"})
        await fake.settle()
        listed = await fake.slash("rector", "naam lijst")
        await fake.settle()
        assert listed.ephemeral
        content = listed.content or ""
        anna = fake.mention("anna")
        rector = fake.mention("rector")
        # exactly as it is (no stray backslashes), who approved it and when
        assert re.search(
            rf"^{anna}: `Compass_Anna\*` · door {rector} op \d\d-\d\d-\d{{4}} \d\d:\d\d$",
            content,
            re.M,
        ), content
        refused = await fake.slash("anna", "naam lijst")
        await fake.settle()
        assert refused.ephemeral and refused.content == action("list_names").refused

        no = await fake.slash("mod", "naam intrekken", {"lid": "anna"})
        await fake.settle()
        assert no.ephemeral and no.content == action("revoke_names").refused
        # the name with Compass; the clean ones need none
        assert len(await NameRepo(bot.app.db).approved_names()) == 1

        revoked = await fake.slash("rector", "naam intrekken", {"lid": "anna"})
        await fake.settle()
        assert revoked.ephemeral
        assert revoked.content == f"1 goedkeuring van {anna} ingetrokken."
        assert await NameRepo(bot.app.db).approved_names() == []
        audit = [e.action for e in await bot.app.db.audit_entries()]
        assert "name.revoke" in audit
        # without the approval the nickname breaks the rule again: a new alert and DM
        second = alerts(fake)[-1]
        assert len(alerts(fake)) == 2
        assert fields(second["embeds"][0])["Status"] == "Open"
        # warning, approval, the revocation, warning again: told in that order
        told = [d.get("content") or "" for d in fake.dms_sent("anna")]
        assert len(told) == 4 and told[1:3] == [name_texts.APPROVED_DM, name_texts.REVOKED_DM]

        empty = await fake.slash("rector", "naam lijst")
        await fake.settle()
        assert empty.content == "Geen goedgekeurde namen. / No approved names."


async def test_approve_button_works_for_leadership_only(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        [alert] = alerts(fake)
        refused = await fake.click("mod", alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert refused.ephemeral and refused.content == action("approve_names").refused
        assert await NameRepo(bot.app.db).approved_names() == []
        clicked = await fake.click("rector", alert["id"], label="Naam goedkeuren")
        await fake.settle()
        assert clicked.callback_type == 7
        [shown] = alerts(fake)
        assert fields(shown["embeds"][0])["Status"].startswith("Afgehandeld")
        bram = fake.member_id("bram")
        assert "C0mpass" in {a.name for a in await NameRepo(bot.app.db).approved_names(bram)}
        await fake.member_update("bram", nick="bram")
        await fake.member_update("bram", nick="C0mpass")
        await fake.settle()
        assert len(alerts(fake)) == 1
        # the warning, then the approval
        assert [d.get("content") for d in fake.dms_sent("bram")][1:] == [name_texts.APPROVED_DM]


# -- /naamcontrole -----------------------------------------------------------------------------------

SUSPECTS = [
    MemberSpec("c0mpass_crew", roles=["Leerling"]),
    MemberSpec("leerling_a", roles=["Leerling"], nick="Compass FC"),
    MemberSpec("leerling_b", roles=["Leerling"], global_name="Ｃｏｍｐａｓｓ"),
    MemberSpec("leerling_c", roles=["Leerling"], nick="@everyone compass"),
    MemberSpec("leerling_d", roles=["Leerling"], global_name="Cоmpass", dms_open=False),
    MemberSpec("compassion_queen", roles=["Leerling"], global_name="Campus"),
]
BIG = replace(
    SCHOOL, members=[*SCHOOL.members, *make_members(10_000, roles=["Leerling"]), *SUSPECTS]
)
HUMANS = len(SCHOOL.members) + 10_000 + len(SUSPECTS) + 1  # + the owner "eigenaar"


async def test_naamcontrole_sweeps_10000_members_with_progress_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    async with compass_bot(tmp_path, BIG) as (fake, bot):
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None and guild.chunked and guild.member_count == HUMANS + 1
        dm_path = f"/channels/{fake.dm_channel_id('anna')}/messages"
        checked = 0  # members checked so far
        answered_after: list[int] = []  # members checked when anna's answer had gone out

        # A slow machine: every member's check costs 0.5 ms of CPU until anna's question is
        # answered. A sweep that keeps the loop to itself between progress edits (about 2,000
        # members) would answer only at the next edit.
        real_check = bot.app[NameService].check_names

        def slow_check(event: NamesSeen) -> tuple[list[FlaggedName], list[FlaggedName]]:
            nonlocal checked
            checked += 1
            if not answered_after:
                if any(c.method == "POST" and c.path == dm_path for c in fake.calls[asked_at:]):
                    answered_after.append(checked)
                else:
                    deadline = time.perf_counter() + 0.0005
                    while time.perf_counter() < deadline:
                        pass
            return real_check(event)

        asked_at = len(fake.calls)
        monkeypatch.setattr(bot.app[NameService], "check_names", slow_check)
        ix = await fake.slash("mod", "naamcontrole", channel="algemeen")
        await fake.wait_for_call("PATCH", "/webhooks/*/messages/@original")  # first progress
        asked_at = len(fake.calls)
        await fake.dm("anna", "mag ik in de les op tiktok?")
        asked_after = checked
        await fake.settle(timeout=30)
        assert answered_after, "the question was answered only after the sweep"
        assert answered_after[0] - asked_after < 500

        answer = next(
            i for i, c in enumerate(fake.calls) if c.method == "POST" and c.path == dm_path
        )
        edits = [
            (i, c)
            for i, c in enumerate(fake.calls)
            if c.method == "PATCH" and c.path.endswith("/messages/@original")
        ]
        # the question was answered while the sweep still ran: progress came after it
        assert asked_at <= answer < edits[-2][0]
        assert fake.dms_sent("anna")[0]["embeds"]  # an answer quoting a clause

        # the first reply, the progress edits, the final count
        assert ix.callback_type == 4 and ix.ephemeral
        assert (ix.callback or {})["data"]["content"] == (
            f"Naamcontrole gestart: {HUMANS} leden… / Name check started: {HUMANS} members…"
        )
        progress = [c.json["content"] for _, c in edits[:-1]]
        assert len(progress) >= 3
        counts = [int(m.group(1)) for m in (re.search(r": (\d+)/", p) for p in progress) if m]
        assert len(counts) == len(progress)
        assert counts == sorted(counts) and counts[-1] < HUMANS
        assert all(
            re.fullmatch(
                rf"Naamcontrole: (\d+)/{HUMANS} leden, (\d+) gevonden… / "
                rf"Name check: \1/{HUMANS} members, \2 found…",
                p,
            )
            for p in progress
        ), progress
        final = edits[-1][1].json["content"]
        assert final == (
            f"Naamcontrole klaar: {HUMANS} leden gecontroleerd, 5 met een naam om te bekijken. / "
            f"Name check done: {HUMANS} members checked, 5 with a name to look at."
        )
        assert ix.content == final

        # the handful: one alert each, a DM where DMs are open, nothing public
        shown = {
            unescape(v)
            for a in alerts(fake)
            for k, v in fields(a["embeds"][0]).items()
            if k.startswith("Naam (")
        }
        assert shown == {
            "c0mpass_crew",
            "Compass FC",
            "Ｃｏｍｐａｓｓ",
            "@\u200beveryone compass",
            "Cоmpass",
        }
        for body in (fake.body_of(a["id"]) for a in alerts(fake)):
            assert body["allowed_mentions"] == {"parse": []}
        for name in ("c0mpass_crew", "leerling_a", "leerling_b", "leerling_c"):
            assert len(fake.dms_sent(name)) == 1
        assert fake.dms_sent("compassion_queen") == [] and fake.dms_sent("leerling_d") == []
        assert public_posts(fake) == []
    assert time.monotonic() - started < 25


async def test_naamcontrole_is_for_moderators_and_leadership(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", nick="Compass")
        await fake.settle()
        refused = await fake.slash("anna", "naamcontrole")
        await fake.settle()
        assert refused.ephemeral and refused.content is not None
        assert "moderatoren" in refused.content
        ix = await fake.slash("rector", "naamcontrole")
        await fake.settle()
        assert ix.ephemeral
        humans = len(SCHOOL.members) + 1
        assert ix.content == (
            f"Naamcontrole klaar: {humans} leden gecontroleerd, 1 met een naam om te bekijken. / "
            f"Name check done: {humans} members checked, 1 with a name to look at."
        )
        # bram's alert was already open about the same name: no new count, no second DM
        [alert] = alerts(fake)
        assert fields(fake.message(alert["id"])["embeds"][0])["Aantal keer"] == "1"
        assert len(fake.dms_sent("bram")) == 1


async def test_a_sweep_does_not_count_a_flagged_unchanged_name_again(tmp_path: Path) -> None:
    """Three sweeps over a member whose flagged name did not change: one alert, counted once,
    never edited, one DM, one flag in the digest; a changed name is counted by the next."""
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("anna", nick="C0mpass")
        await fake.settle()
        [alert] = alerts(fake)
        edits_before = len(fake.find_calls("PATCH", f"/channels/*/messages/{alert['id']}"))
        for _ in range(3):
            ix = await fake.slash("mod", "naamcontrole")
            await fake.settle()
            assert (ix.content or "").endswith(
                "1 met een naam om te bekijken. / Name check done: 7 members checked, 1 with a "
                "name to look at."
            )
        assert len(fake.find_calls("PATCH", f"/channels/*/messages/{alert['id']}")) == edits_before
        assert fields(fake.message(alert["id"])["embeds"][0])["Aantal keer"] == "1"
        assert len(fake.dms_sent("anna")) == 1
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.count == 1
        # a name changed while nobody saw it (the bot was down): the sweep counts it
        cog = bot.get_cog("Names")
        assert cog is not None
        cog._checked.clear()  # type: ignore[attr-defined]
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None
        member = guild.get_member(fake.member_id("anna"))
        assert member is not None
        member.nick = "C0mpass 2"  # type: ignore[misc]
        await fake.slash("mod", "naamcontrole")
        await fake.settle()
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.count == 2 and len(fake.dms_sent("anna")) == 1


async def test_a_second_naamcontrole_while_one_runs_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        gate = asyncio.Event()
        cog = bot.get_cog("Names")
        assert cog is not None
        real_check = cog.check  # type: ignore[attr-defined]

        async def held_check(member: Any) -> Any:
            await gate.wait()
            return await real_check(member)

        monkeypatch.setattr(cog, "check", held_check)
        await fake.member_update("bram", nick="Compass")  # held at the gate
        first = await fake.slash("mod", "naamcontrole")
        await fake.wait_for_call("POST", f"/interactions/{first.id}/*/callback")
        second = await fake.slash("rector", "naamcontrole")
        await fake.wait_for_call("POST", f"/interactions/{second.id}/*/callback")
        assert second.ephemeral and second.content == (
            "Er loopt al een naamcontrole. / A name check is already running."
        )
        gate.set()
        await fake.settle()
        assert (first.content or "").startswith("Naamcontrole klaar")
        third = await fake.slash("rector", "naamcontrole")  # the flag is down again
        await fake.settle()
        assert (third.content or "").startswith("Naamcontrole klaar")


async def test_naam_subcommands_say_what_they_do_in_dutch_and_english(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        [sync] = fake.find_calls("PUT", "/applications/*/guilds/*/commands")
        [naam] = [c for c in sync.json if c["name"] == "naam"]
        subs = {o["name"]: o for o in naam["options"]}
        assert set(subs) == {"goedkeuren", "lijst", "intrekken"}
        descriptions = {o["description"] for o in subs.values()}
        assert len(descriptions) == 3  # not the group's description three times
        approve = subs["goedkeuren"]
        assert "precies zoals ze zijn" in approve["description"]
        assert approve["name_localizations"]["en-US"] == "approve"
        assert "exactly as they are" in approve["description_localizations"]["en-US"]
        [lid] = approve["options"]
        assert lid["type"] == 6 and lid["required"] and lid["description"] == "Het lid"
        assert subs["intrekken"]["description_localizations"]["en-GB"].startswith("Revoke")


async def test_a_name_alert_settles_by_itself_when_the_member_fixes_the_name(
    tmp_path: Path,
) -> None:
    """No moderator needed: the member drops "Compass" from the nickname, the alert reads
    "opgelost: naam aangepast", loses its buttons, and a new breach starts a new alert."""
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        [first] = alerts(fake)
        await fake.member_update("anna", nick="Anna")
        await fake.settle()
        for _ in range(100):  # the outbox edits the message in the background
            shown = fields(fake.message(first["id"])["embeds"][0])
            if shown["Status"].startswith("Afgehandeld"):
                break
            await asyncio.sleep(0.05)
        assert shown["Status"] == "Afgehandeld"  # by the bot itself: nobody named
        assert name_texts.SETTLED_BY_ITSELF in unescape(shown["Reden"])
        assert buttons(fake.message(first["id"])) == {}
        [stored] = await bot.app.alerts.repo.alerts()
        assert stored.status == "resolved" and stored.handled_by is None
        audit = [e.action for e in await bot.app.db.audit_entries()]
        assert "alert.settled" in audit
        await fake.member_update("anna", nick="C0mpass")
        await fake.settle()
        assert len(await bot.app.alerts.repo.alerts()) == 2  # a new breach, a new alert


async def test_the_member_hears_when_the_leadership_approves_the_name(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("anna", nick="Compass Anna")
        await fake.settle()
        await fake.slash("rector", "naam goedkeuren", {"lid": "anna"})
        await fake.settle()
        last = fake.dms_sent("anna")[-1]
        assert last["content"] == name_texts.APPROVED_DM
