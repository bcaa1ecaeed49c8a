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


class InputLines:
    """The input of a per-line command: one text from the arguments, or the lines of stdin
    read as UTF-8. A line that is not UTF-8 is skipped with one line on stderr and counted
    (`skipped`: the command then exits 2), so the other lines are still answered and no
    undecodable text reaches the output (the JSON would not be UTF-8)."""

    def __init__(self, command: str, stdin: bool, args: Sequence[str]) -> None:
        self.command, self.stdin, self.args = command, stdin, args
        self.skipped = 0

    def __iter__(self) -> Iterator[str]:
        if not self.stdin:
            yield " ".join(self.args)
            return
        for number, raw in enumerate(sys.stdin.buffer, start=1):
            try:
                yield raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                self.skipped += 1
                print(f"{self.command}: line {number} is not UTF-8 text; skipped", file=sys.stderr)


def input_problem(command: str, item: str, stdin: bool, given: Sequence[str]) -> str | None:
    """The one line for a per-line command given no input, input two ways at once, or an
    argument that is not UTF-8 (the shell passes bytes; Python keeps them as surrogates)."""
    if stdin and given:
        return f"{command}: give the {item} as arguments or with --stdin, not both"
    if not stdin and not given:
        return f"{command}: give a {item}, or --stdin to read one per line"
    if any(not_utf8(arg) for arg in given):
        return f"{command}: the {item} is not UTF-8 text"
    if given and not all(arg.strip() for arg in given):  # check-name reads each one alone
        return f"{command}: the {item} is empty"
    return None


def not_utf8(text: str) -> bool:
    """Bytes that were not UTF-8, kept by Python's surrogateescape as lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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
    given = args.config or args.school is not None  # `--school ""` is a name, and no school's
    return school_or_exit(args, command) if given else None
