"""What the command line's commands share: exit codes, input lines, JSON output, and the
config (or the school) they run on, each problem one line on stderr."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from compass_bot.config import ConfigError, LoadedConfig, load_config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


MAX_LINE_CHARS = 100_000
"""A --stdin line longer than this is no question, name or post: it is skipped unread."""
_MAX_LINE_BYTES = 4 * MAX_LINE_CHARS + 2  # UTF-8: at most four bytes a character; CRLF


class InputLines:
    """The input of a per-line command: one text from the arguments, or the lines of stdin
    read as UTF-8, the one reader `ask`, `check-name` and `check-message` share. Every line
    is answered, in order (the contract: one output line per input line); bytes that are not
    UTF-8 become U+FFFD, as the console reads script files, with one line on stderr naming
    the line (`replaced` counts them), so no undecodable text reaches the output (the JSON
    would not be UTF-8) and no answer goes missing. A byte order mark at the very start is
    dropped (an editor's, not the text's). A line of more than MAX_LINE_CHARS characters is
    not read into memory: one line on stderr names it, it gets no answer, the next lines
    still do, and `exit_code` is then 2."""

    def __init__(self, command: str, stdin: bool, args: Sequence[str]) -> None:
        self.command, self.stdin, self.args = command, stdin, args
        self.replaced = self.skipped = 0

    @property
    def exit_code(self) -> int:
        """2 once a line was too long to answer, else 0."""
        return EXIT_USAGE if self.skipped else EXIT_OK

    def __iter__(self) -> Iterator[str]:
        if not self.stdin:
            yield " ".join(self.args)
            return
        stream = sys.stdin.buffer
        number = 0
        while raw := stream.readline(_MAX_LINE_BYTES + 1):
            number += 1
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            text, utf8 = decode_line(raw)
            text = text.rstrip("\r\n")
            cut = len(raw) > _MAX_LINE_BYTES and not raw.endswith(b"\n")
            if cut or len(text) > MAX_LINE_CHARS:
                self._skip_rest(stream, raw, number)
                continue
            if not utf8:
                self.replaced += 1
                print(f"{self.command}: {not_utf8_line(number)}", file=sys.stderr)
            yield text

    def _skip_rest(self, stream: Any, raw: bytes, number: int) -> None:
        """Past the end of a line that is too long, a block at a time (never all of it)."""
        while raw and not raw.endswith(b"\n"):
            raw = stream.readline(1 << 16)
        self.skipped += 1
        print(
            f"{self.command}: line {number} is longer than {MAX_LINE_CHARS:,} characters; skipped",
            file=sys.stderr,
        )


def decode_line(raw: bytes) -> tuple[str, bool]:
    """A line read as UTF-8, and whether it was: bytes that are not become U+FFFD, so no
    undecodable text goes further and no line goes missing."""
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), False


def not_utf8_line(number: int) -> str:
    """The note on an input line `decode_line` had to repair (the CLI's stderr, the console)."""
    return f"line {number} is not UTF-8 text; its undecodable bytes are read as U+FFFD"


MAX_TRANSCRIPT_BYTES = 16 << 20


def read_text_lines(command: str, source: str, limit: int) -> list[str]:
    """The lines of a UTF-8 file, or of stdin for '-' (at most `limit` bytes), or
    SystemExit(2) after one line. Split on "\n" only (a trailing "\r" goes): JSON text may
    hold U+2028 or U+0085, which str.splitlines() would cut a record at."""
    from pathlib import Path

    from compass_bot.inputs import InputError, read_bounded

    if not source.strip():  # not the current folder ("is a folder"): a slip
        print(f"{command}: the file name is empty (give a file, or - for stdin)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(limit + 1)
            if len(data) > limit:
                raise InputError(f"standard input is larger than {limit >> 20} MiB")
        else:
            data = read_bounded(Path(source), limit)
        data = data.removeprefix(b"\xef\xbb\xbf")
        text = data.decode("utf-8")
        return [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")]
    except FileNotFoundError:
        problem = f"{source}: file not found"
    except InputError as exc:
        problem = f"{source}: {exc}"
    except UnicodeDecodeError as exc:  # the first bad line's number, as for a bad line
        number = data.count(b"\n", 0, exc.start) + 1
        name = "<stdin>" if source == "-" else source
        problem = f"{name}:{number}: not UTF-8 text"
    print(f"{command}: {problem}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


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
    """One JSON object on one line, for any reader (see `json_line`)."""
    from compass_bot.inputs import json_line

    sys.stdout.write(json_line(obj) + "\n")
    sys.stdout.flush()


def say_example_fallback(path: str | None, command: str = "compass-bot") -> None:
    """One stderr line when no config was named and none found (`--config`, COMPASS_CONFIG,
    ./config.yaml): the shipped example's servers, channels and database are then used, which
    an admin running `status` or `backup` from a cron job without COMPASS_CONFIG would not
    otherwise notice."""
    from compass_bot.config import loading

    if path or os.environ.get(loading.CONFIG_ENV):
        return  # named
    found = loading.find_config_path(None)
    if found == loading.PROJECT_ROOT / loading.EXAMPLE_CONFIG_NAME:
        print(
            f"{command}: no config.yaml here and COMPASS_CONFIG is not set: using the shipped "
            f"example, {found}",
            file=sys.stderr,
        )


def config_or_exit(path: str | None) -> LoadedConfig:
    say_example_fallback(path)
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
        return pick_school(
            loaded, args.school, lambda line: print(f"{command}: {line}", file=sys.stderr)
        )
    except SchoolChoiceError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def optional_school(args: argparse.Namespace, command: str) -> LoadedConfig | None:
    """For the commands that run without a config: the school's config when --config or
    --school is given, else None."""
    given = args.config or args.school is not None  # `--school ""` is a name, and no school's
    return school_or_exit(args, command) if given else None


class StreamError(Exception):
    """A standard stream that is closed or fails (a full disk): one line, not a traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Guarded:
    """A standard stream whose absence or OSError becomes StreamError (stdin, stdout), or is
    ignored (`quiet`: stderr, where nothing is left to tell). A broken pipe stays itself: the
    reader went away, which is not a failure."""

    def __init__(self, use: str, inner: Any, exit_code: int, quiet: bool = False) -> None:
        self._use, self._inner, self._exit_code, self._quiet = use, inner, exit_code, quiet

    def _failed(self, reason: str) -> StreamError:
        return StreamError(f"cannot {self._use}: {reason}", self._exit_code)

    def _stream(self) -> Any:
        if self._inner is None:  # the shell closed it (`<&-`, `>&-`): Python sets None
            if self._quiet:
                return io.StringIO()
            raise self._failed("it is closed")
        return self._inner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._stream(), name)
        if name == "buffer":
            return _Guarded(self._use, value, self._exit_code, self._quiet)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._converted():
                return value(*args, **kwargs)

        return call

    def __iter__(self) -> Iterator[Any]:
        stream = self._stream()
        with self._converted():
            yield from stream

    @contextlib.contextmanager
    def _converted(self) -> Iterator[None]:
        try:
            yield
        except (BrokenPipeError, io.UnsupportedOperation):
            raise
        except OSError as exc:
            if not self._quiet:
                raise self._failed(exc.strerror or str(exc)) from None


class StandardStreams:
    """The one place where every command's unusable stdin or stdout (closed, a full disk)
    becomes one line on stderr and a non-zero exit: 2 for the input, 1 for the output.
    `command` names the line once the arguments are parsed."""

    def __init__(self) -> None:
        self.command = "compass_bot"

    def run(self, command: Callable[[], int]) -> int:
        saved = sys.stdin, sys.stdout, sys.stderr
        out = sys.stdout
        sys.stdin = _Guarded("read standard input", sys.stdin, EXIT_USAGE)
        sys.stdout = _Guarded("write standard output", out, EXIT_FAILED)
        sys.stderr = _Guarded("write standard error", sys.stderr, 0, True)
        try:
            try:
                code = command()
            except SystemExit:
                if (failed := self._flushed(out, EXIT_OK)) != EXIT_OK:
                    raise SystemExit(failed) from None
                raise
            except StreamError as exc:
                return self._report(exc, out)
            except BrokenPipeError:
                _drop_pending(out)
                return EXIT_OK
            return self._flushed(out, code)
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved

    def _flushed(self, out: Any, code: int) -> int:
        """`code` once what is printed has left (a full disk shows at this flush), else the
        failure's code."""
        try:
            sys.stdout.flush()
        except StreamError as exc:
            return self._report(exc, out)
        except BrokenPipeError:
            _drop_pending(out)
        return code

    def _report(self, exc: StreamError, out: Any) -> int:
        _drop_pending(out)
        print(f"{self.command}: {exc}", file=sys.stderr)
        return exc.exit_code


def _drop_pending(out: Any) -> None:
    """Point stdout at the null device, so the output that could not be written is not
    tried again at exit (Python would print a traceback and exit 120)."""
    real = sys.__stdout__
    if real is None or out is not real:  # a test's stand-in: nothing is flushed at exit
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real.fileno())
        os.close(devnull)
