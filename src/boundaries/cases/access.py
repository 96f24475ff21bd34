"""Who may see and handle a school's cases (issue 5, build item 5).

Cases are seen only by the school's headteacher, designated safeguarding lead (DSL) and HR,
and by the trust roles granted it (trust safeguarding, trust HR) — the same people the web
app's ``MANAGE_CASES`` permission names. One more rule protects the process: a person named
as the *subject* of a case (the concern is about them) does not see it, even if they hold one
of those roles, so that a concern about the headteacher goes to the DSL, HR or the trust.

Anything a person may not see is "no such case" (``None``), the same as a case that does not
exist, so that ids reveal nothing.
"""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.store import (
    Case,
    CaseParty,
    Membership,
    PartyRole,
    Person,
    School,
    SchoolRole,
    TrustRole,
    TrustRoleKind,
)


class CaseRole(enum.StrEnum):
    """A role that handles cases, in a school or across its trust."""

    HEADTEACHER = "headteacher"
    DSL = "dsl"
    HR = "hr"
    TRUST_SAFEGUARDING = "trust_safeguarding"
    TRUST_HR = "trust_hr"


ROLE_LABELS = {
    CaseRole.HEADTEACHER: "headteacher",
    CaseRole.DSL: "designated safeguarding lead",
    CaseRole.HR: "HR",
    CaseRole.TRUST_SAFEGUARDING: "trust safeguarding lead",
    CaseRole.TRUST_HR: "trust HR",
}
_SCHOOL_ROLES = {
    SchoolRole.HEADTEACHER: CaseRole.HEADTEACHER,
    SchoolRole.DSL: CaseRole.DSL,
    SchoolRole.HR: CaseRole.HR,
}
_TRUST_ROLES = {
    TrustRoleKind.TRUST_SAFEGUARDING: CaseRole.TRUST_SAFEGUARDING,
    TrustRoleKind.TRUST_HR: CaseRole.TRUST_HR,
}


def case_roles(session: Session, person_id: int, school: School) -> frozenset[CaseRole]:
    """The case-handling roles ``person_id`` holds for ``school`` (none for most people)."""
    roles: set[CaseRole] = set()
    for role in session.scalars(
        select(Membership.role).where(
            Membership.person_id == person_id, Membership.school_id == school.id
        )
    ):
        if role in _SCHOOL_ROLES:
            roles.add(_SCHOOL_ROLES[role])
    for trust_role in session.scalars(
        select(TrustRole.role).where(
            TrustRole.person_id == person_id, TrustRole.trust_id == school.trust_id
        )
    ):
        if trust_role in _TRUST_ROLES:
            roles.add(_TRUST_ROLES[trust_role])
    return frozenset(roles)


def subject_ids(session: Session, case_id: int) -> set[int]:
    """The people a case is about (its subjects), by person id."""
    return {
        person_id
        for person_id in session.scalars(
            select(CaseParty.person_id).where(
                CaseParty.case_id == case_id,
                CaseParty.role == PartyRole.SUBJECT,
                CaseParty.person_id.is_not(None),
            )
        )
        if person_id is not None
    }


def cases_about(session: Session, person_id: int) -> set[int]:
    """The ids of the cases ``person_id`` is a subject of (kept from them everywhere)."""
    return set(
        session.scalars(
            select(CaseParty.case_id).where(
                CaseParty.person_id == person_id, CaseParty.role == PartyRole.SUBJECT
            )
        )
    )


def may_handle(session: Session, case: Case, person_id: int, roles: frozenset[CaseRole]) -> bool:
    """Whether a person with ``roles`` may see and work on ``case``."""
    return bool(roles) and person_id not in subject_ids(session, case.id)


def handled_case(
    session: Session, school: School, case_id: int, person_id: int
) -> tuple[Case, frozenset[CaseRole]] | None:
    """The case with its viewer's roles, if this person may handle it; otherwise ``None``."""
    case = session.get(Case, case_id)
    if case is None or case.school_id != school.id or case.purged_at is not None:
        return None
    roles = case_roles(session, person_id, school)
    if not may_handle(session, case, person_id, roles):
        return None
    return case, roles


def handlers(session: Session, school: School) -> list[tuple[Person, frozenset[CaseRole]]]:
    """Everyone who handles the school's cases, with their roles, by name."""
    found: dict[int, tuple[Person, set[CaseRole]]] = {}
    for person, role in session.execute(
        select(Person, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.school_id == school.id,
            Membership.role.in_(list(_SCHOOL_ROLES)),
            Person.disabled_at.is_(None),
        )
    ):
        found.setdefault(person.id, (person, set()))[1].add(_SCHOOL_ROLES[role])
    for person, trust_role in session.execute(
        select(Person, TrustRole.role)
        .join(TrustRole, TrustRole.person_id == Person.id)
        .where(
            TrustRole.trust_id == school.trust_id,
            TrustRole.role.in_(list(_TRUST_ROLES)),
            Person.disabled_at.is_(None),
        )
    ):
        found.setdefault(person.id, (person, set()))[1].add(_TRUST_ROLES[trust_role])
    return sorted(
        ((person, frozenset(roles)) for person, roles in found.values()),
        key=lambda item: (item[0].name.casefold(), item[0].id),
    )
