"""Audit my connections: a platform export checked against the pupil roster (6.8, 9.1, 6.18).

A thin edge over :mod:`boundaries.connections`. The upload is read and audited while the
member of staff waits and is then dropped: the results page is the only copy of the results.
Sharing sends back the sealed summary from that page (see :mod:`boundaries.connections.sharing`);
only then is anything stored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from boundaries.connections import sharing
from boundaries.connections.audit import (
    DECLARATION_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    PLATFORM_LABELS,
    AuditReport,
    Outcome,
    audit_export,
)
from boundaries.connections.matching import STATUS_LABELS
from boundaries.connections.model import ExportError
from boundaries.connections.roster_source import declared_by, school_roster
from boundaries.web.access import Permission
from boundaries.web.auth import Db, SchoolScope, in_school
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
Reviews = Annotated[SchoolScope, Depends(in_school(Permission.REVIEW_DECLARATIONS))]
# The largest export the page takes: a platform's JSON download is a few megabytes; one with
# photos and videos can be gigabytes and should be downloaded again without them.
MAX_UPLOAD = 1024 * 1024 * 1024

BADGES = {
    Outcome.NOT_DECLARED: "breach",
    Outcome.NOT_ACCEPTED: "breach",
    Outcome.DECLARED: "clear",
    Outcome.CAUTION: "review",
    Outcome.OUT_OF_SCOPE: "clear",
}
SUMMARY_STATUS = {**{s.value: label for s, label in STATUS_LABELS.items()}}
SUMMARY_OUTCOME = {o.value: label for o, label in OUTCOME_LABELS.items()}


def _may(scope: SchoolScope, permission: Permission) -> bool:
    return scope.principal.may(permission, scope.school)


def _page(
    request: Request,
    scope: SchoolScope,
    *,
    report: AuditReport | None = None,
    error: str = "",
    shared: bool = False,
    status: int = 200,
) -> Response:
    context = {
        "school": scope.school,
        "active": "connections",
        "report": report,
        "error": error,
        "shared": shared,
        "reviewer": _may(scope, Permission.REVIEW_DECLARATIONS),
        "outcomes": OUTCOME_LABELS,
        "badges": BADGES,
        "platforms": PLATFORM_LABELS,
        "kinds": KIND_LABELS,
        "declaration_labels": DECLARATION_LABELS,
        "seal": "",
    }
    if report is not None:
        summary = sharing.summarise(report)
        context["seal"] = sharing.seal(
            summary,
            app_state(request).signing_key,
            scope.school.id,
            scope.principal.person_id,
        )
        context["summary"] = summary
    partial = request.headers.get("hx-request") == "true"
    name = "connections_results.html" if partial else "connections.html"
    # An HTMX swap shows whatever comes back, so errors come back as 200 to be swapped in.
    return pages.render(request, name, context, 200 if partial else status)


@router.get("/schools/{school_id}/connections")
def connections_page(request: Request, scope: UsesSchool, shared: str = "") -> Response:
    return _page(request, scope, shared=shared == "1")


@router.post("/schools/{school_id}/connections/audit")
def audit_connections(
    request: Request,
    scope: UsesSchool,
    db: Db,
    export: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if export is None or not export.filename:
        return _page(request, scope, error="Choose the file you downloaded.", status=400)
    if export.size is not None and export.size > MAX_UPLOAD:
        return _page(
            request,
            scope,
            error="The file is larger than 1 GB. Download your data again as JSON, without "
            "photos and videos (only your connections are needed).",
            status=400,
        )
    today = date.today()
    roster = school_roster(db, scope.school.id, today)
    declared = declared_by(db, scope.school.id, scope.principal.person_id)
    try:
        report = audit_export(export.file, export.filename, roster, today, declared)
    except ExportError as exc:
        return _page(request, scope, error=str(exc), status=400)
    finally:
        export.file.close()  # the upload is dropped here, whatever happened
    return _page(request, scope, report=report)


@router.post("/schools/{school_id}/connections/share")
def share_summary(
    request: Request,
    scope: UsesSchool,
    db: Db,
    summary: Annotated[str, Form(max_length=200_000)] = "",
    note: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    try:
        sealed = sharing.unseal(
            summary, app_state(request).signing_key, scope.school.id, scope.principal.person_id
        )
        sharing.share(
            db, scope.school.id, scope.principal.person_id, scope.principal.name, sealed, note
        )
    except sharing.InvalidSummary as exc:
        return _page(request, scope, error=str(exc), status=400)
    db.commit()
    return RedirectResponse(f"/schools/{scope.school.id}/connections?shared=1", status_code=303)


@router.get("/schools/{school_id}/connections/shared")
def shared_summaries(request: Request, scope: Reviews, db: Db) -> Response:
    return pages.render(
        request,
        "connections_shared.html",
        {
            "school": scope.school,
            "active": "connections",
            "rows": sharing.shared_summaries(db, scope.school.id),
            "statuses": SUMMARY_STATUS,
            "outcomes": SUMMARY_OUTCOME,
        },
    )
