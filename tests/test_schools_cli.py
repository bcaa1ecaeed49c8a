"""`--school` on the command line: a board's file needs it (exit 2 naming the schools), a
one-school file does not, and each command reads the school's own config and data."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from compass_bot.__main__ import main
from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig, load_config
from compass_bot.model import Member
from tests.conftest import TEST_CONFIG

AMS = ZoneInfo("Europe/Amsterdam")
LUNCH_AT_A = "2026-11-24T12:15+01:00"  # a Tuesday: lunch at Noord, a lesson at Zuid

BOARD = """
schedule:
  timezone: Europe/Amsterdam
  lunch_breaks:
    default: {start: "12:00", end: "12:30"}
school_time:
  social_channels: [algemeen]
names:
  reset_nickname: false
schools:
  - name: Noord
    discord: {guild: Compass Noord}
    personal_data: {allowed: ["06-12345678"]}
  - name: Zuid
    discord: {guild: 123456789012345678}
    schedule:
      lunch_breaks:
        default: {start: "12:30", end: "13:00"}
    names: {allowed_words: [compasso]}
"""

Run = tuple[int, str, str]


@pytest.fixture
def cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Run]:
    monkeypatch.delenv("COMPASS_CONFIG", raising=False)

    def run(*argv: str, config: str = "config.yaml") -> Run:
        try:
            code = main(["--config", str(tmp_path / config), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    (tmp_path / "config.yaml").write_text(BOARD, encoding="utf-8")
    (tmp_path / "single.yaml").write_text(TEST_CONFIG, encoding="utf-8")
    return run


def board(tmp_path: Path) -> LoadedConfig:
    return load_config(tmp_path / "config.yaml")


async def _fill(school: LoadedConfig, alerts: int) -> None:
    """The school's database, made by the bot's own App, holding `alerts` school-time flags."""
    app = await App.create(school, clock=Clock(datetime(2024, 11, 26, 10, tzinfo=AMS)))
    try:
        for i in range(alerts):
            await app.alerts.record(
                "schooltijd",
                Member(100 + i, f"leerling{i}"),
                datetime(2024, 11, 26, 10, i, tzinfo=AMS),
                1,
            )
    finally:
        await app.close()


def test_check_time_gives_each_school_its_own_lunch(cli: Callable[..., Run]) -> None:
    verdicts = {}
    for school in ("Noord", "zuid", "123456789012345678", "compass noord"):
        code, out, err = cli("check-time", "--json", "--at", LUNCH_AT_A, "--school", school)
        assert code == 0, err
        verdicts[school] = json.loads(out)
    assert verdicts["Noord"]["allowed"] is True and verdicts["Noord"]["reason"] == "lunch_break"
    assert verdicts["zuid"]["allowed"] is False and verdicts["zuid"]["reason"] == "lesson_time"
    assert verdicts["123456789012345678"] == verdicts["zuid"]  # the server's id names it too
    assert verdicts["compass noord"] == verdicts["Noord"]  # and the server's name


SCHOOL_COMMANDS = [
    ("check-time", "--at", LUNCH_AT_A),
    ("ask", "mag ik op tiktok in de les?"),
    ("check-name", "C0mpass"),
    ("check-message", "bel me"),
    ("check-discussion", "--json", "-"),
    ("digest",),
    ("backup", "copy.db"),
]


@pytest.mark.parametrize("command", SCHOOL_COMMANDS, ids=lambda c: c[0])
def test_a_board_needs_school_and_names_them(
    cli: Callable[..., Run], command: tuple[str, ...]
) -> None:
    code, out, err = cli(*command)
    assert (code, out) == (2, "")
    assert err == (
        f"{command[0]}: this config runs 2 schools (Noord, Zuid): name one with --school\n"
    )
    code, out, err = cli(*command, "--school", "West")
    assert (code, out) == (2, "")
    assert err == f"{command[0]}: unknown school 'West': this config runs 2 schools (Noord, Zuid)\n"


def test_a_one_school_file_needs_no_school_but_refuses_a_wrong_one(cli: Callable[..., Run]) -> None:
    code, out, err = cli("check-time", "--json", "--at", LUNCH_AT_A, config="single.yaml")
    assert code == 0 and json.loads(out)["allowed"] is True, err  # its lunch: 12:15-12:45
    assert (
        cli("check-time", "--at", LUNCH_AT_A, "--school", "compass", config="single.yaml")[0] == 0
    )
    code, out, err = cli(
        "check-time", "--at", LUNCH_AT_A, "--school", "Noord", config="single.yaml"
    )
    assert (code, out) == (2, "")
    assert err == "check-time: unknown school 'Noord': this config serves 'Compass'\n"


def test_a_file_without_a_server_refuses_any_school_name(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """No discord.guild: nothing can match `--school`, so it is refused, not ignored."""
    (tmp_path / "bare.yaml").write_text("schedule:\n  timezone: Europe/Amsterdam\n", "utf-8")
    assert cli("check-name", "Compass fan", config="bare.yaml")[0] == 0
    code, out, err = cli("check-name", "--school", "Foo", "Compass fan", config="bare.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "check-name: unknown school 'Foo': this config serves one school and names no"
        " server (discord.guild); leave out --school\n"
    )


def test_the_school_own_settings_apply(cli: Callable[..., Run]) -> None:
    flagged = {
        school: json.loads(cli("check-name", "--json", "Compasso", "--school", school)[1])[
            "flagged"
        ]
        for school in ("Noord", "Zuid")
    }
    assert flagged == {"Noord": True, "Zuid": False}
    found = {
        school: json.loads(cli("check-message", "--json", "bel 06-12345678", "--school", school)[1])
        for school in ("Noord", "Zuid")
    }
    assert found["Noord"]["flagged"] is False and found["Zuid"]["flagged"] is True


def test_backup_copies_the_named_school_only(tmp_path: Path, cli: Callable[..., Run]) -> None:
    noord, zuid = board(tmp_path).schools
    assert noord.database_path != zuid.database_path
    asyncio.run(_fill(noord, 1))
    asyncio.run(_fill(zuid, 3))
    code, out, err = cli("backup", str(tmp_path / "zuid-copy.db"), "--school", "Zuid")
    assert code == 0, err
    assert str(zuid.database_path) in out and str(noord.database_path) not in out
    with sqlite3.connect(tmp_path / "zuid-copy.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 3


def test_a_backup_never_replaces_another_schools_backup(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """The admin's slip: `backup /backups/zuid.db --school Noord` replaced Zuid's backup
    with Noord's (exit 0). The copy records its school; another school's is refused, one
    line naming it, unless --force; a school's own earlier backup is still replaced."""
    noord, zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 1))
    asyncio.run(_fill(zuid, 3))
    zuid_backup = tmp_path / "zuid.db"
    assert cli("backup", str(zuid_backup), "--school", "Zuid")[0] == 0
    assert cli("backup", str(zuid_backup), "--school", "Zuid")[0] == 0  # its own: replaced
    before = zuid_backup.read_bytes()
    code, out, err = cli("backup", str(zuid_backup), "--school", "Noord")
    assert code == 2 and out == ""
    assert err == (
        f"backup: {zuid_backup} is a backup of school 'Zuid'; pick another file name "
        "(--force replaces it anyway)\n"
    )
    assert zuid_backup.read_bytes() == before
    code, _out, err = cli("backup", str(zuid_backup), "--school", "Noord", "--force")
    assert code == 0, err
    with sqlite3.connect(zuid_backup) as conn:
        assert conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 1


def test_a_backup_that_records_no_school_is_replaced_only_with_force(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """A backup made before backups recorded their school may be anyone's."""
    noord, _zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 2))
    older = tmp_path / "older.db"
    assert cli("backup", str(older), "--school", "Noord")[0] == 0
    with sqlite3.connect(older) as conn:
        conn.execute("PRAGMA application_id = 0")
    before = older.read_bytes()
    code, _out, err = cli("backup", str(older), "--school", "Noord")
    assert code == 2 and err.count("\n") == 1
    assert "does not record its school" in err and "--force" in err
    assert older.read_bytes() == before
    assert cli("backup", str(older), "--school", "Noord", "--force")[0] == 0


def test_backup_never_writes_into_another_schools_database(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """Zuid's database (or its console file) does not exist yet: a backup of Noord there
    would make Zuid's bot start on Noord's members and alerts."""
    noord, zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 1))
    for path in (zuid.database_path, zuid.console_database_path):
        assert not path.exists()
        code, out, err = cli("backup", str(path), "--school", "Noord")
        assert code == 2 and out == ""
        assert (
            err
            == f"backup: {path} is the database of school 'Zuid'; name the backup file otherwise\n"
        )
        assert not path.exists()
    own = noord.console_database_path  # --fresh deleted it: a backup there ran the console
    code, out, err = cli("backup", str(own), "--school", "Noord")  # on real students' data
    assert (
        code == 2
        and err == f"backup: {own} is the console's own database; name the backup file otherwise\n"
    )
    assert not own.exists()


def test_status_reports_every_school_of_a_board(tmp_path: Path, cli: Callable[..., Run]) -> None:
    noord, zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 0))
    asyncio.run(_fill(zuid, 0))
    code, out, err = cli("status", "--json")
    assert code == 0, err
    reports = json.loads(out)["schools"]
    assert [(r["name"], r["school"], r["database"]) for r in reports] == [
        ("Noord", "Compass Noord", str(noord.database_path)),
        ("Zuid", 123456789012345678, str(zuid.database_path)),
    ]
    code, out, err = cli("status")
    assert code == 0, err
    assert out.count("compass-bot ") == 2 and "school:        Zuid (id 123456789012345678)" in out
    code, out, err = cli("status", "--json", "--school", "zuid")
    assert code == 0 and json.loads(out)["name"] == "Zuid", err
    zuid.database_path.unlink()
    code, out, err = cli("status", "--json")
    assert code == 1 and [r["name"] for r in json.loads(out)["schools"]] == ["Noord"]
    assert err.startswith("status: Zuid: no database at ")
    code, text, err = cli("status")  # the block of the school there is, no blank line after
    assert code == 1 and text.startswith("compass-bot ") and text.endswith("\n")
    assert "\n\n" not in text and "Zuid" not in text
    noord.database_path.unlink()
    code, text, err = cli("status")  # no database yet at all: nothing on stdout
    assert code == 1 and text == "" and err.count("no database at ") == 2


def test_status_of_one_school_keeps_its_keys(tmp_path: Path, cli: Callable[..., Run]) -> None:
    asyncio.run(_fill(load_config(tmp_path / "single.yaml"), 0))
    code, out, err = cli("status", "--json", config="single.yaml")
    assert code == 0, err
    assert list(json.loads(out)) == [
        "version", "config", "school", "intents", "privileged_intents", "database",
        "database_bytes", "schema_version", "pending_alerts", "last_delivery",
    ]  # fmt: skip


def test_digest_reads_the_named_school_database(tmp_path: Path, cli: Callable[..., Run]) -> None:
    asyncio.run(_fill(board(tmp_path).schools[1], 2))
    code, out, err = cli("digest", "--week", "2024-W48", "--json", "--school", "ZUID")
    assert code == 0, err
    assert json.loads(out)["total"]["this_week"] == 2
    code, out, err = cli("digest", "--week", "2024-W48", "--school", "Noord")
    assert code == 2 and "compass-noord.db: no database there" in err


def test_automod_sync_is_for_one_schools_server(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AutoMod rules belong to one server: a board's file names the school, before any token
    or connection is looked at; that school must have opted in (automod.enabled)."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, out, err = cli("automod", "sync")
    assert (code, out) == (2, "")
    assert err == "automod sync: this config runs 2 schools (Noord, Zuid): name one with --school\n"
    code, _out, err = cli("automod", "sync", "--school", "Zuid")
    assert code == 2 and "automod.enabled is false" in err and "--school Zuid" in err
    opted_in = BOARD.replace(
        "    names: {allowed_words: [compasso]}\n",
        "    names: {allowed_words: [compasso]}\n    automod: {enabled: true}\n",
    )
    assert opted_in != BOARD
    (tmp_path / "automod.yaml").write_text(opted_in, encoding="utf-8")
    code, _out, err = cli("automod", "sync", "--school", "Zuid", config="automod.yaml")
    assert code == 2 and "no token" in err  # the school is known; the token is what is missing


def test_digest_refuses_another_schools_database_and_names_its_school(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """Noord's figures must never pass as Zuid's (backup's check, `ops.other_school_of`); a
    board's digest says which school it is about."""
    noord, zuid = board(tmp_path).schools
    asyncio.run(_fill(noord, 1))
    asyncio.run(_fill(zuid, 2))
    for path in (noord.database_path, noord.console_database_path):
        code, out, err = cli(
            "digest", "--week", "2024-W48", "--school", "Zuid", "--database", str(path)
        )
        assert (code, out) == (2, "")
        assert err == (
            f"digest: {path} is the database of school 'Noord', not of 'Zuid'; use --school Noord\n"
        )
    code, out, err = cli("digest", "--week", "2024-W48", "--school", "zuid")
    assert code == 0, err
    assert out.startswith("Weekoverzicht Zuid 2024-W48 (")
    code, out, err = cli("digest", "--week", "2024-W48", "--json", "--school", "Noord")
    assert code == 0 and json.loads(out)["school"] == "Noord", err
    code, out, err = cli(  # its own file, named: read as before
        "digest", "--week", "2024-W48", "--school", "Noord", "--database", str(noord.database_path)
    )
    assert code == 0 and out.startswith("Weekoverzicht Noord 2024-W48 ("), err


def test_a_school_name_that_is_also_another_schools_server_says_so(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """The entry's name wins, with one line naming the other match and how to pick it."""
    text = BOARD.replace("{guild: Compass Noord}", "{guild: A}").replace(
        "{guild: 123456789012345678}", "{guild: Noord}"
    )
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli("check-time", "--json", "--at", LUNCH_AT_A, "--school", "noord")
    assert code == 0 and json.loads(out)["reason"] == "lunch_break"  # Noord's lunch, not Zuid's
    assert err == (
        "check-time: --school 'noord' took school Noord; it also matches the server 'Noord' of"
        " school Zuid: for that one use --school Zuid\n"
    )
    for plain in ("Zuid", "a"):  # an entry name or a server name that is nothing else
        code, out, err = cli("check-time", "--at", LUNCH_AT_A, "--school", plain)
        assert code == 0 and err == "", err
