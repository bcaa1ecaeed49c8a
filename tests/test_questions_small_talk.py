"""A greeting, thanks or "help" said to the bot gets a short reply of its own, in the language
of its words (both when they are both languages'), is never stored as an unanswered question,
and a question that starts with such a word is still a question."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.features.questions import texts
from compass_bot.features.questions.service import QuestionAsked, QuestionService
from compass_bot.features.questions.small_talk import small_talk
from compass_bot.model import Member
from tests.test_console import run_bot

ROOT = Path(__file__).resolve().parents[1]
AT = datetime(2026, 11, 24, 12, 20, tzinfo=UTC)
MODERATOR = Member(id=900, label="mo", roles=((3, "Moderator"),))


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("bedankt", "thanks", "nl"),
        ("dank je wel!!", "thanks", "nl"),
        ("heel erg bedankt voor je hulp", "thanks", "nl"),
        ("thanks!", "thanks", "en"),
        ("ok thanks", "thanks", "en"),
        ("thankssss", "thanks", "en"),
        ("thank you so much", "thanks", "en"),
        ("hoiii 👋", "hello", "nl"),
        ("Goedemorgen!", "hello", "nl"),
        ("hello", "hello", "en"),
        ("hi", "hello", None),
        ("help", "help", None),
        ("wat kun je?", "help", "nl"),
        ("what can you do?", "help", "en"),
        ("help mee", "help", "nl"),
        ("hellooo", "hello", "en"),
        ("hallooo", "hello", "nl"),
        ("doei!", "bye", "nl"),
        ("bye", "bye", "en"),
        ("ok doeiii", "bye", "nl"),
        ("ok", "ok", None),
        ("oke thanks", "thanks", "en"),
        ("ah oke", "ok", None),
        ("lol", "ok", None),
    ],
)
def test_small_talk_is_read(text: str, kind: str, language: str | None) -> None:
    found = small_talk(text)
    assert found is not None and (found.kind, found.language) == (kind, language)


@pytest.mark.parametrize(
    "text",
    [
        "help, iemand zet mijn foto online",
        "hoi mag ik in de pauze op tiktok",
        "thanks, maar mag ik nou wel of niet insta in de les?",
        "hoi 123",
        "oke dus mag het",
        "compass",
        "",
    ],
)
def test_a_question_or_anything_else_is_no_small_talk(text: str) -> None:
    assert small_talk(text) is None


async def test_the_service_replies_and_stores_nothing(service: App) -> None:
    questions = service[QuestionService]
    thanks = questions.ask(QuestionAsked("bedankt!", 1, AT))
    assert (thanks.status, thanks.message) == ("small_talk", texts.SMALL_TALK["thanks"]["nl"])
    assert thanks.extras() == ()
    hello = questions.ask(QuestionAsked("hi", 1, AT))
    both = texts.SMALL_TALK["hello"]
    assert hello.message == f"{both['nl']}\n{both['en']}"
    await questions.remember_question(thanks, "bedankt!", AT)
    await questions.remember_question(hello, "hi", AT)
    assert await questions.unanswered(MODERATOR) == []
    question = questions.ask(QuestionAsked("hoi, mag ik in de les op tiktok?", 1, AT))
    assert question.status == "answer" and question.clause is not None
    assert question.clause.id == "schooltijd"


def test_ask_on_the_command_line_replies_in_kind_and_keeps_its_json() -> None:
    def ask(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "compass_bot", "ask", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert ask("thanks!") == "You're welcome!\n"
    assert ask("bedankt") == "Graag gedaan!\n"
    assert '"clause": null' in ask("--json", "thanks!")
    # the matcher alone reads the school's name in "compassbot" (aanwijzing-2): the JSON
    # says what the text reply says, no clause
    assert '"clause": null' in ask("--json", "thanks compassbot")


def test_an_ok_gets_a_nod_once_in_any_language() -> None:
    nod = small_talk("oké!")
    assert nod is not None and nod.reply() == "👍"


def test_a_call_for_help_still_names_who_to_talk_to() -> None:
    """A student's "help", "hulp" or "help me" may be more than a question about the bot:
    the reply names the mentor and the vertrouwenspersoon, as the refusal it replaced did."""
    for text in ("help", "hulp", "help me", "help mee"):
        reply = small_talk(text)
        assert reply is not None and "vertrouwenspersoon" in reply.reply(), text


async def test_small_talk_does_not_use_up_the_questions_allowed(service: App) -> None:
    """Five questions in half a minute are allowed; a "hoi" or "thanks" between them is no
    question and does not count (it once got the fourth question a "Slow down!"). Small talk
    has a window of its own, so a flood of "hoi" is still slowed."""
    questions = service[QuestionService]
    said = [
        "mag ik in de les op tiktok?",
        "can I use instagram in class?",
        "hoi",
        "thanks",
        "mag ik in de pauze op insta?",
        "mag ik een foto van een docent posten?",
        "mag ik in de les whatsappen?",
    ]
    answers = [
        questions.ask(QuestionAsked(text, 1, AT + timedelta(seconds=i)))
        for i, text in enumerate(said)
    ]
    assert [a.status for a in answers][2:4] == ["small_talk", "small_talk"]
    assert "rate_limited" not in [a.status for a in answers]
    sixth = questions.ask(QuestionAsked("mag ik op snapchat in de les?", 1, AT.replace(second=9)))
    assert sixth.status == "rate_limited"
    assert questions.ask(QuestionAsked("bedankt", 1, AT.replace(second=10))).status == "small_talk"
    hellos = [
        questions.ask(QuestionAsked("hoi", 2, AT + timedelta(seconds=i))).status for i in range(6)
    ]
    assert hellos == ["small_talk"] * 5 + ["rate_limited"]


def test_in_the_console_small_talk_and_a_refusal_keep_the_answer_to_rate(tmp_path: Path) -> None:
    """The new-user tester's DM: two questions, "hoi", "thanks", a question, then one more is
    answered; "/nuttig nee" after "thanks" or after a refused question rates the last answer
    (it once said there was none)."""
    lines = [
        "/tijd 2026-11-24 10:15",
        "/kanaal dm",
        "mag ik in de les op tiktok?",
        "can I use instagram in class?",
        "hoi",
        "thanks",
        "mag ik in de pauze op insta?",
        "mag ik een foto van een docent posten?",
        "bedankt",
        "/nuttig ja",
        "mag ik in de les whatsappen?",
        "mag ik op snapchat in de les?",
        "/nuttig nee",
    ]
    out = run_bot(tmp_path, "\n".join(lines), "--console", "--fresh").stdout
    assert out.count("Rustig aan!") == 1 and "Slow down!" not in out, out
    assert "Er is geen antwoord om te beoordelen." not in out
    assert out.count(texts.FEEDBACK_THANKS["nl"]) == 2
