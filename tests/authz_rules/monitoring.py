"""The authorisation matrix's rows for monitoring (section 12) and filtering (5.1); see
tests/authz.py.

The headteacher alone records and revokes authorisations; whoever may run monitoring sees the
authorisations and, under one naming their role, loads logs and runs reports; filtering is for
the headteacher, IT and the trust's administrator. The authorisation each request uses names
every role that may run monitoring, so that what is checked here is the permission; the
authorisation's own rules are tested in test_monitoring_authorisations and test_monitoring_web.
Each request that changes something gets a fresh row of its own.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from boundaries.store import (
    FilteringAction,
    FilteringDecision,
    LogDataset,
    MonitoringAuthorisation,
    MonitoringPurpose,
)
from tests.authz import Rule

HEADTEACHER = frozenset({"headteacher"})
# RUN_MONITORING: the headteacher, DSL, HR and IT; the trust's administrator and HR.
RUNS = frozenset({"headteacher", "dsl", "hr", "it_admin", "trust_admin", "trust_hr"})
# The overview and an authorisation's page: whoever runs monitoring or authorises it.
MONITORS = RUNS | HEADTEACHER
FILTERS = frozenset({"headteacher", "it_admin", "trust_admin"})


def _authorisation(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        made = MonitoringAuthorisation(
            school_id=site.world.meadowbank,
            authorised_by_id=site.person_id("headteacher"),
            authorised_by_name="Meadowbank Headteacher",
            purpose=MonitoringPurpose.PROTECT_THE_SYSTEM,
            reason="Matrix: checking the web filter works.",
            whole_school=True,
            roles_json=json.dumps(sorted(RUNS)),
            period_start=date(2026, 9, 1),
            period_end=date(2026, 11, 20),
            expires_on=date(2099, 12, 31),
            staff_told=True,
            staff_told_how="Acceptable use policy",
        )
        session.add(made)
        session.commit()
        return {"authorisation_id": made.id}


def _dataset(site: Any) -> dict[str, object]:
    authorisation_id = _authorisation(site)["authorisation_id"]
    with site.state.sessions() as session:
        made = LogDataset(
            school_id=site.world.meadowbank,
            authorisation_id=authorisation_id,
            uploaded_by_name="Meadowbank Headteacher",
            folder="school-matrix/dataset-matrix",
        )
        session.add(made)
        session.commit()
        return {"dataset_id": made.id}


def _decision(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        made = FilteringDecision(
            school_id=site.world.meadowbank,
            domain="matrix.example",
            action=FilteringAction.BLOCK,
            reason="Matrix",
            decided_by_name="Meadowbank It Admin",
        )
        session.add(made)
        session.commit()
        return {"decision_id": made.id}


AUTHORISATION_FORM = {
    "purpose": "protect_the_system",
    "reason": "Checking that the web filter works.",
    "whole_school": "1",
    "period_start": "01/09/2026",
    "period_end": "20/11/2026",
    "expires_on": "31/12/2099",
    "staff_told": "1",
    "staff_told_how": "Acceptable use policy",
    "roles": "headteacher",
}

ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/monitoring": Rule(MONITORS, frozenset({200})),
    "GET /schools/{school_id}/monitoring/authorisations/new": Rule(HEADTEACHER, frozenset({200})),
    "POST /schools/{school_id}/monitoring/authorisations": Rule(
        HEADTEACHER, frozenset({303}), form=AUTHORISATION_FORM
    ),
    "GET /schools/{school_id}/monitoring/authorisations/{authorisation_id}": Rule(
        MONITORS, frozenset({200}), params=_authorisation
    ),
    "POST /schools/{school_id}/monitoring/authorisations/{authorisation_id}/revoke": Rule(
        HEADTEACHER, frozenset({303}), form={"reason": "Matrix: done"}, params=_authorisation
    ),
    # No file: the page asks for one (400), nothing loaded.
    "POST /schools/{school_id}/monitoring/authorisations/{authorisation_id}/logs": Rule(
        RUNS, frozenset({400}), params=_authorisation
    ),
    "GET /schools/{school_id}/monitoring/datasets/{dataset_id}": Rule(
        RUNS, frozenset({200}), params=_dataset
    ),
    # No report chosen: the form comes back with its error (400), nothing run.
    "POST /schools/{school_id}/monitoring/datasets/{dataset_id}/report": Rule(
        RUNS, frozenset({400}), form={"kind": ""}, params=_dataset
    ),
    "GET /schools/{school_id}/filtering": Rule(FILTERS, frozenset({200})),
    "POST /schools/{school_id}/filtering": Rule(
        FILTERS,
        frozenset({303}),
        form={"domain": "matrix-blocked.example", "action": "block", "reason": "Matrix"},
    ),
    "POST /schools/{school_id}/filtering/{decision_id}/withdraw": Rule(
        FILTERS, frozenset({303}), form={"reason": "Matrix: withdrawn"}, params=_decision
    ),
    "GET /schools/{school_id}/filtering/export": Rule(FILTERS, frozenset({200})),
}
