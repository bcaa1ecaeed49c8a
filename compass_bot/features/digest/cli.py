"""`python -m compass_bot digest`: the weekly digest of a stored database, as text or JSON,
and the chart as a PNG file. Bad input is one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.features.digest import texts
from compass_bot.features.digest.chart import render_png
from compass_bot.features.digest.rules import WeekError
from compass_bot.features.digest.service import DigestService
from compass_bot.refs import describe_ref
from compass_bot.storage.db import Database, StoreError

EXIT_OK = 0
EXIT_USAGE = 2


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
    raise _Refused(f"unknown school {name!r}: this config serves {describe_ref(guild)}")


async def _run(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    path = Path(args.database) if args.database else loaded.database_path
    if not path.is_file():
        raise _Refused(f"{path}: no database there")
    app = await App.create(loaded, db=await Database.open(path), clock=Clock())
    try:
        service = app[DigestService]
        now = app.clock.now()
        digest = await service.digest(service.period(args.week, now), now)
        language = loaded.config.digest.language
        if args.png:
            png = await asyncio.to_thread(render_png, digest, language)
            try:
                Path(args.png).write_bytes(png)
            except OSError as exc:
                raise _Refused(f"{args.png}: {exc.strerror or exc}") from None
        if args.json:
            sys.stdout.write(json.dumps(digest.to_json(), ensure_ascii=False) + "\n")
        else:
            print(texts.as_text(digest, language, texts.clause_titles(app.book, language)))
            if args.png:
                print(texts.labels(language)["chart"].format(path=args.png))
    finally:
        await app.close()
    return EXIT_OK


def run_digest(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    try:
        _check_school(args.school, loaded)
        return asyncio.run(_run(args, loaded))
    except (_Refused, WeekError, StoreError) as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return EXIT_USAGE
