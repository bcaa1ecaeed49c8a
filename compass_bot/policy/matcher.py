"""Find the protocol clause that answers a question, or say that none does.

How it works
------------
Questions and clause examples alike are rewritten into *terms* by
`normalise.Normaliser`: canonical concepts (PLATFORM for insta/snap/tiktok, BREAK for
pauze/lunch, LESSON for les/klas/wiskunde, ...) plus stems of the other content words,
with typos corrected towards the known vocabulary. Each question also gets *concept
pairs* (NAME+SCHOOL, LOCATION+ATSCHOOL, ...): a pair says more than its parts, e.g. the
school's name inside an account name (aanwijzing-2) versus a name on its own.

The index (built once, `index.ClassIndex`) has 27 classes: the 26 clauses plus one
"out of scope" class made of negative examples (policy_text/out_of_scope.yaml). Each
class has example questions and a *class document* (examples + keywords + titles +
verbatim text + English rendering). Terms are weighted by inverse class frequency: a
concept found in every clause (SOCIALMEDIA) weighs little, one that points at a single
clause (LOCATION) a lot. Plain words weigh 0.6 of a concept (they are noisier); the
concepts that say "this is about social media" never weigh less than 1.0, so that
"snap" still counts against an out-of-scope example about tests.

A class scores, on 0..100,

    meaning  = 0.8 * (best + 0.8 * second-best cosine to its examples) / 1.8
             + 0.2 * share of the question's weight that its class document covers
    spelling = (best + 0.8 * second-best letter-gram cosine to its examples) / 1.8
    index    = 100 * (0.55 * meaning + 0.45 * spelling)
    score    = 0.53 * index + 0.17 * 100 * P(class) + 0.3 * 100 * recall(class)
                                                         (when the model is up to date)

where P is the trained clause model's probability (model.py: a logistic regression
learnt from the labelled questions in policy_text/questions/ as well as the examples,
three runs averaged) and recall is how closely the class's labelled questions resemble
the question (memory.py: best and second-best cosine, as with the examples; the model
file carries their terms). Without an up-to-date model: score = index.

The nearest examples decide most questions (paraphrases); the coverage part rewards
the clause whose vocabulary explains the whole question; the spelling part
(spelling.py) sees what the lexicon does not know: unlisted words, compounds, English
cousins of Dutch words. Clauses with `audience: staff` (duties of employees) score
x0.85 when the question shows no staff signal at all. Out-of-scope examples that share
none of the question's social-media concepts count x0.6: "my friend put my grades on
snap" is about spreading information, not about grades.

Deciding
--------
- ``none``: nothing matchable in the question, the best clause scores below
  `none_below`, or the out-of-scope class scores within `oos_margin` of the best clause;
- ``answer``: the best clause scores at least `answer_at`, or `answer_at_offtopic` when
  the question contains no social-media concept at all (homework, timetables, chit-chat
  must match a clause very well before the bot dares to cite one;
  `answer_at_offtopic_index_only` when the trained model is missing or stale);
- ``doubtful``: in between, or the question is too vague to pin down (its known terms
  weigh less than one specific concept: "social media", "protocol"); no clause, up to
  three suggestions ("Bedoel je ...?").

Calibration
-----------
Two measures, because the parts learn from different things:

- `python benchmarks/qa.py --cv`: each example in policy_text/ matched against an index
  built without it (5 folds, 3 shuffles; the trained model is left out, it has seen
  every example). Now: best clause right 92.7%, answered right 90.6% (its twin counts:
  aanwijzing-9/medewerkers-9, inleiding/gebruik, aanwijzing-7/medewerkers-8), out of
  scope refused 90.8%. The examples are deliberately varied, a harder test than real
  questions. The curves are flat around the chosen points: `answer_at` 20..28 and
  `none_below` 10..25 move the rates by less than half a point; `oos_margin` trades
  answers for refusals (0 -> 10: 90.6% -> 88.6% answered, 90.8% -> 95.0% refused). 0 is
  used: refusing out-of-scope questions is well above what is needed on real questions,
  answering in-scope ones is the harder half.
- `python benchmarks/qa.py --loso`: the whole matcher, with the model trained without
  the question file it answers. Each file was written by someone who never saw the bot.

The rounds of tuning that set these parts and numbers, with what each measured:
`docs/matcher-rounds.md` (later ones: the README's benchmark section).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Literal

from compass_bot.policy.beside import asked_for_itself, on_ground, topic_beside
from compass_bot.policy.clauses import ClauseBook
from compass_bot.policy.frame import FRAME, as_asked
from compass_bot.policy.index import (
    OUT_OF_SCOPE,
    QUOTE_MARGIN,
    QUOTE_SIMILARITY,
    ClassIndex,
)
from compass_bot.policy.normalise import (
    COURTESY,
    MAX_QUESTION_CHARS,
    Analysis,
    Language,
    Normaliser,
)
from compass_bot.policy.sentences import leading_first, questions_in
from compass_bot.policy.tuning import DEFAULT_TUNING, Tuning

__all__ = [
    "COURTESY",
    "DEFAULT_TUNING",
    "OUT_OF_SCOPE",
    "QUOTE_MARGIN",
    "QUOTE_SIMILARITY",
    "Match",
    "Matcher",
    "Status",
    "Tuning",
    "questions_in",
]

log = logging.getLogger(__name__)

Status = Literal["answer", "doubtful", "none"]


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
    """answer: `clause` is set; doubtful: no clause, suggestions in `alternatives`;
    none: the protocol does not answer the question."""
    language: Language
    related: tuple[str, ...] = ()
    """Clause ids to offer beside the outcome: with an answer, the clause of a second
    question in the same message; with none, what the protocol does say nearby when the
    question sits just beside it ("what is the punishment" -> when social media may be used)."""
    beside: str | None = None
    """With none: the concept of a topic the protocol does not cover that the question
    asks about (PUNISHMENT, POLICE, ...; `ClauseBook.beside_topics` has its Dutch and
    English phrase), so that a refusal can say what the protocol leaves open."""


class Matcher:
    """Question -> clause. Pure and synchronous; build once, call `match` many times."""

    def __init__(self, book: ClauseBook, tuning: Tuning = DEFAULT_TUNING) -> None:
        self.book = book
        self.tuning = tuning
        self.normaliser = Normaliser(book.concepts)

        vocabulary: list[str] = list(book.out_of_scope)
        for clause in book:
            vocabulary.extend(clause.examples)
            vocabulary.extend(clause.keywords)
            vocabulary.extend((clause.title, clause.title_en, clause.text, clause.text_en))
        self.normaliser.add_vocabulary(vocabulary)

        self.index = ClassIndex(book, tuning, self.normaliser)
        self._warm_up()

    def _warm_up(self) -> None:
        """Answer one message made of two clause examples, each ending as a question, at
        load: the first call of each numpy routine the scoring uses sets it up (about
        0.5 ms together, once per process), which the first asker paid; caches filled here
        hold words of the knowledge, read as any question reads them."""
        examples = [f"{c.examples[0].rstrip('?')}?" for c in self.book if c.examples][:2]
        if examples:
            self.match(" ".join(examples))

    def scores(self, analysis: Analysis) -> dict[str, float]:
        """Score (0..100) of every class, OUT_OF_SCOPE included, for an analysed question."""
        return self.index.scores(analysis)

    # ------------------------------------------------------------ deciding

    def match(self, question: str) -> Match:
        """The clause answering `question`, suggestions, or nothing. Never raises."""
        text = question if isinstance(question, str) else str(question)
        try:
            return self._match(text)
        except Exception:  # a bot must not fall over on a strange question
            log.exception("matcher failed on a question of %d characters", len(text))
            return Match(text, None, 0.0, (), "none", "nl")

    def _match(self, question: str) -> Match:
        whole = self._match_one(question[:MAX_QUESTION_CHARS], question)
        parts = questions_in(question[:MAX_QUESTION_CHARS])
        if len(parts) < 2:
            return whole
        # two questions in one: the first question that has an answer is the main one when
        # the whole message has none or lands on one of the parts' clauses (the whole mixes
        # the questions; the asker's order says which comes first); a whole message that
        # finds a clause none of its parts does keeps it. Other clauses become suggestions.
        answered = [m for m in map(self._match_one, leading_first(parts)) if m.status == "answer"]
        main = whole
        if answered and (whole.status != "answer" or whole.clause in {m.clause for m in answered}):
            main = dataclasses.replace(answered[0], question=question, language=whole.language)
        if main.status != "answer":
            return main
        others = tuple(dict.fromkeys(m.clause for m in answered if m.clause != main.clause))
        return dataclasses.replace(main, related=tuple(c for c in others if c)[:2])

    def _match_one(self, text: str, question: str | None = None) -> Match:
        analysis = self.normaliser.analyse(text)
        if not analysis.terms:
            return Match(question or text, None, 0.0, (), "none", analysis.language)
        return self.decide(question or text, analysis, self.scores(analysis))

    def decide(
        self,
        question: str,
        analysis: Analysis,
        scores: dict[str, float],
        tuning: Tuning | None = None,
    ) -> Match:
        """Turn class scores into a Match, with this matcher's or the given thresholds.

        Split from `match` so that calibration (benchmarks/qa.py --cv) can try other
        thresholds on the same scores; the weights used for scoring are not changed.
        """
        tuning = tuning or self.tuning
        language = analysis.language
        framed = FRAME in analysis.concepts
        analysis = self.index.focus(analysis)
        about = as_asked(analysis, framed)  # what the question is about, for deciding
        clause_scores = {k: v for k, v in scores.items() if k != OUT_OF_SCOPE}
        if not analysis.terms or not clause_scores:
            return Match(question, None, 0.0, (), "none", language)
        oos = scores.get(OUT_OF_SCOPE, 0.0)
        ranked = sorted(
            clause_scores.items(), key=lambda item: (-item[1], self.index.class_index[item[0]])
        )
        best_id, best = ranked[0]
        domain_count = len(about.concepts & self.index.domain)
        beside = topic_beside(about, self.book.beside_topics, self.index.domain)
        oos_margin = tuning.oos_margin - min(
            tuning.oos_domain_cap, tuning.oos_domain_margin * max(0, domain_count - 1)
        )
        if beside is not None:
            grounded = domain_count and on_ground(about, self.index.domain)
            oos_margin += tuning.beside_margin + (0.0 if grounded else tuning.off_ground_margin)
        if asked_for_itself(about):
            oos_margin += tuning.sanction_margin
        runners = tuple(cid for cid, score in ranked[1:4] if score >= tuning.alternative_floor)
        information = sum(self.index.weight.get(t, 0.0) ** 2 for t in self.index.features(analysis))
        on_topic = not about.concepts.isdisjoint(self.index.domain)
        if best < tuning.none_below or oos >= best - oos_margin:
            if on_topic and information < tuning.vague_below and best >= tuning.answer_at:
                # "wat zijn de regels": too little said to refuse as much as to answer
                return Match(question, None, best, (best_id, *runners[:2]), "doubtful", language)
            nearby = (best_id,) if best >= tuning.nearby_at else ()
            return Match(question, None, best, (), "none", language, nearby, beside)
        if on_topic:
            needed = tuning.answer_at
        elif self.index.model is not None:
            needed = tuning.answer_at_offtopic
        else:
            needed = tuning.answer_at_offtopic_index_only
        # the frame says what X is asked about, enough to answer; not enough to refuse a
        # vague X that "X?" alone would get suggestions for
        if best >= needed and information + framed * tuning.frame_information >= tuning.vague_below:
            return Match(question, best_id, best, runners, "answer", language)
        return Match(question, None, best, (best_id, *runners[:2]), "doubtful", language)

    def explain(self, question: str) -> dict[str, object]:
        """Debugging aid: the terms with their weights, and the five best classes."""
        analysis = self.normaliser.analyse(question[:MAX_QUESTION_CHARS])
        scores = self.scores(analysis)
        top = sorted(scores.items(), key=lambda item: -item[1])[:5]
        return {
            "terms": {t: round(self.index.weight.get(t, -1.0), 2) for t in analysis.terms},
            "unknown": sorted(analysis.unknown),
            "language": analysis.language,
            "on_topic": not analysis.concepts.isdisjoint(self.index.domain),
            "top": [(label, round(score, 1)) for label, score in top],
        }
