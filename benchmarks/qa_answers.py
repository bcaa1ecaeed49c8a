"""Dump the matcher's whole answer for every labelled question set, one JSON line each.

    python benchmarks/qa_answers.py OUT.jsonl     # then `diff` two dumps

The oracle for changes that must not move an answer (speed work): the clause, the
alternatives, the status, the related clauses, the topic beside, the language and the
score (rounded to 1e-9: a different order of float additions is not an answer change)
of each question of tests/data/qa_*.jsonl, policy_text/questions/ and ../shared/qa_*.jsonl.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from compass_bot.policy import Matcher, load_clauses  # noqa: E402

SETS = (
    sorted((PROJECT / "tests" / "data").glob("qa_*.jsonl"))
    + sorted((PROJECT / "policy_text" / "questions").glob("*.jsonl"))
    + sorted((PROJECT.parent / "shared").glob("qa_*.jsonl"))
)


def main(out: Path) -> int:
    matcher = Matcher(load_clauses())
    with out.open("w", encoding="utf-8") as handle:
        for path in SETS:
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                question = str(json.loads(line)["q"])
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
    raise SystemExit(main(Path(sys.argv[1])))
