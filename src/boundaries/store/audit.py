"""The append-only audit log: one hash chain per scope (a school's cases, its monitoring).

Rows are only ever inserted. Each entry's hash covers its own fields and the previous entry's
hash, so editing, removing or reordering any entry breaks every hash after it; the chain's head
row holds the latest sequence number and hash, so that cutting entries off the end shows too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime


class AuditEntry(Base):
    """One action, as it happened: never updated, never deleted; a correction is a new entry."""

    __tablename__ = "audit_entry"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The chain this entry belongs to, for example "cases:school:12" or "monitoring:school:12".
    chain: Mapped[str] = mapped_column(String(80), index=True)
    # 1, 2, 3 ... within the chain, without gaps.
    seq: Mapped[int] = mapped_column(Integer())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # No foreign key on purpose: the log outlives the people in it, and a person's removal must
    # not rewrite history. The name is kept as it was at the time.
    actor_id: Mapped[int | None] = mapped_column(Integer(), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer(), nullable=True, index=True)
    # Canonical JSON (sorted keys, no spaces): exactly the bytes the hash covers.
    detail: Mapped[str] = mapped_column(Text(), default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The latest entry of one chain; appends lock this row, so a chain never forks."""

    __tablename__ = "audit_chain_head"

    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer())
    hash: Mapped[str] = mapped_column(String(64))
