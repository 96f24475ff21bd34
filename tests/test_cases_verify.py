"""Verify (issue 5, item 3): the case chains and the evidence hashes are recomputed, and any
tampering with the database or a stored file is found at the place it happened, named."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update

from boundaries.cases.trail import chain_name, record
from boundaries.cases.vault import LocalVault
from boundaries.cases.verify import verify_cases
from boundaries.cli import main
from boundaries.store import AuditEntry, Evidence
from tests.case_evidence_support import (
    SAVED_EMAIL,
    WHATSAPP_TXT,
    Store,
    add,
    database_fixture,
    make_store,
    new_case,
    photo_jpeg,
    screenshot_png,
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    yield from database_fixture(request, tmp_path_factory)


@pytest.fixture
def store(database: tuple[str, Engine]) -> Store:
    return make_store(*database)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> tuple[Store, LocalVault, list[int]]:
    """Two cases with four pieces of evidence and a few more actions: 8 chain entries."""
    vault = LocalVault(tmp_path / "evidence")
    ids: list[int] = []
    with store.session() as session:
        first = new_case(session, store)
        ids.append(add(session, vault, first, store.reporter, screenshot_png(), "one.png").id)
        ids.append(add(session, vault, first, store.reporter, SAVED_EMAIL, "threat.eml").id)
        second = new_case(session, store)
        record(session, second, store.handler, "case.viewed", {"page": "case"})
        session.commit()
        ids.append(add(session, vault, second, store.handler, photo_jpeg(), "photo.jpg").id)
        ids.append(add(session, vault, second, store.handler, WHATSAPP_TXT, "chat.txt").id)
        record(session, first, store.handler, "case.note_added", {"text": "Spoke to IT."})
        session.commit()
    return store, vault, ids


def _verify(store: Store, vault: LocalVault) -> list[str]:
    with store.session() as session:
        report = verify_cases(session, vault, store.school_id)
        assert report.files_checked == 4
        return report.lines()


def test_an_untouched_store_verifies(filled: tuple[Store, LocalVault, list[int]]) -> None:
    store, vault, _ids = filled
    with store.session() as session:
        report = verify_cases(session, vault, store.school_id)
    assert report.ok and report.entries_checked == 8 and report.files_checked == 4


def test_editing_an_entrys_detail_breaks_the_chain_at_that_entry(
    filled: tuple[Store, LocalVault, list[int]],
) -> None:
    store, vault, _ids = filled
    chain = chain_name(store.school_id)
    with store.session() as session:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.chain == chain, AuditEntry.seq == 4)
            .values(detail='{"category":"nothing happened"}')
        )
        session.commit()
    lines = _verify(store, vault)
    assert lines == [
        f"audit chain {chain}: entry 4 ({_row(store, chain, 4)}): its contents were "
        "changed after it was written (hash differs)"
    ]


def _row(store: Store, chain: str, seq: int) -> str:
    with store.session() as session:
        row_id = session.scalars(
            select(AuditEntry.id).where(AuditEntry.chain == chain, AuditEntry.seq == seq)
        ).one()
    return f"row {row_id}"


def test_deleting_an_entry_names_the_missing_one(
    filled: tuple[Store, LocalVault, list[int]],
) -> None:
    store, vault, _ids = filled
    chain = chain_name(store.school_id)
    with store.session() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.chain == chain, AuditEntry.seq == 5))
        session.commit()
    lines = _verify(store, vault)
    assert len(lines) == 1
    assert f"audit chain {chain}: entry 5" in lines[0]
    assert "entry 5 is missing (the next one kept is 6)" in lines[0]


def test_changing_an_evidence_rows_hash_is_found_against_the_chain(
    filled: tuple[Store, LocalVault, list[int]],
) -> None:
    store, vault, ids = filled
    # Point the row at other bytes that are really stored: only the chain can tell.
    with store.session() as session:
        other = session.get(Evidence, ids[0])
        assert other is not None
        session.execute(update(Evidence).where(Evidence.id == ids[2]).values(sha256=other.sha256))
        session.commit()
    lines = _verify(store, vault)
    assert len(lines) == 1
    assert lines[0].startswith(f"evidence {ids[2]} (case ")
    assert "differs from the one the audit chain recorded at entry" in lines[0]
    assert "the row was changed" in lines[0]


def test_an_altered_and_a_missing_file_are_each_named(
    filled: tuple[Store, LocalVault, list[int]],
) -> None:
    store, vault, ids = filled
    with store.session() as session:
        altered = session.get(Evidence, ids[1])
        missing = session.get(Evidence, ids[3])
        assert altered is not None and missing is not None
    path = vault.path_of(altered.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(SAVED_EMAIL.replace(b"Watch yourself", b"Have a nice day"))
    vault.path_of(missing.sha256).unlink()
    lines = _verify(store, vault)
    assert lines == [
        f"evidence {ids[1]} (case {altered.case_id}, {altered.sha256}): the stored file was "
        f"altered (its content now hashes to {vault.verify(altered.sha256).actual_sha256})",
        f"evidence {ids[3]} (case {missing.case_id}, {missing.sha256}): the stored file is missing",
    ]


def test_the_command_exits_0_when_all_holds_and_1_naming_the_first_break(
    filled: tuple[Store, LocalVault, list[int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, vault, _ids = filled
    monkeypatch.setenv("BOUNDARIES_EVIDENCE_DIR", str(vault.root))
    code, out, _err = _run(capsys, "cases", "verify", "--url", store.url, "--school", store.urn)
    assert code == 0, _err
    assert "All holds: 8 audit entries in 1 chain and 4 evidence files" in out
    chain = chain_name(store.school_id)
    with store.session() as session:
        for seq in (3, 8):  # two edits: the first is the one named
            session.execute(
                update(AuditEntry)
                .where(AuditEntry.chain == chain, AuditEntry.seq == seq)
                .values(actor_name="Someone Else")
            )
        session.commit()
    code, out, err = _run(capsys, "cases", "verify", "--url", store.url, "--school", store.urn)
    assert code == 1
    assert f"audit chain {chain}: entry 3" in err and "entry 8" not in err
    code, _out, err = _run(capsys, "cases", "verify", "--url", store.url, "--school", "123456")
    assert code == 64 and "no school has the URN 123456" in err


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err
