"""Training the clause model (model.py) from the policy text and the labelled questions.

Used by `tools/train_clause_model.py` (writes policy_text/clause_model.json) and by
`benchmarks/qa.py --loso` (trains without one question file, measures on it).
"""

from __future__ import annotations

from collections.abc import Sequence

from compass_bot.policy.clauses import ClauseBook, PolicyTextError
from compass_bot.policy.matcher import OUT_OF_SCOPE, Matcher, Tuning
from compass_bot.policy.model import (
    DEFAULT_TRAINING,
    ClauseModel,
    TrainingSettings,
    features,
    train,
)


def check_questions(book: ClauseBook, questions: Sequence[tuple[str, tuple[str, ...]]]) -> None:
    """Every expected id must be a clause of the book."""
    for number, (text, expect) in enumerate(questions, 1):
        unknown = [cid for cid in expect if cid not in book]
        if unknown:
            raise PolicyTextError(
                f"question {number} ({text[:40]!r}): unknown clause id {unknown[0]!r}"
            )


def train_model(
    book: ClauseBook,
    questions: Sequence[tuple[str, tuple[str, ...]]],
    settings: TrainingSettings = DEFAULT_TRAINING,
) -> ClauseModel:
    """A model from the clause examples and titles, the out-of-scope examples and the
    labelled questions (a question with two acceptable clauses counts for both), with
    those questions' terms as its memory (memory.py)."""
    check_questions(book, questions)
    matcher = Matcher(book, Tuning(model_weight=0.0))
    analyse = matcher.normaliser.analyse
    rows: list[tuple[frozenset[str], str]] = []
    for clause in book:
        for text in (*clause.examples, clause.title, clause.title_en):
            rows.append((features(analyse(text)), clause.id))
    for text in book.out_of_scope:
        rows.append((features(analyse(text)), OUT_OF_SCOPE))
    for text, expect in questions:
        row_features = features(analyse(text))
        for label in expect or (OUT_OF_SCOPE,):
            rows.append((row_features, label))
    classes = [clause.id for clause in book] + [OUT_OF_SCOPE]
    model = train([r for r in rows if r[0]], classes, settings)
    index = {label: i for i, label in enumerate(classes)}
    model.memory = tuple(
        (terms, tuple(index[label] for label in expect or (OUT_OF_SCOPE,)))
        for text, expect in questions
        for terms in [matcher.index.focus(analyse(text)).terms]
        if terms
    )
    return model
