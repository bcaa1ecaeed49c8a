"""A backup restored over the wrong school's database: the copy records its school (`backup`),
and the bot's start, `validate-config` and `status` refuse a file marked for another school of
the board, one line naming both (exit 2)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from compass_bot.config import load_config
from tests.test_schools_cli import Run, _fill, board, cli

__all__ = ["cli"]  # the fixture

ROOT = Path(__file__).resolve().parents[1]


def _restore_noord_as_zuid(tmp_path: Path, cli: Callable[..., Run]) -> str:
    """Noord's backup copied to Zuid's database path; the line the refusal must say."""
    noord, zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 1))
    asyncio.run(_fill(zuid, 2))
    copy = tmp_path / "noord.db"
    assert cli("backup", str(copy), "--school", "Noord")[0] == 0
    shutil.copyfile(copy, zuid.database_path)
    return (
        f"{zuid.database_path} is a backup of school 'Noord', not of 'Zuid'; restore Zuid's "
        f"own backup there (this one belongs at {noord.database_path})"
    )


def test_status_refuses_another_schools_restored_backup(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    problem = _restore_noord_as_zuid(tmp_path, cli)
    code, out, err = cli("status", "--school", "Zuid")
    assert (code, out, err) == (2, "", f"status: Zuid: {problem}\n")
    code, out, err = cli("status")  # the board: Noord still reported
    assert code == 2 and out.count("compass-bot ") == 1 and err == f"status: Zuid: {problem}\n"
    assert cli("status", "--school", "Noord")[0] == 0


def test_validate_config_and_the_bot_refuse_it(tmp_path: Path, cli: Callable[..., Run]) -> None:
    problem = _restore_noord_as_zuid(tmp_path, cli)
    config = tmp_path / "config.yaml"
    code, out, err = cli("validate-config", str(config))
    assert (code, out) == (2, "")
    assert err == f"{config}: schools[1].storage.database: {problem}\n"
    env = {**os.environ, "DISCORD_TOKEN": "x" * 70, "COMPASS_CONFIG": str(config)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.splitlines()[0] == f"{config}: schools[1].storage.database: {problem}"


def test_a_schools_own_backup_restored_is_used(tmp_path: Path, cli: Callable[..., Run]) -> None:
    noord, _zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 1))
    copy = tmp_path / "noord.db"
    assert cli("backup", str(copy), "--school", "Noord")[0] == 0
    noord.database_path.unlink()
    shutil.copyfile(copy, noord.database_path)
    assert cli("status", "--school", "Noord")[0] == 0
    code, out, err = cli("validate-config", str(tmp_path / "config.yaml"))
    assert code == 0 and out.startswith("ok: "), err
    single = load_config(tmp_path / "single.yaml")  # one school: nothing to confuse
    shutil.copyfile(copy, single.database_path)
    assert cli("status", config="single.yaml")[0] == 0
