"""The authorisation matrix's rows for the connections audit (see tests/authz.py).

Everyone in the school may audit their own export (nothing is stored); an upload with no file,
or a share with no sealed summary, comes back with its error (400). Summaries shared with the
headteacher are for those who review declarations.
"""

from __future__ import annotations

from tests.authz import USES_MEADOWBANK, Rule

REVIEWERS = frozenset({"headteacher", "dsl", "trust_safeguarding"})

ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/connections": Rule(USES_MEADOWBANK, frozenset({200})),
    "POST /schools/{school_id}/connections/audit": Rule(USES_MEADOWBANK, frozenset({400})),
    "POST /schools/{school_id}/connections/share": Rule(
        USES_MEADOWBANK, frozenset({400}), form={"summary": "not-a-sealed-summary"}
    ),
    "GET /schools/{school_id}/connections/shared": Rule(REVIEWERS, frozenset({200})),
}
