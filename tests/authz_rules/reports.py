"""The authorisation matrix's rows for reports: the governors' report (school and trust) and
the subject access export.

A school's report is for its leaders, HR, the DSL and its governors, and for the trust's
officers; a trust's report is for the trust's officers alone, and everyone else, signed in,
is told it is not found. Subject access is for the headteacher, HR and the trust's HR.
"""

from __future__ import annotations

from typing import Any

from tests.authz import WESTVALE_OFFICERS, Rule

VIEWS_MEADOWBANK_REPORTS = frozenset({"headteacher", "hr", "dsl", "governor"}) | WESTVALE_OFFICERS
SUBJECT_ACCESS_AT_MEADOWBANK = frozenset({"headteacher", "hr", "trust_hr"})


def _not_found(_actor: str) -> int:
    return 404


def _a_teacher(site: Any) -> dict[str, object]:
    """The Meadowbank teacher, whose export is asked for."""
    return {"person_id": site.person_id("staff_teacher")}


ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/reports/governors": Rule(VIEWS_MEADOWBANK_REPORTS, frozenset({200})),
    "GET /schools/{school_id}/reports/governors.csv": Rule(
        VIEWS_MEADOWBANK_REPORTS, frozenset({200})
    ),
    "GET /schools/{school_id}/reports/governors.pdf": Rule(
        VIEWS_MEADOWBANK_REPORTS, frozenset({200})
    ),
    "GET /trusts/{trust_id}/reports/governors": Rule(
        WESTVALE_OFFICERS, frozenset({200}), refused=_not_found
    ),
    "GET /trusts/{trust_id}/reports/governors.csv": Rule(
        WESTVALE_OFFICERS, frozenset({200}), refused=_not_found
    ),
    "GET /trusts/{trust_id}/reports/governors.pdf": Rule(
        WESTVALE_OFFICERS, frozenset({200}), refused=_not_found
    ),
    "GET /schools/{school_id}/subject-access": Rule(SUBJECT_ACCESS_AT_MEADOWBANK, frozenset({200})),
    "GET /schools/{school_id}/people/{person_id}/subject-access.zip": Rule(
        SUBJECT_ACCESS_AT_MEADOWBANK, frozenset({200}), params=_a_teacher
    ),
}
