"""What the console does with a line Discord would never carry as typed: longer than a message
may be, or bytes that are no UTF-8 text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from compass_bot.model import MESSAGE_LIMIT
from tests.conftest import ROOT, TEST_CONFIG
from tests.test_console import run_bot

SCRIPT_START = b"/tijd 2026-11-24 12:20\n/als leerling anna\n"


def test_a_line_longer_than_a_discord_message_is_refused_not_posted(tmp_path: Path) -> None:
    """Discord takes at most 2,000 characters in one message: a longer line is refused in one
    line, posted nowhere (no school-time line, no alert, nothing to report); 2,000 is posted."""
    script = "/tijd 2026-11-24 12:20\n/als leerling anna\n" + "a" * 10_000 + "\n"
    script += "/kanaal dm\n" + "waarom " * 2000 + "\n/kanaal algemeen\n"
    script += "b" * MESSAGE_LIMIT + "\n/als leerling bram\n/melden 1 pesten\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    refused = "Niet verstuurd: je bericht is 10000 tekens; een bericht heeft er hoogstens 2000."
    assert out.count(refused + " / Not sent: your message is 10000 characters; a message") == 1
    assert "Niet verstuurd: je bericht is 13999 tekens" in out  # the DM's question, stripped
    assert "a" * 100 not in out and "(geen antwoord)" not in out
    assert out.count("(geplaatst; schooltijdregel") == 1  # the post of exactly 2,000
    assert "Bericht: bbbb" in out  # the one bram reports is that post, not the refused one


def _console(tmp_path: Path, script: bytes) -> str:
    """The console fed `script` through a pipe, as `printf ... | bot.py --console` does."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(TEST_CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COMPASS_CONFIG")}
    env["COMPASS_CONFIG"] = str(cfg)
    command = [sys.executable, str(ROOT / "bot.py"), "--console", "--fresh"]
    result = subprocess.run(
        command, input=script, capture_output=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return result.stdout.decode("utf-8")


def test_a_line_that_is_no_utf8_is_named_once_and_still_posted(tmp_path: Path) -> None:
    """A byte that is no UTF-8 (Latin-1 "é") becomes U+FFFD, as the command line reads it;
    the console names the line once, as `ask --stdin` does, and still posts it."""
    script = SCRIPT_START + b"caf\xe9 open\nnog een\n/kanaal caf\xe9\n"
    out = _console(tmp_path, script)
    note = "line {n} is not UTF-8 text; its undecodable bytes are read as U+FFFD"
    assert out.count(note.format(n=3)) == 1 and out.count(note.format(n=5)) == 1
    assert "regel 3 is geen UTF-8-tekst" in out
    assert out.count("is not UTF-8 text") == 2  # line 4 is fine
    assert "(geplaatst; schooltijdregel: Het is nu middagpauze" in out
    assert "Je bent nu in #caf\ufffd" in out


def test_a_script_file_with_no_utf8_names_the_line_too(tmp_path: Path) -> None:
    """`bot.py --console < script.txt` (a file, not a pipe) counts its lines the same way."""
    script = tmp_path / "script.txt"
    script.write_bytes(SCRIPT_START + b"\n\xff\xfe hoi\n")
    out = run_bot(tmp_path, "", "--console", "--fresh", script_file=script).stdout
    assert "(regel 4 is geen UTF-8-tekst" in out
    assert "line 4 is not UTF-8 text; its undecodable bytes are read as U+FFFD" in out
