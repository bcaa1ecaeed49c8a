"""Running it for real: the Makefile names a Python it can use, and the deploy files keep the
promises the README makes (non-root, database on a volume, restart on failure, SIGTERM)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


# The README's commands are make targets; a machine without make cannot run them at all, so
# there is nothing of the Makefile to check there (the deploy files are checked below anyway).
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("python", ["/bin/false", ""])
def test_make_without_a_suitable_python_says_how_to_name_one(tmp_path: Path, python: str) -> None:
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), f"PYTHON={python}", f"VENV={tmp_path / 'venv'}", "lint"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and done.stdout == ""
    assert "make run PYTHON=python3.12" in done.stderr.splitlines()[0]
    assert not (tmp_path / "venv").exists()


def _directives(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_the_systemd_unit_restarts_on_failure_and_stops_with_sigterm() -> None:
    unit = _directives(ROOT / "deploy" / "compass-bot.service")
    assert unit["Restart"] == "on-failure" and unit["KillSignal"] == "SIGTERM"
    assert unit["User"] != "root" and "bot.py" in unit["ExecStart"]


def test_the_unit_keeps_what_the_bot_writes_to_its_own_user() -> None:
    """Alert excerpts and notes about minors: the state folder and every file the bot makes
    there (a backup, a chart, a log) are the bot's user's alone; the database is 0600 anyway."""
    unit = _directives(ROOT / "deploy" / "compass-bot.service")
    assert unit["UMask"] == "0077" and unit["StateDirectoryMode"] == "0700"


def test_the_unit_gives_up_only_on_what_a_person_must_fix() -> None:
    """A bad config or token (exit 2) is not restarted; a crash is, under a start limit that
    keeps a crash loop below Discord's 1,000 gateway sessions a day (the bot retries a login
    that fails by itself in-process, so a long outage never meets the limit)."""
    from compass_bot.discord_front.runner import EXIT_SETUP, EXIT_UNEXPECTED

    unit = _directives(ROOT / "deploy" / "compass-bot.service")
    prevented = {int(code) for code in unit["RestartPreventExitStatus"].split()}
    assert prevented == {EXIT_SETUP} and EXIT_UNEXPECTED not in prevented
    interval, burst = int(unit["StartLimitIntervalSec"]), int(unit["StartLimitBurst"])
    assert interval > 0 and burst > 0  # 0 would switch the limit off
    # A crash loop just under the limit starts (burst - 1) times every interval at most.
    assert (burst - 1) * 86_400 / interval < 1_000
    # The limit can be reached: `burst` restarts fit in the interval.
    assert burst * int(unit["RestartSec"]) < interval


def test_the_unit_is_set_up_by_an_install_only_target() -> None:
    header = (ROOT / "deploy" / "compass-bot.service").read_text(encoding="utf-8")
    assert "make install" in header and "make test" not in header
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "install: $(STAMP)" in makefile.splitlines()
    assert "run: install" in makefile.splitlines()


def test_the_image_runs_as_a_user_with_the_database_on_a_volume() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    steps = {line.split()[0]: line for line in lines if line and not line.startswith(("#", " "))}
    assert steps["FROM"] == "FROM python:3.11-slim"
    assert steps["USER"].split()[1] not in ("root", "0")
    assert '"/data"' in steps["VOLUME"] and steps["STOPSIGNAL"] == "STOPSIGNAL SIGTERM"
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert "restart: on-failure" in compose and ":/data" in compose
    assert "max-size:" in compose  # the log is rotated


def test_matplotlib_gets_a_writable_folder_in_the_unit_and_the_container() -> None:
    """The unit's home is read-only (ProtectSystem=strict) and so is the container's root:
    MPLCONFIGDIR lies where the bot may write (ReadWritePaths, the /data volume)."""
    unit_lines = (ROOT / "deploy" / "compass-bot.service").read_text(encoding="utf-8")
    unit = _directives(ROOT / "deploy" / "compass-bot.service")
    folder = next(
        line.split("=", 2)[2]
        for line in unit_lines.splitlines()
        if line.startswith("Environment=MPLCONFIGDIR=")
    )
    assert unit["ProtectSystem"] == "strict" and folder.startswith(unit["ReadWritePaths"] + "/")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "    MPLCONFIGDIR=/data/.matplotlib\n" in dockerfile
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert "read_only: true" in compose and "MPLCONFIGDIR: /data/.matplotlib" in compose
