"""Keeping past pupils only as long as the policy needs them (6.8), then anonymising them.

The no-friending rule covers past pupils until they are 18, so a pupil who has left is kept
until their 18th birthday. After that their names, birth date and identifiers are removed; the
row and its id stay, so that declarations and cases that point at it stay intact. Parents and
carers whose children have all been anonymised are anonymised with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from boundaries.store import Contact, Declaration, DeclarationEvent, Pupil, PupilContact
from boundaries.store.models import utc_now

# What an anonymised pupil is called: a word that cannot be taken for a real name, and that
# screening never sees, because anonymised pupils are out of its scope.
ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class RetentionResult:
    """How many records one run anonymised."""

    pupils: int
    contacts: int


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def anonymise_past_pupils(session: Session, school_id: int, today: date) -> RetentionResult:
    """Anonymise the school's pupils who have left and are 18 or over, and then the contacts
    whose every child is anonymised. The caller commits.

    A pupil who has left without a recorded birth date is kept: nobody can say they are 18.
    """
    now = utc_now()
    adult_if_born_by = years_before(today, 18)
    pupils = session.execute(
        update(Pupil)
        .where(
            Pupil.school_id == school_id,
            Pupil.anonymised_at.is_(None),
            Pupil.leaving_date.is_not(None),
            Pupil.leaving_date < today,
            Pupil.date_of_birth.is_not(None),
            Pupil.date_of_birth <= adult_if_born_by,
        )
        .values(
            legal_forename=ANONYMISED,
            surname=ANONYMISED,
            preferred_forename=None,
            date_of_birth=None,
            upn=None,
            mis_id=None,
            admission_number=None,
            year_group=None,
            anonymised_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    any_link, link = aliased(PupilContact), aliased(PupilContact)
    child = aliased(Pupil)
    has_children = exists().where(any_link.contact_id == Contact.id)
    has_named_child = exists().where(
        and_(
            link.contact_id == Contact.id,
            child.id == link.pupil_id,
            child.anonymised_at.is_(None),
        )
    )
    contact_ids = list(
        session.scalars(
            select(Contact.id).where(
                Contact.school_id == school_id,
                Contact.anonymised_at.is_(None),
                has_children,
                ~has_named_child,
            )
        )
    )
    for start in range(0, len(contact_ids), 500):
        session.execute(
            update(Contact)
            .where(Contact.id.in_(contact_ids[start : start + 500]))
            .values(
                title=None,
                forename=None,
                surname=None,
                email=None,
                mis_id=None,
                anonymised_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    # Declarations about an anonymised pupil or contact keep their history, but not the name
    # typed in, nor the name quoted in an amendment's note.
    named = or_(
        Declaration.pupil_id.in_(
            select(Pupil.id).where(Pupil.school_id == school_id, Pupil.anonymised_at.is_not(None))
        ),
        Declaration.contact_id.in_(
            select(Contact.id).where(
                Contact.school_id == school_id, Contact.anonymised_at.is_not(None)
            )
        ),
    )
    session.execute(
        update(DeclarationEvent)
        .where(
            DeclarationEvent.declaration_id.in_(select(Declaration.id).where(named)),
            DeclarationEvent.note.is_not(None),
            DeclarationEvent.action == "amended",
        )
        .values(note="(removed: the subject has been anonymised)")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Declaration)
        .where(named, Declaration.subject_name != ANONYMISED)
        .values(subject_name=ANONYMISED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    anonymised = int(getattr(pupils, "rowcount", 0) or 0)
    return RetentionResult(pupils=anonymised, contacts=len(contact_ids))
