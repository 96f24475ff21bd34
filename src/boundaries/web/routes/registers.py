"""Pages for the registers staff keep themselves and leaders check: declarations (8.8, 9.2,
6.18), phones (7.5), training (section 13) and the school's network devices.

A thin edge over :mod:`boundaries.registers`: each route checks who is asking, reads the form,
calls the capability and renders the answer. Someone else's declaration, phone or training
record is "not found", never "forbidden", so that nobody learns which ids exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from boundaries.registers import declarations as decl
from boundaries.registers import devices as dev
from boundaries.registers import network_devices as net
from boundaries.registers import training as trn
from boundaries.store import (
    Declaration,
    DeclarationStatus,
    DeclarationSubject,
    DeviceStatus,
    Membership,
    Person,
    SchoolRole,
    TrainingKind,
)
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.templating import Pages, uk_date

router = APIRouter(include_in_schema=False)
pages = Pages()
pages.templates.env.filters["imei"] = dev.shown_imei
pages.templates.env.filters["phone"] = dev.shown_phone_number

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
Reviews = Annotated[SchoolScope, Depends(in_school(Permission.REVIEW_DECLARATIONS))]
KeepsRegisters = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_REGISTERS))]
Text = Annotated[str, Form(max_length=10_000)]
Short = Annotated[str, Form(max_length=500)]
MAX_UPLOAD = 5 * 1024 * 1024  # a school's device list is a few hundred kilobytes at most

ROLE_LABELS = {
    SchoolRole.STAFF_TEACHER: "Teachers",
    SchoolRole.STAFF_SUPPORT: "Support staff",
    SchoolRole.SUPPLY: "Supply staff",
    SchoolRole.GOVERNOR: "Governors",
    SchoolRole.CONTRACTOR: "Contractors",
    SchoolRole.VOLUNTEER: "Volunteers",
    SchoolRole.LINE_MANAGER: "Line managers",
    SchoolRole.HEADTEACHER: "Headteacher",
    SchoolRole.DSL: "Safeguarding lead (DSL)",
    SchoolRole.HR: "HR",
    SchoolRole.IT_ADMIN: "IT administrators",
}


def _row_id(value: int) -> int:
    """An id from a URL, or "not found" when no row could have it."""
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _date_or_error(text: str, key: str, errors: dict[str, str]) -> date | None:
    try:
        return trn.parse_optional_date(text)
    except trn.InvalidDate as exc:
        errors[key] = str(exc)
        return None


def _may(scope: SchoolScope, permission: Permission) -> bool:
    return scope.principal.may(permission, scope.school)


# -- declarations -------------------------------------------------------------------------------
def _declaration_form(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    q: str,
    values: dict[str, str],
    errors: dict[str, str],
    declaration: Declaration | None = None,
    status: int = 200,
) -> Response:
    matches = decl.search_roster(db, scope.school.id, q) if q.strip() else []
    chosen = values.get("who", "")
    if chosen and chosen != "other" and chosen not in {m.key for m in matches}:
        # Keep the person already chosen on the form, even when a new search did not find them.
        kept = decl.roster_choice(db, scope.school.id, chosen)
        if kept is not None:
            matches.insert(0, kept)
    return pages.render(
        request,
        "registers_declaration_form.html",
        {
            "school": scope.school,
            "active": "declarations",
            "q": q,
            "searched": bool(q.strip()),
            "too_short": 0 < len("".join(q.split())) < decl.MIN_SEARCH,
            "matches": matches,
            "values": values,
            "errors": errors,
            "declaration": declaration,
            "platforms": decl.PLATFORMS,
            "subjects": decl.SUBJECT_LABELS,
        },
        status,
    )


def _details_from_form(values: dict[str, str], errors: dict[str, str]) -> decl.DeclarationDetails:
    who = values.get("who", "")
    pupil_id = contact_id = None
    kind, _, number = who.partition(":")
    if number.isdigit() and 0 < int(number) <= MAX_ROW_ID:
        if kind == "pupil":
            pupil_id = int(number)
        elif kind == "contact":
            contact_id = int(number)
    subject_name = values.get("subject_name", "") if who in ("other", "") else ""
    subject = None
    if subject_name.strip():
        try:
            subject = DeclarationSubject(values.get("subject", ""))
        except ValueError:
            subject = None
    return decl.DeclarationDetails(
        platform=values.get("platform", ""),
        nature=values.get("nature", ""),
        reason=values.get("reason", ""),
        since=_date_or_error(values.get("since", ""), "since", errors),
        pupil_id=pupil_id,
        contact_id=contact_id,
        subject_name=subject_name,
        subject=subject,
    )


FORM_ORDER = ("who", "subject_name", "subject", "platform", "nature", "since", "reason", "why")


def _in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """The errors in the order their fields appear, as the error summary lists them."""
    rank = {key: i for i, key in enumerate(FORM_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


@router.get("/schools/{school_id}/declarations")
def declarations_page(request: Request, scope: UsesSchool, db: Db) -> Response:
    own = decl.own_declarations(db, scope.school.id, scope.principal.person_id)
    return pages.render(
        request,
        "registers_declarations.html",
        {
            "school": scope.school,
            "active": "declarations",
            "declarations": own,
            "labels": decl.STATUS_LABELS,
            "reviewer": _may(scope, Permission.REVIEW_DECLARATIONS),
        },
    )


@router.get("/schools/{school_id}/declarations/new")
def new_declaration(request: Request, scope: UsesSchool, db: Db, q: str = "") -> Response:
    return _declaration_form(request, scope, db, q=q[:200], values={}, errors={})


@router.post("/schools/{school_id}/declarations")
def create_declaration(
    request: Request,
    scope: UsesSchool,
    db: Db,
    who: Short = "",
    subject_name: Short = "",
    subject: Short = "",
    platform: Short = "",
    nature: Short = "",
    since: Short = "",
    reason: Text = "",
    q: Short = "",
) -> Response:
    values = dict(
        who=who,
        subject_name=subject_name,
        subject=subject,
        platform=platform,
        nature=nature,
        since=since,
        reason=reason,
    )
    errors: dict[str, str] = {}
    details = _details_from_form(values, errors)
    errors = _in_form_order({**decl.details_errors(db, scope.school.id, details), **errors})
    if errors:
        return _declaration_form(request, scope, db, q=q, values=values, errors=errors, status=400)
    made = decl.declare(db, scope.school.id, scope.principal.person_id, details)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/declarations/{made.id}?done=declared")


@router.get("/schools/{school_id}/declarations/review")
def review_declarations(
    request: Request, scope: Reviews, db: Db, status: str = "pending"
) -> Response:
    chosen: DeclarationStatus | None
    try:
        chosen = DeclarationStatus(status) if status != "all" else None
    except ValueError:
        chosen = DeclarationStatus.PENDING
        status = "pending"
    rows = decl.declarations_for_review(db, scope.school.id, chosen)
    return pages.render(
        request,
        "registers_declarations_review.html",
        {
            "school": scope.school,
            "active": "declarations",
            "rows": rows,
            "status": status,
            "labels": decl.STATUS_LABELS,
            "subjects": decl.SUBJECT_LABELS,
        },
    )


def _visible(scope: SchoolScope, db: Db, declaration_id: int) -> Declaration:
    found = decl.visible_declaration(
        db,
        scope.school.id,
        _row_id(declaration_id),
        scope.principal.person_id,
        reviewer=_may(scope, Permission.REVIEW_DECLARATIONS),
    )
    if found is None:
        raise NotFound()
    return found


def _own(scope: SchoolScope, db: Db, declaration_id: int) -> Declaration:
    found = decl.visible_declaration(
        db, scope.school.id, _row_id(declaration_id), scope.principal.person_id, reviewer=False
    )
    if found is None:
        raise NotFound()
    return found


def _declaration_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    declaration: Declaration,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    declarer = db.get(Person, declaration.person_id)
    return pages.render(
        request,
        "registers_declaration.html",
        {
            "school": scope.school,
            "active": "declarations",
            "declaration": declaration,
            "declarer": declarer,
            "own": declaration.person_id == scope.principal.person_id,
            "reviewer": _may(scope, Permission.REVIEW_DECLARATIONS),
            "history": decl.history(db, declaration.id),
            "labels": decl.STATUS_LABELS,
            "subjects": decl.SUBJECT_LABELS,
            "actions": decl.ACTION_LABELS,
            "decisions": [(d, decl.STATUS_LABELS[d]) for d in decl.DECISIONS],
            "done": done if done in ("declared", "amended", "withdrawn", "decided") else "",
            "errors": errors or {},
            "values": values or {},
        },
        status,
    )


@router.get("/schools/{school_id}/declarations/{declaration_id}")
def declaration_page(
    request: Request, scope: UsesSchool, db: Db, declaration_id: int, done: str = ""
) -> Response:
    return _declaration_page(request, scope, db, _visible(scope, db, declaration_id), done=done)


@router.get("/schools/{school_id}/declarations/{declaration_id}/amend")
def amend_form(
    request: Request, scope: UsesSchool, db: Db, declaration_id: int, q: str = ""
) -> Response:
    declaration = _own(scope, db, declaration_id)
    if declaration.pupil_id is not None:
        who = f"pupil:{declaration.pupil_id}"
    elif declaration.contact_id is not None:
        who = f"contact:{declaration.contact_id}"
    else:
        who = "other"
    values = {
        "who": who,
        "subject_name": declaration.subject_name if who == "other" else "",
        "subject": declaration.subject.value,
        "platform": declaration.platform,
        "nature": declaration.nature,
        "since": uk_date(declaration.since),
        "reason": declaration.reason,
    }
    return _declaration_form(
        request, scope, db, q=q[:200], values=values, errors={}, declaration=declaration
    )


@router.post("/schools/{school_id}/declarations/{declaration_id}/amend")
def amend_declaration(
    request: Request,
    scope: UsesSchool,
    db: Db,
    declaration_id: int,
    who: Short = "",
    subject_name: Short = "",
    subject: Short = "",
    platform: Short = "",
    nature: Short = "",
    since: Short = "",
    reason: Text = "",
    why: Text = "",
    q: Short = "",
) -> Response:
    declaration = _own(scope, db, declaration_id)
    values = dict(
        who=who,
        subject_name=subject_name,
        subject=subject,
        platform=platform,
        nature=nature,
        since=since,
        reason=reason,
        why=why,
    )
    errors: dict[str, str] = {}
    details = _details_from_form(values, errors)
    errors.update(decl.details_errors(db, scope.school.id, details))
    if not errors:
        try:
            decl.amend(db, declaration, scope.principal.person_id, details, why)
        except decl.InvalidDeclaration as invalid:
            db.rollback()
            errors = invalid.errors
    elif not why.strip():
        errors["why"] = "Say why you are changing the declaration."
    if errors:
        return _declaration_form(
            request,
            scope,
            db,
            q=q,
            values=values,
            errors=_in_form_order(errors),
            declaration=db.get(Declaration, declaration.id),
            status=400,
        )
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/declarations/{declaration.id}?done=amended")


@router.post("/schools/{school_id}/declarations/{declaration_id}/withdraw")
def withdraw_declaration(
    request: Request, scope: UsesSchool, db: Db, declaration_id: int, why: Text = ""
) -> Response:
    declaration = _own(scope, db, declaration_id)
    try:
        decl.withdraw(db, declaration, scope.principal.person_id, why)
    except decl.InvalidDeclaration as invalid:
        db.rollback()
        return _declaration_page(
            request,
            scope,
            db,
            declaration,
            errors=invalid.errors,
            values={"why": why},
            status=400,
        )
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/declarations/{declaration.id}?done=withdrawn")


@router.post("/schools/{school_id}/declarations/{declaration_id}/decision")
def decide_declaration(
    request: Request,
    scope: Reviews,
    db: Db,
    declaration_id: int,
    decision: Short = "",
    note: Text = "",
) -> Response:
    declaration = _visible(scope, db, declaration_id)
    try:
        chosen = DeclarationStatus(decision)
    except ValueError:
        chosen = DeclarationStatus.PENDING  # refused below as "choose a decision"
    try:
        decl.decide(db, declaration, scope.principal.person_id, chosen, note)
    except decl.InvalidDeclaration as invalid:
        db.rollback()
        return _declaration_page(
            request,
            scope,
            db,
            declaration,
            errors=invalid.errors,
            values={"decision": decision, "note": note},
            status=400,
        )
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/declarations/{declaration.id}?done=decided")


# -- phones -------------------------------------------------------------------------------------
def _devices_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "registers_devices.html",
        {
            "school": scope.school,
            "active": "devices",
            "devices": dev.own_devices(db, scope.school.id, scope.principal.person_id),
            "labels": dev.STATUS_LABELS,
            "manager": _may(scope, Permission.MANAGE_REGISTERS),
            "done": done if done in ("added", "updated") else "",
            "errors": errors or {},
            "values": values or {},
            "hint": dev.IMEI_HINT,
        },
        status,
    )


def _register_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "registers_devices_register.html",
        {
            "school": scope.school,
            "active": "devices",
            "rows": dev.school_devices(db, scope.school.id),
            "missing": dev.people_without_device(db, scope.school.id),
            "people": trn.people_covered(db, scope.school.id, None, date.today()),
            "labels": dev.STATUS_LABELS,
            "done": done if done in ("added", "updated") else "",
            "errors": errors or {},
            "values": values or {},
            "hint": dev.IMEI_HINT,
        },
        status,
    )


@router.get("/schools/{school_id}/devices")
def devices_page(request: Request, scope: UsesSchool, db: Db, done: str = "") -> Response:
    return _devices_page(request, scope, db, done=done)


@router.get("/schools/{school_id}/devices/register")
def devices_register(request: Request, scope: KeepsRegisters, db: Db, done: str = "") -> Response:
    return _register_page(request, scope, db, done=done)


def _person_in_school(db: Db, school_id: int, person_id: int) -> bool:
    if not 0 < person_id <= MAX_ROW_ID:
        return False
    return (
        db.scalars(
            select(Membership.id).where(
                Membership.school_id == school_id, Membership.person_id == person_id
            )
        ).first()
        is not None
    )


@router.post("/schools/{school_id}/devices")
def add_device(
    request: Request,
    scope: UsesSchool,
    db: Db,
    imei: Short = "",
    make: Short = "",
    model: Short = "",
    phone_number: Short = "",
    person_id: Short = "",
    back: Short = "",
) -> Response:
    values = {
        "imei": imei,
        "make": make,
        "model": model,
        "phone_number": phone_number,
        "person_id": person_id,
    }
    manager = _may(scope, Permission.MANAGE_REGISTERS)
    on_register = back == "register" or bool(person_id)
    owner = scope.principal.person_id
    page = _register_page if on_register else _devices_page
    if on_register:
        # Only those who keep the register record a phone for someone else.
        if not manager:
            raise NotFound()
        chosen = int(person_id) if person_id.isdigit() and len(person_id) <= 10 else 0
        if not _person_in_school(db, scope.school.id, chosen):
            return page(
                request,
                scope,
                db,
                errors={"person_id": "Choose who the phone belongs to."},
                values=values,
                status=400,
            )
        owner = chosen
    try:
        dev.record_device(
            db,
            scope.school.id,
            owner,
            imei=imei,
            make=make,
            model=model,
            phone_number=phone_number,
        )
    except dev.InvalidDevice as invalid:
        db.rollback()
        return page(request, scope, db, errors=invalid.errors, values=values, status=400)
    db.commit()
    where = "devices/register" if on_register else "devices"
    return _redirect(f"/schools/{scope.school.id}/{where}?done=added")


@router.post("/schools/{school_id}/devices/{device_id}/status")
def device_status(
    request: Request,
    scope: UsesSchool,
    db: Db,
    device_id: int,
    status: Short = "",
    status_date: Short = "",
    back: Short = "",
) -> Response:
    manager = _may(scope, Permission.MANAGE_REGISTERS)
    device = dev.device_for(
        db, scope.school.id, _row_id(device_id), scope.principal.person_id, manager=manager
    )
    if device is None:
        raise NotFound()
    on_register = back == "register" and manager
    page = _register_page if on_register else _devices_page
    errors: dict[str, str] = {}
    on = _date_or_error(status_date, "status_date", errors)
    try:
        chosen = DeviceStatus(status)
    except ValueError:
        errors["status"] = "Choose what has happened to the phone."
        chosen = DeviceStatus.IN_USE
    try:
        if errors:
            raise dev.InvalidDevice(errors)
        dev.set_device_status(db, device, chosen, on)
    except dev.InvalidDevice as invalid:
        db.rollback()
        # The error belongs to this phone's form: its fields carry the device id.
        keyed = {f"{key}-{device.id}": message for key, message in invalid.errors.items()}
        values = {f"status-{device.id}": status, f"status_date-{device.id}": status_date}
        return page(request, scope, db, errors=keyed, values=values, status=400)
    db.commit()
    where = "devices/register" if on_register else "devices"
    return _redirect(f"/schools/{scope.school.id}/{where}?done=updated")


# -- training -----------------------------------------------------------------------------------
def _training_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "registers_training.html",
        {
            "school": scope.school,
            "active": "training",
            "rows": trn.own_training(db, scope.school.id, scope.principal.person_id),
            "manager": _may(scope, Permission.MANAGE_REGISTERS),
            "done": done == "completed",
            "errors": errors or {},
            "values": values or {},
        },
        status,
    )


def _training_register(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    overdue: bool = False,
    done: str = "",
    assigned: tuple[int, int] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    suggestions = [name for name, _ in trn.SUGGESTED_COURSES]
    suggestions += [c for c in trn.courses_in_school(db, scope.school.id) if c not in suggestions]
    return pages.render(
        request,
        "registers_training_register.html",
        {
            "school": scope.school,
            "active": "training",
            "rows": trn.school_training(db, scope.school.id, overdue_only=overdue),
            "overdue": overdue,
            "overdue_count": len(trn.overdue_training(db, scope.school.id)),
            "suggestions": suggestions,
            "roles": ROLE_LABELS,
            "done": done,
            "assigned": assigned,
            "errors": errors or {},
            "values": values or {},
        },
        status,
    )


@router.get("/schools/{school_id}/training")
def training_page(request: Request, scope: UsesSchool, db: Db, done: str = "") -> Response:
    return _training_page(request, scope, db, done=done)


@router.get("/schools/{school_id}/training/register")
def training_register(
    request: Request,
    scope: KeepsRegisters,
    db: Db,
    overdue: int = 0,
    done: str = "",
    created: int = 0,
    already: int = 0,
) -> Response:
    assigned = (created, already) if done == "assigned" else None
    return _training_register(
        request, scope, db, overdue=bool(overdue), done=done, assigned=assigned
    )


@router.post("/schools/{school_id}/training/assign")
def assign_training(
    request: Request,
    scope: KeepsRegisters,
    db: Db,
    course: Short = "",
    kind: Short = "",
    due: Short = "",
    role: Short = "",
    notes: Text = "",
) -> Response:
    values = {"course": course, "kind": kind, "due": due, "role": role, "notes": notes}
    errors: dict[str, str] = {}
    due_date = _date_or_error(due, "due", errors)
    if not due.strip() and "due" not in errors:
        errors["due"] = "Enter the date it is due by. " + trn.DATE_HINT
    try:
        chosen_kind = TrainingKind(kind)
    except ValueError:
        errors["kind"] = "Choose whether it is a session or reading."
        chosen_kind = TrainingKind.SESSION
    chosen_role: SchoolRole | None = None
    if role:
        try:
            chosen_role = SchoolRole(role)
        except ValueError:
            errors["role"] = "Choose who it is for."
    errors = {**trn.assignment_errors(course, due_date, notes, date.today()), **errors}
    if errors:
        return _training_register(request, scope, db, errors=errors, values=values, status=400)
    result = trn.assign_training(
        db,
        scope.school.id,
        course=course,
        kind=chosen_kind,
        due_date=due_date,
        role=chosen_role,
        notes=notes,
    )
    db.commit()
    return _redirect(
        f"/schools/{scope.school.id}/training/register?done=assigned"
        f"&created={result.created}&already={result.already}"
    )


@router.post("/schools/{school_id}/training/{record_id}/done")
def training_done(
    request: Request,
    scope: UsesSchool,
    db: Db,
    record_id: int,
    completed_on: Short = "",
    notes: Text = "",
    back: Short = "",
) -> Response:
    manager = _may(scope, Permission.MANAGE_REGISTERS)
    record = trn.training_record_for(
        db, scope.school.id, _row_id(record_id), scope.principal.person_id, manager=manager
    )
    if record is None:
        raise NotFound()
    on_register = back == "register" and manager
    errors: dict[str, str] = {}
    if record.kind != TrainingKind.READING and not manager:
        # A session is confirmed by whoever keeps the register: attendance is theirs to say.
        errors["completed_on"] = "A session is marked as done by whoever keeps the register."
    on = _date_or_error(completed_on, "completed_on", errors) or date.today()
    try:
        if errors:
            raise trn.InvalidTraining(errors)
        trn.mark_completed(db, record, on, notes=notes)
    except trn.InvalidTraining as invalid:
        db.rollback()
        keyed = {f"{key}-{record.id}": message for key, message in invalid.errors.items()}
        values = {f"completed_on-{record.id}": completed_on, f"notes-{record.id}": notes}
        if on_register:
            return _training_register(request, scope, db, errors=keyed, values=values, status=400)
        return _training_page(request, scope, db, errors=keyed, values=values, status=400)
    db.commit()
    if on_register:
        return _redirect(f"/schools/{scope.school.id}/training/register?done=completed")
    return _redirect(f"/schools/{scope.school.id}/training?done=completed")


# -- network devices ----------------------------------------------------------------------------
def _network_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    report: net.ImportReport | None = None,
    dry_run: bool = False,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "school": scope.school,
        "active": "network",
        "devices": net.school_network_devices(db, scope.school.id),
        "report": report,
        "dry_run": dry_run,
        "errors": errors or {},
        "labels": net.COLUMN_LABELS,
    }
    return pages.render(request, "registers_network.html", context, status)


@router.get("/schools/{school_id}/network-devices")
def network_devices(request: Request, scope: KeepsRegisters, db: Db) -> Response:
    return _network_page(request, scope, db)


@router.post("/schools/{school_id}/network-devices/import")
def import_network_devices(
    request: Request,
    scope: KeepsRegisters,
    db: Db,
    file: Annotated[UploadFile | None, File()] = None,
    dry_run: Short = "",
) -> Response:
    checking = bool(dry_run)
    if file is None or not file.filename:
        return _network_page(
            request,
            scope,
            db,
            errors={"file": "Choose the CSV file of devices to import."},
            status=400,
        )
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _network_page(
            request,
            scope,
            db,
            errors={"file": "The file is larger than 5 MB: is it the right file?"},
            status=400,
        )
    report = net.import_network_devices(
        db,
        scope.school.id,
        data,
        imported_by_id=scope.principal.person_id,
        dry_run=checking,
    )
    if checking:
        db.rollback()
    else:
        db.commit()  # the devices if all was well; the log of the attempt either way
    return _network_page(
        request, scope, db, report=report, dry_run=checking, status=200 if report.ok else 400
    )
