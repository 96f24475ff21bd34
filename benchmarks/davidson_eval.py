"""How the language detectors do on the Davidson et al. (ICWSM 2017) tweets.

CONTENT WARNING: the data set is racist, sexist, homophobic and obscene, as collected.

A tweet counts as flagged when OF101, OF103, HA101 or HA102 reports a span at the pack's report
threshold (score >= 0.5); it is offensive when its majority class is 0 (hate speech) or 1
(offensive language). Printed: precision, recall and F1 of that, and how often each rule fires
on class 2 (neither), on one split:

* ``--split heldout`` (default): rows whose index % 5 == 0. Nothing was tuned on these.
* ``--split tune``: the other rows, on which OF103's threshold was chosen
  (``--sweep`` prints OF103's extra precision and recall at several thresholds).

alt-profanity-check was trained partly on this set, so OF103's figures here flatter it. Tweets
are far cruder than staff posts: these figures show recall on real abuse and regressions, not
the false-alarm rate on a school's posts.

    python benchmarks/davidson_eval.py [--csv PATH] [--split heldout|tune] [--sweep]
"""

from __future__ import annotations

import argparse
import csv
import html
import sys
import time
from collections import Counter
from pathlib import Path

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors import offensive
from boundaries.screening.detectors.base import Detector
from boundaries.screening.detectors.harassment import HarassmentDetector
from boundaries.screening.detectors.offensive import OffensiveDetector
from boundaries.screening.normalise import Document

DEFAULT_CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "davidson" / "labeled_data.csv"
)
RULES = ("OF101", "OF103", "HA101", "HA102")
REPORT = 0.5


def read_rows(path: Path, split: str) -> list[tuple[str, bool]]:
    """(tweet, offensive?) for the rows of ``split``."""
    rows: list[tuple[str, bool]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            index = int(row[""])
            held_out = index % 5 == 0
            if held_out != (split == "heldout"):
                continue
            rows.append((html.unescape(row["tweet"]), row["class"] in ("0", "1")))
    return rows


def rules_fired(detectors: list[Detector], text: str) -> dict[str, float]:
    """Each rule's best score on ``text``."""
    doc = Document(text)
    best: dict[str, float] = {}
    for detector in detectors:
        for span in detector.detect(doc):
            if span.rule in RULES:
                best[span.rule] = max(best.get(span.rule, 0.0), span.score)
    return best


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(rows: list[tuple[str, bool]]) -> dict[str, float]:
    context = ScreeningContext()
    detectors: list[Detector] = [OffensiveDetector(context), HarassmentDetector(context)]
    tp = fp = fn = negatives = 0
    on_negatives: Counter[str] = Counter()
    start = time.perf_counter()
    for text, positive in rows:
        fired = {r for r, s in rules_fired(detectors, text).items() if s >= REPORT}
        flagged = bool(fired)
        tp += flagged and positive
        fp += flagged and not positive
        fn += positive and not flagged
        if not positive:
            negatives += 1
            on_negatives.update(fired)
    elapsed = time.perf_counter() - start
    p, r, f = prf(tp, fp, fn)
    result = {"rows": len(rows), "precision": p, "recall": r, "f1": f}
    for rule in RULES:
        result[f"{rule} on class 2"] = on_negatives[rule] / negatives if negatives else 0.0
    result["us per tweet"] = elapsed / len(rows) * 1e6 if rows else 0.0
    return result


def sweep(rows: list[tuple[str, bool]]) -> None:
    """OF103's extra hits (tweets no other rule flags) at several thresholds."""
    floor = 0.5
    offensive.OF103_THRESHOLD = floor
    context = ScreeningContext()
    detectors: list[Detector] = [OffensiveDetector(context), HarassmentDetector(context)]
    probs: list[tuple[float, bool]] = []  # OF103 probability of tweets only OF103 flags
    for text, positive in rows:
        best = rules_fired(detectors, text)
        others = any(best.get(r, 0.0) >= REPORT for r in RULES if r != "OF103")
        if others or "OF103" not in best:
            continue
        prob = floor + (best["OF103"] - 0.5) / 0.3 * (1.0 - floor)  # undo the score mapping
        probs.append((prob, positive))
    print("threshold  extra_hits  precision")
    for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99):
        hits = [pos for p, pos in probs if p >= threshold]
        precision = sum(hits) / len(hits) if hits else 0.0
        print(f"{threshold:9.2f}  {len(hits):10d}  {precision:9.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--split", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--sweep", action="store_true", help="OF103 thresholds (tune split only)")
    args = parser.parse_args(argv)
    if not args.csv.exists():
        print(f"no Davidson data at {args.csv}; skipped", file=sys.stderr)
        return 0
    rows = read_rows(args.csv, args.split)
    if args.sweep:
        if args.split != "tune":
            parser.error("--sweep tunes: use it with --split tune only")
        sweep(rows)
        return 0
    result = evaluate(rows)
    print(
        f"Davidson {args.split} split ({result.pop('rows'):.0f} tweets), OF101|OF103|HA101|HA102:"
    )
    for key, value in result.items():
        print(f"  {key:>16}: {value:.3f}" if key != "us per tweet" else f"  {key:>16}: {value:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
