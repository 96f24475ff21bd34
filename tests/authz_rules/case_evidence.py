"""The authorisation matrix's rows for evidence on cases (see tests/authz.py).

The reporter adds evidence to their own report; to anyone else that report is "not found".
Case handlers (headteacher, DSL, HR, trust safeguarding, trust HR) add evidence, download
originals, see previews and export the bundle; other members of the school are refused (403).
Each request gets a fresh case of its own; the evidence is stored in a vault in a temporary
folder, never in the working directory.
"""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from boundaries.cases.trail import Actor
from boundaries.cases.uploads import Provenance, add_evidence
from boundaries.cases.vault import LocalVault, Vault
from boundaries.store import Case, CaseCategory, CaseState
from tests.authz import Rule

REPORTER = "staff_teacher"
HANDLERS = frozenset({"headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr"})


def _not_found(_actor: str) -> int:
    return 404


def _vault(site: Any) -> Vault:
    found: tuple[Vault, int] | None = getattr(site.app.state, "evidence_vault", None)
    if found is None:
        found = (LocalVault(Path(tempfile.mkdtemp(prefix="authz-evidence-"))), 2 * 1024 * 1024)
        site.app.state.evidence_vault = found
    return found[0]


def _case(site: Any) -> dict[str, object]:
    _vault(site)
    with site.state.sessions() as session:
        case = Case(
            school_id=site.world.meadowbank,
            category=CaseCategory.CYBERBULLYING,
            state=CaseState.REPORTED,
            reporter_id=site.person_id(REPORTER),
            platform="Instagram",
            account="@matrix_gossip",
            summary="Posts about me from an anonymous account.",
        )
        session.add(case)
        session.commit()
        return {"case_id": case.id}


def _screenshot() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 80), "#dddddd").save(out, format="PNG")
    return out.getvalue()


def _evidence(site: Any) -> dict[str, object]:
    values = _case(site)
    vault = _vault(site)
    with site.state.sessions() as session:
        case = session.get(Case, values["case_id"])
        assert case is not None
        evidence = add_evidence(
            session,
            vault,
            case,
            Actor(site.person_id(REPORTER), "Meadowbank Staff Teacher"),
            io.BytesIO(_screenshot()),
            "IMG_0001.PNG",
            Provenance(datetime(2026, 11, 25, 14, 5, tzinfo=UTC), "Instagram", ""),
            max_size=1024 * 1024,
        )
        return {**values, "evidence_id": evidence.id}


ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/concerns/{case_id}/evidence": Rule(
        frozenset({REPORTER}), frozenset({200}), params=_case, refused=_not_found
    ),
    # No file: the form comes back asking for one (400); nothing is stored.
    "POST /schools/{school_id}/concerns/{case_id}/evidence": Rule(
        frozenset({REPORTER}),
        frozenset({400}),
        form={"place": "Instagram"},
        params=_case,
        refused=_not_found,
    ),
    "POST /schools/{school_id}/cases/{case_id}/evidence": Rule(
        HANDLERS, frozenset({400}), form={"place": "Instagram"}, params=_case
    ),
    "GET /schools/{school_id}/cases/{case_id}/evidence/{evidence_id}": Rule(
        HANDLERS, frozenset({200}), params=_evidence
    ),
    "GET /schools/{school_id}/cases/{case_id}/evidence/{evidence_id}/preview": Rule(
        HANDLERS, frozenset({200}), params=_evidence
    ),
    "GET /schools/{school_id}/cases/{case_id}/bundle.pdf": Rule(
        HANDLERS, frozenset({200}), params=_case
    ),
    "GET /schools/{school_id}/cases/{case_id}/bundle.zip": Rule(
        HANDLERS, frozenset({200}), params=_case
    ),
}
