"""The heat benchmark's --misses listing: the transcripts a fold gets wrong, one line each."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.features.heat.rules import Message
from compass_bot.features.heat.rules_model import OFF

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from heat import outcomes, run_now


def _messages(*texts: str) -> list[Message]:
    start = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    return [
        Message("ab"[i % 2], start + timedelta(seconds=12 * i), text)
        for i, text in enumerate(texts)
    ]


def test_misses_lists_only_the_transcripts_gone_wrong(capsys: pytest.CaptureFixture[str]) -> None:
    quiet = _messages("wie heeft de sommen", "ik, ik stuur ze zo")
    missed = _messages("hoi", "ik vind je tekening mooi", "dank je")  # labelled heated: a miss
    transcripts = [(1, "calm", None, quiet), (2, "heated", 1, missed)]
    outcome, _ = outcomes(transcripts, 5, False, OFF, misses=True)
    lines = capsys.readouterr().out.splitlines()
    assert outcome["heated"]["never"] == 1 and outcome["calm"]["left alone"] == 1
    assert len(lines) == 1
    assert "line   2 heated never" in lines[0] and "levels from the turn: 0 0" in lines[0]
    outcomes(transcripts, 5, False, OFF)  # without it, nothing is listed
    assert capsys.readouterr().out == ""


async def _calm() -> int:
    return 7


async def _suspends() -> None:
    import asyncio

    await asyncio.sleep(0)


def test_the_service_line_drives_a_calm_post_synchronously_and_fails_loudly_if_it_suspends() -> (
    None
):
    assert run_now(_calm()) == 7
    with pytest.raises(SystemExit, match="suspended"):
        run_now(_suspends())
