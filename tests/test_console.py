"""The console front end, driven through a pipe as a separate process, as a newcomer would."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TEST_CONFIG


def run_bot(
    tmp_path: Path,
    script: str,
    *args: str,
    config: str = TEST_CONFIG,
    pipe_into: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python bot.py ARGS` with `script` on stdin, no token, and its own config and folder;
    with `pipe_into`, its output goes through that shell command (e.g. `head -3`)."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COMPASS_CONFIG")}
    env["COMPASS_CONFIG"] = str(cfg)
    command = [sys.executable, str(ROOT / "bot.py"), *args]
    return subprocess.run(
        f"{shlex.join(command)} | {pipe_into}" if pipe_into else command,
        shell=pipe_into is not None,
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_console_warns_a_student_posting_during_lessons_and_alerts_moderators(
    tmp_path: Path,
) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling",
            "/kanaal algemeen",
            "hoi allemaal @everyone",
            "/tijd 2026-11-24 12:20",
            "lunch!",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Leerlingen van de Compass mogen onder schooltijd" in out  # the clause, verbatim
    assert "[#mod-meldingen · nieuw] Melding #1" in out
    assert "schooltijd" in out and "@\u200beveryone" in out  # the excerpt cannot ping
    assert "12:15" in out  # when posting is allowed again
    assert out.count("Melding #") == 1  # the lunch-break post is fine
    assert "Reden: gepost onder lestijd" in out
    assert "(geplaatst; schooltijdregel: Het is nu middagpauze (tot 12:45)" in out
    assert (tmp_path / "data" / "compass-console.db").exists()
    assert not (tmp_path / "data" / "compass.db").exists()  # the real bot's file is untouched


def test_console_teacher_permission_lets_the_class_post(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling",
            "/toestemming geven rol Leerling 20",
            "/als docent",
            "/toestemming geven rol Leerling 20 projectwerk",
            "/toestemming lijst",
            "/als leerling",
            "mag nu wel",
            "/tijd 2026-11-24 10:40",
            "nu niet meer",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    out = result.stdout
    assert "Alleen docenten kunnen toestemming geven" in out
    assert "Toestemming #1 voor Leerling tot di 2026-11-24 10:35" in out
    assert "(geplaatst; schooltijdregel: Je hebt toestemming van je docent tot 10:35.)" in out
    assert out.count("Melding #1") == 1 and "nu niet meer" in out


def test_console_answers_questions_in_a_dm_and_names_are_checked(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/kanaal dm",
            "mag ik in de les op tiktok?",
            "wat is het huiswerk voor wiskunde morgen?",
            "/bijnaam C0mpass",
            "/als moderator",
            "/meldingen open",
            "/melding 1 onterecht",
            "/meldingen open",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    out = result.stdout
    assert "Leerlingen van de Compass mogen onder schooltijd" in out
    assert "Daar zegt het protocol sociale media niets over" in out
    assert "Als je accounts of aliasen aanmaakt" in out  # aanwijzing-2 cited to the member
    assert "Compass in een accountnaam" in out
    assert "0 open melding(en)" in out
    assert "Onterecht" in out


def test_console_survives_bad_input(tmp_path: Path) -> None:
    long_question = "waarom " * 2000
    script = "\n".join(
        ["/tijd gisteren", "/onbekend", "/kanaal dm", long_question, "/toestemming geven"]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "Onbekende opdracht /onbekend" in result.stdout


def test_bot_without_token_and_without_terminal_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0] and "--console" in lines[0]


def test_bot_refuses_to_start_on_an_invalid_config(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "", "--console", config="roles:\n  teachers: {x: 1}\n")
    assert result.returncode == 2
    assert "config.yaml: roles.teachers" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_output_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    script = "/tijd 2026-11-24 10:15\n" + "hoi\n/help\n" * 50
    result = run_bot(tmp_path, script, "--console", pipe_into="head -3")
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr
