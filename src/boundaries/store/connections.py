"""Connections audit summaries a member of staff chose to share with the headteacher.

An export is never stored (design: nothing in a platform export is kept unless they ask). When
the member of staff asks, only a summary is kept: the counts, and the names and status of the
pupils matched. No connection's name, user name or profile address, nor the export, is kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, utc_now


class ConnectionSummary(Base):
    """The counts from one connections audit, shared by the member of staff who ran it."""

    __tablename__ = "connection_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    person_name: Mapped[str] = mapped_column(String(200))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    platforms: Mapped[str] = mapped_column(String(200))  # comma-separated platform names
    connections_checked: Mapped[int] = mapped_column(Integer())
    not_declared: Mapped[int] = mapped_column(Integer(), default=0)
    not_accepted: Mapped[int] = mapped_column(Integer(), default=0)
    declared: Mapped[int] = mapped_column(Integer(), default=0)
    caution: Mapped[int] = mapped_column(Integer(), default=0)
    out_of_scope: Mapped[int] = mapped_column(Integer(), default=0)
    unmatchable: Mapped[int] = mapped_column(Integer(), default=0)
    note: Mapped[str | None] = mapped_column(Text(), nullable=True)


class ConnectionSummaryPupil(Base):
    """A pupil named in a shared summary: their name and status, nothing of the connection."""

    __tablename__ = "connection_summary_pupil"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey("connection_summary.id", ondelete="CASCADE"), index=True
    )
    pupil_id: Mapped[int | None] = mapped_column(
        ForeignKey("pupil.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32))  # current, left, out_of_scope
    outcome: Mapped[str] = mapped_column(String(32))  # not_declared, declared, ...
    strength: Mapped[str] = mapped_column(String(32))  # strong or possible
