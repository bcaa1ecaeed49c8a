"""The class index: the examples weighed by term, and each class's score for a question."""

from __future__ import annotations

import dataclasses
import logging
import math
import re

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from compass_bot.policy.clauses import ClauseBook
from compass_bot.policy.frame import without_frame
from compass_bot.policy.memory import QuestionMemory
from compass_bot.policy.model import features as model_features
from compass_bot.policy.normalise import (
    COURTESY,
    SETTING,
    STOPWORDS,
    STUDENT_VOICE,
    Analysis,
    Normaliser,
    concept_pairs,
    fold,
    stem,
)
from compass_bot.policy.ranking import BestTwo, posting_views
from compass_bot.policy.spelling import SpellingIndex
from compass_bot.policy.tuning import Tuning

log = logging.getLogger(__name__)

OUT_OF_SCOPE = "__out_of_scope__"
"""The internal label of the negative examples; never returned as a clause."""


QUOTE_SIMILARITY = 85.0
"""How close (0..100: rapidfuzz partial_ratio, or the share of its content words) a quoted
passage must be to a clause text to count as quoting it..."""
QUOTE_MARGIN = 5.0
"""...and by how much it must be closer to that clause than to any other."""


class ClassIndex:
    """Built once from the clause book (the matcher's `__init__`): weights, postings, the
    spelling index and the model; `scores` rates every class for an analysed question."""

    def __init__(self, book: ClauseBook, tuning: Tuning, normaliser: Normaliser) -> None:
        self.tuning = tuning
        self.normaliser = normaliser
        self.domain = book.domain_concepts

        def features_of(text: str) -> frozenset[str]:
            return self.features(without_frame(self.normaliser.analyse(text, correct_typos=False)))

        labels: list[str] = []
        entries: list[frozenset[str]] = []
        entry_words: list[tuple[str, ...]] = []
        docs: dict[str, set[str]] = {}

        def add_entry(label: str, text: str) -> None:
            analysis = without_frame(self.normaliser.analyse(text, correct_typos=False))
            features = self.features(analysis)
            if features:
                labels.append(label)
                entries.append(features)
                entry_words.append(analysis.words)
                docs[label] |= features

        for clause in book:
            doc = docs.setdefault(clause.id, set())
            for text in (*clause.examples, clause.title, clause.title_en):
                add_entry(clause.id, text)
            for text in (*clause.keywords, clause.text, clause.text_en):
                doc |= features_of(text)
        docs[OUT_OF_SCOPE] = set()
        for text in book.out_of_scope:
            add_entry(OUT_OF_SCOPE, text)

        # inverse class frequency (BM25 form, always positive), then per-kind factors
        n_docs = len(docs)
        df: dict[str, int] = {}
        for doc in docs.values():
            for term in doc:
                df[term] = df.get(term, 0) + 1
        self.weight: dict[str, float] = {
            term: self.term_weight(term, math.log(1.0 + (n_docs - n + 0.5) / (n + 0.5)))
            for term, n in df.items()
        }

        self._classes: tuple[str, ...] = tuple(docs)
        self.class_index = {label: i for i, label in enumerate(self._classes)}
        # entries were added class by class: each class owns one contiguous span
        spans: dict[int, list[int]] = {}
        for idx, label in enumerate(labels):
            spans.setdefault(self.class_index[label], []).append(idx)
        for owned in spans.values():
            if owned[-1] - owned[0] + 1 != len(owned):
                raise RuntimeError("matcher index: a class's examples are not contiguous")
        self._class_spans: tuple[tuple[int, int], ...] = tuple(
            (spans[ci][0], spans[ci][-1] + 1) if ci in spans else (0, 0)
            for ci in range(len(self._classes))
        )
        # postings in one pair of arrays (entry, weight), term -> its span: a question's
        # dot products are one numpy bincount over the spans of its terms
        postings: dict[str, list[tuple[int, float]]] = {}
        for idx, features in enumerate(entries):
            norm = math.sqrt(sum(self.weight[t] ** 2 for t in features)) or 1.0
            for term in features:
                postings.setdefault(term, []).append((idx, self.weight[term] / norm))
        # each posting's share is scaled by its term's weight, which a question's term
        # always has
        self._postings = posting_views(postings, self.weight)
        self._nearest = BestTwo(self._class_spans, len(entries))
        term_classes: dict[str, list[int]] = {}
        for label, doc in docs.items():
            for term in doc:
                term_classes.setdefault(term, []).append(self.class_index[label])
        self._term_classes = {term: tuple(c) for term, c in term_classes.items()}
        self._n_entries = len(entries)
        oos_start, oos_stop = self._class_spans[self.class_index[OUT_OF_SCOPE]]
        # per domain concept, which out-of-scope examples have it (_offdomain_examples)
        self._oos_ids = np.arange(oos_start, oos_stop, dtype=np.intp)
        self._oos_having = {
            concept: np.array([concept in entries[i] for i in range(oos_start, oos_stop)])
            for concept in self.domain
        }
        self._offdomain_cache: dict[frozenset[str], npt.NDArray[np.intp]] = {}
        self.spelling = SpellingIndex(entry_words) if tuning.spelling_weight > 0.0 else None
        model = book.model
        if model is not None and set(model.classes) != set(self._classes):
            log.warning("clause model knows other clauses than the policy text: not used")
            model = None
        self.model = model if tuning.model_weight > 0.0 else None
        self.memory: QuestionMemory | None = None
        if self.model is not None and self.model.memory and tuning.memory_weight > 0.0:
            order = [self.class_index[label] for label in self.model.classes]
            self.memory = QuestionMemory(
                [(terms, [order[c] for c in labels]) for terms, labels in self.model.memory],
                len(self._classes),
                self._memory_weight,
                tuning.second_weight,
            )
        self._passages = [
            (clause.id, " ".join(words), frozenset(map(stem, words)))
            for clause in book
            for text in (clause.text, clause.text_en)
            for words in [re.findall(r"[a-z0-9]+", fold(text))]
        ]
        self._staff_only = frozenset(c.id for c in book if c.audience == "staff")
        self._staff_rows = np.array(
            [self.class_index[label] for label in sorted(self._staff_only)], dtype=np.intp
        )
        # the model's class order to the index's: its probabilities blend as one array
        self._model_order = np.array(
            [self.model.classes.index(label) for label in self._classes] if self.model else [],
            dtype=np.intp,
        )
        self._staff_signals = book.staff_concepts

    def term_weight(self, term: str, idf: float) -> float:
        tuning = self.tuning
        if "+" in term:
            return idf * tuning.pair_factor
        if not term.isupper():
            return idf * tuning.raw_factor
        if term in self.domain:
            return max(idf, tuning.domain_floor)
        return idf

    def _memory_weight(self, feature: str) -> float | None:
        """A remembered question's feature weighs as in a question; an unseen pair, nothing."""
        weight = self.weight.get(feature)
        if weight is None and "+" not in feature:
            weight = self.term_weight(feature, self.tuning.unknown_weight)
        return weight

    def features(self, analysis: Analysis) -> frozenset[str]:
        """The analysed terms plus, when pair features are on, all concept pairs."""
        if self.tuning.pair_factor <= 0.0:
            return frozenset(analysis.terms)
        return frozenset((*analysis.terms, *concept_pairs(analysis)))

    # ------------------------------------------------------------ scoring

    def scores(self, analysis: Analysis) -> dict[str, float]:
        """Score (0..100) of every class, OUT_OF_SCOPE included, for an analysed question."""
        tuning = self.tuning
        whole, analysis = analysis, self.focus(analysis)
        student_voice = STUDENT_VOICE in whole.concepts
        weights: dict[str, float] = {}
        for term in self.features(analysis):
            weight = self.weight.get(term)
            if weight is None:
                if "+" in term:
                    continue  # a pair no example has says nothing either way
                weight = self.term_weight(term, tuning.unknown_weight)
            weights[term] = weight
        ratios: dict[str, float] = {}  # a scene term's weight to its postings' own
        scene = analysis.told & SETTING
        if scene and tuning.scene_factor != 1.0:
            # the setting of a story told before the question ("In de pauze heb ik ...
            # gepost. Mag dat?") is where it happened, not what is asked: it and its pairs
            # count less than the words of what happened
            for term in weights:
                if term in scene or ("+" in term and not scene.isdisjoint(term.split("+"))):
                    scaled = weights[term] = weights[term] * tuning.scene_factor
                    full = self.weight.get(term)
                    if full is not None and full != scaled:
                        ratios[term] = scaled / full
        q_sq = sum(w * w for w in weights.values())
        if q_sq <= 0.0:
            return dict.fromkeys(self._classes, 0.0)
        q_norm = math.sqrt(q_sq)

        starts: list[npt.NDArray[np.intp]] = []
        shares: list[npt.NDArray[np.float64]] = []
        postings = self._postings
        for term in weights:
            found = postings.get(term)
            if found is not None:
                starts.append(found[0])
                # a share carries its term's full weight: a scene term's is scaled here
                ratio = ratios.get(term) if ratios else None
                shares.append(found[1] if ratio is None else found[1] * ratio)
        dots: npt.NDArray[np.float64]
        if starts:
            dots = np.bincount(
                np.concatenate(starts), np.concatenate(shares), minlength=self._n_entries
            ).astype(np.float64, copy=False)
        else:
            dots = np.zeros(self._n_entries)
        offdomain = self._offdomain_examples(whole)  # its FRAME is the protocol's
        if len(offdomain):
            dots[offdomain] *= tuning.offdomain_factor
        best, second = self._nearest(dots)

        covered_sq = [0.0] * len(self._classes)
        term_classes = self._term_classes
        for term, weight in weights.items():
            squared = weight * weight
            for ci in term_classes.get(term, ()):
                covered_sq[ci] += squared
        covered = np.array(covered_sq)

        knn_w = tuning.knn_weight
        sec_w = tuning.second_weight
        meaning = (
            knn_w * (best + sec_w * second) / ((1.0 + sec_w) * q_norm)
            + (1.0 - knn_w) * covered / q_sq
        )
        if self.spelling is not None:
            # a question whose letters match no example has a spelling likeness of 0 but
            # keeps the blend's proportions: every question is scored on the same scale
            spell_w = tuning.spelling_weight
            s_dots, norm = self.spelling.dot_array(analysis.words)
            if len(offdomain):
                s_dots[offdomain] *= tuning.offdomain_factor
            s_best, s_second = self._nearest(s_dots)
            scale = spell_w / ((1.0 + sec_w) * norm) if norm else 0.0
            meaning = (1.0 - spell_w) * meaning + scale * (s_best + sec_w * s_second)
        # min(): a perfect match can come out a hair above 100 through rounding
        percent = np.minimum(100.0, 100.0 * meaning)
        if tuning.staff_factor != 1.0 and (
            analysis.concepts.isdisjoint(self._staff_signals) or student_voice
        ):
            percent[self._staff_rows] *= tuning.staff_factor
        if self.model is not None:
            blend = tuning.model_weight
            probabilities = self.model.probability_array(model_features(analysis))
            recall = self.memory.similarities(weights) if self.memory is not None else None
            kept = 1.0 - blend - (tuning.memory_weight if recall is not None else 0.0)
            percent = kept * percent + blend * 100.0 * probabilities[self._model_order]
            if recall is not None:
                percent = percent + tuning.memory_weight * 100.0 * recall
        out = dict(zip(self._classes, percent.tolist(), strict=True))
        for quote in analysis.quotes:  # last: the reader points at the clause themselves
            quoted = self.quoted_clause(quote)
            if quoted is not None:
                out[quoted] = min(100.0, out[quoted] + tuning.quote_boost)
        return out

    def quoted_clause(self, quote: str) -> str | None:
        """The clause whose Dutch text or English rendering contains the quoted passage
        (nearly word for word), if one does."""
        content = {stem(w) for w in quote.split() if w not in STOPWORDS}
        if len(content) < 2:
            return None  # 'het is niet', 'op de school': words every clause has
        by_clause: dict[str, float] = {}
        for clause_id, passage, stems in self._passages:
            similarity = max(  # near word for word, or the same words in another order
                fuzz.partial_ratio(quote, passage),
                100.0 * len(content & stems) / len(content),
            )
            by_clause[clause_id] = max(similarity, by_clause.get(clause_id, 0.0))
        ranked = sorted(by_clause.items(), key=lambda item: -item[1])
        (best_id, best), (_, runner_up) = ranked[0], ranked[1]
        if best >= QUOTE_SIMILARITY and best - runner_up >= QUOTE_MARGIN:
            return best_id
        return None

    def focus(self, analysis: Analysis) -> Analysis:
        """The question without its courtesy words when it is about social media, for
        every part of the score alike (concepts, spelling, model, vagueness); and always
        without STUDENT_VOICE (who asks, not what about: `scores` reads it) and FRAME."""
        analysis = without_frame(analysis)
        if STUDENT_VOICE in analysis.concepts:
            analysis = dataclasses.replace(
                analysis,
                terms=tuple(t for t in analysis.terms if t != STUDENT_VOICE),
                concepts=analysis.concepts - {STUDENT_VOICE},
            )
        if analysis.concepts.isdisjoint(COURTESY) or analysis.concepts.isdisjoint(self.domain):
            return analysis
        concepts_of = self.normaliser.concepts_of
        return dataclasses.replace(
            analysis,
            terms=tuple(t for t in analysis.terms if t not in COURTESY),
            concepts=analysis.concepts - COURTESY,
            words=tuple(w for w in analysis.words if not (concepts_of(w) or {w}) <= COURTESY),
        )

    def _offdomain_examples(self, analysis: Analysis) -> npt.NDArray[np.intp]:
        """The out-of-scope examples that share no social-media concept with the question.

        "mijn vriend zette mijn cijfers op snap" is about posting something about
        someone, not about grades: an out-of-scope example about grades explains only
        part of it. Empty when the question has no social-media concept at all."""
        asked = analysis.concepts & self.domain
        if not asked or self.tuning.offdomain_factor == 1.0:
            return self._oos_ids[:0]
        found = self._offdomain_cache.get(asked)  # a few hundred concept sets recur
        if found is None:
            shared = np.zeros(len(self._oos_ids), dtype=bool)
            for concept in asked:
                shared |= self._oos_having[concept]
            found = self._oos_ids[~shared]
            found.flags.writeable = False  # shared by every question with these concepts
            if len(self._offdomain_cache) >= 4096:
                self._offdomain_cache.clear()
            self._offdomain_cache[asked] = found
        return found
