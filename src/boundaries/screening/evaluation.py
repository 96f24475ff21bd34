"""Scoring the screening against labelled posts: per-rule precision and recall, false alarms.

Used by ``benchmarks/quality.py`` (the figures in reports) and by the regression test that keeps
them from slipping, so both count the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from boundaries.screening.engine import Screener


@dataclass
class Tally:
    """Post-level counts: a rule is found in a post or not, whatever its spans."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    clean: int = 0  # posts labelled with no rule
    false_alarms: int = 0  # clean posts whose verdict is review or breach
    posts: int = 0
    mistakes: list[tuple[str, set[str], set[str], str]] = field(default_factory=list)

    def micro(self) -> tuple[float, float, float]:
        return prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_corpus(screener: Screener, path: Path) -> Tally:
    """Screen every post of a JSON-lines corpus (``id``, ``text``, ``labels``) and count."""
    tally = Tally()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        post = json.loads(line)
        expected = set(post["labels"])
        result = screener.screen(post["text"])
        found = {f.rule for f in result.findings}
        tally.posts += 1
        for rule in found & expected:
            tally.tp[rule] += 1
        for rule in found - expected:
            tally.fp[rule] += 1
        for rule in expected - found:
            tally.fn[rule] += 1
        if not expected:
            tally.clean += 1
            tally.false_alarms += result.verdict != "clear"
        if found != expected:
            tally.mistakes.append((post["id"], expected - found, found - expected, post["text"]))
    return tally
