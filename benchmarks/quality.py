"""Detection quality: per-rule precision, recall and F1 on the labelled corpus, the false-alarm rate
on clean posts, and offensive-language figures on the Davidson et al. (ICWSM 2017) tweets.

    make quality                   # or: .venv/bin/python benchmarks/quality.py [--split test]

The corpus (``tests/corpus/``) is split: ``dev.jsonl``, ``tune.jsonl`` and ``tune2*.jsonl`` are
what detectors were tuned on; ``test.jsonl`` and ``holdout.jsonl`` were written independently and
are held out: report their figures, and never tune on them (``--mistakes`` does not print their
texts). ``holdout.jsonl`` was written after the last tuning round and had never been scored then.
Davidson: classes 0 (hate speech) and 1 (offensive) are positive. Rows whose index % 5 == 0 are the
held-out split; the rest were available for tuning. A post counts as flagged by our offensive-
language rules when OF101, OF103, HA101 or HA102 fires.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from boundaries.screening.context import ScreeningContext, read_pupils_csv
from boundaries.screening.engine import Screener
from boundaries.screening.evaluation import Tally, prf, score_corpus
from boundaries.screening.settings import ScreeningSettings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
DAVIDSON = ROOT.parent / "shared" / "data" / "davidson" / "labeled_data.csv"
UT1 = ROOT.parent / "shared" / "data" / "ut1-sample"
# The corpus school blocks gambling and dating sites (5.1), from the UT1 sample lists.
BLOCKED = ("gambling", "dating")
OFFENSIVE_RULES = {"OF101", "OF103", "HA101", "HA102"}

# Splits nobody may tune on: their texts are never printed, and their figures come last.
HELD_OUT = ("test", "holdout")

console = Console()


def corpus_screener() -> Screener:
    ctx = ScreeningContext.from_json_file(CORPUS / "context.json")
    ctx = ctx.with_pupils(read_pupils_csv(CORPUS / "pupils.csv"))
    settings = ScreeningSettings(UT1, BLOCKED) if UT1.exists() else ScreeningSettings()
    if not UT1.exists():
        console.print(f"[yellow]{UT1} is missing: LK101 (blocked links) cannot fire.[/]")
    return Screener(context=ctx, settings=settings)


def print_corpus(name: str, tally: Tally, show_mistakes: bool, only: set[str]) -> None:
    table = Table(title=f"Corpus {name}: {tally.posts} posts, {tally.clean} clean")
    for column in ("rule", "labelled", "found", "TP", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "rule" else "left")
    rules = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn))
    for rule in rules:
        tp, fp, fn = tally.tp[rule], tally.fp[rule], tally.fn[rule]
        p, r, f = prf(tp, fp, fn)
        table.add_row(rule, str(tp + fn), str(tp + fp), str(tp), f"{p:.2f}", f"{r:.2f}", f"{f:.2f}")
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    p, r, f = tally.micro()
    cells = (str(tp + fn), str(tp + fp), str(tp), f"{p:.2f}", f"{r:.2f}", f"{f:.2f}")
    table.add_row("all (micro)", *cells, style="bold")
    console.print(table)
    rate = tally.false_alarm_rate
    console.print(
        f"False-alarm rate on clean posts ({name}): {tally.false_alarms}/{tally.clean} = {rate:.1%}"
        " (verdict review or breach on a post labelled clean)"
    )
    if not show_mistakes:
        return
    for post_id, missed, extra, text in tally.mistakes:
        if only and not (only & (missed | extra)):
            continue
        console.print(f"  {post_id}: missed {sorted(missed) or '-'}, extra {sorted(extra) or '-'}")
        if name not in HELD_OUT:  # the held-out splits' texts stay unread while tuning
            console.print(f"    {text!r}", soft_wrap=True, markup=False)


def davidson() -> None:
    if not DAVIDSON.exists():
        console.print(f"[yellow]Skipping the Davidson figures: {DAVIDSON} is missing.[/]")
        return
    screener = Screener(context=None)
    counts: dict[str, Counter[str]] = {"tuning": Counter(), "held-out": Counter()}
    with DAVIDSON.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in track(rows, description="Davidson tweets", console=console, transient=True):
        split = "held-out" if int(row[""]) % 5 == 0 else "tuning"
        positive = row["class"] in {"0", "1"}
        rules = {f.rule for f in screener.screen(row["tweet"]).findings}
        flagged = bool(rules & OFFENSIVE_RULES)
        key = ("t" if flagged == positive else "f") + ("p" if flagged else "n")
        counts[split][key] += 1
    table = Table(title="Offensive language on Davidson et al. 2017 (classes 0 and 1 positive)")
    for column in ("split", "tweets", "precision", "recall", "F1", "flag rate on class 2"):
        table.add_column(column, justify="right")
    for split, c in counts.items():
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        negatives = c["fp"] + c["tn"]
        fpr = c["fp"] / negatives if negatives else 0.0
        table.add_row(split, str(sum(c.values())), f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{fpr:.1%}")
    console.print(table)
    console.print(
        "Note: alt-profanity-check (behind OF103) was trained partly on this data set, "
        "so these figures flatter it."
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    splits_here = sorted(p.stem for p in CORPUS.glob("*.jsonl"))
    parser.add_argument("--split", choices=[*splits_here, "all"], default="all")
    parser.add_argument("--mistakes", action="store_true", help="list every post scored wrongly")
    parser.add_argument("--rules", default="", help="with --mistakes: only these rule codes")
    parser.add_argument("--no-davidson", action="store_true")
    args = parser.parse_args()
    screener = corpus_screener()
    # The held-out splits last, so their figures end the report.
    by_kind = sorted(splits_here, key=lambda s: s in HELD_OUT)
    splits = by_kind if args.split == "all" else [args.split]
    for split in splits:
        if not (CORPUS / f"{split}.jsonl").exists():
            continue
        rules = {r.strip().upper() for r in args.rules.split(",") if r.strip()}
        tally = score_corpus(screener, CORPUS / f"{split}.jsonl")
        print_corpus(split, tally, args.mistakes, rules)
    if not args.no_davidson:
        davidson()
    return 0


if __name__ == "__main__":
    sys.exit(main())
