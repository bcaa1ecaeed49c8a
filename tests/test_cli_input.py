"""The per-line and file-reading commands on odd input, run in-process: every slip is one
line on stderr and the documented exit code, never a traceback; every JSON line is one line
for any reader."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from compass_bot.__main__ import main

Captured = pytest.CaptureFixture[str]


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _line(n: int, extra: str = "") -> str:
    return (
        f'{{"author": "a", "at": "2026-11-24T10:1{n}+01:00", "text": "hoi", "reply_to": null'
        f"{extra}}}"
    )


def test_a_number_past_pythons_digit_limit_is_not_a_json_object(
    tmp_path: Path, capsys: Captured
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(_line(0) + "\n" + _line(1, ', "x": ' + "1" * 5000) + "\n", encoding="utf-8")
    assert main(["check-discussion", "--json", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines() == [f"check-discussion: {path}:2: not a JSON object"]


BREAKS = "\x1c\x1d\x1e\x85\u2028\u2029\x0b\x0c"


@pytest.mark.parametrize("command", ["check-name", "ask"])
def test_a_json_line_holds_no_character_splitlines_breaks_at(
    monkeypatch: pytest.MonkeyPatch, capsys: Captured, command: str
) -> None:
    _stdin(monkeypatch, f"Compass{BREAKS}x\n".encode())
    assert main([command, "--json", "--stdin"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1, out
    assert json.loads(out)["name" if command == "check-name" else "question"] == (
        f"Compass{BREAKS}x"
    )


def test_a_json_log_record_is_one_line() -> None:
    import logging

    from compass_bot.logs import JsonFormatter

    record = logging.LogRecord("t", logging.INFO, "f", 1, "a\u2028b\x85c", None, None)
    assert len(JsonFormatter().format(record).splitlines()) == 1
