"""Spans always point into the text the user wrote, whatever normalisation did to it.

Invisible characters change nothing a reader sees, so a post with zero-width spaces sprinkled
through it must give the same findings, over the same visible text, as the post without them.
Run over the labelled corpus through every real detector.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundaries.screening.context import ScreeningContext, read_pupils_csv
from boundaries.screening.engine import Screener

CORPUS = Path(__file__).resolve().parent / "corpus"
INVISIBLE = ("\u200b", "\u00ad", "\ufeff", "\u200d")


@pytest.fixture(scope="module")
def screener() -> Screener:
    ctx = ScreeningContext.from_json_file(CORPUS / "context.json")
    return Screener(context=ctx.with_pupils(read_pupils_csv(CORPUS / "pupils.csv")))


def _posts() -> list[str]:
    lines = (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


def _sprinkle(text: str, step: int, char: str) -> str:
    return "".join(c + char if i % step == step - 1 else c for i, c in enumerate(text))


def _visible(text: str) -> str:
    for char in INVISIBLE:
        text = text.replace(char, "")
    return text


@pytest.mark.parametrize(("step", "char"), [(7, "\u200b"), (3, "\u00ad"), (11, "\ufeff")])
def test_invisible_characters_change_no_finding_and_no_evidence(
    screener: Screener, step: int, char: str
) -> None:
    for text in _posts():
        plain = screener.screen(text)
        sprinkled = _sprinkle(text, step, char)
        disguised = screener.screen(sprinkled)
        expected = sorted((f.rule, _visible(f.evidence)) for f in plain.findings)
        found = sorted((f.rule, _visible(f.evidence)) for f in disguised.findings)
        assert found == expected, text
        for f in disguised.findings:
            assert sprinkled[f.start : f.end] == f.evidence
            assert not f.evidence.startswith(char) or f.start == 0
