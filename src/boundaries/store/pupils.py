"""A school's pupils, their parents and carers, and its confidential terms.

Pupils and contacts come from the school's MIS (``roster/``); screening checks posts against
them. A pupil who has left is kept until their 18th birthday (policy 6.8), then anonymised: the
names and birth date go, the row and its id stay so that cases that point at it stay intact.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, utc_now


class Pupil(Base):
    """A pupil on one school's roster, current or past."""

    __tablename__ = "pupil"
    __table_args__ = (UniqueConstraint("school_id", "upn"), UniqueConstraint("school_id", "mis_id"))

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
    # The MIS's own id for the pupil (Wonde id, SIMS Adno or person id): re-imports match on it
    # first, then on UPN.
    mis_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    admission_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Contact(Base):
    """A parent or carer from the MIS contacts (6.18: staff must take care with them online)."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("school_id", "mis_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    mis_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str | None] = mapped_column(String(20), nullable=True)
    forename: Mapped[str | None] = mapped_column(String(100), nullable=True)
    surname: Mapped[str | None] = mapped_column(String(100), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class PupilContact(Base):
    """A contact's link to a pupil: the relationship and whether they hold parental
    responsibility."""

    __tablename__ = "pupil_contact"
    __table_args__ = (UniqueConstraint("pupil_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    relationship: Mapped[str | None] = mapped_column(String(50), nullable=True)
    parental_responsibility: Mapped[bool] = mapped_column(Boolean(), default=False)


class ConfidentialTerm(Base):
    """A word or phrase the school keeps confidential (a project, a case, a site's code name)."""

    __tablename__ = "confidential_term"
    __table_args__ = (UniqueConstraint("school_id", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
