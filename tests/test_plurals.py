"""A count and its noun agree, in Dutch and in English: "1 melding", "0 meldingen", "1 lid";
never "1 berichten" or "melding(en)" (a new-user tester found both in the digest and alerts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.discord_front.runner import STORAGE_BACK, STORAGE_DROPPED
from compass_bot.features.questions.service import QuestionAsked, QuestionService
from compass_bot.features.schooltime.discord_grants import ROLE_SOME_CLOSED
from compass_bot.texts import counted, for_count
from tests.conftest import TEST_CONFIG, make_loaded
from tests.test_console import run_bot


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (1, "melding(en)", "1 melding"),
        (0, "melding(en)", "0 meldingen"),
        (2, "open melding(en)", "2 open meldingen"),
        (1, "lid/leden", "1 lid"),
        (30, "lid/leden", "30 leden"),
        (1, "alert(s)", "1 alert"),
        (3, "alert(s)", "3 alerts"),
        (1, "goedgekeurde naam/namen", "1 goedgekeurde naam"),
        (2, "vermelding(en) in meldingen over anderen", "2 vermeldingen in meldingen over anderen"),
    ],
)
def test_a_count_and_its_noun_agree(count: int, noun: str, said: str) -> None:
    assert counted(count, noun) == said


def test_a_sentence_agrees_with_its_count_and_keeps_its_placeholders() -> None:
    text = "{n} melding(en) is/zijn opgeslagen en volgt/volgen hieronder / {n} flag(s) was/were"
    assert for_count(text, 1).format(n=1) == (
        "1 melding is opgeslagen en volgt hieronder / 1 flag was"
    )
    assert for_count(text, 4).format(n=4) == (
        "4 meldingen zijn opgeslagen en volgen hieronder / 4 flags were"
    )


def test_the_console_says_one_of_a_kind_in_the_singular(tmp_path: Path) -> None:
    """One post in a lesson, one rated answer, one open alert, then none: the digest, the
    alert list, the status and an erasure's summary each say it right."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/kanaal algemeen",
            "hoi",
            "/kanaal dm",
            "mag ik in de les op tiktok?",
            "/nuttig ja",
            "/als moderator",
            "/meldingen open",
            "/overzicht",
            "/privacy wissen leerling1",
            "/meldingen open",
            "/status",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "(en)" not in out and "(s)" not in out and "/namen" not in out, out
    assert "1 open melding:" in out and "0 open meldingen." in out
    assert "1 bericht; drukste moment" in out
    assert "Sociale media onder schooltijd: 1 beoordeling (1 nuttig, 0 niet nuttig)" in out
    assert (
        "Alles over leerling1 gewist: 1 melding aan moderatoren (nog open),"
        " 1 tijdstip van een waarschuwing.\n" in out
    )
    assert "Everything about leerling1 erased: 1 alert (still open), 1 time of a warning.\n" in out
    assert "Outbox: 0 meldingen wachten / alerts waiting" in out


def test_the_moderators_notices_agree_with_their_count() -> None:
    back = for_count(STORAGE_BACK, 1).format(written=1)
    assert "1 bewaarde melding is opgeslagen en volgt hieronder" in back
    assert "1 kept flag was saved and follows below" in back
    assert "3 meldingen gingen verloren" in for_count(STORAGE_DROPPED, 3).format(dropped=3)
    closed = for_count(ROLE_SOME_CLOSED, 1).format(role="@Klas 1-2", closed=1, count=28)
    assert closed.startswith("1 van de 28 leden van @Klas 1-2 heeft DM's dicht en weet het")
    assert "(1 of 28 has DMs closed.)" in closed


async def test_a_wait_of_one_minute_is_said_in_the_singular(tmp_path: Path) -> None:
    config = TEST_CONFIG + "questions:\n  rate_limit_count: 1\n  rate_limit_seconds: 60\n"
    app = await App.create(make_loaded(tmp_path, config))
    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    try:
        questions = app[QuestionService]
        questions.ask(QuestionAsked("mag ik in de les op tiktok?", 1, at))
        slowed = questions.ask(QuestionAsked("insta?", 1, at + timedelta(seconds=10)))
        assert "Probeer het over 1 minuut opnieuw." in slowed.message
        questions.ask(QuestionAsked("can I use tiktok in class?", 2, at))
        slowed = questions.ask(QuestionAsked("and insta?", 2, at + timedelta(seconds=10)))
        assert "Try again in 1 minute." in slowed.message
    finally:
        await app.close()
