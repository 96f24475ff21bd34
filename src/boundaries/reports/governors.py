"""The figures of the governors' report, for one school or for every school of a trust.

What governors must be able to see is whether the policy's duties are met: everyone it applies
to has acknowledged the current edition (2.2), declarations are decided (8.8, 9.2, 6.18), phones
are recorded (7.5), training is done (section 13), and the policy itself is not past its review
date. Every figure here is read straight from the store, so the report never disagrees with the
registers it summarises.

People whose account is disabled (leavers) are left out of every figure: they are no longer
covered by the policy, and counting them would make a school look behind when it is not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.policy import PolicyError, PolicyPack, load_pack, load_pack_text
from boundaries.registers.acknowledgements import people_covered
from boundaries.store import (
    Acknowledgement,
    Declaration,
    DeclarationStatus,
    DeviceStatus,
    Membership,
    Person,
    PolicyEdition,
    School,
    SchoolRole,
    StaffDevice,
    TrainingRecord,
    Trust,
)

NO_EDITION = "No edition published in Boundaries yet"
UK = ZoneInfo("Europe/London")


def uk_today() -> date:
    """Today's date in the UK, whatever zone the server keeps."""
    return datetime.now(UK).date()


def format_percent(value: float | None) -> str:
    """75%, 62.5%, or a dash when there is nobody to count."""
    if value is None:
        return "–"
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


@dataclass(frozen=True)
class RoleGroup:
    """A group of people the report counts together, by the roles that place them in it."""

    key: str
    label: str
    roles: frozenset[SchoolRole]


# The order the report shows the groups in.
ROLE_GROUPS: tuple[RoleGroup, ...] = (
    RoleGroup("teachers", "Teachers", frozenset({SchoolRole.STAFF_TEACHER})),
    # HR and IT administrators are non-teaching staff: support staff unless they also lead.
    RoleGroup(
        "support_staff",
        "Support staff",
        frozenset({SchoolRole.STAFF_SUPPORT, SchoolRole.HR, SchoolRole.IT_ADMIN}),
    ),
    RoleGroup("supply", "Supply staff", frozenset({SchoolRole.SUPPLY})),
    RoleGroup("governors", "Governors", frozenset({SchoolRole.GOVERNOR})),
    RoleGroup("contractors", "Contractors", frozenset({SchoolRole.CONTRACTOR})),
    RoleGroup("volunteers", "Volunteers", frozenset({SchoolRole.VOLUNTEER})),
    RoleGroup(
        "leaders",
        "Leaders",
        frozenset({SchoolRole.HEADTEACHER, SchoolRole.DSL, SchoolRole.LINE_MANAGER}),
    ),
)
# Each person is counted in one group only, so that the groups add up to the whole school: the
# first group here that any of their roles belongs to (a teacher who manages others is a leader;
# a staff governor is counted with the staff).
_PRECEDENCE = (
    "leaders",
    "teachers",
    "support_staff",
    "supply",
    "governors",
    "contractors",
    "volunteers",
)
_GROUPS_BY_KEY = {group.key: group for group in ROLE_GROUPS}

# The roles whose holders are expected to have a phone on the device register (7.5).
STAFF_ROLES = frozenset(
    {
        SchoolRole.STAFF_TEACHER,
        SchoolRole.STAFF_SUPPORT,
        SchoolRole.SUPPLY,
        SchoolRole.LINE_MANAGER,
        SchoolRole.HEADTEACHER,
        SchoolRole.DSL,
        SchoolRole.HR,
        SchoolRole.IT_ADMIN,
    }
)


def group_of(roles: Iterable[SchoolRole]) -> RoleGroup:
    """The one group a person with these roles is counted in."""
    held = set(roles)
    for key in _PRECEDENCE:
        group = _GROUPS_BY_KEY[key]
        if held & group.roles:
            return group
    raise ValueError(f"no group for the roles {sorted(held)}")


@dataclass(frozen=True)
class Completion:
    """How many of a group have acknowledged the current edition."""

    key: str
    label: str
    acknowledged: int
    people: int

    @property
    def outstanding(self) -> int:
        return self.people - self.acknowledged

    @property
    def percent(self) -> float | None:
        """Completion to one decimal place; ``None`` when the group has nobody in it."""
        if self.people == 0:
            return None
        return round(100 * self.acknowledged / self.people, 1)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass(frozen=True)
class PolicyStatus:
    """The edition in force and its review date."""

    edition_id: int | None
    version: str | None
    published_at: datetime | None
    review_date: date | None
    review_passed: bool

    @property
    def in_boundaries(self) -> bool:
        """Whether the school has published an edition in Boundaries (otherwise: the bundled
        pack is in force and nobody can have acknowledged an edition yet)."""
        return self.edition_id is not None


@dataclass(frozen=True)
class CourseOverdue:
    course: str
    overdue: int


@dataclass(frozen=True)
class SchoolReport:
    """The governors' report for one school on one day."""

    school_id: int
    school_name: str
    urn: str
    trust_name: str
    today: date
    policy: PolicyStatus
    acknowledgements: Completion
    groups: tuple[Completion, ...]
    declarations_open: int
    declarations_total: int
    oldest_open_declaration: date | None
    training_overdue: int
    training_not_yet_due: int
    training_completed: int
    people_with_overdue_training: int
    overdue_by_course: tuple[CourseOverdue, ...]
    staff: int
    devices_unrecorded: int
    devices_lost_or_stolen: int


@dataclass(frozen=True)
class TrustTotals:
    """The trust's schools added together. A person with roles in two schools is counted in
    each, as each school's duties are its own."""

    schools: int
    people: int
    acknowledged: int
    declarations_open: int
    training_overdue: int
    staff: int
    devices_unrecorded: int
    reviews_passed: int
    schools_without_edition: int

    @property
    def percent(self) -> float | None:
        if self.people == 0:
            return None
        return round(100 * self.acknowledged / self.people, 1)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass(frozen=True)
class TrustReport:
    """The governors' report for a trust: one row per school, and the totals."""

    trust_id: int
    trust_name: str
    today: date
    schools: tuple[SchoolReport, ...]
    totals: TrustTotals


# -- queries -------------------------------------------------------------------------------------


def current_edition(session: Session, school_id: int) -> PolicyEdition | None:
    """The school's newest published edition, if it has published one."""
    return session.scalars(
        select(PolicyEdition)
        .where(PolicyEdition.school_id == school_id, PolicyEdition.published_at.is_not(None))
        .order_by(PolicyEdition.published_at.desc(), PolicyEdition.id.desc())
        .limit(1)
    ).first()


def _policy_status(
    edition: PolicyEdition | None, fallback: PolicyPack, today: date
) -> PolicyStatus:
    if edition is None:
        review = fallback.review_date
        return PolicyStatus(
            None, fallback.version, None, review, review is not None and review < today
        )
    review = edition.review_date
    if review is None:
        # The edition's row may have no review date when its pack sets one: the pack decides.
        try:
            review = load_pack_text(edition.pack_yaml).review_date
        except PolicyError:
            review = None
    return PolicyStatus(
        edition.id,
        edition.version,
        edition.published_at,
        review,
        review is not None and review < today,
    )


def _active_members(session: Session, school_id: int, today: date) -> dict[int, set[SchoolRole]]:
    """Everyone the policy applies to in the school today, with their roles: the same people
    the acknowledgements dashboard counts (``people_covered``: not disabled, not left)."""
    covered = {member.person_id for member in people_covered(session, school_id, today)}
    members: dict[int, set[SchoolRole]] = {}
    for person_id, role in session.execute(
        select(Membership.person_id, Membership.role).where(Membership.school_id == school_id)
    ):
        if person_id in covered:
            members.setdefault(person_id, set()).add(role)
    return members


def _completion(
    members: dict[int, set[SchoolRole]], acknowledged: set[int]
) -> tuple[Completion, tuple[Completion, ...]]:
    people: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for person_id, roles in members.items():
        key = group_of(roles).key
        people[key] += 1
        if person_id in acknowledged:
            done[key] += 1
    groups = tuple(
        Completion(group.key, group.label, done[group.key], people[group.key])
        for group in ROLE_GROUPS
    )
    overall = Completion("everyone", "Everyone", sum(done.values()), sum(people.values()))
    return overall, groups


def school_report(
    session: Session, school_id: int, today: date, *, fallback_pack: PolicyPack | None = None
) -> SchoolReport:
    """The report for one school. ``fallback_pack`` is the pack in force where the school has
    published no edition in Boundaries (default: the bundled model policy).

    Raises ``LookupError`` for an unknown school.
    """
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"no school has the id {school_id}")
    trust_name = session.scalars(select(Trust.name).where(Trust.id == school.trust_id)).one()
    edition = current_edition(session, school_id)
    policy = _policy_status(edition, fallback_pack or load_pack(), today)

    members = _active_members(session, school_id, today)
    acknowledged: set[int] = set()
    if edition is not None:
        acknowledged = set(
            session.scalars(
                select(Acknowledgement.person_id).where(Acknowledgement.edition_id == edition.id)
            )
        ) & set(members)
    overall, groups = _completion(members, acknowledged)

    open_count, oldest = session.execute(
        select(func.count(Declaration.id), func.min(Declaration.created_at)).where(
            Declaration.school_id == school_id,
            Declaration.status == DeclarationStatus.PENDING,
        )
    ).one()
    total_declarations = session.scalar(
        select(func.count(Declaration.id)).where(Declaration.school_id == school_id)
    )

    training = session.execute(
        select(
            TrainingRecord.person_id,
            TrainingRecord.course,
            TrainingRecord.due_date,
            TrainingRecord.completed_on,
        )
        .join(Person, Person.id == TrainingRecord.person_id)
        .where(TrainingRecord.school_id == school_id, Person.disabled_at.is_(None))
    ).all()
    overdue = [
        row
        for row in training
        if row.completed_on is None and row.due_date is not None and row.due_date < today
    ]
    completed = sum(1 for row in training if row.completed_on is not None)
    by_course = Counter(row.course for row in overdue)

    staff = {person_id for person_id, roles in members.items() if roles & STAFF_ROLES}
    with_phone = set(
        session.scalars(
            select(StaffDevice.person_id).where(
                StaffDevice.school_id == school_id, StaffDevice.status == DeviceStatus.IN_USE
            )
        )
    )
    lost_or_stolen = session.scalar(
        select(func.count(StaffDevice.id))
        .join(Person, Person.id == StaffDevice.person_id)
        .where(
            StaffDevice.school_id == school_id,
            StaffDevice.status.in_([DeviceStatus.LOST, DeviceStatus.STOLEN]),
            Person.disabled_at.is_(None),
        )
    )

    return SchoolReport(
        school_id=school.id,
        school_name=school.name,
        urn=school.urn,
        trust_name=trust_name,
        today=today,
        policy=policy,
        acknowledgements=overall,
        groups=groups,
        declarations_open=int(open_count or 0),
        declarations_total=int(total_declarations or 0),
        oldest_open_declaration=oldest.date() if oldest is not None else None,
        training_overdue=len(overdue),
        training_not_yet_due=len(training) - completed - len(overdue),
        training_completed=completed,
        people_with_overdue_training=len({row.person_id for row in overdue}),
        overdue_by_course=tuple(
            CourseOverdue(course, count)
            for course, count in sorted(by_course.items(), key=lambda item: (-item[1], item[0]))
        ),
        staff=len(staff),
        devices_unrecorded=len(staff - with_phone),
        devices_lost_or_stolen=int(lost_or_stolen or 0),
    )


def trust_report(
    session: Session, trust_id: int, today: date, *, fallback_pack: PolicyPack | None = None
) -> TrustReport:
    """The report for every school of one trust, by school name, with the totals.

    Raises ``LookupError`` for an unknown trust.
    """
    trust = session.get(Trust, trust_id)
    if trust is None:
        raise LookupError(f"no trust has the id {trust_id}")
    pack = fallback_pack or load_pack()
    school_ids = session.scalars(
        select(School.id).where(School.trust_id == trust_id).order_by(School.name, School.id)
    ).all()
    schools = tuple(
        school_report(session, school_id, today, fallback_pack=pack) for school_id in school_ids
    )
    totals = TrustTotals(
        schools=len(schools),
        people=sum(s.acknowledgements.people for s in schools),
        acknowledged=sum(s.acknowledgements.acknowledged for s in schools),
        declarations_open=sum(s.declarations_open for s in schools),
        training_overdue=sum(s.training_overdue for s in schools),
        staff=sum(s.staff for s in schools),
        devices_unrecorded=sum(s.devices_unrecorded for s in schools),
        reviews_passed=sum(1 for s in schools if s.policy.review_passed),
        schools_without_edition=sum(1 for s in schools if not s.policy.in_boundaries),
    )
    return TrustReport(trust.id, trust.name, today, schools, totals)
