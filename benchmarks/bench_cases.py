"""How fast `boundaries cases verify` checks the case records.

    make bench-cases      # or: .venv/bin/python benchmarks/bench_cases.py [--entries N --files N]

A fresh database (a SQLite file in a temporary folder; then PostgreSQL, when it answers at
127.0.0.1:5432, in a schema of its own that is dropped afterwards) gets 100,000 audit entries
across 10 schools' case chains and 10,000 small, distinct evidence files in a local vault. The
entries are inserted in bulk with their real hashes (``boundaries.audit.chain.entry_hash``), one
``evidence.added`` entry per file, so the verifier has exactly the work it has in real life.

Then ``boundaries cases verify`` runs as its own process (total wall time, start-up included),
and once more in this process to split the time between the chains (entries/s) and the files
(files/s). Other work on the machine skews the figures; the load average is printed alongside.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, insert, text

from boundaries.audit import GENESIS_HASH, entry_hash
from boundaries.audit.chain import canonical_json
from boundaries.cases.vault import LocalVault
from boundaries.cases.verify import verify_cases
from boundaries.store import (
    AuditChainHead,
    AuditEntry,
    Case,
    CaseCategory,
    CaseState,
    Evidence,
    Person,
    PersonKind,
    School,
    Trust,
    TrustKind,
    create_db_engine,
    session_factory,
    upgrade,
)

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHOOLS = 10
CASES_PER_SCHOOL = 20
BATCH = 5_000
BIN = Path(sys.executable).parent
console = Console(highlight=False)


def _schools(engine: Engine) -> tuple[list[int], int]:
    with session_factory(engine)() as session:
        trust = Trust(name="Benchmark Trust", kind=TrustKind.ACADEMY_TRUST)
        person = Person(
            name="Bench Handler", email="bench@bench.example.org", kind=PersonKind.STAFF
        )
        schools = [
            School(trust=trust, name=f"Bench School {i}", urn=f"98{i:04d}", local_authority="Bench")
            for i in range(SCHOOLS)
        ]
        session.add_all([trust, person, *schools])
        session.commit()
        return [s.id for s in schools], person.id


def build(engine: Engine, vault: LocalVault, entries: int, files: int) -> None:
    """Fill the database and the vault: ``files`` evidence rows and blobs, ``entries`` entries."""
    school_ids, person_id = _schools(engine)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with session_factory(engine)() as session:
        cases: dict[int, list[int]] = {}
        for school_id in school_ids:
            rows = [
                Case(
                    school_id=school_id,
                    category=CaseCategory.CYBERBULLYING,
                    state=CaseState.INVESTIGATING,
                    reporter_id=person_id,
                    summary="Benchmark case",
                    created_at=now,
                    updated_at=now,
                )
                for _ in range(CASES_PER_SCHOOL)
            ]
            session.add_all(rows)
            session.flush()
            cases[school_id] = [c.id for c in rows]
        session.commit()

        # The files: small and distinct, written straight into the vault's layout (read-only).
        evidence_rows: list[dict[str, Any]] = []
        for n in range(files):
            data = f"Benchmark evidence {n}\n".encode() * (1 + n % 40)
            sha = hashlib.sha256(data).hexdigest()
            path = vault.path_of(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o444)
            school_id = school_ids[n % SCHOOLS]
            evidence_rows.append(
                {
                    "case_id": cases[school_id][n % CASES_PER_SCHOOL],
                    "sha256": sha,
                    "size": len(data),
                    "media_type": "text/plain",
                    "original_name": f"chat-{n}.txt",
                    "description": "",
                    "place": "WhatsApp",
                    "added_by_id": person_id,
                    "added_at": now,
                    "complete": True,
                }
            )
        for start in range(0, len(evidence_rows), BATCH):
            session.execute(insert(Evidence), evidence_rows[start : start + BATCH])
        session.commit()
        evidence = session.execute(
            text("SELECT id, case_id, sha256 FROM case_evidence ORDER BY id")
        ).all()

        # The chains: each school's evidence.added entries, padded with views to ``entries``.
        by_school: dict[int, list[tuple[int, int, str]]] = {s: [] for s in school_ids}
        case_school = {c: s for s, ids in cases.items() for c in ids}
        for evidence_id, case_id, sha in evidence:
            by_school[case_school[case_id]].append((evidence_id, case_id, sha))
        per_school = entries // SCHOOLS
        for school_id in school_ids:
            chain = f"cases:school:{school_id}"
            prev, rows_out = GENESIS_HASH, []
            added = by_school[school_id]
            for seq in range(1, per_school + 1):
                at = now + timedelta(seconds=seq)
                if seq <= len(added):
                    evidence_id, case_id, sha = added[seq - 1]
                    action = "evidence.added"
                    detail = canonical_json(
                        {"case_id": case_id, "evidence_id": evidence_id, "sha256": sha}
                    )
                else:
                    case_id = cases[school_id][seq % CASES_PER_SCHOOL]
                    action, detail = "case.viewed", canonical_json({"page": "case"})
                digest = entry_hash(
                    prev_hash=prev,
                    chain=chain,
                    seq=seq,
                    at=at,
                    actor_id=person_id,
                    actor_name="Bench Handler",
                    action=action,
                    subject_type="case",
                    subject_id=case_id,
                    detail=detail,
                )
                rows_out.append(
                    {
                        "chain": chain,
                        "seq": seq,
                        "at": at,
                        "actor_id": person_id,
                        "actor_name": "Bench Handler",
                        "action": action,
                        "subject_type": "case",
                        "subject_id": case_id,
                        "detail": detail,
                        "prev_hash": prev,
                        "hash": digest,
                    }
                )
                prev = digest
                if len(rows_out) >= BATCH:
                    session.execute(insert(AuditEntry), rows_out)
                    rows_out = []
            if rows_out:
                session.execute(insert(AuditEntry), rows_out)
            session.add(AuditChainHead(chain=chain, seq=per_school, hash=prev))
            session.commit()


def run_command(url: str, vault: LocalVault) -> tuple[float, int, str]:
    """`boundaries cases verify` as a separate process: wall time, exit code, its summary."""
    env = {**os.environ, "BOUNDARIES_EVIDENCE_DIR": str(vault.root)}
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "boundaries"), "cases", "verify", "--url", url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, done.returncode, (done.stdout + done.stderr).strip()


def split_timing(engine: Engine, vault: LocalVault) -> dict[str, float]:
    """The same verification in this process, timing the chains and the files apart."""
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(what: str, _done: int) -> None:
        marks[what] = time.perf_counter()

    with session_factory(engine)() as session:
        report = verify_cases(session, vault, progress=progress)
    assert report.ok, report.lines()
    chains_done = marks["entries"]
    return {
        "entries": float(report.entries_checked),
        "files": float(report.files_checked),
        "chain_seconds": chains_done - started,
        "file_seconds": marks["files"] - chains_done,
        "total_seconds": time.perf_counter() - started,
    }


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    admin = create_db_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    schema = f"bench_cases_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # not running here: SQLite figures only
        console.print(f"PostgreSQL is not reachable ({type(exc).__name__}); skipping it.")
        admin.dispose()
        yield None
        return
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(kind: str, url: str, folder: Path, entries: int, files: int) -> dict[str, Any]:
    upgrade(url)
    engine = create_db_engine(url)
    vault = LocalVault(folder / "evidence")
    try:
        started = time.perf_counter()
        build(engine, vault, entries, files)
        built = time.perf_counter() - started
        wall, code, summary = run_command(url, vault)
        if code != 0:
            raise SystemExit(f"verify failed on {kind} (exit {code}):\n{summary}")
        split = split_timing(engine, vault)
    finally:
        engine.dispose()
    return {"database": kind, "build_seconds": built, "command_seconds": wall, **split}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.entries < args.files:
        parser.error("--entries must be at least --files (one evidence.added entry per file)")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as temp:
        folder = Path(temp)
        console.print(
            f"Building {args.entries:,} audit entries and {args.files:,} evidence files "
            f"(load average {os.getloadavg()[0]:.1f}) …"
        )
        results.append(
            measure(
                "SQLite",
                f"sqlite:///{folder / 'cases.sqlite3'}",
                folder / "sqlite",
                args.entries,
                args.files,
            )
        )
        if not args.no_postgres:
            with postgres_schema() as url:
                if url is not None:
                    results.append(
                        measure("PostgreSQL", url, folder / "pg", args.entries, args.files)
                    )
    table = Table(title="boundaries cases verify")
    for column in (
        "Database",
        "Build (s)",
        "Command (s)",
        "Entries/s",
        "Files/s",
        "In-process (s)",
    ):
        table.add_column(column, justify="right" if column != "Database" else "left")
    for r in results:
        table.add_row(
            r["database"],
            f"{r['build_seconds']:.1f}",
            f"{r['command_seconds']:.2f}",
            f"{r['entries'] / r['chain_seconds']:,.0f}",
            f"{r['files'] / r['file_seconds']:,.0f}",
            f"{r['total_seconds']:.2f}",
        )
    console.print(table)
    console.print(
        f"{args.entries:,} entries and {args.files:,} files; command time includes start-up. "
        f"Load average now {os.getloadavg()[0]:.1f}."
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
