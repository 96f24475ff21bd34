"""The parents and carers screening should know: those of the pupils the policy covers (6.18).

A contact is included while at least one of their children is in scope (on roll, or left and
not yet 18); anonymised contacts and pupils never are.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.screening.context import Parent
from boundaries.store import Contact, PupilContact
from boundaries.store.queries import pupils_in_scope


def parents_in_scope(session: Session, school_id: int, today: date) -> list[Parent]:
    """Each named contact with the children in scope they are linked to, by name."""
    children = {
        pupil.id: f"{pupil.legal_forename} {pupil.surname}"
        for pupil in pupils_in_scope(session, school_id, today)
        if pupil.anonymised_at is None
    }
    if not children:
        return []
    names: dict[int, str] = {}
    linked: dict[int, list[str]] = {}
    rows = session.execute(
        select(Contact.id, Contact.title, Contact.forename, Contact.surname, PupilContact.pupil_id)
        .join(PupilContact, PupilContact.contact_id == Contact.id)
        .where(Contact.school_id == school_id, Contact.anonymised_at.is_(None))
        .order_by(Contact.surname, Contact.forename, Contact.id)
    )
    for contact_id, title, forename, surname, pupil_id in rows:
        if pupil_id not in children:
            continue
        name = " ".join(part for part in (forename or title, surname) if part)
        if not name:
            continue
        names[contact_id] = name
        linked.setdefault(contact_id, []).append(children[pupil_id])
    return [
        Parent(name=names[contact_id], children=tuple(sorted(set(linked[contact_id]))))
        for contact_id in names
    ]
