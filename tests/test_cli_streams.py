"""The command line with unusable standard streams and odd input bytes, run as a script
would: a closed stdin or stdout, or a full disk behind stdout, is one line on stderr and a
non-zero exit (never a traceback), and every line of input gets its line of output."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compass_bot.app import App
from tests.conftest import ROOT, make_loaded

CLI = (sys.executable, "-m", "compass_bot")
FULL = Path("/dev/full")


# libfaketime (the suite is also run under `faketime`) opens a file as the child starts,
# which takes the lowest free descriptor: a closed stdin would come back as that file. These
# tests are about the streams, not the clock, so their children run without it.
_NOT_PASSED = ("COMPASS_CONFIG", "DISCORD_TOKEN", "LD_PRELOAD", "FAKETIME", "DONT_FAKE_MONOTONIC")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _shell(folder: Path, redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The command with a shell redirection (`<&-`, `>&-`, `>/dev/full`) applied."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *CLI, *args],
        cwd=folder,
        env=_env(),
        capture_output=True,
        timeout=60,
    )


def _one_line(done: subprocess.CompletedProcess[bytes], command: str, problem: str) -> None:
    err = done.stderr.decode()
    assert "Traceback" not in err, err
    assert err.splitlines() == [f"{command}: {problem}"], err


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "--json", "--stdin"),
        ("check-name", "--json", "--stdin"),
        ("check-message", "--json", "--stdin"),
        ("check-discussion", "--json", "-"),
    ],
)
def test_a_closed_stdin_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _shell(tmp_path, "<&-", *args)
    assert done.returncode == 2 and done.stdout == b""
    _one_line(done, args[0], "cannot read standard input: it is closed")


def test_a_closed_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    for json_flag in (("--json",), ()):
        done = _shell(tmp_path, ">&-", "check-name", *json_flag, "C0mpass")
        assert done.returncode == 1
        _one_line(done, "check-name", "cannot write standard output: it is closed")


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A folder with a config and the database the bot made from it."""
    loaded = make_loaded(tmp_path)

    async def make() -> None:
        await (await App.create(loaded)).close()

    asyncio.run(make())
    return tmp_path


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("check-name", "C0mpass"),
        ("check-name", "--json", "C0mpass"),
        ("ask", "mag ik in de les op tiktok?"),
        ("status",),
        ("status", "--json"),
        ("backup", "copy.db"),
    ],
)
def test_a_full_disk_behind_stdout_is_one_line_and_exit_1(
    school: Path, args: tuple[str, ...]
) -> None:
    done = _shell(school, ">/dev/full", "--config", "config.yaml", *args)
    assert done.returncode == 1
    _one_line(done, args[0], "cannot write standard output: No space left on device")


def test_a_closed_stderr_still_gives_the_exit_code(tmp_path: Path) -> None:
    done = _shell(tmp_path, "2>&- <&-", "ask", "--json", "--stdin")
    assert done.returncode == 2 and done.stdout == b""
    if FULL.exists():
        full = _shell(tmp_path, "2>/dev/full >&-", "check-name", "C0mpass")
        assert full.returncode == 1


def test_output_that_fits_is_unchanged_by_the_guard(tmp_path: Path) -> None:
    done = _shell(tmp_path, "", "check-name", "--json", "C0mpass")
    assert done.returncode == 0 and done.stderr == b""
    assert json.loads(done.stdout)["flagged"] is True


def _discussion(folder: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, "check-discussion", *args],
        cwd=folder,
        env=_env(),
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def test_a_transcript_is_split_on_newlines_only(tmp_path: Path) -> None:
    """U+2028, U+2029 and U+0085 are text inside a JSON string, not line ends (as
    str.splitlines() would have it); a CRLF file reads as its LF twin."""
    texts = ["hoi\u2028daar", "ja\x85nee\u2029", "ok"]
    lines = [
        json.dumps(
            {"author": "ab"[n % 2], "at": f"2026-11-24T10:1{n}+01:00", "text": text}
            | {"reply_to": None},
            ensure_ascii=False,  # the characters themselves, not \u escapes
        )
        for n, text in enumerate(texts)
    ]
    for ending in ("\n", "\r\n"):
        done = _discussion(tmp_path, "--json", "-", stdin=ending.join(lines).encode())
        assert done.returncode == 0, done.stderr.decode()
        rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
        assert [row["index"] for row in rows] == [0, 1, 2]


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_transcript_name_is_refused_as_empty(tmp_path: Path, name: str) -> None:
    done = _discussion(tmp_path, "--json", name)
    assert done.returncode == 2 and done.stdout == b""
    _one_line(done, "check-discussion", "the file name is empty (give a file, or - for stdin)")


def _bot(folder: Path, redirect: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """`bot.py --console` (the README's first command) with a shell redirection applied."""
    bot = (sys.executable, str(ROOT / "bot.py"), "--console", "--config", "config.yaml")
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *bot],
        cwd=folder,
        env=_env(),
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def test_the_console_with_a_closed_stdin_is_one_line_and_exit_2(school: Path) -> None:
    done = _bot(school, "<&-")
    assert done.returncode == 2 and done.stdout == b""
    _one_line(done, "compass-bot", "cannot read standard input: it is closed")


def test_the_console_with_a_closed_stdout_is_one_line_and_exit_1(school: Path) -> None:
    done = _bot(school, ">&-", b"hoi\n")
    assert done.returncode == 1
    _one_line(done, "compass-bot", "cannot write standard output: it is closed")


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_the_console_with_a_full_disk_behind_stdout_is_one_line_and_exit_1(school: Path) -> None:
    done = _bot(school, ">/dev/full", b"hoi\n")
    assert done.returncode == 1
    _one_line(done, "compass-bot", "cannot write standard output: No space left on device")
