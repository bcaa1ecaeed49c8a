"""The fake Discord run on its own (`python -m tests.fakediscord.server`), for a bot in another
process: it prints where it listens and each server it serves, a school board's too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _first_lines(args: list[str], count: int) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakediscord.server", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        return [proc.stdout.readline().strip() for _ in range(count)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_standalone_serves_the_demo_server() -> None:
    lines = _first_lines([], 3)
    assert lines[0].startswith("api_base_url: http://127.0.0.1:")
    assert lines[1].startswith("gateway_url: ws://127.0.0.1:")
    assert lines[2].startswith("guild: Compass ")


def test_standalone_serves_a_board_s_schools() -> None:
    lines = _first_lines(["--schools", "Noord", "Zuid"], 5)
    names = [line.split()[1] for line in lines[2:]]
    assert names == ["Compass", "Noord", "Zuid"]
    ids = {line.split()[2] for line in lines[2:]}
    assert len(ids) == 3
