"""A case's workflow (issue 5, build item 4; policy 11, 12.4, 12.5).

    reported → triaged → investigating → outcome → closed

A case that needs no investigation (a low-level concern, no further action) may go from
triaged straight to an outcome. Each move is allowed to named roles only:

- reported → triaged: headteacher, DSL, HR, trust safeguarding, trust HR
- triaged → investigating: the same
- → outcome: depends on the outcome (below)
- outcome → closed: headteacher, trust safeguarding, trust HR
- outcome or closed → investigating (reopened on new information): headteacher, trust
  safeguarding; reopening a closed case clears its closing date, so retention starts again

Outcomes, and who may record them:

- no further action: headteacher, DSL, trust safeguarding
- informal action: headteacher, HR, trust HR
- disciplinary referral: headteacher, HR, trust HR
- LADO referral (harm, or risk of harm, to a child): headteacher, DSL, trust safeguarding
- police or agency referral (12.4): headteacher, DSL, trust safeguarding
- TRA or DBS referral: headteacher, HR, trust HR
- action against a pupil for a malicious claim (11.7): headteacher
- low-level concern (goes to the log): any case handler

The trust roles can act for the school, so that a case about the headteacher can still be
taken to an outcome. A police referral (12.5) pauses the internal investigation until the
police release it: no move into investigating or to an outcome other than the referral
itself, no closing (the police may still need the school's records), no investigation notes
and no internal tasks. Evidence may still be added, and the case may still be corrected and
given an owner. Every change needs a reason (the first owner excepted: nothing is replaced),
and every action is appended to the school's case chain in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases.access import CaseRole, handlers, may_handle, subject_ids
from boundaries.cases.dates import InvalidDate, local_moment, parse_date, parse_time, uk_today
from boundaries.cases.low_level import record_concern
from boundaries.cases.reporting import (
    CATEGORY_NAMES,
    MAX_PLATFORM,
    MAX_SHORT,
    MAX_TEXT,
    PartyDetails,
    check_parties,
    check_url,
)
from boundaries.cases.trail import Actor, record, record_school
from boundaries.store import (
    Case,
    CaseCategory,
    CaseNote,
    CaseOutcome,
    CaseParty,
    CaseState,
    LowLevelConcern,
    PartyRole,
    School,
)
from boundaries.store.models import utc_now

ALL = frozenset(CaseRole)
HEAD = CaseRole.HEADTEACHER
DSL = CaseRole.DSL
HR = CaseRole.HR
TRUST_SAFE = CaseRole.TRUST_SAFEGUARDING
TRUST_HR = CaseRole.TRUST_HR

TRANSITIONS: Mapping[tuple[CaseState, CaseState], frozenset[CaseRole]] = {
    (CaseState.REPORTED, CaseState.TRIAGED): ALL,
    (CaseState.TRIAGED, CaseState.INVESTIGATING): ALL,
    (CaseState.TRIAGED, CaseState.OUTCOME): ALL,  # narrowed by the outcome's own roles
    (CaseState.INVESTIGATING, CaseState.OUTCOME): ALL,
    (CaseState.OUTCOME, CaseState.CLOSED): frozenset({HEAD, TRUST_SAFE, TRUST_HR}),
    (CaseState.OUTCOME, CaseState.INVESTIGATING): frozenset({HEAD, TRUST_SAFE}),
    (CaseState.CLOSED, CaseState.INVESTIGATING): frozenset({HEAD, TRUST_SAFE}),
}
REOPENING = frozenset({CaseState.OUTCOME, CaseState.CLOSED})
OUTCOME_ROLES: Mapping[CaseOutcome, frozenset[CaseRole]] = {
    CaseOutcome.NO_FURTHER_ACTION: frozenset({HEAD, DSL, TRUST_SAFE}),
    CaseOutcome.INFORMAL_ACTION: frozenset({HEAD, HR, TRUST_HR}),
    CaseOutcome.DISCIPLINARY_REFERRAL: frozenset({HEAD, HR, TRUST_HR}),
    CaseOutcome.LADO_REFERRAL: frozenset({HEAD, DSL, TRUST_SAFE}),
    CaseOutcome.POLICE_OR_AGENCY_REFERRAL: frozenset({HEAD, DSL, TRUST_SAFE}),
    CaseOutcome.TRA_OR_DBS_REFERRAL: frozenset({HEAD, HR, TRUST_HR}),
    CaseOutcome.MALICIOUS_CLAIM_ACTION: frozenset({HEAD}),
    CaseOutcome.LOW_LEVEL_CONCERN: ALL,
}
# Referring to the police and releasing a referral; setting a legal hold.
POLICE_ROLES = frozenset({HEAD, DSL, TRUST_SAFE})
HOLD_ROLES = frozenset({HEAD, TRUST_SAFE, TRUST_HR})
STATE_LABELS = {
    CaseState.REPORTED: "Reported",
    CaseState.TRIAGED: "Triaged",
    CaseState.INVESTIGATING: "Investigating",
    CaseState.OUTCOME: "Outcome recorded",
    CaseState.CLOSED: "Closed",
}
MOVE_LABELS = {
    CaseState.TRIAGED: "Mark as triaged",
    CaseState.INVESTIGATING: "Start the investigation",
    CaseState.OUTCOME: "Record the outcome",
    CaseState.CLOSED: "Close the case",
}
OUTCOME_LABELS = {
    CaseOutcome.NO_FURTHER_ACTION: "No further action",
    CaseOutcome.INFORMAL_ACTION: "Informal action",
    CaseOutcome.DISCIPLINARY_REFERRAL: "Disciplinary referral",
    CaseOutcome.LADO_REFERRAL: "Referral to the Local Authority Designated Officer (LADO)",
    CaseOutcome.POLICE_OR_AGENCY_REFERRAL: "Referral to the police or another agency",
    CaseOutcome.TRA_OR_DBS_REFERRAL: "Referral to the Teaching Regulation Agency or the DBS",
    CaseOutcome.MALICIOUS_CLAIM_ACTION: "Action against a pupil for a malicious claim",
    CaseOutcome.LOW_LEVEL_CONCERN: "Low-level concern (recorded in the log)",
}
EDITABLE_TEXT = ("summary", "reporter_wishes")
FIELD_LABELS = {
    "category": "category",
    "occurred_at": "when it happened",
    "site": "site or app",
    "url": "web address",
    "platform": "platform",
    "account": "account",
    "summary": "what happened",
    "reporter_wishes": "the reporter's wishes",
}


class WorkflowError(ValueError):
    """An action that is not allowed or not complete: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Move:
    """A move the viewer may make from the case's state, for the case page."""

    to: CaseState
    label: str
    outcomes: tuple[CaseOutcome, ...] = ()


def _reason(text: str, errors: dict[str, str], key: str = "reason") -> str:
    value = text.strip()
    if not value:
        errors[key] = "Give the reason: it is kept in the case's audit trail."
    elif len(value) > MAX_TEXT:
        errors[key] = f"The reason must be {MAX_TEXT:,} characters or fewer."
    return value


def guard_handler(session: Session, case: Case, actor: Actor, roles: frozenset[CaseRole]) -> None:
    if actor.person_id is None or not may_handle(session, case, actor.person_id, roles):
        raise PermissionError("only the school's case handlers may act on a case")


def require_not_paused(case: Case, errors: dict[str, str], key: str) -> None:
    if case.police_pause:
        errors[key] = (
            "The police have this matter: internal investigation steps are paused until the "
            "referral is released (policy 12.5)."
        )


def allowed_outcomes(roles: frozenset[CaseRole], case: Case) -> tuple[CaseOutcome, ...]:
    """The outcomes a person with ``roles`` may record (during a police pause, only the police
    referral itself)."""
    found = tuple(o for o in CaseOutcome if OUTCOME_ROLES[o] & roles)
    if case.police_pause:
        found = tuple(o for o in found if o == CaseOutcome.POLICE_OR_AGENCY_REFERRAL)
    return found


def moves(case: Case, roles: frozenset[CaseRole]) -> list[Move]:
    """The moves a person with ``roles`` may make from the case's state now."""
    found: list[Move] = []
    for (start, end), allowed in TRANSITIONS.items():
        if start != case.state or not allowed & roles:
            continue
        if end == CaseState.OUTCOME:
            outcomes = allowed_outcomes(roles, case)
            if outcomes:
                found.append(Move(end, MOVE_LABELS[end], outcomes))
        elif end in (CaseState.INVESTIGATING, CaseState.CLOSED) and case.police_pause:
            continue
        else:
            label = "Reopen the investigation" if start in REOPENING else MOVE_LABELS[end]
            found.append(Move(end, label))
    return found


def move(
    session: Session,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    to: CaseState,
    reason: str,
    outcome: CaseOutcome | None = None,
) -> None:
    """Move ``case`` to ``to`` (with ``outcome`` when that is the outcome state), for a reason.

    Raises :class:`WorkflowError` for a move the roles do not allow, a move that does not
    exist from the current state, a move the police pause forbids, or a missing reason.
    """
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    allowed = TRANSITIONS.get((case.state, to))
    if allowed is None:
        errors["to"] = (
            f"A case that is {STATE_LABELS[case.state].lower()} cannot move to "
            f"{STATE_LABELS[to].lower()}."
        )
    elif not allowed & roles:
        errors["to"] = "Your role does not allow this step."
    if to in (CaseState.INVESTIGATING, CaseState.CLOSED) and "to" not in errors:
        require_not_paused(case, errors, "to")
    if to == CaseState.OUTCOME and "to" not in errors:
        if outcome is None:
            errors["outcome"] = "Choose the outcome."
        elif not OUTCOME_ROLES[outcome] & roles:
            errors["outcome"] = "Your role does not allow this outcome."
        elif outcome != CaseOutcome.POLICE_OR_AGENCY_REFERRAL:
            require_not_paused(case, errors, "outcome")
    text = _reason(reason, errors)
    if errors:
        raise WorkflowError(errors)
    before = case.state
    now = utc_now()
    case.state = to
    case.updated_at = now
    detail: dict[str, object] = {"from": before.value, "to": to.value, "reason": text}
    if to == CaseState.OUTCOME:
        assert outcome is not None
        case.outcome = outcome
        detail["outcome"] = outcome.value
    if to == CaseState.INVESTIGATING and before in REOPENING:
        detail["previous_outcome"] = case.outcome.value if case.outcome else None
        case.outcome = None
        # A reopened case is open again: its retention period no longer runs.
        case.closed_at = None
    if to == CaseState.CLOSED:
        case.closed_at = now
    record(session, case, actor, "case.state_changed", detail)
    if to == CaseState.OUTCOME and outcome == CaseOutcome.LOW_LEVEL_CONCERN:
        _log_low_level(session, case, actor, text)


def _log_low_level(session: Session, case: Case, actor: Actor, reason: str) -> None:
    """Below the harm threshold: one entry in the low-level concerns log per person the case
    is about (or one unnamed entry), so that patterns about a person can be seen."""
    subjects = list(
        session.scalars(
            select(CaseParty).where(
                CaseParty.case_id == case.id, CaseParty.role == PartyRole.SUBJECT
            )
        )
    )
    summary = f"{CATEGORY_NAMES[case.category]} (case {case.id}): {reason}"
    # A case reopened and again found low-level is still one concern about each person: a
    # second entry would make a pattern out of a single incident.
    earlier = list(
        session.scalars(select(LowLevelConcern).where(LowLevelConcern.case_id == case.id))
    )
    people = {c.about_person_id for c in earlier if c.about_person_id is not None}
    names = {c.about_name.casefold() for c in earlier}
    if not subjects and not earlier:
        record_concern(session, case.school_id, actor, summary=summary, case_id=case.id)
    for party in subjects:
        if (party.person_id in people) if party.person_id else (party.name.casefold() in names):
            continue
        record_concern(
            session,
            case.school_id,
            actor,
            summary=summary,
            about_person_id=party.person_id,
            about_name=party.name,
            case_id=case.id,
        )


# -- owner, edits, people, notes ----------------------------------------------------------------
def set_owner(
    session: Session,
    school: School,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    owner_id: int | None,
    reason: str = "",
) -> None:
    """Give the case an owner: one of the school's case handlers, who is not its subject.
    Replacing an owner is a change like any other and needs a reason."""
    guard_handler(session, case, actor, roles)
    eligible = {
        person.id: person
        for person, person_roles in handlers(session, school)
        if may_handle(session, case, person.id, person_roles)
    }
    if owner_id is None or owner_id not in eligible:
        raise WorkflowError({"owner": "Choose one of the school's case handlers."})
    if case.owner_id == owner_id:
        raise WorkflowError({"owner": f"{eligible[owner_id].name} already owns this case."})
    before = case.owner_id
    detail: dict[str, object] = {"from": before, "to": owner_id, "name": eligible[owner_id].name}
    if before is not None:
        errors: dict[str, str] = {}
        detail["reason"] = _reason(reason, errors, "owner_reason")
        if errors:
            raise WorkflowError(errors)
    elif reason.strip():
        detail["reason"] = reason.strip()[:MAX_TEXT]
    case.owner_id = owner_id
    case.updated_at = utc_now()
    record(session, case, actor, "case.owner_set", detail)


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, CaseCategory):
        return value.value
    return str(value or "")


def edit(
    session: Session,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    values: Mapping[str, str],
    reason: str,
    *,
    today: date | None = None,
) -> list[str]:
    """Change the report's details, with a reason; returns the fields changed.

    The chain entry keeps each changed field's old and new value, so the report as first made
    can always be read back.
    """
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    new: dict[str, object] = {}
    if "category" in values:
        try:
            new["category"] = CaseCategory(values["category"])
        except ValueError:
            errors["category"] = "Choose a category."
    if "occurred_on" in values:
        new["occurred_at"] = _edited_moment(
            values["occurred_on"], values.get("occurred_time", ""), today, errors
        )
    if "url" in values:
        new["url"] = check_url(values["url"], errors)
    for key, limit in (("site", MAX_SHORT), ("platform", MAX_PLATFORM), ("account", MAX_SHORT)):
        if key in values:
            text = " ".join(values[key].split())
            if len(text) > limit:
                errors[key] = f"This must be {limit:,} characters or fewer."
            new[key] = text
    for key in EDITABLE_TEXT:
        if key in values:
            text = values[key].strip()
            if len(text) > MAX_TEXT:
                errors[key] = f"This must be {MAX_TEXT:,} characters or fewer."
            if key == "summary" and not text:
                errors[key] = "Say what happened."
            new[key] = text
    why = _reason(reason, errors)
    if errors:
        raise WorkflowError(errors)
    changes = {
        key: {"was": _shown(getattr(case, key)), "now": _shown(value)}
        for key, value in new.items()
        if getattr(case, key) != value
    }
    if not changes:
        raise WorkflowError({"reason": "Nothing has changed: there is nothing to record."})
    for key in changes:
        setattr(case, key, new[key])
    case.updated_at = utc_now()
    record(session, case, actor, "case.edited", {"changes": changes, "reason": why})
    return list(changes)


def _edited_moment(
    day_text: str, time_text: str, today: date | None, errors: dict[str, str]
) -> datetime | None:
    if not day_text.strip():
        if time_text.strip():
            errors["occurred_on"] = "Give the date as well as the time."
        return None
    try:
        day = parse_date(day_text)
        at = parse_time(time_text) if time_text.strip() else None
    except InvalidDate as exc:
        errors["occurred_on"] = str(exc)
        return None
    if day > (today or uk_today()):
        errors["occurred_on"] = "The date cannot be in the future."
        return None
    return local_moment(day, at)


def add_party(
    session: Session,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    party: PartyDetails,
) -> CaseParty:
    """Add a person involved in the case."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    rows = check_parties(session, case.school_id, [party], errors)
    if errors or not rows:
        raise WorkflowError(
            {"party": next(iter(errors.values()), "Give the person's name.").split(": ", 1)[-1]}
        )
    row = rows[0]
    row.case_id = case.id
    row.added_at = utc_now()
    session.add(row)
    session.flush()
    case.updated_at = row.added_at
    record(
        session,
        case,
        actor,
        "case.party_added",
        {"party_id": row.id, "kind": row.kind.value, "role": row.role.value, "name": row.name},
    )
    if (
        row.role == PartyRole.SUBJECT
        and row.person_id is not None
        and row.person_id == case.owner_id
    ):
        # Nobody runs a case about themselves: they can no longer see it, so it has no owner.
        case.owner_id = None
        record(
            session,
            case,
            actor,
            "case.owner_set",
            {
                "from": row.person_id,
                "to": None,
                "name": "",
                "reason": "The owner was named as a person the concern is about.",
            },
        )
    return row


def add_note(
    session: Session, case: Case, actor: Actor, roles: frozenset[CaseRole], body: str
) -> CaseNote:
    """Add an investigation note; paused while the police have the matter."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    text = body.strip()
    if not text:
        errors["note"] = "Write the note."
    elif len(text) > MAX_TEXT:
        errors["note"] = f"The note must be {MAX_TEXT:,} characters or fewer."
    if case.state == CaseState.CLOSED:
        errors["note"] = "The case is closed."
    require_not_paused(case, errors, "note")
    if errors:
        raise WorkflowError(errors)
    note = CaseNote(case_id=case.id, author_id=actor.person_id, body=text, created_at=utc_now())
    session.add(note)
    session.flush()
    case.updated_at = note.created_at
    record(session, case, actor, "case.note_added", {"note_id": note.id, "text": text})
    return note


def notes(session: Session, case_id: int) -> list[CaseNote]:
    """A case's investigation notes, oldest first."""
    return list(
        session.scalars(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id))
    )


# -- the police and legal hold ------------------------------------------------------------------
def refer_to_police(
    session: Session, case: Case, actor: Actor, roles: frozenset[CaseRole], reason: str
) -> None:
    """Record that the matter was reported to the police: internal steps pause (12.5)."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    if not POLICE_ROLES & roles:
        errors["police"] = "Your role does not allow this step."
    elif case.police_pause:
        errors["police"] = "The police already have this matter."
    elif case.state == CaseState.CLOSED:
        errors["police"] = "The case is closed."
    text = _reason(reason, errors, "police_reason")
    if errors:
        raise WorkflowError(errors)
    case.police_referred_at = utc_now()
    case.police_released_at = None
    case.updated_at = case.police_referred_at
    record(session, case, actor, "case.police_referred", {"reason": text})


def release_from_police(
    session: Session, case: Case, actor: Actor, roles: frozenset[CaseRole], reason: str
) -> None:
    """Record that the police have said the school's own investigation may go on."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    if not POLICE_ROLES & roles:
        errors["police"] = "Your role does not allow this step."
    elif not case.police_pause:
        errors["police"] = "There is no police referral to release."
    text = _reason(reason, errors, "police_reason")
    if errors:
        raise WorkflowError(errors)
    case.police_released_at = utc_now()
    case.updated_at = case.police_released_at
    record(session, case, actor, "case.police_released", {"reason": text})


def set_legal_hold(
    session: Session,
    case: Case,
    actor: Actor,
    roles: frozenset[CaseRole],
    hold: bool,
    reason: str,
) -> None:
    """Put the case under legal hold (nothing is purged while it holds) or lift it."""
    guard_handler(session, case, actor, roles)
    errors: dict[str, str] = {}
    if not HOLD_ROLES & roles:
        errors["hold"] = "Your role does not allow this step."
    elif case.legal_hold == hold:
        errors["hold"] = "The case is already under legal hold." if hold else "There is no hold."
    text = _reason(reason, errors, "hold_reason")
    if errors:
        raise WorkflowError(errors)
    case.legal_hold = hold
    case.legal_hold_reason = text if hold else ""
    case.updated_at = utc_now()
    record(
        session,
        case,
        actor,
        "case.legal_hold_set" if hold else "case.legal_hold_lifted",
        {"reason": text},
    )


def viewed(session: Session, case: Case, actor: Actor, what: str = "case") -> None:
    """Record that a handler looked at the case (every view is in the chain)."""
    record(session, case, actor, "case.viewed", {"page": what})


def listed(session: Session, school_id: int, actor: Actor, cases: list[Case]) -> None:
    """Record that a handler saw the case list, and which cases it showed."""
    record_school(
        session,
        school_id,
        actor,
        "cases.listed",
        "case_list",
        None,
        {"case_ids": [c.id for c in cases]},
    )


# -- lists ----------------------------------------------------------------------------------------
def school_cases(
    session: Session,
    school: School,
    person_id: int,
    roles: frozenset[CaseRole],
    *,
    state: str = "open",
) -> list[Case]:
    """The school's cases this handler may see: open ones (not closed) or all, newest first.

    Cases the handler is the subject of are left out.
    """
    query = select(Case).where(Case.school_id == school.id, Case.purged_at.is_(None))
    if state == "open":
        query = query.where(Case.state != CaseState.CLOSED)
    elif state != "all":
        try:
            query = query.where(Case.state == CaseState(state))
        except ValueError:
            query = query.where(Case.state != CaseState.CLOSED)
    found = session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc()))
    return [c for c in found if roles and person_id not in subject_ids(session, c.id)]


__all__ = [
    "ALL",
    "HOLD_ROLES",
    "OUTCOME_LABELS",
    "OUTCOME_ROLES",
    "POLICE_ROLES",
    "STATE_LABELS",
    "TRANSITIONS",
    "Move",
    "WorkflowError",
    "add_note",
    "add_party",
    "allowed_outcomes",
    "edit",
    "move",
    "moves",
    "notes",
    "refer_to_police",
    "release_from_police",
    "school_cases",
    "set_legal_hold",
    "set_owner",
    "viewed",
]
