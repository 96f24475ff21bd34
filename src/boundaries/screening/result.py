"""The result of screening a post: the verdict, the findings with clause ids, the redacted text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boundaries.policy.schema import Severity


@dataclass(frozen=True)
class Finding:
    rule: str
    clause: str  # the rule's primary clause id, always a string ("6.10")
    clauses: tuple[str, ...]
    severity: Severity
    start: int  # 0-based code-point offsets into the text as given, end exclusive
    end: int
    evidence: str  # == text[start:end]
    message: str
    fix: str
    score: float = 1.0
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "clauses": list(self.clauses),
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class Result:
    verdict: str  # clear | review | breach
    findings: tuple[Finding, ...]
    redacted: str
    text: str = field(repr=False, default="")
    id: Any = None  # the caller's id (``--jsonl``); None otherwise
    warnings: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return VERDICT_EXIT[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "redacted": self.redacted,
        }


VERDICT_EXIT = {"clear": 0, "review": 1, "breach": 2}


def verdict_of(findings: tuple[Finding, ...]) -> str:
    """The worst severity; a post with only info findings is clear."""
    worst = max((f.severity.rank for f in findings), default=0)
    return {0: "clear", 1: "review", 2: "breach"}[worst]
