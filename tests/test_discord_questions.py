"""Protocol answers through the real bot on the fake Discord: every surface where a member can
ask (/vraag and its English name /ask, a mention, a DM, the questions channel), what the
answer looks like, the 'Bedoel je' buttons, feedback, the moderators' list, and the limits."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from compass_bot.discord_front.client import CompassBot
from compass_bot.features.questions import texts as question_texts
from compass_bot.features.questions.repo import QuestionRepo
from compass_bot.policy import Clause
from compass_bot.registry import action
from tests.conftest import TEST_CONFIG, make_loaded
from tests.discord_env import LESSON, SCHOOL, compass_bot, running_compass
from tests.fakediscord import ChannelSpec, FakeDiscord, MemberSpec

JSON = dict[str, Any]

ANSWERED = "mag ik in de les op tiktok?"  # schooltijd, clearly
ANSWERED_EN = "can I use tiktok in class?"
DOUBTFUL = "wat zijn de regels"  # inleiding, slot or gebruik? Too vague to pick one
UNCOVERED = "wat eten we vandaag?"
EPHEMERAL = 64


def clause(bot: CompassBot, clause_id: str) -> Clause:
    return bot.app.book[clause_id]


def at_bot(fake: FakeDiscord, text: str = "") -> str:
    return f"<@{fake.bot_user_id}> {text}".rstrip()


def assert_no_ping(body: JSON) -> None:
    """Nothing the bot sends may ping: no parsed mentions, no reply ping."""
    mentions = body["allowed_mentions"]
    assert mentions["parse"] == []
    assert mentions.get("replied_user", False) is False
    assert not mentions.get("users") and not mentions.get("roles")


def buttons(message: JSON) -> list[JSON]:
    return [b for row in message.get("components") or [] for b in row["components"]]


def custom_ids(message: JSON) -> list[str]:
    return [b["custom_id"] for b in buttons(message)]


def assert_answer_embed(embed: JSON, c: Clause, question: str) -> None:
    """Title and number, the Dutch text verbatim, the question, the protocol in the footer."""
    number = f" {c.number}" if c.number is not None else ""
    assert embed["title"] == f"{c.title} ({c.section}{number})"
    assert embed["description"] == c.text
    assert {"name": "Je vraag", "value": question, "inline": False} in embed["fields"]
    assert "English" not in [f["name"] for f in embed["fields"]]
    assert embed["footer"]["text"].startswith("Protocol sociale media (1.10)")
    assert c.id in embed["footer"]["text"]


async def test_slash_command_is_vraag_in_dutch_and_ask_with_question_in_english(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        [sync] = fake.find_calls("PUT", f"/applications/*/guilds/{fake.guild_id}/commands")
        commands = {c["name"]: c for c in sync.json}
        vraag = commands["vraag"]
        assert vraag["name_localizations"] == {"en-US": "ask", "en-GB": "ask"}
        assert vraag["description_localizations"]["en-US"].startswith("Ask a question")
        [option] = vraag["options"]
        assert option["name"] == "vraag" and option["required"] is True
        assert option["name_localizations"] == {"en-US": "question", "en-GB": "question"}
        assert option["max_length"] == 1000
        subs = {o["name"]: o for o in commands["protocol"]["options"]}
        assert set(subs) == {"lijst", "regel", "onbeantwoord"}
        [regel] = subs["regel"]["options"]
        assert regel["autocomplete"] is True
        assert regel["name_localizations"]["en-US"] == "rule"

        # A member whose Discord runs in English asks in English and is answered in English.
        ix = await fake.slash("anna", "vraag", {"vraag": ANSWERED_EN}, locale="en-US")
        await fake.settle()
        assert not ix.ephemeral
        [embed] = ix.embeds
        c = clause(_bot, "schooltijd")
        assert embed["title"] == c.title_en  # the section's Dutch name is noise in English
        assert embed["description"] == c.text  # the Dutch text stays verbatim
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["English"] == c.text_en
        assert fields["Your question"] == ANSWERED_EN


async def test_slash_answer_is_a_public_clause_embed_with_feedback(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        ix = await fake.slash("anna", "vraag", {"vraag": ANSWERED}, channel="huiswerk")
        await fake.settle()
        assert ix.callback_type == 4 and not ix.ephemeral
        [embed] = ix.embeds
        assert_answer_embed(embed, clause(bot, "schooltijd"), ANSWERED)
        assert ix.content in (None, "")
        assert custom_ids(ix.original or {}) == [
            "feedback:up:schooltijd",
            "feedback:down:schooltijd",
        ]
        assert [b["emoji"]["name"] for b in buttons(ix.original or {})] == ["👍", "👎"]
        assert_no_ping(ix.data)


async def test_doubtful_slash_question_is_private_and_a_choice_shows_the_clause(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        ix = await fake.slash("anna", "vraag", {"vraag": DOUBTFUL})
        await fake.settle()
        # Only the asker needs 'did you mean': it would clutter the channel for everyone.
        assert ix.ephemeral
        assert ix.content is not None and ix.content.startswith("Bedoel je")
        original = ix.original or {}
        choices = buttons(original)
        assert len(choices) in (1, 2, 3)
        ids = [b["custom_id"].removeprefix("clause:show:") for b in choices]
        assert all(b["custom_id"].startswith("clause:show:") for b in choices)
        for button, cid in zip(choices, ids, strict=True):
            assert button["label"].startswith(clause(bot, cid).title)
        [embed] = ix.embeds
        assert {"name": "Je vraag", "value": DOUBTFUL, "inline": False} in embed["fields"]

        click = await fake.click("anna", original["id"], custom_id=choices[0]["custom_id"])
        await fake.settle()
        # The private question turns into the chosen answer, with feedback buttons.
        assert click.callback_type == 7
        [shown] = fake.message(original["id"])["embeds"]
        assert_answer_embed(shown, clause(bot, ids[0]), DOUBTFUL)
        assert custom_ids(fake.message(original["id"])) == [
            f"feedback:up:{ids[0]}",
            f"feedback:down:{ids[0]}",
        ]
        assert fake.message(original["id"])["content"] in (None, "")


async def test_no_match_sends_the_member_to_the_mentor_privately(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        ix = await fake.slash("anna", "vraag", {"vraag": UNCOVERED})
        await fake.settle()
        assert ix.ephemeral and ix.embeds == []
        # The refusal, then the topic the protocol leaves open (just beside the protocol).
        first, *beside = (ix.content or "").split("\n")
        assert first == question_texts.NO_MATCH["nl"]
        assert all(line.startswith("Het protocol zegt niet") for line in beside)
        assert "mentor" in ix.content and "vertrouwenspersoon" in ix.content
        assert buttons(ix.original or {}) == []


async def test_questions_channel_answers_every_message_as_a_reply_that_pings_nobody(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        asked = await fake.post("anna", "protocol-vragen", ANSWERED)
        await fake.settle()
        [answer] = fake.messages_sent(channel="protocol-vragen")
        body = fake.body_of(answer["id"])
        # A reply keeps the answer with its question in a busy channel, without a ping.
        assert str(body["message_reference"]["message_id"]) == asked["id"]
        assert body["message_reference"]["fail_if_not_exists"] is False
        assert_no_ping(body)
        assert answer["mentions"] == [] and answer["mention_everyone"] is False
        assert_answer_embed(answer["embeds"][0], clause(bot, "schooltijd"), ANSWERED)
        assert custom_ids(answer) == ["feedback:up:schooltijd", "feedback:down:schooltijd"]

        await fake.post("bram", "protocol-vragen", UNCOVERED)
        await fake.settle()
        uncovered = fake.messages_sent(channel="protocol-vragen")[-1]
        assert uncovered["content"].split("\n")[0] == question_texts.NO_MATCH["nl"]
        assert_no_ping(fake.body_of(uncovered["id"]))

        # An English question is answered in English, with the English rendering.
        await fake.post("bram", "protocol-vragen", ANSWERED_EN)
        await fake.settle()
        english = fake.messages_sent(channel="protocol-vragen")[-1]
        fields = {f["name"]: f["value"] for f in english["embeds"][0]["fields"]}
        assert fields["English"] == clause(bot, "schooltijd").text_en


async def test_everyone_in_a_question_is_never_echoed_as_a_ping(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        for question in (f"@everyone {ANSWERED}", f"@everyone {UNCOVERED}", "@here " + DOUBTFUL):
            await fake.post("anna", "protocol-vragen", question)
        await fake.settle()
        sent = fake.messages_sent(channel="protocol-vragen")
        assert len(sent) == 3
        for message in sent:
            assert_no_ping(fake.body_of(message["id"]))
            assert message["mention_everyone"] is False and message["mentions"] == []
            assert "@everyone" not in (message["content"] or "")
            assert "@here" not in (message["content"] or "")


async def test_a_question_is_echoed_under_its_answer_with_other_peoples_data_masked(
    tmp_path: Path,
) -> None:
    """The answer is public: the question under it shows what kind of data was in it, never
    the number, the mail address or the street (its own post may be hidden for it)."""
    question = (
        "mag ik het nummer van een klasgenoot, 06-12345678, en haar mail sanne@example.nl "
        "in de klassenapp zetten?"
    )
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.post("anna", "protocol-vragen", question)
        await fake.settle()
        [answer] = fake.messages_sent(channel="protocol-vragen")
        [embed] = answer["embeds"]
        shown = next(f["value"] for f in embed["fields"] if f["name"] == "Je vraag")
        assert "12345678" not in shown and "sanne@example.nl" not in shown
        assert "[telefoonnummer verborgen]" in shown and "verborgen]" in shown
        assert shown.startswith("mag ik het nummer van een klasgenoot")


async def test_doubtful_in_the_channel_stays_public_and_a_click_answers_the_clicker(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        asked = await fake.post("anna", "protocol-vragen", DOUBTFUL)
        await fake.settle()
        [doubt] = fake.messages_sent(channel="protocol-vragen")
        assert doubt["content"].startswith("Bedoel je")
        assert str(fake.body_of(doubt["id"])["message_reference"]["message_id"]) == asked["id"]
        choices = buttons(doubt)
        assert len(choices) in (1, 2, 3)
        last = choices[-1]["custom_id"]
        cid = last.removeprefix("clause:show:")

        click = await fake.click("bram", doubt["id"], custom_id=last)
        await fake.settle()
        assert click.callback_type == 4 and click.ephemeral
        [embed] = click.embeds
        assert_answer_embed(embed, clause(bot, cid), DOUBTFUL)
        # The public question is left as it was, for the others who read along.
        assert fake.message(doubt["id"])["content"] == doubt["content"]
        assert custom_ids(fake.message(doubt["id"])) == custom_ids(doubt)


async def test_mentions_and_dms_are_questions_other_messages_are_not(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "huiswerk", ANSWERED)
        await fake.post("anna", "huiswerk", f"hoi {fake.mention('bram')}, {ANSWERED}")
        await fake.settle()
        assert fake.messages_sent(channel="huiswerk") == []

        asked = await fake.post("anna", "huiswerk", at_bot(fake, ANSWERED))
        await fake.settle()
        [answer] = fake.messages_sent(channel="huiswerk")
        assert str(fake.body_of(answer["id"])["message_reference"]["message_id"]) == asked["id"]
        assert_no_ping(fake.body_of(answer["id"]))
        assert answer["embeds"][0]["description"] == clause(bot, "schooltijd").text
        # The mention itself is not part of the question shown.
        fields = {f["name"]: f["value"] for f in answer["embeds"][0]["fields"]}
        assert fields["Je vraag"] == ANSWERED

        # "@Compass" alone: the hint how to ask.
        await fake.post("bram", "huiswerk", at_bot(fake))
        await fake.settle()
        hint = fake.messages_sent(channel="huiswerk")[-1]
        assert hint["content"] == question_texts.EMPTY_QUESTION["nl"] and hint["embeds"] == []

        # Typing @Compass often picks the bot's role: that is a mention too.
        await fake.post("bram", "huiswerk", f"{fake.role_mention('Compass')} {ANSWERED}")
        await fake.settle()
        assert len(fake.messages_sent(channel="huiswerk")) == 3

        await fake.dm("anna", ANSWERED)
        await fake.settle()
        [dm_answer] = fake.dms_sent("anna")
        assert dm_answer["embeds"][0]["description"] == clause(bot, "schooltijd").text
        assert custom_ids(dm_answer) == ["feedback:up:schooltijd", "feedback:down:schooltijd"]
        assert_no_ping(fake.body_of(dm_answer["id"]))
        assert "message_reference" not in fake.body_of(dm_answer["id"])


async def test_the_bot_ignores_itself_and_other_bots(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        await fake.member_join(MemberSpec("quizbot", bot=True))
        await fake.settle()
        await fake.post("quizbot", "protocol-vragen", ANSWERED)
        await fake.post("quizbot", "huiswerk", at_bot(fake, ANSWERED))
        await fake.settle()
        assert fake.messages_sent(channel="protocol-vragen") == []
        assert fake.messages_sent(channel="huiswerk") == []

        # Its own answers come back as MESSAGE_CREATE in the questions channel: no loop.
        await fake.post("anna", "protocol-vragen", UNCOVERED)
        await fake.settle()
        await fake.settle()
        assert len(fake.messages_sent(channel="protocol-vragen")) == 1


async def test_more_than_five_questions_in_thirty_seconds_get_one_slow_down(
    tmp_path: Path,
) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        asked = [await fake.post("anna", "protocol-vragen", ANSWERED) for _ in range(8)]
        await fake.settle()
        sent = fake.messages_sent(channel="protocol-vragen")
        # Five answers, then one friendly slow-down; more messages would only add spam.
        assert len(sent) == 6
        replied_to = {
            str(fake.body_of(m["id"])["message_reference"]["message_id"]): m for m in sent
        }
        assert set(replied_to) == {m["id"] for m in asked[:6]}
        assert all(replied_to[m["id"]]["embeds"] for m in asked[:5])
        slow = replied_to[asked[5]["id"]]
        assert slow["content"] == question_texts.SLOW_DOWN["nl"] and slow["embeds"] == []
        assert buttons(slow) == []
        assert_no_ping(fake.body_of(slow["id"]))

        # The slash command is slowed down too, privately.
        ix = await fake.slash("anna", "vraag", {"vraag": ANSWERED})
        await fake.settle()
        assert ix.ephemeral and ix.content == question_texts.SLOW_DOWN["nl"] and ix.embeds == []

        # Someone else is not affected.
        await fake.post("bram", "protocol-vragen", ANSWERED)
        await fake.settle()
        assert fake.messages_sent(channel="protocol-vragen")[-1]["embeds"]


async def test_a_ten_thousand_character_question_gets_a_clear_answer(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        long_answered = (ANSWERED + " ") * 400
        long_uncovered = ("blabla " * 1500)[:10_000]
        assert len(long_uncovered) == 10_000 and len(long_answered) > 10_000
        await fake.post("anna", "protocol-vragen", long_answered[:10_000])
        await fake.post("bram", "protocol-vragen", long_uncovered)
        await fake.settle()
        answered, uncovered = fake.messages_sent(channel="protocol-vragen")
        assert answered["content"] == question_texts.TRUNCATED_NOTE["nl"]
        [embed] = answered["embeds"]
        assert embed["description"] == clause(bot, "schooltijd").text
        question_field = next(f["value"] for f in embed["fields"] if f["name"] == "Je vraag")
        assert len(question_field) <= 200 and question_field.endswith("…")
        # Not only answers say that the question was cut short.
        assert question_texts.TRUNCATED_NOTE["nl"] in uncovered["content"]
        assert question_texts.NO_MATCH["nl"] in uncovered["content"]
        assert fake.internal_errors == []


async def test_protocol_list_and_rule_with_autocomplete(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        book = bot.app.book
        listing = await fake.slash("anna", "protocol lijst")
        await fake.settle()
        assert listing.ephemeral
        [embed] = listing.embeds
        for c in book:
            assert f"`{c.id}` {c.title}" in embed["description"]

        typed = await fake.autocomplete(
            "anna", "protocol regel", {"regel": "school"}, focused="regel"
        )
        await fake.settle()
        assert typed.callback_type == 8
        assert typed.choices is not None and 1 <= len(typed.choices) <= 25
        assert typed.choices[0] == {
            "name": f"schooltijd: {book['schooltijd'].title}",
            "value": "schooltijd",
        }
        empty = await fake.autocomplete("anna", "protocol regel", {"regel": ""}, focused="regel")
        await fake.settle()
        assert empty.choices is not None and len(empty.choices) == 25
        assert all(len(ch["name"]) <= 100 for ch in empty.choices)
        by_title = await fake.autocomplete(
            "anna", "protocol regel", {"regel": "locatie del"}, focused="regel"
        )
        await fake.settle()
        assert by_title.choices and by_title.choices[0]["value"] == "locatie"
        english = await fake.autocomplete(
            "anna", "protocol regel", {"regel": "locat"}, focused="regel", locale="en-US"
        )
        await fake.settle()
        assert (
            english.choices and english.choices[0]["name"] == f"locatie: {book['locatie'].title_en}"
        )

        shown = await fake.slash("anna", "protocol regel", {"regel": "schooltijd"})
        await fake.settle()
        assert not shown.ephemeral
        [rule] = shown.embeds
        assert rule["description"] == book["schooltijd"].text
        assert rule["footer"]["text"].startswith("Protocol sociale media (1.10)")
        assert_no_ping(shown.data)

        missing = await fake.slash("anna", "protocol regel", {"regel": "@everyone xyzzy"})
        await fake.settle()
        assert missing.ephemeral and missing.embeds == []
        assert missing.content is not None and "Zie /protocol lijst" in missing.content
        assert "@everyone" not in missing.content
        # an id the protocol does not have is no other clause (aanwijzing-10 is not -1)
        unknown = await fake.slash("anna", "protocol regel", {"regel": "aanwijzing-10"})
        await fake.settle()
        assert unknown.embeds == [] and "Geen regel 'aanwijzing-10'" in (unknown.content or "")


async def test_feedback_and_unanswered_questions_reach_moderators_only(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "protocol-vragen", "mag ik in de les op *tiktok*?")
        await fake.post("anna", "protocol-vragen", UNCOVERED)
        await fake.settle()
        answer, _uncovered = fake.messages_sent(channel="protocol-vragen")

        down = await fake.click("bram", answer["id"], custom_id="feedback:down:schooltijd")
        await fake.settle()
        assert down.ephemeral and down.content == question_texts.FEEDBACK_THANKS["nl"]
        # A second click of the same member on the same answer is not counted twice.
        await fake.click("bram", answer["id"], custom_id="feedback:down:schooltijd")
        up = await fake.click("jansen", answer["id"], custom_id="feedback:up:schooltijd")
        await fake.settle()
        assert up.ephemeral and up.content == question_texts.FEEDBACK_THANKS["nl"]

        stored = await QuestionRepo(bot.app.db).questions(("unanswered", "unhelpful", "helpful"))
        kinds = sorted((q.kind, q.question, q.clause_id) for q in stored)
        assert kinds == [
            ("helpful", "", "schooltijd"),
            ("unanswered", UNCOVERED, None),
            ("unhelpful", "mag ik in de les op *tiktok*?", "schooltijd"),  # as typed
        ]

        refused = await fake.slash("anna", "protocol onbeantwoord")
        await fake.settle()
        assert refused.ephemeral and refused.content == action("unanswered").refused

        listed = await fake.slash("mod", "protocol onbeantwoord")
        await fake.settle()
        assert listed.ephemeral
        text = listed.content or ""
        lines = text.splitlines()
        assert len(lines) == 2
        assert any(line.startswith("`unanswered`") and UNCOVERED in line for line in lines)
        assert any(
            line.startswith("`unhelpful`") and line.endswith("→ `schooltijd`") for line in lines
        )
        # Who asked is not stored, so it cannot be shown.
        assert "anna" not in text and str(fake.member_id("anna")) not in text
        assert_no_ping(listed.data)


async def test_a_changed_vote_replaces_the_members_earlier_vote(tmp_path: Path) -> None:
    """👎 then 👍 by one member on one answer is one helpful mark (the latest counts, as
    /nuttig in the console); another answer is voted on anew."""
    async with compass_bot(tmp_path) as (fake, bot):
        await fake.post("anna", "protocol-vragen", ANSWERED)
        await fake.post("bram", "protocol-vragen", ANSWERED)
        await fake.settle()
        first, second = fake.messages_sent(channel="protocol-vragen")
        await fake.click("bram", first["id"], custom_id="feedback:down:schooltijd")
        await fake.click("bram", first["id"], custom_id="feedback:up:schooltijd")
        await fake.settle()
        stored = await QuestionRepo(bot.app.db).questions(("unhelpful", "helpful"))
        assert [(q.kind, q.question) for q in stored] == [("helpful", "")]
        await fake.click("bram", second["id"], custom_id="feedback:down:schooltijd")
        await fake.click("bram", first["id"], custom_id="feedback:down:schooltijd")
        await fake.settle()
        stored = await QuestionRepo(bot.app.db).questions(("unhelpful", "helpful"))
        assert sorted(q.kind for q in stored) == ["unhelpful", "unhelpful"]


async def test_buttons_still_work_after_a_restart(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path)
    async with FakeDiscord(SCHOOL) as fake:
        async with running_compass(fake, loaded):
            await fake.post("anna", "protocol-vragen", ANSWERED_EN)
            await fake.post("bram", "protocol-vragen", DOUBTFUL)
            await fake.settle()
        answer, doubt = fake.messages_sent(channel="protocol-vragen")

        async with running_compass(fake, loaded) as bot:
            down = await fake.click("anna", answer["id"], custom_id="feedback:down:schooltijd")
            await fake.settle()
            # The new client knows the question and its language from the message itself.
            assert down.content == question_texts.FEEDBACK_THANKS["en"]
            stored = await QuestionRepo(bot.app.db).questions(("unhelpful",))
            assert [(q.question, q.clause_id) for q in stored] == [(ANSWERED_EN, "schooltijd")]

            choice = buttons(doubt)[0]["custom_id"]
            shown = await fake.click("anna", doubt["id"], custom_id=choice)
            await fake.settle()
            assert shown.ephemeral
            [embed] = shown.embeds
            assert_answer_embed(embed, clause(bot, choice.removeprefix("clause:show:")), DOUBTFUL)


async def test_an_answer_that_cannot_be_sent_does_not_break_the_next_one(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        channel = fake.channel_id("protocol-vragen")
        fake.fail_next("POST", f"/channels/{channel}/messages", code=50013)
        await fake.post("anna", "protocol-vragen", ANSWERED)
        await fake.settle()
        assert fake.messages_sent(channel="protocol-vragen") == []
        await fake.post("anna", "protocol-vragen", ANSWERED)
        await fake.settle()
        assert len(fake.messages_sent(channel="protocol-vragen")) == 1
        # running_bot raises BotErrors on exit if a listener had crashed.


async def test_a_thread_under_the_questions_channel_is_part_of_it(tmp_path: Path) -> None:
    """Students open a thread on a question; its messages are questions too. A thread
    elsewhere is not."""
    guild = dataclasses.replace(
        SCHOOL,
        channels=[
            *SCHOOL.channels,
            ChannelSpec("vraag-over-tiktok", kind="thread", parent="protocol-vragen", owner="anna"),
            ChannelSpec("kletsdraad", kind="thread", parent="algemeen", owner="anna"),
        ],
    )
    async with compass_bot(tmp_path, guild) as (fake, bot):
        asked = await fake.post("anna", "vraag-over-tiktok", ANSWERED)
        await fake.post("anna", "kletsdraad", ANSWERED)
        await fake.settle()
        [answer] = fake.messages_sent(channel="vraag-over-tiktok")
        assert str(fake.body_of(answer["id"])["message_reference"]["message_id"]) == asked["id"]
        assert_answer_embed(answer["embeds"][0], clause(bot, "schooltijd"), ANSWERED)
        assert fake.messages_sent(channel="kletsdraad") == []


async def test_a_question_to_the_bot_in_a_lesson_is_answered_and_never_warned(
    tmp_path: Path,
) -> None:
    """Firm ground #10: a post addressed to the bot (a mention, a reply to the bot) in a
    watched channel during a lesson is school use: an answer, no warning DM, no alert."""
    async with compass_bot(tmp_path) as (fake, bot):
        asked = await fake.post(
            "anna", "algemeen", at_bot(fake, "mag ik in de les op tiktok?"), at=LESSON
        )
        await fake.settle()
        [answer] = fake.messages_sent(channel="algemeen")
        assert str(fake.body_of(answer["id"])["message_reference"]["message_id"]) == asked["id"]
        assert answer["embeds"][0]["description"] == clause(bot, "schooltijd").text
        # A follow-up as a reply to the bot's answer is addressed to it too.
        await fake.post(
            "anna",
            "algemeen",
            "en in de pauze?",
            at=LESSON + timedelta(minutes=1),
            reply_to=answer["id"],
        )
        await fake.settle()
        assert len(fake.messages_sent(channel="algemeen")) == 2
        assert fake.dms_sent("anna") == []
        assert fake.messages_sent(channel="mod-meldingen") == []
        assert await bot.app.alerts.repo.alerts() == []
        # The same post without the bot in it is a breach, as before.
        await fake.post("anna", "algemeen", "mag ik in de les op tiktok?", at=LESSON)
        await fake.settle()
        assert len(fake.dms_sent("anna")) == 1
        assert len(await bot.app.alerts.repo.alerts()) == 1


BULLIED = "ik word online gepest, bij wie kan ik dat melden?"
BULLIED_EN = "I am being bullied online, who can I report it to?"


async def test_an_answer_that_sends_someone_to_a_person_names_the_configured_people(
    tmp_path: Path,
) -> None:
    """aanwijzing-9 (complaints go by the school's rules) with the mentor and the
    vertrouwenspersoon from the config, in the asker's language; other answers name nobody."""
    config = (
        TEST_CONFIG
        + "questions:\n  contacts: [je mentor, 'mevrouw De Vries (vertrouwenspersoon)']\n"
        + "  contacts_en: [your mentor, 'Ms De Vries (confidential adviser)']\n"
    )
    async with compass_bot(tmp_path, config_text=config) as (fake, _bot):
        ix = await fake.slash("anna", "vraag", {"vraag": BULLIED})
        await fake.settle()
        [embed] = ix.embeds
        assert embed["footer"]["text"].endswith("aanwijzing-9")
        people = {f["name"]: f["value"] for f in embed["fields"]}["Praat erover met"]
        assert people == "je mentor, mevrouw De Vries (vertrouwenspersoon)"
        ix = await fake.slash("anna", "vraag", {"vraag": BULLIED_EN}, locale="en-US")
        await fake.settle()
        [embed] = ix.embeds
        fields_en = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields_en["Talk it over with"] == "your mentor, Ms De Vries (confidential adviser)"
        assert "Praat erover met" not in fields_en
        ix = await fake.slash("anna", "vraag", {"vraag": ANSWERED})
        await fake.settle()
        [embed] = ix.embeds
        names = [f["name"] for f in embed["fields"]]
        assert "Praat erover met" not in names and "Talk it over with" not in names


def test_slow_down_is_said_once_per_window_in_each_school() -> None:
    """The 'slow down' reply is remembered per school, as each school's rate limit is: a member
    of two schools' servers told in one is still told in the other."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from compass_bot.features.questions.discord_ext import Questions

    config = SimpleNamespace(questions=SimpleNamespace(rate_limit_seconds=60))
    bot = SimpleNamespace(loaded=SimpleNamespace(config=config), school=SimpleNamespace(name="a"))
    cog = Questions.__new__(Questions)
    cog.bot = bot  # type: ignore[assignment]
    cog._slowed = {}
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert cog.first_slow_down(7, now)
    assert not cog.first_slow_down(7, now + timedelta(seconds=30))
    bot.school = SimpleNamespace(name="b")
    assert cog.first_slow_down(7, now + timedelta(seconds=31))
    bot.school = SimpleNamespace(name="a")
    assert cog.first_slow_down(7, now + timedelta(seconds=61))


async def test_a_long_list_of_stored_questions_says_how_many_it_leaves_out(
    tmp_path: Path,
) -> None:
    """/protocol onbeantwoord shows the newest that fit in one message and says how many older
    ones are stored; before, the rest were left out without a word."""
    async with compass_bot(tmp_path) as (fake, bot):
        repo = QuestionRepo(bot.app.db)
        for i in range(40):
            await repo.record_question(f"vraag {i} " + "x" * 120, None, "unanswered", LESSON)
        await bot.app.db.commit()
        listed = await fake.slash("mod", "protocol onbeantwoord")
        await fake.settle()
        lines = (listed.content or "").splitlines()
        assert len(listed.content or "") <= 2000
        shown = [line for line in lines if line.startswith("`unanswered`")]
        assert 0 < len(shown) < 25 and lines[-1] == question_texts.more_questions(40 - len(shown))
