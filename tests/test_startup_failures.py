"""Start-up failures on the way to Discord are one line and exit 1: never a traceback, never
a hang, never the token. Each runs `python bot.py` as a separate process; "quick" is 5 s or a few
start-ups of the moment (`tests/timing.py`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, TEST_CONFIG
from tests.discord_env import SCHOOL
from tests.fakediscord import FakeDiscord
from tests.timing import HANG_SECONDS, quick_exit_limit_now

TOKEN = "startup-test-token.abc.def"


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _run_bot(tmp_path: Path, api: str, gateway: str) -> tuple[int, str, float]:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        TEST_CONFIG.replace(
            "discord:\n  guild: Compass\n",
            f"discord:\n  guild: Compass\n  api_base_url: {api}\n  gateway_url: {gateway}\n",
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "COMPASS_CONFIG"}
    env["DISCORD_TOKEN"] = TOKEN
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(cfg)],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
    )
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if "ERROR" in line]


def test_refused_connection_at_login_is_one_line(tmp_path: Path) -> None:
    port = _closed_port()
    code, output, took = _run_bot(
        tmp_path, f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/"
    )
    assert code == 1, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "no connection to 127.0.0.1" in line and "discord.api_base_url" in line
    assert took < quick_exit_limit_now(), f"took {took:.1f}s"


def test_a_name_that_does_not_resolve_is_one_line(tmp_path: Path) -> None:
    code, output, _took = _run_bot(
        tmp_path, "http://compass-bot-test.invalid/api/v10", "ws://compass-bot-test.invalid/"
    )
    assert code == 1, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "compass-bot-test.invalid" in line and ("DNS" in line or "no connection" in line)


def test_discord_5xx_at_login_is_one_line(tmp_path: Path) -> None:
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    try:
        fake.fail_always("GET", "/users/@me", 503)
        code, output, took = _run_bot(tmp_path, fake.api_base_url, fake.gateway_url)
    finally:
        fake.stop()
    assert code == 1, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "503" in line and "Discord" in line
    assert took < quick_exit_limit_now(), f"took {took:.1f}s"
