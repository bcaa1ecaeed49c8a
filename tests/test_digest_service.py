"""The digest from a store filled here: the chart is a real PNG of the fixed size, the command
line prints the counts (JSON) and refuses bad input in one line, the console shows it."""

from __future__ import annotations

import json
import sqlite3
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.features.digest.chart import HEIGHT, WIDTH, render_png
from compass_bot.features.digest.service import DigestService
from compass_bot.features.questions.repo import QuestionRepo
from compass_bot.model import Member
from tests.conftest import ROOT, make_loaded
from tests.test_console import run_bot

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = "2024-W48"  # 25 November - 1 December 2024: in the past on any day the suite runs


def at(day: int, hh: int, mm: int = 0, month: int = 11) -> datetime:
    return datetime(2024, month, day, hh, mm, tzinfo=AMS)


async def fill(app: App) -> None:
    """A week of flags, one approval, rated answers and an unanswered question."""
    for i, (day, hh, mm) in enumerate([(25, 10, 5), (25, 10, 40), (26, 11, 0), (28, 14, 10)]):
        await app.alerts.record("schooltijd", Member(100 + i, f"leerling{i}"), at(day, hh, mm), 1)
    await app.alerts.record("aanwijzing-2", Member(200, "C0mpass Anna"), at(27, 19), 1)
    await app.alerts.record("schooltijd", Member(300, "vorige"), at(20, 9), 1)  # last week
    await app.db.audit(at(29, 9), 9, "name.approve", 200, {"count": 1})
    questions = QuestionRepo(app.db)
    await questions.record_question("mag ik op tiktok?", "schooltijd", "helpful", at(26, 9))
    await questions.record_question("wie is *anna_v_2011*?", None, "unanswered", at(27, 9))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_the_chart_is_a_png_of_the_fixed_size_from_the_store(tmp_path: Path) -> None:
    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        await fill(app)
        service = app[DigestService]
        digest = await service.digest(service.period(WEEK, app.clock.now()), app.clock.now())
    finally:
        await app.close()
    assert digest.grid[0][2] == 2 and sum(map(sum, digest.grid)) == 4
    assert (digest.names_flagged, digest.names_approved) == (1, 1)
    png = render_png(digest)
    assert png_size(png) == (WIDTH, HEIGHT) == (1200, 600)
    assert render_png(digest) == png  # the same digest draws the same bytes
    # No student is named: not the labels, not the name that was flagged.
    text = json.dumps(digest.to_json())
    assert "leerling" not in text and "Anna" not in text and "wie is " in text


async def test_an_alert_marked_wrongly_flagged_counts_nowhere(tmp_path: Path) -> None:
    """A moderator's "onterecht" says the flag was no event: the week's counts, the lesson
    time grid and the per-day line leave it out; a handled one ("afgehandeld") still counts."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        await fill(app)
        wrong, _ = await app.alerts.record("schooltijd", Member(400, "l4"), at(25, 10, 20), 1)
        right, _ = await app.alerts.record("schooltijd", Member(401, "l5"), at(25, 10, 30), 1)
        assert wrong is not None and right is not None
        await app.alerts.repo.set_alert_status(wrong.id, "false_positive", 9, at(25, 11))
        await app.alerts.repo.set_alert_status(right.id, "resolved", 9, at(25, 11))
        service = app[DigestService]
        digest = await service.digest(service.period(WEEK, app.clock.now()), app.clock.now())
    finally:
        await app.close()
    assert digest.grid[0][2] == 3 and sum(map(sum, digest.grid)) == 5
    school_time = next(r for r in digest.rules if r.rule == "schooltijd")
    assert school_time.this_week == 5


def digest_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compass_bot", "--config", str(tmp_path / "config.yaml"),
         "digest", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


async def test_the_command_line_prints_the_counts_and_writes_the_chart(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path)
    app = await App.create(loaded, clock=Clock(at(3, 12, month=12)))
    try:
        await fill(app)
    finally:
        await app.close()
    png = tmp_path / "chart.png"
    done = digest_cli(tmp_path, "--week", WEEK, "--json", "--png", str(png), "--school", "compass")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["rules"] == [
        {"rule": "schooltijd", "this_week": 4, "last_week": 1},
        {"rule": "aanwijzing-2", "this_week": 1, "last_week": 0},
    ]
    assert data["lesson_time"]["grid"][0][data["lesson_time"]["hours"].index(10)] == 2
    assert [d["count"] for d in data["per_day"]] == [2, 1, 1, 1, 0, 0, 0]
    assert data["names"] == {"flagged": 1, "approved": 1}
    assert data["top_clauses"] == [
        {"clause": "schooltijd", "asked": 1, "helpful": 1, "unhelpful": 0}
    ]
    assert data["unanswered"] == ["wie is *anna_v_2011*?"]  # plain text, no markdown escapes
    assert png_size(png.read_bytes()) == (1200, 600)
    again = digest_cli(tmp_path, "--week", WEEK, "--png", str(png), "--school", "compass")
    assert again.returncode == 0, again.stderr  # the bot's own earlier chart is replaced
    # a chart written before charts carried the mark: its size, no Software text
    unmarked = png.read_bytes().replace(b"tEXtSoftware", b"tEXtSomethin")
    png.write_bytes(unmarked)
    older = digest_cli(tmp_path, "--week", WEEK, "--png", str(png), "--school", "compass")
    assert older.returncode == 0, older.stderr

    text = digest_cli(tmp_path, "--week", WEEK)
    assert text.returncode == 0 and "Weekoverzicht 2024-W48" in text.stdout
    # plain text on a terminal (session 45: the rule id was printed in backticks)
    assert "  schooltijd Sociale media onder schooltijd: 4 (1)" in text.stdout
    assert "`" not in text.stdout
    # a terminal shows the question as asked: the markdown escapes are for the Discord post
    assert "wie is *anna_v_2011*?" in text.stdout and "\\" not in text.stdout

    for bad, says in [
        (("--week", "2024-W99"), "does not exist"),
        (("--week", "volgende"), "YYYY-Www"),
        (("--school", "Andere School"), "unknown school"),
        (("--database", str(tmp_path / "missing.db")), "no database there"),
    ]:
        refused = digest_cli(tmp_path, *bad)
        assert refused.returncode == 2 and refused.stdout == ""
        assert len(refused.stderr.strip().splitlines()) == 1 and says in refused.stderr


def test_the_console_prints_the_digest_and_where_the_chart_is(tmp_path: Path) -> None:
    script = (
        "/tijd 2026-11-24 10:15\nhoi allemaal\n/als leerling\n/overzicht\n"
        "/als moderator\n/overzicht\n/overzicht 2026-W99\n"
    )
    done = run_bot(tmp_path, script, "--console", "--fresh")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        "Alleen moderatoren en de schoolleiding kunnen het weekoverzicht zien. / "
        "Only moderators and leadership can see the weekly digest." in out
    )
    assert "Weekoverzicht 2026-W48" in out and "  schooltijd Sociale media" in out
    assert "`" not in out  # the console shows markdown as plain text
    chart = next(line for line in out.splitlines() if "Grafiek: " in line).split("Grafiek: ")[1]
    assert png_size(Path(chart).read_bytes()) == (1200, 600)
    assert "\nWeek 2026-W99 bestaat niet. Gebruik: /overzicht [JJJJ-Www].\n" in out  # Dutch


async def test_unanswered_questions_keep_and_show_no_one_elses_data(tmp_path: Path) -> None:
    """A question the bot could not answer is kept with other people's data masked, and the
    digest shows it (also a row kept before that) masked, without pings or markdown."""
    from compass_bot.features.questions.service import Answer, QuestionService

    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        service = app[QuestionService]
        unanswered = Answer(status="none", language="nl")
        await service.remember_question(
            unanswered, "mag ik 06-12345678 van sanne delen?", at(26, 10)
        )
        await QuestionRepo(app.db).record_question(  # kept raw by an older version
            "@everyone **wie** heeft sanne.de.vries@gmail.com?", None, "unanswered", at(27, 9)
        )
        rows = await app.db.fetchall("SELECT question FROM question_feedback ORDER BY id")
        stored = [r["question"] for r in rows]
        digest_service = app[DigestService]
        digest = await digest_service.digest(
            digest_service.period(WEEK, app.clock.now()), app.clock.now()
        )
    finally:
        await app.close()
    assert "12345678" not in stored[0] and "sanne" in stored[0]
    shown = " ".join(digest.unanswered)
    assert "12345678" not in shown and "sanne.de.vries" not in shown
    assert "@everyone" not in shown and "**" not in shown


async def test_a_members_control_characters_never_reach_the_admins_terminal(
    tmp_path: Path,
) -> None:
    """An escape sequence in an unanswered question (it would retitle and recolour the
    terminal) is written out in the text digest; JSON carries the text itself."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        await QuestionRepo(app.db).record_question(
            "\x1b]0;HACKED\x07 mag dit \x1b[31mopen", None, "unanswered", at(27, 9)
        )
    finally:
        await app.close()
    text = digest_cli(tmp_path, "--week", WEEK)
    assert text.returncode == 0, text.stderr
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert "⟨U+001B⟩]0;HACKED⟨U+0007⟩ mag dit ⟨U+001B⟩[31mopen" in text.stdout
    data = json.loads(digest_cli(tmp_path, "--week", WEEK, "--json").stdout)
    assert data["unanswered"] == ["\x1b]0;HACKED\x07 mag dit \x1b[31mopen"]


async def test_the_command_line_digest_reads_beside_the_running_bot(tmp_path: Path) -> None:
    """digest only reads (as `status`): beside the bot, which holds the database and its
    lock, it reads the figures so far and never takes the lock."""
    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        await fill(app)
        done = digest_cli(tmp_path, "--week", WEEK, "--json")
    finally:
        await app.close()
    assert done.returncode == 0, done.stderr
    assert [r["this_week"] for r in json.loads(done.stdout)["rules"]] == [4, 1]


async def test_digest_of_an_older_backup_neither_migrates_it_nor_leaves_a_lock(
    tmp_path: Path,
) -> None:
    """An old copy (a backup of the version before) is one line naming both schemas; the
    file is as it was, and nothing (no lock file) is left beside it."""
    loaded = make_loaded(tmp_path)
    await (await App.create(loaded, clock=Clock(at(3, 12, month=12)))).close()
    old = tmp_path / "old" / "OLD.db"
    old.parent.mkdir()
    source = sqlite3.connect(loaded.database_path)
    copy = sqlite3.connect(old)
    source.backup(copy)
    source.close()
    known = copy.execute("PRAGMA user_version").fetchone()[0]
    copy.execute("PRAGMA journal_mode=DELETE")
    copy.execute(f"PRAGMA user_version = {known - 1}")
    copy.commit()
    copy.close()
    before = old.read_bytes()
    done = digest_cli(tmp_path, "--database", str(old))
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.count("\n") == 1
    assert f"schema {known - 1} is older than this bot ({known})" in done.stderr
    assert old.read_bytes() == before
    assert [p.name for p in old.parent.iterdir()] == ["OLD.db"]


async def test_the_command_line_refuses_what_would_lose_data_or_make_no_sense(
    tmp_path: Path,
) -> None:
    """One line and exit 2, nothing written: the chart over the database or any other file
    that is not a chart, an empty chart name, another program's database, a file that is no
    database at all (a wrong path: no advice to move it away), a week that has not started; a broken calendar is one line too, and the command ends."""
    loaded = make_loaded(tmp_path)
    await (await App.create(loaded, clock=Clock(at(3, 12, month=12)))).close()
    database = loaded.database_path
    before = database.read_bytes()
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me", encoding="utf-8")
    photo = tmp_path / "foto.png"  # a PNG, but not one of the bot's charts
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    foreign = tmp_path / "report.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE report (x)")
    conn.commit()
    conn.close()
    for bad, says in [
        (("--png", str(database)), "belongs to the database"),
        (("--png", str(notes)), "is not a chart"),
        (("--png", str(photo)), "is not a chart"),
        (("--png", ""), "--png needs a file name"),
        (("--database", str(foreign)), "not a compass-bot database"),
        (("--database", str(notes)), "no compass-bot database; check the path"),
        (("--week", "2090-W10"), "has not started yet"),
        (("--week", ""), "is not a week"),
    ]:
        refused = digest_cli(tmp_path, *bad)
        assert refused.returncode == 2 and refused.stdout == "", refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and says in refused.stderr
    assert database.read_bytes() == before and notes.read_text(encoding="utf-8") == "keep me"
    assert photo.read_bytes() == b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert sqlite3.connect(foreign).execute("SELECT name FROM sqlite_master").fetchall() == [
        ("report",)
    ]
    config = tmp_path / "config.yaml"
    (tmp_path / "school.ics").write_bytes(b"\xff\xfe not text")
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "schedule:\n", "schedule:\n  days_off: {ics_file: school.ics}\n"
        ),
        encoding="utf-8",
    )
    broken = digest_cli(tmp_path)
    assert broken.returncode == 2 and "not UTF-8 text" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_two_schools_consoles_keep_their_own_chart_named_by_the_school(tmp_path: Path) -> None:
    """`/overzicht 2026-W44` wrote data/weekoverzicht-2026-W44.png for every school of a
    board, so one school's console replaced the other's chart."""
    from tests.conftest import BOARD_CONFIG

    script = "/als moderator\n/overzicht 2026-W44\n/stop\n"
    charts = []
    for school in ("noord", "zuid"):
        done = run_bot(tmp_path, script, "--console", "--school", school, config=BOARD_CONFIG)
        assert done.returncode == 0, done.stderr
        charts.append(next(ln.strip() for ln in done.stdout.splitlines() if "Grafiek: " in ln))
    assert charts == [
        f"Grafiek: {tmp_path / 'data' / f'weekoverzicht-{slug}-2026-W44.png'}"
        for slug in ("noord", "zuid")
    ]
    assert not (tmp_path / "data" / "weekoverzicht-2026-W44.png").exists()


async def test_the_chart_names_a_boards_school_in_its_title(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.figure import Figure

    app = await App.create(make_loaded(tmp_path), clock=Clock(at(3, 12, month=12)))
    try:
        service = app[DigestService]
        digest = await service.digest(service.period(WEEK, at(3, 12, month=12)), at(3, 12))
    finally:
        await app.close()
    titles: list[str] = []
    original = Figure.suptitle

    def suptitle(self: Figure, text: str, **kwargs: object) -> object:
        titles.append(text)
        return original(self, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "suptitle", suptitle)
    render_png(digest, "nl", school="Zuid")
    render_png(digest, "en")
    assert titles == ["Weekoverzicht Zuid 2024-W48", "Weekly digest 2024-W48"]
