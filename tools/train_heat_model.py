"""Train the heat rule's learned signal and write compass_bot/features/heat/data/heat_model.json.

Run after any change to the labelled transcripts it names (TRAINING_SETS) or to the code the
features depend on (rules_model.CODE_FILES):

    .venv/bin/python tools/train_heat_model.py

Offline, numpy (not needed at run time: the bot scores with pure Python over the weights),
deterministic, a few seconds. A logistic regression with L2 by full-batch gradient descent
(Adam). Labels: in a heated transcript the messages from `turns_at` on are hostile, the ones
before are not (an earnest request to stop after the turn too: `objections`); every message of
a calm or banter transcript is not (banter is the negative that matters). `mode="window"` labels the mean features of the last `window` messages
instead. The threshold and the aggregation were chosen by `benchmarks/heat.py --loso`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from compass_bot.features.heat.rules_model import (  # noqa: E402
    MODEL_FILE,
    OFF,
    HeatModel,
    code_fingerprint,
    fingerprint,
    text_features,
)
from compass_bot.features.heat.rules_signals import PostSignals  # noqa: E402
from compass_bot.features.heat.rules_transcript import (  # noqa: E402
    Message,
    TranscriptError,
    parse_message,
    transcript_posts,
)
from compass_bot.features.heat.rules_window import HeatSettings, arrival_context  # noqa: E402

DATA_DIR = PROJECT / "tests" / "data"
TRAINING_SETS = (
    "heat_dev.jsonl",
    "heat_blind1.jsonl",
    "heat_blind2.jsonl",
    "heat_blind3.jsonl",
    "heat_blind4.jsonl",
    "heat_blind5.jsonl",
    "heat_blind6.jsonl",
    "heat_blind7.jsonl",
    "heat_blind8.jsonl",
    "heat_blind9.jsonl",
    "heat_blind10.jsonl",
    "heat_blind11.jsonl",
    "heat_blind12.jsonl",
    "heat_blind13.jsonl",
    "heat_blind14.jsonl",
    "heat_blind15.jsonl",
    "heat_blind16.jsonl",
    "heat_blind17.jsonl",
    "heat_blind18.jsonl",
    "heat_blind19.jsonl",
    "heat_blind20.jsonl",
    "heat_blind21.jsonl",
    "heat_blind22.jsonl",
    "heat_blind23.jsonl",
    "heat_blind24.jsonl",
    "heat_blind25.jsonl",
    "heat_blind26.jsonl",
    "heat_blind27.jsonl",
    "heat_blind28.jsonl",
    "heat_blind29.jsonl",
    "heat_blind30.jsonl",
    "heat_blind31.jsonl",
    "heat_blind32.jsonl",
    "heat_blind33.jsonl",
    "heat_blind34.jsonl",
    "heat_blind35.jsonl",
    "heat_blind36.jsonl",
    "heat_blind37.jsonl",
    "heat_blind38.jsonl",
)
"""Named, not globbed: a new held-out set in tests/data/ is measured before anyone trains on it."""


@dataclass(frozen=True, slots=True)
class TrainSettings:
    # chosen by `benchmarks/heat.py --loso` over the sets (summed, never one set): the
    # mean features of the last messages beat the per-message label with a top-2 aggregate.
    # Over eight sets (heat_blind7 added): window 3, l2 7, objections calm, threshold 0.85:
    # 77.8% in time, 4.7% calm+banter nudged (heat_blind8, held out: 68.6%, 0/35), against
    # 77.4%, 5.1% (65.7%, 1/35) for l2 10, objections as the fight, 0.88. Window 4 with l2 3
    # reached 80-82%, but its plain short posts score so high that a fast crowd of twelve
    # students is nudged (test_fakediscord_ratelimit), and with objections as the fight "ok
    # sorry", "laat maar" after a nudge read as heat (a slowmode when the fight had stopped);
    # l2 1-2 nudged banter more; leaving the fight long after the turn or the build-up before
    # it out of the labels did not help.
    # Over nine sets (heat9): objections as the fight, assist 0.7, with the rule's guards (the
    # model never nudges one member alone; an objection after the nudge never counts towards
    # the slowmode) and more ways to ask to stop in the lexicon: 84.4% in time, 4.5%
    # calm+banter, against 77.7%, 4.2% (objections calm, no assist). An objection after the
    # turn is the surest sign the discussion is unpleasant; labelled calm, the model learned
    # the opposite. Window 2 or 4, l2 5 or 12, assist 0.6 nudged more calm or caught fewer.
    # Over ten sets (heat10, heat_blind9 added; settings unchanged): 86.2% in time, 4.6% ->
    # 4.3% calm+banter with a member hit who took an earlier remark laughing read as banter.
    # Not kept: the same reading in the learned guard (fewer banter nudges, 9 heated lost: a
    # laugh after a jab is often nervous), and no learned raise for hot posts between separate
    # pairs of members (one calm fixed, one heated late: the flow misreads who answers whom).
    # Over 19 sets (heat29: heat_blind17, heat_blind18 added; the rule's nudge_threshold 60,
    # rules_window.HeatSettings, and threats with a time or place weighing more): l2 4 with
    # threshold 0.8: 82.7% in time, 4.7% calm+banter nudged (0.75: 83.0%, 5.2%), against
    # 82.6%, 7.4% for l2 7, 0.7 at nudge_threshold 50 before the round. l2 3 or 7 were worse at
    # every nudge threshold (65: 82.2% / 5.2%, 82.1% / 4.5% against 82.9% / 4.9% for l2 4).
    # Not kept: third-person mockery in the lexicon ("hij klinkt als een ...", "ze ziet er zo
    # wanhopig uit" as scorn): 82.9% / 4.9%, the same within one transcript, at 3% more cost
    # per post (anchored on "hij", "ze", "die"); friends film and compare each other too.
    # Over 20 sets (heat30: heat_blind19 added; settings unchanged): 83.2% in time, 5.5%
    # calm+banter nudged; 83.5% / 4.7% with the rule's wait for the answer to a lone rough line
    # (rules_window.HeatSettings.confirm_level) and the eased evidence for a mocked member.
    # Over 23 sets (heat31: heat_blind20-22 added; settings unchanged): 82.2% in time, 5.1%
    # calm+banter nudged before the round's lexicon, 83.1% / 5.1% after it. l2 3: 83.3% / 5.5%,
    # l2 6: 82.2% / 5.0%; alone 0.8: 83.1% / 6.2%; positive weight 1.3: 83.7% / 5.6% at 0.85,
    # 81.6% / 4.4% at 0.9; none better on both.
    # Over 29 sets (heat33: heat_blind23-28 added), judged by LOSO and by the split that holds
    # out the six newest sets together (`benchmarks/heat.py --split`: trained on dev+1-22, one
    # writer's style cannot leak in from another set of the same group). Before: LOSO 82.5% in
    # time, 6.2% calm+banter nudged; split 74.3% / 11.9%. min_sets 3 (a word feature must occur
    # in three sets): LOSO 83.3% / 6.2%, split 74.8% / 11.9%; min_sets 2, 4 or 5 no better.
    # On the split every other knob moves along the same line (more in time, more nudged):
    # l2 2: 75.2% / 11.9%, 8: 68.1% / 10.5%; word_l2 2: 68.6% / 11.0%; banter_weight 2: 71.4%
    # / 10.0%; alone 0.8: 75.2% / 12.4%; window 2 or 4, min_count 3 or 5, dropping a family
    # (c:, b:, w:) worse. Threshold 0.85: LOSO 83.0% / 5.9%, split 74.3% / 11.4%.
    # Then 'ik vermoord je' (hyperbole: in all 29 sets only in banter or calm) down to a weak
    # threat and 'skill issue' to scorn: LOSO 83.3% / 5.6%, split 74.8% / 10.0% (the lexicon
    # alone: 2.7% of calm+banter nudged over the 29 sets, 3.4% before).
    # Over 33 sets (heat35: heat_blind29-32 added; split = 27-32 held out): LOSO 83.3% / 5.4%,
    # split 147 / 21 of 210. Not kept: weighing a heated turn's first six posts 1.5-3x (split
    # 155 / 26 .. 173 / 32: the same line as a lower threshold; 149 / 25 at 0.85 / 0.9); a
    # third-person pronoun and its laugh as features (split 149 / 22, LOSO 924 / 63); telling
    # the one who objects it was only a joke or that they are too sensitive as dismissive words
    # (rule alone LOSO 273 -> 277 in time, 33 nudged either way; with the model 924 / 62,
    # split unchanged: the model already reads those lines, mostly after the nudge was due).
    mode: str = "window"
    window: int = 3
    top: int = 2
    # the lowest evidence that counts (beside worded heat half-way or a mocked member; it was
    # called `assist`), and the evidence that suffices alone (it was called `threshold`)
    threshold: float = 0.8
    alone: float = 0.85
    l2: float = 4.0
    iterations: int = 300
    learning_rate: float = 0.05
    min_count: int = 2
    positive_weight: float = 1.0
    keep_above: float = 0.005
    drop: tuple[str, ...] = ()  # feature families left out (name prefixes, e.g. "c:")
    # the L2 of the word families (words, word pairs, letter grams: a writer's own style) as a
    # multiple of `l2`; the rest (the lexicon's reading, emoji, laughter, who addresses whom)
    # carries across writers and keeps `l2`
    word_l2: float = 1.0
    # a word feature counts only when it occurs in this many training sets (writers): a word
    # one writer alone uses is their style, not how a discussion turns
    min_sets: int = 3
    # the weight of a banter transcript's posts against the rest (rough words between friends:
    # the negative that matters)
    banter_weight: float = 1.0
    # a post that asks to stop ("doe normaal", "laat maar"), without hostile words or a laugh:
    # "fight" labels it by turns_at like the rest, "calm" labels it calm, "skip" leaves it out
    # of training (it is the cooling the rule wants, but it comes with a fight: labelled with
    # it, the model learns that one member pleading is a sign; the slowmode never counts it)
    objections: str = "fight"


DEFAULT = TrainSettings()
_WORD_FAMILIES = ("w:", "b:", "c:")
Transcript = tuple[str, int | None, list[Message]]


def load(path: Path) -> list[Transcript]:
    """(label, turns_at, messages) per transcript line; a bad line is one message and exit 2."""
    out: list[Transcript] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            messages: list[Message] = []
            for index, obj in enumerate(doc["messages"]):
                previous = messages[-1].at if messages else None
                messages.append(parse_message(obj, index, previous))
            out.append((str(doc["label"]), doc.get("turns_at"), messages))
        except (json.JSONDecodeError, KeyError, TypeError, TranscriptError) as exc:
            raise SystemExit(f"{path}:{number}: {type(exc).__name__}: {exc}") from None
    return out


def rows_of(
    transcripts: Sequence[Transcript], settings: TrainSettings = DEFAULT
) -> list[tuple[dict[str, float], int]]:
    """(features, hostile) per message, each read as the bot reads it on arrival."""
    heat = HeatSettings()
    rows: list[tuple[dict[str, float], int]] = []
    for label, turns_at, messages in transcripts:
        posts = transcript_posts(messages, OFF)
        feats: list[dict[str, float]] = []
        for i, (message, post) in enumerate(zip(messages, posts, strict=True)):
            start = post.at - heat.window
            previous = [p for p in posts[max(0, i - heat.window_posts + 1) : i] if p.at >= start]
            f = text_features(message.text, post.signals)
            f.update(arrival_context(post, previous))
            feats.append(f)
            hostile = int(label == "heated" and turns_at is not None and i >= turns_at)
            if settings.objections != "fight" and _asks_to_stop(post.signals):
                if settings.objections == "skip":
                    continue
                hostile = 0
            if settings.mode == "window":
                last = feats[-settings.window :]
                mean: dict[str, float] = {}
                for one in last:
                    for k, v in one.items():
                        mean[k] = mean.get(k, 0.0) + v / len(last)
                rows.append((mean, hostile))
            else:
                rows.append((f, hostile))
    return rows


def _asks_to_stop(signals: PostSignals) -> bool:
    """An earnest objection: asks to stop, in words, with no hostile wording and no laugh."""
    return signals.protests and not signals.hostile and not signals.laugh


def fit(
    rows: Sequence[tuple[dict[str, float], int]],
    settings: TrainSettings,
    shared: frozenset[str] | None = None,
    row_weights: Sequence[float] | None = None,
) -> dict[str, float]:
    """Weighted logistic regression with L2 (not on the bias), Adam over the full batch.
    `shared`: the word features to keep (the others are one writer's style)."""
    counts: dict[str, int] = {}
    for f, _ in rows:
        for k in f:
            counts[k] = counts.get(k, 0) + 1
    names = sorted(
        k
        for k, c in counts.items()
        if c >= settings.min_count
        and not k.startswith(settings.drop or ("\0",))
        and (shared is None or k in shared or not k.startswith(_WORD_FAMILIES))
    )
    col = {k: j for j, k in enumerate(names)}
    r_idx: list[int] = []
    c_idx: list[int] = []
    vals: list[float] = []
    for i, (f, _) in enumerate(rows):
        for k, v in f.items():
            j = col.get(k)
            if j is not None:
                r_idx.append(i)
                c_idx.append(j)
                vals.append(v)
    rr, cc, vv = np.array(r_idx), np.array(c_idx), np.array(vals)
    y = np.array([label for _, label in rows], dtype=float)
    sample = np.where(y > 0, settings.positive_weight, 1.0)
    if row_weights is not None:
        sample = sample * np.array(row_weights, dtype=float)
    sample /= sample.sum()
    n, d = len(rows), len(names)
    w = np.zeros(d)
    penalty = np.full(d, settings.l2 / n)
    for k, j in col.items():
        if k.startswith(_WORD_FAMILIES):
            penalty[j] *= settings.word_l2
    if "bias" in col:
        penalty[col["bias"]] = 0.0
    m = np.zeros(d)
    v2 = np.zeros(d)
    b1, b2 = 0.9, 0.999
    for t in range(1, settings.iterations + 1):
        z = np.bincount(rr, weights=vv * w[cc], minlength=n)
        p = 1.0 / (1.0 + np.exp(-z))
        g_rows = (p - y) * sample
        grad = np.bincount(cc, weights=vv * g_rows[rr], minlength=d) + penalty * w
        m = b1 * m + (1 - b1) * grad
        v2 = b2 * v2 + (1 - b2) * grad * grad
        step = m / (1 - b1**t) / (np.sqrt(v2 / (1 - b2**t)) + 1e-8)
        w -= settings.learning_rate * step
    return {k: float(w[j]) for k, j in col.items() if abs(w[j]) >= settings.keep_above}


def train(paths: Sequence[Path], settings: TrainSettings = DEFAULT) -> HeatModel:
    rows: list[tuple[dict[str, float], int]] = []
    row_weights: list[float] = []
    seen: dict[str, int] = {}  # per word feature, in how many sets (writers) it occurs
    for path in paths:
        own: list[tuple[dict[str, float], int]] = []
        for transcript in load(path):
            mine = rows_of([transcript], settings)
            weight = settings.banter_weight if transcript[0] == "banter" else 1.0
            row_weights += [weight] * len(mine)
            own += mine
        rows += own
        for name in {k for f, _ in own for k in f if k.startswith(_WORD_FAMILIES)}:
            seen[name] = seen.get(name, 0) + 1
    shared = frozenset(k for k, n in seen.items() if n >= settings.min_sets)
    weights = fit(rows, settings, shared if settings.min_sets > 1 else None, row_weights)
    return HeatModel(
        weights,
        settings.mode,
        settings.window,
        settings.top,
        settings.threshold,
        settings.alone,
    )


def data_fingerprint(paths: Sequence[Path], settings: TrainSettings = DEFAULT) -> str:
    """The transcripts, the training settings and the rule's window (the context features are
    read from the posts the window holds on arrival)."""
    return fingerprint(paths, f"{settings} {HeatSettings()}")


def training_paths() -> list[Path]:
    return [DATA_DIR / name for name in TRAINING_SETS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    start = time.perf_counter()
    paths = training_paths()
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    model = train(paths, DEFAULT)
    model.save(args.output, code_fingerprint(), data_fingerprint(paths), TRAINING_SETS)
    size = args.output.stat().st_size // 1024
    took = time.perf_counter() - start
    print(f"{args.output}: {len(model.weights)} weights, {size} KiB, {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
