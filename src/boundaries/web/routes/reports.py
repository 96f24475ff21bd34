"""The governors' report pages (a school's and a trust's, with CSV and PDF) and the subject
access export.

The figures, charts, files and PDF are made in ``boundaries.reports``; these routes only check
who is asking and send the result. A trust's report is for its trust officers alone: anyone
else, including a headteacher of one of its schools, is told it is not found, as for any other
trust's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from boundaries.reports.charts import completion_chart, schools_chart
from boundaries.reports.exports import school_csv, school_filename, trust_csv, trust_filename
from boundaries.reports.governors import (
    SchoolReport,
    TrustReport,
    school_report,
    trust_report,
    uk_today,
)
from boundaries.reports.pdf import school_report_pdf, subject_access_pdf, trust_report_pdf
from boundaries.reports.subject_access import (
    NotInSchool,
    collect,
    to_zip,
    zip_filename,
)
from boundaries.store import Trust
from boundaries.store.queries import people_in_school
from boundaries.web.access import Permission, Principal, trust_grants
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, SignedIn, in_school
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

ViewsReports = Annotated[SchoolScope, Depends(in_school(Permission.VIEW_REPORTS))]
SubjectAccess = Annotated[SchoolScope, Depends(in_school(Permission.SUBJECT_ACCESS))]

CSV_TYPE = "text/csv; charset=utf-8"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"


@dataclass(frozen=True)
class TrustScope:
    """A trust whose reports the signed-in person may read."""

    trust: Trust
    principal: Principal


def in_trust_reports(trust_id: int, principal: SignedIn, db: Db) -> TrustScope:
    """Guard for ``/trusts/{trust_id}/reports/...``: signed in, with a trust role in that trust
    that grants the reports. Everyone else gets "not found", so trust ids reveal nothing."""
    trust = db.get(Trust, trust_id) if 0 < trust_id <= MAX_ROW_ID else None
    if trust is None or not trust_grants(principal, Permission.VIEW_REPORTS, trust.id):
        raise NotFound()
    return TrustScope(trust, principal)


TrustReports = Annotated[TrustScope, Depends(in_trust_reports)]


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _school_report(request: Request, scope: SchoolScope, db: Db) -> SchoolReport:
    return school_report(db, scope.school.id, uk_today(), fallback_pack=app_state(request).pack)


def _trust_report(request: Request, scope: TrustScope, db: Db) -> TrustReport:
    return trust_report(db, scope.trust.id, uk_today(), fallback_pack=app_state(request).pack)


@router.get("/schools/{school_id}/reports/governors")
def governors_report(request: Request, scope: ViewsReports, db: Db) -> Response:
    report = _school_report(request, scope, db)
    trust_id = scope.school.trust_id
    trust_link = (
        f"/trusts/{trust_id}/reports/governors"
        if trust_grants(scope.principal, Permission.VIEW_REPORTS, trust_id)
        else None
    )
    return pages.render(
        request,
        "report_governors.html",
        {
            "school": scope.school,
            "report": report,
            "chart": completion_chart(report.groups),
            "trust_link": trust_link,
        },
    )


@router.get("/schools/{school_id}/reports/governors.csv")
def governors_report_csv(request: Request, scope: ViewsReports, db: Db) -> Response:
    report = _school_report(request, scope, db)
    return _download(school_csv(report), CSV_TYPE, school_filename(report, "csv"))


@router.get("/schools/{school_id}/reports/governors.pdf")
def governors_report_pdf(request: Request, scope: ViewsReports, db: Db) -> Response:
    report = _school_report(request, scope, db)
    return _download(school_report_pdf(report), PDF_TYPE, school_filename(report, "pdf"))


@router.get("/trusts/{trust_id}/reports/governors")
def trust_governors_report(request: Request, scope: TrustReports, db: Db) -> Response:
    report = _trust_report(request, scope, db)
    return pages.render(
        request,
        "report_governors_trust.html",
        {"report": report, "chart": schools_chart(report.schools), "links": True},
    )


@router.get("/trusts/{trust_id}/reports/governors.csv")
def trust_governors_report_csv(request: Request, scope: TrustReports, db: Db) -> Response:
    report = _trust_report(request, scope, db)
    return _download(trust_csv(report), CSV_TYPE, trust_filename(report, "csv"))


@router.get("/trusts/{trust_id}/reports/governors.pdf")
def trust_governors_report_pdf(request: Request, scope: TrustReports, db: Db) -> Response:
    report = _trust_report(request, scope, db)
    return _download(trust_report_pdf(report), PDF_TYPE, trust_filename(report, "pdf"))


@router.get("/schools/{school_id}/subject-access")
def subject_access_page(request: Request, scope: SubjectAccess, db: Db) -> Response:
    return pages.render(
        request,
        "report_subject_access.html",
        {"school": scope.school, "people": people_in_school(db, scope.school.id)},
    )


@router.get("/schools/{school_id}/people/{person_id}/subject-access.zip")
def subject_access_zip(scope: SubjectAccess, db: Db, person_id: int) -> Response:
    if not 0 < person_id <= MAX_ROW_ID:
        raise NotFound()
    try:
        export = collect(db, scope.school.id, person_id, datetime.now(UTC))
    except NotInSchool:
        raise NotFound() from None
    return _download(to_zip(export, subject_access_pdf(export)), ZIP_TYPE, zip_filename(export))
