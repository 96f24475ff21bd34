"""Evidence on a case: adding an upload, reading an original or its preview back, each action
written to the case chain in the same transaction.

An upload is checked (size, and type from content) and streamed into the vault first, outside
any database transaction, so that a slow upload never holds the database. Only when the blob is
safely stored and read back with the right hash is its row written, marked complete, together
with its audit entry: a crash before that leaves no evidence row, and a retry stores the same
bytes at the same address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases import previews, sniff
from boundaries.cases.trail import Actor, chain_name, record
from boundaries.cases.vault import (
    BlobMissing,
    Vault,
    VaultError,
    file_chunks,
    put_bytes,
    read_all,
)
from boundaries.store.cases import Case, CaseState, Evidence
from boundaries.store.models import utc_now

PREVIEW_SOURCE_LIMIT = 30 * 1024 * 1024  # larger originals get an icon, not a rendering


@dataclass(frozen=True)
class Provenance:
    """When and where the evidence was captured, as the uploader gives it (11.5)."""

    captured_at: datetime | None
    place: str
    description: str


class EvidenceRefused(ValueError):
    """The upload is not kept; the message says why, for the uploader."""


def add_evidence(
    session: Session,
    vault: Vault,
    case: Case,
    actor: Actor,
    upload: IO[bytes],
    original_name: str,
    provenance: Provenance,
    *,
    max_size: int,
) -> Evidence:
    """Check, store and record one upload; commits. Raises :class:`EvidenceRefused`."""
    if case.state == CaseState.CLOSED:
        raise EvidenceRefused("This case is closed: evidence can no longer be added.")
    head = upload.read(sniff.HEAD_BYTES + 1)
    try:
        kind = sniff.sniff(head[: sniff.HEAD_BYTES], complete=len(head) <= sniff.HEAD_BYTES)
    except sniff.Refused as exc:
        raise EvidenceRefused(str(exc)) from exc
    try:
        stored = vault.put_stream(_prefixed(head, file_chunks(upload)), max_size=max_size)
    except VaultError as exc:
        raise EvidenceRefused(f"The file was not kept: {exc}.") from exc
    # Read back what was stored before calling it evidence: the address must hold these bytes.
    check = vault.verify(stored.sha256)
    if not check.ok:
        raise EvidenceRefused("The file could not be stored safely; please try again.")
    preview_sha = _store_preview(vault, stored.sha256, stored.size, kind.media_type)
    evidence = Evidence(
        case_id=case.id,
        sha256=stored.sha256,
        size=stored.size,
        media_type=kind.media_type,
        original_name=_clean_name(original_name) or f"evidence.{kind.extension}",
        description=provenance.description.strip(),
        captured_at=provenance.captured_at,
        place=provenance.place.strip(),
        added_by_id=actor.person_id,
        added_at=utc_now(),
        complete=True,
        preview_sha256=preview_sha,
    )
    session.add(evidence)
    session.flush()
    record(
        session,
        case,
        actor,
        "evidence.added",
        {
            "case_id": case.id,
            "evidence_id": evidence.id,
            "sha256": stored.sha256,
            "size": stored.size,
            "media_type": kind.media_type,
            "original_name": evidence.original_name,
            "captured_at": provenance.captured_at.isoformat() if provenance.captured_at else None,
            "place": evidence.place,
        },
    )
    case.updated_at = utc_now()
    session.commit()
    return evidence


def _prefixed(head: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield head
    yield from rest


def _store_preview(vault: Vault, sha256: str, size: int, media_type: str) -> str | None:
    if size > PREVIEW_SOURCE_LIMIT:
        data = previews.icon_png(media_type)
    else:
        data = previews.preview_png(read_all(vault, sha256), media_type)
    return put_bytes(vault, data).sha256


def _clean_name(name: str) -> str:
    """The file's own name without any folder part or control characters, at most 255 long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable()).strip()[:255]


def evidence_of(session: Session, case: Case, *, complete_only: bool = True) -> list[Evidence]:
    """The case's evidence, oldest first."""
    query = select(Evidence).where(Evidence.case_id == case.id)
    if complete_only:
        query = query.where(Evidence.complete.is_(True))
    return list(session.scalars(query.order_by(Evidence.added_at, Evidence.id)))


def find_evidence(session: Session, case: Case, evidence_id: int) -> Evidence | None:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.case_id != case.id or not evidence.complete:
        return None
    return evidence


def open_original(
    session: Session, vault: Vault, case: Case, evidence: Evidence, actor: Actor
) -> Iterator[bytes]:
    """The original's bytes, after recording the download in the chain (commits)."""
    chunks = vault.open_chunks(evidence.sha256)
    record(
        session,
        case,
        actor,
        "evidence.downloaded",
        {"evidence_id": evidence.id, "sha256": evidence.sha256},
    )
    session.commit()
    return chunks


def preview_bytes(
    session: Session, vault: Vault, case: Case, evidence: Evidence, actor: Actor
) -> bytes:
    """The preview PNG, after recording the view in the chain (commits)."""
    if evidence.preview_sha256:
        try:
            data = read_all(vault, evidence.preview_sha256)
        except BlobMissing:
            data = previews.icon_png(evidence.media_type)
    else:
        data = previews.icon_png(evidence.media_type)
    record(session, case, actor, "evidence.viewed", {"evidence_id": evidence.id})
    session.commit()
    return data


def recorded_hashes(session: Session, school_id: int | None = None) -> dict[int, tuple[str, int]]:
    """Evidence id → (SHA-256, chain seq) as written in the chain when each upload was added."""
    from boundaries.store.audit import AuditEntry

    query = select(AuditEntry.detail, AuditEntry.seq).where(AuditEntry.action == "evidence.added")
    if school_id is None:
        query = query.where(AuditEntry.chain.startswith("cases:school:"))
    else:
        query = query.where(AuditEntry.chain == chain_name(school_id))
    found: dict[int, tuple[str, int]] = {}
    for detail, seq in session.execute(query):
        try:
            values = json.loads(detail)
            found[int(values["evidence_id"])] = (str(values["sha256"]), int(seq))
        except (ValueError, KeyError, TypeError):
            continue  # a damaged entry is the chain verifier's to report
    return found
