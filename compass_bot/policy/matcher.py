"""Find the protocol clause that answers a question, or say that none does.

How it works
------------
Every question and every clause example is rewritten into *terms* by
`normalise.Normaliser`: canonical concepts (PLATFORM for insta/snap/tiktok, BREAK for
pauze/lunch, LESSON for les/klas/wiskunde, ...) plus stems of other content words. The
index, built once in `Matcher.__init__`, holds for each of the 27 classes (26 clauses +
one "out of scope" class made of negative examples) its example questions and a
*class document* (examples + keywords + titles + verbatim text + English rendering).

Terms are weighted by an inverse class frequency (a concept that occurs in every clause,
like SOCIALMEDIA, weighs almost nothing; one that points at a single clause, like
LOCATION, weighs a lot). A class scores

    score = 100 * (KNN_WEIGHT * best cosine to one of its examples
                   + (1 - KNN_WEIGHT) * share of the question's weight its document covers)

The best example decides most questions (nearest-neighbour on paraphrases); the
coverage part rewards clauses whose vocabulary explains the whole question.

Deciding
--------
- `none`     the question has no content, the best clause scores below `none_below`, or an
             out-of-scope example matches at least as well as the best clause (minus
             a margin): the protocol does not answer it;
- `answer`   the best clause scores at least `answer_at` (higher, `answer_at_offtopic`,
             when the question mentions nothing about social media/online life at all);
- `doubtful` in between: no clause, up to three suggestions.

The thresholds were calibrated by cross-validation on the examples in policy_text/
(every example left out in turn and matched against the rest, see
`python benchmarks/qa.py --cv`), not on the development questions. They sit where
almost all left-out in-scope examples are still answered while left-out
out-of-scope examples are rejected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from compass_bot.policy.clauses import ClauseBook
from compass_bot.policy.normalise import MAX_QUESTION_CHARS, Analysis, Language, Normaliser

Status = Literal["answer", "doubtful", "none"]

OUT_OF_SCOPE = "__out_of_scope__"
"""The internal label of the negative examples; never returned as a clause."""


@dataclass(frozen=True, slots=True)
class Match:
    """What the matcher found for one question."""

    question: str
    clause: str | None
    """The clause id of a confident answer, else None."""
    score: float
    """0..100, the score of the best clause."""
    alternatives: tuple[str, ...]
    """Up to 3 clause ids: runners-up for an answer, suggestions when doubtful."""
    status: Status
    language: Language


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's knobs. Defaults are the calibrated values (see module docstring)."""

    knn_weight: float = 0.7
    second_weight: float = 0.5
    """How much the class's second-best example adds to the best one (0 = best only)."""
    unknown_weight: float = 1.6
    """Weight of a word the index has never seen (an unrecognised typo or an off-topic word)."""
    none_below: float = 22.0
    answer_at: float = 30.0
    answer_at_offtopic: float = 55.0
    oos_margin: float = 0.0
    """Out of scope wins when its score >= best clause score - oos_margin."""
    alternative_floor: float = 15.0
    """Runners-up and suggestions must score at least this."""
    raw_factor: float = 0.6
    """Weight multiplier for plain words (not concepts): they are noisier than concepts."""
    pair_factor: float = 1.0
    """Weight multiplier for concept pairs (NAME+SCHOOL, ...); 0 disables pair features."""


DEFAULT_TUNING = Tuning()


class Matcher:
    """Question -> clause. Pure and synchronous; build once, call `match` many times."""

    def __init__(self, book: ClauseBook, tuning: Tuning = DEFAULT_TUNING) -> None:
        self.book = book
        self.tuning = tuning
        self.normaliser = Normaliser(book.concepts)
        self._domain = book.domain_concepts

        vocabulary: list[str] = list(book.out_of_scope)
        for clause in book:
            vocabulary.extend(clause.examples)
            vocabulary.extend(clause.keywords)
            vocabulary.extend((clause.title, clause.title_en, clause.text, clause.text_en))
        self.normaliser.add_vocabulary(vocabulary)

        labels: list[str] = []
        entry_terms: list[frozenset[str]] = []
        docs: dict[str, set[str]] = {}

        def terms_of(text: str) -> frozenset[str]:
            return self._features(self.normaliser.analyse(text, correct_typos=False))

        for clause in book:
            doc = docs.setdefault(clause.id, set())
            for text in (*clause.examples, clause.title, clause.title_en):
                terms = terms_of(text)
                if terms:
                    labels.append(clause.id)
                    entry_terms.append(terms)
                    doc |= terms
            for text in (*clause.keywords, clause.text, clause.text_en):
                doc |= terms_of(text)
        oos_doc = docs.setdefault(OUT_OF_SCOPE, set())
        for text in book.out_of_scope:
            terms = terms_of(text)
            if terms:
                labels.append(OUT_OF_SCOPE)
                entry_terms.append(terms)
                oos_doc |= terms

        n_docs = len(docs)
        df: dict[str, int] = {}
        for doc in docs.values():
            for term in doc:
                df[term] = df.get(term, 0) + 1
        self._weight: dict[str, float] = {}
        for term, count in df.items():
            idf = math.log(1.0 + (n_docs - count + 0.5) / (count + 0.5))
            if "+" in term:
                idf *= tuning.pair_factor
            elif not term.isupper():
                idf *= tuning.raw_factor
            self._weight[term] = idf
        self._classes: tuple[str, ...] = tuple(docs)
        self._class_index = {label: i for i, label in enumerate(self._classes)}
        self._docs: tuple[frozenset[str], ...] = tuple(frozenset(docs[c]) for c in self._classes)
        self._entry_class: tuple[int, ...] = tuple(self._class_index[lab] for lab in labels)
        postings: dict[str, list[tuple[int, float]]] = {}
        for idx, terms in enumerate(entry_terms):
            norm = math.sqrt(sum(self._weight[t] ** 2 for t in terms)) or 1.0
            for term in terms:
                postings.setdefault(term, []).append((idx, self._weight[term] / norm))
        self._postings = {t: tuple(p) for t, p in postings.items()}
        self._term_classes: dict[str, tuple[int, ...]] = {}
        for ci, doc in enumerate(self._docs):
            for term in doc:
                self._term_classes.setdefault(term, ())
                self._term_classes[term] += (ci,)
        self._n_entries = len(labels)
        self._oos_index = self._class_index[OUT_OF_SCOPE]

    # ------------------------------------------------------------ scoring

    def _features(self, analysis: Analysis) -> frozenset[str]:
        """The analysed terms, plus concept pairs when pair features are on."""
        if self.tuning.pair_factor <= 0.0:
            return frozenset(analysis.terms)
        concepts = sorted(analysis.concepts)
        pairs = [f"{a}+{b}" for i, a in enumerate(concepts) for b in concepts[i + 1 :]]
        return frozenset((*analysis.terms, *pairs))

    def scores(self, analysis: Analysis) -> dict[str, float]:
        """Score (0..100) of every class, including OUT_OF_SCOPE, for an analysed question."""
        tuning = self.tuning
        weights: dict[str, float] = {}
        for term in self._features(analysis):
            weight = self._weight.get(term)
            if weight is None:
                if "+" in term:
                    continue  # an unseen pair says nothing
                weight = tuning.unknown_weight * (1.0 if term.isupper() else tuning.raw_factor)
            weights[term] = weight
        q_sq = sum(w * w for w in weights.values())
        if q_sq <= 0.0:
            return {label: 0.0 for label in self._classes}
        q_norm = math.sqrt(q_sq)

        dots = [0.0] * self._n_entries
        for term, weight in weights.items():
            for idx, entry_weight in self._postings.get(term, ()):
                dots[idx] += weight * entry_weight
        n_classes = len(self._classes)
        best = [0.0] * n_classes
        second = [0.0] * n_classes
        for idx, dot in enumerate(dots):
            if dot:
                ci = self._entry_class[idx]
                if dot > best[ci]:
                    second[ci] = best[ci]
                    best[ci] = dot
                elif dot > second[ci]:
                    second[ci] = dot

        covered = [0.0] * n_classes
        for term, weight in weights.items():
            for ci in self._term_classes.get(term, ()):
                covered[ci] += weight * weight

        knn_w = tuning.knn_weight
        sec_w = tuning.second_weight
        out: dict[str, float] = {}
        for ci, label in enumerate(self._classes):
            knn = (best[ci] + sec_w * second[ci]) / ((1.0 + sec_w) * q_norm)
            cov = covered[ci] / q_sq
            out[label] = 100.0 * (knn_w * knn + (1.0 - knn_w) * cov)
        return out

    # ------------------------------------------------------------ deciding

    def match(self, question: str) -> Match:
        """The clause answering `question`, suggestions, or nothing. Never raises."""
        text = question if isinstance(question, str) else str(question)
        analysis = self.normaliser.analyse(text[:MAX_QUESTION_CHARS])
        language = analysis.language
        if not analysis.terms:
            return Match(question, None, 0.0, (), "none", language)
        scores = self.scores(analysis)
        oos = scores.pop(OUT_OF_SCOPE, 0.0)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self._class_index[item[0]]))
        best_id, best = ranked[0]
        tuning = self.tuning
        runners = tuple(
            cid for cid, score in ranked[1:4] if score >= tuning.alternative_floor
        )
        on_topic = bool(analysis.concepts & self._domain)
        if best < tuning.none_below or oos >= best - tuning.oos_margin:
            return Match(question, None, best, (), "none", language)
        needed = tuning.answer_at if on_topic else tuning.answer_at_offtopic
        if best >= needed:
            return Match(question, best_id, best, runners, "answer", language)
        suggestions = (best_id, *runners[:2])
        return Match(question, None, best, suggestions, "doubtful", language)

    def explain(self, question: str) -> dict[str, object]:
        """Debugging aid: the terms, their weights and the top classes."""
        analysis = self.normaliser.analyse(question[:MAX_QUESTION_CHARS])
        scores = self.scores(analysis)
        top = sorted(scores.items(), key=lambda item: -item[1])[:5]
        return {
            "terms": {t: round(self._weight.get(t, -1.0), 2) for t in analysis.terms},
            "unknown": sorted(analysis.unknown),
            "language": analysis.language,
            "top": [(label, round(score, 1)) for label, score in top],
        }
