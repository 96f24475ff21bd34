"""The case bundle (issue 5, item 6): one PDF with the chronology, the audit trail and the
evidence list with hashes and thumbnails, and a ZIP of originals whose SHA256SUMS manifest a
third party checks with the real ``sha256sum -c`` (GNU coreutils)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped, unused-ignore]
import pytest
from sqlalchemy import Engine, select

from boundaries.cases import previews
from boundaries.cases.bundle import (
    Bundle,
    BundleEntry,
    BundleEvidence,
    ChronologyItem,
    archive_names,
    load_bundle,
    render_pdf,
    write_zip,
)
from boundaries.cases.trail import record
from boundaries.cases.vault import BlobMissing, LocalVault, put_bytes
from boundaries.cli import main
from boundaries.store import AuditEntry
from tests.case_evidence_support import (
    SAVED_EMAIL,
    SAVED_MHTML,
    Store,
    add,
    database_fixture,
    make_store,
    new_case,
    printed_pdf,
    screenshot_png,
)

SHA256SUM = shutil.which("sha256sum")
AT = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)


def _evidence(
    vault: LocalVault, evidence_id: int, data: bytes, name: str, media: str
) -> BundleEvidence:
    stored = put_bytes(vault, data)
    return BundleEvidence(
        evidence_id=evidence_id,
        sha256=stored.sha256,
        size=stored.size,
        media_type=media,
        original_name=name,
        description="Screenshot of the post",
        captured_at=AT,
        place="Instagram, @westvale_gossip_2026",
        added_by="Imogen Castellane",
        added_at=AT,
        thumbnail_png=previews.preview_png(data, media),
    )


def _bundle(vault: LocalVault) -> Bundle:
    evidence = [
        _evidence(vault, 11, screenshot_png(), "Screenshot 2026-11-25 at 14.05.png", "image/png"),
        _evidence(vault, 12, SAVED_EMAIL, "../../etc/passwd", "message/rfc822"),
        _evidence(vault, 13, printed_pdf(), "Fil d’actualité – café.pdf", "application/pdf"),
    ]
    return Bundle(
        case_id=7,
        school_name="Fenbrook Primary",
        school_urn="990001",
        category="Cyberbullying",
        state="Investigating",
        outcome=None,
        summary="Messages from an anonymous account about me.",
        reporter="Imogen Castellane",
        owner="Rupert Lanyon",
        created_at=AT,
        closed_at=None,
        legal_hold=True,
        generated_at=AT,
        generated_by="Rupert Lanyon",
        chain="cases:school:1",
        chain_head="ab" * 32,
        evidence=evidence,
        audit=[
            BundleEntry(1, AT, "Imogen Castellane", "case.reported", '{"category":"x"}', "cd" * 32),
            BundleEntry(2, AT, "Imogen Castellane", "evidence.added", "{}", "ef" * 32),
        ],
        chronology=[ChronologyItem(AT, "Report made"), ChronologyItem(AT, "Evidence added")],
    )


def _pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_pdf_holds_the_chronology_audit_trail_and_every_hash(tmp_path: Path) -> None:
    bundle = _bundle(LocalVault(tmp_path))
    pdf = render_pdf(bundle)
    assert pdf.startswith(b"%PDF-")
    text = "".join(_pdf_text(pdf).split())  # long hashes wrap across lines in the table
    for heading in ("Chronology", "Evidence", "Audittrail"):
        assert heading in text
    for item in bundle.evidence:
        assert item.sha256 in text
    assert "cd" * 32 in text and "25/11/2026" in text
    assert pdf.count(b"/Subtype /Image") + pdf.count(b"/Subtype/Image") >= 3  # thumbnails


def test_zip_names_are_safe_unique_and_never_leave_the_folder(tmp_path: Path) -> None:
    names = archive_names(_bundle(LocalVault(tmp_path)).evidence)
    assert names[12] == "originals/000012-passwd"
    assert names[13] == "originals/000013-Fil d_actualite _ cafe.pdf"
    assert len(set(names.values())) == 3
    assert all(".." not in name.split("/") for name in names.values())


@pytest.mark.skipif(SHA256SUM is None, reason="needs GNU coreutils' sha256sum")
def test_a_third_party_checks_the_originals_with_sha256sum(tmp_path: Path) -> None:
    vault = LocalVault(tmp_path / "vault")
    bundle = _bundle(vault)
    pdf = render_pdf(bundle)
    archive = io.BytesIO()
    manifest = write_zip(bundle, vault, archive, pdf=pdf)
    assert len(manifest) == 4
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(io.BytesIO(archive.getvalue())) as opened:
        opened.extractall(unpacked)
    checked = subprocess.run(
        [str(SHA256SUM), "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 4
    original = unpacked / "originals" / "000012-passwd"
    assert original.read_bytes() == SAVED_EMAIL
    # Change one byte of one original: the standard tool names that file.
    original.write_bytes(SAVED_EMAIL.replace(b"Watch", b"watch"))
    checked = subprocess.run(
        [str(SHA256SUM), "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True
    )
    assert checked.returncode == 1
    assert "originals/000012-passwd: FAILED" in checked.stdout
    assert checked.stdout.count(": OK") == 3


def test_an_original_that_no_longer_matches_its_hash_is_not_shipped(tmp_path: Path) -> None:
    vault = LocalVault(tmp_path)
    bundle = _bundle(vault)
    path = vault.path_of(bundle.evidence[0].sha256)
    os.chmod(path, 0o600)
    path.write_bytes(b"not the screenshot")
    with pytest.raises(BlobMissing, match="evidence 11"):
        write_zip(bundle, vault, io.BytesIO())


# -- from the store (both databases) -------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    yield from database_fixture(request, tmp_path_factory)


@pytest.fixture
def store(database: tuple[str, Engine]) -> Store:
    return make_store(*database)


def test_a_stored_case_bundle_lists_its_evidence_and_trail_but_not_other_cases(
    store: Store, tmp_path: Path
) -> None:
    vault = LocalVault(tmp_path)
    with store.session() as session:
        case = new_case(session, store)
        other = new_case(session, store)
        add(session, vault, case, store.reporter, screenshot_png(), "one.png")
        add(session, vault, other, store.reporter, SAVED_MHTML, "other.mhtml")
        add(session, vault, case, store.handler, SAVED_EMAIL, "threat.eml")
        record(session, case, store.handler, "case.viewed", {"page": "case"})
        session.commit()
        bundle = load_bundle(session, vault, case, "Rupert Lanyon")
    assert [e.original_name for e in bundle.evidence] == ["one.png", "threat.eml"]
    assert [e.action for e in bundle.audit] == [
        "case.reported",
        "evidence.added",
        "evidence.added",
        "case.viewed",
    ]
    whats = [item.what for item in bundle.chronology]
    assert "Report made" in whats and "Evidence captured: one.png" in whats
    assert not any("viewed" in what for what in whats)  # looking is in the trail only
    assert all(e.thumbnail_png and e.thumbnail_png.startswith(b"\x89PNG") for e in bundle.evidence)
    assert bundle.reporter == "Imogen Castellane"


def test_the_bundle_command_writes_both_files_and_records_the_export(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = LocalVault(tmp_path / "vault")
    monkeypatch.setenv("BOUNDARIES_EVIDENCE_DIR", str(vault.root))
    data = screenshot_png()
    with store.session() as session:
        case = new_case(session, store)
        add(session, vault, case, store.reporter, data, "one.png")
    with pytest.raises(SystemExit) as exited:
        main(["cases", "bundle", str(case.id), "--out", str(tmp_path / "out"), "--url", store.url])
    assert exited.value.code in (0, None), capsys.readouterr().err
    pdf = (tmp_path / "out" / f"case-{case.id}-bundle.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    with zipfile.ZipFile(tmp_path / "out" / f"case-{case.id}-originals.zip") as opened:
        sums = opened.read("SHA256SUMS").decode()
        assert f"{hashlib.sha256(data).hexdigest()}  originals/" in sums
        assert f"{hashlib.sha256(pdf).hexdigest()}  case-{case.id}-bundle.pdf" in sums
    with store.session() as session:
        exported = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "case.exported", AuditEntry.subject_id == case.id
            )
        ).one()
    assert "command line" in exported.actor_name
    with pytest.raises(SystemExit) as exited:
        main(["cases", "bundle", "999999", "--out", str(tmp_path / "x"), "--url", store.url])
    assert exited.value.code == 64
