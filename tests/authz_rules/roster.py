"""Who may use the roster routes: importing from the MIS, the import log, the pupils and staff
on the roster, and staff invitations.

Those who manage the roster (headteacher, HR, IT; the trust's administrators) do all of it;
nobody else sees it, not even the pupils list.
"""

from __future__ import annotations

from typing import Any

from boundaries.store import RosterImport
from tests.authz import Rule

MANAGES_MEADOWBANK_ROSTER = frozenset({"headteacher", "hr", "it_admin", "trust_admin"})


def _an_import(site: Any) -> dict[str, object]:
    """One line of Meadowbank's import log, made once per site."""
    made: int | None = getattr(site, "_roster_import_id", None)
    if made is None:
        with site.state.sessions() as session:
            record = RosterImport(
                school_id=site.world.meadowbank,
                kind="pupils",
                source="sims",
                file_sha256="0" * 64,
                rows=3,
                created=3,
                applied=True,
            )
            session.add(record)
            session.commit()
            made = record.id
        site._roster_import_id = made
    return {"import_id": made}


ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/roster": Rule(MANAGES_MEADOWBANK_ROSTER, frozenset({200})),
    # No file chosen: the form comes back with the problem, and nothing is read.
    "POST /schools/{school_id}/roster/preview": Rule(
        MANAGES_MEADOWBANK_ROSTER, frozenset({400}), form={"kind": "pupils", "source": "sims"}
    ),
    # A preview token that was never issued: the form says the preview has expired.
    "POST /schools/{school_id}/roster/apply": Rule(
        MANAGES_MEADOWBANK_ROSTER, frozenset({400}), form={"token": "n" * 43}
    ),
    "GET /schools/{school_id}/roster/imports/{import_id}": Rule(
        MANAGES_MEADOWBANK_ROSTER, frozenset({200}), params=_an_import
    ),
    "GET /schools/{school_id}/roster/pupils": Rule(MANAGES_MEADOWBANK_ROSTER, frozenset({200})),
    "GET /schools/{school_id}/roster/staff": Rule(MANAGES_MEADOWBANK_ROSTER, frozenset({200})),
    # Meadowbank has no imported staff in the test world, so nobody is e-mailed.
    "POST /schools/{school_id}/roster/invite": Rule(MANAGES_MEADOWBANK_ROSTER, frozenset({303})),
}
