"""Declarations (8.8, 9.2, 6.18): social-media relationships with pupils, past pupils or
parents outside work, declared by the member of staff and decided on by the headteacher or DSL.

A declaration is seen by the person who made it and by reviewers (``REVIEW_DECLARATIONS``) and
by nobody else. Every step (submitted, amended, decided, withdrawn) adds a
:class:`DeclarationEvent`; events are never changed, so the history is the record. An amendment
sends the declaration back for review, because what was decided on is no longer what is declared.

:func:`declared_relationships` is what the connections audit reads: a declared relationship is
not a finding, it is a known and acknowledged one (9.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from boundaries.store import (
    Contact,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    DeclarationSubject,
    Person,
    Pupil,
    PupilContact,
)
from boundaries.store.models import utc_now

# Offered in the form (a datalist): any other platform may be typed.
PLATFORMS = (
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Snapchat",
    "TikTok",
    "X (Twitter)",
    "LinkedIn",
    "YouTube",
    "Discord",
    "Strava",
)
DECISIONS = (
    DeclarationStatus.ACCEPTED,
    DeclarationStatus.ACCEPTED_WITH_CONDITIONS,
    DeclarationStatus.NOT_ACCEPTED,
)
STATUS_LABELS = {
    DeclarationStatus.PENDING: "Awaiting a decision",
    DeclarationStatus.ACCEPTED: "Accepted",
    DeclarationStatus.ACCEPTED_WITH_CONDITIONS: "Accepted with conditions",
    DeclarationStatus.NOT_ACCEPTED: "Not accepted",
    DeclarationStatus.WITHDRAWN: "Withdrawn",
}
SUBJECT_LABELS = {
    DeclarationSubject.PUPIL: "A pupil at the school",
    DeclarationSubject.PAST_PUPIL: "A past pupil",
    DeclarationSubject.PARENT: "A parent or carer of a pupil",
    DeclarationSubject.OTHER: "Someone else connected with the school",
}
ACTION_LABELS = {
    "submitted": "Declared",
    "amended": "Amended",
    "decided": "Decision recorded",
    "withdrawn": "Withdrawn",
}
MAX_NAME = 200
MAX_PLATFORM = 100
MAX_NATURE = 200
MAX_TEXT = 5000
MIN_SEARCH = 2
# The largest id a row can have (32-bit INTEGER in PostgreSQL): a larger number from a form is
# nobody, not a query that fails.
MAX_ID = 2**31 - 1


class InvalidDeclaration(ValueError):
    """Details that cannot be recorded: a message per form field, in the order to show them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class DeclarationDetails:
    """What the member of staff declares.

    The other person is either on the school's roster (``pupil_id`` or ``contact_id``) or
    named in ``subject_name`` with ``subject`` saying how they are connected with the school.
    """

    platform: str
    nature: str
    reason: str
    since: date | None = None
    pupil_id: int | None = None
    contact_id: int | None = None
    subject_name: str = ""
    subject: DeclarationSubject | None = None


@dataclass(frozen=True)
class RosterMatch:
    """Someone on the school's roster a declaration may name."""

    kind: str  # "pupil" or "contact"
    id: int
    name: str
    detail: str  # a year group, "left", or whose parent or carer they are

    @property
    def key(self) -> str:
        """The form value that picks this person: ``pupil:12`` or ``contact:7``."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class DeclaredRelationship:
    """A declared relationship, as the connections audit needs it."""

    declaration_id: int
    subject: DeclarationSubject
    pupil_id: int | None
    contact_id: int | None
    name: str
    platform: str
    status: DeclarationStatus


@dataclass(frozen=True)
class DeclarationRow:
    """A declaration with the person who made it (for reviewers' lists)."""

    declaration: Declaration
    declarer: Person


@dataclass
class _Checked:
    subject: DeclarationSubject
    subject_name: str
    pupil_id: int | None
    contact_id: int | None
    platform: str
    nature: str
    reason: str
    since: date | None
    changes: list[str] = field(default_factory=list)


# -- names --------------------------------------------------------------------------------------
def pupil_name(pupil: Pupil) -> str:
    """The pupil's name as staff know it: preferred forename, with the legal one if different."""
    preferred = (pupil.preferred_forename or "").strip()
    if preferred and preferred != pupil.legal_forename:
        return f"{preferred} ({pupil.legal_forename}) {pupil.surname}"
    return f"{pupil.legal_forename} {pupil.surname}"


def contact_name(contact: Contact) -> str:
    """A parent's or carer's name from the MIS, title included."""
    parts = [contact.title, contact.forename, contact.surname]
    return " ".join(p.strip() for p in parts if p and p.strip()) or "(no name recorded)"


def has_left(pupil: Pupil, today: date) -> bool:
    return pupil.leaving_date is not None and pupil.leaving_date <= today


# -- the roster search ------------------------------------------------------------------------
def _words_match(words: Sequence[str], *columns: QueryableAttribute[Any]) -> ColumnElement[bool]:
    # Every word typed must be found in one of the name columns, so "olly harg" finds Olly
    # Hargreaves; LIKE wildcards typed by the user are matched literally.
    return and_(
        *(
            or_(*(func.lower(column).contains(word, autoescape=True) for column in columns))
            for word in words
        )
    )


def search_roster(
    session: Session, school_id: int, query: str, *, today: date | None = None, limit: int = 15
) -> list[RosterMatch]:
    """Pupils (current and past) and parents or carers of the school whose names match ``query``.

    Anonymised records are never offered: there is nobody left to name.
    """
    today = today or date.today()
    words = [w.lower() for w in query.split() if w]
    if len("".join(words)) < MIN_SEARCH:
        return []
    pupils = session.scalars(
        select(Pupil)
        .where(
            Pupil.school_id == school_id,
            Pupil.anonymised_at.is_(None),
            _words_match(words, Pupil.legal_forename, Pupil.preferred_forename, Pupil.surname),
        )
        .order_by(Pupil.surname, Pupil.legal_forename, Pupil.id)
        .limit(limit)
    ).all()
    matches = [
        RosterMatch(
            "pupil",
            p.id,
            pupil_name(p),
            f"left {p.leaving_date.strftime('%d/%m/%Y')}"
            if p.leaving_date is not None and has_left(p, today)
            else (p.year_group or "pupil"),
        )
        for p in pupils
    ]
    contacts = session.scalars(
        select(Contact)
        .where(
            Contact.school_id == school_id,
            Contact.anonymised_at.is_(None),
            _words_match(words, Contact.forename, Contact.surname),
        )
        .order_by(Contact.surname, Contact.forename, Contact.id)
        .limit(limit)
    ).all()
    children = _children_of(session, [c.id for c in contacts])
    for contact in contacts:
        names = children.get(contact.id, [])
        detail = "parent or carer of " + ", ".join(names) if names else "parent or carer"
        matches.append(RosterMatch("contact", contact.id, contact_name(contact), detail))
    return matches


def _children_of(session: Session, contact_ids: list[int]) -> dict[int, list[str]]:
    if not contact_ids:
        return {}
    found: dict[int, list[str]] = {}
    for contact_id, pupil in session.execute(
        select(PupilContact.contact_id, Pupil)
        .join(Pupil, Pupil.id == PupilContact.pupil_id)
        .where(PupilContact.contact_id.in_(contact_ids), Pupil.anonymised_at.is_(None))
        .order_by(Pupil.surname, Pupil.legal_forename)
    ):
        found.setdefault(contact_id, []).append(pupil_name(pupil))
    return found


def roster_choice(
    session: Session, school_id: int, key: str, today: date | None = None
) -> RosterMatch | None:
    """The roster entry a form value (``pupil:12``) names, if it is this school's."""
    kind, _, number = key.partition(":")
    if not number.isdigit() or not 0 < int(number) <= MAX_ID:
        return None
    today = today or date.today()
    if kind == "pupil":
        pupil = session.get(Pupil, int(number))
        if pupil is None or pupil.school_id != school_id or pupil.anonymised_at is not None:
            return None
        return RosterMatch("pupil", pupil.id, pupil_name(pupil), pupil.year_group or "")
    if kind == "contact":
        contact = session.get(Contact, int(number))
        if contact is None or contact.school_id != school_id or contact.anonymised_at is not None:
            return None
        names = _children_of(session, [contact.id]).get(contact.id, [])
        detail = "parent or carer of " + ", ".join(names) if names else "parent or carer"
        return RosterMatch("contact", contact.id, contact_name(contact), detail)
    return None


# -- checking what was declared -------------------------------------------------------------------
def _check(session: Session, school_id: int, details: DeclarationDetails, today: date) -> _Checked:
    errors: dict[str, str] = {}
    chosen = [
        x for x in (details.pupil_id, details.contact_id, details.subject_name.strip() or None) if x
    ]
    subject: DeclarationSubject | None = details.subject
    subject_name = " ".join(details.subject_name.split())
    pupil_id: int | None = None
    contact_id: int | None = None
    if len(chosen) != 1:
        errors["who"] = (
            "Choose the person from the school's list, or type their name if they are not on it."
        )
    elif details.pupil_id is not None:
        pupil = session.get(Pupil, details.pupil_id) if 0 < details.pupil_id <= MAX_ID else None
        if pupil is None or pupil.school_id != school_id or pupil.anonymised_at is not None:
            errors["who"] = "That pupil is not on the school's list. Search again."
        else:
            pupil_id = pupil.id
            subject_name = pupil_name(pupil)
            subject = (
                DeclarationSubject.PAST_PUPIL
                if has_left(pupil, today)
                else DeclarationSubject.PUPIL
            )
    elif details.contact_id is not None:
        contact = (
            session.get(Contact, details.contact_id) if 0 < details.contact_id <= MAX_ID else None
        )
        if contact is None or contact.school_id != school_id or contact.anonymised_at is not None:
            errors["who"] = "That parent or carer is not on the school's list. Search again."
        else:
            contact_id = contact.id
            subject_name = contact_name(contact)
            subject = DeclarationSubject.PARENT
    else:
        if len(subject_name) > MAX_NAME:
            errors["subject_name"] = f"The name must be {MAX_NAME} characters or fewer."
        if subject is None:
            errors["subject"] = "Say how the person is connected with the school."
    platform = " ".join(details.platform.split())
    if not platform:
        errors["platform"] = "Enter the platform, for example Facebook or WhatsApp."
    elif len(platform) > MAX_PLATFORM:
        errors["platform"] = f"The platform must be {MAX_PLATFORM} characters or fewer."
    nature = " ".join(details.nature.split())
    if not nature:
        errors["nature"] = "Describe the relationship, for example “friends on Facebook”."
    elif len(nature) > MAX_NATURE:
        errors["nature"] = f"The description must be {MAX_NATURE} characters or fewer."
    if details.since is not None and details.since > today:
        errors["since"] = "The date it began cannot be in the future."
    reason = details.reason.strip()
    if not reason:
        errors["reason"] = "Say why the relationship exists, for example a shared social circle."
    elif len(reason) > MAX_TEXT:
        errors["reason"] = f"The explanation must be {MAX_TEXT:,} characters or fewer."
    if errors:
        raise InvalidDeclaration(errors)
    assert subject is not None
    return _Checked(
        subject, subject_name, pupil_id, contact_id, platform, nature, reason, details.since
    )


def details_errors(
    session: Session, school_id: int, details: DeclarationDetails, today: date | None = None
) -> dict[str, str]:
    """What is wrong with ``details``, by form field (empty when nothing is); writes nothing."""
    try:
        _check(session, school_id, details, today or date.today())
    except InvalidDeclaration as invalid:
        return invalid.errors
    return {}


def _event(
    session: Session,
    declaration: Declaration,
    actor_id: int,
    action: str,
    note: str | None,
) -> DeclarationEvent:
    event = DeclarationEvent(
        declaration_id=declaration.id,
        actor_id=actor_id,
        action=action,
        status=declaration.status,
        note=note,
        at=utc_now(),
    )
    session.add(event)
    session.flush()
    return event


def _required_note(note: str | None, key: str, message: str, errors: dict[str, str]) -> str:
    value = (note or "").strip()
    if not value:
        errors[key] = message
    elif len(value) > MAX_TEXT:
        errors[key] = f"This must be {MAX_TEXT:,} characters or fewer."
    return value


# -- the lifecycle ------------------------------------------------------------------------------
def declare(
    session: Session,
    school_id: int,
    person_id: int,
    details: DeclarationDetails,
    *,
    today: date | None = None,
) -> Declaration:
    """Record a new declaration, awaiting a decision."""
    checked = _check(session, school_id, details, today or date.today())
    now = utc_now()
    declaration = Declaration(
        school_id=school_id,
        person_id=person_id,
        subject=checked.subject,
        pupil_id=checked.pupil_id,
        contact_id=checked.contact_id,
        subject_name=checked.subject_name,
        platform=checked.platform,
        nature=checked.nature,
        since=checked.since,
        reason=checked.reason,
        status=DeclarationStatus.PENDING,
        created_at=now,
        updated_at=now,
    )
    session.add(declaration)
    session.flush()
    _event(session, declaration, person_id, "submitted", None)
    return declaration


def _shown_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "not given"


def amend(
    session: Session,
    declaration: Declaration,
    actor_id: int,
    details: DeclarationDetails,
    why: str,
    *,
    today: date | None = None,
) -> DeclarationEvent:
    """Change a declaration (only its maker may), with the reason for the change.

    The event keeps what each changed field was before, so the history still shows what was
    first declared; the declaration goes back to awaiting a decision.
    """
    errors: dict[str, str] = {}
    if declaration.person_id != actor_id:
        raise PermissionError("only the person who made a declaration may amend it")
    if declaration.status == DeclarationStatus.WITHDRAWN:
        errors["why"] = "This declaration has been withdrawn. Make a new one instead."
    why_text = _required_note(why, "why", "Say why you are changing the declaration.", errors)
    try:
        checked = _check(session, declaration.school_id, details, today or date.today())
    except InvalidDeclaration as invalid:
        raise InvalidDeclaration({**invalid.errors, **errors}) from None
    if errors:
        raise InvalidDeclaration(errors)
    before = {
        "person": declaration.subject_name,
        "platform": declaration.platform,
        "relationship": declaration.nature,
        "since": _shown_date(declaration.since),
        "reason": declaration.reason,
    }
    after = {
        "person": checked.subject_name,
        "platform": checked.platform,
        "relationship": checked.nature,
        "since": _shown_date(checked.since),
        "reason": checked.reason,
    }
    changed = [
        f"{key} was “{before[key]}”, now “{after[key]}”"
        for key in before
        if before[key] != after[key]
    ]
    if not changed:
        raise InvalidDeclaration({"platform": "Nothing has changed: there is nothing to amend."})
    declaration.subject = checked.subject
    declaration.pupil_id = checked.pupil_id
    declaration.contact_id = checked.contact_id
    declaration.subject_name = checked.subject_name
    declaration.platform = checked.platform
    declaration.nature = checked.nature
    declaration.since = checked.since
    declaration.reason = checked.reason
    declaration.status = DeclarationStatus.PENDING
    declaration.updated_at = utc_now()
    note = why_text + "\n\nChanged: " + "; ".join(changed) + "."
    return _event(session, declaration, actor_id, "amended", note)


def withdraw(
    session: Session, declaration: Declaration, actor_id: int, why: str | None = None
) -> DeclarationEvent:
    """Withdraw a declaration (the relationship has ended, or it was made in error)."""
    if declaration.person_id != actor_id:
        raise PermissionError("only the person who made a declaration may withdraw it")
    if declaration.status == DeclarationStatus.WITHDRAWN:
        raise InvalidDeclaration({"why": "This declaration has already been withdrawn."})
    note = (why or "").strip()
    if len(note) > MAX_TEXT:
        raise InvalidDeclaration({"why": f"This must be {MAX_TEXT:,} characters or fewer."})
    declaration.status = DeclarationStatus.WITHDRAWN
    declaration.updated_at = utc_now()
    return _event(session, declaration, actor_id, "withdrawn", note or None)


def decide(
    session: Session,
    declaration: Declaration,
    reviewer_id: int,
    decision: DeclarationStatus,
    note: str | None,
) -> DeclarationEvent:
    """Record a reviewer's decision. A later decision may replace an earlier one; both stay in
    the history. Conditions, and the reasons for not accepting, must be written down."""
    errors: dict[str, str] = {}
    if declaration.person_id == reviewer_id:
        errors["decision"] = (
            "You cannot decide on your own declaration: another reviewer must do it."
        )
    if declaration.status == DeclarationStatus.WITHDRAWN:
        errors["decision"] = "This declaration has been withdrawn: there is nothing to decide."
    if decision not in DECISIONS:
        errors["decision"] = "Choose a decision."
    if decision == DeclarationStatus.ACCEPTED_WITH_CONDITIONS:
        text = _required_note(note, "note", "Write down the conditions.", errors)
    elif decision == DeclarationStatus.NOT_ACCEPTED:
        text = _required_note(note, "note", "Say why it is not accepted and what to do.", errors)
    else:
        text = (note or "").strip()
        if len(text) > MAX_TEXT:
            errors["note"] = f"The note must be {MAX_TEXT:,} characters or fewer."
    if errors:
        raise InvalidDeclaration(errors)
    declaration.status = decision
    declaration.updated_at = utc_now()
    return _event(session, declaration, reviewer_id, "decided", text or None)


# -- who sees what ------------------------------------------------------------------------------
def visible_declaration(
    session: Session, school_id: int, declaration_id: int, person_id: int, *, reviewer: bool
) -> Declaration | None:
    """The declaration if this person may see it: its maker, or a reviewer in its school.

    Anything else is ``None``, the same as a declaration that does not exist.
    """
    declaration = session.get(Declaration, declaration_id)
    if declaration is None or declaration.school_id != school_id:
        return None
    if declaration.person_id != person_id and not reviewer:
        return None
    return declaration


def own_declarations(session: Session, school_id: int, person_id: int) -> list[Declaration]:
    """One person's declarations in one school, newest first."""
    return list(
        session.scalars(
            select(Declaration)
            .where(Declaration.school_id == school_id, Declaration.person_id == person_id)
            .order_by(Declaration.created_at.desc(), Declaration.id.desc())
        )
    )


def declarations_for_review(
    session: Session, school_id: int, status: DeclarationStatus | None = None
) -> list[DeclarationRow]:
    """The school's declarations (of one status, if given) with who made them; oldest waiting
    first, since those have waited longest."""
    query = (
        select(Declaration, Person)
        .join(Person, Person.id == Declaration.person_id)
        .where(Declaration.school_id == school_id)
        .order_by(Declaration.updated_at, Declaration.id)
    )
    if status is not None:
        query = query.where(Declaration.status == status)
    return [DeclarationRow(d, p) for d, p in session.execute(query)]


def history(session: Session, declaration_id: int) -> list[tuple[DeclarationEvent, Person | None]]:
    """Every step of a declaration, oldest first, with who took it."""
    return [
        (event, person)
        for event, person in session.execute(
            select(DeclarationEvent, Person)
            .outerjoin(Person, Person.id == DeclarationEvent.actor_id)
            .where(DeclarationEvent.declaration_id == declaration_id)
            .order_by(DeclarationEvent.at, DeclarationEvent.id)
        )
    ]


def declared_relationships(
    session: Session, school_id: int, person_id: int, *, include_withdrawn: bool = False
) -> list[DeclaredRelationship]:
    """What one member of staff has declared in one school, for the connections audit.

    Withdrawn declarations are left out unless asked for: the person has said the relationship
    no longer stands. Not-accepted ones stay in, with their status, because the relationship
    was declared and the audit must tell "declared but refused" from "never declared".
    """
    query = select(Declaration).where(
        Declaration.school_id == school_id, Declaration.person_id == person_id
    )
    if not include_withdrawn:
        query = query.where(Declaration.status != DeclarationStatus.WITHDRAWN)
    return [
        DeclaredRelationship(
            declaration_id=d.id,
            subject=d.subject,
            pupil_id=d.pupil_id,
            contact_id=d.contact_id,
            name=d.subject_name,
            platform=d.platform,
            status=d.status,
        )
        for d in session.scalars(query.order_by(Declaration.id))
    ]


def count_open(session: Session, school_id: int) -> int:
    """Declarations awaiting a decision (for the governors' report)."""
    return int(
        session.scalar(
            select(func.count(Declaration.id)).where(
                Declaration.school_id == school_id,
                Declaration.status == DeclarationStatus.PENDING,
            )
        )
        or 0
    )
