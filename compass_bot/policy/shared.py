"""The protocol as one process knows it: read and indexed once, shared by every App.

Reading `policy_text/` and building the matcher's index is most of a bot's start. A
board's schools, the console's /reset and a test's many bot starts all use the same
(immutable) book and matcher; a policy file that changed on disk since is read again.
"""

from __future__ import annotations

import threading
from pathlib import Path

from compass_bot.policy.clauses import DEFAULT_POLICY_DIR, ClauseBook, load_clauses
from compass_bot.policy.matcher import Matcher

Stamp = tuple[tuple[str, int, int], ...]


def stamp(root: Path) -> Stamp:
    """Every file's name, size and modification time: a millisecond, and any edit shows."""
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            info = path.stat()
            found.append((path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


class SharedProtocol:
    """The default policy directory's book and its matcher, each built at most once per
    version of the files."""

    def __init__(self, root: Path = DEFAULT_POLICY_DIR) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._book: ClauseBook | None = None
        self._matcher: Matcher | None = None

    def book(self) -> ClauseBook:
        """The checked book (PolicyTextError as `load_clauses`); read again after an edit."""
        now = stamp(self.root)
        with self._lock:
            if self._book is None or now != self._stamp:
                self._book, self._stamp, self._matcher = load_clauses(self.root), now, None
            return self._book

    def matcher(self, book: ClauseBook) -> Matcher:
        """The matcher of `book`: the shared one for the shared book, a new one otherwise."""
        with self._lock:
            if book is not self._book:
                return Matcher(book)
            if self._matcher is None:
                self._matcher = Matcher(book)
            return self._matcher


PROTOCOL = SharedProtocol()
