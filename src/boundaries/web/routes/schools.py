"""The pages staff use in their school: the self-check, the policy, saved drafts, people."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, select

from boundaries.policy import PolicyPack
from boundaries.screening.api import screen
from boundaries.screening.result import Result
from boundaries.store import SavedDraft
from boundaries.store.queries import people_in_school
from boundaries.web.access import Permission, schools_for
from boundaries.web.auth import MAX_ROW_ID, Db, SchoolScope, SignedIn, in_school
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

MAX_DRAFT_CHARS = 10_000
UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
SeesPeople = Annotated[SchoolScope, Depends(in_school(Permission.VIEW_PEOPLE))]
Draft = Annotated[str, Form(max_length=MAX_DRAFT_CHARS)]


def clause_anchor(clause_id: str) -> str:
    """The id of a clause's element on the policy page: ``clause-6.15``."""
    return f"clause-{clause_id}"


def findings_view(pack: PolicyPack, result: Result, school_id: int) -> list[dict[str, Any]]:
    """Each finding with what the page shows: clause title and link, evidence, message, fix."""
    rows = []
    for number, finding in enumerate(result.findings, start=1):
        try:
            title = pack.clause(finding.clause).title
        except KeyError:
            title = ""
        rows.append(
            {
                "number": number,
                "rule": finding.rule,
                "severity": str(finding.severity),
                "clause": finding.clause,
                "clause_title": title,
                "clause_link": f"/schools/{school_id}/policy#{clause_anchor(finding.clause)}",
                "evidence": finding.evidence,
                "message": finding.message,
                "fix": finding.fix,
            }
        )
    return rows


def run_check(request: Request, scope: SchoolScope, db: Db, text: str) -> Result:
    """Screen ``text`` in the school's context; the draft itself is never written anywhere."""
    state = app_state(request)
    context = state.contexts.get(db, scope.school)
    return screen(text, context, pack=state.pack_for(db, scope.school.id))


@router.get("/")
def home(request: Request, principal: SignedIn, db: Db) -> Response:
    schools = schools_for(db, principal)
    if len(schools) == 1:
        return RedirectResponse(f"/schools/{schools[0].id}/check", status_code=303)
    return pages.render(request, "home.html", {"schools": schools})


def _check_context(
    request: Request, scope: SchoolScope, db: Db, text: str, result: Result | None
) -> dict[str, Any]:
    pack = app_state(request).pack_for(db, scope.school.id)
    return {
        "school": scope.school,
        "text": text,
        "result": result,
        "findings": findings_view(pack, result, scope.school.id) if result else [],
        "max_chars": MAX_DRAFT_CHARS,
        "review_warning": pack.review_warning(date.today()),
    }


@router.get("/schools/{school_id}/check")
def check_page(request: Request, scope: UsesSchool, db: Db) -> Response:
    return pages.render(request, "check.html", _check_context(request, scope, db, "", None))


@router.post("/schools/{school_id}/check")
def check(request: Request, scope: UsesSchool, db: Db, text: Draft = "") -> Response:
    result = run_check(request, scope, db, text) if text.strip() else None
    context = _check_context(request, scope, db, text, result)
    if request.headers.get("hx-request") == "true":
        return pages.render(request, "_results.html", context)
    return pages.render(request, "check.html", context)


@router.post("/schools/{school_id}/drafts")
def save_draft(request: Request, scope: UsesSchool, db: Db, text: Draft) -> Response:
    text = text.replace("\x00", "")  # PostgreSQL cannot store NUL; it is never meant in a post
    if not text.strip():
        return RedirectResponse(f"/schools/{scope.school.id}/check", status_code=303)
    result = run_check(request, scope, db, text)
    db.add(
        SavedDraft(
            person_id=scope.principal.person_id,
            school_id=scope.school.id,
            text=text,
            verdict=result.verdict,
        )
    )
    db.commit()
    return RedirectResponse(f"/schools/{scope.school.id}/drafts?saved=1", status_code=303)


@router.get("/schools/{school_id}/drafts")
def drafts(request: Request, scope: UsesSchool, db: Db, saved: int = 0) -> Response:
    rows = db.scalars(
        select(SavedDraft)
        .where(
            SavedDraft.person_id == scope.principal.person_id,
            SavedDraft.school_id == scope.school.id,
        )
        .order_by(SavedDraft.created_at.desc(), SavedDraft.id.desc())
    ).all()
    return pages.render(
        request, "drafts.html", {"school": scope.school, "drafts": rows, "saved": bool(saved)}
    )


@router.post("/schools/{school_id}/drafts/{draft_id}/delete")
def delete_draft(request: Request, scope: UsesSchool, db: Db, draft_id: int) -> Response:
    # Only the author's own draft in this school can go; anything else is silently nothing.
    if 0 < draft_id <= MAX_ROW_ID:
        db.execute(
            delete(SavedDraft).where(
                SavedDraft.id == draft_id,
                SavedDraft.person_id == scope.principal.person_id,
                SavedDraft.school_id == scope.school.id,
            )
        )
        db.commit()
    return RedirectResponse(f"/schools/{scope.school.id}/drafts", status_code=303)


@router.get("/schools/{school_id}/policy")
def policy(request: Request, scope: UsesSchool, db: Db) -> Response:
    pack = app_state(request).pack_for(db, scope.school.id)
    return pages.render(
        request,
        "policy.html",
        {
            "school": scope.school,
            "pack": pack,
            "anchor": clause_anchor,
            "review_warning": pack.review_warning(date.today()),
        },
    )


@router.get("/schools/{school_id}/people")
def people(request: Request, scope: SeesPeople, db: Db) -> Response:
    return pages.render(
        request,
        "people.html",
        {"school": scope.school, "people": people_in_school(db, scope.school.id)},
    )
