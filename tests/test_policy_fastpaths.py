"""The matcher's fast paths (caches and tables built at load) give what the full path
gives: every labelled question is read the same either way, and a cache keyed on a word
forgets what it read when the knowledge behind it changes."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Sequence
from typing import TypeVar

import pytest

from compass_bot.policy import DEFAULT_POLICY_DIR, Matcher, load_clauses
from compass_bot.policy.model import features as model_features
from compass_bot.policy.model import read_questions
from compass_bot.policy.normalise import (
    Normaliser,
    concept_pairs,
    deinflect,
    split_handles,
    tokenize,
)
from compass_bot.policy.sentences import asking_span, questions_in
from compass_bot.policy.spelling import SpellingIndex, grams
from compass_bot.policy.text import _is_handle, fold
from compass_bot.policy.wordlists import APP_NAMES


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


def _texts() -> Iterator[str]:
    """Every labelled question, and each question of a message that asks several."""
    for question, _ in read_questions(DEFAULT_POLICY_DIR):
        yield question
        parts = questions_in(question)
        if len(parts) > 1:
            yield from parts


T = TypeVar("T")


def _spread(items: Sequence[T], count: int) -> Sequence[T]:
    """About `count` of `items` (between `count` and twice as many), evenly spread: a check
    whose cost grows with the memory's size too (the plain loop below) keeps its cost as the
    labelled questions grow."""
    return items[:: max(1, len(items) // count)]


class _EveryLength(dict[str, tuple[int, ...]]):
    """Every phrase length for every first word, longest first: the loop before the table."""

    def __init__(self, longest: int) -> None:
        super().__init__()
        self._sizes = tuple(range(longest, 1, -1))

    def get(self, key: str, default: object = None) -> tuple[int, ...]:
        return self._sizes


class _FullPath(Normaliser):
    """The analyser without the per-word reading cache and the phrase-length table."""

    def _reading(self, token: str, correct_typos: bool) -> tuple[tuple[str, ...], str | None]:
        return self._read(token, correct_typos)


def _full_path(normaliser: Normaliser) -> Normaliser:
    full = copy.copy(normaliser)
    full.__class__ = _FullPath
    full._phrase_sizes = _EveryLength(normaliser._max_phrase)
    return full


def test_the_fast_reading_is_the_full_reading_on_every_labelled_question(
    matcher: Matcher,
) -> None:
    """Warm (one analyser for all questions, its caches filling) and full agree."""
    texts = list(_texts())
    full = _full_path(matcher.normaliser)
    assert [matcher.normaliser.analyse(t) for t in texts] == [full.analyse(t) for t in texts]


def test_every_phrase_is_tried_from_its_first_word() -> None:
    """The table of phrase lengths by first stem holds every phrase, longest first."""
    normaliser = Normaliser(load_clauses().concepts)
    for key in normaliser._phrases:
        assert len(key) in normaliser._phrase_sizes[key[0]]
    for sizes in normaliser._phrase_sizes.values():
        assert list(sizes) == sorted(set(sizes), reverse=True)


def test_a_new_vocabulary_word_is_read_anew() -> None:
    """add_vocabulary changes what a word is: the cached reading is not kept."""
    normaliser = Normaliser({"POST": ["posten"]})
    assert normaliser.analyse("flurbelen").unknown
    normaliser.add_vocabulary(["flurbelen"])
    assert not normaliser.analyse("flurbelen").unknown


def test_the_memory_ranks_as_a_plain_loop_does(matcher: Matcher) -> None:
    """Per class the best and second-best remembered question (the best again on a tie),
    summed posting by posting in a plain loop, equals the array path exactly."""
    memory, index = matcher.index.memory, matcher.index
    assert memory is not None
    classes_of = memory._class_of.tolist()
    starts = memory._starts.tolist()
    members: list[list[int]] = [[] for _ in starts]
    for entry, ci in enumerate(classes_of):
        members[ci].append(entry)
    for question, _ in _spread(read_questions(DEFAULT_POLICY_DIR), 550):
        analysis = index.focus(matcher.normaliser.analyse(question))
        weights = {
            t: w
            for t in index.features(analysis)
            if (w := index.weight.get(t, None if "+" in t else 0.3)) is not None
        }
        norm = sum(w * w for w in weights.values()) ** 0.5
        dots = [0.0] * memory._n
        for feature, w in weights.items():
            if feature not in memory._postings:
                continue
            entries, shares = memory._postings[feature]
            for entry, share in zip(entries.tolist(), shares.tolist(), strict=True):
                dots[entry] += share * (w / norm)
        expected = []
        for ci in range(len(starts)):
            row = sorted((dots[entry] for entry in members[ci]), reverse=True)
            best, second = row[0], row[1]
            expected.append((best + memory._second_weight * second) / (1 + memory._second_weight))
        assert memory.similarities(weights).tolist() == pytest.approx(expected, abs=1e-12)


def test_remembered_pairs_and_letters_are_built_as_new(matcher: Matcher) -> None:
    """The pairs of a concept set and a word's letter grams, remembered, are what a plain
    construction gives, on every labelled question (and twice: once cached)."""
    for question, _ in read_questions(DEFAULT_POLICY_DIR)[::5]:
        analysis = matcher.normaliser.analyse(question)
        ordered = sorted(analysis.concepts)
        plain = [f"{a}+{b}" for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
        assert concept_pairs(analysis) == plain == concept_pairs(analysis)
        # an app's name counts as its concept only (model.features), never as letters
        letters = {f"#{g}" for word in analysis.words if word not in APP_NAMES for g in grams(word)}
        assert {f for f in model_features(analysis) if f.startswith("#")} == letters


def test_the_nearest_examples_are_found_as_a_plain_loop_finds_them(matcher: Matcher) -> None:
    """Per class the best and second-best example similarity (the best again on a tie,
    0.0 when a class has fewer than two) equal a plain sort of each class's examples."""
    index = matcher.index
    assert index.spelling is not None
    for question, _ in read_questions(DEFAULT_POLICY_DIR)[::10]:
        analysis = matcher.normaliser.analyse(question)
        dots, _ = index.spelling.dot_array(analysis.words)
        dots[3] = dots[4]  # a tie inside the first class
        best, second = index._nearest(dots.copy())
        for ci, (start, stop) in enumerate(index._class_spans):
            row = sorted([*dots[start:stop].tolist(), 0.0, 0.0], reverse=True)
            assert (best[ci], second[ci]) == (row[0], row[1])


def test_the_off_topic_examples_are_remembered_per_concept_set(matcher: Matcher) -> None:
    """The out-of-scope examples sharing none of a question's social-media concepts, read
    from the cache, are those the masks give."""
    index = matcher.index
    for question, _ in read_questions(DEFAULT_POLICY_DIR)[::10]:
        analysis = matcher.normaliser.analyse(question)
        asked = analysis.concepts & index.domain
        expected = [
            int(entry)
            for at, entry in enumerate(index._oos_ids)
            if asked and not any(index._oos_having[c][at] for c in asked)
        ]
        assert index._offdomain_examples(analysis).tolist() == expected
        assert index._offdomain_examples(analysis).tolist() == expected


def test_spelling_dots_are_the_plain_letter_gram_cosines(matcher: Matcher) -> None:
    """The spelling index (postings scaled by their gram's idf at load, a word's shares
    remembered) gives the dot products and norm a plain computation of the letter-gram
    vectors gives, for the words of labelled questions."""
    entries = [
        matcher.normaliser.analyse(q, correct_typos=False).words
        for q, _ in read_questions(DEFAULT_POLICY_DIR)[::40]
    ]
    index = SpellingIndex(entries)
    bags = [{g for word in words for g in grams(word)} for words in entries]
    count: dict[str, int] = {}
    for bag in bags:
        for gram in bag:
            count[gram] = count.get(gram, 0) + 1
    idf = {g: math.log(len(bags) / c) + 1.0 for g, c in count.items() if c <= 0.2 * len(bags)}
    vectors = []
    for bag in bags:
        norm = math.sqrt(sum(idf[g] ** 2 for g in bag if g in idf)) or 1.0
        vectors.append({g: idf[g] / norm for g in bag if g in idf})
    for words in entries[::3]:
        query = [g for word in dict.fromkeys(words) for g in set(grams(word)) if g in idf]
        expected = [sum(idf[g] * vector.get(g, 0.0) for g in query) for vector in vectors]
        dots, norm = index.dot_array(words)
        assert dots.tolist() == pytest.approx(expected, abs=1e-12)
        assert norm == pytest.approx(math.sqrt(sum(idf[g] ** 2 for g in query)), abs=1e-12)


def test_the_asking_sentence_ends_where_the_counted_tokens_do() -> None:
    """Given the whole text's token count, the span of the sentence that asks is the one
    counted from scratch, on every labelled question."""
    for question, _ in read_questions(DEFAULT_POLICY_DIR):
        text, _ = split_handles(question)
        assert asking_span(text, len(tokenize(text))) == asking_span(text)


def test_a_remembered_word_function_answers_as_itself() -> None:
    """The per-word caches (`functools.lru_cache`) give the function's own results."""
    for word in ("gepost", "postte", "geappt", "screenshotten", "liket"):
        assert deinflect(word) == deinflect.__wrapped__(word)


def test_knowledge_loaded_again_reads_a_word_by_the_new_knowledge() -> None:
    """The per-word readings belong to the analyser built from the knowledge: an analyser
    built from changed concepts does not see what the old one remembered."""
    old = Normaliser({"POST": ["flurbelen"]})
    assert old.analyse("flurbelen").terms == ("POST",)
    new = Normaliser({"PHOTO": ["flurbelen"]})
    assert new.analyse("flurbelen").terms == ("PHOTO",)
    assert old.analyse("flurbelen").terms == ("POST",)


def test_a_typo_read_plain_first_is_still_fixed_in_a_question() -> None:
    """The plain reading (the load's, no typo correction) is shared with questions only
    where typo correction cannot change it: a typo read plain first is still fixed."""
    normaliser = Normaliser({"BREAK": ["pauze"]})
    assert normaliser.analyse("pauzze", correct_typos=False).unknown
    fixed = normaliser.analyse("pauzze")
    assert "BREAK" in fixed.terms
    assert not fixed.unknown


def test_every_word_reads_as_its_own_full_reading(matcher: Matcher) -> None:
    """Word by word over every labelled question (the matcher's plain readings warm from
    the load): the shared reading is `_read` with typo correction, on and off."""
    normaliser = matcher.normaliser
    words = {w for question, _ in read_questions(DEFAULT_POLICY_DIR) for w in tokenize(question)}
    for word in sorted(words):
        for correct in (True, False):
            assert normaliser._reading(word, correct) == normaliser._read(word, correct), word


def test_a_text_without_the_name_keeps_every_word_as_the_chunk_loop_does() -> None:
    """split_handles' shortcut for a text where the school's name cannot occur gives what
    trying each chunk gives, on every labelled question."""
    for question, _ in read_questions(DEFAULT_POLICY_DIR):
        chunks = fold(question).split()
        if any(_is_handle(chunk) for chunk in chunks) or "comp" in fold(question):
            continue
        assert split_handles(question) == (" ".join(chunks), False)


class _Unwarmed(Matcher):
    """The matcher without the message it answers at load."""

    def _warm_up(self) -> None:
        return None


def test_the_message_answered_at_load_changes_no_answer(matcher: Matcher) -> None:
    """What the load's message leaves in the caches is read as any question reads it: a
    matcher without it answers about 4,800 labelled questions (and parts) the same."""
    cold = _Unwarmed(load_clauses())
    texts = _spread(list(_texts()), 4800)
    assert [cold.match(t) for t in texts] == [matcher.match(t) for t in texts]
