"""Authorisations to monitor the school's systems (section 12, RIPA): recorded by the
headteacher with a purpose from 12.1, a scope, a period, an expiry, whether staff were told, and
the roles allowed to run reports under them.

Trust officers are named by their trust role (``trust_hr``, ``trust_admin``): a council's HR
officer runs reports for a school only when the school's headteacher has named that role.
Every record and revocation is appended to the school's monitoring audit chain in the same
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.audit import AuditEvent, append
from boundaries.store import (
    Membership,
    MonitoringAuthorisation,
    MonitoringPurpose,
    NetworkDevice,
    Person,
    School,
    SchoolRole,
    TrustRole,
    TrustRoleKind,
)

PURPOSE_LABELS: dict[MonitoringPurpose, str] = {
    MonitoringPurpose.UNAUTHORISED_USE: "Unauthorised use may be taking place",
    MonitoringPurpose.REGULATORY_COMPLIANCE: "To ensure compliance with regulatory practices",
    MonitoringPurpose.STANDARDS_OF_SERVICE: "To ensure standards of service are maintained",
    MonitoringPurpose.PREVENT_OR_DETECT_CRIME: "To prevent or detect crime",
    MonitoringPurpose.PROTECT_THE_SYSTEM: "To protect the communication system",
    MonitoringPurpose.MESSAGES_WHEN_AWAY: "To pick up messages when someone is away from school",
}

# The roles an authorisation may name: those whose holders may run monitoring at all. Naming a
# teacher would grant nothing, so it is refused rather than recorded as if it meant something.
ROLE_LABELS: dict[str, str] = {
    SchoolRole.HEADTEACHER.value: "Headteacher",
    SchoolRole.DSL.value: "Safeguarding lead (DSL)",
    SchoolRole.HR.value: "HR",
    SchoolRole.IT_ADMIN.value: "IT administrator",
    TrustRoleKind.TRUST_ADMIN.value: "Trust or council administrator",
    TrustRoleKind.TRUST_HR.value: "Trust or council HR",
}
CHAIN_PREFIX = "monitoring:school:"
MAX_REASON = 5_000


def chain_for(school_id: int) -> str:
    """The school's monitoring audit chain."""
    return f"{CHAIN_PREFIX}{school_id}"


@dataclass(frozen=True)
class Caller:
    """Who is acting, with the roles they hold for this school (their own and their trust's)."""

    person_id: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def holds(self, role: str) -> bool:
        return role in self.roles


def caller_for(session: Session, school: School, person: Person) -> Caller:
    """The caller ``person`` is at ``school``: their school roles there and their trust roles."""
    roles = set(
        session.scalars(
            select(Membership.role).where(
                Membership.person_id == person.id, Membership.school_id == school.id
            )
        )
    )
    trust_roles = set(
        session.scalars(
            select(TrustRole.role).where(
                TrustRole.person_id == person.id, TrustRole.trust_id == school.trust_id
            )
        )
    )
    return Caller(person.id, person.name, frozenset(r.value for r in roles | trust_roles))


@dataclass(frozen=True)
class AuthorisationDetails:
    """What the headteacher records."""

    purpose: MonitoringPurpose | None
    reason: str
    whole_school: bool
    people: tuple[int, ...]
    devices: tuple[int, ...]
    period_start: date | None
    period_end: date | None
    expires_on: date | None
    staff_told: bool
    staff_told_how: str
    staff_told_on: date | None
    roles: tuple[str, ...]


class InvalidAuthorisation(ValueError):
    """An authorisation that cannot be recorded: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _school_people(session: Session, school_id: int, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Membership.person_id).where(
                Membership.school_id == school_id, Membership.person_id.in_(wanted)
            )
        )
    )


def _school_devices(session: Session, school_id: int, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(NetworkDevice.id).where(
                NetworkDevice.school_id == school_id, NetworkDevice.id.in_(wanted)
            )
        )
    )


def details_errors(
    session: Session, school_id: int, details: AuthorisationDetails, today: date
) -> dict[str, str]:
    """Everything wrong with ``details``, keyed by form field (empty when they can be recorded)."""
    errors: dict[str, str] = {}
    if details.purpose is None:
        errors["purpose"] = "Choose the purpose of the monitoring, from those section 12 lists."
    if not details.reason.strip():
        errors["reason"] = "Say why monitoring is needed: what you believe may be happening."
    elif len(details.reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason to {MAX_REASON:,} characters or fewer."
    if not details.whole_school and not details.people and not details.devices:
        errors["scope"] = "Name the people or devices to monitor, or choose the whole school."
    unknown_people = set(details.people) - _school_people(session, school_id, details.people)
    if unknown_people:
        errors["people"] = "Only people at this school can be named."
    unknown_devices = set(details.devices) - _school_devices(session, school_id, details.devices)
    if unknown_devices:
        errors["devices"] = "Only this school's network devices can be named."
    if details.period_start is None:
        errors["period_start"] = "Enter the first day of the period the logs may cover."
    if details.period_end is None:
        errors["period_end"] = "Enter the last day of the period the logs may cover."
    if (
        details.period_start is not None
        and details.period_end is not None
        and details.period_end < details.period_start
    ):
        errors["period_end"] = "The period must end on or after the day it starts."
    if details.expires_on is None:
        errors["expires_on"] = "Enter the day the authorisation expires."
    elif details.expires_on < today:
        errors["expires_on"] = "The expiry date has already passed."
    if details.staff_told and not details.staff_told_how.strip():
        errors["staff_told_how"] = "Say how staff were told (for example the staff meeting)."
    if details.staff_told_on is not None and details.staff_told_on > today:
        errors["staff_told_on"] = "Staff cannot have been told on a day still to come."
    if not details.roles:
        errors["roles"] = "Name at least one role that may run reports under it."
    elif set(details.roles) - set(ROLE_LABELS):
        errors["roles"] = "Only these roles can run reports: " + ", ".join(ROLE_LABELS.values())
    return errors


def _ids(text: str) -> list[int]:
    return [int(value) for value in json.loads(text or "[]")]


def people_in_scope(authorisation: MonitoringAuthorisation) -> list[int]:
    return _ids(authorisation.people_json)


def devices_in_scope(authorisation: MonitoringAuthorisation) -> list[int]:
    return _ids(authorisation.devices_json)


def roles_named(authorisation: MonitoringAuthorisation) -> list[str]:
    return [str(role) for role in json.loads(authorisation.roles_json or "[]")]


def _record(authorisation: MonitoringAuthorisation) -> dict[str, object]:
    """The authorisation's fields as the audit entry keeps them."""
    return {
        "purpose": authorisation.purpose.value,
        "reason": authorisation.reason,
        "whole_school": authorisation.whole_school,
        "people": people_in_scope(authorisation),
        "devices": devices_in_scope(authorisation),
        "period_start": authorisation.period_start.isoformat(),
        "period_end": authorisation.period_end.isoformat(),
        "expires_on": authorisation.expires_on.isoformat(),
        "staff_told": authorisation.staff_told,
        "staff_told_how": authorisation.staff_told_how,
        "staff_told_on": authorisation.staff_told_on.isoformat()
        if authorisation.staff_told_on
        else None,
        "roles": roles_named(authorisation),
    }


def authorise(
    session: Session,
    school_id: int,
    caller: Caller,
    details: AuthorisationDetails,
    *,
    today: date | None = None,
) -> MonitoringAuthorisation:
    """Record an authorisation by the school's headteacher, and its audit entry.

    Raises :class:`InvalidAuthorisation` when the caller is not the headteacher or the details
    are incomplete; nothing is written then.
    """
    today = today or date.today()
    if not caller.holds(SchoolRole.HEADTEACHER.value):
        # RIPA gives the right to monitor to the headteacher alone (section 12).
        raise InvalidAuthorisation(
            {"authorised_by": "Only the school's headteacher can authorise monitoring."}
        )
    errors = details_errors(session, school_id, details, today)
    if errors:
        raise InvalidAuthorisation(errors)
    assert details.purpose is not None
    assert details.period_start and details.period_end and details.expires_on
    authorisation = MonitoringAuthorisation(
        school_id=school_id,
        authorised_by_id=caller.person_id,
        authorised_by_name=caller.name,
        purpose=details.purpose,
        reason=details.reason.strip(),
        whole_school=details.whole_school,
        people_json=json.dumps(sorted(set(details.people)) if not details.whole_school else []),
        devices_json=json.dumps(sorted(set(details.devices)) if not details.whole_school else []),
        roles_json=json.dumps(sorted(set(details.roles))),
        period_start=details.period_start,
        period_end=details.period_end,
        expires_on=details.expires_on,
        staff_told=details.staff_told,
        staff_told_how=details.staff_told_how.strip() if details.staff_told else "",
        staff_told_on=details.staff_told_on if details.staff_told else None,
        created_at=datetime.now(UTC),
    )
    session.add(authorisation)
    session.flush()
    append(
        session,
        chain_for(school_id),
        AuditEvent(
            action="authorisation.recorded",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="monitoring_authorisation",
            subject_id=authorisation.id,
            detail=_record(authorisation),
        ),
    )
    return authorisation


def revoke(
    session: Session, authorisation: MonitoringAuthorisation, caller: Caller, reason: str
) -> None:
    """End an authorisation early: nothing more runs under it. Raises InvalidAuthorisation."""
    errors: dict[str, str] = {}
    if not caller.holds(SchoolRole.HEADTEACHER.value):
        errors["authorised_by"] = "Only the school's headteacher can revoke an authorisation."
    if authorisation.revoked_at is not None:
        errors["reason"] = "This authorisation has already been revoked."
    if not reason.strip():
        errors["reason"] = "Say why the authorisation is being revoked."
    if errors:
        raise InvalidAuthorisation(errors)
    authorisation.revoked_at = datetime.now(UTC)
    authorisation.revoked_by_id = caller.person_id
    authorisation.revoked_reason = reason.strip()
    session.flush()
    append(
        session,
        chain_for(authorisation.school_id),
        AuditEvent(
            action="authorisation.revoked",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="monitoring_authorisation",
            subject_id=authorisation.id,
            detail={"reason": authorisation.revoked_reason},
        ),
    )


def school_authorisations(session: Session, school_id: int) -> list[MonitoringAuthorisation]:
    """The school's authorisations, newest first."""
    return list(
        session.scalars(
            select(MonitoringAuthorisation)
            .where(MonitoringAuthorisation.school_id == school_id)
            .order_by(MonitoringAuthorisation.created_at.desc(), MonitoringAuthorisation.id.desc())
        )
    )


def authorisation_in(
    session: Session, school_id: int, authorisation_id: int
) -> MonitoringAuthorisation | None:
    """The school's authorisation with this id, or None (another school's is not found)."""
    found = session.get(MonitoringAuthorisation, authorisation_id)
    return found if found is not None and found.school_id == school_id else None


def status(authorisation: MonitoringAuthorisation, today: date) -> str:
    """In force, expired or revoked, as a word for the page."""
    if authorisation.revoked_at is not None:
        return "revoked"
    if authorisation.expires_on < today:
        return "expired"
    return "in force"


def in_force(
    authorisations: Sequence[MonitoringAuthorisation], today: date
) -> list[MonitoringAuthorisation]:
    return [a for a in authorisations if status(a, today) == "in force"]


@dataclass(frozen=True)
class ScopeChoice:
    """A person or device the headteacher can name in the scope."""

    id: int
    label: str


def people_choices(session: Session, school_id: int) -> list[ScopeChoice]:
    """Everyone with a role at the school, by name, once each."""
    rows = session.execute(
        select(Person.id, Person.name, Person.email)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.school_id == school_id)
        .distinct()
        .order_by(Person.name, Person.id)
    )
    return [ScopeChoice(pid, f"{name} ({email})") for pid, name, email in rows]


def device_choices(session: Session, school_id: int) -> list[ScopeChoice]:
    rows = session.execute(
        select(NetworkDevice.id, NetworkDevice.hostname, NetworkDevice.ip)
        .where(NetworkDevice.school_id == school_id)
        .order_by(NetworkDevice.hostname)
    )
    return [ScopeChoice(did, f"{host} ({ip})" if ip else host) for did, host, ip in rows]


def scope_names(
    session: Session, authorisation: MonitoringAuthorisation
) -> tuple[list[str], list[str]]:
    """The names of the people and devices in scope, for the page and the PDF."""
    people = people_in_scope(authorisation)
    devices = devices_in_scope(authorisation)
    names = (
        list(
            session.scalars(select(Person.name).where(Person.id.in_(people)).order_by(Person.name))
        )
        if people
        else []
    )
    hosts = (
        list(
            session.scalars(
                select(NetworkDevice.hostname)
                .where(NetworkDevice.id.in_(devices))
                .order_by(NetworkDevice.hostname)
            )
        )
        if devices
        else []
    )
    return names, hosts
