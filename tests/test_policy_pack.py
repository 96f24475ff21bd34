"""The policy is data: every point of the seed policy under its id, with rules mapped to clauses."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from boundaries.policy import PolicyError, Severity, bundled_pack_path, load_pack, load_pack_text
from boundaries.screening.registry import all_rules
from tests.conftest import shared_file


def _clause_ids_from_spec() -> list[str]:
    text = shared_file("policy/clause-ids.md").read_text(encoding="utf-8")
    return re.findall(r"^\| (\d+\.\d+(?:\.\d+)?) \|", text, flags=re.M)


def test_the_bundled_pack_has_every_clause_of_the_seed_policy_in_order() -> None:
    pack = load_pack()
    assert [c.id for c in pack.clauses()] == _clause_ids_from_spec()


def test_the_bundled_pack_covers_all_thirteen_sections() -> None:
    assert [s.number for s in load_pack().sections] == list(range(1, 14))


def test_every_clause_text_is_the_policys_own_words() -> None:
    seed = " ".join(shared_file("seed/000_fded1fd6c00051cb.txt").read_text("utf-8").split())
    for clause in load_pack().clauses():
        assert " ".join(clause.text.split()) in seed, clause.id


def test_the_document_owner_is_human_resources_and_version_and_review_date_are_unset() -> None:
    pack = load_pack()
    assert pack.owner == "Human Resources Services"
    assert pack.version is None
    assert pack.review_date is None
    assert pack.review_warning() is None


def test_every_rule_in_boundaries_is_mapped_in_the_bundled_pack_and_no_other() -> None:
    assert set(load_pack().rules) == set(all_rules())


def test_clause_ids_in_findings_are_strings_never_numbers() -> None:
    for setting in load_pack().rules.values():
        assert all(isinstance(c, str) for c in setting.clauses)


def test_a_clause_lists_the_rules_that_check_it() -> None:
    checks = load_pack().rules_for_clause("7.3")
    assert set(checks) == {"PW101"}
    assert checks["PW101"].severity is Severity.BREACH


def _edition(**changes: str) -> str:
    text = bundled_pack_path().read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_a_school_edition_can_set_its_version_and_review_date() -> None:
    text = _edition(
        **{"version: null": "version: '2026.1'", "review_date: null": "review_date: 2027-09-01"}
    )
    pack = load_pack_text(text)
    assert pack.version == "2026.1"
    assert pack.review_date == dt.date(2027, 9, 1)


def test_a_review_date_that_has_passed_gives_a_warning_with_a_british_date() -> None:
    pack = load_pack_text(_edition(**{"review_date: null": "review_date: 2025-03-31"}))
    warning = pack.review_warning(today=dt.date(2026, 11, 25))
    assert warning is not None and "31/03/2025" in warning and "Human Resources" in warning
    assert pack.review_warning(today=dt.date(2025, 3, 30)) is None


def test_schema_errors_name_the_line_they_are_on() -> None:
    text = _edition(**{"    severity: review\n": "    severity: serious\n"})
    bad_line = text.splitlines().index("    severity: serious") + 1
    with pytest.raises(PolicyError) as caught:
        load_pack_text(text)
    assert [p.line for p in caught.value.problems] == [bad_line]
    assert "severity" in str(caught.value)


def test_a_rule_that_names_a_clause_not_in_the_pack_is_refused() -> None:
    text = _edition(**{'clauses: ["7.3"]': 'clauses: ["7.9"]'})
    with pytest.raises(PolicyError, match=r"7\.9"):
        load_pack_text(text)


def test_a_duplicate_clause_id_is_refused() -> None:
    text = _edition(**{'- id: "1.2"': '- id: "1.1"'})
    with pytest.raises(PolicyError, match="more than once"):
        load_pack_text(text)


def test_yaml_that_does_not_parse_names_its_line() -> None:
    with pytest.raises(PolicyError) as caught:
        load_pack_text("schema: 1\nid: [unclosed\n")
    assert caught.value.problems[0].line is not None


def test_an_unreadable_pack_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_pack(tmp_path / "missing.yaml")


def test_a_rule_given_twice_is_refused_not_silently_replaced() -> None:
    text = _edition(**{"rules:\n": "rules:\n  PW101:\n    severity: info\n    clauses: ['7.3']\n"})
    with pytest.raises(PolicyError, match="twice"):
        load_pack_text(text)


def test_an_impossible_review_date_is_a_clear_error() -> None:
    with pytest.raises(PolicyError, match="month"):
        load_pack_text(_edition(**{"review_date: null": "review_date: 2024-13-45"}))
