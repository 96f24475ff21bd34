"""The engine maps detector spans to the pack's clauses, merges, thresholds and decides the verdict.

These tests drive the engine with small stand-in detectors so that each engine rule is tested on its
own, whatever the real detectors find.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from boundaries.policy import PolicyPack, load_pack
from boundaries.policy.schema import RuleSetting, Severity
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.engine import Screener, finding_message
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule

PHONE = Rule("PD101", "phone", "A phone number", "w", "e", "i", "Remove it", redact_as="PHONE")
SWEAR = Rule("OF101", "swear", "Strong language", "w", "e", "i", "Reword it")
MILD = Rule("OF102", "mild", "Mild language", "w", "e", "i", "Consider rewording")


class Marks(Detector):
    """Reports every ``<CODE:score>word`` marker in the text as a span over ``word``."""

    rules: ClassVar[tuple[Rule, ...]] = (PHONE, SWEAR, MILD)

    def detect(self, doc: Document) -> Iterable[Span]:
        for m in re.finditer(r"<(\w+):([\d.]+)>(\w+)", doc.text):
            yield self.span(m[1], m.start(3), m.end(3), float(m[2]), f"marked {m[3]}", doc)


class Overlapping(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (PHONE, SWEAR)

    def detect(self, doc: Document) -> Iterable[Span]:
        yield self.span("PD101", 0, 5, 0.9, "first", doc)
        yield self.span("PD101", 3, 9, 0.95, "second", doc)
        yield self.span("OF101", 2, 6, 0.9, "swear", doc)


def _screener(pack: PolicyPack | None = None, detector: type[Detector] = Marks) -> Screener:
    return Screener(pack or load_pack(), detectors=[detector])


def _with_rule(**settings: RuleSetting) -> PolicyPack:
    pack = load_pack()
    return pack.model_copy(update={"rules": {**pack.rules, **settings}})


def test_a_finding_names_the_rules_primary_clause_and_every_clause_it_supports() -> None:
    result = _screener().screen("ring <PD101:0.9>me")
    (finding,) = result.findings
    assert finding.clause == "6.6"
    assert finding.clauses == ("6.6", "6.9", "5.3.3")
    assert finding.to_dict()["clause"] == "6.6"


def test_the_same_rules_overlapping_spans_merge_into_one_finding() -> None:
    result = _screener(detector=Overlapping).screen("0123456789")
    phones = [f for f in result.findings if f.rule == "PD101"]
    assert [(f.start, f.end) for f in phones] == [(0, 9)]
    assert phones[0].reason == "second"


def test_overlapping_spans_of_different_rules_are_all_reported() -> None:
    result = _screener(detector=Overlapping).screen("0123456789")
    assert {f.rule for f in result.findings} == {"PD101", "OF101"}


def test_a_span_below_the_report_threshold_is_dropped() -> None:
    assert _screener().screen("<OF101:0.3>word").findings == ()


def test_a_doubtful_breach_is_reported_as_review() -> None:
    result = _screener().screen("<OF101:0.6>word")
    assert result.findings[0].severity is Severity.REVIEW
    assert result.verdict == "review"


def test_a_confident_breach_makes_the_verdict_breach() -> None:
    result = _screener().screen("<OF102:0.9>darn and <OF101:0.9>word")
    assert result.verdict == "breach"
    assert result.exit_code == 2


def test_info_findings_alone_leave_the_verdict_clear() -> None:
    result = _screener().screen("<OF102:0.9>darn")
    assert [f.severity for f in result.findings] == [Severity.INFO]
    assert result.verdict == "clear"
    assert result.exit_code == 0


def test_a_school_can_turn_a_rule_off_in_its_pack() -> None:
    pack = _with_rule(OF101=RuleSetting(severity=Severity.BREACH, clauses=["6.21"], enabled=False))
    assert _screener(pack).screen("<OF101:0.99>word").findings == ()


def test_a_school_can_change_a_rules_severity_in_its_pack() -> None:
    pack = _with_rule(OF102=RuleSetting(severity=Severity.REVIEW, clauses=["6.21"]))
    assert _screener(pack).screen("<OF102:0.9>darn").verdict == "review"


def test_a_rules_own_threshold_overrides_the_packs() -> None:
    pack = _with_rule(OF101=RuleSetting(severity=Severity.BREACH, clauses=["6.21"], threshold=0.95))
    assert _screener(pack).screen("<OF101:0.9>word").findings == ()


def test_personal_data_is_redacted_with_a_label_and_language_is_not() -> None:
    result = _screener().screen("call <PD101:0.9>Dave or <OF101:0.9>word")
    assert result.redacted == "call <PD101:0.9>[PHONE] or <OF101:0.9>word"


def test_the_result_dictionary_has_exactly_the_documented_keys() -> None:
    data = _screener().screen("<PD101:0.9>me").to_dict()
    assert list(data) == ["id", "verdict", "findings", "redacted"]
    assert data["id"] is None
    assert list(data["findings"][0]) == [
        "rule", "clause", "clauses", "severity", "start", "end", "evidence", "message", "fix",
    ]  # fmt: skip


def test_a_clean_post_is_clear_with_nothing_redacted() -> None:
    result = _screener().screen("Lovely day")
    assert (result.verdict, result.findings, result.redacted) == ("clear", (), "Lovely day")


def test_a_reason_that_only_repeats_the_rules_message_is_left_out() -> None:
    assert finding_message(PHONE, "a phone number") == "A phone number"
    assert finding_message(PHONE, "UK mobile number") == "A phone number: UK mobile number"
    assert finding_message(PHONE, "") == "A phone number"


def test_a_hashed_context_equals_a_fresh_copy_so_its_screener_is_reused() -> None:
    from boundaries.screening.context import Pupil, ScreeningContext

    first = ScreeningContext(pupils=(Pupil(forename="Ann", surname="Lee"),))
    hash(first)
    again = ScreeningContext(pupils=(Pupil(forename="Ann", surname="Lee"),))
    assert first == again
    assert first != ScreeningContext(pupils=(Pupil(forename="Ann", surname="Leigh"),))
