"""Pages for incidents and cases (sections 6, 11, 12): reporting a concern, the reporter's own
reports, and the case handlers' list, case page, low-level concerns log and chronologies.

A thin edge over :mod:`boundaries.cases`. Anyone who uses the school may report and sees only
their own reports' status. A case is seen only by the school's case handlers (headteacher, DSL,
HR, and trust safeguarding and trust HR): to anyone else a case id is "not found", so that ids
reveal nothing. Every view of a case is written to the school's case chain, with every change.
Evidence uploads, downloads and the bundle are in :mod:`boundaries.web.routes.case_evidence`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from boundaries.cases import chronology, low_level, reporting, support, tasks, workflow
from boundaries.cases.access import (
    ROLE_LABELS,
    CaseRole,
    case_roles,
    cases_about,
    handled_case,
    handlers,
    may_handle,
)
from boundaries.cases.dates import LONDON, uk_day
from boundaries.cases.trail import Actor
from boundaries.cases.uploads import evidence_of
from boundaries.store import (
    Case,
    CaseCategory,
    CaseOutcome,
    CaseState,
    Membership,
    PartyKind,
    PartyRole,
    Person,
    people_in_school,
)
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.routes.case_evidence import evidence_vault
from boundaries.web.state import app_state
from boundaries.web.templating import Pages, uk_date

router = APIRouter(include_in_schema=False)
pages = Pages()
# Stored moments are UTC; a date on these pages is the UK date (an evening in summer is
# otherwise shown as the day before or after).
pages.templates.env.filters["uk_day"] = uk_day

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
ManagesCases = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_CASES))]
Text = Annotated[str, Form(max_length=10_000)]
Short = Annotated[str, Form(max_length=2_000)]
PARTY_ROWS = 3
REPORT_ORDER = (
    "category",
    "occurred_on",
    "occurred_time",
    "platform",
    "site",
    "url",
    "account",
    "summary",
    *(f"party-{i}" for i in range(1, PARTY_ROWS + 1)),
    "wishes",
)
DONE_MESSAGES = {
    "moved": "The case's status has been changed.",
    "owner": "The case's owner has been set.",
    "edited": "The correction has been recorded.",
    "party": "The person has been added.",
    "note": "The note has been added.",
    "task": "The task has been added.",
    "task_done": "The task has been marked as done.",
    "police": "The police referral has been recorded.",
    "hold": "The legal hold has been recorded.",
    "evidence_added": "The evidence has been added.",
}


def _row_id(value: int) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _actor(scope: SchoolScope) -> Actor:
    return Actor(scope.principal.person_id, scope.principal.name)


def _ordered(errors: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    rank = {key: i for i, key in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


# -- reporting ------------------------------------------------------------------------------------
def _report_form(
    request: Request,
    scope: SchoolScope,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "concerns_form.html",
        {
            "school": scope.school,
            "active": "concerns",
            "values": values,
            "errors": errors,
            "categories": [
                (c.value, reporting.CATEGORY_LABELS[c], reporting.CATEGORY_HINTS[c])
                for c in reporting.CATEGORY_LABELS
            ],
            "party_kinds": reporting.PARTY_KIND_LABELS,
            "party_roles": reporting.PARTY_ROLE_LABELS,
            "party_rows": range(1, PARTY_ROWS + 1),
            "platforms": reporting.PLATFORMS,
        },
        status,
    )


@router.get("/schools/{school_id}/concerns")
def concerns_page(request: Request, scope: UsesSchool, db: Db) -> Response:
    own = reporting.own_reports(db, scope.school.id, scope.principal.person_id)
    return pages.render(
        request,
        "concerns.html",
        {
            "school": scope.school,
            "active": "concerns",
            "reports": own,
            # The category as the reporter chose it: a handler's correction is not theirs.
            "reported_as": {c.id: reporting.as_reported(db, c).category for c in own},
            "names": reporting.CATEGORY_NAMES,
            "statuses": reporting.REPORTER_STATUS,
            "signposts": support.signposts(),
            "handler": scope.principal.may(Permission.MANAGE_CASES, scope.school),
        },
    )


@router.get("/schools/{school_id}/concerns/new")
def new_concern(request: Request, scope: UsesSchool, category: str = "") -> Response:
    values = {"category": category} if category in {c.value for c in CaseCategory} else {}
    return _report_form(request, scope, values=values, errors={})


@router.post("/schools/{school_id}/concerns")
def create_concern(
    request: Request,
    scope: UsesSchool,
    db: Db,
    category: Short = "",
    occurred_on: Short = "",
    occurred_time: Short = "",
    site: Short = "",
    url: Short = "",
    platform: Short = "",
    account: Short = "",
    summary: Text = "",
    wishes: Text = "",
    party_kind_1: Short = "",
    party_name_1: Short = "",
    party_role_1: Short = "",
    party_kind_2: Short = "",
    party_name_2: Short = "",
    party_role_2: Short = "",
    party_kind_3: Short = "",
    party_name_3: Short = "",
    party_role_3: Short = "",
) -> Response:
    values = {
        "category": category,
        "occurred_on": occurred_on,
        "occurred_time": occurred_time,
        "site": site,
        "url": url,
        "platform": platform,
        "account": account,
        "summary": summary,
        "wishes": wishes,
        "party_kind_1": party_kind_1,
        "party_name_1": party_name_1,
        "party_role_1": party_role_1,
        "party_kind_2": party_kind_2,
        "party_name_2": party_name_2,
        "party_role_2": party_role_2,
        "party_kind_3": party_kind_3,
        "party_name_3": party_name_3,
        "party_role_3": party_role_3,
    }
    parties = [
        _party(values[f"party_kind_{i}"], values[f"party_role_{i}"], name=values[f"party_name_{i}"])
        for i in range(1, PARTY_ROWS + 1)
        if values[f"party_name_{i}"].strip()
    ]
    details = reporting.ReportDetails(
        category=category,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        site=site,
        url=url,
        platform=platform,
        account=account,
        summary=summary,
        wishes=wishes,
        parties=parties,
    )
    reporter = db.get(Person, scope.principal.person_id)
    assert reporter is not None  # a signed-in principal always has a person
    state = app_state(request)
    try:
        case, alerts = reporting.report(
            db, scope.school, reporter, details, base_url=state.settings.base_url
        )
    except reporting.InvalidReport as invalid:
        db.rollback()
        return _report_form(
            request, scope, values=values, errors=_ordered(invalid.errors, REPORT_ORDER), status=400
        )
    db.commit()
    reporting.send_alerts(state.mailer, alerts)
    return _redirect(f"/schools/{scope.school.id}/concerns/{case.id}?done=reported")


def _party(
    kind: str, role: str, *, name: str = "", person_id: int | None = None
) -> reporting.PartyDetails:
    try:
        party_kind = PartyKind(kind)
    except ValueError:
        party_kind = PartyKind.OTHER
    try:
        party_role = PartyRole(role)
    except ValueError:
        party_role = PartyRole.OTHER
    return reporting.PartyDetails(party_kind, party_role, person_id=person_id, name=name)


@router.get("/schools/{school_id}/concerns/{case_id}")
def own_concern(
    request: Request, scope: UsesSchool, db: Db, case_id: int, done: str = ""
) -> Response:
    case = reporting.own_report(db, scope.school.id, _row_id(case_id), scope.principal.person_id)
    if case is None:
        raise NotFound()
    reporting.reporter_viewed(db, case, _actor(scope))
    db.commit()
    report = reporting.as_reported(db, case)
    return pages.render(
        request,
        "concerns_report.html",
        {
            "school": scope.school,
            "active": "concerns",
            "case": case,
            "report": report,
            "parties": report.parties,
            "names": reporting.CATEGORY_NAMES,
            "statuses": reporting.REPORTER_STATUS,
            "party_kinds": reporting.PARTY_KIND_LABELS,
            "party_roles": reporting.PARTY_ROLE_LABELS,
            "signposts": support.signposts(),
            "done": done == "reported",
            "urgent": report.category in reporting.URGENT,
        },
    )


# -- the case handlers' pages ---------------------------------------------------------------------
def _handled(scope: SchoolScope, db: Db, case_id: int) -> tuple[Case, frozenset[CaseRole]]:
    # Members without the permission, and handlers the case is about, get "not found".
    if not scope.principal.may(Permission.MANAGE_CASES, scope.school):
        raise NotFound()
    found = handled_case(db, scope.school, _row_id(case_id), scope.principal.person_id)
    if found is None:
        raise NotFound()
    return found


def _roles(scope: SchoolScope, db: Db) -> frozenset[CaseRole]:
    return case_roles(db, scope.principal.person_id, scope.school)


@router.get("/schools/{school_id}/cases")
def cases_page(request: Request, scope: ManagesCases, db: Db, state: str = "open") -> Response:
    roles = _roles(scope, db)
    chosen = state if state in {"open", "all", *(s.value for s in CaseState)} else "open"
    found = workflow.school_cases(db, scope.school, scope.principal.person_id, roles, state=chosen)
    now_rows = {c.id: tasks.case_tasks(db, c) for c in found}
    workflow.listed(db, scope.school.id, _actor(scope), found)
    db.commit()
    owners = {
        p.id: p
        for p in db.scalars(
            select(Person).where(Person.id.in_({c.owner_id for c in found if c.owner_id}))
        )
    }
    return pages.render(
        request,
        "cases.html",
        {
            "school": scope.school,
            "active": "cases",
            "cases": found,
            "state": chosen,
            "owners": owners,
            "overdue": {cid: sum(1 for r in rows if r.overdue) for cid, rows in now_rows.items()},
            "names": reporting.CATEGORY_NAMES,
            "state_labels": workflow.STATE_LABELS,
            "outcome_labels": workflow.OUTCOME_LABELS,
            "states": [(s.value, workflow.STATE_LABELS[s]) for s in CaseState],
        },
    )


def _case_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    case: Case,
    roles: frozenset[CaseRole],
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    workflow.viewed(db, case, _actor(scope))
    db.commit()
    eligible = [(p, r) for p, r in handlers(db, scope.school) if may_handle(db, case, p.id, r)]
    people = {
        p.id: p
        for p in db.scalars(
            select(Person).where(Person.id.in_({x for x in (case.owner_id, case.reporter_id) if x}))
        )
    }
    return pages.render(
        request,
        "cases_case.html",
        {
            "school": scope.school,
            "active": "cases",
            "case": case,
            "roles": roles,
            "owner": people.get(case.owner_id) if case.owner_id else None,
            "reporter": people.get(case.reporter_id) if case.reporter_id else None,
            "parties": reporting.parties(db, case.id),
            "evidence": evidence_of(db, case),
            "max_mb": evidence_vault(request)[1] // (1024 * 1024),
            "task_rows": tasks.case_tasks(db, case),
            "notes": workflow.notes(db, case.id),
            "note_authors": {
                p.id: p.name
                for p in db.scalars(
                    select(Person).where(
                        Person.id.in_(
                            {n.author_id for n in workflow.notes(db, case.id) if n.author_id}
                        )
                    )
                )
            },
            "items": chronology.case_chronology(db, case),
            "moves": workflow.moves(case, roles),
            "eligible": eligible,
            "role_labels": ROLE_LABELS,
            "may_police": bool(workflow.POLICE_ROLES & roles),
            "may_hold": bool(workflow.HOLD_ROLES & roles),
            "staff": people_in_school(db, scope.school.id),
            "names": reporting.CATEGORY_NAMES,
            "state_labels": workflow.STATE_LABELS,
            "outcome_labels": workflow.OUTCOME_LABELS,
            "party_kinds": reporting.PARTY_KIND_LABELS,
            "party_roles": reporting.PARTY_ROLE_LABELS,
            "done": DONE_MESSAGES.get(done, ""),
            "errors": errors or {},
            "values": values or {},
        },
        status,
    )


@router.get("/schools/{school_id}/cases/low-level")
def low_level_page(request: Request, scope: ManagesCases, db: Db, done: str = "") -> Response:
    return _low_level_page(request, scope, db, done=done)


def _low_level_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    done: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    me = scope.principal.person_id
    # Entries about the viewer, and entries from cases about them, are not shown to them.
    about_me = cases_about(db, me)
    entries = [
        c
        for c in low_level.concerns(db, scope.school.id)
        if c.about_person_id != me and c.case_id not in about_me
    ]
    low_level.viewed_log(db, scope.school.id, _actor(scope), entries)
    db.commit()
    return pages.render(
        request,
        "cases_low_level.html",
        {
            "school": scope.school,
            "active": "cases",
            "entries": entries,
            "patterns": low_level.patterns(
                db, scope.school.id, exclude_person_id=me, exclude_case_ids=about_me
            ),
            "window_days": low_level.PATTERN_WINDOW.days,
            "staff": [(p, r) for p, r in people_in_school(db, scope.school.id) if p.id != me],
            "done": {
                "recorded": "The concern has been recorded.",
                "reviewed": "The review has been recorded.",
            }.get(done, ""),
            "errors": errors or {},
            "values": values or {},
        },
        status,
    )


@router.post("/schools/{school_id}/cases/low-level")
def record_low_level(
    request: Request,
    scope: ManagesCases,
    db: Db,
    about: Short = "",
    about_name: Short = "",
    summary: Text = "",
) -> Response:
    person_id = int(about) if about.isdigit() and 0 < int(about) <= MAX_ROW_ID else None
    try:
        low_level.record_concern(
            db,
            scope.school.id,
            _actor(scope),
            summary=summary,
            about_person_id=person_id,
            about_name="" if person_id else about_name,
        )
    except low_level.InvalidConcern as invalid:
        db.rollback()
        return _low_level_page(
            request,
            scope,
            db,
            errors=invalid.errors,
            values={"about": about, "about_name": about_name, "summary": summary},
            status=400,
        )
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/cases/low-level?done=recorded")


@router.post("/schools/{school_id}/cases/low-level/{concern_id}/review")
def review_low_level(
    request: Request, scope: ManagesCases, db: Db, concern_id: int, review_note: Text = ""
) -> Response:
    concern = low_level.concern_in(db, scope.school.id, _row_id(concern_id))
    me = scope.principal.person_id
    if concern is None or concern.about_person_id == me or concern.case_id in cases_about(db, me):
        raise NotFound()
    try:
        low_level.review(db, concern, _actor(scope), review_note)
    except low_level.InvalidConcern as invalid:
        db.rollback()
        return _low_level_page(
            request,
            scope,
            db,
            errors={f"review_note-{concern.id}": invalid.errors["review_note"]},
            status=400,
        )
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/cases/low-level?done=reviewed")


@router.get("/schools/{school_id}/cases/people/{person_id}")
def person_page(request: Request, scope: ManagesCases, db: Db, person_id: int) -> Response:
    person_id = _row_id(person_id)
    if person_id == scope.principal.person_id:
        raise NotFound()
    person = db.scalar(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Person.id == person_id, Membership.school_id == scope.school.id)
        .limit(1)
    )
    if person is None:
        raise NotFound()
    chronology.viewed_person(db, scope.school.id, _actor(scope), person)
    db.commit()
    return pages.render(
        request,
        "cases_person.html",
        {
            "school": scope.school,
            "active": "cases",
            "person": person,
            "items": chronology.person_chronology(
                db, scope.school.id, person, viewer_id=scope.principal.person_id
            ),
        },
    )


@router.get("/schools/{school_id}/cases/{case_id}")
def case_page(
    request: Request, scope: UsesSchool, db: Db, case_id: int, done: str = ""
) -> Response:
    case, roles = _handled(scope, db, case_id)
    return _case_page(request, scope, db, case, roles, done=done)


def _after(scope: SchoolScope, case: Case, done: str, anchor: str = "") -> RedirectResponse:
    return _redirect(
        f"/schools/{scope.school.id}/cases/{case.id}?done={done}" + (f"#{anchor}" if anchor else "")
    )


def _failed(
    request: Request,
    scope: SchoolScope,
    db: Db,
    case_id: int,
    errors: dict[str, str],
    values: dict[str, str],
) -> Response:
    db.rollback()
    case, roles = _handled(scope, db, case_id)
    return _case_page(request, scope, db, case, roles, errors=errors, values=values, status=400)


@router.post("/schools/{school_id}/cases/{case_id}/move")
def move_case(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    to: Short = "",
    outcome: Short = "",
    reason: Text = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    values = {"to": to, "outcome": outcome, "reason": reason}
    try:
        target = CaseState(to)
    except ValueError:
        return _failed(request, scope, db, case_id, {"to": "Choose the next step."}, values)
    chosen: CaseOutcome | None = None
    if outcome:
        try:
            chosen = CaseOutcome(outcome)
        except ValueError:
            chosen = None
    try:
        workflow.move(db, case, _actor(scope), roles, target, reason, chosen)
    except workflow.WorkflowError as invalid:
        return _failed(request, scope, db, case_id, invalid.errors, values)
    db.commit()
    return _after(scope, case, "moved")


@router.post("/schools/{school_id}/cases/{case_id}/owner")
def set_owner(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    owner: Short = "",
    owner_reason: Text = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    owner_id = int(owner) if owner.isdigit() and 0 < int(owner) <= MAX_ROW_ID else None
    try:
        workflow.set_owner(db, scope.school, case, _actor(scope), roles, owner_id, owner_reason)
    except workflow.WorkflowError as invalid:
        return _failed(
            request,
            scope,
            db,
            case_id,
            invalid.errors,
            {"owner": owner, "owner_reason": owner_reason},
        )
    db.commit()
    return _after(scope, case, "owner")


def _edit_values(case: Case) -> dict[str, str]:
    local = case.occurred_at
    return {
        "category": case.category.value,
        "occurred_on": uk_date(local.astimezone(LONDON)) if local else "",
        "occurred_time": local.astimezone(LONDON).strftime("%H:%M") if local else "",
        "site": case.site,
        "url": case.url,
        "platform": case.platform,
        "account": case.account,
        "summary": case.summary,
        "reporter_wishes": case.reporter_wishes,
    }


def _edit_page(
    request: Request,
    scope: SchoolScope,
    case: Case,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "cases_edit.html",
        {
            "school": scope.school,
            "active": "cases",
            "case": case,
            "values": values,
            "errors": errors,
            "categories": reporting.CATEGORY_NAMES,
            "platforms": reporting.PLATFORMS,
        },
        status,
    )


@router.get("/schools/{school_id}/cases/{case_id}/edit")
def edit_form(request: Request, scope: UsesSchool, db: Db, case_id: int) -> Response:
    case, _roles = _handled(scope, db, case_id)
    workflow.viewed(db, case, _actor(scope), "edit")
    db.commit()
    return _edit_page(request, scope, case, _edit_values(case), {})


@router.post("/schools/{school_id}/cases/{case_id}/edit")
def edit_case(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    category: Short = "",
    occurred_on: Short = "",
    occurred_time: Short = "",
    site: Short = "",
    url: Short = "",
    platform: Short = "",
    account: Short = "",
    summary: Text = "",
    reporter_wishes: Text = "",
    reason: Text = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    values = {
        "category": category,
        "occurred_on": occurred_on,
        "occurred_time": occurred_time,
        "site": site,
        "url": url,
        "platform": platform,
        "account": account,
        "summary": summary,
        "reporter_wishes": reporter_wishes,
    }
    try:
        workflow.edit(db, case, _actor(scope), roles, values, reason)
    except workflow.WorkflowError as invalid:
        db.rollback()
        case, roles = _handled(scope, db, case_id)
        return _edit_page(
            request, scope, case, {**values, "reason": reason}, invalid.errors, status=400
        )
    db.commit()
    return _after(scope, case, "edited")


@router.post("/schools/{school_id}/cases/{case_id}/parties")
def add_party(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    kind: Short = "",
    person: Short = "",
    name: Short = "",
    role: Short = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    person_id = int(person) if person.isdigit() and 0 < int(person) <= MAX_ROW_ID else None
    party = _party(kind, role, name=name, person_id=person_id)
    values = {"kind": kind, "person": person, "name": name, "role": role}
    try:
        workflow.add_party(db, case, _actor(scope), roles, party)
    except workflow.WorkflowError as invalid:
        # The error belongs to the field that was used: the list, or the name typed.
        field = "party-person" if person_id is not None else "party-name"
        message = next(iter(invalid.errors.values()))
        return _failed(request, scope, db, case_id, {field: message}, values)
    db.commit()
    return _after(scope, case, "party", "people")


@router.post("/schools/{school_id}/cases/{case_id}/notes")
def add_note(
    request: Request, scope: UsesSchool, db: Db, case_id: int, note: Text = ""
) -> Response:
    case, roles = _handled(scope, db, case_id)
    try:
        workflow.add_note(db, case, _actor(scope), roles, note)
    except workflow.WorkflowError as invalid:
        return _failed(request, scope, db, case_id, invalid.errors, {"note": note})
    db.commit()
    return _after(scope, case, "note", "notes")


@router.post("/schools/{school_id}/cases/{case_id}/tasks")
def add_task(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    title: Short = "",
    assignee: Short = "",
    due: Short = "",
    internal: Short = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    assignee_id = int(assignee) if assignee.isdigit() and 0 < int(assignee) <= MAX_ROW_ID else None
    values = {"title": title, "assignee": assignee, "due": due, "internal": internal}
    try:
        tasks.add_task(
            db,
            scope.school,
            case,
            _actor(scope),
            roles,
            title=title,
            assignee_id=assignee_id,
            due=due,
            internal=internal != "no",
        )
    except workflow.WorkflowError as invalid:
        return _failed(request, scope, db, case_id, invalid.errors, values)
    db.commit()
    return _after(scope, case, "task", "tasks")


@router.post("/schools/{school_id}/cases/{case_id}/tasks/{task_id}/done")
def complete_task(
    request: Request, scope: UsesSchool, db: Db, case_id: int, task_id: int
) -> Response:
    case, roles = _handled(scope, db, case_id)
    try:
        tasks.complete_task(db, case, _actor(scope), roles, _row_id(task_id))
    except LookupError:
        raise NotFound() from None
    except workflow.WorkflowError as invalid:
        return _failed(
            request, scope, db, case_id, {"tasks": next(iter(invalid.errors.values()))}, {}
        )
    db.commit()
    return _after(scope, case, "task_done", "tasks")


@router.post("/schools/{school_id}/cases/{case_id}/police")
def police(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    action: Short = "",
    police_reason: Text = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    try:
        if action == "release":
            workflow.release_from_police(db, case, _actor(scope), roles, police_reason)
        else:
            workflow.refer_to_police(db, case, _actor(scope), roles, police_reason)
    except workflow.WorkflowError as invalid:
        return _failed(
            request, scope, db, case_id, invalid.errors, {"police_reason": police_reason}
        )
    db.commit()
    return _after(scope, case, "police")


@router.post("/schools/{school_id}/cases/{case_id}/legal-hold")
def legal_hold(
    request: Request,
    scope: UsesSchool,
    db: Db,
    case_id: int,
    hold: Short = "",
    hold_reason: Text = "",
) -> Response:
    case, roles = _handled(scope, db, case_id)
    try:
        workflow.set_legal_hold(db, case, _actor(scope), roles, hold != "lift", hold_reason)
    except workflow.WorkflowError as invalid:
        return _failed(request, scope, db, case_id, invalid.errors, {"hold_reason": hold_reason})
    db.commit()
    return _after(scope, case, "hold")
