"""Dump the matcher's whole answer for every labelled question set, one JSON line each.

    python benchmarks/qa_answers.py OUT.jsonl     # then `diff` two dumps

The oracle for changes that must not move an answer (speed work): the clause, the
alternatives, the status, the related clauses, the topic beside, the language and the
score (rounded to 1e-9: a different order of float additions is not an answer change)
of each question of tests/data/qa_*.jsonl, policy_text/questions/ and ../shared/qa_*.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from input_files import BadInput, exit_code  # noqa: E402
from qa import read_questions  # noqa: E402

from compass_bot.policy import Matcher, load_clauses  # noqa: E402

SETS = (
    sorted((PROJECT / "tests" / "data").glob("qa_*.jsonl"))
    + sorted((PROJECT / "policy_text" / "questions").glob("*.jsonl"))
    + sorted((PROJECT.parent / "shared").glob("qa_*.jsonl"))
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the dump to write (.jsonl)")
    out: Path = parser.parse_args(argv).out
    # a wrong set or an unwritable OUT fails at once, not after the index has loaded
    sets = [(path, read_questions(path)) for path in SETS]
    try:
        handle = out.open("w", encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{out}: cannot write it ({exc.strerror or exc})") from None
    with handle:
        matcher = Matcher(load_clauses())
        for path, questions in sets:
            for question in (str(row["q"]) for row in questions):
                m = matcher.match(question)
                row = {
                    "set": path.stem,
                    "q": question,
                    "clause": m.clause,
                    "alternatives": list(m.alternatives),
                    "status": m.status,
                    "related": list(m.related),
                    "beside": m.beside,
                    "language": m.language,
                    "score": round(m.score, 9),
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(exit_code(main))
