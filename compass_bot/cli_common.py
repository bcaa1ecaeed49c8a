"""What the command line's commands share: exit codes, input lines, JSON output, and the
config (or the school) they run on, each problem one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence

from compass_bot.config import ConfigError, LoadedConfig, load_config

EXIT_OK = 0
EXIT_USAGE = 2


def lines(stdin: bool, args: Sequence[str]) -> Iterator[str]:
    if stdin:
        for line in sys.stdin:
            yield line.rstrip("\r\n")
    else:
        yield " ".join(args)


def input_problem(command: str, item: str, stdin: bool, given: Sequence[str]) -> str | None:
    """The one line for a per-line command given no input, or input two ways at once."""
    if stdin and given:
        return f"{command}: give the {item} as arguments or with --stdin, not both"
    if not stdin and not given:
        return f"{command}: give a {item}, or --stdin to read one per line"
    return None


def print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def config_or_exit(path: str | None) -> LoadedConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def school_or_exit(
    args: argparse.Namespace, command: str, loaded: LoadedConfig | None = None
) -> LoadedConfig:
    """The config of the school `--school` names (see config.schools), or exit 2."""
    from compass_bot.config.schools import SchoolChoiceError, pick_school

    loaded = loaded or config_or_exit(args.config)
    try:
        return pick_school(loaded, args.school)
    except SchoolChoiceError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def optional_school(args: argparse.Namespace, command: str) -> LoadedConfig | None:
    """For the commands that run without a config: the school's config when --config or
    --school is given, else None."""
    return school_or_exit(args, command) if args.config or args.school else None
