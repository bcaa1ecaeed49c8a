"""compass-bot's entry point: `python bot.py` runs the bot.

With DISCORD_TOKEN set (environment or .env) it runs on Discord; without one it opens the
offline console when you are at a terminal (`--console` forces it, e.g. for a pipe).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from compass_bot.cli_common import say_example_fallback
from compass_bot.config import (
    ConfigError,
    LoadedConfig,
    check_targets,
    config_warnings,
    discord_token,
    load_config,
)
from compass_bot.config.schools import SchoolChoiceError, pick_school, school_names
from compass_bot.logs import LOG_FORMATS, setup_logging

NOT_STARTED = "compass-bot: not started; fix the problem above."
NO_TOKEN = (
    "compass-bot: no DISCORD_TOKEN is set and stdin is not a terminal: set DISCORD_TOKEN "
    "(environment or .env) to run on Discord, or use `python bot.py --console` for the "
    "offline console."
)


def _wipe_console_database(loaded: LoadedConfig) -> None:
    """`--fresh`: delete the console's own file (never the real bot's) and its WAL files."""
    from compass_bot.console.server import server_file
    from compass_bot.storage.db import remove_database

    path = loaded.console_database_path
    if path.resolve() == loaded.database_path.resolve():  # cannot happen; never risk it
        raise OSError(f"{path} is the bot's own database")
    remove_database(path)  # StoreError while another console has it open
    server_file(path).unlink(missing_ok=True)  # its simulated members and channels


async def _console(loaded: LoadedConfig) -> int:
    from compass_bot.app import App
    from compass_bot.console import run_console
    from compass_bot.storage.db import Database

    db = await Database.open(loaded.console_database_path)
    try:
        app = await App.create(loaded, db=db)
    except BaseException:
        await db.close()  # an open connection's worker thread would keep the process alive
        raise
    try:
        await run_console(app)
    finally:
        await app.close()
    return 0


def _console_school(loaded: LoadedConfig, wanted: str | None) -> LoadedConfig:
    """The console simulates one school's server: the one named, else a board's first (said
    once, with how to pick another)."""
    if wanted is None and loaded.schools:
        first = loaded.schools[0]
        print(
            f"compass-bot: console for school {first.school} (this config runs "
            f"{len(loaded.schools)} schools: {school_names(loaded)}; --school NAME for another)",
            file=sys.stderr,
        )
        return first
    return pick_school(loaded, wanted, lambda line: print(f"compass-bot: {line}", file=sys.stderr))


def _store_failed(exc: Exception) -> int:
    """The database cannot be used (or another bot holds it): its one line, then stop."""
    print(exc, file=sys.stderr)
    print(NOT_STARTED, file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bot; a closed or full stdin or stdout is one line on stderr, as for every
    command of `python -m compass_bot` (`cli_common.StandardStreams`)."""
    from compass_bot.cli_common import StandardStreams

    streams = StandardStreams()
    streams.command = "compass-bot"
    return streams.run(lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__)
    parser.add_argument("--console", action="store_true", help="run the offline console")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="console: start from a clean state (deletes the console's own database file, "
        "never the real bot's)",
    )
    parser.add_argument("--config", help="config file (default: $COMPASS_CONFIG or config.yaml)")
    parser.add_argument(
        "--school",
        help="console: which school of a board's config (default: the first); on Discord the "
        "bot serves every school of the file",
    )
    parser.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default="text",
        help="text: plain lines (coloured only at a terminal); json: one object a line, for "
        "log collectors",
    )
    args = parser.parse_args(argv)
    try:
        from compass_bot.clock import Clock

        loaded = load_config(args.config)
        # What the config points at (.ics file, database folder) is checked before anything
        # opens, so a bad one is a line here rather than a traceback (and a hang) later.
        check_targets(loaded, Clock().now(), console=args.console, fresh=args.fresh)
        token = None if args.console else discord_token()
        if token:  # the real bot on the example's server names and database: say so
            say_example_fallback(args.config)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(NOT_STARTED, file=sys.stderr)
        return 2
    if token and (args.fresh or args.school):
        flag = "--fresh" if args.fresh else "--school"
        print(f"compass-bot: {flag} is for the console only; add --console.", file=sys.stderr)
        return 2
    from compass_bot.storage.db import StoreError

    if token:
        import discord

        from compass_bot.discord_front.runner import run_discord

        colour = getattr(discord.utils, "_ColourFormatter", None)
        setup_logging(args.log_format, secrets=[token], colour=colour() if colour else None)
        try:
            return asyncio.run(run_discord(loaded, token))
        except StoreError as exc:
            return _store_failed(exc)
    if not args.console and not sys.stdin.isatty():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        loaded = _console_school(loaded, args.school)
    except SchoolChoiceError as exc:
        print(f"compass-bot: {exc}", file=sys.stderr)
        return 2
    for warning in config_warnings(loaded):  # the school the console simulates
        print(f"compass-bot: {warning}", file=sys.stderr)
    if args.fresh:
        try:
            _wipe_console_database(loaded)
        except StoreError as exc:
            return _store_failed(exc)
        except OSError as exc:
            print(
                f"compass-bot: --fresh could not delete the console database: {exc}",
                file=sys.stderr,
            )
            return 2
    try:
        return asyncio.run(_console(loaded))
    except StoreError as exc:
        return _store_failed(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into a reader that stopped early: end quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
