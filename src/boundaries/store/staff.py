"""Staff as the MIS knows them, per school: ids, job, dates and line manager.

A person's roles (``Membership``) say what they may do in Boundaries; this record says who
they are in the school's MIS, so that re-imports match, leavers are noticed and reminders can
be escalated to the line manager.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, utc_now


class StaffRecord(Base):
    """One person's employment record in one school, as imported from the MIS."""

    __tablename__ = "staff_record"
    __table_args__ = (
        UniqueConstraint("school_id", "person_id"),
        UniqueConstraint("school_id", "mis_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    mis_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    staff_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    job_title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    leaving_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    line_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
