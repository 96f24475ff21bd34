"""The case bundle: one PDF (chronology, audit trail, evidence list with hashes and thumbnails)
and a ZIP of the originals with a ``SHA256SUMS`` manifest that anyone can check with
``sha256sum -c SHA256SUMS`` (GNU coreutils), without Boundaries.

The bundle is built from plain dataclasses (:class:`Bundle`), so rendering needs nothing but the
data; :func:`load_bundle` fills them from the store and the vault.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases import previews
from boundaries.cases.trail import case_entries, chain_name
from boundaries.cases.uploads import evidence_of
from boundaries.cases.vault import BlobMissing, Vault, read_all
from boundaries.reports.pdf import html_to_pdf, render_html
from boundaries.store import Person, School
from boundaries.store.audit import AuditChainHead
from boundaries.store.cases import Case

# Actions that only look at a case: in the audit trail, not in the chronology.
LOOKING = frozenset(
    {
        "case.viewed",
        "case.viewed_by_reporter",
        "evidence.viewed",
        "evidence.downloaded",
        "case.exported",
    }
)


@dataclass(frozen=True)
class BundleEvidence:
    """One original, as the bundle lists it."""

    evidence_id: int
    sha256: str
    size: int
    media_type: str
    original_name: str
    description: str
    captured_at: datetime | None
    place: str
    added_by: str
    added_at: datetime
    thumbnail_png: bytes | None = None

    @property
    def thumbnail_data_url(self) -> str:
        data = self.thumbnail_png or previews.icon_png(self.media_type)
        return "data:image/png;base64," + base64.b64encode(data).decode()


@dataclass(frozen=True)
class BundleEntry:
    """One audit entry of the case."""

    seq: int
    at: datetime
    actor: str
    action: str
    detail: str
    hash: str


@dataclass(frozen=True)
class ChronologyItem:
    """Something that happened, in time order."""

    at: datetime
    what: str


@dataclass
class Bundle:
    """Everything the bundle shows about one case."""

    case_id: int
    school_name: str
    school_urn: str
    category: str
    state: str
    outcome: str | None
    summary: str
    reporter: str
    owner: str
    created_at: datetime
    closed_at: datetime | None
    legal_hold: bool
    generated_at: datetime
    generated_by: str
    chain: str
    chain_head: str
    evidence: list[BundleEvidence] = field(default_factory=list)
    audit: list[BundleEntry] = field(default_factory=list)
    chronology: list[ChronologyItem] = field(default_factory=list)


def action_label(action: str) -> str:
    """``evidence.added`` → "Evidence added"."""
    return action.replace(".", " ").replace("_", " ").capitalize()


def render_pdf(bundle: Bundle) -> bytes:
    """The bundle as one A4 PDF."""
    html = render_html(
        "case_evidence_bundle_pdf.html",
        {"bundle": bundle, "zip_names": archive_names(bundle.evidence)},
    )
    return html_to_pdf(html)


_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")


def archive_names(evidence: list[BundleEvidence]) -> dict[int, str]:
    """A safe, unique path in the ZIP for each original: ``originals/<id>-<name>``.

    Names are reduced to plain characters so that ``sha256sum -c`` and every unzip tool read
    them the same way, and can never climb out of the folder they are unpacked in.
    """
    names: dict[int, str] = {}
    for item in evidence:
        base = item.original_name.replace("\\", "/").rsplit("/", 1)[-1]
        # Accents come off (café → cafe); any other non-ASCII character becomes "_".
        ascii_name = "".join(
            ch if ch.isascii() else "_"
            for ch in unicodedata.normalize("NFKD", base)
            if not unicodedata.combining(ch)
        )
        safe = _UNSAFE.sub("_", ascii_name).strip(" .") or "evidence"
        names[item.evidence_id] = f"originals/{item.evidence_id:06d}-{safe[:120]}"
    return names


def write_zip(
    bundle: Bundle, vault: Vault, out: IO[bytes], *, pdf: bytes | None = None
) -> list[str]:
    """Write the ZIP of originals (and the PDF, if given) with its ``SHA256SUMS`` manifest.

    Each original is hashed again as it is copied; one that no longer matches its address is
    refused rather than shipped under a hash it does not have. Returns the manifest's lines.
    """
    names = archive_names(bundle.evidence)
    manifest: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in bundle.evidence:
            name = names[item.evidence_id]
            digest = hashlib.sha256()
            info = zipfile.ZipInfo(name, date_time=_zip_time(item.added_at))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for chunk in vault.open_chunks(item.sha256):
                    digest.update(chunk)
                    member.write(chunk)
            if digest.hexdigest() != item.sha256:
                raise BlobMissing(
                    f"evidence {item.evidence_id}: the stored file no longer matches its hash"
                )
            manifest.append(f"{item.sha256}  {name}")
        if pdf is not None:
            pdf_name = f"case-{bundle.case_id}-bundle.pdf"
            archive.writestr(_info(pdf_name, bundle.generated_at), pdf)
            manifest.append(f"{hashlib.sha256(pdf).hexdigest()}  {pdf_name}")
        archive.writestr(
            _info("SHA256SUMS", bundle.generated_at), "".join(f"{line}\n" for line in manifest)
        )
        archive.writestr(_info("README.txt", bundle.generated_at), _readme(bundle))
    return manifest


def _info(name: str, at: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_zip_time(at))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _zip_time(at: datetime) -> tuple[int, int, int, int, int, int]:
    moment = at.astimezone(UTC)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, 0)


def _readme(bundle: Bundle) -> str:
    return (
        f"Case {bundle.case_id}, {bundle.school_name} (URN {bundle.school_urn})\n"
        f"Exported {bundle.generated_at.astimezone(UTC).isoformat()} by {bundle.generated_by}.\n\n"
        "The folder 'originals' holds each piece of evidence exactly as it was uploaded.\n"
        "SHA256SUMS lists the SHA-256 hash of every file. To check that nothing has changed,\n"
        "unpack the archive and, in the unpacked folder, run:\n\n"
        "    sha256sum -c SHA256SUMS\n\n"
        "(on macOS: shasum -a 256 -c SHA256SUMS). Every line should end in OK. The same hashes\n"
        "appear in the case bundle PDF and in the school's audit chain, where each was recorded\n"
        f"when the evidence was added (chain {bundle.chain}, head {bundle.chain_head}).\n"
    )


# -- from the store ------------------------------------------------------------------------------
def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())


def load_bundle(
    session: Session, vault: Vault, case: Case, generated_by: str, *, now: datetime | None = None
) -> Bundle:
    """The bundle of ``case`` as it stands."""
    school = session.get(School, case.school_id)
    assert school is not None
    items = evidence_of(session, case)
    entries = case_entries(session, case)
    people = _names(
        session,
        {i for i in (case.reporter_id, case.owner_id) if i is not None}
        | {e.added_by_id for e in items if e.added_by_id is not None},
    )
    evidence = [
        BundleEvidence(
            evidence_id=e.id,
            sha256=e.sha256,
            size=e.size,
            media_type=e.media_type,
            original_name=e.original_name,
            description=e.description,
            captured_at=e.captured_at,
            place=e.place,
            added_by=people.get(e.added_by_id or 0, "–"),
            added_at=e.added_at,
            thumbnail_png=_thumbnail(vault, e.preview_sha256),
        )
        for e in items
    ]
    audit = [
        BundleEntry(e.seq, e.at, e.actor_name or "–", e.action, e.detail, e.hash) for e in entries
    ]
    chronology = [ChronologyItem(case.created_at, "Report made")]
    if case.occurred_at is not None:
        chronology.append(ChronologyItem(case.occurred_at, "Incident happened (as reported)"))
    chronology.extend(
        ChronologyItem(item.captured_at, f"Evidence captured: {item.original_name}")
        for item in evidence
        if item.captured_at is not None
    )
    chronology.extend(
        ChronologyItem(e.at, f"{action_label(e.action)} by {e.actor}")
        for e in audit
        if e.action not in LOOKING
    )
    chronology.sort(key=lambda item: item.at)
    chain_head = session.get(AuditChainHead, chain_name(case.school_id))
    return Bundle(
        case_id=case.id,
        school_name=school.name,
        school_urn=school.urn or "",
        category=str(case.category).replace("_", " ").capitalize(),
        state=str(case.state).capitalize(),
        outcome=str(case.outcome).replace("_", " ").capitalize() if case.outcome else None,
        summary=case.summary,
        reporter=people.get(case.reporter_id or 0, "–"),
        owner=people.get(case.owner_id or 0, "–"),
        created_at=case.created_at,
        closed_at=case.closed_at,
        legal_hold=case.legal_hold,
        generated_at=now or datetime.now(UTC),
        generated_by=generated_by,
        chain=chain_name(case.school_id),
        chain_head=chain_head.hash if chain_head else "",
        evidence=evidence,
        audit=audit,
        chronology=chronology,
    )


def _thumbnail(vault: Vault, sha256: str | None) -> bytes | None:
    if not sha256:
        return None
    try:
        return read_all(vault, sha256)
    except BlobMissing:
        return None
