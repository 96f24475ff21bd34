"""Who may do what, where: a signed-in person's roles and the permissions they grant.

Schools are kept strictly apart: a role in one school grants nothing in another, and only a
trust-level role reaches across the schools of its own trust.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.store import Membership, Person, School, SchoolRole, TrustRole, TrustRoleKind


class Permission(enum.StrEnum):
    """Something a route lets a person do in one school."""

    # Check a draft post, read the policy, keep one's own drafts, acknowledge the policy, make
    # and see one's own declarations, devices and training: everyone the policy covers.
    USE_SCHOOL = "use_school"
    # See who holds which role in the school: its leaders and trust officers.
    VIEW_PEOPLE = "view_people"
    # Import the pupil, contact and staff rosters from the MIS; invite staff; network devices.
    MANAGE_ROSTER = "manage_roster"
    # Upload, compare and publish an edition of the policy; see acknowledgements; send reminders.
    MANAGE_POLICY = "manage_policy"
    # Review declarations and record decisions (8.8, 9.2, 6.18).
    REVIEW_DECLARATIONS = "review_declarations"
    # Keep the registers of staff devices (7.5) and training (section 13) for everyone.
    MANAGE_REGISTERS = "manage_registers"
    # Read the governors' report and its exports.
    VIEW_REPORTS = "view_reports"
    # Export everything held about one person (a subject access request).
    SUBJECT_ACCESS = "subject_access"
    # Triage, investigate and close incidents and cases; see their evidence (sections 11, 12).
    # Reporting one is USE_SCHOOL: anyone may report, and sees only their own report's status.
    MANAGE_CASES = "manage_cases"
    # Record an authorisation to monitor the school's systems under RIPA (section 12).
    AUTHORISE_MONITORING = "authorise_monitoring"
    # Load proxy logs and run monitoring reports, each only under an authorisation naming the role.
    RUN_MONITORING = "run_monitoring"
    # Record the school's allow and block decisions and export them (5.1).
    MANAGE_FILTERING = "manage_filtering"


ALL_SCHOOL_ROLES = frozenset(SchoolRole)
ALL_TRUST_ROLES = frozenset(TrustRoleKind)

# The one table of grants. The authorisation matrix in tests/ holds its own hand-written copy,
# route by route, so that a change here must be made there too, on purpose.
SCHOOL_GRANTS: Mapping[Permission, frozenset[SchoolRole]] = {
    Permission.USE_SCHOOL: ALL_SCHOOL_ROLES,
    Permission.VIEW_PEOPLE: frozenset(
        {SchoolRole.HEADTEACHER, SchoolRole.HR, SchoolRole.IT_ADMIN, SchoolRole.DSL}
    ),
    Permission.MANAGE_ROSTER: frozenset(
        {SchoolRole.HEADTEACHER, SchoolRole.HR, SchoolRole.IT_ADMIN}
    ),
    Permission.MANAGE_POLICY: frozenset({SchoolRole.HEADTEACHER, SchoolRole.HR}),
    Permission.REVIEW_DECLARATIONS: frozenset({SchoolRole.HEADTEACHER, SchoolRole.DSL}),
    Permission.MANAGE_REGISTERS: frozenset(
        {SchoolRole.HEADTEACHER, SchoolRole.HR, SchoolRole.IT_ADMIN}
    ),
    Permission.VIEW_REPORTS: frozenset(
        {SchoolRole.HEADTEACHER, SchoolRole.HR, SchoolRole.DSL, SchoolRole.GOVERNOR}
    ),
    Permission.SUBJECT_ACCESS: frozenset({SchoolRole.HEADTEACHER, SchoolRole.HR}),
    Permission.MANAGE_CASES: frozenset({SchoolRole.HEADTEACHER, SchoolRole.DSL, SchoolRole.HR}),
    Permission.AUTHORISE_MONITORING: frozenset({SchoolRole.HEADTEACHER}),
    Permission.RUN_MONITORING: frozenset(
        {SchoolRole.HEADTEACHER, SchoolRole.DSL, SchoolRole.HR, SchoolRole.IT_ADMIN}
    ),
    Permission.MANAGE_FILTERING: frozenset({SchoolRole.HEADTEACHER, SchoolRole.IT_ADMIN}),
}
TRUST_GRANTS: Mapping[Permission, frozenset[TrustRoleKind]] = {
    Permission.USE_SCHOOL: ALL_TRUST_ROLES,
    Permission.VIEW_PEOPLE: ALL_TRUST_ROLES,
    Permission.MANAGE_ROSTER: frozenset({TrustRoleKind.TRUST_ADMIN}),
    Permission.MANAGE_POLICY: frozenset({TrustRoleKind.TRUST_ADMIN, TrustRoleKind.TRUST_HR}),
    Permission.REVIEW_DECLARATIONS: frozenset({TrustRoleKind.TRUST_SAFEGUARDING}),
    Permission.MANAGE_REGISTERS: frozenset({TrustRoleKind.TRUST_ADMIN, TrustRoleKind.TRUST_HR}),
    Permission.VIEW_REPORTS: ALL_TRUST_ROLES,
    Permission.SUBJECT_ACCESS: frozenset({TrustRoleKind.TRUST_HR}),
    Permission.MANAGE_CASES: frozenset({TrustRoleKind.TRUST_SAFEGUARDING, TrustRoleKind.TRUST_HR}),
    # RIPA gives the right to the headteacher; a council's officers run reports under it.
    Permission.AUTHORISE_MONITORING: frozenset(),
    Permission.RUN_MONITORING: frozenset({TrustRoleKind.TRUST_ADMIN, TrustRoleKind.TRUST_HR}),
    Permission.MANAGE_FILTERING: frozenset({TrustRoleKind.TRUST_ADMIN}),
}


def trust_grants(principal: Principal, permission: Permission, trust_id: int) -> bool:
    """Whether a trust-level role lets the principal do ``permission`` across a whole trust
    (the trust's own pages, such as its governors' report)."""
    return bool(principal.trust_roles.get(trust_id, frozenset()) & TRUST_GRANTS[permission])


@dataclass(frozen=True)
class Principal:
    """A signed-in person with the roles they hold, school by school and trust by trust."""

    person_id: int
    name: str
    email: str
    school_roles: Mapping[int, frozenset[SchoolRole]] = field(default_factory=dict)
    trust_roles: Mapping[int, frozenset[TrustRoleKind]] = field(default_factory=dict)

    def may(self, permission: Permission, school: School) -> bool:
        """Whether this person may do ``permission`` in ``school``."""
        if self.school_roles.get(school.id, frozenset()) & SCHOOL_GRANTS[permission]:
            return True
        return bool(self.trust_roles.get(school.trust_id, frozenset()) & TRUST_GRANTS[permission])

    def knows(self, school: School) -> bool:
        """Whether the school is any business of this person's (otherwise it is not found)."""
        return school.id in self.school_roles or school.trust_id in self.trust_roles


def load_principal(session: Session, person_id: int) -> Principal | None:
    """The principal for a person id, or ``None`` if the person is gone or disabled."""
    person = session.get(Person, person_id)
    if person is None or person.disabled_at is not None:  # a disabled account signs nobody in
        return None
    school_roles: dict[int, set[SchoolRole]] = {}
    for school_id, role in session.execute(
        select(Membership.school_id, Membership.role).where(Membership.person_id == person_id)
    ):
        school_roles.setdefault(school_id, set()).add(role)
    trust_roles: dict[int, set[TrustRoleKind]] = {}
    for trust_id, trust_role in session.execute(
        select(TrustRole.trust_id, TrustRole.role).where(TrustRole.person_id == person_id)
    ):
        trust_roles.setdefault(trust_id, set()).add(trust_role)
    return Principal(
        person_id=person.id,
        name=person.name,
        email=person.email,
        school_roles={k: frozenset(v) for k, v in school_roles.items()},
        trust_roles={k: frozenset(v) for k, v in trust_roles.items()},
    )


def schools_for(session: Session, principal: Principal) -> list[School]:
    """Every school the principal may use, by name."""
    schools = session.scalars(
        select(School)
        .where(
            School.id.in_(list(principal.school_roles))
            | School.trust_id.in_(list(principal.trust_roles))
        )
        .order_by(School.name, School.id)
    )
    return [school for school in schools if principal.may(Permission.USE_SCHOOL, school)]
