"""The authorisation matrix's rows for reporting concerns and for the case pages (see
tests/authz.py).

Everyone who uses Meadowbank may report and sees their own report; a case is seen only by the
school's case handlers (headteacher, DSL, HR) and the trust roles granted it (trust safeguarding,
trust HR). To anyone else a case id is "not found" (404), whatever their role, so that ids
reveal nothing. Some steps are for named roles only: a handler outside them gets the case page
back with the refusal (400). Each request that changes a case gets a fresh case of its own.
"""

from __future__ import annotations

from typing import Any

from boundaries.store import (
    Case,
    CaseCategory,
    CaseState,
    CaseTask,
    LowLevelConcern,
)
from tests.authz import USES_MEADOWBANK, Rule

REPORTER = "staff_teacher"
HANDLERS = frozenset({"headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr"})
POLICE = frozenset({"headteacher", "dsl", "trust_safeguarding"})
HOLD = frozenset({"headteacher", "trust_safeguarding", "trust_hr"})


def _not_found(_actor: str) -> int:
    return 404


def _handler_refused(allowed: frozenset[str]) -> Any:
    def refused(actor: str) -> int:
        # A handler whose role does not allow the step sees the refusal on the case page.
        return 400 if actor in HANDLERS - allowed else 404

    return refused


def _case(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        case = Case(
            school_id=site.world.meadowbank,
            category=CaseCategory.PUPIL_MESSAGE,
            state=CaseState.REPORTED,
            reporter_id=site.person_id(REPORTER),
            platform="Snapchat",
            account="@matrix_account",
            summary="A friend request and a message from an account that may be a Year 8 pupil.",
        )
        session.add(case)
        session.commit()
        return {"case_id": case.id}


def _task(site: Any) -> dict[str, object]:
    values = _case(site)
    with site.state.sessions() as session:
        task = CaseTask(case_id=values["case_id"], title="Ask the pupil's form tutor")
        session.add(task)
        session.commit()
        return {**values, "task_id": task.id}


def _concern(site: Any) -> dict[str, object]:
    with site.state.sessions() as session:
        concern = LowLevelConcern(
            school_id=site.world.meadowbank,
            about_name="Matrix Colleague Ainsworth",
            summary="Accepted a follow request from a Year 11 pupil.",
        )
        session.add(concern)
        session.commit()
        return {"concern_id": concern.id}


def _person(site: Any) -> dict[str, object]:
    return {"person_id": site.person_id("staff_support")}


REPORT_FORM = {
    "category": "pupil_message",
    "occurred_on": "02/03/2026",
    "platform": "Snapchat",
    "account": "@matrix_account",
    "summary": "A message that may be from a pupil.",
}
CASE = "/schools/{school_id}/cases/{case_id}"

ROUTES: dict[str, Rule] = {
    # Reporting: everyone who uses the school; a report is seen by the one who made it.
    "GET /schools/{school_id}/concerns": Rule(USES_MEADOWBANK, frozenset({200})),
    "GET /schools/{school_id}/concerns/new": Rule(USES_MEADOWBANK, frozenset({200})),
    "POST /schools/{school_id}/concerns": Rule(USES_MEADOWBANK, frozenset({303}), form=REPORT_FORM),
    "GET /schools/{school_id}/concerns/{case_id}": Rule(
        frozenset({REPORTER}), frozenset({200}), params=_case, refused=_not_found
    ),
    # The case handlers' pages. Lists refuse members with 403; a case id is 404 to them.
    "GET /schools/{school_id}/cases": Rule(HANDLERS, frozenset({200})),
    "GET /schools/{school_id}/cases/low-level": Rule(HANDLERS, frozenset({200})),
    "POST /schools/{school_id}/cases/low-level": Rule(
        HANDLERS,
        frozenset({303}),
        form={"about_name": "Matrix Colleague Ainsworth", "summary": "Shared a pupil's post."},
    ),
    "POST /schools/{school_id}/cases/low-level/{concern_id}/review": Rule(
        HANDLERS, frozenset({303}), form={"review_note": "Advice given."}, params=_concern
    ),
    "GET /schools/{school_id}/cases/people/{person_id}": Rule(
        HANDLERS, frozenset({200}), params=_person
    ),
    f"GET {CASE}": Rule(HANDLERS, frozenset({200}), params=_case, refused=_not_found),
    f"GET {CASE}/edit": Rule(HANDLERS, frozenset({200}), params=_case, refused=_not_found),
    f"POST {CASE}/edit": Rule(
        HANDLERS,
        frozenset({303}),
        form={
            "category": "pupil_message",
            "platform": "Snapchat",
            "account": "@matrix_account",
            "summary": "A message that is from a pupil, as the account shows.",
            "reason": "The reporter has seen the account's profile.",
        },
        params=_case,
        refused=_not_found,
    ),
    f"POST {CASE}/move": Rule(
        HANDLERS,
        frozenset({303}),
        form={"to": "triaged", "reason": "Looked at the same day."},
        params=_case,
        refused=_not_found,
    ),
    # No owner chosen: the case page comes back with its error (400), nothing changed.
    f"POST {CASE}/owner": Rule(HANDLERS, frozenset({400}), params=_case, refused=_not_found),
    f"POST {CASE}/parties": Rule(
        HANDLERS,
        frozenset({303}),
        form={"kind": "pupil", "name": "Matrix Pupil Featherstone", "role": "subject"},
        params=_case,
        refused=_not_found,
    ),
    f"POST {CASE}/notes": Rule(
        HANDLERS,
        frozenset({303}),
        form={"note": "Spoke to the form tutor."},
        params=_case,
        refused=_not_found,
    ),
    f"POST {CASE}/tasks": Rule(
        HANDLERS,
        frozenset({303}),
        form={"title": "Ask the pupil's form tutor", "due": "31/12/2099"},
        params=_case,
        refused=_not_found,
    ),
    f"POST {CASE}/tasks/{{task_id}}/done": Rule(
        HANDLERS, frozenset({303}), params=_task, refused=_not_found
    ),
    f"POST {CASE}/police": Rule(
        POLICE,
        frozenset({303}),
        form={"action": "refer", "police_reason": "Threats made: police reference 4411."},
        params=_case,
        refused=_handler_refused(POLICE),
    ),
    f"POST {CASE}/legal-hold": Rule(
        HOLD,
        frozenset({303}),
        form={"hold": "set", "hold_reason": "A claim has been threatened."},
        params=_case,
        refused=_handler_refused(HOLD),
    ),
}
