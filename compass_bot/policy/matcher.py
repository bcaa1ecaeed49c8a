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

Round 18 (#17, qa34: qa_new_ac, qa_new_ad joined the labelled questions). A break, lesson
or place at school told only in the story before a sentence that asks a thing of its own
(`Analysis.told`; "Mag dat?" tells nothing apart) is the scene: `scene_factor` 0.3 in the
index. Leave-one-file-out, 40 files: 6383 -> 6391 of 6703 in scope, 2037 -> 2035 of 2087
refused (scenario +3, tricky +2). Dropped: a "~BREAK" model feature (the model's churn).

Round 17 (#17, qa31: qa_new_u and qa_new_v, measured once at 97.1% / 95.4% and 94.3% /
93.7%, joined the labelled questions; the leave-one-file-out misses studied as classes).
Running the school down is criticism wherever it is said: an angry post about a school
matter (ANGRY beside NEGATIVE), or a put-down said to a pupil of another school or on the
school's account a student takes over (OTHERSCHOOL, OFFICIALACCOUNT with NEGATIVE or
ANGRY), no longer widens the beside margin (beside.py); discontent, "een grap", a wrong
decision are NEGATIVE. What the law says (AVG, GDPR, strafbaar, illegal) is asked for
itself like the sanction unless the question names the protocol (24 of 25 labelled are out
of scope). A talk after a post ("wil erover praten") is CONSEQUENCE; a post typed and about
to go out ("al getypt", "duim hangt boven verzenden") is IMPULSIVE; an app's notification
is TECH, not a report. Examples for reporting bullying despite aanwijzing-8's premise,
staff's own conduct and duties (medewerkers-1, -2, -7), who the protocol applies to
(inleiding), niche platforms (definitie). Leave-one-file-out over the 32 files: 94.0% ->
94.7% in scope (5083 -> 5118 of 5405), 96.8% -> 97.5% refused (1573 -> 1584 of 1625);
scenario 784 -> 791 of 870, tricky 377 -> 379 of 439, staff-scenario 409 -> 416 of 444,
parent 336 -> 339 of 356, slang 469 -> 475 of 506. Not done: tricky questions whose
keyword is a clause's word in another sense (a school's new "locatie", a compass app,
a quarrel with a sibling), aanwijzing-3 versus -4 when a negative post is told with its
consequence, scenarios still near 91%.

Round 16 (#17, qa30: qa_new_t, measured once at 93.2% / 96.9%, joined the labelled
questions; the leave-one-file-out misses studied as classes). Bullying or a quarrel told
only by a place at school (schoolplein, gang, fietsenstalling: ATSCHOOL, FACILITY) with
nothing online and no quoted line is offline trouble, the topic "niet online" names
(PHYSICAL, so the wide margin): all 6 labelled questions like it are out of scope. How
long until a report or complaint is handled (WAITING: "hoe lang duurt het voordat", "how
long does it take", with REPORT or HANDLE) is asked for itself like the sanction: 3 of 3
labelled are out of scope, even when they name online bullying. A student's own POP, and
a teacher searching a phone, are out-of-scope examples; "op snap" is the app before
KNOW's "snap niet"; K-pop is no POP. Staff telling a case about their own duties:
examples for medewerkers-3 (not knowing what social media gives students), -4 (asked for
a view they lack), -6 (wanting to teach a class about privacy), -8 (a student's DM at
night, a journalist's question); a granted break premise with others in the video
(aanwijzing-6). Leave-one-file-out over the 30 files: 94.2% -> 94.3% in scope (4778 ->
4782 of 5073), 97.0% -> 97.1% refused (1452 -> 1453 of 1497); tricky 331 -> 342 of 395,
staff-scenario 367 -> 370 of 400, scenario 709 -> 707 of 785, multi 261 -> 258 of 271
(55 misses new and 60 gone: most moves are the retrained model's churn on borderline
questions). Not done: scenarios whose story names one clause's situation and asks about
another (aanwijzing-3/-4/-6), the student reports that land on the staff twin
medewerkers-9.

Round 15 (#17, qa29: qa_new_q, r and s joined the labelled questions; their leave-one-
file-out misses and those of the others studied as classes). A topic beside the protocol
in a question with nothing online (no domain concept: a fight in the canteen "zonder
telefoon", a student's file, a profile choice) widens the refusal margin by
`off_ground_margin` more: 444 of the 449 labelled questions like that are out of scope.
New topics beside it: RECORDS (what stays in a student's file) and CAREER (profile, study
and career choice); recovering a hacked account or a password is PLATFORMHELP; a debate in
class is offline (PHYSICAL); "mijn vrienden kunnen zien waar ik ben" is the AUDIENCE, not
others' information; an account "dat niks met school te maken heeft" / "zonder de
schoolnaam" is UNLINKED, no longer SCHOOL beside a name (aanwijzing-2). Examples for a
granted premise ("het is pauze, dus mag ik dan ook ...") whose question is what is posted
(aanwijzing-4, -6), and staff cases told as a story (medewerkers-1, -7, -8). Leave-one-
file-out over the 29 files: 93.8% -> 94.1% in scope (4595 -> 4610 of 4897), 96.2% ->
96.5% refused (1378 -> 1383 of 1433); by kind, scenario 665 -> 679 of 745, tricky 306 ->
311 of 373, staff-scenario 347 -> 346 of 378. Not done: the tricky premise questions
still lean on schooltijd; offline bullying told by place ("op het schoolplein", "in de
gang") without "niet online"; how long handling a report takes (TIMETABLE with domain
words keeps only the narrow margin); the POP asked about by a student.

Round 14 (#17, qa28: holdout_p's misses and the leave-one-file-out misses of all 25
files studied; holdout_p joined the labelled questions at the end). The training is one
numpy step per row (five times faster: the whole leave-one-file-out is a few minutes)
and averages three runs of the descent (seeds 7, 8, 9): one run's answers hung on the
order it saw the rows in, a small edit moved some thirty answers either way; 92.1% ->
93.0% in scope on its own. The labelled questions are nearest neighbours beside the
examples (memory.py, 0.3 of the score): 93.4% -> 93.8%, refusals 96.0% -> 96.3%. After a
story, the concepts of the sentence that asks are model features of their own ("?ASK").
Topics beside the protocol that are only what a post is about (a quarrel about the group
project, a filmed fight) widen no margin; places at school are ATSCHOOL, not offline
trouble; "Compass-laptop" is no account name; "en krijg ik ..." after a question mark is
a second question; being held to account as students say it (last mee krijgen, gepakt,
done for) is CONSEQUENCE; the school's own accounts (OFFICIALACCOUNT) and who wrote the
protocol (GOVERNANCE) are beside it; AUDIENCE (shared with friends) and OTHERSINFO (where
friends are) tell locatie from aanwijzing-6 (57 / 57 labelled questions had a location
and friends). Tried and dropped (leave-one-file-out): model_weight 0.13..0.35, questions
counted twice, l2 3e-4, 16 epochs, five seeds, word or term bigrams as model features, a
log or square-root blend of the model, oos_margin -3/-6 (one answer per refusal). Leave-
one-file-out over the 25 files: 92.1% -> 93.8% in scope (3920 -> 3995 of 4258), 95.4% ->
96.3% refused (1137 -> 1148 of 1192); holdout_p, measured before it joined: 87.5% / 95.0%
on main, 91.9% / 98.3% after (its misses were studied: not an unseen figure). Not done:
the story-versus-question confusions (schooltijd/aanwijzing-6 in a setting), the staff
cases (medewerkers-1/-2/-8), aanwijzing-5/-7.

Round 13 (#17, qa13: the leave-one-file-out misses of holdout_n, o and m studied): the
out-of-scope questions that share the protocol's words ask about kinds of things it never
says; each kind became a topic beside the protocol (`beside` in concepts.yaml), so that a
clause ahead by less than `beside_margin` is not quoted and the refusal names the topic:
who writes, adopts or enforces the protocol (GOVERNANCE: handhaven, naleving, enforce,
commissie), what the law says (LAW: avg, privacywet, portretrecht, "volgens de wet", which
stays QUIZ too), the school's tips, sessions and courses (SCHOOLADVICE), the platform's own
help (PLATFORMHELP: "bij instagram zelf", "to snapchat itself") and the school's photo
consent form (CONSENTFORM); more sanctions (boete, een aantekening, een officiele of
schriftelijke waarschuwing) are PUNISHMENT; a duration ("hoe lang duurt", "hoelang is de")
is TIMETABLE; "zonder telefoon" is PHYSICAL; the anti-bullying policy and its coordinator
are CONDUCT, "alle scholen", "scholengroep" OTHERSCHOOL; "nobody knows it's me" is
ANONYMITY (all 20 labelled questions with it are aanwijzing-1; neutral at the
leave-one-file-out, it keeps a gamertag story off aanwijzing-2). A letter's addressee
(`sentences._SALUTATION`) is now only roles, titles and capitalised names, up to five
words: "Beste app voor huiswerk, ..." keeps its words. Leave-one-file-out (--only, before
-> after): holdout_n 139 -> 139 of 161 in scope, 44 -> 49 of 59 refused; holdout_o 144 ->
143 of 162, 48 -> 51 of 58; holdout_m 140 -> 141 of 165, 51 -> 51 of 55; together 423 ->
423 of 488 (86.7%), 143 -> 151 of 172 (83.1% -> 87.8%); the in-scope moves are retraining
noise (no new term in those questions). Dropped: "op straat" as PHYSICAL
(photos taken in the street are aanwijzing-6). Not done: the full 25-file total (the
machine was too loaded), the tricky questions (a debate in class, a team name on shirts,
the vertrouwenspersoon for trouble at home), the scenario confusions (aanwijzing-3/-4/-6).

Round 12 (#17, qa12: the leave-one-file-out misses of holdout_m, l and k studied): a
letter's opening names whom it is written to ("Geachte mentor,", "Dear teacher,"): the
addressee is dropped (sentences._SALUTATION), so a parent's letter to the mentor is no
staff signal and no TEACHER term (parents' letters went to medewerkers-2/-9); asking for
the sanction is always refused (`sanction_margin` 15 -> 100): at 15 a clause sharing the
whole situation still won ("welke straf krijg je als ...", "word je geschorst als ..."),
and in the labelled questions 31 of 33 such questions are out of scope (the other two
are two-question messages whose first part keeps its answer). Leave-one-file-out
(before -> after): holdout_k 129 -> 131 of 150 in scope, 42 -> 43 of 50 refused; holdout_l
145 -> 143 of 162, 54 -> 54 of 58; holdout_m 140 -> 142 of 165, 48 -> 50 of 55; together
414 -> 416 of 477 (87.2%), 144 -> 147 of 163 (90.2%); the addressee fixed two parents'
letters, l's two losses are retraining noise (no salutation in them). All 23 files:
92.4% -> 92.4% in scope (3636 of 3935), 95.0% -> 95.3% refused (1024 of 1075). Not done:
the staff cases (a teacher's own account read as medewerkers-2), slang misreadings.

Round 11 (#17, qa11: the leave-one-file-out misses of holdout_m, l and k studied):
the protocol names no sanction, so a question that asks for one (PUNISHMENT: "welke
straf", "word je geschorst") widens the refusal margin by `sanction_margin` more and
is refused even when a clause shares its whole situation (that clause is offered
nearby); "finding my account" is no longer the Find My app (LOCATION); compounds on
the three-letter heads les and app (tekenles, mentorles); slang and staff words
(uitflippen, afstemmen, vloggen, geblurd, threw it away, dreigen); out-of-scope
examples about how the protocol is made and kept and about staff employment.
Leave-one-file-out (--only, before -> after): holdout_k 125 -> 129 of 150 in scope, 43
-> 42 of 50 refused; holdout_l 148 -> 145 of 162, 53 -> 54 of 58; holdout_m 138 -> 140
of 165, 47 -> 48 of 55; together 411 -> 414 of 477 in scope, 143 -> 144 of 163 refused.
The sanction margin and the governance examples gave +4 / +1 (k +4, l -2, m +2); the
words were neutral (l -1), kept because each corrects a clear misreading. Not done: the
staff cases (medewerkers-1 vs -2, a teacher's own account) and the mixed scenarios.

Round 10 (#17, qa8: the leave-one-file-out misses of holdout_g..k studied): a Dutch
main clause moves a separable verb's particle to the end ("ik check elke ochtend op
snap in", "ik geef het bij mijn mentor aan"): particle + verb is looked up in the lexicon
(morphology.separated_verbs; Dutch only, the particle ending its clause or followed by a
preposition or conjunction, else it is a preposition: "zet het op tiktok"); a school
matter beside the protocol that a social-media question runs down ("post how bad the new
timetable is") no longer widens the refusal margin (_CRITICISED). Leave-one-file-out on
the five newest files (--only, before -> after): in scope 675 -> 678 of 790 (g 143 ->
142, h 144 -> 143, i 129 -> 132, j 135, k 124 -> 126), refused 249 -> 248 of 270 (k 44 ->
43); all 21 files 3323 -> 3326 of 3608 in scope (92.2%), 919 -> 918 of 962 refused
(95.4%). The separable verbs fix five check-ins (locatie) in g, i and k; the retrained
model moves a few answers either way. Not done: the neighbouring-clause confusions
(aanwijzing-7/5, aanwijzing-6/locatie, privegebruik/aanwijzing-6) and near-miss refusals.
holdout_l (220 questions by a new writer, never seen while tuning) measured once before
and after round 10: 87.7% -> 88.9% in scope (142 -> 144 of 162), 87.9% -> 89.7% refused
(51 -> 52 of 58); it then joined the training questions.

Round 9 (#17, qa7: holdout_j and holdout_k joined the training questions at the end; j's
misses were studied, k was judged by its figures only): a cardinal before "uur" is a
clock time or a duration ("om 2 uur", "na 24 uur", "hoeveel uur"), not LESSON; health
and habits (WELLBEING) are a topic beside the protocol; out-of-scope examples of what
apps do to you, how an app behaves, which app is better and the dress code; a voice call
is a CHAT (not a NAME) and online games are platforms; a second question after a "?"
needs no "?" of its own when it asks ("... also when ..."), and ", en mag ik ..." splits
one off inside a sentence. holdout_k, judged by figures: 84.7% -> 85.3% in scope, 86.0%
refused either way (within noise); holdout_j 84.7% -> 88.0% and 88.0% -> 92.0%. Tried
and dropped (helped j, cost k one to three): escalation words (opjutten, welles-nietes,
steeds persoonlijker), impulsive sending and regret, insults as NEGATIVE, live
streaming as PHOTO, "beter" in advice as no VALUE, "zelf uitzoeken" as RESOLVE, a
notification ("melding krijgen") as TECH, a dress-code vocabulary; thresholds and weights
(oos_margin 2..6 trades answers for refusals one for one on k; answer_at 26/28 costs 5-6
answers), model_weight 0.12/0.22, training l2 and epochs: the defaults are a plateau.
Leave-one-file-out over the 21 files (j and k included, before -> after): 92.1% -> 92.1%
in scope (3324 -> 3323 of 3608), 95.1% -> 95.5% refused (915 -> 919 of 962); holdout_k
82.0% -> 82.7% and 88.0% either way. p99 per question (qa_dev2, cold pass) 1.4-1.7 ms.

Round 8 (#17, qa6: holdout_g/h/i joined the training questions at the end; before that
g and h were studied, i judged by its figures only): an OBJECT concept ("ze vindt het
niet leuk", "doesn't want it"), more people for OTHERS, aanwijzing-6 examples told in a
setting (the break is where it happened, consent is what is asked), English negations no
longer read as Dutch 't ("doesn't" was "doesn het"), a second question told as a
statement ("Daarnaast ...") split off. holdout_i, never read: 79.8% -> 81.0% in scope,
91.2% refused either way; holdout_h 81.5% -> 89.5% and 94.8% -> 91.4%. Tried and dropped
(no gain on i): model_weight 0.25/0.35, spelling_weight and knn_weight +-0.1, oos_margin
2..5 (+2 refusals on g and h, none on i), dictionary words as compound modifiers.

Round 7 (#17, qa5: holdout_f joined the training questions after its misses were
studied; simplemma's Dutch and English dictionaries keep real words from being "fixed"
into concepts (parijs -> prijs, slaap -> slaan: 9 of 10 fixes on the dev sets were such
words) and give dictionary forms (zusje -> zus, vernoemen ~ vernoemd); people, apps and
acts as concepts; a student's own voice damps staff-only clauses; numpy for the
postings, the nearest examples and the model's logits): leave-one-file-out over the
same 15 files 94.4% -> 94.6% in scope (2505 -> 2509 of 2653), 96.5% -> 97.0% refused;
holdout_f left out 73.3% -> 78.8% and 90.9% -> 98.2%. p99 per question (cold pass,
qa_dev2) 2.4 -> 1.4 ms.

Round 6 (#17: the measured holdouts a..e joined the training questions; beside_margin
6 -> 10; situation concepts and near-miss out-of-scope examples): leave-one-file-out over
the 10 earlier files 93.6% -> 94.6% in scope, 95.6% -> 96.7% refused; over the 4 files
in the new styles (scenarios, slang, parents, tricky) 84.4% -> 84.5% and 84.5% -> 91.7%.

Round 5 (the trained clause model; courtesy words ignored around a social-media
question; more function words; quoted passages; answer_at_offtopic 70 -> 45 with the
model, 70 kept without it, because the blend damps the index scores): on the four
sets written at the start of the round (blind4..7), leave-one-file-out, in scope 91.2%
-> 94.1%, out of scope refused 95.6% -> 97.5% (a quote's boost comes after the blend:
the model never saw the quote's clause asked that way). The sweep of answer_at_offtopic there: 40
94.1%, 45 93.9%, 55 93.6%, 70 92.6%, refusals unchanged. Two further sets written at the
end, then not used for training or tuning (tests/data/holdout_*.jsonl): 95.6% and 97.8% in
scope, 100% of out of scope refused.

Round 4 (compound splitting, spelling blend, off-domain factor, answer_at 28 -> 24):
four fresh question sets (920 questions by four writers who never saw the bot) showed
that the earlier sets had been tuned on: 87.8% in scope there, 95.6% of out of scope
refused. After this round 91.2% / 95.6%; cross-validation best clause 91.9% -> 92.8%.
Spelling weights 0.3..0.6 were within a point of each other.

Round 3 (knn_weight 0.7 -> 0.8, second_weight 0.5 -> 0.8, oos_margin 5 -> 0): real
questions are longer than the examples, and their incidental words ("nieuwe", "rooster",
"leuk") spread over the class documents; leaning on the two nearest examples instead of
document coverage ranks better on them and is neutral-to-better in cross-validation
(best clause 91.1% -> 91.8% with the other round-3 changes). `vague_below` and `staff_factor` are priors about behaviour (suggest rather than
guess on a one-word question; don't answer a student with an employee duty); the
cross-validation is neutral on them (within half a point).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Literal

from compass_bot.policy.beside import asked_for_itself, on_ground, topic_beside
from compass_bot.policy.clauses import ClauseBook
from compass_bot.policy.index import (
    OUT_OF_SCOPE,
    QUOTE_MARGIN,
    QUOTE_SIMILARITY,
    ClassIndex,
)
from compass_bot.policy.normalise import (
    COURTESY,
    FRAME,
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
        # what the question is about, for deciding: the frame ("wat zegt het protocol
        # over") counts as the protocol's name does, though the score never read it
        about = (
            dataclasses.replace(analysis, concepts=analysis.concepts | {FRAME})
            if framed
            else analysis
        )
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
        if framed:
            information += tuning.frame_information
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
        if best >= needed and information >= tuning.vague_below:
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
            "on_topic": FRAME in analysis.concepts
            or not analysis.concepts.isdisjoint(self.index.domain),
            "top": [(label, round(score, 1)) for label, score in top],
        }
