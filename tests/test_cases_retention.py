"""Retention (issue 5, item 7): periods by outcome, purge only past the period and never while a
case is open or on legal hold, and a purge that leaves a record of what went and why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from boundaries.audit import verify_chain
from boundaries.cases import retention
from boundaries.cases.trail import SYSTEM, chain_name
from boundaries.cases.vault import LocalVault
from boundaries.cli import main
from boundaries.store import AuditEntry, Case, Evidence, PurgeRecord
from boundaries.store.cases import CaseOutcome, CaseState
from tests.case_evidence_support import (
    SAVED_EMAIL,
    Store,
    add,
    database_fixture,
    make_store,
    new_case,
    screenshot_png,
)

NOW = datetime(2038, 6, 1, tzinfo=UTC)


def _closed(outcome: CaseOutcome | None, reported: datetime, closed: datetime) -> Case:
    return Case(state=CaseState.CLOSED, outcome=outcome, created_at=reported, closed_at=closed)


def test_allegations_about_staff_are_kept_ten_years_from_the_report_or_to_retirement() -> None:
    reported = datetime(2026, 11, 25, tzinfo=UTC)
    case = _closed(CaseOutcome.LADO_REFERRAL, reported, datetime(2027, 3, 1, tzinfo=UTC))
    assert retention.retention_end(case) == datetime(2036, 11, 25, tzinfo=UTC)
    # Someone born in 1980 retires at 67 in 2047: later than ten years, so that wins.
    assert retention.retention_end(case, date_of_birth=date(1980, 2, 29)) == datetime(
        2047, 2, 28, tzinfo=UTC
    )
    # Someone born in 1960 reached 67 before the ten years were up: ten years it is.
    assert retention.retention_end(case, date_of_birth=date(1960, 1, 1)) == datetime(
        2036, 11, 25, tzinfo=UTC
    )
    for outcome in (CaseOutcome.DISCIPLINARY_REFERRAL, CaseOutcome.TRA_OR_DBS_REFERRAL):
        assert (
            retention.DEFAULT_PERIODS[outcome]
            == retention.DEFAULT_PERIODS[CaseOutcome.LADO_REFERRAL]
        )


def test_other_outcomes_are_kept_for_shorter_periods_from_closure() -> None:
    reported = datetime(2026, 1, 10, tzinfo=UTC)
    closed = datetime(2026, 3, 31, tzinfo=UTC)
    ends = {
        outcome: retention.retention_end(_closed(outcome, reported, closed))
        for outcome in CaseOutcome
    }
    staff = ends[CaseOutcome.LADO_REFERRAL]
    assert staff is not None
    for outcome, end in ends.items():
        assert end is not None
        if outcome not in (
            CaseOutcome.LADO_REFERRAL,
            CaseOutcome.DISCIPLINARY_REFERRAL,
            CaseOutcome.TRA_OR_DBS_REFERRAL,
        ):
            assert end < staff, outcome
    assert ends[CaseOutcome.NO_FURTHER_ACTION] == datetime(2027, 3, 31, tzinfo=UTC)
    assert ends[CaseOutcome.MALICIOUS_CLAIM_ACTION] == datetime(2032, 3, 31, tzinfo=UTC)
    # Closed without an outcome: the shortest period.
    assert (
        retention.retention_end(_closed(None, reported, closed))
        == ends[CaseOutcome.NO_FURTHER_ACTION]
    )
    assert retention.retention_end(Case(state=CaseState.INVESTIGATING, created_at=reported)) is None


def test_periods_can_be_configured_in_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "retention.toml"
    path.write_text("[periods]\nno_further_action = { years = 2, months = 6 }\n")
    periods = retention.load_periods(path)
    assert periods[CaseOutcome.NO_FURTHER_ACTION] == retention.Period(years=2, months=6)
    assert (
        periods[CaseOutcome.LADO_REFERRAL] == retention.DEFAULT_PERIODS[CaseOutcome.LADO_REFERRAL]
    )
    for bad, message in (
        ("[periods]\nnothing_at_all = { years = 1 }\n", "not an outcome"),
        ("[periods]\ninformal_action = { years = -1 }\n", "whole numbers"),
        ("[periods]\ninformal_action = { weeks = 3 }\n", "must be a table of"),
        ("[periods]\ninformal_action = { years = 0 }\n", "longer than nothing"),
    ):
        path.write_text(bad)
        with pytest.raises(retention.RetentionConfigError, match=message):
            retention.load_periods(path)


# -- purging (both databases) --------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    yield from database_fixture(request, tmp_path_factory)


@pytest.fixture
def store(database: tuple[str, Engine]) -> Store:
    return make_store(*database)


def _close(store: Store, case: Case, outcome: CaseOutcome, closed: datetime) -> None:
    with store.session() as session:
        row = session.get(Case, case.id)
        assert row is not None
        row.state, row.outcome, row.closed_at = CaseState.CLOSED, outcome, closed
        session.commit()


def test_a_purge_removes_only_cases_past_their_period_and_leaves_a_record(
    store: Store, tmp_path: Path
) -> None:
    vault = LocalVault(tmp_path)
    shot, mail = screenshot_png(), SAVED_EMAIL
    long_ago = datetime(2030, 1, 1, tzinfo=UTC)
    with store.session() as session:
        expired = new_case(session, store, created_at=long_ago)
        open_case = new_case(session, store, created_at=long_ago)
        held = new_case(session, store, created_at=long_ago, legal_hold=True)
        recent = new_case(session, store, created_at=long_ago)
        staff = new_case(session, store, created_at=long_ago)
        gone = add(session, vault, expired, store.reporter, mail, "threat.eml")
        shared = add(session, vault, expired, store.reporter, shot, "shot.png")
        add(session, vault, open_case, store.reporter, shot, "same-shot.png")  # same bytes
        add(session, vault, held, store.reporter, mail, "held.eml")
    _close(store, expired, CaseOutcome.NO_FURTHER_ACTION, datetime(2031, 1, 1, tzinfo=UTC))
    _close(store, held, CaseOutcome.NO_FURTHER_ACTION, datetime(2031, 1, 1, tzinfo=UTC))
    _close(store, recent, CaseOutcome.NO_FURTHER_ACTION, datetime(2038, 1, 1, tzinfo=UTC))
    _close(store, staff, CaseOutcome.LADO_REFERRAL, datetime(2031, 1, 1, tzinfo=UTC))

    with store.session() as session:
        review = {c.case_id: c for c in retention.review(session, NOW, school_id=store.school_id)}
        assert [i for i, c in review.items() if c.due] == [expired.id]
        assert review[open_case.id].why == "open (reported)"
        assert review[held.id].why.startswith("under legal hold: Employment tribunal")
        assert review[recent.id].why == "within its retention period"
        assert review[staff.id].why == "within its retention period"  # ten years from 2030
        done = retention.purge_due(session, vault, SYSTEM, NOW, school_id=store.school_id)
    assert [p.case_id for p in done] == [expired.id]

    with store.session() as session:
        assert session.get(Case, expired.id) is None
        assert session.scalars(select(Evidence).where(Evidence.case_id == expired.id)).all() == []
        for kept in (open_case, held, recent, staff):
            assert session.get(Case, kept.id) is not None
        record = session.scalars(select(PurgeRecord).where(PurgeRecord.case_id == expired.id)).one()
        assert record.outcome == "no_further_action" and record.evidence_count == 2
        assert sorted(json.loads(record.evidence_hashes)) == sorted([gone.sha256, shared.sha256])
        assert "ended on 2032-01-01" in record.reason and "no legal hold" in record.reason
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.chain == chain_name(store.school_id),
                AuditEntry.action == "case.purged",
            )
        ).one()
        assert entry.subject_id == expired.id and json.loads(entry.detail)["evidence_count"] == 2
        assert verify_chain(session, chain_name(store.school_id)).ok
    # The e-mail is still held by the case on hold; the screenshot by the open case.
    assert vault.exists(gone.sha256) and vault.exists(shared.sha256)


def test_a_blob_no_other_case_uses_is_deleted_with_its_preview(
    store: Store, tmp_path: Path
) -> None:
    vault = LocalVault(tmp_path)
    with store.session() as session:
        case = new_case(session, store, created_at=datetime(2030, 1, 1, tzinfo=UTC))
        only = add(session, vault, case, store.reporter, screenshot_png("only here"), "x.png")
    _close(store, case, CaseOutcome.INFORMAL_ACTION, datetime(2030, 2, 1, tzinfo=UTC))
    with store.session() as session:
        row = session.get(Case, case.id)
        assert row is not None
        retention.purge_case(session, vault, row, SYSTEM, NOW)
    assert not vault.exists(only.sha256)
    assert only.preview_sha256 and not vault.exists(only.preview_sha256)


def test_purge_refuses_an_open_case_a_held_case_and_one_within_its_period(
    store: Store, tmp_path: Path
) -> None:
    vault = LocalVault(tmp_path)
    with store.session() as session:
        open_case = new_case(session, store)
        held = new_case(session, store, legal_hold=True)
        young = new_case(session, store)
    _close(store, held, CaseOutcome.NO_FURTHER_ACTION, datetime(2026, 1, 1, tzinfo=UTC))
    _close(store, young, CaseOutcome.LADO_REFERRAL, datetime(2026, 1, 1, tzinfo=UTC))
    with store.session() as session:
        for case, why in ((open_case, "is open"), (held, "legal hold"), (young, "within")):
            row = session.get(Case, case.id)
            assert row is not None
            with pytest.raises(retention.PurgeRefused, match=why):
                retention.purge_case(session, vault, row, SYSTEM, datetime.now(UTC))


def test_the_purge_command_lists_with_dry_run_and_purges_without(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOUNDARIES_EVIDENCE_DIR", str(tmp_path))
    with store.session() as session:
        case = new_case(session, store, created_at=datetime(2020, 1, 1, tzinfo=UTC))
    _close(store, case, CaseOutcome.NO_FURTHER_ACTION, datetime(2020, 2, 1, tzinfo=UTC))
    argv = ["cases", "purge", "--url", store.url, "--school", store.urn]
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--dry-run"])
    out = capsys.readouterr().out
    assert exited.value.code in (0, None)
    assert f"Case {case.id}: retention period for no_further_action" in out
    assert "Would purge 1 case (dry run)." in out
    with store.session() as session:
        assert session.get(Case, case.id) is not None
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert "Purged 1 case" in capsys.readouterr().out
    with store.session() as session:
        assert session.get(Case, case.id) is None
        assert session.scalars(select(PurgeRecord).where(PurgeRecord.case_id == case.id)).one()
