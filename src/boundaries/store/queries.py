"""Queries over the store that keep each school's data to itself."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from boundaries.store.models import Membership, Person, SchoolRole
from boundaries.store.pupils import ConfidentialTerm, Contact, Pupil, PupilContact


def people_in_school(session: Session, school_id: int) -> list[tuple[Person, list[SchoolRole]]]:
    """Everyone with a role in one school, with their roles there, sorted by name.

    Only memberships of ``school_id`` are read, so nobody from another school appears and no
    role held elsewhere is shown.
    """
    rows = session.execute(
        select(Person, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.school_id == school_id)
        .order_by(Person.name, Person.id, Membership.role)
    ).all()
    people: dict[int, tuple[Person, list[SchoolRole]]] = {}
    for person, role in rows:
        people.setdefault(person.id, (person, []))[1].append(role)
    return list(people.values())


def pupils_in_scope(session: Session, school_id: int, today: date) -> list[Pupil]:
    """The pupils the no-contact rules cover: on roll, or left but not yet 18 (6.8).

    A pupil with no birth date who has left is kept too: without the date, nobody can say they
    are out of scope.
    """
    eighteen_years_ago = _years_before(today, 18)
    return list(
        session.scalars(
            select(Pupil)
            .where(
                Pupil.school_id == school_id,
                # Anonymised pupils have no names left to find (and were 18 or over).
                Pupil.anonymised_at.is_(None),
                or_(
                    Pupil.leaving_date.is_(None),
                    Pupil.leaving_date >= today,
                    Pupil.date_of_birth.is_(None),
                    Pupil.date_of_birth > eighteen_years_ago,
                ),
            )
            .order_by(Pupil.surname, Pupil.legal_forename, Pupil.id)
        )
    )


def confidential_terms(session: Session, school_id: int) -> list[str]:
    """The school's confidential terms, in the order they were added."""
    return list(
        session.scalars(
            select(ConfidentialTerm.term)
            .where(ConfidentialTerm.school_id == school_id)
            .order_by(ConfidentialTerm.id)
        )
    )


def staff_names(session: Session, school_id: int) -> list[str]:
    """The names of everyone with a role in the school (for telling staff from pupils)."""
    return sorted(
        set(
            session.scalars(
                select(Person.name)
                .join(Membership, Membership.person_id == Person.id)
                .where(Membership.school_id == school_id)
            )
        )
    )


def roster_fingerprint(session: Session, school_id: int) -> tuple[int | str, ...]:
    """A cheap summary that changes whenever the school's pupils, terms or people change.

    Counts and highest ids catch additions and deletions; the latest ``updated_at`` catches a
    pupil edited in place (a corrected name, a leaving date). A renamed member of staff is not
    seen here, so callers that cache on it also recheck after a while.
    """
    row = session.execute(
        select(
            select(func.count(Pupil.id)).where(Pupil.school_id == school_id).scalar_subquery(),
            select(func.coalesce(func.max(Pupil.id), 0))
            .where(Pupil.school_id == school_id)
            .scalar_subquery(),
            select(func.count(ConfidentialTerm.id))
            .where(ConfidentialTerm.school_id == school_id)
            .scalar_subquery(),
            select(func.coalesce(func.max(ConfidentialTerm.id), 0))
            .where(ConfidentialTerm.school_id == school_id)
            .scalar_subquery(),
            select(func.count(Membership.id))
            .where(Membership.school_id == school_id)
            .scalar_subquery(),
            select(func.coalesce(func.max(Membership.id), 0))
            .where(Membership.school_id == school_id)
            .scalar_subquery(),
            # Parents and carers: links counted, edits by the contacts' latest change.
            select(func.count(PupilContact.id))
            .join(Contact, Contact.id == PupilContact.contact_id)
            .where(Contact.school_id == school_id)
            .scalar_subquery(),
            select(func.max(Contact.updated_at))
            .where(Contact.school_id == school_id)
            .scalar_subquery(),
            select(func.max(Pupil.updated_at))
            .where(Pupil.school_id == school_id)
            .scalar_subquery(),
        )
    ).one()
    *counts, contact_edit, latest_edit = row
    return (
        *(int(value or 0) for value in counts),
        str(contact_edit or ""),
        str(latest_edit or ""),
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
