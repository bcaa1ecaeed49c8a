"""Every broken start-up input, run as the admin would: a real process, one line, no hang.

Each case is a config (or .env, or calendar) a school can plausibly produce, run through
`python -m compass_bot validate-config`, `check-time` or `python bot.py` with stdin closed.
The processes run a few at a time so the module stays quick; each must end within 5 seconds
(more when start-up itself is slow right now: `tests/timing.py`) with a non-zero exit, its
problem on one line (plus bot.py's fixed "not started" line) and no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.timing import HANG_SECONDS, quick_exit_limit_now

ROOT = Path(__file__).resolve().parents[1]
FAKE_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.token-never-printed"

GOOD_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//NL\r\nEND:VCALENDAR\r\n"


@dataclass(frozen=True)
class Case:
    """One broken input: files to write into a fresh folder, the command, what the line says."""

    files: dict[str, str | bytes]
    argv: tuple[str, ...]
    expected: str
    env: tuple[tuple[str, str], ...] = ()
    setup: Callable[[Path], None] | None = None


def _ics_config(name: str = "jaar.ics") -> str:
    return f"schedule:\n  days_off:\n    ics_file: {name}\n"


def _mkfifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")


VALIDATE = ("-m", "compass_bot", "validate-config", "config.yaml")
CHECK_TIME = ("-m", "compass_bot", "--config", "config.yaml", "check-time")
CONSOLE = ("bot.py", "--console", "--config", "config.yaml")
BOT = ("bot.py", "--config", "config.yaml")
BAD_DATE_ICS = GOOD_ICS.replace(
    "END:VCALENDAR",
    "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:2026-11-27\r\nEND:VEVENT\r\nEND:VCALENDAR",
)
BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "names:\n  allowed_words: *i\n"
)

CASES: dict[str, Case] = {
    # schedule.days_off.ics_file
    "ics-missing": Case({"config.yaml": _ics_config()}, VALIDATE, "jaar.ics: file not found"),
    "ics-folder": Case(
        {"config.yaml": _ics_config("kalender")},
        VALIDATE,
        "kalender: is a folder",
        setup=lambda d: (d / "kalender").mkdir(),
    ),
    "ics-not-utf8": Case(
        {"config.yaml": _ics_config(), "jaar.ics": GOOD_ICS.encode() + b"SUMMARY:caf\xe9\r\n"},
        VALIDATE,
        "jaar.ics: not UTF-8",
    ),
    "ics-not-icalendar": Case(
        {"config.yaml": _ics_config(), "jaar.ics": "Studiedag 27 november\n"},
        VALIDATE,
        "jaar.ics: not an iCalendar file",
    ),
    "ics-bad-date": Case(
        {"config.yaml": _ics_config(), "jaar.ics": BAD_DATE_ICS}, VALIDATE, "cannot read DTSTART"
    ),
    "ics-check-time": Case(
        {"config.yaml": _ics_config()}, (*CHECK_TIME, "--at", "2026-12-01T10:00"), "file not found"
    ),
    "ics-console": Case({"config.yaml": _ics_config()}, CONSOLE, "jaar.ics: file not found"),
    "ics-discord": Case(
        {"config.yaml": _ics_config()},
        BOT,
        "jaar.ics: file not found",
        env=(("DISCORD_TOKEN", FAKE_TOKEN),),
    ),
    # storage.database
    "db-folder-blocked": Case(
        {"config.yaml": "storage:\n  database: data/sub/compass.db\n", "data": "a file"},
        VALIDATE,
        "storage.database: the folder",
    ),
    "db-is-a-folder": Case(
        {"config.yaml": "storage:\n  database: .\n"}, CONSOLE, "storage.database: "
    ),
    # a NUL byte ("\0" in quotes) would pass as a path and crash the bot on opening the file
    **{
        f"db-nul-byte-{name}": Case(
            {"config.yaml": 'storage:\n  database: "data/a\\0b.db"\n'},
            argv,
            "storage.database: the file name 'data/a\\x00b.db' holds a control character",
            env=(("DISCORD_TOKEN", FAKE_TOKEN),),
        )
        for name, argv in (
            ("validate", VALIDATE),
            ("status", ("-m", "compass_bot", "--config", "config.yaml", "status")),
            ("console", CONSOLE),
            ("discord", BOT),
        )
    },
    "ics-control-character": Case(
        {"config.yaml": 'schedule:\n  days_off:\n    ics_file: "jaar\\0.ics"\n'},
        VALIDATE,
        "ics_file: the file name 'jaar\\x00.ics' holds a control character",
    ),
    # .env
    "env-not-utf8": Case(
        {"config.yaml": "", ".env": b"DISCORD_TOKEN=caf\xe9-" + FAKE_TOKEN.encode() + b"\n"},
        BOT,
        ".env: not UTF-8",
    ),
    # the config file itself
    "yaml-alias-bomb": Case({"config.yaml": BOMB}, VALIDATE, "aliases"),
    "yaml-deep": Case({"config.yaml": "x: " + "[" * 100_000 + "]" * 100_000}, VALIDATE, "deeper"),
    "yaml-long-number": Case(
        {"config.yaml": "retention:\n  days: " + "9" * 5000 + "\n"}, VALIDATE, "5000 digits"
    ),
    "yaml-impossible-date": Case(
        {"config.yaml": "schedule:\n  days_off:\n    extra: [2026-02-30]\n"},
        VALIDATE,
        "not a real date",
    ),
    "yaml-duplicate-key": Case(
        {"config.yaml": "retention:\n  days: 7\nretention:\n  days: 8\n"}, VALIDATE, "twice"
    ),
    "config-pipe": Case(
        {},
        ("-m", "compass_bot", "validate-config", "pipe.yaml"),
        "not a regular file",
        setup=_mkfifo,
    ),
    "config-dev-zero": Case({}, (*CONSOLE[:2], "--config", "/dev/zero"), "not a regular file"),
    # dates out of range
    "at-year-1": Case(
        {"config.yaml": ""}, (*CHECK_TIME, "--at", "0001-01-01T00:00+01:00"), "out of range"
    ),
    "at-year-9999": Case(
        {"config.yaml": ""}, (*CHECK_TIME, "--at", "9999-12-31T23:59-05:00"), "out of range"
    ),
}


@dataclass(frozen=True)
class Outcome:
    returncode: int | None
    output: str
    seconds: float


def _run(folder: Path, case: Case) -> Outcome:
    folder.mkdir()
    for name, content in case.files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.setup is not None:
        case.setup(folder)
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG", "DISCORD_TOKEN")}
    env.update(case.env)
    env["PYTHONPATH"] = str(ROOT)
    argv = [sys.executable, *(str(ROOT / a) if a == "bot.py" else a for a in case.argv)]
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv,
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=HANG_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"") + (exc.stderr or b"")
        text = out.decode(errors="replace") if isinstance(out, bytes) else out
        return Outcome(None, text, time.monotonic() - started)
    return Outcome(done.returncode, done.stdout + done.stderr, time.monotonic() - started)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """All cases, four processes at a time (each is mostly interpreter start-up)."""
    base = tmp_path_factory.mktemp("bad-input")
    with ThreadPoolExecutor(max_workers=2) as pool:  # one per core: honest timings
        futures = {name: pool.submit(_run, base / name, case) for name, case in CASES.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def limit_seconds() -> float:
    return quick_exit_limit_now()


@pytest.mark.parametrize("name", list(CASES))
def test_broken_input_is_one_line_and_a_quick_exit(
    outcomes: dict[str, Outcome], limit_seconds: float, name: str
) -> None:
    outcome = outcomes[name]
    assert outcome.returncode is not None, f"{name} hung: {outcome.output[-500:]}"
    assert outcome.returncode == 2, outcome.output
    assert "Traceback" not in outcome.output, outcome.output
    assert FAKE_TOKEN not in outcome.output
    lines = outcome.output.strip().splitlines()
    problems = [line for line in lines if not line.startswith("compass-bot: not started")]
    assert len(problems) == 1, lines
    assert len(lines) <= 2, lines
    assert CASES[name].expected in problems[0], problems[0]
    # Alone a case takes well under a second; four at a time on a slow runner stay below this.
    assert outcome.seconds < limit_seconds, f"{name} took {outcome.seconds:.1f}s"
