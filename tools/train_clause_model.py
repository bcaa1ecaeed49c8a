"""Train the clause model and write policy_text/clause_model.json.

Run after any change to policy_text/ (clauses, concepts, out-of-scope examples, the
labelled questions in policy_text/questions/) or to the normaliser:

    .venv/bin/python tools/train_clause_model.py

numpy, deterministic, about 20 seconds. The bot uses the model only while its
recorded fingerprint matches the policy text (compass_bot/policy/model.py); a test fails
while it does not.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from compass_bot.policy import DEFAULT_POLICY_DIR, load_clauses  # noqa: E402
from compass_bot.policy.model import MODEL_FILE, fingerprint, read_questions  # noqa: E402
from compass_bot.policy.training import train_model  # noqa: E402


def main() -> int:
    start = time.perf_counter()
    book = load_clauses(DEFAULT_POLICY_DIR)
    questions = read_questions(DEFAULT_POLICY_DIR)
    model = train_model(book, questions)
    target = DEFAULT_POLICY_DIR / MODEL_FILE
    model.save(target, fingerprint(DEFAULT_POLICY_DIR))
    size = target.stat().st_size // 1024
    took = time.perf_counter() - start
    print(f"{target}: {len(questions)} questions, {size} KiB, {took:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
