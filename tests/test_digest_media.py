"""The digest command on troubled media: a full disk leaves the chart's file as it was (no
empty file that the next run would refuse), and a copy of the database on read-only media
(a USB stick, a mounted backup) is read as `status` and `backup` read it, never written.

Each runs on a small real tmpfs (filled up, or remounted read-only; skipped with the reason
when mounting is impossible) and, always, on the refusal played in the process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.digest.cli import run_digest
from compass_bot.storage import readonly
from compass_bot.storage.lock import ProcessLock
from tests.conftest import Disk, make_loaded
from tests.test_digest_service import WEEK, at, digest_cli, fill, png_size

FULL = "No space left on device"


async def _filled(loaded: LoadedConfig) -> None:
    app = await App.create(loaded, clock=Clock(at(3, 12, month=12)))
    try:
        await fill(app)
    finally:
        await app.close()


def _one_line_refusal(done: object, says: str) -> None:
    returncode, stdout, stderr = (getattr(done, k) for k in ("returncode", "stdout", "stderr"))
    assert returncode == 2 and stdout == "", stderr
    assert stderr.count("\n") == 1 and says in stderr and "Traceback" not in stderr


def _json_counts(stdout: str) -> list[int]:
    return [r["this_week"] for r in json.loads(stdout)["rules"]]


# -- a full disk ----------------------------------------------------------------------------


async def test_a_full_disk_leaves_no_chart_behind_and_the_next_run_writes_it(
    tmp_path: Path, small_disk: Disk
) -> None:
    """The tester's case: an empty x.png was left, and the next run refused it as no chart."""
    await _filled(make_loaded(tmp_path))
    png = small_disk.path / "x.png"
    small_disk.fill()
    _one_line_refusal(digest_cli(tmp_path, "--week", WEEK, "--png", str(png)), FULL)
    assert sorted(p.name for p in small_disk.path.iterdir()) == ["filler"]
    small_disk.free()
    done = digest_cli(tmp_path, "--week", WEEK, "--png", str(png))
    assert done.returncode == 0, done.stderr
    assert png_size(png.read_bytes()) == (1200, 600)


async def test_a_full_disk_keeps_last_weeks_chart_whole(tmp_path: Path, small_disk: Disk) -> None:
    """The new chart goes to a file of its own first: where it does not fit, last week's
    stays as it was (never truncated), and nothing else is left beside it."""
    await _filled(make_loaded(tmp_path))
    png = small_disk.path / "overzicht.png"
    assert digest_cli(tmp_path, "--week", WEEK, "--png", str(png)).returncode == 0
    before = png.read_bytes()
    small_disk.fill()
    _one_line_refusal(digest_cli(tmp_path, "--week", "2024-W49", "--png", str(png)), FULL)
    assert png.read_bytes() == before
    assert sorted(p.name for p in small_disk.path.iterdir()) == ["filler", "overzicht.png"]


def _digest_args(database: Path | None = None, png: Path | None = None) -> argparse.Namespace:
    return argparse.Namespace(
        database=str(database) if database else None,
        week=WEEK,
        png=str(png) if png else None,
        json=True,
        school=None,
    )


def test_a_refused_write_leaves_no_file_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Always runs: the disk's refusal played in the process. A write makes its file, puts
    part of the chart in it and fails as a full disk does."""
    loaded = make_loaded(tmp_path)
    asyncio.run(_filled(loaded))
    real_write = Path.write_bytes

    def full(self: Path, data: bytes) -> int:  # the signature of a buffer: bytes here
        real_write(self, data[:100])
        raise OSError(errno.ENOSPC, FULL)

    monkeypatch.setattr(Path, "write_bytes", full)
    png = tmp_path / "charts" / "x.png"
    png.parent.mkdir()
    assert run_digest(_digest_args(png=png), loaded) == 2
    assert f"{png}: {FULL}" in capsys.readouterr().err
    assert list(png.parent.iterdir()) == []
    monkeypatch.undo()
    assert run_digest(_digest_args(png=png), loaded) == 0
    assert png_size(png.read_bytes()) == (1200, 600)
    assert [p.name for p in png.parent.iterdir()] == ["x.png"]


# -- read-only media ------------------------------------------------------------------------


async def test_digest_reads_a_copy_on_read_only_media(tmp_path: Path, small_disk: Disk) -> None:
    """A copy of a database in WAL mode on media mounted read-only: no lock file can be
    made there and SQLite cannot make its shared-memory file; digest reads it all the same
    (its chart goes elsewhere), as `status` and `backup` do."""
    loaded = make_loaded(tmp_path)
    await _filled(loaded)
    with contextlib.closing(sqlite3.connect(loaded.database_path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    copy = small_disk.path / "compass.db"
    shutil.copy(loaded.database_path, copy)
    small_disk.read_only()
    before = copy.read_bytes()
    png = tmp_path / "chart.png"
    done = digest_cli(
        tmp_path, "--database", str(copy), "--week", WEEK, "--json", "--png", str(png)
    )
    assert done.returncode == 0, done.stderr
    assert _json_counts(done.stdout) == [4, 1]
    assert png_size(png.read_bytes()) == (1200, 600)
    text = digest_cli(tmp_path, "--database", str(copy), "--week", WEEK)
    assert text.returncode == 0 and "Weekoverzicht 2024-W48" in text.stdout, text.stderr
    assert copy.read_bytes() == before
    assert sorted(p.name for p in small_disk.path.iterdir()) == ["compass.db"]


async def test_a_read_only_copy_of_another_program_is_refused_in_one_line(
    tmp_path: Path, small_disk: Disk
) -> None:
    make_loaded(tmp_path)
    foreign = small_disk.path / "report.db"
    with contextlib.closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE report (x)")
        conn.commit()
    small_disk.read_only()
    _one_line_refusal(
        digest_cli(tmp_path, "--database", str(foreign)), "not a compass-bot database"
    )


def test_digest_reads_read_only_media_played_and_never_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Always runs: the media's refusal played. The lock file cannot be made (EROFS) and
    the folder reports itself mounted read-only; digest reads on a connection SQLite itself
    keeps from writing, and takes no lock."""
    loaded = make_loaded(tmp_path)
    asyncio.run(_filled(loaded))
    database = loaded.database_path
    before = database.read_bytes()

    def no_lock(cls: type[ProcessLock], path: Path) -> ProcessLock:
        raise OSError(errno.EROFS, "Read-only file system", f"{path}.lock")

    monkeypatch.setattr(ProcessLock, "acquire", classmethod(no_lock))
    monkeypatch.setattr(readonly, "on_read_only_media", lambda path: True)
    assert run_digest(_digest_args(), loaded) == 0, capsys.readouterr().err
    assert _json_counts(capsys.readouterr().out) == [4, 1]
    assert database.read_bytes() == before

    async def write_refused() -> None:
        db = await readonly.open_to_read(database)
        try:
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                await db.execute("DELETE FROM alerts")
        finally:
            await db.close()

    asyncio.run(write_refused())
    assert database.read_bytes() == before


# -- a home matplotlib cannot write -----------------------------------------------------------


async def test_a_read_only_home_gives_matplotlib_a_folder_beside_the_database(
    tmp_path: Path,
) -> None:
    """Under systemd's ProtectSystem=strict (or a read-only container) without MPLCONFIGDIR,
    matplotlib warned on stderr at every chart and rebuilt its font cache at every start. A
    home that is a file cannot be written, even by root (the tests' user)."""
    import os
    import subprocess
    import sys

    loaded = make_loaded(tmp_path)
    await _filled(loaded)
    home = tmp_path / "home"
    home.write_text("not a folder", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPL"))}
    png = tmp_path / "chart.png"
    args = ["--config", str(loaded.path), "digest", "--week", WEEK, "--png", str(png)]
    for _ in range(2):  # the second run finds the font cache the first one made
        done = subprocess.run(
            [sys.executable, "-m", "compass_bot", *args],
            env={**env, "HOME": str(home)},
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        folder = loaded.database_path.parent / ".matplotlib"
        assert any(folder.glob("fontlist-*.json")) and png_size(png.read_bytes()) == (1200, 600)
