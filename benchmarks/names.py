"""Benchmark the name rule (aanwijzing-2) on a labelled JSONL file of names.

    .venv/bin/python benchmarks/names.py [PATH]

PATH defaults to ../shared/names_dev.jsonl next to the project root. Each line is
{"name": ..., "flag": true|false, ...}; lines with a "kind" field are also scored per kind. A name counts as positive when the checker says
flagged=True. Uncertain verdicts (flagged=False, uncertain=True: a moderator decides) are
counted as negative in the main figures and reported on their own; a second line shows the
figures if every uncertain verdict were counted as flagged.

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from input_files import FLAG, TEXT, Format, exit_code, read_rows  # noqa: E402

from compass_bot.features.names.rules import NameChecker, NameVerdict  # noqa: E402

DEFAULT_PATH = ROOT.parent / "shared" / "names_dev.jsonl"
MIN_CHECKS = 100_000
NAMES = Format("names set", "names", required={"name": TEXT, "flag": FLAG}, optional={"kind": TEXT})


def load(path: Path) -> list[tuple[str, bool, str]]:
    """(name, flag, kind): kind is the line's optional "kind" field ("" when absent); a file
    of another format is a BadInput naming the line."""
    return [
        (item["name"], item["flag"], item.get("kind", "")) for _, item in read_rows(path, NAMES)
    ]


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2%}" if denominator else "n/a"


def scores(pairs: list[tuple[bool, bool]]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) for (expected, predicted) pairs."""
    tp = sum(1 for want, got in pairs if want and got)
    fp = sum(1 for want, got in pairs if not want and got)
    fn = sum(1 for want, got in pairs if want and not got)
    tn = sum(1 for want, got in pairs if not want and not got)
    return tp, fp, fn, tn


def show(verdict: NameVerdict, expected: bool) -> str:
    state = "flagged" if verdict.flagged else "uncertain" if verdict.uncertain else "clean"
    return (
        f"  expected {'flag' if expected else 'clean'}, got {state}: {verdict.name!r} "
        f"[{verdict.reason}] matched={verdict.matched!r}"
    )


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    rows = load(path)
    checker = NameChecker()
    verdicts = [(checker.check(name), flag) for name, flag, _ in rows]

    strict = [(flag, v.flagged) for v, flag in verdicts]
    tp, fp, fn, tn = scores(strict)
    print(f"file: {path} ({len(rows)} names, {sum(f for _, f, _ in rows)} to flag)")
    print("flagged=True counted as positive; uncertain counted as not flagged:")
    print(f"  precision {ratio(tp, tp + fp)}  recall {ratio(tp, tp + fn)}")
    print(f"  tp={tp} fp={fp} fn={fn} tn={tn}")

    uncertain = [(v, flag) for v, flag in verdicts if v.uncertain]
    among_pos = sum(1 for _, flag in uncertain if flag)
    print(
        f"uncertain: {len(uncertain)} ({among_pos} of them labelled flag, "
        f"{len(uncertain) - among_pos} labelled clean)"
    )
    loose = [(flag, v.flagged or v.uncertain) for v, flag in verdicts]
    ltp, lfp, lfn, _ = scores(loose)
    print(
        f"  if uncertain counted as flagged: precision {ratio(ltp, ltp + lfp)}  "
        f"recall {ratio(ltp, ltp + lfn)}"
    )

    kinds = sorted({kind for _, _, kind in rows if kind})
    if kinds:
        print("per kind (flagged=True counted as positive):")
    for kind in kinds:
        part = [
            (flag, v.flagged)
            for (v, flag), row in zip(verdicts, rows, strict=True)
            if row[2] == kind
        ]
        ktp, kfp, kfn, _ = scores(part)
        print(
            f"  {kind}: {len(part)} names, precision {ratio(ktp, ktp + kfp)}  "
            f"recall {ratio(ktp, ktp + kfn)}  (fp={kfp} fn={kfn})"
        )

    wrong = [(v, flag) for v, flag in verdicts if v.flagged != flag]
    print(f"misclassified ({len(wrong)}):")
    for verdict, flag in wrong:
        print(show(verdict, flag))
    if uncertain:
        print("uncertain names:")
        for verdict, flag in uncertain:
            print(show(verdict, flag))

    reasons: dict[str, int] = {}
    for verdict, _ in verdicts:
        reasons[verdict.reason] = reasons.get(verdict.reason, 0) + 1
    print("reasons: " + ", ".join(f"{k}={n}" for k, n in sorted(reasons.items())))

    names = [name for name, _, _ in rows]
    repeats = -(-MIN_CHECKS // len(names))
    workload = names * repeats
    check = checker.check
    for name in names:  # warm the caches once
        check(name)
    start = time.perf_counter()
    for name in workload:
        check(name)
    elapsed = time.perf_counter() - start
    print(
        f"speed: {len(workload)} checks in {elapsed:.3f} s, single thread: "
        f"{len(workload) / elapsed:,.0f} names/s ({elapsed / len(workload) * 1e6:.2f} µs/name)"
    )
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into `head`: stop without a traceback
    raise SystemExit(exit_code(lambda: main(sys.argv)))
