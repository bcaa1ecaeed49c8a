"""Reading the console's input: stdin lines as the event loop sees them ready, never blocking."""

from __future__ import annotations

import asyncio
import os
import stat
from typing import TextIO


def _settle(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


class StdinLines:
    """Lines from stdin, read when the event loop sees them ready: no thread blocks on a read,
    so Ctrl-C (and the loop's end) never waits for Enter. Files and StringIO, which never
    block, are read directly."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin
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

    def _direct_line(self) -> str:
        """A line of a file read as the pipe is: its bytes decoded here, a byte that is no
        UTF-8 replaced (the text stream would raise or keep a surrogate, by the locale)."""
        raw = getattr(self._stdin, "buffer", None)
        if raw is None:  # a StringIO: text already
            return self._stdin.readline()
        line: bytes = raw.readline()
        return line.decode("utf-8", "replace")

    async def readline(self) -> str:
        fd = self._fd
        if fd is None:
            return self._direct_line()
        while b"\n" not in self._buffer and not self._eof:
            if not await self._readable(fd):
                self._fd = None
                rest = self._buffer.decode("utf-8", "replace")
                self._buffer = b""
                return rest + self._direct_line()
            chunk = os.read(fd, 65536)
            self._eof = not chunk
            self._buffer += chunk
        line, sep, after = self._buffer.partition(b"\n")
        self._buffer = after
        return (line + sep).decode("utf-8", "replace")
