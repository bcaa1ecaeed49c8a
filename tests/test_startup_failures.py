"""Start-up failures on the way to Discord are one line, never a traceback, never a hang,
never the token. The network or Discord being down is tried again in-process (one line an
attempt, a signal ends the wait at once); the token or the config exits 2, which systemd does
not restart. Each runs `python bot.py` as a separate process; "quick" is 5 s or a few
start-ups of the moment (`tests/timing.py`)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compass_bot.discord_front.runner import EXIT_SETUP, EXIT_STOPPED, Backoff, run_discord
from tests.conftest import ROOT, TEST_CONFIG, make_loaded
from tests.discord_env import SCHOOL
from tests.fakediscord import FakeDiscord, patch_endpoints
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


def _retried_then_stopped(
    tmp_path: Path, api: str, gateway: str, stop: signal.Signals = signal.SIGTERM
) -> tuple[int, str, float]:
    """Start the bot, wait for its first failed login's line, signal it during the pause
    before the next attempt; the exit code, the whole output, and how long the stop took."""
    command, env = _bot_command(tmp_path, api, gateway)
    proc = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the process is killed below should it hang
            seen.append(line)
            if "ERROR" in line:
                break
        started = time.monotonic()
        proc.send_signal(stop)
        rest, _ = proc.communicate(timeout=HANG_SECONDS)
        took = time.monotonic() - started
    finally:
        proc.kill()
        proc.wait()
    return proc.returncode, "".join(seen) + rest, took


def test_refused_connection_at_login_is_one_line_and_tried_again(tmp_path: Path) -> None:
    port = _closed_port()
    code, output, took = _retried_then_stopped(
        tmp_path, f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/"
    )
    assert code == EXIT_STOPPED, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "no connection to 127.0.0.1" in line and "discord.api_base_url" in line
    assert line.endswith("; trying again in 10 s"), line
    assert output.count("shutting down") == 1, output
    assert took < quick_exit_limit_now(), f"the stop took {took:.1f}s"


def test_a_name_that_does_not_resolve_is_one_line_and_tried_again(tmp_path: Path) -> None:
    code, output, _took = _retried_then_stopped(
        tmp_path, "http://compass-bot-test.invalid/api/v10", "ws://compass-bot-test.invalid/"
    )
    assert code == EXIT_STOPPED, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "compass-bot-test.invalid" in line and ("DNS" in line or "no connection" in line)
    assert "trying again in 10 s" in line


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_discord_5xx_at_login_is_one_line_and_a_signal_ends_the_wait(
    tmp_path: Path, stop: signal.Signals
) -> None:
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    try:
        fake.fail_always("GET", "/users/@me", 503)
        code, output, took = _retried_then_stopped(
            tmp_path, fake.api_base_url, fake.gateway_url, stop
        )
    finally:
        fake.stop()
    assert code == EXIT_STOPPED, output
    assert "Traceback" not in output and TOKEN not in output
    [line] = _errors(output)
    assert "503" in line and "Discord" in line and "trying again in 10 s" in line
    assert took < quick_exit_limit_now(), f"the stop took {took:.1f}s"


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


async def test_a_login_that_fails_by_itself_is_tried_again_until_it_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord down for two logins: the bot waits (doubling, up to its most), logs in on the
    third and connects; systemd never saw a start fail. In-process, with short pauses."""
    caplog.set_level(logging.INFO, logger="compass_bot")
    async with FakeDiscord(SCHOOL, token=TOKEN) as fake:
        fake.fail_next("GET", "/users/@me", 503, times=2)
        endpoints = f"  api_base_url: {fake.api_base_url}\n  gateway_url: {fake.gateway_url}\n"
        text = TEST_CONFIG.replace(
            "discord:\n  guild: Compass\n", f"discord:\n  guild: Compass\n{endpoints}"
        )
        loaded = make_loaded(tmp_path, text)
        with patch_endpoints(fake):  # run_discord points discord.py at the fake; put it back
            run = asyncio.create_task(run_discord(loaded, TOKEN, Backoff(first=0.05, most=0.08)))
            await fake.wait_identified(timeout=HANG_SECONDS)
            os.kill(os.getpid(), signal.SIGTERM)  # the bot's own handler takes it
            code = await asyncio.wait_for(run, HANG_SECONDS)
        logins = [call for call in fake.calls if call.matches("GET", "/users/@me")]
    assert code == EXIT_STOPPED
    retries = [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]
    assert [line.rsplit(" in ", 1)[1] for line in retries] == ["0.05 s", "0.08 s"], retries
    assert all("503" in line for line in retries)
    assert len(logins) == 3
