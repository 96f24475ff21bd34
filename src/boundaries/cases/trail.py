"""The case audit trail: every action on a case, appended to the school's hash chain.

All case actions go to one chain per school, ``cases:school:{school_id}``, with the case as the
entry's subject, so that one case's trail is the chain's entries about it and the chain as a
whole still proves that nothing was removed or reordered. Entries are appended in the caller's
transaction: the change and its record land together, or neither does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.audit import AuditEvent, append
from boundaries.store import AuditEntry, Case

SUBJECT_CASE = "case"
SUBJECT_LOW_LEVEL = "low_level_concern"


def chain_name(school_id: int) -> str:
    """The name of the audit chain that holds a school's case actions."""
    return f"cases:school:{school_id}"


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the chain records them (the name as it was at the time)."""

    person_id: int | None
    name: str


SYSTEM = Actor(None, "Boundaries (scheduled task)")


def record(
    session: Session,
    case: Case,
    actor: Actor,
    action: str,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append ``action`` on ``case`` to its school's chain, in the caller's transaction."""
    return append(
        session,
        chain_name(case.school_id),
        AuditEvent(
            action=action,
            actor_id=actor.person_id,
            actor_name=actor.name,
            subject_type=SUBJECT_CASE,
            subject_id=case.id,
            detail=dict(detail or {}),
        ),
    )


def record_school(
    session: Session,
    school_id: int,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append an action that is about the school's case records but not one case (the
    low-level concerns log)."""
    return append(
        session,
        chain_name(school_id),
        AuditEvent(
            action=action,
            actor_id=actor.person_id,
            actor_name=actor.name,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=dict(detail or {}),
        ),
    )


def case_entries(session: Session, case: Case) -> list[AuditEntry]:
    """Every chain entry about ``case``, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.chain == chain_name(case.school_id),
                AuditEntry.subject_type == SUBJECT_CASE,
                AuditEntry.subject_id == case.id,
            )
            .order_by(AuditEntry.seq)
        )
    )
