"""E-mail reminders to acknowledge the current edition, and escalation to line managers.

Each person who has not acknowledged is e-mailed at most once every ``remind_after_days``;
once the edition has been published for ``escalate_after_days``, their line manager (from the
MIS staff record; else the headteacher) is told too, again at most once per interval, in one
e-mail per manager naming everyone of theirs who is outstanding. Every e-mail sent is recorded
(:class:`AcknowledgementReminder`). An e-mail names the edition and links to the page where it
is acknowledged: it says nothing else about anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.mail import Mailer
from boundaries.registers.acknowledgements import Outstanding, round_status
from boundaries.registers.editions import ensure_current_edition, parse_edition
from boundaries.store import (
    AcknowledgementReminder,
    Membership,
    Person,
    PolicyEdition,
    ReminderKind,
    School,
    SchoolRole,
    StaffRecord,
)
from boundaries.store.models import utc_now

log = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What one run did, for the person who started it."""

    edition: PolicyEdition
    reminded: list[str] = field(default_factory=list)  # names
    escalated: list[tuple[str, list[str]]] = field(default_factory=list)  # manager, names
    not_due: int = 0  # outstanding, but reminded too recently
    failed: list[str] = field(default_factory=list)  # addresses the mail server refused


def acknowledge_link(base_url: str, school_id: int) -> str:
    return f"{base_url.rstrip('/')}/schools/{school_id}/acknowledge"


def escalation_targets(session: Session, school_id: int, person_id: int) -> list[Person]:
    """Whom to tell that ``person_id`` has not acknowledged: their line manager in this school,
    else the school's headteacher(s); never the person themselves or a disabled account."""
    manager_id = session.scalars(
        select(StaffRecord.line_manager_id).where(
            StaffRecord.school_id == school_id, StaffRecord.person_id == person_id
        )
    ).first()
    if manager_id is not None and manager_id != person_id:
        manager = session.get(Person, manager_id)
        if manager is not None and manager.disabled_at is None:
            return [manager]
    return list(
        session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.school_id == school_id,
                Membership.role == SchoolRole.HEADTEACHER,
                Person.disabled_at.is_(None),
                Person.id != person_id,
            )
            .order_by(Person.name, Person.id)
        )
    )


def _due(last: datetime | None, today: date, interval_days: int) -> bool:
    return last is None or (today - last.date()).days >= interval_days


def _edition_words(edition: PolicyEdition, title: str) -> str:
    version = f", version {edition.version}" if edition.version else ""
    published = f"{edition.published_at:%d/%m/%Y}" if edition.published_at else ""
    return f"“{title}”{version}, published on {published}"


def _reminder_body(school: School, edition: PolicyEdition, title: str, link: str) -> str:
    return (
        "Hello,\n\n"
        f"{school.name} asks everyone its social media policy applies to to read the current "
        "edition and confirm that they have read and understood it (clause 2.2 of the policy).\n\n"
        f"The current edition is {_edition_words(edition, title)}. You have not yet "
        "acknowledged it.\n\n"
        f"Please read and acknowledge it here:\n{link}\n\n"
        "This is an automatic message from Boundaries.\n"
    )


def _escalation_body(
    school: School, edition: PolicyEdition, title: str, link: str, names: Sequence[str]
) -> str:
    listing = "\n".join(f"- {name}" for name in names)
    return (
        "Hello,\n\n"
        f"The people below have not yet acknowledged the current edition of {school.name}'s "
        f"social media policy, {_edition_words(edition, title)}. You are told as their line "
        "manager, or as the headteacher where no line manager is recorded.\n\n"
        f"{listing}\n\n"
        f"Please ask them to read and acknowledge it here:\n{link}\n\n"
        "This is an automatic message from Boundaries.\n"
    )


def send_reminders(
    session: Session,
    school_id: int,
    mailer: Mailer,
    today: date,
    remind_after_days: int = 7,
    escalate_after_days: int = 14,
    base_url: str = "http://127.0.0.1:8000",
    *,
    base_text: str | None = None,
    now: datetime | None = None,
) -> ReminderRun:
    """Remind everyone who has not acknowledged the school's current edition, and escalate.

    ``today`` is the day the run is for; each e-mail is recorded at the current time of day on
    that day (or at ``now``), so that a run for another day keeps the intervals consistent.
    The records are flushed, not committed: the caller commits.
    """
    if remind_after_days < 1 or escalate_after_days < 0:
        raise ValueError("reminders need an interval of at least a day")
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"no school has the id {school_id}")
    edition = ensure_current_edition(session, school_id, base_text)
    title = parse_edition(edition).title
    link = acknowledge_link(base_url, school_id)
    stamp = now or datetime.combine(today, utc_now().time(), tzinfo=UTC)
    status = round_status(session, edition, today)
    run = ReminderRun(edition)

    def record(person_id: int, kind: ReminderKind, address: str) -> None:
        session.add(
            AcknowledgementReminder(
                edition_id=edition.id,
                person_id=person_id,
                kind=kind,
                sent_to=address,
                sent_at=stamp,
            )
        )

    def deliver(address: str, subject: str, body: str) -> bool:
        try:
            mailer.send(address, subject, body)
        except OSError as exc:  # smtplib's errors are OSErrors too
            log.warning("The reminder to %s could not be sent: %s", address, exc)
            run.failed.append(address)
            return False
        return True

    people = {
        person.id: person
        for person in session.scalars(
            select(Person).where(Person.id.in_([o.person_id for o in status.outstanding]))
        )
    }
    subject = f"Please acknowledge {school.name}'s social media policy"
    body = _reminder_body(school, edition, title, link)
    for outstanding in status.outstanding:
        if not _due(outstanding.last_reminder, today, remind_after_days):
            run.not_due += 1
            continue
        person = people[outstanding.person_id]
        if deliver(person.email, subject, body):
            record(person.id, ReminderKind.REMINDER, person.email)
            run.reminded.append(person.name)

    if status.outstanding and outstanding_days(status.outstanding) >= escalate_after_days:
        by_manager: dict[int, tuple[Person, list[Outstanding]]] = {}
        for outstanding in status.outstanding:
            if not _due(outstanding.last_escalation, today, remind_after_days):
                continue
            for manager in escalation_targets(session, school_id, outstanding.person_id):
                by_manager.setdefault(manager.id, (manager, []))[1].append(outstanding)
        escalation_subject = f"Policy acknowledgements outstanding at {school.name}"
        for manager, waiting in by_manager.values():
            names = [o.name for o in waiting]
            text = _escalation_body(school, edition, title, link, names)
            if deliver(manager.email, escalation_subject, text):
                for outstanding in waiting:
                    record(outstanding.person_id, ReminderKind.ESCALATION, manager.email)
                run.escalated.append((manager.name, names))
    session.flush()
    return run


def outstanding_days(outstanding: Sequence[Outstanding]) -> int:
    """Days since the edition was published (the same for everyone in one round)."""
    return max(o.days_since_publication for o in outstanding)
