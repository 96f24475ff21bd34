"""The example posts that ``make run`` screens give the verdicts a reader would expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundaries.screening.context import ScreeningContext, read_pupils_csv
from boundaries.screening.engine import Screener

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = {
    "ex-01": ("clear", set()),
    "ex-02": ("clear", set()),  # "Will you", "the roses": a pupil called Will, and one called Rose
    "ex-03": ("breach", {"PU101"}),
    "ex-04": ("breach", {"OC101"}),
    "ex-05": ("breach", {"CF101"}),
    "ex-06": ("clear", set()),  # Harry Styles, though a pupil is called Harry
    "ex-08": ("breach", {"OF101"}),
    "ex-09": ("breach", {"PC102", "PC103"}),
    "ex-10": ("review", {"PD101"}),
    "ex-11": ("clear", {"OF102"}),  # mild language is information only
}


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[str, set[str]]]:
    ctx = ScreeningContext.from_json_file(EXAMPLES / "context.json")
    screener = Screener(context=ctx.with_pupils(read_pupils_csv(EXAMPLES / "pupils.csv")))
    out = {}
    for line in (EXAMPLES / "posts.jsonl").read_text(encoding="utf-8").splitlines():
        post = json.loads(line)
        result = screener.screen(post["text"], id=post["id"])
        out[post["id"]] = (result.verdict, {f.rule for f in result.findings})
    return out


@pytest.mark.parametrize("post_id", sorted(EXPECTED))
def test_example_post_gets_the_expected_verdict_and_rules(
    results: dict[str, tuple[str, set[str]]], post_id: str
) -> None:
    verdict, rules = EXPECTED[post_id]
    assert results[post_id][0] == verdict
    assert rules <= results[post_id][1]


def test_criticising_the_head_and_venting_goes_to_review(
    results: dict[str, tuple[str, set[str]]],
) -> None:
    verdict, rules = results["ex-07"]
    assert verdict in {"review", "breach"}
    assert rules & {"EM101", "VE101", "HA101"}
