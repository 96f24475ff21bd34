"""Training (section 13): sessions and reading recorded per person, with due dates.

13.1 has the school provide training on cyberbullying; 13.2 has every member of staff read the
Safe to Learn cyberbullying guidance. Each is a :class:`TrainingRecord` per person: assigned with
a due date, completed on a day. A record is overdue when its due date has passed and it is not
completed. Staff mark their own reading as done; sessions are marked by whoever keeps the
register, because attendance is theirs to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.store import (
    Membership,
    Person,
    SchoolRole,
    StaffRecord,
    TrainingKind,
    TrainingRecord,
)

# The courses the policy itself names, offered first in forms; any other name may be typed.
SUGGESTED_COURSES: tuple[tuple[str, TrainingKind], ...] = (
    ("Social media policy briefing", TrainingKind.SESSION),
    ("Safe to Learn: cyberbullying guidance (reading)", TrainingKind.READING),
    ("Cyberbullying: understanding, preventing and responding", TrainingKind.SESSION),
)
MAX_COURSE = 200
MAX_NOTES = 2000

_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DATE_HINT = "Enter the date as day/month/year, for example 25/11/2026."


class InvalidDate(ValueError):
    """A date that could not be read, with a message for the person who typed it."""


def parse_date(text: str) -> date:
    """A date typed as ``25/11/2026`` (as our users write it) or ``2026-11-25`` (ISO 8601).

    Two-digit years and American order are refused rather than guessed at.
    """
    value = text.strip()
    uk = _UK_DATE.fullmatch(value)
    iso = _ISO_DATE.fullmatch(value)
    try:
        if uk:
            return date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        raise InvalidDate(f"{value} is not a real date. {DATE_HINT}") from None
    raise InvalidDate(DATE_HINT if not value else f"“{value}” is not a date. {DATE_HINT}")


def parse_optional_date(text: str | None) -> date | None:
    """:func:`parse_date`, with a blank meaning no date."""
    return parse_date(text) if text and text.strip() else None


class InvalidTraining(ValueError):
    """Training details that cannot be recorded: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class TrainingRow:
    """A training record with the person it belongs to, and whether it is overdue."""

    record: TrainingRecord
    person: Person
    overdue: bool


@dataclass(frozen=True)
class Assigned:
    """What assigning a course to a group did."""

    created: int
    already: int  # people who already had this course open or done: not given it twice

    @property
    def total(self) -> int:
        return self.created + self.already


def is_overdue(record: TrainingRecord, today: date) -> bool:
    """Due date passed and not completed (due today is not yet overdue)."""
    return record.completed_on is None and record.due_date is not None and record.due_date < today


def _clean_course(course: str, errors: dict[str, str]) -> str:
    name = " ".join(course.split())
    if not name:
        errors["course"] = "Enter the name of the course or reading."
    elif len(name) > MAX_COURSE:
        errors["course"] = f"The course name must be {MAX_COURSE} characters or fewer."
    return name


def _clean_notes(notes: str | None, errors: dict[str, str]) -> str | None:
    value = (notes or "").strip()
    if len(value) > MAX_NOTES:
        errors["notes"] = f"Notes must be {MAX_NOTES:,} characters or fewer."
    return value or None


def people_covered(
    session: Session, school_id: int, role: SchoolRole | None, today: date
) -> list[Person]:
    """Everyone with a role in the school (or with ``role``), leaving out disabled accounts and
    staff whose leaving date has passed: the policy covers all staff (2.1), not former staff."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.school_id == school_id, Person.disabled_at.is_(None))
        .distinct()
        .order_by(Person.name, Person.id)
    )
    if role is not None:
        query = query.where(Membership.role == role)
    left = set(
        session.scalars(
            select(StaffRecord.person_id).where(
                StaffRecord.school_id == school_id,
                StaffRecord.leaving_date.is_not(None),
                StaffRecord.leaving_date < today,
            )
        )
    )
    return [person for person in session.scalars(query) if person.id not in left]


def assignment_errors(
    course: str, due_date: date | None, notes: str | None, today: date
) -> dict[str, str]:
    """What is wrong with an assignment's details, by form field (empty when nothing is)."""
    errors: dict[str, str] = {}
    _clean_course(course, errors)
    _clean_notes(notes, errors)
    if due_date is not None and due_date < today:
        errors["due"] = "The due date must be today or later."
    return errors


def assign_training(
    session: Session,
    school_id: int,
    *,
    course: str,
    kind: TrainingKind,
    due_date: date | None,
    role: SchoolRole | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> Assigned:
    """Give ``course`` to everyone in the school (or everyone with ``role``), due ``due_date``.

    Anyone who already has a record of the same course, open or completed, is left alone, so
    assigning twice does not double anyone's list. A new round after completion is a different
    course name (for example with the year in it).
    """
    today = today or date.today()
    errors = assignment_errors(course, due_date, notes, today)
    if errors:
        raise InvalidTraining(errors)
    name = _clean_course(course, errors)
    cleaned_notes = _clean_notes(notes, errors)
    people = people_covered(session, school_id, role, today)
    holders = set(
        session.scalars(
            select(TrainingRecord.person_id).where(
                TrainingRecord.school_id == school_id,
                TrainingRecord.course == name,
            )
        )
    )
    created = 0
    for person in people:
        if person.id in holders:
            continue
        session.add(
            TrainingRecord(
                school_id=school_id,
                person_id=person.id,
                course=name,
                kind=kind,
                due_date=due_date,
                notes=cleaned_notes,
            )
        )
        created += 1
    session.flush()
    return Assigned(created=created, already=len(people) - created)


def mark_completed(
    session: Session,
    record: TrainingRecord,
    on: date,
    *,
    notes: str | None = None,
    today: date | None = None,
) -> None:
    """Record that ``record`` was completed on ``on`` (not a day still to come)."""
    today = today or date.today()
    errors: dict[str, str] = {}
    cleaned_notes = _clean_notes(notes, errors)
    if on > today:
        errors["completed_on"] = "The date it was completed cannot be in the future."
    if errors:
        raise InvalidTraining(errors)
    record.completed_on = on
    if cleaned_notes:
        record.notes = cleaned_notes
    session.flush()


def own_training(
    session: Session, school_id: int, person_id: int, today: date | None = None
) -> list[TrainingRow]:
    """One person's training in one school: open items first, soonest due first."""
    today = today or date.today()
    person = session.get(Person, person_id)
    if person is None:
        return []
    records = session.scalars(
        select(TrainingRecord).where(
            TrainingRecord.school_id == school_id, TrainingRecord.person_id == person_id
        )
    ).all()
    return [TrainingRow(r, person, is_overdue(r, today)) for r in _in_order(records)]


def school_training(
    session: Session, school_id: int, today: date | None = None, *, overdue_only: bool = False
) -> list[TrainingRow]:
    """Every training record in the school with its person, by person then due date."""
    today = today or date.today()
    query = (
        select(TrainingRecord, Person)
        .join(Person, Person.id == TrainingRecord.person_id)
        .where(TrainingRecord.school_id == school_id)
        .order_by(Person.name, Person.id)
    )
    if overdue_only:
        # A disabled account (a leaver) can do no more training: theirs is history, not a gap.
        query = query.where(
            Person.disabled_at.is_(None),
            TrainingRecord.completed_on.is_(None),
            TrainingRecord.due_date.is_not(None),
            TrainingRecord.due_date < today,
        )
    rows = session.execute(query).all()
    by_person: dict[int, list[TrainingRecord]] = {}
    people: dict[int, Person] = {}
    for record, person in rows:
        by_person.setdefault(person.id, []).append(record)
        people[person.id] = person
    return [
        TrainingRow(record, people[pid], is_overdue(record, today))
        for pid in by_person
        for record in _in_order(by_person[pid])
    ]


def overdue_training(
    session: Session, school_id: int, today: date | None = None
) -> list[TrainingRow]:
    """The school's overdue training: due date passed, not completed, the person still here."""
    return school_training(session, school_id, today, overdue_only=True)


def training_record_for(
    session: Session, school_id: int, record_id: int, person_id: int, *, manager: bool
) -> TrainingRecord | None:
    """A record of the school that this person may mark: their own, or any if they keep the
    register. Anything else is ``None`` (not found), so nobody learns which ids exist."""
    record = session.get(TrainingRecord, record_id)
    if record is None or record.school_id != school_id:
        return None
    if record.person_id != person_id and not manager:
        return None
    return record


def courses_in_school(session: Session, school_id: int) -> list[str]:
    """The course names already used in the school, for suggestions."""
    return sorted(
        set(
            session.scalars(
                select(TrainingRecord.course).where(TrainingRecord.school_id == school_id)
            )
        )
    )


def _in_order(records: Sequence[TrainingRecord]) -> list[TrainingRecord]:
    # Open items first (soonest due first, undated last), then completed ones, latest first.
    open_items = sorted(
        (r for r in records if r.completed_on is None),
        key=lambda r: (r.due_date is None, r.due_date or date.max, r.course, r.id),
    )
    done = sorted(
        (r for r in records if r.completed_on is not None),
        key=lambda r: (r.completed_on or date.min, r.id),
        reverse=True,
    )
    return [*open_items, *done]
