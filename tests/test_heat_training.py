"""The heat model's training options that limit one writer's style: word features shared by
few sets, a heavier L2 on the word families; and the benchmark's held-out group."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from train_heat_model import TrainSettings, fit

_ROWS = [
    ({"bias": 1.0, "w:weg": 1.0, "lex:aimed": 1.0}, 1),
    ({"bias": 1.0, "w:hoi": 1.0}, 0),
] * 30


def test_word_features_outside_the_shared_set_are_left_out_and_the_rest_kept() -> None:
    weights = fit(_ROWS, TrainSettings(iterations=200, l2=0.1), shared=frozenset({"w:hoi"}))
    assert "w:weg" not in weights and "w:hoi" in weights
    assert weights["lex:aimed"] > 1.0  # not a word family: kept whatever is shared


def test_a_heavier_word_l2_shrinks_only_the_word_weights() -> None:
    plain = fit(_ROWS, TrainSettings(iterations=200, l2=1.0))
    heavy = fit(_ROWS, TrainSettings(iterations=200, l2=1.0, word_l2=20.0))
    assert abs(heavy["w:weg"]) < abs(plain["w:weg"])
    assert heavy["lex:aimed"] > plain["lex:aimed"]  # it carries what the word no longer does


def test_the_split_refuses_a_set_that_does_not_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    import heat
    from input_files import BadInput

    monkeypatch.setattr(sys, "argv", ["heat.py", "--split", "heat_no_such_set"])
    with pytest.raises(BadInput, match="no such file"):
        heat.main()
