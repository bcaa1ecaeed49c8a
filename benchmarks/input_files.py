"""Reading a benchmark's labelled JSONL file: every slip is one line for the person running it.

Benchmarks are run by hand on files people bring: another set's format, a text file, a
folder, an export cut short. A traceback there reads as a bug in the bot and hides which line
is wrong. Each script describes its lines with a `Format`; `read_rows` checks a file against
it before any model or index is loaded and raises `BadInput` naming the file, the line and
what is wrong; `exit_code` turns that into the line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from compass_bot.inputs import InputError, read_bounded, shown_json  # noqa: E402

MAX_BYTES = 64 << 20
"""Far above any labelled set (the largest is under 1 MB); a bigger file is a wrong file."""


class BadInput(Exception):
    """An input a benchmark cannot use; its text is the one line to print."""


@dataclass(frozen=True)
class Kind:
    """What a field must hold: `name` for the message, `test` on the decoded value."""

    name: str
    test: Callable[[object], bool]


TEXT = Kind("a string", lambda v: isinstance(v, str))
FLAG = Kind("true or false", lambda v: isinstance(v, bool))
LIST = Kind("a list", lambda v: isinstance(v, list))
TEXTS = Kind(
    "a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)
)


@dataclass(frozen=True)
class Format:
    """One line of a labelled set: `what` it is ("question set"), what its lines are called
    ("questions"), and the fields it must and may have."""

    what: str
    items: str
    required: Mapping[str, Kind]
    optional: Mapping[str, Kind] = field(default_factory=dict)

    @property
    def hint(self) -> str:
        """What a right line looks like, for a file of another format."""
        return f"(a {self.what} has {', '.join(self.required)})"


def kind_of(value: object) -> str:
    """A decoded JSON value's kind as the person who wrote the file knows it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def where(path: Path, number: int) -> str:
    """How a message names a line: `x.jsonl line 3`."""
    return f"{path} line {number}"


def read_file(path: Path) -> bytes:
    """The bytes of a regular file; a missing file, a folder or a pipe is a BadInput."""
    try:
        return read_bounded(path, MAX_BYTES)
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except InputError as exc:
        raise BadInput(f"{path}: {exc}") from None


def read_rows(path: Path, fmt: Format) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line, every field checked against `fmt`;
    the first wrong line, or a file without any line, is a BadInput."""
    data = read_file(path)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff" if number == 1 else "")
        except UnicodeDecodeError:
            raise BadInput(f"{where(path, number)}: not UTF-8 text (a binary file?)") from None
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInput(
                f"{where(path, number)}: not JSON ({exc.msg} at column {exc.colno})"
            ) from None
        except RecursionError:
            raise BadInput(f"{where(path, number)}: not JSON (nested too deeply)") from None
        except ValueError:  # json.loads refuses a number of more than 4,300 digits so
            raise BadInput(f"{where(path, number)}: not JSON (a number too long)") from None
        check(obj, fmt, where(path, number))
        rows.append((number, obj))
    if not rows:
        empty = "an empty file" if not data else "only blank lines"
        raise BadInput(f"{path}: no {fmt.items} ({empty})")
    return rows


def check(obj: object, fmt: Format, at: str) -> None:
    """A BadInput at `at` unless `obj` is an object with `fmt`'s fields of the right kinds."""
    if not isinstance(obj, dict):
        raise BadInput(f"{at}: {kind_of(obj)}, not a JSON object {fmt.hint}")
    for name in fmt.required:
        if name not in obj:
            raise BadInput(f'{at}: no "{name}" field {fmt.hint}')
    for name, kind in [*fmt.required.items(), *fmt.optional.items()]:
        if name in obj and not kind.test(obj[name]):
            value = obj[name]
            raise BadInput(
                f'{at}: "{name}" is {kind_of(value)} ({shown_json(value)}), not {kind.name}'
            )


def exit_code(main: Callable[[], int | None]) -> int:
    """Run a benchmark's main: a BadInput becomes its one line on stderr and exit code 2."""
    try:
        return main() or 0
    except BadInput as exc:
        print(exc, file=sys.stderr)
        return 2
