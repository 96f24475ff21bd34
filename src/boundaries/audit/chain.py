"""Append to a hash chain and verify one, naming the first entry that does not hold.

The hash of entry *n* is SHA-256 over entry *n-1*'s hash and the canonical JSON of entry *n*'s
own fields, so a change anywhere shows from that entry on. Appends take the chain's head row
with an UPDATE before reading it, which is a row lock on PostgreSQL and the write lock on SQLite:
two appends to one chain wait for each other instead of forking it, and the unique
(chain, seq) constraint refuses a fork that got through anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boundaries.store.audit import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
_VERIFY_BATCH = 5_000


def canonical_json(value: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no spaces: the same object always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(at: datetime) -> str:
    # Microseconds, UTC, fixed width: both databases keep microseconds, so the text is the same
    # when the entry is read back.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    prev_hash: str,
    chain: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: str,
) -> str:
    """The hash an entry with these fields must carry."""
    body = canonical_json(
        {
            "chain": chain,
            "seq": seq,
            "at": _timestamp(at),
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "detail": detail,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _hash_of(entry: Any) -> str:
    return entry_hash(
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


@dataclass(frozen=True)
class AuditEvent:
    """What happened, by whom, to what: the caller's side of an entry."""

    action: str
    actor_id: int | None = None
    actor_name: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


def _lock_head(session: Session, chain: str) -> AuditChainHead:
    """The chain's head row, locked for this transaction; created on the chain's first entry."""
    for _attempt in range(3):
        # An UPDATE that changes nothing still takes the lock (row lock on PostgreSQL, the
        # database write lock on SQLite) before we read the head.
        locked = session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.chain == chain)
            .values(seq=AuditChainHead.seq)
            .execution_options(synchronize_session=False)
        )
        if locked.rowcount:  # type: ignore[attr-defined]
            head = session.get(AuditChainHead, chain, populate_existing=True)
            assert head is not None
            return head
        try:
            with session.begin_nested():
                session.add(AuditChainHead(chain=chain, seq=0, hash=GENESIS_HASH))
        except IntegrityError:
            continue  # another transaction created it first: lock theirs
    raise RuntimeError(f"could not take the head of audit chain {chain!r}")


def append(
    session: Session, chain: str, event: AuditEvent, *, at: datetime | None = None
) -> AuditEntry:
    """Add ``event`` to the end of ``chain`` in the caller's transaction and return the entry.

    The entry is part of the caller's transaction: it lands with the change it records, or
    neither does.
    """
    head = _lock_head(session, chain)
    when = (at or datetime.now(UTC)).astimezone(UTC)
    detail = canonical_json(dict(event.detail))
    seq = head.seq + 1
    digest = entry_hash(
        prev_hash=head.hash,
        chain=chain,
        seq=seq,
        at=when,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        detail=detail,
    )
    entry = AuditEntry(
        chain=chain,
        seq=seq,
        at=when,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        detail=detail,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(entry)
    head.seq = seq
    head.hash = digest
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first place a chain does not hold, in words a reader can act on."""

    chain: str
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry {self.seq}" + (f" (row {self.entry_id})" if self.entry_id else "")
        return f"audit chain {self.chain}: {where}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    """What verifying one chain found."""

    chain: str
    entries: int
    head_hash: str
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _entries(session: Session, chain: str) -> Iterator[Any]:
    # Plain rows (not ORM objects) in keyset pages by sequence number: memory stays flat and
    # nothing is added to the caller's session.
    table = AuditEntry.__table__
    last = 0
    while True:
        page = list(
            session.execute(
                select(table)
                .where(table.c.chain == chain, table.c.seq > last)
                .order_by(table.c.seq)
                .limit(_VERIFY_BATCH)
            )
        )
        if not page:
            return
        yield from page
        last = page[-1].seq


def verify_chain(session: Session, chain: str) -> ChainReport:
    """Recompute every hash of ``chain`` in order and compare it with the head row."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in _entries(session, chain):
        count += 1
        problem: str | None = None
        if entry.seq != expected_seq:
            problem = f"entry {expected_seq} is missing (the next one kept is {entry.seq})"
        elif entry.prev_hash != expected_prev:
            problem = "it does not follow the entry before it (previous hash differs)"
        elif _hash_of(entry) != entry.hash:
            problem = "its contents were changed after it was written (hash differs)"
        if problem is not None:
            return ChainReport(
                chain, count, expected_prev, ChainBreak(chain, expected_seq, entry.id, problem)
            )
        expected_prev = entry.hash
        expected_seq += 1
    head = session.get(AuditChainHead, chain)
    last_seq = expected_seq - 1
    if head is None:
        if count:
            return ChainReport(
                chain, count, expected_prev, ChainBreak(chain, last_seq, None, "head missing")
            )
    elif head.seq != last_seq or head.hash != expected_prev:
        return ChainReport(
            chain,
            count,
            expected_prev,
            ChainBreak(
                chain,
                last_seq + 1,
                None,
                f"the chain should end at entry {head.seq} but ends at entry {last_seq}"
                if head.seq != last_seq
                else "the last entry differs from the one recorded at the head",
            ),
        )
    return ChainReport(chain, count, expected_prev, None)


def chains(session: Session, prefix: str = "") -> list[str]:
    """Every chain whose name starts with ``prefix``, in name order."""
    names = set(
        session.scalars(select(AuditChainHead.chain).where(AuditChainHead.chain.startswith(prefix)))
    )
    names.update(
        session.scalars(
            select(AuditEntry.chain).where(AuditEntry.chain.startswith(prefix)).distinct()
        )
    )
    return sorted(names)


def verify_chains(session: Session, names: Iterable[str]) -> list[ChainReport]:
    """Verify each chain in turn."""
    return [verify_chain(session, name) for name in names]
