"""Which server is asking, and ids from people and buttons (Hold under faults and abuse #19,
classes 1 and 2), through the fake Discord.

Roles are matched by name, so a server the bot was added to by someone else, with roles
called Moderator or Schoolleiding, must reach nothing of the school's: no command, no button.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from compass_bot.clock import Clock
from compass_bot.features.questions.repo import QuestionRepo
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.inputs import parse_number, parse_snowflake
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import FakeDiscord

OTHER_SCHOOL = TEST_CONFIG.replace("guild: Compass", "guild: Het Andere Lyceum")


async def forged_buttons(fake: FakeDiscord, author: str, *custom_ids: str) -> dict[str, Any]:
    """A member's message carrying buttons with these custom ids (as a forger could make)."""
    buttons = [{"type": 2, "style": 2, "label": cid[:20], "custom_id": cid} for cid in custom_ids]
    # In a lesson channel, so the post itself breaks no rule on any day.
    return await fake.post(
        author, "huiswerk", "klik", components=[{"type": 1, "components": buttons}]
    )


async def test_commands_and_buttons_from_another_server_are_refused(tmp_path: Path) -> None:
    """The bot is configured for another school's server; the fake's "Compass" server (with
    its Moderator and Schoolleiding roles) is a stranger to it."""
    loaded = make_loaded(tmp_path, OTHER_SCHOOL)
    async with FakeDiscord(SCHOOL) as fake, running_compass(fake, loaded, Clock(LESSON)) as bot:
        await bot.app.alerts.repo.record_alert(
            rule="schooltijd",
            member_id=fake.member_id("anna"),
            member_label="anna",
            at=LESSON,
            window_start=LESSON,
            guild_id=None,
        )
        for user, command, options in (
            ("mod", "meldingen export", {}),
            ("mod", "privacy wissen", {"lid_id": str(fake.member_id("anna"))}),
            ("rector", "naam goedkeuren", {"lid": "rector"}),
            ("jansen", "toestemming geven", {"leerling": "anna"}),
        ):
            ix = await fake.slash(user, command, options)
            await fake.settle()
            assert ix.ephemeral, command
            assert "alleen in de Discord-server van de school" in (ix.content or ""), command
        # A button forged onto a message in that server does nothing either.
        forged = await forged_buttons(fake, "mod", "alert:resolve:1")
        ix = await fake.click("mod", forged["id"], "alert:resolve:1")
        await fake.settle()
        assert ix.ephemeral and "moderatoren" in (ix.content or "")
        [alert] = await bot.app.alerts.repo.alerts()
        assert alert.status == "open"
        assert await SchoolTimeRepo(bot.app.db).active_grants(LESSON) == []
        assert fake.find_calls("PUT", re.compile(r"^/applications/\d+/commands$")) == []


async def test_commands_live_only_in_the_school_server(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (_fake, bot):
        assert bot.tree.get_commands() == []  # nothing global
        assert bot.school_guild is not None
        assert {c.name for c in bot.tree.get_commands(guild=bot.school_guild)} >= {"vraag"}


async def test_forged_and_oversized_ids_are_refused_without_an_error(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "algemeen", "hoi", at=LESSON)
        await fake.settle()
        for typed in ("²", "123456789012345678901234567890", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", "-5"):
            ix = await fake.slash("mod", "privacy wissen", {"lid_id": typed})
            await fake.settle()
            assert ix.ephemeral and ix.content == (
                "Kies een lid, of geef het id van een lid (15 tot 20 cijfers). / "
                "Pick a member, or give the id of a member (15 to 20 digits)."
            ), typed
        # A student pressing a forged button is refused before any lookup.
        forged = await forged_buttons(
            fake, "anna", "alert:resolve:7", "alert:false:123456789012345678901234567890"
        )
        ix = await fake.click("anna", forged["id"], "alert:resolve:7")
        await fake.settle()
        assert ix.ephemeral and "moderatoren" in (ix.content or "")
        # Thirty digits match no button at all: the bot stays quiet, nothing is logged.
        await fake.click("mod", forged["id"], "alert:false:123456789012345678901234567890")
        await fake.settle()
        [alert] = await bot.app.alerts.repo.alerts()
        assert alert.status == "open"


def test_numbers_typed_by_people() -> None:
    assert parse_number("12") == 12 and parse_number("#7") == 7
    for bad in ("²", "١٢", "0", "-3", "9" * 20, "", None, "1e3", " "):
        assert parse_number(bad) is None, bad
    assert parse_snowflake("<@123456789012345678>") == 123456789012345678
    assert parse_snowflake("123456789012345678") == 123456789012345678
    for bad in ("²", "123", "9" * 21, "99999999999999999999", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", None):
        assert parse_snowflake(bad) is None, bad


async def test_feedback_for_a_clause_that_does_not_exist_is_not_stored(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        forged = await forged_buttons(fake, "anna", "feedback:down:nep-1")
        ix = await fake.click("anna", forged["id"], "feedback:down:nep-1")
        await fake.settle()
        assert ix.ephemeral
        stored = await QuestionRepo(bot.app.db).questions(("helpful", "unhelpful", "unanswered"))
        assert stored == []


RLO, PDI = "\u202e", "\u2069"


async def test_text_that_reorders_itself_is_shown_with_visible_markers(tmp_path: Path) -> None:
    """#19.12: bidirectional controls in a post, a name or a question reach the moderators
    as visible markers, never as controls that reorder what they read."""
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_update("bram", nick=f"C0mpass{RLO}nimda")
        await fake.post("anna", "algemeen", f"kijk {RLO}exe.txt{PDI} hier", at=LESSON)
        await fake.post("anna", "protocol-vragen", f"wat is de {RLO}kleur{PDI} van de lucht?")
        await fake.settle()
        shown = " ".join(str(m["embeds"]) for m in fake.messages_sent(channel="mod-meldingen"))
        assert "kijk ⟨U+202E⟩exe.txt⟨U+2069⟩ hier" in shown and "C0mpass⟨U+202E⟩nimda" in shown
        assert RLO not in shown and PDI not in shown
        listed = await fake.slash("mod", "protocol onbeantwoord")
        await fake.settle()
        text = (listed.content or "") + str(listed.data.get("embeds", ""))
        assert "⟨U+202E⟩kleur⟨U+2069⟩" in text and RLO not in text
