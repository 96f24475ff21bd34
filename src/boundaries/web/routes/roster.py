"""The roster pages: import from the MIS (preview, then apply), the import log, the pupils and
staff on the roster, and invitations for staff who cannot sign in yet.

All of them need :attr:`Permission.MANAGE_ROSTER` in the school. The work is done by
``boundaries.roster``; these routes only read forms and show results.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from boundaries.roster.importer import ImportOptions, ImportResult, import_roster
from boundaries.roster.invites import invite_staff
from boundaries.roster.presets import ColumnMapping, MappingError, parse_mapping
from boundaries.roster.records import InputFile, Kind, Source
from boundaries.roster.uploads import discard_pending, load_pending, save_pending
from boundaries.store import (
    Credential,
    ExternalIdentity,
    Person,
    Pupil,
    RosterImport,
    SchoolRole,
    StaffRecord,
)
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

ManagesRoster = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_ROSTER))]
MAX_FILE_BYTES = 20 * 1024 * 1024  # a 60,000-row SIMS report is about 8 MB
MAX_FILES = 50
KIND_LABELS = {
    Kind.PUPILS: "Pupils",
    Kind.STAFF: "Staff",
    Kind.CONTACTS: "Parents and carers",
}
SOURCE_LABELS = {
    Source.SIMS: "SIMS report (CSV)",
    Source.ARBOR: "Arbor report (CSV)",
    Source.BROMCOM: "Bromcom report (CSV)",
    Source.WONDE: "Wonde API (JSON pages)",
    Source.MAPPING: "Another MIS (CSV with a mapping file)",
}
ROLE_LABELS = {
    SchoolRole.STAFF_SUPPORT: "Support staff",
    SchoolRole.STAFF_TEACHER: "Teacher",
}


@dataclass
class UploadForm:
    """The import form as sent."""

    files: list[InputFile] = field(default_factory=list)
    mapping: bytes | None = None
    kind: str = ""
    source: str = ""
    full: bool = False
    default_role: str = SchoolRole.STAFF_SUPPORT.value
    problems: list[str] = field(default_factory=list)


async def _read(upload: UploadFile, problems: list[str]) -> bytes | None:
    data = await upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        problems.append(f"{upload.filename} is larger than 20 MB; split it or ask for help.")
        return None
    return data


async def upload_form(
    files: Annotated[list[UploadFile], File()] = [],  # noqa: B006 - FastAPI copies defaults
    mapping: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form(max_length=20)] = "",
    source: Annotated[str, Form(max_length=20)] = "",
    full: Annotated[str | None, Form(max_length=5)] = None,
    default_role: Annotated[str, Form(max_length=20)] = SchoolRole.STAFF_SUPPORT.value,
) -> UploadForm:
    """The files and choices of the import form, with what is wrong with them."""
    form = UploadForm(kind=kind, source=source, full=full is not None, default_role=default_role)
    chosen = [upload for upload in files if upload.filename]
    if len(chosen) > MAX_FILES:
        form.problems.append(f"Choose at most {MAX_FILES} files at a time.")
        chosen = []
    for upload in chosen:
        data = await _read(upload, form.problems)
        if data is not None:
            form.files.append(InputFile(upload.filename or "upload", data))
    if mapping is not None and mapping.filename:
        form.mapping = await _read(mapping, form.problems)
    return form


Upload = Annotated[UploadForm, Depends(upload_form)]


def _choices(form: UploadForm) -> tuple[Kind | None, Source | None, SchoolRole]:
    kind = Kind(form.kind) if form.kind in set(Kind) else None
    source = Source(form.source) if form.source in set(Source) else None
    role = (
        SchoolRole(form.default_role)
        if form.default_role in ROLE_LABELS
        else SchoolRole.STAFF_SUPPORT
    )
    return kind, source, role


def _mapping(data: bytes | None, problems: list[str]) -> ColumnMapping | None:
    if data is None:
        return None
    try:
        return parse_mapping(data.decode("utf-8-sig"), "The mapping file")
    except UnicodeDecodeError:
        problems.append("The mapping file is not UTF-8 text.")
    except MappingError as exc:
        problems.append(str(exc))
    return None


def _history(db: Session, school_id: int, limit: int = 50) -> list[tuple[RosterImport, str]]:
    rows = db.execute(
        select(RosterImport, Person.name)
        .outerjoin(Person, Person.id == RosterImport.imported_by_id)
        .where(RosterImport.school_id == school_id)
        .order_by(RosterImport.at.desc(), RosterImport.id.desc())
        .limit(limit)
    ).all()
    return [(record, name or "the command line") for record, name in rows]


def _page(
    request: Request,
    scope: SchoolScope,
    db: Session,
    *,
    form: UploadForm | None = None,
    problems: list[str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    counts = db.execute(
        select(
            func.count(Pupil.id),
            func.count(case((Pupil.anonymised_at.is_not(None), 1))),
        ).where(Pupil.school_id == scope.school.id)
    ).one()
    return pages.render(
        request,
        "roster_import.html",
        {
            "school": scope.school,
            "form": form or UploadForm(kind=Kind.PUPILS.value, source=Source.SIMS.value),
            "kinds": KIND_LABELS,
            "sources": SOURCE_LABELS,
            "roles": ROLE_LABELS,
            "problems": problems or [],
            "notice": notice,
            "history": _history(db, scope.school.id),
            "pupil_count": counts[0],
            "anonymised_count": counts[1],
        },
        status,
    )


@router.get("/schools/{school_id}/roster")
def roster_page(
    request: Request,
    scope: ManagesRoster,
    db: Db,
    invited: int | None = None,
    recent: int = 0,
    failed: int = 0,
) -> Response:
    notice = None
    if invited is not None:
        notice = (
            f"{invited} invitation{'s' if invited != 1 else ''} sent; {recent} already invited "
            f"in the last 7 days; {failed} could not be sent."
        )
    return _page(request, scope, db, notice=notice)


def _result_view(result: ImportResult) -> dict[str, Any]:
    return {
        "result": result,
        "kind_label": KIND_LABELS[result.kind],
        "source_label": SOURCE_LABELS[result.source],
    }


@router.post("/schools/{school_id}/roster/preview")
def preview(request: Request, scope: ManagesRoster, db: Db, form: Upload) -> Response:
    problems = list(form.problems)
    kind, source, role = _choices(form)
    if kind is None:
        problems.append("Choose what the files list: pupils, staff, or parents and carers.")
    if source is None:
        problems.append("Choose which system the files come from.")
    if not form.files and not form.problems:
        problems.append("Choose the file or files to import.")
    mapping = _mapping(form.mapping, problems)
    if source is Source.MAPPING and form.mapping is None:
        problems.append("Another MIS needs a mapping file naming which column is which.")
    if problems or kind is None or source is None:
        return _page(request, scope, db, form=form, problems=problems, status=400)
    options = ImportOptions(
        kind=kind, source=source, full=form.full, dry_run=True, mapping=mapping, default_role=role
    )
    try:
        result = import_roster(db, scope.school, form.files, options)
    except MappingError as exc:
        return _page(request, scope, db, form=form, problems=[str(exc)], status=400)
    token = None
    if result.ok:
        token = save_pending(
            school_id=scope.school.id,
            person_id=scope.principal.person_id,
            kind=kind.value,
            source=source.value,
            full=form.full,
            default_role=role.value,
            files=form.files,
            mapping=form.mapping,
        )
    return pages.render(
        request,
        "roster_preview.html",
        {
            "school": scope.school,
            "token": token,
            "files": [file.name for file in form.files],
            **_result_view(result),
        },
        200 if result.ok else 400,
    )


@router.post("/schools/{school_id}/roster/apply")
def apply(
    request: Request,
    scope: ManagesRoster,
    db: Db,
    token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    pending = load_pending(token, scope.school.id, scope.principal.person_id)
    if pending is None:
        return _page(
            request,
            scope,
            db,
            problems=["That preview has expired or was already applied. Upload the files again."],
            status=400,
        )
    problems: list[str] = []
    options = ImportOptions(
        kind=Kind(pending.kind),
        source=Source(pending.source),
        full=pending.full,
        mapping=_mapping(pending.mapping, problems),
        default_role=SchoolRole(pending.default_role),
    )
    result = import_roster(
        db, scope.school, pending.files, options, imported_by_id=scope.principal.person_id
    )
    db.commit()
    discard_pending(token)
    if not result.ok:
        # The roster changed between the preview and now: show what is wrong with it now.
        return pages.render(
            request,
            "roster_preview.html",
            {
                "school": scope.school,
                "token": None,
                "files": [f.name for f in pending.files],
                **_result_view(result),
            },
            409,
        )
    app_state(request).contexts.forget(scope.school.id)
    return RedirectResponse(
        f"/schools/{scope.school.id}/roster/imports/{result.import_id}?applied=1", status_code=303
    )


@router.get("/schools/{school_id}/roster/imports/{import_id}")
def import_detail(
    request: Request, scope: ManagesRoster, db: Db, import_id: int, applied: int = 0
) -> Response:
    record = db.get(RosterImport, import_id) if 0 < import_id <= MAX_ROW_ID else None
    if record is None or record.school_id != scope.school.id:
        raise NotFound()
    details: dict[str, Any] = json.loads(record.errors_json) if record.errors_json else {}
    by = db.get(Person, record.imported_by_id) if record.imported_by_id else None
    return pages.render(
        request,
        "roster_import_detail.html",
        {
            "school": scope.school,
            "record": record,
            "by": by.name if by else "the command line",
            "kind_label": KIND_LABELS.get(Kind(record.kind), record.kind)
            if record.kind in set(Kind)
            else record.kind,
            "source_label": SOURCE_LABELS.get(Source(record.source), record.source)
            if record.source in set(Source)
            else record.source,
            "errors": details.get("errors", []),
            "total_errors": details.get("total", 0),
            "warnings": details.get("warnings", []),
            "applied_now": bool(applied),
        },
    )


PUPIL_STATUSES = {
    "all": "Everyone",
    "on_roll": "On roll",
    "left": "Left",
    "anonymised": "Anonymised",
}


@router.get("/schools/{school_id}/roster/pupils")
def pupils(request: Request, scope: ManagesRoster, db: Db, status: str = "all") -> Response:
    today = date.today()
    query = select(Pupil).where(Pupil.school_id == scope.school.id)
    if status == "on_roll":
        query = query.where(
            Pupil.anonymised_at.is_(None),
            (Pupil.leaving_date.is_(None)) | (Pupil.leaving_date >= today),
        )
    elif status == "left":
        query = query.where(Pupil.anonymised_at.is_(None), Pupil.leaving_date < today)
    elif status == "anonymised":
        query = query.where(Pupil.anonymised_at.is_not(None))
    else:
        status = "all"
    rows = db.scalars(
        query.order_by(
            Pupil.anonymised_at.is_not(None), Pupil.surname, Pupil.legal_forename, Pupil.id
        )
    ).all()
    return pages.render(
        request,
        "roster_pupils.html",
        {
            "school": scope.school,
            "pupils": rows,
            "status": status,
            "statuses": PUPIL_STATUSES,
        },
    )


@router.get("/schools/{school_id}/roster/staff")
def staff(request: Request, scope: ManagesRoster, db: Db) -> Response:
    today = date.today()
    has_password = exists().where(Credential.person_id == Person.id)
    has_sso = exists().where(ExternalIdentity.person_id == Person.id)
    rows = db.execute(
        select(StaffRecord, Person, has_password.label("password"), has_sso.label("sso"))
        .join(Person, Person.id == StaffRecord.person_id)
        .where(StaffRecord.school_id == scope.school.id)
        .order_by(Person.name, Person.id)
    ).all()
    managers = {
        person.id: person.name
        for person in db.scalars(
            select(Person).where(
                Person.id.in_({r.StaffRecord.line_manager_id for r in rows} - {None})
            )
        )
    }
    return pages.render(
        request,
        "roster_staff.html",
        {"school": scope.school, "rows": rows, "managers": managers, "today": today},
    )


@router.post("/schools/{school_id}/roster/invite")
def invite(request: Request, scope: ManagesRoster, db: Db) -> Response:
    state = app_state(request)
    domains = [domain for provider in state.settings.oidc for domain in provider.allowed_domains]
    result = invite_staff(
        db, scope.school, state.mailer, state.settings.base_url, sso_domains=domains
    )
    return RedirectResponse(
        f"/schools/{scope.school.id}/roster?invited={len(result.invited)}"
        f"&recent={len(result.recently_invited)}&failed={len(result.failed)}",
        status_code=303,
    )
