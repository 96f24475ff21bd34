"""Every rule documents itself, Ruff-style, and its documentation is true: the example breaks the
rule and the fixed post does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from boundaries.policy import load_pack
from boundaries.screening.context import Pupil, ScreeningContext, read_pupils_csv
from boundaries.screening.docs import rule_page
from boundaries.screening.engine import Screener
from boundaries.screening.registry import all_rules, text_rules
from boundaries.screening.settings import ScreeningSettings

HERE = Path(__file__).resolve().parent
EXTRA_PUPILS = (Pupil(forename="Amy", surname="Clarke", year_group="Year 11"),)


@pytest.fixture(scope="module")
def screener() -> Screener:
    ctx = ScreeningContext.from_json_file(HERE / "corpus" / "context.json")
    ctx = ctx.with_pupils(read_pupils_csv(HERE / "corpus" / "pupils.csv") + EXTRA_PUPILS)
    lists = ScreeningSettings(HERE / "fixtures" / "blocklists", ("gambling", "dating"))
    return Screener(context=ctx, settings=lists)


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_every_rule_has_all_four_parts_and_a_fix(code: str) -> None:
    page = rule_page(load_pack(), code)
    for part in ("message", "what", "example", "instead", "fix"):
        assert page[part].strip(), f"{code} has no {part}"
    assert page["why"], f"{code} cites no clause"


# Image rules' examples are pictures described in words; tests/test_images_*.py check them.
@pytest.mark.parametrize("code", sorted(text_rules()))
def test_a_rules_example_breaks_it_and_the_fixed_post_does_not(
    screener: Screener, code: str
) -> None:
    rule = all_rules()[code]
    assert code in {f.rule for f in screener.screen(rule.example).findings}, rule.example
    assert code not in {f.rule for f in screener.screen(rule.instead).findings}, rule.instead
