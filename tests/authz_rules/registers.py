"""The authorisation matrix's rows for the registers: declarations, phones, training and network
devices (see tests/authz.py).

A declaration, phone or training record belongs to Meadowbank's teacher; anyone else who may
not see it gets "not found" (404), whatever their role, so that ids reveal nothing. Each request
that changes one gets a fresh row of its own, so the order the matrix runs in does not matter.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from stdnum import luhn

from boundaries.store import (
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    DeclarationSubject,
    StaffDevice,
    TrainingKind,
    TrainingRecord,
)
from tests.authz import USES_MEADOWBANK, Rule

OWNER = "staff_teacher"
REVIEWERS = frozenset({"headteacher", "dsl", "trust_safeguarding"})
KEEPERS = frozenset({"headteacher", "hr", "it_admin", "trust_admin", "trust_hr"})
_serials = count(500001)


def _not_found(_actor: str) -> int:
    return 404


def _declaration(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        declaration = Declaration(
            school_id=site.world.meadowbank,
            person_id=site.person_id(OWNER),
            subject=DeclarationSubject.PARENT,
            subject_name="Matrix Parent Ollerton",
            platform="Facebook",
            nature="friends",
            reason="Our children play football together.",
            status=DeclarationStatus.PENDING,
        )
        session.add(declaration)
        session.flush()
        session.add(
            DeclarationEvent(
                declaration_id=declaration.id,
                actor_id=declaration.person_id,
                action="submitted",
                status=DeclarationStatus.PENDING,
            )
        )
        session.commit()
        return {"declaration_id": declaration.id}


def _device(site: Any) -> dict[str, object]:
    body = f"35209900{next(_serials):06d}"
    with site.state.sessions() as session:
        device = StaffDevice(
            school_id=site.world.meadowbank,
            person_id=site.person_id(OWNER),
            imei=body + str(luhn.calc_check_digit(body)),
        )
        session.add(device)
        session.commit()
        return {"device_id": device.id}


def _reading(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        record = TrainingRecord(
            school_id=site.world.meadowbank,
            person_id=site.person_id(OWNER),
            course="Safe to Learn: cyberbullying guidance (reading)",
            kind=TrainingKind.READING,
        )
        session.add(record)
        session.commit()
        return {"record_id": record.id}


DECLARATION_FORM = {
    "who": "other",
    "subject_name": "Matrix Parent Ollerton",
    "subject": "parent",
    "platform": "Instagram",
    "nature": "we follow each other",
    "since": "01/09/2023",
    "reason": "Our children play football together.",
}

ROUTES: dict[str, Rule] = {
    # Declarations: everyone declares; the declarer and the reviewers see; reviewers decide.
    "GET /schools/{school_id}/declarations": Rule(USES_MEADOWBANK, frozenset({200})),
    "GET /schools/{school_id}/declarations/new": Rule(USES_MEADOWBANK, frozenset({200})),
    "POST /schools/{school_id}/declarations": Rule(
        USES_MEADOWBANK, frozenset({303}), form=DECLARATION_FORM
    ),
    "GET /schools/{school_id}/declarations/review": Rule(REVIEWERS, frozenset({200})),
    "GET /schools/{school_id}/declarations/{declaration_id}": Rule(
        REVIEWERS | {OWNER}, frozenset({200}), params=_declaration, refused=_not_found
    ),
    "GET /schools/{school_id}/declarations/{declaration_id}/amend": Rule(
        frozenset({OWNER}), frozenset({200}), params=_declaration, refused=_not_found
    ),
    "POST /schools/{school_id}/declarations/{declaration_id}/amend": Rule(
        frozenset({OWNER}),
        frozenset({303}),
        form={**DECLARATION_FORM, "why": "We moved to Instagram."},
        params=_declaration,
        refused=_not_found,
    ),
    "POST /schools/{school_id}/declarations/{declaration_id}/withdraw": Rule(
        frozenset({OWNER}), frozenset({303}), params=_declaration, refused=_not_found
    ),
    "POST /schools/{school_id}/declarations/{declaration_id}/decision": Rule(
        REVIEWERS, frozenset({303}), form={"decision": "accepted"}, params=_declaration
    ),
    # Phones: everyone keeps their own; the register is for HR, IT and the headteacher.
    "GET /schools/{school_id}/devices": Rule(USES_MEADOWBANK, frozenset({200})),
    # No IMEI: the form comes back with its error (400) to everyone let in, nothing stored.
    "POST /schools/{school_id}/devices": Rule(USES_MEADOWBANK, frozenset({400}), form={"imei": ""}),
    "POST /schools/{school_id}/devices/{device_id}/status": Rule(
        KEEPERS | {OWNER},
        frozenset({303}),
        form={"status": "lost", "status_date": "01/03/2026"},
        params=_device,
        refused=_not_found,
    ),
    "GET /schools/{school_id}/devices/register": Rule(KEEPERS, frozenset({200})),
    # Training: everyone sees their own and marks reading done; the register assigns.
    "GET /schools/{school_id}/training": Rule(USES_MEADOWBANK, frozenset({200})),
    "GET /schools/{school_id}/training/register": Rule(KEEPERS, frozenset({200})),
    "POST /schools/{school_id}/training/assign": Rule(
        KEEPERS,
        frozenset({303}),
        form={"course": "Social media policy briefing", "kind": "session", "due": "31/12/2099"},
    ),
    "POST /schools/{school_id}/training/{record_id}/done": Rule(
        KEEPERS | {OWNER}, frozenset({303}), params=_reading, refused=_not_found
    ),
    # Network devices: for whoever keeps the registers. No file: the form asks for one (400).
    "GET /schools/{school_id}/network-devices": Rule(KEEPERS, frozenset({200})),
    "POST /schools/{school_id}/network-devices/import": Rule(KEEPERS, frozenset({400})),
}
