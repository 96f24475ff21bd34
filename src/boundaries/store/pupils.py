"""A school's pupils and its confidential terms: what screening checks posts against.

The roster here is what screening needs; the registers issue extends it with MIS imports.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, utc_now


class Pupil(Base):
    """A pupil on one school's roster, current or past."""

    __tablename__ = "pupil"
    __table_args__ = (UniqueConstraint("school_id", "upn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    legal_forename: Mapped[str] = mapped_column(String(100))
    preferred_forename: Mapped[str | None] = mapped_column(String(100), nullable=True)
    surname: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None] = mapped_column(Date(), nullable=True)
    upn: Mapped[str | None] = mapped_column(String(13), nullable=True)
    year_group: Mapped[str | None] = mapped_column(String(16), nullable=True)
    admission_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    leaving_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class ConfidentialTerm(Base):
    """A word or phrase the school keeps confidential (a project, a case, a site's code name)."""

    __tablename__ = "confidential_term"
    __table_args__ = (UniqueConstraint("school_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
