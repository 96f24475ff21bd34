"""The audit log: every action on a case or an authorisation is appended to a hash chain that
shows any later change, removal or reordering, and names the first entry that does not hold.

Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from boundaries.audit import AuditEvent, ChainReport, append, chains, entry_hash, verify_chain
from boundaries.store import (
    AuditChainHead,
    AuditEntry,
    create_db_engine,
    session_factory,
    upgrade,
)

CHAIN = "cases:school:1"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    upgrade(db_url)
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


def _write(engine: Engine, count: int, chain: str = CHAIN) -> None:
    with session_factory(engine)() as session:
        for number in range(1, count + 1):
            append(
                session,
                chain,
                AuditEvent(
                    action="case.viewed",
                    actor_id=7,
                    actor_name="Pat Invented",
                    subject_type="case",
                    subject_id=number,
                    detail={"note": f"entry {number}", "reason": "Triage"},
                ),
            )
        session.commit()


def _report(engine: Engine, chain: str = CHAIN) -> ChainReport:
    with session_factory(engine)() as session:
        return verify_chain(session, chain)


def test_an_untouched_chain_verifies_and_counts_every_entry(engine: Engine) -> None:
    _write(engine, 12)
    report = _report(engine)
    assert report.ok, report.first_break
    assert report.entries == 12
    with session_factory(engine)() as session:
        head = session.get(AuditChainHead, CHAIN)
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert head is not None and last is not None
        assert (head.seq, head.hash) == (12, last.hash) == (12, report.head_hash)


def test_each_entry_carries_the_hash_of_the_one_before(engine: Engine) -> None:
    _write(engine, 3)
    with session_factory(engine)() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == "0" * 64
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash


def test_changing_an_entry_after_it_was_written_is_found_at_that_entry(engine: Engine) -> None:
    _write(engine, 10)
    with engine.begin() as connection:
        connection.execute(
            update(AuditEntry)
            .where(AuditEntry.chain == CHAIN, AuditEntry.seq == 6)
            .values(detail='{"note":"entry 6","reason":"nothing to see"}')
        )
    report = _report(engine)
    assert report.first_break is not None
    assert report.first_break.seq == 6
    assert "changed" in report.first_break.problem
    assert "entry 6" in str(report.first_break)


def test_changing_who_acted_is_found_too(engine: Engine) -> None:
    _write(engine, 4)
    with engine.begin() as connection:
        connection.execute(
            update(AuditEntry).where(AuditEntry.seq == 2).values(actor_name="Someone Else")
        )
    report = _report(engine)
    assert report.first_break is not None and report.first_break.seq == 2


def test_removing_an_entry_from_the_middle_is_found_where_it_was(engine: Engine) -> None:
    _write(engine, 8)
    with engine.begin() as connection:
        connection.execute(delete(AuditEntry).where(AuditEntry.seq == 4))
    report = _report(engine)
    assert report.first_break is not None
    assert report.first_break.seq == 4
    assert "missing" in report.first_break.problem


def test_cutting_entries_off_the_end_is_found(engine: Engine) -> None:
    _write(engine, 8)
    with engine.begin() as connection:
        connection.execute(delete(AuditEntry).where(AuditEntry.seq >= 7))
    report = _report(engine)
    assert report.first_break is not None
    assert report.first_break.seq == 7
    assert "should end at entry 8" in report.first_break.problem


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(engine: Engine) -> None:
    # Someone who recomputes the hash of the entry they changed still breaks the entry after it.
    _write(engine, 5)
    with session_factory(engine)() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == 3)).one()
        entry.detail = '{"note":"rewritten"}'
        entry.hash = entry_hash(
            prev_hash=entry.prev_hash,
            chain=entry.chain,
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_name=entry.actor_name,
            action=entry.action,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            detail=entry.detail,
        )
        session.commit()
    report = _report(engine)
    assert report.first_break is not None
    assert report.first_break.seq == 4
    assert "does not follow" in report.first_break.problem


def test_an_entry_lands_with_the_change_it_records_or_not_at_all(engine: Engine) -> None:
    _write(engine, 2)
    with session_factory(engine)() as session:
        append(session, CHAIN, AuditEvent(action="case.closed", actor_name="Pat Invented"))
        session.rollback()
    report = _report(engine)
    assert report.ok
    assert report.entries == 2


def test_timestamps_keep_their_microseconds_through_the_database(engine: Engine) -> None:
    moment = datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=UTC)
    with session_factory(engine)() as session:
        append(session, CHAIN, AuditEvent(action="case.reported"), at=moment)
        session.commit()
    with session_factory(engine)() as session:
        stored = session.scalars(select(AuditEntry)).one()
        assert stored.at == moment
    assert _report(engine).ok


def test_chains_are_kept_apart_and_listed_by_prefix(engine: Engine) -> None:
    _write(engine, 3, "cases:school:1")
    _write(engine, 2, "cases:school:2")
    _write(engine, 1, "monitoring:school:1")
    with session_factory(engine)() as session:
        assert chains(session, "cases:") == ["cases:school:1", "cases:school:2"]
        assert verify_chain(session, "cases:school:2").entries == 2
        assert all(verify_chain(session, name).ok for name in chains(session))


def test_appends_from_many_connections_at_once_never_fork_the_chain(engine: Engine) -> None:
    factory = session_factory(engine)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            for item in range(10):
                session: Session
                with factory() as session:
                    append(
                        session,
                        CHAIN,
                        AuditEvent(action="case.viewed", detail={"w": number, "i": item}),
                    )
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = _report(engine)
    assert report.ok, report.first_break
    assert report.entries == 40
