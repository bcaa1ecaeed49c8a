"""What keeps an answer under 2 ms at p99 (benchmarks/qa.py): few objects for the
garbage collector to walk, one array operation per question where Python loops were."""

from __future__ import annotations

import gc

from compass_bot.policy import Matcher, load_clauses
from compass_bot.policy.model import ClauseModel
from compass_bot.policy.normalise import Normaliser
from compass_bot.policy.spelling import SpellingIndex


def test_model_weights_leave_the_collectors_view() -> None:
    """The file's weight lists become tuples of numbers, which a collection untracks: a
    full collection with 12,000 tracked lists took tens of milliseconds."""
    model = ClauseModel(["a", "b"], [0.0, 0.0], {"x": [0, 1.5], "y": [1, -0.5, 0, 0.25]})
    gc.collect()
    assert all(not gc.is_tracked(flat) for flat in model._weights.values())
    assert model.probabilities({"x"})["a"] > model.probabilities(set())["a"]


def test_the_lexicon_shares_one_object_per_concept_set() -> None:
    normaliser = Normaliser({"POST": ["post", "posten", "plaatsen", "op insta zetten"]})
    values = [*normaliser._exact.values(), *normaliser._phrases.values()]
    assert len({id(v) for v in values}) == len(set(values)) == 1


def test_the_whole_matcher_keeps_few_tracked_objects() -> None:
    """The matcher, its lexicon and its model add fewer than 40,000 objects the collector
    walks (51,600 before the weights became tuples and the concept sets were shared)."""
    gc.collect()
    before = len(gc.get_objects())
    matcher = Matcher(load_clauses())
    gc.collect()
    assert len(gc.get_objects()) - before < 40_000
    assert matcher.match("mag ik in de pauze op insta").clause == "schooltijd"


def test_spelling_shares_are_sparse_and_match_the_dot_products() -> None:
    index = SpellingIndex([("instagram", "pauze"), ("locatie", "delen"), ("wifi",)], max_df=1.0)
    dots, norm = index.dot_array(["instagram", "locatie", "xyzzy"])
    assert dots.tolist() == index.dot_products(["instagram", "locatie", "xyzzy"])[0]
    assert norm > 0.0 and dots[2] == 0.0 and dots[0] > 0.0 and dots[1] > 0.0
