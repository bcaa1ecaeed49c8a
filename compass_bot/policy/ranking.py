"""Per class, the best and the second-best similarity of its examples, in a few numpy calls;
and the postings those similarities are summed from, as views made once at load.

The index (index.py) scores a class by its two nearest examples. The examples are stored
class by class, so each class owns one contiguous span; a segment per class (its examples,
then one pad of 0.0) lets two reductions over segments find both for every class at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt


class BestTwo:
    """Built once from the classes' spans of examples; called with every example's
    similarity, gives each class's best and second best (the best again when two tie)."""

    def __init__(self, spans: Sequence[tuple[int, int]], n_examples: int) -> None:
        """`spans`: per class the (start, stop) of its examples among `n_examples`; a class
        without examples is (0, 0) and scores 0.0. Similarities are never negative, so the
        pad never beats a real example, and no class is an empty segment."""
        order: list[int] = []
        starts: list[int] = []
        owner: list[int] = []
        for ci, (start, stop) in enumerate(spans):
            starts.append(len(order))
            order.extend(range(start, stop))
            order.append(n_examples)  # the pad: the 0.0 appended to the similarities
            owner.extend([ci] * (stop - start + 1))
        self._order = np.array(order, dtype=np.intp)
        self._starts = np.array(starts, dtype=np.intp)
        self._owner = np.array(owner, dtype=np.intp)

    def __call__(
        self, similarities: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        values = np.append(similarities, 0.0)[self._order]
        return best_two_of_segments(values, self._starts, self._owner)


def best_two_of_segments(
    values: npt.NDArray[np.float64],
    starts: npt.NDArray[np.intp],
    owner: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per segment of `values` (segment i from starts[i]; `owner` names each value's
    segment; each ends in a pad of 0.0) its best and second best, the best again when two
    tie. Overwrites `values` (the caller's own fresh array)."""
    best = np.maximum.reduceat(values, starts)
    is_best = values == best[owner]
    ties = np.add.reduceat(is_best, starts, dtype=np.intp)
    values[is_best] = 0.0  # the pad is 0.0 too: a lone example's runner-up is 0.0
    second = np.maximum.reduceat(values, starts)
    return best, np.where(ties >= 2, best, second)


Postings = dict[str, tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]]


def posting_views(
    postings: Mapping[str, Sequence[tuple[int, float]]],
    scale: Mapping[str, float] | None = None,
) -> Postings:
    """Each key's postings (entry, share) as two views into one pair of arrays made once at
    load: a question takes a key's postings as they are and sums them in one bincount.
    `scale`: a factor per key its shares are multiplied by here, once (the same product a
    question computed key by key before)."""
    spans: dict[str, tuple[int, int]] = {}
    flat: list[tuple[int, float]] = []
    factors: list[float] = []
    for key, plist in postings.items():
        spans[key] = (len(flat), len(flat) + len(plist))
        flat.extend(plist)
        if scale is not None:
            factors.extend([scale[key]] * len(plist))
    entry = np.array([e for e, _ in flat], dtype=np.intp)
    share = np.array([w for _, w in flat], dtype=np.float64)
    if scale is not None:
        share = share * np.array(factors, dtype=np.float64)
    return {key: (entry[start:stop], share[start:stop]) for key, (start, stop) in spans.items()}
