"""Acknowledgements of the current edition (2.2): who must, who has, completion by group.

The policy applies to everyone with a role in the school (2.1: teachers, support and supply
staff, governors, contractors and volunteers). Each published edition is one round: a new
edition asks everyone again. Leavers (a disabled account, or a leaving date in the past) are
no longer asked.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.registers.editions import EditionRefused, edition_label
from boundaries.registers.quiz import QuizResult, grade, questions_for
from boundaries.store import (
    Acknowledgement,
    AcknowledgementReminder,
    Membership,
    Person,
    PolicyEdition,
    ReminderKind,
    SchoolRole,
    StaffRecord,
)
from boundaries.store.models import utc_now


class Group(enum.StrEnum):
    """The groups completion is reported by; a person is counted once, in the first that fits."""

    LEADERS = "leaders"
    TEACHERS = "teachers"
    SUPPORT = "support"
    SUPPLY = "supply"
    GOVERNORS = "governors"
    CONTRACTORS = "contractors"
    VOLUNTEERS = "volunteers"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Group.LEADERS: "Leaders",
    Group.TEACHERS: "Teachers",
    Group.SUPPORT: "Support staff",
    Group.SUPPLY: "Supply staff",
    Group.GOVERNORS: "Governors",
    Group.CONTRACTORS: "Contractors",
    Group.VOLUNTEERS: "Volunteers",
}
# HR and IT administrators are support staff; line managers, the DSL and the headteacher lead.
_GROUP_OF_ROLE = {
    SchoolRole.HEADTEACHER: Group.LEADERS,
    SchoolRole.DSL: Group.LEADERS,
    SchoolRole.LINE_MANAGER: Group.LEADERS,
    SchoolRole.STAFF_TEACHER: Group.TEACHERS,
    SchoolRole.STAFF_SUPPORT: Group.SUPPORT,
    SchoolRole.HR: Group.SUPPORT,
    SchoolRole.IT_ADMIN: Group.SUPPORT,
    SchoolRole.SUPPLY: Group.SUPPLY,
    SchoolRole.GOVERNOR: Group.GOVERNORS,
    SchoolRole.CONTRACTOR: Group.CONTRACTORS,
    SchoolRole.VOLUNTEER: Group.VOLUNTEERS,
}
_ORDER = list(Group)


def group_of(roles: Iterable[SchoolRole]) -> Group:
    """The one group a person with ``roles`` in the school is counted in."""
    groups = [_GROUP_OF_ROLE[role] for role in roles]
    return min(groups, key=_ORDER.index) if groups else Group.SUPPORT


class NotCovered(Exception):
    """The person has no current role in the school, so the policy does not ask them."""


class QuizNotPassed(Exception):
    """The quiz was answered below the pass mark: nothing is recorded."""

    def __init__(self, result: QuizResult) -> None:
        self.result = result
        super().__init__(f"{result.correct} of {result.total} answers were right")


@dataclass(frozen=True)
class Member:
    """Someone the policy applies to in one school."""

    person_id: int
    name: str
    email: str
    group: Group


def people_covered(session: Session, school_id: int, today: date) -> list[Member]:
    """Everyone the school's policy applies to today, by name."""
    left = set(
        session.scalars(
            select(StaffRecord.person_id).where(
                StaffRecord.school_id == school_id,
                StaffRecord.leaving_date.is_not(None),
                StaffRecord.leaving_date < today,
            )
        )
    )
    rows = session.execute(
        select(Person.id, Person.name, Person.email, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.school_id == school_id, Person.disabled_at.is_(None))
        .order_by(Person.name, Person.id)
    ).all()
    roles: dict[int, list[SchoolRole]] = {}
    names: dict[int, tuple[str, str]] = {}
    for person_id, name, email, role in rows:
        if person_id in left:
            continue
        roles.setdefault(person_id, []).append(role)
        names[person_id] = (name, email)
    return [
        Member(person_id, names[person_id][0], names[person_id][1], group_of(person_roles))
        for person_id, person_roles in roles.items()
    ]


def is_covered(session: Session, school_id: int, person_id: int, today: date) -> bool:
    return any(m.person_id == person_id for m in people_covered(session, school_id, today))


def acknowledgement_of(session: Session, edition_id: int, person_id: int) -> Acknowledgement | None:
    return session.scalars(
        select(Acknowledgement).where(
            Acknowledgement.edition_id == edition_id, Acknowledgement.person_id == person_id
        )
    ).first()


def acknowledge(
    session: Session,
    edition: PolicyEdition,
    person_id: int,
    answers: Mapping[int, int] | None = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> Acknowledgement:
    """Record that ``person_id`` has read and understood ``edition`` (once per edition).

    With a quiz, ``answers`` (question id → chosen answer) must reach the pass mark, else
    :class:`QuizNotPassed` and nothing is recorded. Acknowledging again returns the first
    record unchanged. Two requests at once are stopped by the table's unique constraint
    (an ``IntegrityError`` for the second, which callers treat as already done).
    """
    if edition.published_at is None:
        raise EditionRefused("Only a published edition can be acknowledged.")
    existing = acknowledgement_of(session, edition.id, person_id)
    if existing is not None:
        return existing
    if not is_covered(session, edition.school_id, person_id, today or date.today()):
        raise NotCovered()
    questions = questions_for(session, edition.id)
    score: float | None = None
    if questions:
        result = grade(questions, answers or {})
        if not result.passed:
            raise QuizNotPassed(result)
        score = result.score
    record = Acknowledgement(
        edition_id=edition.id,
        person_id=person_id,
        acknowledged_at=now or utc_now(),
        quiz_score=score,
    )
    session.add(record)
    session.flush()
    return record


# -- completion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    group: Group
    total: int
    done: int

    @property
    def label(self) -> str:
        return self.group.label

    @property
    def outstanding(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass(frozen=True)
class Outstanding:
    """Someone who has not yet acknowledged the edition."""

    person_id: int
    name: str
    group: Group
    days_since_publication: int
    last_reminder: datetime | None
    last_escalation: datetime | None


@dataclass(frozen=True)
class RoundStatus:
    """Completion of one edition's round, counted over the people the policy applies to now."""

    edition: PolicyEdition
    label: str
    groups: tuple[GroupFigures, ...]
    outstanding: tuple[Outstanding, ...]
    done_ids: frozenset[int]

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def done(self) -> int:
        return sum(g.done for g in self.groups)

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def _last_sent(session: Session, edition_id: int, kind: ReminderKind) -> dict[int, datetime]:
    """When each person was last e-mailed (``kind``) about ``edition_id``."""
    latest: dict[int, datetime] = {}
    for person_id, sent_at in session.execute(
        select(AcknowledgementReminder.person_id, AcknowledgementReminder.sent_at).where(
            AcknowledgementReminder.edition_id == edition_id,
            AcknowledgementReminder.kind == kind,
        )
    ):
        if person_id not in latest or sent_at > latest[person_id]:
            latest[person_id] = sent_at
    return latest


def round_status(
    session: Session,
    edition: PolicyEdition,
    today: date,
    members: list[Member] | None = None,
) -> RoundStatus:
    """Who has and has not acknowledged ``edition``, by group, as of ``today``."""
    members = members if members is not None else people_covered(session, edition.school_id, today)
    acknowledged = set(
        session.scalars(
            select(Acknowledgement.person_id).where(Acknowledgement.edition_id == edition.id)
        )
    )
    published = edition.published_at.date() if edition.published_at else today
    days = max((today - published).days, 0)
    reminders = _last_sent(session, edition.id, ReminderKind.REMINDER)
    escalations = _last_sent(session, edition.id, ReminderKind.ESCALATION)
    totals = {group: [0, 0] for group in Group}
    outstanding: list[Outstanding] = []
    done_ids: set[int] = set()
    for member in members:
        figures = totals[member.group]
        figures[0] += 1
        if member.person_id in acknowledged:
            figures[1] += 1
            done_ids.add(member.person_id)
        else:
            outstanding.append(
                Outstanding(
                    member.person_id,
                    member.name,
                    member.group,
                    days,
                    reminders.get(member.person_id),
                    escalations.get(member.person_id),
                )
            )
    groups = tuple(GroupFigures(group, total, done) for group, (total, done) in totals.items())
    return RoundStatus(
        edition, edition_label(edition), groups, tuple(outstanding), frozenset(done_ids)
    )


def all_rounds(
    session: Session, editions: list[PolicyEdition], school_id: int, today: date
) -> list[RoundStatus]:
    """Completion of each edition's round, in the order given (newest first, usually)."""
    members = people_covered(session, school_id, today)
    return [round_status(session, edition, today, members) for edition in editions]
