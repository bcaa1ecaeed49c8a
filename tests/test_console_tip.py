"""The console's one line at a terminal on how to ask the bot a question (`Console.asking_tip`):
right for where the console starts and for how the questions channel is configured."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.console.app import Console
from tests.conftest import TEST_CONFIG, make_loaded


async def tip(tmp_path: Path, extra: str, questions: str = "protocol-vragen") -> str:
    text = TEST_CONFIG.replace("  questions: protocol-vragen\n", f"  questions: {questions}\n")
    app = await App.create(make_loaded(tmp_path, text + extra))
    try:
        return Console(app, io.StringIO()).asking_tip()
    finally:
        await app.close()


async def test_in_a_social_channel_the_tip_names_every_way_to_ask(tmp_path: Path) -> None:
    said = await tip(tmp_path, "")
    assert said.startswith("Een vraag over het protocol? Typ /vraag en je vraag")
    assert "/kanaal dm of /kanaal protocol-vragen." in said
    assert said.endswith("Een gewone regel is een bericht in #algemeen.")


@pytest.mark.parametrize("start", ["dm", "protocol-vragen"])
async def test_where_every_line_is_a_question_the_tip_says_so(tmp_path: Path, start: str) -> None:
    said = await tip(tmp_path, f"console:\n  channel: {start}\n")
    assert said == "Elke regel hier is een vraag aan de bot; /kanaal NAAM gaat naar een kanaal."


@pytest.mark.parametrize("questions", ["1234567890123456789", "'Protocol Vragen'"])
async def test_a_questions_channel_the_console_cannot_go_to_is_not_offered(
    tmp_path: Path, questions: str
) -> None:
    said = await tip(tmp_path, "", questions)
    assert "/kanaal dm. Een gewone regel" in said
