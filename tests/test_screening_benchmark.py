"""benchmarks/screening.py runs the real bot's listeners on posts that need no action."""

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


def test_names_are_checked_on_posts_without_the_members_intent() -> None:
    done = _run("--iterations", "1", "--repeats", "1", "--members-off")
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("with permission") for line in done.stdout.splitlines())


def test_bad_iterations_is_one_clear_error() -> None:
    done = _run("--iterations", "0")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "--iterations" in done.stderr.splitlines()[-1]
