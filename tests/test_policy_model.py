"""The trained clause model: training, the file, staleness, and its place in the matcher."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from compass_bot.policy import DEFAULT_POLICY_DIR, Matcher, Tuning, load_clauses
from compass_bot.policy.clauses import PolicyTextError
from compass_bot.policy.model import (
    MODEL_FILE,
    ClauseModel,
    TrainingSettings,
    fingerprint,
    read_questions,
    train,
)
from compass_bot.policy.training import check_questions, train_model


def test_the_shipped_model_is_trained_from_the_shipped_policy_text() -> None:
    book = load_clauses()
    assert book.model is not None, (
        "policy_text/clause_model.json is stale: run .venv/bin/python tools/train_clause_model.py"
    )


def test_the_labelled_questions_name_real_clauses() -> None:
    book = load_clauses()
    questions = read_questions(DEFAULT_POLICY_DIR)
    assert len(questions) > 1000
    check_questions(book, questions)
    with pytest.raises(PolicyTextError, match="unknown clause id 'regel-99'"):
        check_questions(book, [("mag ik dit?", ("regel-99",))])


def test_training_learns_a_small_problem() -> None:
    rows = [(frozenset({"snap", "les"}), "schooltijd"), (frozenset({"locatie"}), "locatie")] * 20
    model = train(rows, ["schooltijd", "locatie", "other"], TrainingSettings(epochs=5))
    p = model.probabilities({"snap"})
    assert p["schooltijd"] > 0.8
    assert model.probabilities({"locatie"})["locatie"] > 0.8
    assert abs(sum(p.values()) - 1.0) < 1e-9
    assert model.probabilities({"never-seen"}).keys() == {"schooltijd", "locatie", "other"}


def test_the_file_round_trips_and_checks_its_fingerprint(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [(frozenset({"a"}), "x"), (frozenset({"b"}), "y")] * 10
    model = train(rows, ["x", "y"], TrainingSettings(epochs=5))
    path = tmp_path / MODEL_FILE
    model.save(path, "fingerprint-1")
    loaded = ClauseModel.load(path, "fingerprint-1")
    assert loaded is not None
    assert loaded.probabilities({"a"})["x"] == pytest.approx(
        model.probabilities({"a"})["x"], abs=0.01
    )
    with caplog.at_level(logging.WARNING):
        assert ClauseModel.load(path, "fingerprint-2") is None
    assert "train_clause_model.py" in caplog.text


_HEAD = '{"format": 1, "inputs": "f", "classes": ["x", "y"], "bias": [0.1, -0.1], '


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"format": 1, "inputs": "f"}',
        "[]",
        _HEAD + '"weights": {"a": [0, 1.5, 2, 0.5]}}',  # class index out of range
        _HEAD + '"weights": {"a": [0, 1.5, 1]}}',  # odd length
        _HEAD + '"weights": {"a": [0, "veel"]}}',  # not a number
        _HEAD + '"weights": {"a": 3}}',  # not a list
        _HEAD + '"weights": {"a": [0, NaN]}}',  # not finite
        _HEAD.replace("[0.1, -0.1]", "[0.1]") + '"weights": {}}',  # bias and classes differ
        _HEAD + '"weights": {}, "memory": [[["POST"], [2]]]}',  # memory class out of range
        _HEAD + '"weights": {}, "memory": [[["POST"]]]}',  # memory entry without classes
        _HEAD + '"weights": {}, "memory": [[[3], [0]]]}',  # memory term not a string
    ],
)
def test_a_damaged_model_file_is_not_used(tmp_path: Path, content: str) -> None:
    path = tmp_path / MODEL_FILE
    path.write_text(content, encoding="utf-8")
    assert ClauseModel.load(path, "f") is None
    path.write_text(_HEAD + '"weights": {"a": [0, 1.5, 1, -0.5]}}', encoding="utf-8")
    assert ClauseModel.load(path, "f") is not None  # the same layout, undamaged


def test_editing_the_policy_text_makes_the_model_stale(tmp_path: Path) -> None:
    policy = tmp_path / "policy_text"
    shutil.copytree(DEFAULT_POLICY_DIR, policy)
    assert load_clauses(policy).model is not None
    before = fingerprint(policy)
    questions = policy / "questions" / "heldout.jsonl"
    questions.write_text(
        questions.read_text(encoding="utf-8")
        + '{"q": "mag ik snappen in de pauze", "lang": "nl", "expect": ["schooltijd"]}\n',
        encoding="utf-8",
    )
    assert fingerprint(policy) != before
    book = load_clauses(policy)
    assert book.model is None
    assert Matcher(book).match("insta in de les?").clause == "schooltijd"  # the index alone


def test_without_a_model_file_the_index_answers_alone(tmp_path: Path) -> None:
    policy = tmp_path / "policy_text"
    shutil.copytree(DEFAULT_POLICY_DIR, policy)
    (policy / MODEL_FILE).unlink()
    book = load_clauses(policy)
    assert book.model is None
    assert Matcher(book).match("mag ik mijn locatie delen op school?").clause == "locatie"


def test_the_model_moves_scores_and_weight_zero_leaves_it_out() -> None:
    book = load_clauses()
    question = "mag ik op tiktok zeggen dat de kantine slecht is"
    with_model = Matcher(book)
    without = Matcher(book, Tuning(model_weight=0.0))
    a = with_model.scores(with_model.normaliser.analyse(question))
    b = without.scores(without.normaliser.analyse(question))
    assert a != b
    bare = book.replace(model=None)
    c = Matcher(bare).scores(Matcher(bare).normaliser.analyse(question))
    assert c == pytest.approx(b)


def test_the_model_remembers_its_labelled_questions_and_the_file_keeps_them(
    tmp_path: Path,
) -> None:
    book = load_clauses()
    model = train_model(
        book,
        [("mag ik in de pauze op insta", ("schooltijd",)), ("hoe laat is het", ())],
        TrainingSettings(epochs=1),
    )
    classes = model.classes
    remembered = {tuple(classes[c] for c in labels) for _, labels in model.memory}
    assert remembered == {("schooltijd",), ("__out_of_scope__",)}
    assert any("BREAK" in terms for terms, _ in model.memory)
    path = tmp_path / MODEL_FILE
    model.save(path, "f")
    loaded = ClauseModel.load(path, "f")
    assert loaded is not None and loaded.memory == model.memory


def test_the_memory_moves_scores_and_weight_zero_leaves_it_out() -> None:
    book = load_clauses()
    assert book.model is not None and len(book.model.memory) > 1000
    with_memory = Matcher(book)
    without = Matcher(book, Tuning(memory_weight=0.0))
    assert with_memory.index.memory is not None and without.index.memory is None
    question = "in de bus zet ik mijn locatie in mijn story en mijn buurjongen staat erop"
    a = with_memory.scores(with_memory.normaliser.analyse(question))
    b = without.scores(without.normaliser.analyse(question))
    assert a != b


def test_which_app_it_happened_on_decides_no_clause() -> None:
    """An app's name is read as the concept PLATFORM only: the model's features, and so the
    answer, are the same whichever app the question names (once, the letters of "instagram"
    had learned "out of scope" from many questions about hacked Instagram accounts)."""
    from compass_bot.policy.model import features

    matcher = Matcher(load_clauses())
    for template in (
        "ik word gepest op {}, wat moet ik doen?",
        "mag ik in de les op {} kijken?",
        "mag ik een foto van mijn klasgenoot op {} zetten?",
    ):
        seen = {
            app: (
                features(matcher.normaliser.analyse(template.format(app))),
                matcher.match(template.format(app)).clause,
            )
            for app in ("instagram", "tiktok", "snapchat", "whatsapp")
        }
        # WhatsApp is a chat app as well (CHAT): its features differ, its answer does not
        assert len({f for app, (f, _) in seen.items() if app != "whatsapp"}) == 1, template
        assert len({c for _, c in seen.values()}) == 1, (template, seen)
    assert matcher.match("ik word gepest op instagram, wat moet ik doen?").clause == "aanwijzing-9"
