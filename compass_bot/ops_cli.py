"""The operations commands of the admin command line (`invite-url`, `backup`, `status`): what
a school's IT admin runs beside the bot, per school of a board. `__main__` builds the parser."""

from __future__ import annotations

import argparse
import sys

from compass_bot.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    config_or_exit,
    print_json,
    school_or_exit,
)
from compass_bot.config import LoadedConfig


def cmd_invite_url(args: argparse.Namespace) -> int:
    from compass_bot.discord_front import permissions as perms
    from compass_bot.inputs import parse_snowflake

    loaded = config_or_exit(args.config)
    client_id = parse_snowflake(args.client_id)  # a Discord id, as in the config
    if args.client_id is not None and client_id is None:
        print(
            f"invite-url: --client-id {args.client_id[:40]!r} is not an Application ID "
            "(15 to 20 digits: Developer Portal > General Information)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    client_id = client_id or loaded.config.discord.application_id
    if client_id is None:
        print(
            "invite-url: no Application ID: give --client-id ID, or set discord.application_id "
            "in the config (Developer Portal > your application > General Information)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Least privilege per server: a board's schools each get the link with what their own
    # features need (`Noord: URL`), or the one school --school names.
    schools: tuple[LoadedConfig, ...] = (
        (school_or_exit(args, "invite-url", loaded),)
        if args.school is not None
        else loaded.each_school()
    )
    for school in schools:
        url = perms.invite_url(client_id, school.config)
        print(f"{school.school}: {url}" if len(schools) > 1 else url)
        if args.explain:
            print("\n".join(perms.explain(school.config, perms.clause_title)))
    if args.explain:  # one application, one connection: the board's setting
        print(perms.portal_intents(loaded.config.discord))
    return EXIT_OK


_RENAME = "name the backup file otherwise"


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from compass_bot.config.marks import school_mark
    from compass_bot.ops import OpsError, backup, claimed_file

    board = config_or_exit(args.config)
    loaded = school_or_exit(args, "backup", board)
    target = Path(args.path)
    if args.path.endswith(("/", "\\")) and not target.is_dir():
        print(f"backup: {args.path}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if (claimed := claimed_file(board, loaded, target)) is not None:
        print(f"backup: {target} is {claimed}; {_RENAME}", file=sys.stderr)
        return EXIT_USAGE
    try:
        size = backup(
            loaded.database_path, target, mark=school_mark(loaded), force=args.force, board=board
        )
    except OpsError as exc:
        print(f"backup: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"backup: {loaded.database_path} -> {target} ({size} bytes)")
    return EXIT_OK


def _status(loaded: LoadedConfig, board: LoadedConfig) -> tuple[dict[str, object], list[str]] | int:
    """One school's status: the JSON report and the text block; an exit code after an error
    line on stderr (2 for another school's backup restored in its place: a person must fix
    it). The intents are the connection's, one for the board's schools."""
    from compass_bot.config.marks import other_school_problem
    from compass_bot.discord_front.client import bot_intents
    from compass_bot.ops import OpsError, status_report

    wanted = sorted(name for name, on in bot_intents(board) if on)
    named = f"{loaded.school}: " if loaded.school else ""
    if (restored := other_school_problem(board, loaded)) is not None:
        print(f"status: {named}{restored}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return status_report(loaded, wanted)
    except OpsError as exc:
        print(f"status: {named}{exc}", file=sys.stderr)
        return EXIT_FAILED


def cmd_status(args: argparse.Namespace) -> int:
    loaded = config_or_exit(args.config)
    if args.school is not None or not loaded.schools:
        status = _status(school_or_exit(args, "status", loaded), loaded)
        if isinstance(status, int):
            return status
        report, lines = status
        if args.json:
            print_json(report)
        else:
            print("\n".join(lines))
        return EXIT_OK
    # A board without --school: every school, one block (or JSON entry) each; a blank line
    # only between blocks printed (a school without its database has its line on stderr).
    statuses = [_status(school, loaded) for school in loaded.schools]
    found = [status for status in statuses if not isinstance(status, int)]
    if args.json:
        print_json({"schools": [report for report, _ in found]})
    elif found:
        print("\n\n".join("\n".join(lines) for _, lines in found))
    return max((status for status in statuses if isinstance(status, int)), default=EXIT_OK)
