"""The policy pack schema: clauses with ids and full text, document metadata, rule settings.

A pack is the school's edition of its social media policy. Clause ids follow
``shared/policy/clause-ids.md`` (``S.N``, and ``5.3.N`` for the seven things content must not do).
Rules are mapped to clauses here, not in code, so that a school can turn a rule off or change its
severity by editing its own pack.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

CLAUSE_ID = r"^\d{1,2}\.\d{1,2}(\.\d{1,2})?$"
RULE_CODE = r"^[A-Z]{2}\d{3}$"

ClauseId = Annotated[str, StringConstraints(pattern=CLAUSE_ID)]


class Severity(StrEnum):
    """How serious a finding is. ``info`` never changes the verdict."""

    INFO = "info"
    REVIEW = "review"
    BREACH = "breach"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.REVIEW: 1, Severity.BREACH: 2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(_Strict):
    """One point of the policy, under its stable id."""

    id: ClauseId
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    lead: str | None = None  # the stem sentence a list of points hangs from (5.3.N)

    @property
    def section(self) -> int:
        return int(self.id.split(".")[0])


class Section(_Strict):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    intro: str | None = None
    clauses: list[Clause] = Field(min_length=1)

    @model_validator(mode="after")
    def _clauses_belong_here(self) -> Section:
        for clause in self.clauses:
            if clause.section != self.number:
                raise ValueError(f"clause {clause.id} is not in section {self.number}")
        return self


class RuleSetting(_Strict):
    """How a rule applies in this edition: its severity, the clauses it supports, its threshold."""

    severity: Severity
    clauses: list[ClauseId] = Field(min_length=1)  # the first is the primary clause
    enabled: bool = True
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)

    @property
    def primary_clause(self) -> str:
        return self.clauses[0]


class Thresholds(_Strict):
    """Scores decide what reaches the user. Below ``report`` a span is dropped; a breach-level
    rule whose score is below ``certain`` is reported as review, so doubt goes to a person."""

    report: float = Field(default=0.5, ge=0.0, le=1.0)
    certain: float = Field(default=0.75, ge=0.0, le=1.0)


class PolicyPack(_Strict):
    schema_: int = Field(alias="schema", ge=1, le=1)
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str = Field(min_length=1)
    source: str | None = None
    owner: str = Field(min_length=1)
    version: str | None = None
    review_date: dt.date | None = None
    preamble: str | None = None
    thresholds: Thresholds = Thresholds()
    sections: list[Section] = Field(min_length=1)
    rules: dict[Annotated[str, StringConstraints(pattern=RULE_CODE)], RuleSetting] = {}

    @model_validator(mode="after")
    def _ids_unique_and_rules_point_at_clauses(self) -> PolicyPack:
        seen: set[str] = set()
        for section in self.sections:
            for clause in section.clauses:
                if clause.id in seen:
                    raise ValueError(f"clause id {clause.id} appears more than once")
                seen.add(clause.id)
        for code, setting in self.rules.items():
            for clause_id in setting.clauses:
                if clause_id not in seen:
                    raise ValueError(
                        f"rule {code} names clause {clause_id}, which is not in the pack"
                    )
        return self

    # -- look-ups -------------------------------------------------------------------------------
    def clauses(self) -> list[Clause]:
        return [clause for section in self.sections for clause in section.clauses]

    def clause(self, clause_id: str) -> Clause:
        for clause in self.clauses():
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def section(self, number: int) -> Section:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(number)

    def rules_for_clause(self, clause_id: str) -> dict[str, RuleSetting]:
        """The rules that check a clause, derived from the one mapping in ``rules``."""
        return {code: s for code, s in self.rules.items() if clause_id in s.clauses}

    def review_overdue(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.review_date is not None and self.review_date < today

    def review_warning(self, today: dt.date | None = None) -> str | None:
        """A sentence for the user when this edition is past its review date, else None."""
        if not self.review_overdue(today):
            return None
        assert self.review_date is not None
        return (
            f"This edition of the policy was due for review on {self.review_date:%d/%m/%Y} and may "
            f"not be up to date: check its status with the document owner ({self.owner})."
        )


def clause_sort_key(clause_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", clause_id))
