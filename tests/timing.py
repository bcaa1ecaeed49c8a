"""Wall-clock bounds for "a quick exit, never a hang" that hold on a loaded machine.

A broken input must end a process quickly, which only wall-clock time shows. A fixed bound
alone fails when the machine is busy (start-up of Python and the bot's imports then takes
several times as long), so the bound grows with what starting up costs at that moment,
measured beside the cases it bounds. It never shrinks below `QUICK_EXIT_SECONDS`, and a hang
or a retry ladder (discord.py waits 1, 3, 5, ... seconds between tries) still exceeds it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUICK_EXIT_SECONDS = 5.0
# a quick exit is start-up plus a little work: this many start-ups is still quick
START_UPS_PER_QUICK_EXIT = 4


def start_up_seconds() -> float:
    """How long starting Python with the bot's heavy imports takes on this machine now."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import discord, compass_bot.app"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=True,
    )
    return time.monotonic() - started


def quick_exit_limit(start_up: float) -> float:
    """The bound for one quick exit, given `start_up_seconds()` measured beside it."""
    return max(QUICK_EXIT_SECONDS, START_UPS_PER_QUICK_EXIT * start_up)


HANG_SECONDS = 60.0  # a process still running after this has hung (the bound is far below)
_MEASURED: list[tuple[float, float]] = []  # (when, limit): the last measure, reused a minute


def quick_exit_limit_now() -> float:
    """`quick_exit_limit` from a start-up measured at most a minute ago (measured anew when
    older, as the machine's load changes)."""
    now = time.monotonic()
    if not _MEASURED or now - _MEASURED[0][0] > 60:
        _MEASURED[:] = [(now, quick_exit_limit(start_up_seconds()))]
    return _MEASURED[0][1]
