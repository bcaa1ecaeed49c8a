"""The message menu "Vraag aan het protocol" ("Ask the protocol") through the real bot and the
fake Discord: any message asked as a question, answered privately exactly as /vraag answers
it (clause verbatim, language, refusal, rate limit, feedback), also without Message Content."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_bot.features.questions import texts as question_texts
from compass_bot.features.questions.repo import QuestionRepo
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import FakeDiscord
from tests.test_discord_questions import (
    ANSWERED,
    ANSWERED_EN,
    UNCOVERED,
    assert_answer_embed,
    assert_no_ping,
    clause,
    custom_ids,
)

pytestmark = pytest.mark.timeout(60)
MENU = "Vraag aan het protocol"
MENU_EN = "Ask the protocol"
CHANNEL = "huiswerk"  # not watched by the school-time rule: the only bot output is the answer
OTHERS = question_texts.SOMEONE_ELSES_POST["nl"]
NO_CONTENT = TEST_CONFIG.replace(
    "discord:\n  guild: Compass\n", "discord:\n  guild: Compass\n  message_content: false\n"
)


async def test_the_menu_is_synced_with_its_dutch_name_and_english_localization(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        [sync] = fake.find_calls("PUT", f"/applications/*/guilds/{fake.guild_id}/commands")
        menu = {c["name"]: c for c in sync.json}[MENU]
        assert menu["type"] == 3
        assert menu["name_localizations"] == {"en-US": MENU_EN, "en-GB": MENU_EN}
        # Students use it: no staff permissions that would hide it from them.
        assert menu.get("default_member_permissions") is None
        assert fake.invalid_requests == []


async def test_another_members_message_is_answered_privately_with_the_clause(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, ANSWERED, at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU, msg["id"])
        await fake.settle()
        assert ix.callback_type == 4 and ix.ephemeral
        [embed] = ix.embeds
        assert_answer_embed(embed, clause(bot, "schooltijd"), OTHERS)
        assert ix.content in (None, "")
        assert custom_ids(ix.original or {}) == [
            "feedback:up:schooltijd",
            "feedback:down:schooltijd",
        ]
        assert_no_ping(ix.data)
        assert fake.messages_sent(channel=CHANNEL, ephemeral=False) == []  # nothing public

        # The feedback buttons work under the private answer as under /vraag.
        click = await fake.click("anna", ix.original["id"], custom_id="feedback:down:schooltijd")
        await fake.settle()
        assert click.content == question_texts.FEEDBACK_THANKS["nl"]
        [stored] = await QuestionRepo(bot.app.db).questions(("unhelpful",), 10)
        # Another member's post is not echoed, so a 👎 keeps no word of it.
        assert stored.question == OTHERS and stored.clause_id == "schooltijd"


async def test_an_english_message_is_answered_in_english(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, ANSWERED_EN, at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU_EN, msg["id"], locale="en-US")
        await fake.settle()
        assert ix.ephemeral
        [embed] = ix.embeds
        c = clause(bot, "schooltijd")
        assert embed["title"].startswith(c.title_en)
        assert embed["description"] == c.text
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["English"] == c.text_en
        assert fields["Your question"] == question_texts.SOMEONE_ELSES_POST["en"]


async def test_a_message_the_protocol_does_not_cover_is_refused_as_vraag_refuses_it(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        msg = await fake.post("bram", CHANNEL, UNCOVERED, at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU, msg["id"])
        slash = await fake.slash("bram", "vraag", {"vraag": UNCOVERED})
        await fake.settle()
        assert ix.ephemeral and ix.embeds == []
        assert (ix.content or "").split("\n")[0] == question_texts.NO_MATCH["nl"]
        assert ix.content == slash.content


async def test_a_message_without_text_gets_one_bilingual_line(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        msg = await fake.post("bram", CHANNEL, "", at=LESSON, attachments=["foto.png"])
        await fake.settle()
        ix = await fake.message_command("anna", MENU, msg["id"])
        await fake.settle()
        assert ix.ephemeral and ix.embeds == []
        assert ix.content == question_texts.NO_TEXT_TO_ASK
        assert "\n" not in ix.content and " / " in ix.content
        assert await QuestionRepo(bot.app.db).questions(("unanswered",), 10) == []


async def test_everyone_and_ten_thousand_characters_are_handled_as_vraag_does(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        loud = await fake.post("bram", CHANNEL, f"@everyone {ANSWERED}", at=LESSON)
        long = await fake.post("anna", CHANNEL, ((ANSWERED + " ") * 400)[:10_000], at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU, loud["id"])
        await fake.settle()
        assert ix.ephemeral
        assert_no_ping(ix.data)
        [embed] = ix.embeds
        assert embed["description"] == clause(bot, "schooltijd").text

        ix = await fake.message_command("anna", MENU, long["id"])
        await fake.settle()
        assert ix.ephemeral and ix.content == question_texts.TRUNCATED_NOTE["nl"]
        [embed] = ix.embeds
        assert embed["description"] == clause(bot, "schooltijd").text
        shown = next(f["value"] for f in embed["fields"] if f["name"] == "Je vraag")
        assert len(shown) <= 200 and shown.endswith("…")
        assert fake.internal_errors == []


async def test_the_menu_shares_the_rate_limit_of_vraag(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        msg = await fake.post("bram", CHANNEL, ANSWERED, at=LESSON)
        await fake.settle()
        for _ in range(3):
            await fake.slash("anna", "vraag", {"vraag": ANSWERED})
        answered = [await fake.message_command("anna", MENU, msg["id"]) for _ in range(2)]
        slowed = await fake.message_command("anna", MENU, msg["id"])
        await fake.settle()
        assert all(ix.embeds for ix in answered)
        assert slowed.ephemeral and slowed.embeds == []
        assert slowed.content == question_texts.SLOW_DOWN["nl"]
        other = await fake.message_command("bram", MENU, msg["id"])
        await fake.settle()
        assert other.embeds  # someone else is not affected


async def test_the_mention_of_the_bot_is_not_part_of_the_question(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        msg = await fake.post("anna", CHANNEL, f"<@{fake.bot_user_id}> {ANSWERED}", at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU, msg["id"])
        await fake.settle()
        [embed] = ix.embeds
        assert_answer_embed(embed, clause(bot, "schooltijd"), ANSWERED)


async def test_without_message_content_the_menu_still_answers(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path, NO_CONTENT)
    async with (
        FakeDiscord(SCHOOL, privileged_intents=("members",)) as fake,
        running_compass(fake, loaded) as bot,
    ):
        assert not bot.intents.message_content
        msg = await fake.post("bram", CHANNEL, ANSWERED, at=LESSON)
        await fake.settle()
        ix = await fake.message_command("anna", MENU, msg["id"])
        await fake.settle()
        assert ix.ephemeral
        [embed] = ix.embeds
        assert_answer_embed(embed, clause(bot, "schooltijd"), OTHERS)


async def test_an_unanswered_menu_question_is_kept_only_when_it_is_the_askers_own_post(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        theirs = await fake.post("bram", CHANNEL, UNCOVERED, at=LESSON)
        own = await fake.post("anna", CHANNEL, UNCOVERED + " echt", at=LESSON)
        await fake.settle()
        await fake.message_command("anna", MENU, theirs["id"])
        await fake.settle()
        # Another member's post is not the asker's to hand to the moderators' list.
        assert await QuestionRepo(bot.app.db).questions(("unanswered",), 10) == []
        await fake.message_command("anna", MENU, own["id"])
        await fake.settle()
        [kept] = await QuestionRepo(bot.app.db).questions(("unanswered",), 10)
        assert kept.question == UNCOVERED + " echt"
