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
from tests.conftest import ROOT

EXAMPLE = ROOT / "config.example.yaml"

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


@pytest.mark.parametrize("command", ["ask", "check-name", "check-message"])
def test_a_byte_order_mark_at_the_start_of_stdin_is_dropped(
    monkeypatch: pytest.MonkeyPatch, capsys: Captured, command: str
) -> None:
    _stdin(monkeypatch, "\ufeffbel 0612345678\n\ufeffx\n".encode())
    assert main([command, "--json", "--stdin"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    if command == "check-message":
        assert [(f["start"], f["end"]) for f in rows[0]["findings"]] == [(4, 14)]
    else:
        key = "name" if command == "check-name" else "question"
        # only at the very start: a later one is the text's own
        assert [row[key] for row in rows] == ["bel 0612345678", "\ufeffx"]


@pytest.mark.parametrize("command", ["ask", "check-name", "check-message"])
def test_a_line_too_long_is_skipped_and_the_next_ones_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: Captured, command: str
) -> None:
    from compass_bot.cli_common import MAX_LINE_CHARS

    lines = [
        "hoi",
        "x" * (MAX_LINE_CHARS + 1),
        "\u00e9" * MAX_LINE_CHARS,  # two bytes a character: fits
        "y" * (5 * MAX_LINE_CHARS),  # past the bytes read at once
        "\U0001f600" * (MAX_LINE_CHARS + 1) + "\r",
        "C0mpass",
    ]
    _stdin(monkeypatch, "\n".join(lines).encode())
    assert main([command, "--json", "--stdin"]) == 2
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 3
    assert out.err.splitlines() == [
        f"{command}: line {n} is longer than 100,000 characters; skipped" for n in (2, 4, 5)
    ]
    if command == "check-name":
        names = [json.loads(line)["name"] for line in out.out.splitlines()]
        assert names == ["hoi", "\u00e9" * MAX_LINE_CHARS, "C0mpass"]


def test_a_line_as_long_as_allowed_is_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: Captured
) -> None:
    from compass_bot.cli_common import MAX_LINE_CHARS

    _stdin(monkeypatch, ("\U0001f600" * MAX_LINE_CHARS + "\r\n").encode())
    assert main(["check-name", "--json", "--stdin"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "\U0001f600" * MAX_LINE_CHARS


@pytest.mark.parametrize(
    ("at", "noted"),
    [("2031-08-11T10:15", True), ("2030-12-31T23:30-05:00", True), ("2029-08-13T10:15", False)],
)
def test_check_time_says_when_the_moments_year_has_no_vacation_data(
    capsys: Captured, at: str, noted: bool
) -> None:
    """The year in the school's zone counts (23:30 in New York is the next year there); the
    timetable's other years (±2) are not this moment's concern."""
    assert main(["--config", str(EXAMPLE), "check-time", "--json", "--at", at]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 1
    note = (
        f"check-time: {EXAMPLE}: the holidays package has no school vacations for 2031; "
        "list them under schedule.days_off.extra or in ics_file"
    )
    assert out.err.splitlines() == ([note] if noted else [])


@pytest.mark.parametrize("source", ["file", "-"])
def test_a_transcript_that_is_not_utf8_names_its_first_bad_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Captured, source: str
) -> None:
    data = b"\xef\xbb\xbf" + f"{_line(0)}\n\n{_line(1)}\xff\n".encode("latin-1") + b"\xfe\n"
    path = tmp_path / "t.jsonl"
    path.write_bytes(data)
    _stdin(monkeypatch, data)
    name = str(path) if source == "file" else "-"
    with pytest.raises(SystemExit) as exited:  # the file is refused before the command runs
        main(["check-discussion", "--json", name])
    assert exited.value.code == 2
    out = capsys.readouterr()
    shown = str(path) if source == "file" else "<stdin>"
    assert out.out == "" and out.err.splitlines() == [
        f"check-discussion: {shown}:3: not UTF-8 text"
    ]


LONG = "x" * 5000
SHOWN = "x" * 40 + "\u2026"  # as a config key is shown (`cut_short`)
TEACHERS = "Docent" + "y" * 50  # a long configured role, and a slip in it below
SLIP = "Dcoent" + "y" * 50


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--school", LONG], 2, f"check-time: unknown school '{SHOWN}': this config runs 2 "),
        (["--school", "noord", "--channel", LONG], 0, f"check-time: '{SHOWN}' staat niet"),
        (["--school", "noord", "--channel", "kantine", "--category", LONG], 0, f"(in '{SHOWN}')"),
        (["--school", "noord", "--role", SLIP], 0, f"rol '{SLIP[:40]}\u2026' staat niet"),
    ],
)
def test_a_long_argument_is_echoed_cut_short(
    tmp_path: Path, capsys: Captured, args: list[str], code: int, said: str
) -> None:
    """`--school "$(printf 'x%.0s' {1..5000})"` was printed back whole, as were --channel,
    --category and a --role near a configured one."""
    from tests.conftest import BOARD_CONFIG

    config = tmp_path / "config.yaml"
    config.write_text(BOARD_CONFIG.replace("[Docent]", f"[{TEACHERS}]"), encoding="utf-8")
    at = "2026-11-24T10:15+01:00"
    try:
        done = main(["--config", str(config), "check-time", "--at", at, *args])
    except SystemExit as exc:
        done = int(exc.code or 0)
    assert done == code
    err = capsys.readouterr().err
    assert said in err and LONG[:41] not in err and SLIP not in err, err
