"""The protocol is read and indexed once per process, and again when a file changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from compass_bot.policy import DEFAULT_POLICY_DIR, load_clauses
from compass_bot.policy.shared import SharedProtocol


def test_one_book_and_one_matcher_until_a_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "policy_text"
    shutil.copytree(DEFAULT_POLICY_DIR, root)
    shared = SharedProtocol(root)
    book = shared.book()
    assert shared.book() is book
    matcher = shared.matcher(book)
    assert shared.matcher(book) is matcher

    clause = root / "clauses" / "06-schooltijd.yaml"
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.replace("title_en:", "title_en: Changed", 1), encoding="utf-8")
    later = clause.stat().st_mtime_ns + 1_000_000
    os.utime(clause, ns=(later, later))
    changed = shared.book()
    assert changed is not book
    assert changed["schooltijd"].title_en.startswith("Changed")
    assert shared.matcher(changed) is not matcher


def test_a_book_of_its_own_gets_a_matcher_of_its_own() -> None:
    shared = SharedProtocol()
    own = load_clauses()
    assert shared.matcher(own) is not shared.matcher(shared.book())
