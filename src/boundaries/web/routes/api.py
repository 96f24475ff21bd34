"""The JSON API under ``/api/v1``: the same checks as the pages, for scripts and other systems.

Authenticate with a personal token (``Authorization: Bearer bnd_...``, made with
``boundaries users token``) or, from the app's own pages, the session cookie plus the
``X-CSRF-Token`` header.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from boundaries.screening.result import Result
from boundaries.web.access import Permission, schools_for
from boundaries.web.auth import Db, SchoolScope, SignedIn, in_school
from boundaries.web.routes.schools import MAX_DRAFT_CHARS, clause_anchor, run_check
from boundaries.web.state import app_state

router = APIRouter(prefix="/api/v1", tags=["api"])
UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"description": "Not signed in, or the token is not valid"},
    404: {"description": "No such school for this person"},
}


class SchoolOut(BaseModel):
    id: int
    name: str
    urn: str
    roles: list[str]


class MeOut(BaseModel):
    name: str
    email: str
    schools: list[SchoolOut]


class CheckIn(BaseModel):
    text: str = Field(max_length=MAX_DRAFT_CHARS, description="The draft post, as written.")


class FindingOut(BaseModel):
    rule: str
    clause: str
    clause_title: str
    clause_url: str
    clauses: list[str]
    severity: Literal["info", "review", "breach"]
    start: int = Field(description="Offset of the evidence in the text, in code points.")
    end: int
    evidence: str
    message: str
    fix: str
    score: float


class CheckOut(BaseModel):
    verdict: Literal["clear", "review", "breach"]
    findings: list[FindingOut]
    redacted: str
    warnings: list[str]


class ClauseOut(BaseModel):
    id: str
    title: str
    text: str
    section: int
    url: str


class PolicyOut(BaseModel):
    id: str
    title: str
    owner: str
    version: str | None
    review_date: str | None = Field(description="ISO 8601 date, or null when none is set.")
    review_overdue: bool
    clauses: list[ClauseOut]


@router.get("/me", response_model=MeOut, responses=_ERRORS)
def me(principal: SignedIn, db: Db) -> MeOut:
    """Who the caller is and the schools they may use."""
    schools = [
        SchoolOut(
            id=school.id,
            name=school.name,
            urn=school.urn,
            roles=sorted(str(r) for r in principal.school_roles.get(school.id, frozenset())),
        )
        for school in schools_for(db, principal)
    ]
    return MeOut(name=principal.name, email=principal.email, schools=schools)


def _check_out(request: Request, db: Db, school_id: int, result: Result) -> CheckOut:
    pack = app_state(request).pack_for(db, school_id)
    findings = []
    for finding in result.findings:
        try:
            title = pack.clause(finding.clause).title
        except KeyError:
            title = ""
        findings.append(
            FindingOut(
                rule=finding.rule,
                clause=finding.clause,
                clause_title=title,
                clause_url=f"/schools/{school_id}/policy#{clause_anchor(finding.clause)}",
                clauses=list(finding.clauses),
                severity=str(finding.severity),  # type: ignore[arg-type]
                start=finding.start,
                end=finding.end,
                evidence=finding.evidence,
                message=finding.message,
                fix=finding.fix,
                score=round(finding.score, 3),
            )
        )
    return CheckOut(
        verdict=result.verdict,  # type: ignore[arg-type]
        findings=findings,
        redacted=result.redacted,
        warnings=list(result.warnings),
    )


@router.post(
    "/schools/{school_id}/check",
    response_model=CheckOut,
    responses={
        **_ERRORS,
        400: {"description": "The body could not be read (it is not UTF-8)"},
        403: {"description": "CSRF token missing (cookie sessions only)"},
    },
)
def check(request: Request, body: CheckIn, scope: UsesSchool, db: Db) -> CheckOut:
    """Screen a draft post against the school's policy. Nothing is stored."""
    return _check_out(request, db, scope.school.id, run_check(request, scope, db, body.text))


@router.get("/schools/{school_id}/policy", response_model=PolicyOut, responses=_ERRORS)
def policy(request: Request, scope: UsesSchool, db: Db) -> PolicyOut:
    """The school's current edition of the policy: every clause with its id, title and text."""
    pack = app_state(request).pack_for(db, scope.school.id)
    return PolicyOut(
        id=pack.id,
        title=pack.title,
        owner=pack.owner,
        version=pack.version,
        review_date=pack.review_date.isoformat() if pack.review_date else None,
        review_overdue=pack.review_overdue(),
        clauses=[
            ClauseOut(
                id=clause.id,
                title=clause.title,
                text=clause.text,
                section=section.number,
                url=f"/schools/{scope.school.id}/policy#{clause_anchor(clause.id)}",
            )
            for section in pack.sections
            for clause in section.clauses
        ],
    )
