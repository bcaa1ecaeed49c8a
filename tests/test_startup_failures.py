"""Start-up failures on the way to Discord are one line, never a traceback, never a hang,
never the token; their exit code tells systemd whether to try again (75: the network or
Discord, 2: the token or the config). Each runs `python bot.py` as a separate process; "quick" is 5 s or a few
start-ups of the moment (`tests/timing.py`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compass_bot.discord_front.runner import EXIT_SETUP, EXIT_STOPPED, EXIT_TRY_AGAIN
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


def _bot_command(tmp_path: Path, api: str, gateway: str) -> tuple[list[str], dict[str, str]]:
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
    return [sys.executable, str(ROOT / "bot.py"), "--config", str(cfg)], env


def _run_bot(tmp_path: Path, api: str, gateway: str, token: str = TOKEN) -> tuple[int, str, float]:
    command, env = _bot_command(tmp_path, api, gateway)
    env["DISCORD_TOKEN"] = token
    started = time.monotonic()
    proc = subprocess.run(
        command,
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
    assert code == EXIT_TRY_AGAIN, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "no connection to 127.0.0.1" in line and "discord.api_base_url" in line
    assert took < quick_exit_limit_now(), f"took {took:.1f}s"


def test_a_name_that_does_not_resolve_is_one_line(tmp_path: Path) -> None:
    code, output, _took = _run_bot(
        tmp_path, "http://compass-bot-test.invalid/api/v10", "ws://compass-bot-test.invalid/"
    )
    assert code == EXIT_TRY_AGAIN, output
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
    assert code == EXIT_TRY_AGAIN, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "503" in line and "Discord" in line
    assert took < quick_exit_limit_now(), f"took {took:.1f}s"


def test_a_refused_token_is_one_line_and_not_worth_a_restart(tmp_path: Path) -> None:
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    try:
        code, output, _took = _run_bot(
            tmp_path, fake.api_base_url, fake.gateway_url, token="another.token.xyz"
        )
    finally:
        fake.stop()
    assert code == EXIT_SETUP, output
    assert "Traceback" not in output and "another.token.xyz" not in output
    [line] = _errors(output)
    assert "refused the token" in line


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_login_that_gets_no_answer(tmp_path: Path, stop: signal.Signals) -> None:
    """A server that accepts the connection and never answers held the login (and so the
    stop) for minutes: the signal ends it at once, as a normal stop."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        silent.settimeout(HANG_SECONDS)
        port = silent.getsockname()[1]
        command, env = _bot_command(
            tmp_path, f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/"
        )
        proc = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            connection, _address = silent.accept()  # the login's request, never answered
            with connection:
                time.sleep(0.2)
                proc.send_signal(stop)
                limit = quick_exit_limit_now()
                started = time.monotonic()
                output, _ = proc.communicate(timeout=HANG_SECONDS)
                took = time.monotonic() - started
        finally:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_STOPPED, output
    assert "Traceback" not in output and not _errors(output) and TOKEN not in output
    assert output.count("shutting down") == 1, output
    assert took < limit, f"took {took:.1f}s"
