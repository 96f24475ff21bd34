"""Evidence on a case: uploads into the vault, originals, previews and the case bundle.

A thin edge over :mod:`boundaries.cases.uploads` and :mod:`boundaries.cases.bundle`. The
reporter adds evidence to their own report only (anyone else's is "not found"); case handlers
add it, download originals, see previews and export the bundle. Every one of those actions is
written to the school's case chain. Originals are always sent as downloads, never shown in the
page, so a saved web page cannot run in the app's origin.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from boundaries.cases import bundle as case_bundle
from boundaries.cases import uploads
from boundaries.cases.access import handled_case
from boundaries.cases.dates import InvalidDate, local_moment, parse_date, parse_time
from boundaries.cases.reporting import own_report
from boundaries.cases.trail import Actor, record
from boundaries.cases.vault import (
    EvidenceSettings,
    Vault,
    VaultError,
    file_chunks,
    vault_from_settings,
)
from boundaries.store import Case
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
ManagesCases = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_CASES))]
Short = Annotated[str, Form(max_length=500)]
Long = Annotated[str, Form(max_length=5_000)]
Upload = Annotated[UploadFile | None, File()]
FIELD_ORDER = ("file", "captured_date", "captured_time", "place", "description")


def evidence_vault(request: Request) -> tuple[Vault, int]:
    """The app's vault and upload cap, made once from the environment (see EvidenceSettings)."""
    state = request.app.state
    found: tuple[Vault, int] | None = getattr(state, "evidence_vault", None)
    if found is None:
        settings = EvidenceSettings()
        found = (vault_from_settings(settings), settings.max_upload)
        state.evidence_vault = found
    return found


def _row_id(value: int) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


def _actor(scope: SchoolScope) -> Actor:
    return Actor(scope.principal.person_id, scope.principal.name)


def _own_case(scope: SchoolScope, db: Db, case_id: int) -> Case:
    case = own_report(db, scope.school.id, _row_id(case_id), scope.principal.person_id)
    if case is None:
        raise NotFound()
    return case


def _handled_case(scope: SchoolScope, db: Db, case_id: int) -> Case:
    found = handled_case(db, scope.school, _row_id(case_id), scope.principal.person_id)
    if found is None:
        raise NotFound()
    return found[0]


def _provenance(values: dict[str, str], errors: dict[str, str]) -> uploads.Provenance:
    captured: datetime | None = None
    day = None
    if values["captured_date"].strip():
        try:
            day = parse_date(values["captured_date"])
        except InvalidDate as exc:
            errors["captured_date"] = str(exc)
    elif values["captured_time"].strip():
        errors["captured_date"] = "Enter the date the time belongs to, for example 25/11/2026."
    at = None
    if values["captured_time"].strip():
        try:
            at = parse_time(values["captured_time"])
        except InvalidDate as exc:
            errors["captured_time"] = str(exc)
    if day is not None and "captured_time" not in errors:
        captured = local_moment(day, at)
    return uploads.Provenance(captured, values["place"], values["description"])


def _store(
    request: Request,
    db: Db,
    case: Case,
    actor: Actor,
    file: UploadFile | None,
    values: dict[str, str],
) -> tuple[int | None, dict[str, str]]:
    """Add the upload; the new evidence id, or the errors to show on the form."""
    errors: dict[str, str] = {}
    provenance = _provenance(values, errors)
    if file is None or not file.filename:
        errors["file"] = "Choose the file to add: a screenshot, PDF, e-mail, web page or export."
    if errors or file is None:
        return None, errors
    vault, cap = evidence_vault(request)
    try:
        evidence = uploads.add_evidence(
            db, vault, case, actor, file.file, file.filename or "", provenance, max_size=cap
        )
    except uploads.EvidenceRefused as exc:
        db.rollback()
        return None, {"file": str(exc)}
    return evidence.id, {}


def _ordered(errors: dict[str, str]) -> dict[str, str]:
    rank = {key: i for i, key in enumerate(FIELD_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _form_values(
    captured_date: str, captured_time: str, place: str, description: str
) -> dict[str, str]:
    return {
        "captured_date": captured_date,
        "captured_time": captured_time,
        "place": place,
        "description": description,
    }


# -- the reporter's own report -------------------------------------------------------------------
def _reporter_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    case: Case,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    done: str = "",
    status: int = 200,
) -> Response:
    own = [e for e in uploads.evidence_of(db, case) if e.added_by_id == scope.principal.person_id]
    return pages.render(
        request,
        "case_evidence.html",
        {
            "school": scope.school,
            "active": "concerns",
            "case": case,
            "evidence": own,
            "values": values,
            "errors": _ordered(errors),
            "done": done,
            "closed": case.state.value == "closed",
            "max_mb": evidence_vault(request)[1] // (1024 * 1024),
        },
        status,
    )


@router.get("/schools/{school_id}/concerns/{case_id}/evidence")
def reporter_evidence(
    request: Request, scope: UsesSchool, db: Db, case_id: int, done: str = ""
) -> Response:
    case = _own_case(scope, db, case_id)
    # Every view of a case is in its chain, the reporter's too.
    record(db, case, _actor(scope), "case.viewed_by_reporter", {"page": "evidence"})
    db.commit()
    return _reporter_page(
        request,
        scope,
        db,
        case,
        values=_form_values("", "", "", ""),
        errors={},
        done="added" if done == "added" else "",
    )


@router.post("/schools/{school_id}/concerns/{case_id}/evidence")
def reporter_upload(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    file: Upload = None,
    captured_date: Short = "",
    captured_time: Short = "",
    place: Short = "",
    description: Long = "",
) -> Response:
    case = _own_case(scope, db, case_id)
    values = _form_values(captured_date, captured_time, place, description)
    added, errors = _store(request, db, case, _actor(scope), file, values)
    if added is None:
        return _reporter_page(request, scope, db, case, values=values, errors=errors, status=400)
    return RedirectResponse(
        f"/schools/{scope.school.id}/concerns/{case.id}/evidence?done=added", status_code=303
    )


# -- case handlers -------------------------------------------------------------------------------
@router.post("/schools/{school_id}/cases/{case_id}/evidence")
def handler_upload(
    request: Request,
    scope: ManagesCases,
    db: Db,
    case_id: int,
    file: Upload = None,
    captured_date: Short = "",
    captured_time: Short = "",
    place: Short = "",
    description: Long = "",
) -> Response:
    case = _handled_case(scope, db, case_id)
    values = _form_values(captured_date, captured_time, place, description)
    added, errors = _store(request, db, case, _actor(scope), file, values)
    if added is None:
        return pages.render(
            request,
            "case_evidence_refused.html",
            {
                "school": scope.school,
                "active": "cases",
                "case": case,
                "values": values,
                "errors": _ordered(errors),
                "max_mb": evidence_vault(request)[1] // (1024 * 1024),
            },
            400,
        )
    return RedirectResponse(
        f"/schools/{scope.school.id}/cases/{case.id}?done=evidence_added#evidence",
        status_code=303,
    )


def _attachment(name: str) -> str:
    fallback = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "._-" else "_" for ch in name)
    return f"attachment; filename=\"{fallback or 'evidence'}\"; filename*=UTF-8''{quote(name)}"


_PRIVATE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@router.get("/schools/{school_id}/cases/{case_id}/evidence/{evidence_id}")
def download_original(
    scope: ManagesCases, db: Db, request: Request, case_id: int, evidence_id: int
) -> Response:
    case = _handled_case(scope, db, case_id)
    evidence = uploads.find_evidence(db, case, _row_id(evidence_id))
    if evidence is None:
        raise NotFound()
    vault, _cap = evidence_vault(request)
    try:
        chunks = uploads.open_original(db, vault, case, evidence, _actor(scope))
    except VaultError as exc:
        raise _integrity_error() from exc
    return StreamingResponse(
        chunks,
        media_type=evidence.media_type,
        headers={
            **_PRIVATE,
            "Content-Disposition": _attachment(evidence.original_name),
            "Content-Length": str(evidence.size),
            # Should a browser show it anyway, a saved web page runs in a sandbox, not our origin.
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.get("/schools/{school_id}/cases/{case_id}/evidence/{evidence_id}/preview")
def evidence_preview(
    scope: ManagesCases, db: Db, request: Request, case_id: int, evidence_id: int
) -> Response:
    case = _handled_case(scope, db, case_id)
    evidence = uploads.find_evidence(db, case, _row_id(evidence_id))
    if evidence is None:
        raise NotFound()
    vault, _cap = evidence_vault(request)
    data = uploads.preview_bytes(db, vault, case, evidence, _actor(scope))
    return Response(data, media_type="image/png", headers=dict(_PRIVATE))


def _load(scope: SchoolScope, db: Db, request: Request, case_id: int) -> tuple[Case, Vault]:
    case = _handled_case(scope, db, case_id)
    return case, evidence_vault(request)[0]


@router.get("/schools/{school_id}/cases/{case_id}/bundle.pdf")
def bundle_pdf(scope: ManagesCases, db: Db, request: Request, case_id: int) -> Response:
    case, vault = _load(scope, db, request, case_id)
    actor = _actor(scope)
    record(db, case, actor, "case.exported", {"format": "pdf"})
    db.commit()
    pdf = case_bundle.render_pdf(case_bundle.load_bundle(db, vault, case, actor.name))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={**_PRIVATE, "Content-Disposition": _attachment(f"case-{case.id}-bundle.pdf")},
    )


@router.get("/schools/{school_id}/cases/{case_id}/bundle.zip")
def bundle_zip(scope: ManagesCases, db: Db, request: Request, case_id: int) -> Response:
    case, vault = _load(scope, db, request, case_id)
    actor = _actor(scope)
    record(db, case, actor, "case.exported", {"format": "zip"})
    db.commit()
    loaded = case_bundle.load_bundle(db, vault, case, actor.name)
    pdf = case_bundle.render_pdf(loaded)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        case_bundle.write_zip(loaded, vault, spool, pdf=pdf)
    except VaultError as exc:
        spool.close()
        raise _integrity_error() from exc
    size = spool.tell()
    spool.seek(0)
    return StreamingResponse(
        _drain(spool),
        media_type="application/zip",
        headers={
            **_PRIVATE,
            "Content-Disposition": _attachment(f"case-{case.id}-originals.zip"),
            "Content-Length": str(size),
        },
    )


def _integrity_error() -> HTTPException:
    # An original that is missing or no longer matches its hash is never sent under that hash.
    return HTTPException(
        status_code=409,
        detail="An original of this case is missing or no longer matches its SHA-256 hash, so "
        "it cannot be exported. Ask whoever runs Boundaries to run `boundaries cases verify`.",
    )


def _drain(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        yield from file_chunks(spool)
