"""The console front end, driven through a pipe as a separate process, as a newcomer would."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from compass_bot.console.server import member_id_of
from compass_bot.features.names import texts as name_texts
from compass_bot.registry import alert_kind_words
from tests.conftest import BOARD_CONFIG, ROOT, TEST_CONFIG


def run_bot(
    tmp_path: Path,
    script: str,
    *args: str,
    config: str = TEST_CONFIG,
    pipe_into: str | None = None,
    script_file: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python bot.py ARGS` with `script` on stdin, no token, and its own config and folder;
    with `pipe_into`, its output goes through that shell command (e.g. `head -3`); with
    `script_file`, stdin is that file (a regular file, not a pipe) and `script` is unused."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COMPASS_CONFIG")}
    env["COMPASS_CONFIG"] = str(cfg)
    command = [sys.executable, str(ROOT / "bot.py"), *args]
    with contextlib.ExitStack() as files:
        stdin = files.enter_context(script_file.open("rb")) if script_file else None
        return subprocess.run(
            f"{shlex.join(command)} | {pipe_into}" if pipe_into else command,
            shell=pipe_into is not None,
            input=None if stdin else script,
            stdin=stdin,
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
            "/toestemming geven",  # no words: the same refusal, not a usage line
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
    assert out.count("Alleen docenten kunnen toestemming geven of intrekken. / Only teachers") == 2
    assert "Gebruik: /toestemming" not in out
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
    assert "0 open meldingen" in out
    assert "Onterecht" in out


def test_a_member_who_joins_under_a_school_name_is_checked_as_on_discord(tmp_path: Path) -> None:
    """`/als leerling NAAM` is a member joining the server: their names are checked as
    Discord's member join checks them; a clean name says nothing."""
    script = "\n".join(
        ["/tijd 2026-11-24 16:30", "/als leerling anna", "/als leerling Compas_3A", "/wie"]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert '[bot · DM aan Compas_3A] Hoi! Je gebruikersnaam "Compas_3A"' in out
    assert "Compass in een accountnaam (aanwijzing-2)" in out
    assert "namen van anna" not in out and "namen van Compas_3A" not in out


def test_console_survives_bad_input(tmp_path: Path) -> None:
    long_question = "waarom " * 2000
    script = "\n".join(
        ["/tijd gisteren", "/onbekend", "/kanaal dm", long_question, "/toestemming geven"]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "Onbekende opdracht /onbekend" in result.stdout


def test_a_byte_that_is_no_utf8_in_a_script_file_is_read_as_through_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot.py --console < script.txt` reads a file, not a pipe: a stray byte in a post must
    still be one replaced character, and the post still warned and alerted; also where the
    locale makes Python's stdin strict (nl_NL.UTF-8, macOS)."""
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:strict")
    script = tmp_path / "script.txt"
    script.write_bytes(
        b"/tijd 2026-11-24 10:15\n/als leerling anna\nhoi \xff kapot\n"
        b"/als moderator mo\n/meldingen open\n/stop\n"
    )
    result = run_bot(tmp_path, "", "--console", script_file=script)
    assert result.returncode == 0
    assert "Error" not in result.stdout + result.stderr
    assert "Bericht: hoi \ufffd kapot" in result.stdout
    assert "1 open melding" in result.stdout


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


def test_ctrl_c_ends_the_console_at_once_with_a_goodbye_and_exit_0(tmp_path: Path) -> None:
    """Ctrl-C while the console waits for a line: no waiting for Enter, no exit 130."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(TEST_CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COMPASS_CONFIG")}
    env["COMPASS_CONFIG"] = str(cfg)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "--console"],
        stdin=subprocess.PIPE,  # kept open: the console is waiting for input
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        assert "compass-bot console" in proc.stdout.readline()  # ready, handler in place
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=5)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert out.strip().endswith("Tot ziens.")
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_ctrl_c_at_a_terminal_ends_the_console_at_once(tmp_path: Path) -> None:
    """The same at a real terminal (a pseudo-terminal), where the console shows a prompt."""
    cfg = tmp_path / "config.yaml"
    cfg.write_text(TEST_CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "COMPASS_CONFIG")}
    env["COMPASS_CONFIG"] = str(cfg)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "--console"],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    os.close(follower)
    seen = b""
    try:
        while b"leerling1@#algemeen> " not in seen:  # the prompt: waiting for a line
            ready, _, _ = select.select([leader], [], [], 10)
            assert ready, seen
            seen += os.read(leader, 4096)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
        while select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
    finally:
        proc.kill()
        proc.wait()
        os.close(leader)
    assert b"Tot ziens." in seen
    assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()
    # at a terminal, once, before the first prompt: how to ask the bot a question
    tip = b"Een vraag over het protocol? Typ /vraag en je vraag, begin met @compass-bot"
    assert seen.count(tip) == 1 and seen.index(tip) < seen.index(b"leerling1@#algemeen> ")


def lines_after(out: str, marker: str) -> list[str]:
    lines = out.splitlines()
    return lines[next(i for i, line in enumerate(lines) if marker in line) + 1 :]


def test_the_rate_limit_clears_when_the_simulated_time_passes(tmp_path: Path) -> None:
    """`/tijd` moves the clock and it keeps running: the slow-down message comes true."""
    questions = ["mag ik in de les op tiktok?"] * 6
    script = "\n".join(
        ["/tijd 2026-11-24 10:15", "/kanaal dm", *questions, "/tijd +1", questions[0], "/stop"]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    slowed = "Probeer het over een halve minuut opnieuw."
    assert out.count(slowed) == 1  # the sixth question within the window
    after = "\n".join(lines_after(out, "Het is nu di 2026-11-24 10:16"))
    assert slowed not in after and "Leerlingen van de Compass mogen onder schooltijd" in after


def test_tijd_plus_minutes_is_exact_across_the_end_of_summer_time(tmp_path: Path) -> None:
    """On 2026-10-25 the clocks go from 03:00 summer time back to 02:00: 02:30 comes twice."""
    script = "\n".join(["/tijd 2026-10-25 01:30", "/tijd +60", "/tijd +60", "/tijd +60", "/stop"])
    out = run_bot(tmp_path, script, "--console").stdout
    shown = [line for line in out.splitlines() if line.startswith("Het is nu")]
    assert [line.split()[5].rstrip(".") for line in shown] == ["01:30", "02:30", "02:30", "03:30"]


def test_tijd_with_only_a_time_means_today(tmp_path: Path) -> None:
    script = "/tijd 2026-11-24 08:00\n/tijd 10:15\n/tijd 7:5\n/stop\n"
    out = run_bot(tmp_path, script, "--console").stdout
    assert "Het is nu di 2026-11-24 10:15 (gesimuleerd)." in out
    assert "Gebruik: /tijd" in out  # 7:5 is no time


def test_tijd_refuses_a_time_the_clocks_skip_and_a_day_the_year_lacks(tmp_path: Path) -> None:
    """02:30 on 2027-03-28 does not exist (the clocks go forward): said in one line and the
    clock stays; 29 February 2026 neither: said, not the generic usage."""
    script = "/tijd 2027-03-28 01:30\n/tijd 02:30\n/tijd\n/tijd 2026-02-29 10:00\n/stop\n"
    out = run_bot(tmp_path, script, "--console").stdout
    assert (
        "2027-03-28 02:30 bestaat niet: die nacht gaat de klok een uur vooruit (zomertijd). "
        "De klok blijft staan; kies bijvoorbeeld 03:30. / 2027-03-28 02:30 does not exist"
    ) in out
    assert "03:30" not in "".join(line for line in out.splitlines() if "Het is nu" in line)
    assert out.count("Het is nu zo 2027-03-28 01:30") == 2  # asked again: it stayed
    assert "2026 heeft geen 29 februari. / 2026 has no 29 February." in out
    assert "Gebruik: /tijd" not in out


SCRIPT = "\n".join(
    [
        "/tijd 2026-11-24 10:15",
        "/kanaal algemeen",
        "hoi",
        "/bijnaam C0mpass",
        "/als moderator",
        "/meldingen open",
        "/meldingen export",
        "/stop",
    ]
)


def test_fresh_runs_of_a_script_print_the_same_every_time(tmp_path: Path) -> None:
    first = run_bot(tmp_path, SCRIPT, "--console", "--fresh")
    again = run_bot(tmp_path, SCRIPT, "--console", "--fresh")
    assert first.returncode == again.returncode == 0
    assert first.stdout == again.stdout and "Melding #2" in first.stdout
    kept = run_bot(tmp_path, SCRIPT, "--console")  # without --fresh the state carries on
    assert kept.stdout != first.stdout and "bijgewerkt" in kept.stdout


def test_fresh_never_touches_the_real_bots_database(tmp_path: Path) -> None:
    real = tmp_path / "data" / "compass.db"
    real.parent.mkdir()
    real.write_bytes(b"the real bot's data")
    result = run_bot(tmp_path, "/stop\n", "--console", "--fresh")
    assert result.returncode == 0
    assert real.read_bytes() == b"the real bot's data"


def test_the_console_checks_its_own_database_not_the_real_bots(tmp_path: Path) -> None:
    """The console opens its own file beside the real one: a broken console file is one line
    (and `--fresh` starts it anew), a broken real file is not the console's to refuse."""
    (tmp_path / "data").mkdir()
    own = tmp_path / "data" / "compass-console.db"
    own.write_bytes(b"not a database")
    refused = run_bot(tmp_path, "/stop\n", "--console")
    assert (
        refused.returncode == 2 and "compass-console.db: not an SQLite database" in refused.stderr
    )
    assert "Traceback" not in refused.stderr
    fresh = run_bot(tmp_path, "/stop\n", "--console", "--fresh")
    assert fresh.returncode == 0, fresh.stderr


def test_reset_starts_the_console_again_from_a_clean_state(tmp_path: Path) -> None:
    half = "/tijd 2026-11-24 10:15\n/kanaal algemeen\nhoi\n/als docent\n"
    script = half + "/toestemming geven rol Leerling 20\n/reset\n" + half + "/toestemming lijst\n"
    out = run_bot(tmp_path, script, "--console").stdout
    assert out.count("[#mod-meldingen · nieuw] Melding #1") == 2
    assert "Opnieuw begonnen" in out
    assert "Er is nu geen actieve toestemming. / There is no active permission now." in out


def test_grants_refuse_bad_minutes_unknown_roles_and_repeats(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als docent",
            "/toestemming geven rol Leerling 0",
            "/toestemming geven rol Leerling -5",
            "/toestemming geven rol Leerling 1.5",
            "/toestemming geven rol Leerlingen 20",
            "/toestemming geven rol Leerling 20 projectwerk",
            "/toestemming geven rol Leerling 30",
            "/toestemming lijst",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "0 minuten kan niet" in out and "-5 minuten kan niet" in out
    assert "“1.5” is geen aantal minuten" in out and "“1.5” is not a number of minutes" in out
    assert (
        "Onbekende rol “Leerlingen”. Rollen in deze server: Docent, Leerling, Moderator, "
        "Schoolleiding (een nieuwe rol: /als leerling, ROL). / Unknown role “Leerlingen”. Roles "
        "in this server: Docent, Leerling, Moderator, Schoolleiding (a new role: /als leerling, "
        "ROLE)."
    ) in out
    assert "Toestemming #1 voor Leerling tot di 2026-11-24 10:35." in out
    assert "Leerling heeft al toestemming (#1) tot 10:35" in out
    assert "#2" not in out
    assert "#1 rol Leerling: di 2026-11-24 10:15 tot di 2026-11-24 10:35 (projectwerk)" in out


def test_grant_minutes_are_optional_before_a_start_or_a_reason(tmp_path: Path) -> None:
    """MINUTEN may be left out, as /help shows: `vanaf 13:30` or a reason right after the
    target gets the default 50 minutes; a leading number is still the minutes."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling cas",
            "/als leerling bob",
            "/als docent",
            "/toestemming geven leerling cas vanaf 13:30",
            "/toestemming geven leerling bob projectwerk",
            "/toestemming lijst",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "geen aantal minuten" not in out, out
    assert "Toestemming #1 voor cas van di 2026-11-24 13:30 tot di 2026-11-24 14:20." in out
    assert "#2 leerling bob: di 2026-11-24 10:15 tot di 2026-11-24 11:05 (projectwerk)" in out


def test_grant_durations_with_a_unit_before_or_after_the_start(tmp_path: Path) -> None:
    """ "20min", "1 uur" or a number right after the start is the duration, never the
    reason; the teacher's cut note says the minutes asked."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 15:45",
            "/als leerling anna, 2A",
            "/als docent mevrouw_de_vries",
            "/toestemming geven leerling anna 20min",
            "/tijd 2026-11-25 10:00",
            "/toestemming geven leerling anna vanaf 10:30 20",
            "/toestemming geven rol 2A 1 uur vanaf 10:40 projectwerk",
            "/toestemming geven kanaal algemeen vanaf 11:00 20 min 30",
            "/toestemming lijst",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "(je vroeg 20 minuten)" in out, out
    assert "Toestemming #2 voor anna van wo 2026-11-25 10:30 tot wo 2026-11-25 10:50." in out
    assert "Toestemming #3 voor 2A van wo 2026-11-25 10:40 tot wo 2026-11-25 11:40." in out
    assert "De reden '30' is een duur, maar de duur is al 20 min" in out
    assert "#2 leerling anna: wo 2026-11-25 10:30 tot wo 2026-11-25 10:50\n" in out
    assert "(20)" not in out and "#4" not in out


def test_a_grant_to_staff_or_a_staff_role_is_refused(tmp_path: Path) -> None:
    """The school-time rule does not apply to staff: a grant to a teacher or to the role
    Docent is refused in one line and nobody gets a DM; a class still gets its grant."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als docent",
            "/toestemming geven leerling docent1 30",
            "/toestemming geven rol Docent 10",
            "/toestemming geven rol Leerling 10",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    staff = "kan niet: de schooltijdregel geldt niet voor personeel"
    assert f"Toestemming voor docent1 {staff}" in out, out
    assert f"Toestemming voor Docent {staff}" in out
    assert "DM aan docent1" not in out
    assert "Toestemming #1 voor Leerling" in out


def test_grant_refusals_name_what_was_refused_in_dutch_and_english(tmp_path: Path) -> None:
    """A teacher's refused /toestemming says it in Dutch, then English, in one line."""
    script = "\n".join(
        [
            "/tijd 2026-12-15 16:30",
            "/als docent",
            "/toestemming geven rol Leerling 20",
            "/toestemming geven rol Leerling 20 vanaf zaterdag 10:00",
            "/toestemming geven rol Leerling 20 vanaf 15:50",
            "/toestemming geven rol Docent 20",
            "/toestemming geven kanaal dm 20",
            "/toestemming intrekken 7",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    for line in [
        "Er is vandaag geen schooltijd meer over om toestemming voor te geven. / "
        "There is no school time left today to give permission for.",
        "Op 19-12 om 10:00 is er geen schooltijd om toestemming voor te geven. / "
        "On 19-12 at 10:00 there is no school time to give permission for.",
        "15-12 15:50 is al voorbij. / 15-12 15:50 has already passed.",
        "Toestemming voor Docent kan niet: de schooltijdregel geldt niet voor personeel, dus "
        "er valt niets toe te staan. / Permission for Docent cannot be given: the school-time "
        "rule does not apply to staff, so there is nothing to allow.",
        "niet een DM. / A channel permission is for a channel of the server, not a DM.",
        "Er is geen actieve toestemming met nummer 7. / There is no active permission #7.",
    ]:
        assert line in out, (line, out)


def test_staff_input_is_read_whole_and_said_in_one_line(tmp_path: Path) -> None:
    """Extra words after "afgehandeld" are refused with the usage (not dropped), a grant
    number too large to be one is no permission, and a moderator asking the list is told
    who may see it (as on Discord), not that only teachers give permission."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling anna",
            "hoi",  # alert #1
            "/als moderator",
            "/melding 1 afgehandeld extra woorden",
            "/meldingen open",
            "/toestemming lijst",
            "/als docent",
            "/toestemming intrekken 99999999999999999999999",
            "/toestemming intrekken 1 extra",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Gebruik: /melding NR afgehandeld | onterecht | notitie TEKST" in out
    assert "1 open melding:" in out and "afgehandeld door" not in out
    assert (
        "Alleen docenten kunnen de lijst met toestemmingen zien. / "
        "Only teachers can see the list of permissions." in out
    )
    assert "toestemming geven of intrekken" not in out
    assert (
        "Er is geen actieve toestemming met nummer 99999999999999999999…. / "
        "There is no active permission #99999999999999999999…." in out
    )
    assert out.count("Gebruik: /toestemming geven ... | lijst | intrekken NR") == 1


def test_wrong_words_are_refused_with_usage(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/kanaal dm",
            "mag ik in de les op tiktok?",
            "/nuttig",
            "/nuttig misschien",
            "/naamcontrole",
            "/als directeur",
            "/als leerlng piet, Klas 1-2",
            "/als docent1",
            "/als moderator",
            "/meldingen open onzin",
            "/meldingen export abc",
            "/privacy wissen niemand",
            "/protocol onbeantwoord",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Gebruik: /nuttig ja of /nuttig nee") == 2
    assert "Onbekend lid “niemand”. Zie /leden. / Unknown member “niemand”. See /leden." in out
    assert "Alleen moderatoren en de schoolleiding kunnen een naamcontrole doen." in out
    assert "meldingen afhandelen" not in out
    assert "Onbekende soort 'directeur'. Kies uit leerling, docent, moderator, schoolleiding" in out
    assert "Onbekende soort 'leerlng piet'. Bedoelde je /als leerling piet, Klas 1-2? Kies" in out
    assert "directeur (" not in out and "Je bent docent1 (Docent)" in out
    assert "Onbekende regel “onzin”. / Unknown rule “onzin”. Gebruik: " in out
    assert "“abc” is geen aantal dagen. / “abc” is not a number of days. Gebruik: " in out
    # every feature's alert kinds, in the registry's order, each with the words that name it
    kinds = " | ".join(", ".join(words) for words in alert_kind_words().values())
    assert kinds.startswith("schooltijd, ") and " | aanwijzing-2, naam, " in kinds
    assert f"Gebruik: /meldingen open | afgehandeld [{kinds}] [PAGINA] | export [DAGEN]" in out
    assert (  # no vote was counted
        "Er zijn geen onbeantwoorde of niet-nuttige vragen. / "
        "There are no unanswered or unhelpful questions." in out
    )


def test_rating_without_an_answer_says_so_in_dutch_and_english(tmp_path: Path) -> None:
    out = run_bot(tmp_path, "/kanaal dm\n/nuttig nee\n", "--console", "--fresh").stdout
    assert "Er is geen antwoord om te beoordelen. / There is no answer to rate." in out


def test_a_name_check_shows_the_students_dm_as_a_dm_to_the_student(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/bijnaam C0mpass",
            "/als moderator",
            "/melding 1 onterecht",
            "/naamcontrole",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    after = "\n".join(lines_after(out, "Onterecht door moderator1"))
    assert '[bot · DM aan leerling1] Hoi! Je bijnaam "C0mpass"' in after
    assert "[bot → moderator1 · DM]" not in out


def test_console_output_is_words_not_codes_or_ids(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/kanaal algemeen",
            "hoi kompas_fan",
            "/bijnaam C0mpass",
            "/kanaal dm",
            "may I use tiktok in class?",
            "what is the homework for maths?",
            "/nuttig nee",
            "/leden",
            "/als docent",
            "/toestemming geven rol Leerling 20",
            "/toestemming geven leerling leerling1 20",
            "/toestemming lijst",
            "/als schoolleiding",
            "/naam goedkeuren leerling1",
            "/naam lijst",
            "/als moderator",
            "/melding 1 afgehandeld",
            "/meldingen export",
            "/protocol onbeantwoord",
            "/privacy wissen leerling1",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    csv_rows = [line for line in out.splitlines() if line[:1].isdigit() and "," in line]
    assert len(csv_rows) == 2 and all(",afgehandeld," in r for r in csv_rows)
    assert not any("\u27e8U+000D\u27e9" in r for r in csv_rows)  # CSV's CRLF: plain lines
    prose = "\n".join(line for line in out.splitlines() if line not in csv_rows)
    for raw in (
        "None",
        "role 5",
        "member 1",
        str(member_id_of("leerling1")),
        "approved_names",
        "[unanswered]",
        "leetspeak",
        "resolved",
        "kompas\\_fan",
        "Was dit nuttig",
    ):
        assert raw not in prose, raw  # the CSV export keeps ids and codes, no names
    assert "Bericht: hoi kompas_fan" in out
    assert "(cijfers of tekens in plaats van letters)" in out
    assert "(Was this helpful? /nuttig ja (yes) or /nuttig nee (no))" in out
    assert "#1 rol Leerling:" in out and "#2 leerling leerling1:" in out
    assert "leerling1: 'C0mpass'" in out
    assert "(geen antwoord) what is the homework for maths?" in out
    assert "1 goedgekeurde naam" in out  # only the name with Compass in it


def test_a_question_to_the_bot_in_a_lesson_is_answered_and_never_warned(tmp_path: Path) -> None:
    """Firm ground #10.10, in the console: `@compass-bot ...` in #algemeen during a lesson."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling",
            "/kanaal algemeen",
            "@compass-bot mag ik in de les op tiktok?",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Leerlingen van de Compass mogen onder schooltijd" in out  # the answer
    assert "Melding #" not in out and "DM aan" not in out  # no alert, no warning


def test_console_grants_start_later_tell_the_students_and_the_teacher_of_a_cut(
    tmp_path: Path,
) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als docent",
            "/toestemming geven rol Leerling 30 vanaf 13:30 projectwerk",
            "/toestemming geven leerling leerling1 20 vanaf morgen 9:00",
            "/toestemming geven leerling leerling1 20 vanaf zondag 9:00",
            "/toestemming geven kanaal algemeen 600",
            "/toestemming intrekken 1",
            "/tijd 2026-11-24 16:05",
            "/toestemming lijst",
        ]
    )
    out = run_bot(tmp_path, script, "--console").stdout
    assert "Toestemming #1 voor Leerling van di 2026-11-24 13:30 tot di 2026-11-24 14:00." in out
    assert (
        "[bot · DM aan leerling1] Je docent heeft je toestemming gegeven om sociale media te "
        "gebruiken, vandaag van 13:30 tot 14:00 (toestemming #1)."
    ) in out
    assert "projectwerk" not in out.split("[bot · DM aan leerling1]")[1].splitlines()[0]
    assert "op woensdag 25-11 van 09:00 tot 09:20 (toestemming #2)" in out
    assert "Op 29-11 om 09:00 is er geen schooltijd" in out  # a Sunday
    assert "Ingekort tot 16:00, het einde van de schooldag (je vroeg 600 minuten)." in out
    assert "[bot · #algemeen] In dit kanaal mag sociale media" in out
    assert out.count("Je toestemming #3 voor #algemeen is om 16:00 gestopt") == 1
    assert (
        "[bot · DM aan leerling1] Je docent heeft je toestemming #1 voor sociale media ingetrokken"
        in out
    )
    assert "Toestemming #1 ingetrokken. / Permission #1 revoked." in out


def test_the_console_runs_one_school_of_a_board_the_first_unless_named(tmp_path: Path) -> None:
    script = "/tijd 2026-11-24 12:15\n/als leerling\n/kanaal algemeen\nhoi\n/stop\n"
    first = run_bot(tmp_path, script, "--console", config=BOARD_CONFIG)
    assert first.returncode == 0, first.stderr
    assert "console for school Noord" in first.stderr and "Noord, Zuid" in first.stderr
    assert "Melding #" not in first.stdout  # lunch at Noord
    assert (tmp_path / "data" / "compass-noord-console.db").exists()

    zuid = run_bot(tmp_path, script, "--console", "--school", "zuid", config=BOARD_CONFIG)
    assert zuid.returncode == 0, zuid.stderr
    assert "console for school" not in zuid.stderr
    assert "Melding #1" in zuid.stdout  # a lesson at Zuid
    assert (tmp_path / "data" / "compass-zuid-console.db").exists()

    unknown = run_bot(tmp_path, script, "--console", "--school", "West", config=BOARD_CONFIG)
    assert unknown.returncode == 2 and "West" in unknown.stderr and "Noord, Zuid" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_second_question_is_offered_under_one_label_with_one_colon(tmp_path: Path) -> None:
    """Two questions in one: the answer to the main one, the other offered under its label,
    written as a reader expects (the label's own colon, not two)."""
    script = "\n".join(
        [
            "/als leerling",
            "/kanaal dm",
            "/vraag Het is middagpauze, dus ik mag op Insta toch? Dan mag ik ook een foto van "
            "mijn vriendin posten zonder het haar te vragen?",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Over je andere vraag zegt het protocol dit:\n" in out, out
    assert "::" not in out


def test_the_console_keeps_its_clock_in_range_and_shows_control_characters(
    tmp_path: Path,
) -> None:
    """`/tijd` past the years the bot reads is one line, not an OverflowError; `/tijd` alone
    only tells the time, `10.30` is 10:30; a member's
    escape codes and bell reach the moderator's terminal written out, never acted on."""
    script = (
        "/tijd +99999999999\n/tijd +999999999\n/tijd 0500-01-01 10:00\n"
        "/tijd 2026-11-24 10:15\n/tijd\n/tijd 10.30\n/als leerling anna\nhoi \x1b[31mrood\x07 allemaal\n"
        "/als moderator\n/meldingen\n"
    )
    done = run_bot(tmp_path, script, "--console", "--fresh")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Zo ver kan de klok niet: blijf tussen de jaren 1970 en 2999.") == 3
    assert "fout:" not in done.stdout and "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "Bericht: hoi ⟨U+001B⟩[31mrood⟨U+0007⟩ allemaal" in done.stdout
    assert "10:15 (gesimuleerd; /tijd nu zet de echte tijd terug)." in done.stdout  # only asked
    assert "di 2026-11-24 10:30 (gesimuleerd)." in done.stdout  # 10.30 as Dutch clocks write it


def test_a_relative_clock_move_is_range_checked_in_the_schools_years(tmp_path: Path) -> None:
    """`/tijd +60` from 2999-12-31 23:30 would reach the year 3000 (school time; still 2999
    in UTC) and `/tijd -60` from 1970-01-01 00:30 the year 1969: one line, clock unchanged."""
    script = (
        "/tijd 2999-12-31 23:30\n/tijd +60\n/tijd\n"
        "/tijd 1970-01-01 00:30\n/tijd -60\n/tijd\n/tijd -30\n"
    )
    done = run_bot(tmp_path, script, "--console", "--fresh")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("Zo ver kan de klok niet: blijf tussen de jaren 1970 en 2999.") == 2, out
    assert "3000-01-01" not in out and "1969-12-31" not in out
    assert "Het is nu di 2999-12-31 23:30 (gesimuleerd; /tijd nu" in out  # unchanged
    assert "Het is nu do 1970-01-01 00:30 (gesimuleerd; /tijd nu" in out
    assert "Het is nu do 1970-01-01 00:00 (gesimuleerd)." in out  # within range: moved


def test_staff_text_keeps_students_data_masked_and_odd_alert_numbers_are_one_line(
    tmp_path: Path,
) -> None:
    """A teacher's reason for a permission is kept and listed with phone numbers masked; an
    alert number past what the store holds (or 10,000 digits) is the usage line, no error."""
    script = (
        "/tijd 2026-11-24 10:15\n/als docent\n"
        "/toestemming geven leerling leerling1 20 anna belt 06-12345678 voor het project\n"
        "/toestemming lijst\n/als moderator\n"
        "/melding 99999999999999999999 afgehandeld\n/melding " + "9" * 10_000 + " onterecht\n"
    )
    done = run_bot(tmp_path, script, "--console", "--fresh")
    assert done.returncode == 0, done.stderr
    assert "anna belt" in done.stdout and "12345678" not in done.stdout
    assert "fout:" not in done.stdout
    assert done.stdout.count("Gebruik: /melding NR") == 2


def test_a_member_votes_once_on_an_answer_as_on_discord(tmp_path: Path) -> None:
    """/nuttig nee twice by one member is one unhelpful mark; another member's vote counts
    once too (Discord's buttons: one vote per member and answer)."""
    script = (
        "/als leerling anna\n/vraag mag ik in de les op tiktok\n/nuttig nee\n/nuttig nee\n"
        "/als leerling bram\n/nuttig nee\n/nuttig nee\n/als moderator\n/protocol onbeantwoord\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("(niet nuttig) mag ik in de les op tiktok") == 2  # anna's and bram's


def test_a_changed_vote_replaces_the_members_earlier_vote(tmp_path: Path) -> None:
    """/nuttig nee then /nuttig ja on one answer: the digest counts the answer once, as
    helpful (the latest vote counts); a second answer is voted on anew."""
    script = (
        "/vraag mag ik in de les op tiktok?\n/nuttig nee\n/nuttig ja\n"
        "/als moderator\n/overzicht\n/protocol onbeantwoord\n"
        "/als leerling leerling1\n/vraag mag ik in de les op tiktok?\n/nuttig nee\n"
        "/als moderator\n/overzicht\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Sociale media onder schooltijd: 1 beoordeling (1 nuttig, 0 niet nuttig)" in out, out
    assert "Er zijn geen onbeantwoorde of niet-nuttige vragen." in out  # the nee was replaced
    assert "Sociale media onder schooltijd: 2 beoordelingen (1 nuttig, 1 niet nuttig)" in out


def test_becoming_an_existing_member_under_another_kind_says_their_roles_stay(
    tmp_path: Path,
) -> None:
    """`/als leerling docent1` is the teacher docent1 (roles are not swapped by /als): the
    console says so instead of silently showing a teacher where a student was asked for."""
    out = run_bot(tmp_path, "/als leerling docent1\n/als docent docent1\n", "--console").stdout
    assert out.count("docent1 bestaat al, zonder de rol Leerling") == 1
    assert out.count("Je bent docent1 (Docent)") == 2


def test_an_alert_stays_with_its_member_in_the_next_run(tmp_path: Path) -> None:
    """Without --fresh the console's database carries over: members get the same id for the
    same name in every run, so anna's alert is not shown as piet's, who joined first now."""
    first = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam C0mpass\n"
    run_bot(tmp_path, first, "--console", "--fresh")
    out = run_bot(
        tmp_path, "/als leerling piet\n/als moderator mod\n/meldingen open\n", "--console"
    )
    assert "Lid: anna" in out.stdout and "Lid: piet" not in out.stdout
    assert member_id_of("Anna") == member_id_of("anna") != member_id_of("piet")


def test_protocol_regel_never_shows_another_clause_for_an_unknown_id(tmp_path: Path) -> None:
    """aanwijzing-10 and medewerkers-99 are not in the protocol: no fuzzy neighbour shown;
    "aanwijzing 5" and a title still find their clause."""
    script = "/protocol regel aanwijzing-10\n/protocol regel medewerkers-99\n"
    script += "/protocol regel aanwijzing 5\n/protocol regel locatie delen\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Geen regel 'aanwijzing-10'. Zie /protocol lijst. / No rule 'aanwijzing-10'." in out
    assert "Geen regel 'medewerkers-99'." in out
    assert "Stoppen als een discussie onplezierig wordt" in out
    assert "Locatie delen en inchecken" in out


def test_report_alias_and_a_member_named_like_a_mention(tmp_path: Path) -> None:
    """/report is /melden's English name (as on Discord), answered in English; a member whose
    name starts with @ ("@everyone") is found by that name."""
    script = "/als leerling @everyone\nhoi\n/als leerling anna\n/report lid @everyone pesten\n"
    script += "/als moderator mo\n/privacy wissen @everyone\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Onbekende opdracht" not in out and "Onbekend lid" not in out
    assert (
        "Thank you, your report has been passed on" in out and "Alles over @everyone gewist" in out
    )


def test_a_name_without_compass_is_not_approved(tmp_path: Path) -> None:
    """/naam goedkeuren on a member whose names hold nothing of 'Compass' approves nothing
    (and is not counted as an approval in the digest)."""
    script = "/tijd 2026-11-24 10:15\n/als leerling piet\n/als schoolleiding rector\n"
    script += "/naam goedkeuren piet\n/naam lijst\n/overzicht\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Geen van de namen van dit lid bevat 'Compass'" in out
    assert "0 goedgekeurd" in out


def test_the_simulated_members_carry_over_with_the_alerts_about_them(tmp_path: Path) -> None:
    """A member added in one run is there in the next, with their nickname, so an open alert
    about them still has its member (re-adding them with no nickname closed it as 'naam
    aangepast'); --fresh forgets them with the alerts, and an unreadable saved server is one
    line and the four members of a new one."""
    first = "/tijd 2026-11-24 10:15\n/als leerling zed, Klas 2B\n/bijnaam C0mpass\n/stop\n"
    assert run_bot(tmp_path, first, "--console", "--fresh").returncode == 0
    later = run_bot(
        tmp_path, "/leden\n/als zed\n/als moderator\n/meldingen open\n/stop\n", "--console"
    )
    assert "zed: Leerling, Klas 2B; gebruikersnaam zed, bijnaam C0mpass" in later.stdout
    assert "Onbekende soort" not in later.stdout and "naam aangepast" not in later.stdout
    assert "Lid: zed" in later.stdout
    fresh = run_bot(tmp_path, "/leden\n/stop\n", "--console", "--fresh")
    assert "zed" not in fresh.stdout
    saved = tmp_path / "data" / "compass-console.server.json"
    assert saved.exists()
    saved.write_text("{niet json", encoding="utf-8")
    broken = run_bot(tmp_path, "/leden\n/stop\n", "--console")
    assert broken.returncode == 0 and "Traceback" not in broken.stderr
    assert "de leden van de vorige keer zijn niet te lezen" in broken.stdout
    assert "leerling1: Leerling" in broken.stdout and "zed" not in broken.stdout


def test_personal_data_in_a_name_is_masked_in_the_name_alert(tmp_path: Path) -> None:
    """The moderators' alert (the name and the reason) masks a phone number or e-mail in a
    name, as it masks a post's excerpt; only the member's own DM shows the name in full."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam Compass 0612345678\n"
    script += "/weergavenaam compass anna@gmail.com\n/als moderator\n/meldingen open\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    alert_lines = [
        line for line in out.splitlines() if not line.startswith(("[bot → anna", "    "))
    ]
    shown = "\n".join(alert_lines)
    assert "0612345678" not in shown and "anna@gmail.com" not in shown, shown
    assert "Naam (weergavenaam): compass [e-mailadres verborgen] (gevonden: compass)" in out
    assert "bijnaam: “Compass [telefoonnummer verborgen]”" in out
    assert '[bot → anna · DM] Hoi! Je bijnaam "Compass 0612345678"' in out


def test_a_name_with_personal_data_is_not_approved(tmp_path: Path) -> None:
    """An approved name is kept as it is written, so one with a phone number in it is refused
    (the leadership asks the member to change it); nothing of the number is shown or stored."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam Compass 0612345678\n"
    script += "/als schoolleiding rector\n/naam goedkeuren anna\n/melding 1 goedkeuren\n"
    script += "/naam lijst\n/stop\n"
    result = run_bot(tmp_path, script, "--console", "--fresh")
    out = result.stdout
    assert out.count(name_texts.HOLDS_DATA) == 2, out
    assert "(aanwijzing-6). / A name of this member holds data that does not belong" in out
    assert "Goedgekeurd voor" not in out and "Geen goedgekeurde namen. / No approved names." in out
    shown = [line for line in out.splitlines() if not line.startswith(("[bot → anna", "    "))]
    assert not any("0612345678" in line for line in shown)
    db = tmp_path / "data" / "compass-console.db"
    assert b"0612345678" not in b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_a_name_sweep_does_not_count_a_flagged_unchanged_name_again(tmp_path: Path) -> None:
    """/naamcontrole three times over anna's unchanged flagged nickname: the alert is not
    updated and the digest counts one flag, not four."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam C0mpass\n/als moderator\n"
    script += "/naamcontrole\n" * 3 + "/overzicht\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert (
        out.count(
            "Naamcontrole klaar: 5 leden gecontroleerd, 1 met een naam om te bekijken. / "
            "Name check done: 5 members checked, 1 with a name to look at."
        )
        == 3
    )
    assert "bijgewerkt" not in out and out.count("aantal keer: 1") == 1
    assert out.count('Hoi! Je bijnaam "C0mpass"') == 1
    assert "aanwijzing-2 Compass niet in je accountnaam: 1 (0)" in out


def test_an_approved_name_is_told_to_the_member_as_on_discord(tmp_path: Path) -> None:
    """/naam goedkeuren and /melding N goedkeuren: the member gets the approval DM (Dutch,
    then English), as Discord's front sends it; a refused approval sends none, nor does a
    second approval of the same names (session 46: a tester got the DM twice)."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam C0mpass\n"
    script += "/als leerling bram\n/bijnaam Compass B\n/als moderator\n/naam goedkeuren anna\n"
    script += "/als schoolleiding rector\n/naam goedkeuren anna\n/melding 2 goedkeuren\n"
    script += "/naam goedkeuren anna\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    dm = name_texts.APPROVED_DM.replace("\n", "\n    ")
    assert "Alleen de schoolleiding kan namen goedkeuren." in out
    assert out.count(f"[bot · DM aan anna] {dm}") == 1
    assert out.count(f"[bot · DM aan bram] {dm}") == 1
    after = "\n".join(lines_after(out, "Goedgekeurd voor anna"))
    assert after.startswith(f"[bot · DM aan anna] {dm}")
    assert out.count("Goedgekeurd voor anna") == 1
    assert name_texts.ALREADY_APPROVED.replace("\n", "\n    ") in out


def test_approving_from_a_handled_alert_again_changes_nothing(tmp_path: Path) -> None:
    """A second "goedkeuren" under the same name alert: refused as a second handling is,
    and no second approval DM to the member (a new-user tester found the DM sent twice)."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam C0mpass\n"
    script += "/als schoolleiding rector\n/melding 1 goedkeuren\n/melding 1 goedkeuren\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    dm = name_texts.APPROVED_DM.replace("\n", "\n    ")
    assert out.count(f"[bot · DM aan anna] {dm}") == 1, out
    assert "Melding 1 is al afgehandeld; er verandert niets." in out


def test_a_revoked_approval_checks_the_names_again_as_on_discord(tmp_path: Path) -> None:
    """/naam intrekken: without the approval the member's names break the rule again, so they
    are checked anew (the warning DM and a new alert), as Discord's front does."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam C0mpass\n"
    script += "/als schoolleiding rector\n/naam goedkeuren anna\n/naam intrekken anna\n"
    script += "/als moderator\n/meldingen\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    after = "\n".join(lines_after(out, "1 goedkeuring ingetrokken."))
    revoked = name_texts.REVOKED_DM.replace("\n", "\n    ")
    assert after.startswith(f"[bot · DM aan anna] {revoked}\n[bot · DM aan anna] Hoi! Je bijnaam")
    assert "[#mod-meldingen · nieuw] Melding #2 · Compass in een accountnaam" in after
    assert "(namen van anna zijn in orde)" not in out


def test_a_control_character_from_a_member_is_written_out_on_the_terminal(tmp_path: Path) -> None:
    """An ESC sequence in a nickname or a question reaches the moderator's terminal written
    out (⟨U+001B⟩), in DMs, alerts and stored questions alike; a channel name with one is
    refused (Discord has no such channel)."""
    script = "/tijd 2026-11-24 10:15\n/als leerling anna\n/bijnaam Compass\x1b[32mx\n"
    script += "/kanaal dm\nhoi \x1b[31mrood giraf\n/als moderator\n/protocol onbeantwoord\n"
    script += "/kanaal x\x1b[2J\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "\x1b" not in out
    assert 'Je bijnaam "Compass⟨U+001B⟩[32mx"' in out
    assert "(geen antwoord) hoi ⟨U+001B⟩[31mrood giraf" in out
    assert "#x⟨U+001B⟩[2J" not in out and "mag geen besturingstekens bevatten" in out


def test_a_channel_name_with_a_control_character_is_refused(tmp_path: Path) -> None:
    script = "/kanaal x\x00y\n/kanaal a\x01\n/kanaal chat in So\x7fciaal\n/wie\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    refused = "Een kanaalnaam mag geen besturingstekens bevatten. / A channel name cannot"
    assert out.count(refused) == 3, out
    assert "⟨U+00" not in out and "in #algemeen" in out


def test_names_longer_than_discord_allows_are_refused_and_a_typo_gets_a_hint(
    tmp_path: Path,
) -> None:
    """Discord caps member names at 32 characters and channel names at 100: the console says
    so in one line and keeps the member and the channel; a channel name one letter off a
    configured one gets the nearest name, as check-time gives it, and a channel the config
    does not name is said to be new to the console (the first time only)."""
    long_name, long_channel = "a" * 33, "k" * 101
    script = f"/als leerling {long_name}\n/bijnaam Compass{long_name}\n/kanaal {long_channel}\n"
    script += "/kanaal algmeen\n/kanaal wiskunde-3b\n/kanaal bestaatniet\n/kanaal algemeen\n"
    script += "/kanaal bestaatniet\n/wie\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    too_long = "Een naam mag op Discord hoogstens 32 tekens hebben. / "
    assert out.count(too_long + "A name on Discord has at most 32 characters.") == 2
    assert (
        "Een kanaalnaam mag op Discord hoogstens 100 tekens hebben. / "
        "A channel name on Discord has at most 100 characters." in out
    )
    assert long_name not in out and long_channel not in out
    new = "een nieuw les- of schoolkanaal in deze console; de config noemt het niet."
    assert f"#algmeen: {new} (Bedoelde je #algemeen? Die staat in de configuratie.)" in out
    assert "Je bent nu in #wiskunde-3b: les- of schoolkanaal.\n" in out  # configured
    assert out.count(f"Je bent nu in #bestaatniet: {new}\n") == 1
    assert "Je bent nu in #bestaatniet: les- of schoolkanaal.\n" in out  # the second time
    assert "Je bent nu in #algemeen: sociaal kanaal (schooltijdregel geldt).\n" in out


def test_the_stored_questions_list_says_how_many_it_leaves_out(tmp_path: Path) -> None:
    script = "/tijd 2026-11-24 16:30\n/kanaal dm\n"
    script += "".join(f"welke giraf is nummer {i}?\n/tijd +1\n" for i in range(27))
    script += "/als moderator\n/protocol onbeantwoord\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("(geen antwoord) welke giraf is nummer") == 25
    assert "  … en nog 2 oudere. / … and 2 older ones." in out


def test_a_lone_slash_a_channel_without_name_and_a_permission_for_a_typo(tmp_path: Path) -> None:
    """ "/" alone says how a command starts; "/kanaal in Sociaal" names no channel (usage, not
    a channel called "in"); a teacher's permission for "algmeen" (no such channel, near the
    configured "algemeen") is refused with the name meant, as students there stay warned."""
    script = "/tijd 2026-11-24 10:15\n/\n/kanaal in Sociaal\n/als docent\n"
    script += "/toestemming geven kanaal algmeen 20\n"
    script += "/toestemming geven kanaal algemeen 20\n/stop\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Een opdracht begint met / en een woord, bijvoorbeeld /help." in out
    assert "Gebruik: /kanaal NAAM [in CATEGORIE] of /kanaal dm" in out
    assert "#in" not in out
    assert "Geen kanaal #algmeen. Bedoelde je #algemeen?" in out
    assert "Toestemming #1 voor #algemeen" in out and "voor #algmeen" not in out


def test_channels_whose_names_share_their_letters_are_two_channels(tmp_path: Path) -> None:
    """#ab and #ba (and a category's name) get ids of their own, the same in every run: a
    teacher's permission for #ab does not let the class post in #ba."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als docent",
            "/kanaal ab in Sociaal",
            "/toestemming geven kanaal ab 20",
            "/kanaal ba in Sociaal",
            "/als leerling",
            "in ba, niet toegestaan",
            "/kanaal ab in Sociaal",
            "in ab, toegestaan",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Toestemming #1 voor #ab" in out
    assert out.count("Melding #") == 1
    assert "(geplaatst; schooltijdregel: Je hebt toestemming van je docent tot 10:35.)" in out
