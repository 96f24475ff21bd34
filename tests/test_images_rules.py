"""The image rules document themselves like the text rules, and the pack maps each to clauses."""

from __future__ import annotations

import pytest

from boundaries.policy import Severity, load_pack
from boundaries.screening.registry import DETECTORS
from boundaries.screening.rules import IMAGE_RULES

CODES = [rule.code for rule in IMAGE_RULES]


@pytest.mark.parametrize("rule", IMAGE_RULES, ids=CODES)
def test_every_image_rule_has_all_four_parts_and_a_fix(rule: object) -> None:
    for part in ("message", "what", "example", "instead", "fix"):
        assert str(getattr(rule, part)).strip(), part


def test_image_rule_codes_are_in_the_images_family_and_clash_with_no_text_rule() -> None:
    text_codes = {r.code for cls in DETECTORS for r in cls.rules}
    assert len(set(CODES)) == len(CODES)
    assert not text_codes & set(CODES)
    assert all(rule.family == "images" for rule in IMAGE_RULES)


def test_the_bundled_pack_maps_every_image_rule_to_clauses_with_text() -> None:
    pack = load_pack()
    for code in CODES:
        setting = pack.rules[code]
        for clause_id in setting.clauses:
            assert pack.clause(clause_id).text


def test_photographs_of_pupils_are_a_breach_of_6_15_and_the_badge_cites_6_1_and_6_2() -> None:
    rules = load_pack().rules
    assert rules["IM101"].primary_clause == "6.15"
    assert rules["IM101"].severity is Severity.BREACH
    assert rules["IM102"].severity is Severity.REVIEW
    assert set(rules["IM103"].clauses) == {"6.1", "6.2"}
    assert rules["IM105"].severity is Severity.INFO
