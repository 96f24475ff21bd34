"""Chronologies: what happened on a case, and what happened about one person, in time order.

A case's chronology is read from its audit-chain entries (what was done, by whom, when) and
from the case itself (when the incident happened, as reported). Views are in the audit trail
but left out of the chronology unless asked for: a chronology tells the story, the trail
proves it. A person's chronology gathers every case they are involved in (as reporter, subject,
target or witness) and every low-level concern about them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from boundaries.cases.access import cases_about
from boundaries.cases.reporting import CATEGORY_NAMES, PARTY_ROLE_LABELS
from boundaries.cases.trail import Actor, case_entries, record_school
from boundaries.cases.workflow import OUTCOME_LABELS, STATE_LABELS
from boundaries.store import (
    AuditEntry,
    Case,
    CaseOutcome,
    CaseParty,
    CaseState,
    LowLevelConcern,
    Person,
)

ACTION_LABELS = {
    "case.reported": "Reported",
    "case.alerted": "Case handlers alerted",
    "case.viewed": "Viewed",
    "case.viewed_by_reporter": "Viewed by the reporter",
    "case.state_changed": "Status changed",
    "case.owner_set": "Owner set",
    "case.edited": "Details corrected",
    "case.party_added": "Person added",
    "case.note_added": "Note added",
    "case.task_added": "Task added",
    "case.task_completed": "Task done",
    "case.task_overdue_alerted": "Overdue task chased",
    "case.police_referred": "Referred to the police: internal investigation paused",
    "case.police_released": "Released by the police: internal investigation may resume",
    "case.legal_hold_set": "Legal hold set",
    "case.legal_hold_lifted": "Legal hold lifted",
    "evidence.added": "Evidence added",
    "evidence.viewed": "Evidence preview viewed",
    "evidence.downloaded": "Original downloaded",
    "case.exported": "Bundle exported",
}
QUIET = frozenset(
    {"case.viewed", "case.viewed_by_reporter", "evidence.viewed", "evidence.downloaded"}
)


@dataclass(frozen=True)
class ChronologyItem:
    """One thing that happened: when, what, who, and a line of detail."""

    at: datetime
    what: str
    who: str = ""
    detail: str = ""
    case_id: int | None = None


def _detail(entry: AuditEntry, values: dict[str, Any]) -> str:
    action = entry.action
    if action == "case.state_changed":
        states = {s.value: s for s in CaseState}
        outcomes = {o.value: o for o in CaseOutcome}
        to = states.get(str(values.get("to")))
        text = STATE_LABELS[to] if to else str(values.get("to", ""))
        outcome = outcomes.get(str(values.get("outcome")))
        if outcome is not None:
            text += f": {OUTCOME_LABELS[outcome]}"
        return f"{text}. Reason: {values.get('reason', '')}"
    if action == "case.edited":
        changed = ", ".join(sorted(values.get("changes", {})))
        return f"Changed {changed}. Reason: {values.get('reason', '')}"
    if action == "case.owner_set":
        owner = str(values.get("name") or "Nobody")
        return owner + (f". Reason: {values['reason']}" if values.get("reason") else "")
    if action == "case.party_added":
        return str(values.get("name", ""))
    if action in ("case.task_added", "case.task_completed"):
        return str(values.get("title", ""))
    if action in (
        "case.police_referred",
        "case.police_released",
        "case.legal_hold_set",
        "case.legal_hold_lifted",
    ):
        return str(values.get("reason", ""))
    if action == "case.note_added":
        return str(values.get("text", ""))
    if action == "case.alerted":
        count = len(values.get("to", []))
        return f"{count} {'person' if count == 1 else 'people'}" + (
            ", urgent" if values.get("urgent") else ""
        )
    if action.startswith("evidence."):
        return str(values.get("original_name") or values.get("name") or "")
    return ""


def _item(entry: AuditEntry) -> ChronologyItem:
    try:
        values = json.loads(entry.detail)
    except ValueError:  # a damaged entry still shows; verify names the break
        values = {}
    if not isinstance(values, dict):
        values = {}
    return ChronologyItem(
        at=entry.at,
        what=ACTION_LABELS.get(entry.action, entry.action),
        who=entry.actor_name,
        detail=_detail(entry, values),
        case_id=entry.subject_id,
    )


def case_chronology(
    session: Session, case: Case, *, include_views: bool = False
) -> list[ChronologyItem]:
    """The case's story, oldest first: the incident as reported, then every action."""
    items = [
        _item(entry)
        for entry in case_entries(session, case)
        if include_views or entry.action not in QUIET
    ]
    if case.occurred_at is not None:
        place = ", ".join(x for x in (case.platform, case.site) if x)
        items.append(
            ChronologyItem(
                case.occurred_at,
                "Incident happened (as reported)",
                detail=place,
                case_id=case.id,
            )
        )
    return sorted(items, key=lambda i: i.at)


def person_chronology(
    session: Session, school_id: int, person: Person, *, viewer_id: int
) -> list[ChronologyItem]:
    """Everything about one person in one school, oldest first: the cases they are involved in
    (each case's report, status changes and outcome) and the low-level concerns about them.

    Cases the viewer is the subject of, and low-level concerns that came from them, are left
    out, as they are everywhere else.
    """
    case_ids = set(
        session.scalars(
            select(Case.id)
            .outerjoin(CaseParty, CaseParty.case_id == Case.id)
            .where(
                Case.school_id == school_id,
                Case.purged_at.is_(None),
                or_(CaseParty.person_id == person.id, Case.reporter_id == person.id),
            )
        )
    )
    hidden = cases_about(session, viewer_id)
    items: list[ChronologyItem] = []
    for case in session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)):
        if case.id in hidden:
            continue
        involvement = ["reporter"] if case.reporter_id == person.id else []
        involvement += [
            PARTY_ROLE_LABELS[p.role].lower()
            for p in session.scalars(
                select(CaseParty).where(
                    CaseParty.case_id == case.id, CaseParty.person_id == person.id
                )
            )
        ]
        label = f"Case {case.id} ({CATEGORY_NAMES[case.category]})"
        items.append(
            ChronologyItem(
                case.created_at,
                f"{label} reported",
                detail="Involved as: " + "; ".join(involvement),
                case_id=case.id,
            )
        )
        if case.occurred_at is not None:
            items.append(
                ChronologyItem(case.occurred_at, f"{label}: incident happened", case_id=case.id)
            )
        for entry in case_entries(session, case):
            if entry.action in (
                "case.state_changed",
                "case.police_referred",
                "case.police_released",
            ):
                item = _item(entry)
                items.append(
                    ChronologyItem(
                        item.at, f"{label}: {item.what.lower()}", item.who, item.detail, case.id
                    )
                )
    for concern in session.scalars(
        select(LowLevelConcern).where(
            LowLevelConcern.school_id == school_id, LowLevelConcern.about_person_id == person.id
        )
    ):
        if concern.case_id in hidden:
            continue
        items.append(
            ChronologyItem(
                concern.recorded_at,
                "Low-level concern recorded",
                detail=concern.summary,
                case_id=concern.case_id,
            )
        )
    return sorted(items, key=lambda i: i.at)


def viewed_person(session: Session, school_id: int, actor: Actor, person: Person) -> None:
    """Record that someone read a person's chronology (it gathers case records about them)."""
    record_school(session, school_id, actor, "person_chronology.viewed", "person", person.id, {})
