"""Evidence (issue 5, item 2): content-addressed write-once storage, type from content, previews
apart from originals, and the upload, download and preview pages with their audit entries."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws
from PIL import Image
from sqlalchemy import Engine, select

from boundaries.audit import verify_chain
from boundaries.cases import previews, sniff
from boundaries.cases.trail import chain_name
from boundaries.cases.uploads import EvidenceRefused
from boundaries.cases.vault import (
    BlobMissing,
    Empty,
    LocalVault,
    S3Vault,
    TooLarge,
    put_bytes,
    read_all,
)
from boundaries.store import AuditEntry, Case, Evidence, Person, create_db_engine, session_factory
from boundaries.store.cases import CaseCategory, CaseState
from tests.case_evidence_support import (
    MESSAGES_CSV,
    MESSENGER_JSON,
    SAVED_EMAIL,
    SAVED_HTML,
    SAVED_MHTML,
    WHATSAPP_TXT,
    Store,
    add,
    database_fixture,
    make_store,
    new_case,
    photo_jpeg,
    printed_pdf,
    screenshot_png,
)
from tests.databases import empty_database
from tests.web_support import World, build_world, csrf_from, sign_in


# -- the vault -----------------------------------------------------------------------------------
def test_a_blob_is_stored_under_its_sha256_read_only_and_never_overwritten(tmp_path: Path) -> None:
    vault = LocalVault(tmp_path / "evidence")
    data = screenshot_png()
    stored = vault.put_stream([data[:1000], data[1000:]], max_size=10**7)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.new and stored.size == len(data)
    path = vault.path_of(stored.sha256)
    assert path.parent.parent.name == stored.sha256[:2] and path.parent.name == stored.sha256[2:4]
    assert path.read_bytes() == data
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    before = path.stat().st_ino
    again = put_bytes(vault, data)
    assert not again.new and path.stat().st_ino == before
    assert vault.abandoned_uploads() == []


def test_an_upload_over_the_cap_stops_as_it_streams_and_keeps_nothing(tmp_path: Path) -> None:
    vault = LocalVault(tmp_path)
    pulled: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i in range(100):
            pulled.append(i)
            yield b"x" * 1000

    with pytest.raises(TooLarge):
        vault.put_stream(chunks(), max_size=5_500)
    assert len(pulled) == 6  # stopped at the chunk that crossed the cap, not at the end
    assert vault.abandoned_uploads() == []
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    with pytest.raises(Empty):
        vault.put_stream([b""], max_size=10)


def test_verify_tells_an_altered_blob_from_a_missing_one(tmp_path: Path) -> None:
    vault = LocalVault(tmp_path)
    stored = put_bytes(vault, b"original bytes")
    assert vault.verify(stored.sha256).ok
    path = vault.path_of(stored.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(b"changed bytes")
    check = vault.verify(stored.sha256)
    assert (
        check.state == "altered"
        and check.actual_sha256 == hashlib.sha256(b"changed bytes").hexdigest()
    )
    path.unlink()
    assert vault.verify(stored.sha256).state == "missing"
    with pytest.raises(BlobMissing):
        read_all(vault, stored.sha256)


def test_the_s3_vault_stores_by_hash_and_never_writes_an_object_twice() -> None:
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(
            Bucket="evidence", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        vault = S3Vault(client, "evidence", "school-12/")
        data = printed_pdf()
        stored = put_bytes(vault, data)
        assert stored.new and stored.sha256 == hashlib.sha256(data).hexdigest()
        assert read_all(vault, stored.sha256) == data
        assert not put_bytes(vault, data).new
        versions = client.list_object_versions(Bucket="evidence").get("Versions", [])
        assert len(versions) == 1
        assert "no S3 Object Lock" in vault.describe()
        client.put_object(Bucket="evidence", Key=vault.key_of(stored.sha256), Body=b"tampered")
        assert vault.verify(stored.sha256).state == "altered"
        assert vault.delete(stored.sha256) and vault.verify(stored.sha256).state == "missing"

        client.create_bucket(
            Bucket="locked",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
            ObjectLockEnabledForBucket=True,
        )
        assert "Object Lock is on" in S3Vault(client, "locked").describe()


# -- type from content ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (screenshot_png(), "image/png"),
        (photo_jpeg(), "image/jpeg"),
        (printed_pdf(), "application/pdf"),
        (SAVED_EMAIL, "message/rfc822"),
        (SAVED_MHTML, "multipart/related"),
        (SAVED_HTML, "text/html"),
        (MESSENGER_JSON, "application/json"),
        (MESSAGES_CSV, "text/csv"),
        (WHATSAPP_TXT, "text/plain"),
    ],
)
def test_the_type_comes_from_the_content(data: bytes, media_type: str) -> None:
    assert sniff.sniff(data, complete=True).media_type == media_type


def test_a_renamed_program_or_archive_is_refused_whatever_its_name() -> None:
    for data, what in (
        (b"MZ\x90\x00\x03" + bytes(200), "Windows program"),
        (b"PK\x03\x04\x14\x00" + bytes(100), "ZIP archive"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(20), "GIF image"),
        (bytes(range(256)) * 4, "not a kind of evidence"),
    ):
        with pytest.raises(sniff.Refused, match=what) as refused:
            sniff.sniff(data, complete=True)
        assert "PNG or JPEG screenshots" in str(refused.value)


def test_a_png_named_as_a_pdf_is_kept_as_a_png(tmp_path: Path) -> None:
    # The claimed name does not decide the type; the bytes do.
    assert sniff.sniff(screenshot_png(), complete=True) is sniff.PNG


def test_a_long_text_export_cut_mid_character_is_still_text() -> None:
    data = ("25/11/2026, 14:05 - +44 7700 900123: café 😂\n" * 3000).encode()
    head = data[: sniff.HEAD_BYTES]
    assert sniff.sniff(head, complete=False).media_type in ("text/plain", "text/csv")


# -- previews ------------------------------------------------------------------------------------
def test_an_image_preview_is_a_small_png_and_the_original_is_untouched() -> None:
    data = screenshot_png(size=1200)
    before = bytes(data)
    png = previews.preview_png(data, "image/png")
    assert data == before
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and max(image.size) <= 320


def test_a_pdf_preview_is_its_first_page_and_other_types_get_an_icon() -> None:
    page = Image.open(io.BytesIO(previews.preview_png(printed_pdf(), "application/pdf")))
    assert page.format == "PNG" and page.size[1] > page.size[0]  # portrait A4
    icon = previews.preview_png(SAVED_EMAIL, "message/rfc822")
    assert icon == previews.icon_png("message/rfc822")
    # A damaged image gets an icon rather than an error.
    assert previews.preview_png(b"\x89PNG\r\n\x1a\nbroken", "image/png") == previews.icon_png(
        "image/png"
    )


# -- adding evidence to a case (both databases) --------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    yield from database_fixture(request, tmp_path_factory)


@pytest.fixture
def store(database: tuple[str, Engine]) -> Store:
    return make_store(*database)


def test_adding_evidence_stores_the_original_a_preview_and_a_chain_entry(
    store: Store, tmp_path: Path
) -> None:
    vault = LocalVault(tmp_path / "evidence")
    data = screenshot_png()
    with store.session() as session:
        case = new_case(session, store)
        evidence = add(session, vault, case, store.reporter, data, "IMG_2041.PNG")
        assert evidence.complete and evidence.media_type == "image/png"
        assert evidence.sha256 == hashlib.sha256(data).hexdigest()
        assert evidence.place == "Instagram, @westvale_gossip_2026"
        assert evidence.captured_at is not None and evidence.captured_at.hour == 14
        assert evidence.preview_sha256 and evidence.preview_sha256 != evidence.sha256
        assert read_all(vault, evidence.sha256) == data
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "evidence.added",
                AuditEntry.chain == chain_name(store.school_id),
            )
        ).one()
        detail = json.loads(entry.detail)
        assert detail["sha256"] == evidence.sha256 and detail["evidence_id"] == evidence.id
        assert entry.subject_type == "case" and entry.subject_id == case.id
        assert verify_chain(session, chain_name(store.school_id)).ok


def test_a_refused_upload_leaves_no_row_no_blob_and_no_entry(store: Store, tmp_path: Path) -> None:
    vault = LocalVault(tmp_path / "evidence")
    with store.session() as session:
        case = new_case(session, store)
        with pytest.raises(EvidenceRefused, match="Windows program"):
            add(session, vault, case, store.reporter, b"MZ" + bytes(500), "holiday.png")
        with pytest.raises(EvidenceRefused, match="larger than the limit"):
            add(session, vault, case, store.reporter, b"a,b\n" * 2_000_000, "big.csv")
        session.rollback()
        assert session.scalars(select(Evidence).where(Evidence.case_id == case.id)).all() == []
        assert (
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "evidence.added",
                    AuditEntry.chain == chain_name(store.school_id),
                )
            ).all()
            == []
        )
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == []


def test_no_evidence_can_be_added_to_a_closed_case(store: Store, tmp_path: Path) -> None:
    vault = LocalVault(tmp_path)
    with store.session() as session:
        case = new_case(session, store, state=CaseState.CLOSED)
        with pytest.raises(EvidenceRefused, match="closed"):
            add(session, vault, case, store.handler, SAVED_EMAIL, "threat.eml")


# -- the pages (SQLite world; the storage above runs on both databases) --------------------------
@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("evidence-web")
    yield from (build_world(url) for url in empty_database("sqlite", folder))


@pytest.fixture(scope="module")
def app_vault(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[object, LocalVault]]:
    app = world.app()
    vault = LocalVault(tmp_path_factory.mktemp("vault"))
    app.state.evidence_vault = (vault, 2 * 1024 * 1024)
    yield app, vault


def _person_id(world: World, role: str) -> int:
    engine = create_db_engine(world.url)
    try:
        with session_factory(engine)() as session:
            return session.scalars(
                select(Person.id).where(Person.email == world.by_role[role])
            ).one()
    finally:
        engine.dispose()


def _case_for(world: World, role: str) -> int:
    engine = create_db_engine(world.url)
    try:
        with session_factory(engine)() as session:
            case = Case(
                school_id=world.meadowbank,
                category=CaseCategory.CYBERBULLYING,
                reporter_id=_person_id(world, role),
                summary="Messages from an anonymous account.",
            )
            session.add(case)
            session.commit()
            return case.id
    finally:
        engine.dispose()


def _entries(world: World, action: str) -> list[dict[str, object]]:
    engine = create_db_engine(world.url)
    try:
        with session_factory(engine)() as session:
            return [
                json.loads(detail)
                for detail in session.scalars(
                    select(AuditEntry.detail).where(AuditEntry.action == action)
                )
            ]
    finally:
        engine.dispose()


def _upload_form(token: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "captured_date": "25/11/2026",
        "captured_time": "14:05",
        "place": "Instagram, @westvale_gossip_2026",
        "description": "The first message",
    }


def test_the_reporter_adds_evidence_to_their_own_report_with_time_date_and_place(
    world: World, app_vault: tuple[object, LocalVault]
) -> None:
    app, vault = app_vault
    case_id = _case_for(world, "staff_teacher")
    base = f"/schools/{world.meadowbank}/concerns/{case_id}/evidence"
    with TestClient(app, base_url="https://testserver") as client:  # type: ignore[arg-type]
        sign_in(client, world.by_role["staff_teacher"])
        page = client.get(base)
        assert page.status_code == 200 and "Add evidence" in page.text
        data = screenshot_png("from the reporter")
        sent = client.post(
            base,
            data=_upload_form(csrf_from(page.text)),
            files={"file": ("Screenshot 2026-11-25 at 14.05.png", data, "application/pdf")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        shown = client.get(sent.headers["location"])
        assert "Screenshot 2026-11-25 at 14.05.png" in shown.text
        assert "25/11/2026 14:05" in shown.text
        refused = client.post(
            base,
            data=_upload_form(csrf_from(page.text)),
            files={"file": ("nice.png", b"MZ" + bytes(300), "image/png")},
        )
        assert refused.status_code == 400 and "Windows program" in refused.text
    sha = hashlib.sha256(data).hexdigest()
    assert vault.exists(sha)
    assert {"page": "evidence"} in _entries(world, "case.viewed_by_reporter")
    added = [e for e in _entries(world, "evidence.added") if e["sha256"] == sha]
    assert added and added[0]["place"] == "Instagram, @westvale_gossip_2026"
    assert added[0]["captured_at"] == "2026-11-25T14:05:00+00:00"  # 14:05 GMT in November


def test_someone_elses_report_is_not_found_for_evidence(
    world: World, app_vault: tuple[object, LocalVault]
) -> None:
    app, _vault = app_vault
    case_id = _case_for(world, "staff_teacher")
    with TestClient(app, base_url="https://testserver") as client:  # type: ignore[arg-type]
        sign_in(client, world.by_role["staff_support"])
        assert (
            client.get(f"/schools/{world.meadowbank}/concerns/{case_id}/evidence").status_code
            == 404
        )
        sign_in(client, world.by_role["headteacher"])
        # Handlers see evidence on the case pages, not through the reporter's form.
        assert (
            client.get(f"/schools/{world.meadowbank}/concerns/{case_id}/evidence").status_code
            == 404
        )


def test_a_handler_uploads_downloads_and_previews_and_each_is_in_the_chain(
    world: World, app_vault: tuple[object, LocalVault]
) -> None:
    app, _vault = app_vault
    case_id = _case_for(world, "staff_teacher")
    school = world.meadowbank
    html = SAVED_HTML
    with TestClient(app, base_url="https://testserver") as client:  # type: ignore[arg-type]
        token = sign_in(client, world.by_role["dsl"])
        sent = client.post(
            f"/schools/{school}/cases/{case_id}/evidence",
            data=_upload_form(token),
            files={"file": ("page.html", html, "text/html")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"].startswith(f"/schools/{school}/cases/{case_id}")
        added = [e for e in _entries(world, "evidence.added") if e["case_id"] == case_id]
        evidence_id = added[0]["evidence_id"]
        original = client.get(f"/schools/{school}/cases/{case_id}/evidence/{evidence_id}")
        assert original.status_code == 200 and original.content == html
        assert original.headers["content-disposition"].startswith("attachment;")
        assert original.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in original.headers["content-security-policy"]
        preview = client.get(f"/schools/{school}/cases/{case_id}/evidence/{evidence_id}/preview")
        assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")
        assert client.get(f"/schools/{school}/cases/{case_id}/evidence/999999").status_code == 404
        too_big = client.post(
            f"/schools/{school}/cases/{case_id}/evidence",
            data=_upload_form(token),
            files={"file": ("log.txt", b"line of text\n" * 200_000, "text/plain")},
        )
        assert too_big.status_code == 400 and "larger than the limit of 2 MB" in too_big.text
    downloads = [
        e for e in _entries(world, "evidence.downloaded") if e["evidence_id"] == evidence_id
    ]
    views = [e for e in _entries(world, "evidence.viewed") if e["evidence_id"] == evidence_id]
    assert len(downloads) == 1 and len(views) == 1


def test_a_handler_exports_the_bundle_pdf_and_zip_and_each_export_is_in_the_chain(
    world: World, app_vault: tuple[object, LocalVault]
) -> None:
    app, _vault = app_vault
    case_id = _case_for(world, "staff_teacher")
    school = world.meadowbank
    data = screenshot_png("for the bundle")
    with TestClient(app, base_url="https://testserver") as client:  # type: ignore[arg-type]
        token = sign_in(client, world.by_role["headteacher"])
        sent = client.post(
            f"/schools/{school}/cases/{case_id}/evidence",
            data=_upload_form(token),
            files={"file": ("shot.png", data, "image/png")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        pdf = client.get(f"/schools/{school}/cases/{case_id}/bundle.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.headers["content-disposition"].startswith("attachment;")
        archive = client.get(f"/schools/{school}/cases/{case_id}/bundle.zip")
        assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        sums = opened.read("SHA256SUMS").decode().splitlines()
        assert f"{hashlib.sha256(data).hexdigest()}  originals/" in sums[0]
        name = sums[0].split("  ", 1)[1]
        assert opened.read(name) == data
    formats = sorted(
        str(e["format"])
        for e in _entries(world, "case.exported")
        if e.get("format") in ("pdf", "zip")
    )
    assert formats.count("pdf") >= 1 and formats.count("zip") >= 1


def test_an_altered_original_is_never_sent_under_its_hash(
    world: World, app_vault: tuple[object, LocalVault]
) -> None:
    app, vault = app_vault
    case_id = _case_for(world, "staff_teacher")
    school = world.meadowbank
    data = MESSAGES_CSV + b"25/11/2026,14:07,+447700900123,Me,unique to this test\r\n"
    with TestClient(app, base_url="https://testserver") as client:  # type: ignore[arg-type]
        token = sign_in(client, world.by_role["hr"])
        sent = client.post(
            f"/schools/{school}/cases/{case_id}/evidence",
            data=_upload_form(token),
            files={"file": ("messages.csv", data, "text/csv")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        added = [e for e in _entries(world, "evidence.added") if e["case_id"] == case_id]
        path = vault.path_of(hashlib.sha256(data).hexdigest())
        os.chmod(path, 0o600)
        path.write_bytes(data.replace(b"unique", b"altered"))
        original = client.get(
            f"/schools/{school}/cases/{case_id}/evidence/{added[0]['evidence_id']}"
        )
        # The download streams the file as stored; the bundle re-hashes and refuses.
        archive = client.get(f"/schools/{school}/cases/{case_id}/bundle.zip")
        assert archive.status_code == 409 and "boundaries cases verify" in archive.text
        path.unlink()
        missing = client.get(
            f"/schools/{school}/cases/{case_id}/evidence/{added[0]['evidence_id']}"
        )
        assert missing.status_code == 409
    assert original.status_code == 200
