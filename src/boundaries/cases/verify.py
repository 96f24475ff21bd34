"""Check that the case records still hold: every case chain recomputed from its first entry, and
every stored original read back and hashed again.

Three things are compared for each piece of evidence: the SHA-256 in its row, the SHA-256 the
chain recorded when it was added, and the hash of the bytes actually stored. A changed row, a
missing file and an altered file each show, named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.audit import ChainReport, chains, verify_chain
from boundaries.cases.trail import chain_name
from boundaries.cases.uploads import recorded_hashes
from boundaries.cases.vault import Vault, VaultError
from boundaries.store.cases import Case, Evidence

Progress = Callable[[str, int], None]  # (what: "entries" or "files", how many more done)


@dataclass(frozen=True)
class EvidenceProblem:
    """One piece of evidence that does not hold."""

    evidence_id: int
    case_id: int
    sha256: str
    problem: str

    def __str__(self) -> str:
        return f"evidence {self.evidence_id} (case {self.case_id}, {self.sha256}): {self.problem}"


@dataclass
class VerifyReport:
    """Everything one run found."""

    chains: list[ChainReport] = field(default_factory=list)
    files_checked: int = 0
    evidence_problems: list[EvidenceProblem] = field(default_factory=list)

    @property
    def entries_checked(self) -> int:
        return sum(report.entries for report in self.chains)

    @property
    def broken_chains(self) -> list[ChainReport]:
        return [report for report in self.chains if not report.ok]

    @property
    def ok(self) -> bool:
        return not self.broken_chains and not self.evidence_problems

    def lines(self) -> list[str]:
        """One line per problem: the first break of each chain, then each file."""
        out = [str(report.first_break) for report in self.broken_chains]
        out.extend(str(problem) for problem in self.evidence_problems)
        return out


def case_chains(session: Session, school_id: int | None = None) -> list[str]:
    """The chains to check: one school's, or every school's."""
    if school_id is not None:
        name = chain_name(school_id)
        return [name] if name in chains(session, name) else []
    return chains(session, "cases:school:")


def count_work(session: Session, school_id: int | None = None) -> tuple[int, int]:
    """How many chain entries and evidence files a run will check (for progress bars)."""
    from boundaries.store.audit import AuditChainHead

    heads = select(func.coalesce(func.sum(AuditChainHead.seq), 0))
    files = select(func.count(Evidence.id)).where(Evidence.complete.is_(True))
    if school_id is None:
        heads = heads.where(AuditChainHead.chain.startswith("cases:school:"))
    else:
        heads = heads.where(AuditChainHead.chain == chain_name(school_id))
        files = files.join(Case, Case.id == Evidence.case_id).where(Case.school_id == school_id)
    return int(session.scalar(heads) or 0), int(session.scalar(files) or 0)


def verify_cases(
    session: Session,
    vault: Vault,
    school_id: int | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """Verify the case chains and evidence of one school, or of all."""
    report = VerifyReport()
    for name in case_chains(session, school_id):
        chain_report = verify_chain(session, name)
        report.chains.append(chain_report)
        if progress:
            progress("entries", chain_report.entries)
    recorded = recorded_hashes(session, school_id)
    columns = select(Evidence.id, Evidence.case_id, Evidence.sha256).where(
        Evidence.complete.is_(True)
    )
    if school_id is not None:
        columns = columns.join(Case, Case.id == Evidence.case_id).where(Case.school_id == school_id)
    for evidence_id, case_id, sha256 in session.execute(columns.order_by(Evidence.id)):
        problem = _evidence_problem(vault, evidence_id, sha256, recorded.get(evidence_id))
        if problem:
            report.evidence_problems.append(EvidenceProblem(evidence_id, case_id, sha256, problem))
        report.files_checked += 1
        if progress:
            progress("files", 1)
    return report


def _evidence_problem(
    vault: Vault, evidence_id: int, sha256: str, recorded: tuple[str, int] | None
) -> str | None:
    if recorded is None:
        return "no entry in the audit chain records this evidence being added"
    if recorded[0] != sha256:
        return (
            f"the row's SHA-256 differs from the one the audit chain recorded at entry "
            f"{recorded[1]} ({recorded[0]}): the row was changed"
        )
    try:
        check = vault.verify(sha256)
    except VaultError:
        return "the row's SHA-256 is not a valid address"
    if check.state == "missing":
        return "the stored file is missing"
    if check.state == "altered":
        return f"the stored file was altered (its content now hashes to {check.actual_sha256})"
    return None
