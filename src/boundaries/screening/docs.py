"""Rule documentation, generated from one definition: the rule in code plus its setting in the pack.

``boundaries rules`` and (later) the web page about each rule both read these pages, so a rule is
documented once. *Why it matters* is the policy's own text for each clause the rule supports.
"""

from __future__ import annotations

from typing import Any

from boundaries.policy import PolicyPack
from boundaries.screening.registry import all_rules


def rule_page(pack: PolicyPack, code: str) -> dict[str, Any]:
    rule = all_rules()[code]
    setting = pack.rules.get(code)
    why = []
    if setting is not None:
        for clause_id in setting.clauses:
            clause = pack.clause(clause_id)
            why.append({"id": clause.id, "title": clause.title, "text": clause.text})
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "message": rule.message,
        "severity": setting.severity.value if setting else None,
        "enabled": bool(setting and setting.enabled),
        "clause": setting.primary_clause if setting else None,
        "clauses": list(setting.clauses) if setting else [],
        "what": rule.what,
        "why": why,
        "example": rule.example,
        "instead": rule.instead,
        "fix": rule.fix,
        "redacts": rule.redact_as,
    }


def rule_pages(pack: PolicyPack) -> dict[str, dict[str, Any]]:
    return {code: rule_page(pack, code) for code in all_rules()}
