"""The frame of a plain question: "wat zegt het protocol over X", "wat zijn de regels voor X",
"what does the protocol say about X" (concept FRAME in policy_text/concepts.yaml).

The frame says that the question is about the protocol and that X is what is asked. Read as
terms, its word "protocol" or "regels" pulled towards the clauses about the protocol itself:
"wat zegt het protocol over accountnamen" got `slot`, "... over klachten" was refused. So the
score reads X alone (`without_frame`: the frame's words leave the terms, the concepts and the
spelling likeness, `Normaliser.analyse` drops them from `words`), and the decision counts the
frame as the protocol's name (`as_asked`: on topic, on the protocol's ground, the law's
narrow margin) and for what it says (`Tuning.frame_information`).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compass_bot.policy.normalise import Analysis

FRAME = "FRAME"


def without_frame(analysis: Analysis) -> Analysis:
    """The question as the score reads it: without FRAME."""
    if FRAME not in analysis.concepts:
        return analysis
    return replace(
        analysis,
        terms=tuple(t for t in analysis.terms if t != FRAME),
        concepts=analysis.concepts - {FRAME},
    )


def as_asked(focused: Analysis, framed: bool) -> Analysis:
    """A focused question (`ClassIndex.focus`, which takes FRAME out) as the decision reads
    it: with FRAME among its concepts again when the question had the frame."""
    return replace(focused, concepts=focused.concepts | {FRAME}) if framed else focused


def phrase_read(
    names: frozenset[str], tokens: Sequence[str], start: int, end: int, stopwords: Set[str]
) -> tuple[frozenset[str], range]:
    """A phrase's concepts as `Normaliser.analyse` reads them (tokens `start`..`end`), and
    the positions of words nobody asks about: a frame's own words; a frame that only stop
    words follow ("wat zegt het protocol over?") is the protocol itself, asked about."""
    if FRAME not in names:
        return names, range(0)
    if all(t in stopwords for t in tokens[end:]):
        return frozenset({"PROTOCOL"}), range(0)
    return names, range(start, end)
