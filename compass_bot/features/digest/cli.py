"""`python -m compass_bot digest`: the weekly digest of a stored database, as text or JSON,
and the chart as a PNG file. Bad input is one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from compass_bot.app import App
from compass_bot.atomic import SHARED, write_atomically
from compass_bot.cli_common import EXIT_OK, EXIT_USAGE, print_json
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.digest import texts
from compass_bot.features.digest.chart import CHART_MARK, CHART_SIZE, render_chart
from compass_bot.features.digest.rules import WeekError
from compass_bot.features.digest.service import DigestService
from compass_bot.inputs import cut_short
from compass_bot.ops import other_school_of
from compass_bot.plain import as_plain_text
from compass_bot.refs import describe_ref
from compass_bot.schedule import ScheduleError
from compass_bot.storage.db import StoreError, belongs_to_database
from compass_bot.storage.readonly import open_to_read


class _Refused(Exception):
    """One line for the admin."""


def _check_school(name: str | None, loaded: LoadedConfig) -> None:
    """One school per config for now: --school must name the configured server."""
    guild = loaded.config.discord.guild
    if name is None or guild is None:
        return
    if (isinstance(guild, int) and name.strip() == str(guild)) or (
        isinstance(guild, str) and name.strip().casefold() == guild.casefold()
    ):
        return
    raise _Refused(f"unknown school {cut_short(name)!r}: this config serves {describe_ref(guild)}")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_png_target(name: str, database: Path) -> Path:
    """Where the chart may be written: a new file, or an earlier chart of the bot replaced
    (its mark, `CHART_MARK`, sits before the image data); never the database, its journal
    files or any other file that is there, a photo saved as PNG included."""
    if not name.strip():
        raise _Refused("--png needs a file name, e.g. --png overzicht.png")
    target = Path(name)
    if target.is_dir():
        raise _Refused(f"{target} is a folder; name the chart's file, e.g. {target}/overzicht.png")
    if not target.exists():
        return target
    if belongs_to_database(target, database):
        raise _Refused(f"{target} belongs to the database; write the chart to another file")
    try:
        with target.open("rb") as existing:
            head = existing.read(4096)
    except OSError as exc:
        raise _Refused(f"{target}: {exc.strerror or exc}") from None
    if not head.startswith(PNG_SIGNATURE) or not (CHART_MARK in head or _unmarked_chart(head)):
        raise _Refused(f"{target} exists and is not a chart (PNG); pick another file name")
    return target


def _unmarked_chart(head: bytes) -> bool:
    """A chart from before the mark: the chart's own size and no Software text at all (a
    photo editor names itself there), so a weekly job may replace last week's file."""
    size = (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big"))
    return head[12:16] == b"IHDR" and size == CHART_SIZE and b"tEXtSoftware" not in head


async def _run(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    path = Path(args.database) if args.database else loaded.database_path
    if not path.is_file():
        raise _Refused(f"{path}: no database there")
    png_target = _check_png_target(args.png, path) if args.png is not None else None
    db = await open_to_read(path)  # only reads: beside the bot, a backup, read-only media
    try:
        app = await App.create(loaded, db=db, clock=Clock())
    except BaseException:
        await db.close()  # its worker thread would keep the process alive
        raise
    try:
        service = app[DigestService]
        now = app.clock.now()
        digest = await service.digest(service.period(args.week, now), now)
        language = loaded.config.digest.language
        if png_target is not None:
            png = await render_chart(digest, language, path, loaded.school)
            try:  # whole or not at all: a full disk leaves no empty file to refuse next time
                write_atomically(png_target, png, mode=SHARED)
            except OSError as exc:
                raise _Refused(f"{args.png}: {exc.strerror or exc}") from None
        school = loaded.school  # a board's entry: the header names it
        if args.json:
            data = digest.to_json() if school is None else {"school": school, **digest.to_json()}
            print_json(data)
        else:
            title_of = texts.clause_titles(app.book, language)
            print(as_plain_text(texts.as_text(digest, language, title_of, school)))
            if args.png:
                print(texts.labels(language)["chart"].format(path=args.png))
    finally:
        await app.close()
    return EXIT_OK


def _check_database(name: str | None, loaded: LoadedConfig, board: LoadedConfig | None) -> None:
    """`--database` may be any copy, but never another school's configured database: its
    figures would pass as this school's."""
    if name is None or board is None:
        return
    other = other_school_of(board, loaded, Path(name))
    if other is not None:
        raise _Refused(
            f"{name} is the database of school {other.school or ''!r}, not of "
            f"{loaded.school or ''!r}; use --school {other.school}"
        )


def run_digest(
    args: argparse.Namespace, loaded: LoadedConfig, board: LoadedConfig | None = None
) -> int:
    """The digest of `loaded` (a school of `board`, the file its config came from)."""
    try:
        _check_school(args.school, loaded)
        _check_database(args.database, loaded, board)
        return asyncio.run(_run(args, loaded))
    except (_Refused, WeekError, StoreError, ScheduleError) as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return EXIT_USAGE
