"""The labelled questions as nearest neighbours, beside the clause examples.

The index (index.py) compares a question with the clause examples, which we wrote; the
clause model (model.py) learns weights from the labelled questions people wrote without
seeing the bot. Between the two sits their plainest use: the labelled questions that say
most nearly the same thing. A question told as a story ("in the bus I make a story with
my location and my neighbours are in it") often has a labelled twin whose clause the
examples and the model's averaged weights both miss.

The trained model file carries each labelled question's analysed terms and its clauses
(`ClauseModel.memory`), so nothing is analysed at start-up and a model trained without a
question file (benchmarks/qa.py --loso) remembers none of its questions. A class scores,
as with the examples, (best + second_weight * second-best cosine) / (1 + second_weight),
over the same term weights as the index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from compass_bot.policy.ranking import best_two_of_segments, posting_views


def term_pairs(terms: Sequence[str]) -> list[str]:
    """The concept pairs of a list of terms, as `normalise.concept_pairs` gives them."""
    concepts = sorted({t for t in terms if t.isupper()})
    return [f"{a}+{b}" for i, a in enumerate(concepts) for b in concepts[i + 1 :]]


class QuestionMemory:
    """Per class, how closely the labelled questions of that class resemble a question."""

    def __init__(
        self,
        entries: Sequence[tuple[Sequence[str], Sequence[int]]],
        n_classes: int,
        weight: Callable[[str], float | None],
        second_weight: float,
    ) -> None:
        """`entries`: (terms, class indices) per labelled question; `weight` gives a
        feature's weight (None: leave it out), as the index weighs a question's terms."""
        self._second_weight = second_weight
        by_class: list[list[dict[str, float]]] = [[] for _ in range(n_classes)]
        for terms, classes in entries:
            vector = {}
            for feature in (*terms, *term_pairs(terms)):
                w = weight(feature)
                if w is not None:
                    vector[feature] = w
            norm = math.sqrt(sum(w * w for w in vector.values()))
            if norm:
                for ci in classes:  # a question with two right clauses counts for both
                    by_class[ci].append({f: w / norm for f, w in vector.items()})
        # the entries class by class, each class closed by one empty entry (0.0): no
        # class is an empty segment for reduceat, and a class none resembles scores 0
        postings: dict[str, list[tuple[int, float]]] = {}
        starts: list[int] = []
        class_of: list[int] = []
        n = 0
        for ci, vectors in enumerate(by_class):
            starts.append(n)
            for vector in vectors:
                for feature, w in vector.items():
                    postings.setdefault(feature, []).append((n, w))
                n += 1
            n += 1
            class_of.extend([ci] * (len(vectors) + 1))
        self._n = n
        self._n_classes = n_classes
        self._remembered = n - n_classes
        self._starts = np.array(starts, dtype=np.intp)
        self._class_of = np.array(class_of, dtype=np.intp)
        self._postings = posting_views(postings)

    def __len__(self) -> int:
        """The questions remembered, one per clause it counts for."""
        return self._remembered

    def similarities(self, weights: Mapping[str, float]) -> npt.NDArray[np.float64]:
        """Per class (in the order of the entries' class indices) its best and second-best
        cosine to a question with these term weights, blended; 0 for a class without one."""
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if not norm:
            return np.zeros(self._n_classes)
        # a feature's postings are one contiguous slice of each array (views made at
        # load): the slices joined and scaled by one repeat, not a product per feature
        postings = self._postings
        entries: list[npt.NDArray[np.intp]] = []
        shares: list[npt.NDArray[np.float64]] = []
        scales: list[float] = []
        counts: list[int] = []
        for feature, w in weights.items():
            found = postings.get(feature)
            if found is not None:
                entries.append(found[0])
                shares.append(found[1])
                scales.append(w / norm)
                counts.append(len(found[0]))
        if not entries:
            return np.zeros(self._n_classes)
        scaled = np.concatenate(shares) * np.repeat(scales, counts)
        dots = np.bincount(np.concatenate(entries), scaled, minlength=self._n).astype(
            np.float64, copy=False
        )
        # per class the best and the second best (each class's entries end in a pad of 0.0)
        best, second = best_two_of_segments(dots, self._starts, self._class_of)
        blended: npt.NDArray[np.float64] = (best + self._second_weight * second) / (
            1.0 + self._second_weight
        )
        return blended
