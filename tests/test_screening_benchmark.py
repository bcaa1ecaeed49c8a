"""benchmarks/screening.py runs the real bot's one screening listener, each feature's check
and discord.py's dispatch on posts that need no action."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "screening.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )


def test_every_listener_is_timed_and_summed() -> None:
    done = _run("--iterations", "1", "--repeats", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("case"))
    for column in ("decision", "convert", "schooltime", "personal_d", "heat", "questions"):
        assert column in header
    for case in ("lesson channel", "staff author", "lunch break", "after school"):
        assert any(line.startswith(case) for line in lines), case
    assert any(line.startswith("whole screening / parse") for line in lines)
    assert any("without the conversion" in line for line in lines)
    assert any(line.startswith("target:") for line in lines)
    assert "listener" in header
    dispatch = next(line for line in lines if line.startswith("real dispatch / parse"))
    assert "its 1 task(s) are done" in dispatch  # the one screening listener


def test_dispatch_only_measures_the_parse_and_the_real_dispatch() -> None:
    done = _run("--iterations", "1", "--repeats", "1", "--dispatch-only")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("discord.py parse of MESSAGE_CREATE")
    assert lines[1].startswith("real dispatch / parse") and len(lines) == 2


def test_names_are_checked_on_posts_without_the_members_intent() -> None:
    done = _run("--iterations", "1", "--repeats", "1", "--members-off")
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("with permission") for line in done.stdout.splitlines())


def test_bad_iterations_is_one_clear_error() -> None:
    done = _run("--iterations", "0")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "--iterations" in done.stderr.splitlines()[-1]
