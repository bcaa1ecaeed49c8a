"""Logs for running it for real: plain lines without colour off a terminal, `--log-format json`
for collectors, and never the token or a member's message text."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compass_bot.logs import JsonFormatter, setup_logging
from tests.conftest import ROOT, TEST_CONFIG
from tests.discord_env import LESSON, SCHOOL
from tests.fakediscord import FakeDiscord

TOKEN = "MTIz.secret-token-value.xyz"


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, restored after the test (setup_logging adds a handler to it)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_token_is_redacted_from_messages_and_tracebacks(root_logger: logging.Logger) -> None:
    for log_format in ("text", "json"):
        stream = io.StringIO()
        handler = setup_logging(log_format, secrets=[TOKEN], stream=stream)  # type: ignore[arg-type]
        log = logging.getLogger("compass_bot.test")
        log.warning("login with %s failed", TOKEN)
        try:
            raise RuntimeError(f"Authorization: Bot {TOKEN}")
        except RuntimeError:
            log.exception("request failed")
        root_logger.removeHandler(handler)
        out = stream.getvalue()
        assert TOKEN not in out, log_format
        assert out.count("[redacted]") == 2 and "RuntimeError" in out, log_format


def test_text_off_a_terminal_is_plain_even_with_a_colour_formatter(
    root_logger: logging.Logger,
) -> None:
    stream = io.StringIO()  # not a terminal
    colour = logging.Formatter("\x1b[31m%(message)s\x1b[0m")
    handler = setup_logging("text", stream=stream, colour=colour)
    logging.getLogger("compass_bot.test").info("ready")
    root_logger.removeHandler(handler)
    line = stream.getvalue()
    assert "\x1b[" not in line and line.rstrip().endswith("INFO     compass_bot.test: ready")


def test_json_lines_keep_a_traceback_in_one_record() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed %d", (3,), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed 3" and entry["level"] == "ERROR" and entry["logger"] == "x"
    assert "ValueError: boom" in entry["exception"] and entry["time"].endswith("+00:00")


def _run_bot(tmp_path: Path, log_format: str) -> str:
    fake = FakeDiscord(SCHOOL, token=TOKEN)
    fake.start()
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        TEST_CONFIG.replace(
            "discord:\n  guild: Compass\n",
            "discord:\n  guild: Compass\n"
            f"  api_base_url: {fake.api_base_url}\n  gateway_url: {fake.gateway_url}\n",
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG",)}
    env["DISCORD_TOKEN"] = TOKEN
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "--config", str(cfg), "--log-format", log_format],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        fake.sync.wait_for_call("PUT", "/applications/*/guilds/*/commands", timeout=30)
        fake.sync.dm("anna", "mag ik mijn zwaardvisgeheim op tiktok zetten?")
        fake.sync.post("anna", "algemeen", "kijk mijn kanaal zeebaarsfeestje", at=LESSON)
        fake.sync.settle()
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        fake.stop()
    assert proc.returncode == 0, output
    return output


def test_bot_py_json_logs_are_one_object_a_line_without_token_or_text(tmp_path: Path) -> None:
    output = _run_bot(tmp_path, "json")
    entries = [json.loads(line) for line in output.splitlines()]
    assert any(e["message"] == "shutting down" for e in entries)
    assert any(e["logger"].startswith("discord") for e in entries)
    for secret in (TOKEN, "zwaardvisgeheim", "zeebaarsfeestje"):
        assert secret not in output


def test_bot_py_text_logs_off_a_terminal_are_plain(tmp_path: Path) -> None:
    output = _run_bot(tmp_path, "text")
    assert "shutting down" in output and "\x1b[" not in output
    for secret in (TOKEN, "zwaardvisgeheim", "zeebaarsfeestje"):
        assert secret not in output
