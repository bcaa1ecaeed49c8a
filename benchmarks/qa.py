"""Question-answering benchmark for the protocol matcher. Prints figures; asserts nothing.

    python benchmarks/qa.py [PATH ...]     # default: ../shared/qa_dev.jsonl (from the project)
    python benchmarks/qa.py --cv           # cross-validation on policy_text/ examples
    python benchmarks/qa.py --loso [--misses] [--workers N] [--only NAME ...]   # one file left out
    python benchmarks/qa.py --batch NAME ... [--misses]   # several files left out of one model

A question file has one JSON object per line: {"q": ..., "lang": "nl"|"en",
"expect": [clause ids] (empty = the protocol does not answer it), "kind": ...}.

Figures: top-1 accuracy on in-scope questions (the answer's clause is one of `expect`;
doubtful and none count as wrong), the share of out-of-scope questions left unanswered,
top-3 accuracy (clause or one of the alternatives), language detection accuracy,
latency per question (median and p99 over one cold pass, wall clock and this process's
CPU time), index load time, the misses.

--cv matches every example in policy_text/ against an index built without it (5 folds,
3 shuffles; the trained model is left out, it has seen every example) and prints the
same rates, plus how they move with the thresholds of the index.

--loso trains the clause model once per file in policy_text/questions/ without that
file and answers the file's questions: the honest figure for the whole matcher on
questions written by people who never saw it (about three minutes in two processes),
per file and per kind (--misses lists the misses; --only holdout_j holdout_k leaves out
and answers only the named files, each still against a model trained on all the
others: a quicker loop, the total is over those files only). An in-scope example
also counts as right when it lands on its twin clause (same text or same question):
aanwijzing-9/medewerkers-9, inleiding/gebruik, aanwijzing-7/medewerkers-8.

--batch leaves several files out of one model at once (a batch of writers, such as the
most recent sets) and answers each of them: left out one by one, a set's close siblings
by the same brief still teach the model, so the batch is the harder, less leaky figure
for writers the model has not seen.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import signal
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))

from input_files import TEXT, TEXTS, BadInput, Format, exit_code, read_rows  # noqa: E402

from compass_bot.policy import ClauseBook, Match, Matcher, Tuning, load_clauses  # noqa: E402
from compass_bot.policy.clauses import DEFAULT_POLICY_DIR  # noqa: E402
from compass_bot.policy.matcher import OUT_OF_SCOPE  # noqa: E402
from compass_bot.policy.model import (  # noqa: E402
    DEFAULT_TRAINING,
    QUESTIONS_DIR,
    TrainingSettings,
    read_question_file,
)
from compass_bot.policy.normalise import Analysis  # noqa: E402
from compass_bot.policy.training import train_model  # noqa: E402

DEFAULT_SET = PROJECT.parent / "shared" / "qa_dev.jsonl"
TWINS = (
    frozenset({"aanwijzing-9", "medewerkers-9"}),
    frozenset({"inleiding", "gebruik"}),
    frozenset({"aanwijzing-7", "medewerkers-8"}),
)

QUESTIONS = Format(
    "question set",
    "questions",
    required={"q": TEXT, "expect": TEXTS},
    optional={"lang": TEXT, "kind": TEXT},
)


def read_questions(path: Path) -> list[dict[str, Any]]:
    """The file's questions, each with its "kind" ("?" when absent) and its "_line"; a file
    of another format is a BadInput naming the line (qa_answers.py reads with it too)."""
    rows = read_rows(path, QUESTIONS)
    for number, row in rows:
        row.setdefault("kind", "?")
        row["_line"] = number
    return [row for _, row in rows]


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100.0 * part / whole:5.1f}%" if whole else "-"


def run_set(matcher: Matcher, path: Path, rows: list[dict[str, Any]]) -> None:
    matches: list[Match] = []
    latencies: list[float] = []
    cpu: list[float] = []
    for row in rows:
        start, cpu_start = time.perf_counter(), time.process_time()
        match = matcher.match(row["q"])
        cpu.append((time.process_time() - cpu_start) * 1000.0)
        latencies.append((time.perf_counter() - start) * 1000.0)
        matches.append(match)

    in_scope = [(r, m) for r, m in zip(rows, matches, strict=True) if r["expect"]]
    out_scope = [(r, m) for r, m in zip(rows, matches, strict=True) if not r["expect"]]
    top1 = sum(1 for r, m in in_scope if m.clause in r["expect"])
    top3 = sum(
        1 for r, m in in_scope if m.clause in r["expect"] or set(m.alternatives) & set(r["expect"])
    )
    rejected = sum(1 for _, m in out_scope if m.clause is None)
    with_lang = [(r, m) for r, m in zip(rows, matches, strict=True) if r.get("lang")]
    lang_ok = sum(1 for r, m in with_lang if m.language == r["lang"])
    latencies.sort()
    cpu.sort()
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    cpu_p99 = cpu[min(len(cpu) - 1, round(0.99 * (len(cpu) - 1)))]

    print(f"== {path}  ({len(rows)} questions)")
    print(f"top-1 in scope        {pct(top1, len(in_scope))}")
    print(f"out of scope refused  {pct(rejected, len(out_scope))}")
    print(f"top-3 in scope        {pct(top3, len(in_scope))}")
    print(f"language detected     {pct(lang_ok, len(with_lang))}")
    statuses: dict[str, int] = defaultdict(int)
    for m in matches:
        statuses[m.status] += 1
    print("statuses              " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(
        f"latency per question  median {statistics.median(latencies):.3f} ms, "
        f"p99 {p99:.3f} ms, max {latencies[-1]:.3f} ms"
    )
    # CPU time of this process: on a shared machine the wall clock also counts the neighbours
    print(f"cpu time per question median {statistics.median(cpu):.3f} ms, p99 {cpu_p99:.3f} ms")
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r, m in zip(rows, matches, strict=True):
        by_kind[r["kind"]].append((m.clause in r["expect"]) if r["expect"] else (m.clause is None))
    print(
        "by kind               "
        + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_kind.items()))
    )
    misses = [
        (r, m)
        for r, m in zip(rows, matches, strict=True)
        if (m.clause not in r["expect"] if r["expect"] else m.clause is not None)
    ]
    print(f"misses ({len(misses)}):")
    for r, m in misses:
        expected = ",".join(r["expect"]) or "(none)"
        got = m.clause or f"({m.status})"
        alts = f" alt={','.join(m.alternatives)}" if m.alternatives else ""
        print(f"  line {r['_line']:3}: expect {expected} got {got} {m.score:.0f}{alts} | {r['q']}")
    print()


# ---------------------------------------------------------------- cross-validation


def _folds(book: ClauseBook, k: int, seed: int) -> list[list[tuple[str | None, str]]]:
    items: list[tuple[str | None, str]] = [(c.id, e) for c in book for e in c.examples]
    items += [(None, e) for e in book.out_of_scope]
    random.Random(seed).shuffle(items)
    return [items[i::k] for i in range(k)]


def _without(book: ClauseBook, held: Sequence[tuple[str | None, str]]) -> ClauseBook:
    gone = {text for _, text in held}
    return book.replace(
        clauses=[
            dataclasses.replace(c, examples=tuple(e for e in c.examples if e not in gone))
            for c in book
        ],
        out_of_scope=[e for e in book.out_of_scope if e not in gone],
        model=None,  # the model has seen every example: cross-validation measures the index
    )


@dataclasses.dataclass
class _Row:
    expect: str | None
    text: str
    analysis: Analysis
    scores: dict[str, float]
    matcher: Matcher


def _right(expect: str, got: str | None) -> bool:
    return got == expect or any(expect in twin and got in twin for twin in TWINS)


def _rates(rows: list[_Row], tuning: Tuning) -> tuple[float, float]:
    """(in scope answered right, out of scope refused) with these thresholds."""
    answered = refused = n_in = n_out = 0
    for row in rows:
        got = row.matcher.decide(row.text, row.analysis, row.scores, tuning).clause
        if row.expect:
            n_in += 1
            answered += _right(row.expect, got)
        else:
            n_out += 1
            refused += got is None
    return answered / max(n_in, 1), refused / max(n_out, 1)


def run_cv(book: ClauseBook, k: int = 5, seeds: Sequence[int] = (1, 2, 3)) -> None:
    tuning = Tuning()
    rows: list[_Row] = []
    for seed in seeds:
        for held in _folds(book, k, seed):
            matcher = Matcher(_without(book, held), tuning)
            for expect, text in held:
                analysis = matcher.normaliser.analyse(text)
                rows.append(_Row(expect, text, analysis, matcher.scores(analysis), matcher))
    ins = [r for r in rows if r.expect]
    argmax = 0
    for row in ins:
        clause_scores = {k: v for k, v in row.scores.items() if k != OUT_OF_SCOPE}
        best = max(clause_scores, key=lambda cid: clause_scores[cid])
        argmax += _right(row.expect or "", best)
    answered, refused = _rates(rows, tuning)
    print(f"== cross-validation: {k} folds x {len(seeds)} shuffles, {len(rows)} matches")
    print(f"best clause right (no thresholds)   {100 * argmax / len(ins):5.1f}%")
    print(f"in scope answered right             {100 * answered:5.1f}%")
    print(f"out of scope refused                {100 * refused:5.1f}%")
    sweeps: dict[str, Sequence[float]] = {
        "answer_at": (20, 24, 28, 32, 36, 40),
        "answer_at_offtopic_index_only": (40, 50, 60, 70, 80, 90),
        "oos_margin": (-5, 0, 3, 5, 8, 10, 15),
        "none_below": (10, 15, 20, 25, 30),
        "vague_below": (0, 1, 1.5, 2, 3),
    }
    for name, values in sweeps.items():
        cells = []
        for value in values:
            ans, ref = _rates(rows, dataclasses.replace(tuning, **{name: float(value)}))
            mark = "*" if value == getattr(tuning, name) else " "
            cells.append(f"{value:g}{mark} {100 * ans:.1f}/{100 * ref:.1f}")
        print(f"  {name:20} " + "  ".join(cells))
    print("  (in scope answered right / out of scope refused; * = the value in use)")


# ---------------------------------------------------------------- leave one set out


def _loso_one(
    held: Path, files: Sequence[Path], settings: TrainingSettings
) -> tuple[Path, list[tuple[dict[str, Any], Match]]]:
    """Train without `held`, answer its questions (one worker's share of run_loso)."""
    book = load_clauses()
    others = [row for path in files if path != held for row in read_question_file(path)]
    matcher = Matcher(book.replace(model=train_model(book, others, settings)))
    return held, [(row, matcher.match(row["q"])) for row in read_questions(held)]


def run_loso(
    book: ClauseBook,
    settings: TrainingSettings = DEFAULT_TRAINING,
    *,
    workers: int = 2,
    show_misses: bool = False,
    only: Sequence[str] = (),
) -> None:
    """For each question file in policy_text/questions/: train the clause model without
    it, answer its questions. The honest figure for the model: every file was written by
    someone who never saw the bot, and none of a file's lines is in its model. Files run
    in `workers` processes; figures per file, then per kind over all files."""
    del book  # each worker loads its own (the book holds no picklable model)
    files = sorted((DEFAULT_POLICY_DIR / QUESTIONS_DIR).glob("*.jsonl"))
    held_out = [path for path in files if not only or path.stem in only]
    if only and len(held_out) != len(set(only)):
        known = ", ".join(path.stem for path in files)
        raise BadInput(f"--only: unknown question file among {', '.join(only)} (known: {known})")
    print(f"== leave one question file out ({len(held_out)} of {len(files)} files)")
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(
            pool.map(_loso_one, held_out, [files] * len(held_out), [settings] * len(held_out))
        )
    _report(results, show_misses=show_misses)


def _report(
    results: Sequence[tuple[Path, list[tuple[dict[str, Any], Match]]]], *, show_misses: bool
) -> None:
    """Figures per held-out file (and its misses), then over all of them and per kind."""
    totals = [0, 0, 0, 0]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for held, answered in results:
        oks = [
            (m.clause in r["expect"]) if r["expect"] else (m.clause is None) for r, m in answered
        ]
        n_in = sum(1 for r, _ in answered if r["expect"])
        right = sum(ok for (r, _), ok in zip(answered, oks, strict=True) if r["expect"])
        refused = sum(ok for (r, _), ok in zip(answered, oks, strict=True) if not r["expect"])
        for i, v in enumerate((right, n_in, refused, len(answered) - n_in)):
            totals[i] += v
        for (r, _), ok in zip(answered, oks, strict=True):
            by_kind[r["kind"]].append(ok)
        print(
            f"  {held.name:18} top-1 in scope {pct(right, n_in)}   "
            f"out of scope refused {pct(refused, len(answered) - n_in)}"
        )
        if show_misses:
            for (r, m), ok in zip(answered, oks, strict=True):
                if not ok:
                    expected = ",".join(r["expect"]) or "(none)"
                    got = m.clause or f"({m.status})"
                    print(
                        f"    {r['kind']:14} expect {expected} got {got} {m.score:.0f} | {r['q']}"
                    )
    print(
        f"  {'all':18} top-1 in scope {pct(totals[0], totals[1])}   "
        f"out of scope refused {pct(totals[2], totals[3])}"
    )
    print(
        "  by kind: " + ", ".join(f"{k} {pct(sum(v), len(v))}" for k, v in sorted(by_kind.items()))
    )


def run_batch(names: Sequence[str], *, show_misses: bool = False) -> None:
    """Train one model without all the named question files; answer each of them."""
    files = sorted((DEFAULT_POLICY_DIR / QUESTIONS_DIR).glob("*.jsonl"))
    held = [path for path in files if path.stem in names]
    if len(held) != len(set(names)):
        known = ", ".join(path.stem for path in files)
        raise BadInput(f"--batch: unknown question file among {', '.join(names)} (known: {known})")
    book = load_clauses()
    others = [row for path in files if path not in held for row in read_question_file(path)]
    matcher = Matcher(book.replace(model=train_model(book, others)))
    print(f"== leave {len(held)} question files out of one model ({len(files)} files)")
    results = [
        (path, [(row, matcher.match(row["q"])) for row in read_questions(path)]) for path in held
    ]
    _report(results, show_misses=show_misses)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="question files (.jsonl)")
    parser.add_argument("--cv", action="store_true", help="cross-validate on policy_text/")
    parser.add_argument(
        "--loso", action="store_true", help="leave one question file out (the clause model)"
    )
    parser.add_argument("--misses", action="store_true", help="with --loso: list the misses")
    parser.add_argument("--workers", type=int, default=2, help="with --loso: processes")
    parser.add_argument(
        "--only", nargs="+", default=(), metavar="NAME", help="with --loso: these files only"
    )
    parser.add_argument(
        "--batch", nargs="+", default=(), metavar="NAME", help="leave these files out of one model"
    )
    args = parser.parse_args(argv)
    # the question files first: a wrong file fails at once, not after the index has loaded
    sets = [] if args.cv or args.batch or args.loso else args.paths or [DEFAULT_SET]
    rows = [read_questions(path) for path in sets]

    start = time.perf_counter()
    book = load_clauses()
    loaded = time.perf_counter()
    matcher = Matcher(book)
    built = time.perf_counter()
    print(
        f"index load: {1000 * (built - start):.1f} ms "
        f"(load_clauses {1000 * (loaded - start):.1f} ms + Matcher {1000 * (built - loaded):.1f} ms); "
        f"{len(book)} clauses, {sum(len(c.examples) for c in book)} examples, "
        f"{len(book.out_of_scope)} out-of-scope examples, {len(book.concepts)} concepts"
    )
    print()
    if args.cv:
        run_cv(book)
        return 0
    if args.batch:
        run_batch(args.batch, show_misses=args.misses)
        return 0
    if args.loso:
        run_loso(book, workers=args.workers, show_misses=args.misses, only=args.only)
        return 0
    for path, questions in zip(sets, rows, strict=True):
        run_set(matcher, path, questions)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into `head`: stop without a traceback
    raise SystemExit(exit_code(main))
