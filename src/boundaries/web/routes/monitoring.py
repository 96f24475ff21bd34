"""Lawful monitoring (section 12) and the school's filtering decisions (5.1).

A thin edge over :mod:`boundaries.monitoring`: the headteacher records and revokes
authorisations; the roles an authorisation names load logs and run reports under it; whoever
manages filtering records allow and block decisions and exports them. A refusal under the
authorisation (none, expired, revoked, role not named, out of scope) is shown with its reason
and is itself recorded in the school's monitoring audit chain.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from boundaries.monitoring import authorisations as auth
from boundaries.monitoring import filtering as flt
from boundaries.monitoring import runs
from boundaries.monitoring.charts import report_chart
from boundaries.monitoring.pdf import ReportDocument, report_pdf
from boundaries.monitoring.report_forms import (
    KIND_LABELS,
    OUTPUTS,
    ParsedReport,
    dataset_view,
    filter_choices,
    filters_summary,
    heading,
    parse_filters,
    shown_rows,
)
from boundaries.monitoring.reports import ReportKind, ReportTable
from boundaries.registers.training import InvalidDate, parse_optional_date
from boundaries.store import (
    FilteringAction,
    LogDataset,
    MonitoringAuthorisation,
    MonitoringPurpose,
    MonitoringRun,
    School,
    SchoolRole,
)
from boundaries.web.access import Permission, Principal
from boundaries.web.auth import (
    CSRF_FIELD,
    MAX_ROW_ID,
    Db,
    Forbidden,
    NotFound,
    SchoolScope,
    SignedIn,
    in_school,
)
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

UK = ZoneInfo("Europe/London")
Authorises = Annotated[SchoolScope, Depends(in_school(Permission.AUTHORISE_MONITORING))]
Runs = Annotated[SchoolScope, Depends(in_school(Permission.RUN_MONITORING))]
Filters = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_FILTERING))]
Text = Annotated[str, Form(max_length=10_000)]
Short = Annotated[str, Form(max_length=500)]
# Logs through the browser are capped; a council's gigabytes go through `boundaries monitoring
# load`, which streams files of any size from disk.
MAX_UPLOAD = 200 * 1024 * 1024
CHUNK = 1024 * 1024
LISTS = ("people", "devices")
LISTS = ("people", "devices")


def monitoring_scope(school_id: int, principal: SignedIn, db: Db) -> SchoolScope:
    """Guard: the monitoring pages are for whoever authorises monitoring or runs it."""
    scope = in_school(Permission.USE_SCHOOL)(school_id, principal, db)
    if not (
        principal.may(Permission.RUN_MONITORING, scope.school)
        or principal.may(Permission.AUTHORISE_MONITORING, scope.school)
    ):
        raise Forbidden()
    return scope


Monitors = Annotated[SchoolScope, Depends(monitoring_scope)]


def _row_id(value: int) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def caller(principal: Principal, school: School) -> auth.Caller:
    """The signed-in person with the roles they hold for this school, theirs and their trust's."""
    roles = {r.value for r in principal.school_roles.get(school.id, frozenset())}
    roles |= {r.value for r in principal.trust_roles.get(school.trust_id, frozenset())}
    return auth.Caller(principal.person_id, principal.name, frozenset(roles))


def data_root(request: Request) -> Path:
    """Where datasets live: ``monitoring`` in the app's data folder."""
    configured = getattr(app_state(request).settings, "data_dir", None)
    return Path(configured or "data").resolve() / "monitoring"


def _today() -> date:
    return datetime.now(UK).date()


# -- the overview --------------------------------------------------------------------------------
@router.get("/schools/{school_id}/monitoring")
def monitoring_page(request: Request, scope: Monitors, db: Db, done: str = "") -> Response:
    today = _today()
    authorisations = auth.school_authorisations(db, scope.school.id)
    me = caller(scope.principal, scope.school)
    return pages.render(
        request,
        "monitoring.html",
        {
            "school": scope.school,
            "active": "monitoring",
            "authorisations": authorisations,
            "in_force": auth.in_force(authorisations, today),
            "status": lambda a: auth.status(a, today),
            "purposes": auth.PURPOSE_LABELS,
            "role_labels": auth.ROLE_LABELS,
            "roles_named": auth.roles_named,
            "datasets": runs.school_datasets(db, scope.school.id),
            "authorises": scope.principal.may(Permission.AUTHORISE_MONITORING, scope.school),
            "runs": scope.principal.may(Permission.RUN_MONITORING, scope.school),
            "my_roles": me.roles,
            "done": done if done in ("recorded", "revoked") else "",
        },
    )


# -- authorisations ------------------------------------------------------------------------------
def _authorisation_form(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "monitoring_authorisation_form.html",
        {
            "school": scope.school,
            "active": "monitoring",
            "values": values,
            "errors": errors,
            "purposes": auth.PURPOSE_LABELS,
            "role_labels": auth.ROLE_LABELS,
            "people": auth.people_choices(db, scope.school.id),
            "devices": auth.device_choices(db, scope.school.id),
        },
        status,
    )


@router.get("/schools/{school_id}/monitoring/authorisations/new")
def new_authorisation(request: Request, scope: Authorises, db: Db) -> Response:
    values: dict[str, Any] = {"roles": [SchoolRole.HEADTEACHER.value], "people": [], "devices": []}
    return _authorisation_form(request, scope, db, values=values, errors={})


def _date(text: str, key: str, errors: dict[str, str]) -> date | None:
    try:
        return parse_optional_date(text)
    except InvalidDate as exc:
        errors[key] = str(exc)
        return None


def _ids(values: list[str]) -> tuple[int, ...]:
    return tuple(int(v) for v in values if v.isdigit() and 0 < int(v) <= MAX_ROW_ID)


FORM_ORDER = (
    "authorised_by",
    "purpose",
    "reason",
    "scope",
    "people",
    "devices",
    "period_start",
    "period_end",
    "expires_on",
    "staff_told",
    "staff_told_how",
    "staff_told_on",
    "roles",
)


@router.post("/schools/{school_id}/monitoring/authorisations")
def record_authorisation(
    request: Request,
    scope: Authorises,
    db: Db,
    purpose: Short = "",
    reason: Text = "",
    whole_school: Short = "",
    people: Annotated[list[str] | None, Form()] = None,
    devices: Annotated[list[str] | None, Form()] = None,
    period_start: Short = "",
    period_end: Short = "",
    expires_on: Short = "",
    staff_told: Short = "",
    staff_told_how: Text = "",
    staff_told_on: Short = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    values: dict[str, Any] = {
        "purpose": purpose,
        "reason": reason,
        "whole_school": whole_school,
        "people": people or [],
        "devices": devices or [],
        "period_start": period_start,
        "period_end": period_end,
        "expires_on": expires_on,
        "staff_told": staff_told,
        "staff_told_how": staff_told_how,
        "staff_told_on": staff_told_on,
        "roles": roles or [],
    }
    errors: dict[str, str] = {}
    try:
        chosen: MonitoringPurpose | None = MonitoringPurpose(purpose)
    except ValueError:
        chosen = None
    details = auth.AuthorisationDetails(
        purpose=chosen,
        reason=reason,
        whole_school=bool(whole_school),
        people=_ids(people or []),
        devices=_ids(devices or []),
        period_start=_date(period_start, "period_start", errors),
        period_end=_date(period_end, "period_end", errors),
        expires_on=_date(expires_on, "expires_on", errors),
        staff_told=bool(staff_told),
        staff_told_how=staff_told_how,
        staff_told_on=_date(staff_told_on, "staff_told_on", errors),
        roles=tuple(roles or ()),
    )
    try:
        if errors:
            # Every problem at once: the dates that are not dates, and the rest of the form.
            found = auth.details_errors(db, scope.school.id, details, _today())
            raise auth.InvalidAuthorisation({**found, **errors})
        made = auth.authorise(
            db, scope.school.id, caller(scope.principal, scope.school), details, today=_today()
        )
    except auth.InvalidAuthorisation as invalid:
        db.rollback()
        merged = {**invalid.errors, **errors}
        rank = {key: i for i, key in enumerate(FORM_ORDER)}
        ordered = dict(sorted(merged.items(), key=lambda item: rank.get(item[0], len(rank))))
        return _authorisation_form(request, scope, db, values=values, errors=ordered, status=400)
    db.commit()
    return _redirect(
        f"/schools/{scope.school.id}/monitoring/authorisations/{made.id}?done=recorded"
    )


def _authorisation_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    authorisation_id: int,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    refusal: str = "",
    status: int = 200,
) -> Response:
    found = auth.authorisation_in(db, scope.school.id, _row_id(authorisation_id))
    if found is None:
        raise NotFound()
    today = _today()
    me = caller(scope.principal, scope.school)
    people, devices = auth.scope_names(db, found)
    state = auth.status(found, today)
    named = auth.roles_named(found)
    return pages.render(
        request,
        "monitoring_authorisation.html",
        {
            "school": scope.school,
            "active": "monitoring",
            "a": found,
            "state": state,
            "purpose": auth.PURPOSE_LABELS[found.purpose],
            "roles": [auth.ROLE_LABELS.get(r, r) for r in named],
            "people": people,
            "devices": devices,
            "runs": runs.runs_of(db, found.id),
            "kind_labels": KIND_LABELS,
            "datasets": [
                d
                for d in runs.school_datasets(db, scope.school.id)
                if d.authorisation_id == found.id
            ],
            "may_load": state == "in force"
            and scope.principal.may(Permission.RUN_MONITORING, scope.school)
            and bool(me.roles & set(named)),
            "authorises": scope.principal.may(Permission.AUTHORISE_MONITORING, scope.school),
            "max_upload_mb": MAX_UPLOAD // (1024 * 1024),
            "done": done if done in ("recorded", "revoked") else "",
            "errors": errors or {},
            "refusal": refusal,
        },
        status,
    )


@router.get("/schools/{school_id}/monitoring/authorisations/{authorisation_id}")
def authorisation_page(
    request: Request, scope: Monitors, db: Db, authorisation_id: int, done: str = ""
) -> Response:
    return _authorisation_page(request, scope, db, authorisation_id, done=done)


@router.post("/schools/{school_id}/monitoring/authorisations/{authorisation_id}/revoke")
def revoke_authorisation(
    request: Request, scope: Authorises, db: Db, authorisation_id: int, reason: Text = ""
) -> Response:
    found = auth.authorisation_in(db, scope.school.id, _row_id(authorisation_id))
    if found is None:
        raise NotFound()
    try:
        auth.revoke(db, found, caller(scope.principal, scope.school), reason)
    except auth.InvalidAuthorisation as invalid:
        db.rollback()
        errors = {"revoke_reason": "; ".join(invalid.errors.values())}
        return _authorisation_page(request, scope, db, authorisation_id, errors=errors, status=400)
    db.commit()
    return _redirect(
        f"/schools/{scope.school.id}/monitoring/authorisations/{found.id}?done=revoked"
    )


# -- loading logs --------------------------------------------------------------------------------
def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip() or "log"
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[:120]


@router.post("/schools/{school_id}/monitoring/authorisations/{authorisation_id}/logs")
def load_logs(
    request: Request,
    scope: Runs,
    db: Db,
    authorisation_id: int,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    found = auth.authorisation_in(db, scope.school.id, _row_id(authorisation_id))
    if found is None:
        raise NotFound()
    chosen = [f for f in files or [] if f.filename]
    if not chosen:
        return _authorisation_page(
            request,
            scope,
            db,
            authorisation_id,
            errors={"files": "Choose the log files to load (plain text or .gz)."},
            status=400,
        )
    root = data_root(request)
    incoming = root / "incoming" / uuid.uuid4().hex
    incoming.mkdir(parents=True)
    try:
        saved: list[runs.UploadedFile] = []
        total = 0
        for index, upload in enumerate(chosen):
            target = incoming / f"{index:03d}-{_safe_name(upload.filename or 'log')}"
            with target.open("wb") as out:
                while block := upload.file.read(CHUNK):
                    total += len(block)
                    if total > MAX_UPLOAD:
                        return _authorisation_page(
                            request,
                            scope,
                            db,
                            authorisation_id,
                            errors={
                                "files": f"The files come to more than {MAX_UPLOAD // 2**20} MB: "
                                "load larger logs with `boundaries monitoring load`."
                            },
                            status=413,
                        )
                    out.write(block)
            saved.append(runs.UploadedFile(target, _safe_name(upload.filename or "log")))
        try:
            dataset = runs.load_logs(
                db,
                scope.school.id,
                caller(scope.principal, scope.school),
                found,
                saved,
                root,
                today=_today(),
            )
        except runs.MonitoringRefused as refused:
            db.commit()  # the refusal's audit entry
            return _authorisation_page(
                request, scope, db, authorisation_id, refusal=refused.message, status=403
            )
        db.commit()
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return _redirect(f"/schools/{scope.school.id}/monitoring/datasets/{dataset.id}?done=loaded")


# -- reports ---------------------------------------------------------------------------------------
def report_download(
    db: Session,
    school: School,
    dataset: LogDataset,
    recorded: MonitoringRun,
    table: ReportTable,
    parsed: ParsedReport,
) -> Response:
    """The report as a file: CSV, JSON or PDF, named after the school, report and run."""
    assert parsed.kind is not None and parsed.filters is not None
    stem = f"monitoring-{school.urn}-{parsed.kind.value}-run-{recorded.id}"
    disposition = {"Content-Disposition": f'attachment; filename="{stem}.{parsed.output}"'}
    if parsed.output == "csv":
        return Response(table.to_csv(), media_type="text/csv; charset=utf-8", headers=disposition)
    if parsed.output == "json":
        return Response(table.to_json(), media_type="application/json", headers=disposition)
    authorisation = db.get(MonitoringAuthorisation, dataset.authorisation_id)
    assert authorisation is not None
    document = ReportDocument(
        school=school,
        authorisation=authorisation,
        dataset=dataset,
        run=recorded,
        title=KIND_LABELS[parsed.kind],
        filters=filters_summary(db, parsed.filters, parsed.kind),
        table=table,
        headings=[heading(c) for c in table.columns],
    )
    return Response(report_pdf(document), media_type="application/pdf", headers=disposition)


def _dataset_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    dataset_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    result: dict[str, Any] | None = None,
    refusal: str = "",
    done: str = "",
    status: int = 200,
) -> Response:
    dataset = runs.dataset_in(db, scope.school.id, _row_id(dataset_id))
    if dataset is None:
        raise NotFound()
    view = dataset_view(db, dataset)
    if not refusal:
        try:
            runs.check_authorisation(
                view.authorisation, caller(scope.principal, scope.school), _today()
            )
        except runs.MonitoringRefused as refused:
            refusal, status = refused.message, 403
    return pages.render(
        request,
        "monitoring_dataset.html",
        {
            "school": scope.school,
            "active": "monitoring",
            "view": view,
            "choices": filter_choices(db, view.authorisation),
            "kinds": KIND_LABELS,
            "outputs": OUTPUTS,
            "values": values or {"kind": ReportKind.PEOPLE.value, "output": "html"},
            "errors": errors or {},
            "result": result,
            "refusal": refusal,
            "done": done == "loaded",
        },
        status,
    )


@router.get("/schools/{school_id}/monitoring/datasets/{dataset_id}")
def dataset_page(
    request: Request, scope: Runs, db: Db, dataset_id: int, done: str = ""
) -> Response:
    return _dataset_page(request, scope, db, dataset_id, done=done)


@router.post("/schools/{school_id}/monitoring/datasets/{dataset_id}/report")
async def run_report(request: Request, scope: Runs, db: Db, dataset_id: int) -> Response:
    form = await request.form()
    values: dict[str, Any] = {
        key: [str(v)[:320] for v in form.getlist(key)] if key in LISTS else str(value)[:500]
        for key, value in form.items()
        if key != CSRF_FIELD
    }
    # The form has to be read asynchronously; the report itself is blocking work, which must
    # not hold up the event loop.
    return await run_in_threadpool(_run_report, request, scope, db, dataset_id, values)


def _run_report(
    request: Request, scope: SchoolScope, db: Session, dataset_id: int, values: dict[str, Any]
) -> Response:
    dataset = runs.dataset_in(db, scope.school.id, _row_id(dataset_id))
    if dataset is None:
        raise NotFound()
    parsed = parse_filters(values)
    if parsed.errors:
        return _dataset_page(
            request, scope, db, dataset_id, values=values, errors=parsed.errors, status=400
        )
    assert parsed.kind is not None and parsed.filters is not None
    try:
        table, recorded = runs.run(
            db,
            caller(scope.principal, scope.school),
            dataset,
            parsed.kind,
            parsed.filters,
            parsed.output,
            data_root(request),
            today=_today(),
        )
    except runs.MonitoringRefused as refused:
        db.commit()  # the refusal's audit entry
        return _dataset_page(
            request, scope, db, dataset_id, values=values, refusal=refused.message, status=403
        )
    db.commit()
    if parsed.output != "html":
        return report_download(db, scope.school, dataset, recorded, table, parsed)
    title = KIND_LABELS[parsed.kind]
    result = {
        "title": title,
        "table": table,
        "headings": [heading(c) for c in table.columns],
        "rows": shown_rows(table),
        "chart": report_chart(table, title),
        "run": recorded,
        "filters": filters_summary(db, parsed.filters, parsed.kind),
    }
    return _dataset_page(request, scope, db, dataset_id, values=values, result=result)


# -- filtering -----------------------------------------------------------------------------------
def _filtering_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "filtering.html",
        {
            "school": scope.school,
            "active": "filtering",
            "current": flt.current_decisions(db, scope.school.id),
            "history": flt.history(db, scope.school.id),
            "labels": flt.ACTION_LABELS,
            "values": values or {"action": "block"},
            "errors": errors or {},
            "done": done if done in ("decided", "withdrawn") else "",
        },
        status,
    )


@router.get("/schools/{school_id}/filtering")
def filtering_page(request: Request, scope: Filters, db: Db, done: str = "") -> Response:
    return _filtering_page(request, scope, db, done=done)


@router.post("/schools/{school_id}/filtering")
def decide(
    request: Request,
    scope: Filters,
    db: Db,
    domain: Short = "",
    action: Short = "",
    reason: Text = "",
) -> Response:
    values = {"domain": domain, "action": action, "reason": reason}
    try:
        chosen = FilteringAction(action)
    except ValueError:
        return _filtering_page(
            request,
            scope,
            db,
            values=values,
            errors={"action": "Choose whether to allow or block the site."},
            status=400,
        )
    try:
        flt.decide(
            db, scope.school.id, caller(scope.principal, scope.school), domain, chosen, reason
        )
    except flt.InvalidDecision as invalid:
        db.rollback()
        return _filtering_page(request, scope, db, values=values, errors=invalid.errors, status=400)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/filtering?done=decided")


@router.post("/schools/{school_id}/filtering/{decision_id}/withdraw")
def withdraw_decision(
    request: Request, scope: Filters, db: Db, decision_id: int, reason: Text = ""
) -> Response:
    found = flt.decision_in(db, scope.school.id, _row_id(decision_id))
    if found is None:
        raise NotFound()
    try:
        flt.revoke_decision(db, found, caller(scope.principal, scope.school), reason)
    except flt.InvalidDecision as invalid:
        db.rollback()
        errors = {f"reason-{found.id}": m for m in invalid.errors.values()}
        return _filtering_page(request, scope, db, errors=errors, status=400)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/filtering?done=withdrawn")


EXPORTS = {
    "squid": ("boundaries-filtering.conf", "text/plain; charset=utf-8"),
    "squid-blocked": ("boundaries_blocked.acl", "text/plain; charset=utf-8"),
    "squid-allowed": ("boundaries_allowed.acl", "text/plain; charset=utf-8"),
    "blocked": ("blocked-domains.txt", "text/plain; charset=utf-8"),
    "allowed": ("allowed-domains.txt", "text/plain; charset=utf-8"),
}


@router.get("/schools/{school_id}/filtering/export")
def export_decisions(scope: Filters, db: Db, format: str = "squid") -> Response:
    if format not in EXPORTS:
        raise NotFound()
    decisions = flt.current_decisions(db, scope.school.id)
    now = datetime.now(UTC)
    if format == "squid":
        body = flt.squid_conf(scope.school, decisions, now)
    elif format.startswith("squid-"):
        action = FilteringAction.BLOCK if format == "squid-blocked" else FilteringAction.ALLOW
        body = flt.squid_acl_file(scope.school, decisions, action, now)
    else:
        action = FilteringAction.BLOCK if format == "blocked" else FilteringAction.ALLOW
        body = flt.domain_list(decisions, action)
    name, media = EXPORTS[format]
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
