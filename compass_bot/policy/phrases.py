"""A fixed phrase read past the fillers a writer puts inside it.

The lexicon's phrases (concepts.yaml) are matched word for word, but people put an
intensifier or a hedge into them: "can the school *actually* do anything", "kan school
daar *echt* iets mee", "about to *just* post". The phrase still says the same, so when a
phrase does not match as written, it is looked up again with such words left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

FILLERS = frozenset(
    (
        *("echt", "eigenlijk", "eig", "egt", "gewoon", "nou", "toch", "even", "ff", "wel"),
        *("ook", "nog", "zomaar", "serieus", "dan", "uberhaupt", "misschien", "wellicht", "nu"),
        *("actually", "really", "just", "still", "literally", "seriously", "fr", "ever"),
        *("totally", "also", "too", "maybe", "possibly"),
    )
)
"""Words that add stress or a hedge and no meaning of their own inside a phrase."""

MAX_SKIPPED = 2
"""At most this many fillers inside one phrase: more and the words are no phrase."""


def find_phrase(
    tokens: Sequence[str],
    stems: Sequence[str],
    start: int,
    sizes: Sequence[int],
    phrases: Mapping[tuple[str, ...], frozenset[str]],
) -> tuple[frozenset[str], int] | None:
    """The concepts of the longest phrase opening at `start` (`sizes`: the lengths of the
    phrases its stem opens, longest first) and the index after its last word; a phrase
    is read as written or past the fillers inside it, the longer phrase first ("kan
    school echt iets doen" is the phrase "kan school iets doen", not "kan school").
    None when no phrase opens there."""
    window = tokens[start + 1 : start + sizes[0] + MAX_SKIPPED]
    kept = _past_fillers(tokens, start, sizes[0]) if FILLERS.intersection(window) else None
    for size in sizes:
        if size <= len(stems) - start:
            names = phrases.get(tuple(stems[start : start + size]))
            if names is not None:
                return names, start + size
        if kept is not None and 1 < size <= len(kept):
            names = phrases.get(tuple(stems[k] for k in kept[:size]))
            if names is not None:
                return names, kept[size - 1] + 1
    return None


def overlapping(
    tokens: Sequence[str],
    stems: Sequence[str],
    start: int,
    end: int,
    sizes_of: Mapping[str, Sequence[int]],
    phrases: Mapping[tuple[str, ...], frozenset[str]],
) -> list[tuple[int, frozenset[str], int]]:
    """The phrases that open inside the phrase read from `start` to `end` and reach past
    its end, each as (its start, its concepts, the new end): phrases are read left to
    right, and without this one would swallow the start of the next ("laten zien waar"
    would take the "waar" that "waar mijn vrienden zijn" opens with). Both readings hold,
    so both are kept; a phrase wholly inside another adds nothing."""
    found: list[tuple[int, frozenset[str], int]] = []
    j = start + 1
    while j < end:
        sizes = sizes_of.get(stems[j])
        if sizes and (more := find_phrase(tokens, stems, j, sizes, phrases)) and more[1] > end:
            end = more[1]
            found.append((j, more[0], end))
        j += 1
    return found


def _past_fillers(tokens: Sequence[str], start: int, longest: int) -> list[int]:
    """The indices of the words from `start` on with the fillers after the first left
    out, up to `longest` words and `MAX_SKIPPED` fillers."""
    kept = [start]
    skipped = 0
    j = start + 1
    while j < len(tokens) and len(kept) < longest:
        if tokens[j] not in FILLERS:
            kept.append(j)
        elif (skipped := skipped + 1) > MAX_SKIPPED:
            break
        j += 1
    return kept
