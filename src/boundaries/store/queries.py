"""Queries over the store that keep each school's data to itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.store.models import Membership, Person, SchoolRole


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
