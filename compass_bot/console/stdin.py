"""Reading the console's input: stdin lines as the event loop sees them ready, never blocking."""

from __future__ import annotations

import asyncio
import os
import stat
from typing import TextIO

from compass_bot.cli_common import decode_line


def _settle(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


class StdinLines:
    """Lines from stdin, read when the event loop sees them ready: no thread blocks on a read,
    so Ctrl-C (and the loop's end) never waits for Enter. Files and StringIO, which never
    block, are read directly. Lines are counted (`number`), and whether the last one was
    UTF-8 text is kept (`utf8`), so the console can name a line it had to repair."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin
        self.number = 0  # the last line's number (1 for the first)
        self.utf8 = True  # whether the last line was UTF-8 text (else: U+FFFD in it)
        self._buffer = b""
        self._eof = False
        self._fd: int | None = None
        try:
            fd = stdin.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError):
            return
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
            self._fd = fd

    async def _readable(self, fd: int) -> bool:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        try:
            loop.add_reader(fd, _settle, ready)
        except OSError:  # not pollable after all (e.g. /dev/null): read it directly
            return False
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return True

    def _decoded(self, line: bytes) -> str:
        """One line's bytes as text, a byte that is no UTF-8 replaced; counted."""
        self.number += bool(line)
        text, self.utf8 = decode_line(line)
        return text

    def _direct_line(self, before: bytes = b"") -> str:
        """A line of a file read as the pipe is (after the bytes `before` it of a pipe that
        turned out not pollable): its bytes decoded here (the text stream would raise or
        keep a surrogate, by the locale)."""
        raw = getattr(self._stdin, "buffer", None)
        if raw is None:  # a StringIO: text already
            start, self.utf8 = decode_line(before)
            text = start + self._stdin.readline()
            self.number += bool(text)
            return text
        line: bytes = raw.readline()
        return self._decoded(before + line)

    async def readline(self) -> str:
        fd = self._fd
        if fd is None:
            return self._direct_line()
        while b"\n" not in self._buffer and not self._eof:
            if not await self._readable(fd):
                self._fd = None
                rest, self._buffer = self._buffer, b""
                return self._direct_line(rest)
            chunk = os.read(fd, 65536)
            self._eof = not chunk
            self._buffer += chunk
        line, sep, after = self._buffer.partition(b"\n")
        self._buffer = after
        return self._decoded(line + sep)
