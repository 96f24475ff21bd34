"""Tasks on a case: who does what by when, and alerts when a deadline passes.

A task falls to the person it is assigned to, or to the case's owner when it is assigned to
nobody, as long as they may still handle the case (someone since named as its subject, or who
has left the role, is never told about it). :func:`send_overdue_alerts` (``boundaries cases
overdue``, run daily from a scheduler) e-mails each of them once per overdue task. Like every
case alert, the e-mail names the case's link and the deadline, and nothing of the case itself.
Deadlines are UK dates: a task due by 25/11/2026 is overdue from midnight UK time.

Internal tasks are investigation steps, paused while the police have the matter (12.5):
they cannot be added or completed then, and they are not chased as overdue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases.access import CaseRole, case_roles, handlers, may_handle
from boundaries.cases.dates import LONDON, InvalidDate, end_of_day, parse_date, uk_today
from boundaries.cases.reporting import CATEGORY_NAMES, case_link
from boundaries.cases.trail import SYSTEM, Actor, record
from boundaries.cases.workflow import WorkflowError, guard_handler, require_not_paused
from boundaries.mail import Mailer
from boundaries.store import Case, CaseState, CaseTask, Person, School
from boundaries.store.models import utc_now

log = logging.getLogger(__name__)
MAX_TITLE = 300


@dataclass(frozen=True)
class TaskRow:
    """A task with the person it falls to and whether it is overdue."""

    task: CaseTask
    assignee: Person | None
    overdue: bool


def add_task(
    session: Session,
    school: School,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    *,
    title: str,
    assignee_id: int | None,
    due: str,
    internal: bool = True,
    today: date | None = None,
) -> CaseTask:
    """Add a task, optionally assigned to one of the school's case handlers, due by a date."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    text = " ".join(title.split())
    if not text:
        errors["title"] = "Say what needs doing."
    elif len(text) > MAX_TITLE:
        errors["title"] = f"The task must be {MAX_TITLE} characters or fewer."
    if assignee_id is not None:
        eligible = {
            p.id
            for p, person_roles in handlers(session, school)
            if may_handle(session, case, p.id, person_roles)
        }
        if assignee_id not in eligible:
            errors["assignee"] = "Choose one of the school's case handlers."
    due_at: datetime | None = None
    if due.strip():
        try:
            day = parse_date(due)
        except InvalidDate as exc:
            errors["due"] = str(exc)
        else:
            if day < (today or uk_today()):
                errors["due"] = "The deadline cannot be in the past."
            due_at = end_of_day(day)
    if case.state == CaseState.CLOSED:
        errors["title"] = "The case is closed."
    if internal:
        require_not_paused(case, errors, "title")
    if errors:
        raise WorkflowError(errors)
    task = CaseTask(
        case_id=case.id,
        title=text,
        assignee_id=assignee_id,
        due_at=due_at,
        internal=internal,
        created_by_id=actor.person_id,
        created_at=utc_now(),
    )
    session.add(task)
    session.flush()
    case.updated_at = task.created_at
    record(
        session,
        case,
        actor,
        "case.task_added",
        {
            "task_id": task.id,
            "title": text,
            "assignee_id": assignee_id,
            "due_at": due_at.isoformat() if due_at else None,
            "internal": internal,
        },
    )
    return task


def complete_task(
    session: Session, case: Case, actor: Actor, roles: frozenset[CaseRole], task_id: int
) -> CaseTask:
    """Mark a task done."""
    guard_handler(session, case, actor, roles)
    task = session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise LookupError("no such task on this case")
    errors: dict[str, str] = {}
    if task.completed_at is not None:
        errors["task"] = "That task is already done."
    elif task.internal:
        require_not_paused(case, errors, "task")
    if errors:
        raise WorkflowError(errors)
    task.completed_at = utc_now()
    case.updated_at = task.completed_at
    record(session, case, actor, "case.task_completed", {"task_id": task.id, "title": task.title})
    return task


def is_overdue(task: CaseTask, now: datetime) -> bool:
    return task.completed_at is None and task.due_at is not None and task.due_at < now


def case_tasks(session: Session, case: Case, now: datetime | None = None) -> list[TaskRow]:
    """A case's tasks: open ones first by deadline, then done ones."""
    when = now or utc_now()
    rows = [
        TaskRow(task, person, is_overdue(task, when))
        for task, person in session.execute(
            select(CaseTask, Person)
            .outerjoin(Person, Person.id == CaseTask.assignee_id)
            .where(CaseTask.case_id == case.id)
            .order_by(CaseTask.id)
        )
    ]
    far = datetime.max.replace(tzinfo=when.tzinfo)
    return sorted(
        rows,
        key=lambda r: (r.task.completed_at is not None, r.task.due_at or far, r.task.id),
    )


@dataclass(frozen=True)
class OverdueTask:
    """An overdue task with the case it belongs to and whom to tell."""

    task: CaseTask
    case: Case
    recipient: Person | None


def overdue_tasks(
    session: Session, now: datetime | None = None, *, school_id: int | None = None
) -> list[OverdueTask]:
    """Open tasks past their deadline on cases that are not closed, not yet alerted.

    Internal tasks on a case the police have are left alone: they cannot be done until the
    referral is released.
    """
    when = now or utc_now()
    query = (
        select(CaseTask, Case)
        .join(Case, Case.id == CaseTask.case_id)
        .where(
            CaseTask.completed_at.is_(None),
            CaseTask.due_at.is_not(None),
            CaseTask.due_at < when,
            CaseTask.overdue_alerted_at.is_(None),
            Case.state != CaseState.CLOSED,
            Case.purged_at.is_(None),
        )
        .order_by(CaseTask.due_at, CaseTask.id)
    )
    if school_id is not None:
        query = query.where(Case.school_id == school_id)
    found: list[OverdueTask] = []
    for task, case in session.execute(query):
        if task.internal and case.police_pause:
            continue
        recipient_id = task.assignee_id or case.owner_id
        recipient = session.get(Person, recipient_id) if recipient_id else None
        if recipient is not None and not _still_handles(session, case, recipient):
            recipient = None
        found.append(OverdueTask(task, case, recipient))
    return found


def _still_handles(session: Session, case: Case, person: Person) -> bool:
    """Whether ``person`` may still be told about ``case``: an active account that holds a case
    role for its school and is not someone the case is about."""
    school = session.get(School, case.school_id)
    if person.disabled_at is not None or school is None:
        return False
    return may_handle(session, case, person.id, case_roles(session, person.id, school))


def send_overdue_alerts(
    session: Session,
    mailer: Mailer,
    base_url: str,
    now: datetime | None = None,
    *,
    school_id: int | None = None,
) -> list[OverdueTask]:
    """E-mail the person each overdue task falls to (its assignee, else the case's owner), once;
    with nobody to tell, the school's headteachers and other handlers are told instead. Each
    alert is recorded in the case's chain. Commits after each task so that a failure part-way
    never sends an alert twice. Returns the tasks alerted."""
    when = now or utc_now()
    done: list[OverdueTask] = []
    for item in overdue_tasks(session, when, school_id=school_id):
        recipients = [item.recipient] if item.recipient is not None else _fallback(session, item)
        if not recipients:
            log.warning("overdue task %s on case %s has nobody to tell", item.task.id, item.case.id)
            continue
        subject = f"A task on a case is overdue: {CATEGORY_NAMES[item.case.category]}"
        due = item.task.due_at.astimezone(LONDON).strftime("%d/%m/%Y") if item.task.due_at else ""
        body = (
            f"A task on a case you handle was due by {due} and is not done.\n\n"
            f"Case: {case_link(base_url, item.case)}\n\n"
            "Sign in to see the task. The details are not sent by e-mail.\n"
        )
        sent_to: list[int] = []
        for person in recipients:
            try:
                mailer.send(person.email, subject, body)
            except Exception:  # keep going: the others must still be told
                log.exception("could not send the overdue alert to person %s", person.id)
            else:
                sent_to.append(person.id)
        if not sent_to:
            continue
        item.task.overdue_alerted_at = when
        record(
            session,
            item.case,
            SYSTEM,
            "case.task_overdue_alerted",
            {"task_id": item.task.id, "to": sent_to},
        )
        session.commit()
        done.append(item)
    return done


def _fallback(session: Session, item: OverdueTask) -> list[Person]:
    school = session.get(School, item.case.school_id)
    if school is None:
        return []
    everyone = [
        (person, roles)
        for person, roles in handlers(session, school)
        if may_handle(session, item.case, person.id, roles)
    ]
    heads = [p for p, roles in everyone if CaseRole.HEADTEACHER in roles]
    return heads or [p for p, _roles in everyone]
