"""The labelled questions as nearest neighbours (memory.py): per class the best and the
second-best cosine, on the index's term weights."""

from __future__ import annotations

import pytest

from compass_bot.policy.memory import QuestionMemory, term_pairs


def _memory() -> QuestionMemory:
    weights = {"POST": 1.0, "BREAK": 2.0, "LOCATION": 2.0, "OTHERS": 1.0}
    return QuestionMemory(
        [
            (("POST", "BREAK"), (0,)),
            (("POST", "LOCATION"), (1,)),
            (("LOCATION", "OTHERS"), (1, 2)),  # two right clauses: it counts for both
        ],
        n_classes=4,
        weight=lambda feature: 1.0 if "+" in feature else weights.get(feature),
        second_weight=1.0,
    )


def test_pairs_are_those_of_the_concepts() -> None:
    assert term_pairs(["POST", "snap", "BREAK", "POST"]) == ["BREAK+POST"]


def test_each_class_scores_its_best_and_second_best_question() -> None:
    memory = _memory()
    assert len(memory) == 4
    same = memory.similarities({"POST": 1.0, "BREAK": 2.0, "BREAK+POST": 1.0})
    assert same[0] == pytest.approx(0.5)  # the same question, no second one: (1 + 0) / 2
    assert 0.0 < same[1] < same[0]
    assert same[2] == 0.0 and same[3] == 0.0  # nothing alike, and a class with no question
    both = memory.similarities({"LOCATION": 1.0})
    assert both[1] > both[2] > 0.0  # class 1 has two questions with LOCATION, class 2 one


def test_two_equal_questions_are_best_and_second_best() -> None:
    memory = QuestionMemory(
        [(("POST",), (0,)), (("POST",), (0,))], 1, lambda f: 1.0, second_weight=0.8
    )
    assert memory.similarities({"POST": 3.0})[0] == pytest.approx(1.0)


def test_a_question_with_no_known_term_resembles_nothing() -> None:
    assert not _memory().similarities({"xyzzy": 1.0}).any()
    assert not _memory().similarities({}).any()
