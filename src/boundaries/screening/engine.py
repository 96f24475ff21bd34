"""The engine: run the detectors, map their spans to the pack's clauses, decide the verdict.

Spans of the same rule that overlap merge into one finding; spans of different rules are all
reported. Scores below the pack's ``report`` threshold are dropped, and a breach-level rule whose
score is below ``certain`` is reported as review, so that doubt goes to a person, not a verdict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from boundaries.policy import PolicyPack, Severity, load_pack
from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.registry import DETECTORS, all_rules
from boundaries.screening.result import Finding, Result, verdict_of
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

_WORD = re.compile(r"[\w'-]+")


class Screener:
    """Screens posts for one school: pack and context are compiled once, then reused."""

    def __init__(
        self,
        pack: PolicyPack | None = None,
        context: ScreeningContext | dict[str, Any] | None = None,
        settings: ScreeningSettings = DEFAULT_SETTINGS,
        detectors: Iterable[type[Detector]] = DETECTORS,
    ) -> None:
        self.pack = pack or load_pack()
        self.context = ScreeningContext.coerce(context)
        classes = tuple(detectors)
        self.rules: dict[str, Rule] = {r.code: r for cls in classes for r in cls.rules}
        self.warnings: tuple[str, ...] = tuple(unknown_rule_warnings(self.pack))
        self.enabled = {
            code for code, s in self.pack.rules.items() if s.enabled and code in self.rules
        }
        self.detectors: list[Detector] = [
            cls(self.context, settings)
            for cls in classes
            if any(rule.code in self.enabled for rule in cls.rules)
        ]

    def screen(self, text: str, id: Any = None) -> Result:
        doc = Document(text)
        spans: list[Span] = []
        for detector in self.detectors:
            spans.extend(s for s in detector.detect(doc) if s.rule in self.enabled)
        findings = self._findings(text, spans)
        return Result(
            verdict=verdict_of(findings),
            findings=findings,
            redacted=self._redact(text, findings),
            text=text,
            id=id,
            warnings=self.warnings,
        )

    def _findings(self, text: str, spans: Iterable[Span]) -> tuple[Finding, ...]:
        by_rule: dict[str, list[Span]] = defaultdict(list)
        for span in spans:
            setting = self.pack.rules[span.rule]
            threshold = (
                setting.threshold if setting.threshold is not None else self.pack.thresholds.report
            )
            if span.score >= threshold:
                by_rule[span.rule].append(span)
        findings = []
        for code, rule_spans in by_rule.items():
            rule, setting = self.rules[code], self.pack.rules[code]
            for span in merge_overlapping(rule_spans):
                severity = setting.severity
                if severity is Severity.BREACH and span.score < self.pack.thresholds.certain:
                    severity = Severity.REVIEW
                findings.append(
                    Finding(
                        rule=code,
                        clause=setting.primary_clause,
                        clauses=tuple(setting.clauses),
                        severity=severity,
                        start=span.start,
                        end=span.end,
                        evidence=text[span.start : span.end],
                        message=finding_message(rule, span.reason),
                        fix=rule.fix,
                        score=round(span.score, 3),
                        reason=span.reason,
                    )
                )
        findings.sort(key=lambda f: (f.start, -f.severity.rank, f.rule, f.end))
        return tuple(findings)

    def _redact(self, text: str, findings: tuple[Finding, ...]) -> str:
        """Replace personal data, pupils, contact details and passwords with a bracketed label."""
        ranges = sorted(
            (f.start, f.end, label)
            for f in findings
            if (label := self.rules[f.rule].redact_as) is not None
        )
        out: list[str] = []
        pos = 0
        for start, end, label in ranges:
            if start < pos:  # overlaps the previous label, which now covers both
                pos = max(pos, end)
                continue
            out.append(text[pos:start])
            out.append(f"[{label}]")
            pos = end
        out.append(text[pos:])
        return "".join(out)


def finding_message(rule: Rule, reason: str) -> str:
    """The rule's message, then the detector's reason when it says something the message
    does not ("Date of birth made public: date of birth" reads as a stutter)."""
    if not reason or set(_WORD.findall(reason.lower())) <= set(_WORD.findall(rule.message.lower())):
        return rule.message
    return f"{rule.message}: {reason}"


def merge_overlapping(spans: list[Span]) -> list[Span]:
    """Merge one rule's overlapping spans; the merged span keeps the best score and its reason."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            best = span if span.score > last.score else last
            merged[-1] = Span(
                last.rule,
                last.start,
                max(last.end, span.end),
                best.score,
                best.reason,
            )
        else:
            merged.append(span)
    return merged


def unknown_rule_warnings(pack: PolicyPack) -> list[str]:
    """Rules a pack names that this version of Boundaries does not have."""
    known = all_rules()
    return [
        f"the policy pack names rule {code}, which this version of Boundaries does not have; "
        "it is ignored"
        for code in pack.rules
        if code not in known
    ]
