"""The registers a headteacher must be able to show: policy editions and acknowledgements (2.2),
declarations (6.18, 8.8, 9.2), staff devices (7.5), training (section 13), network devices.

Histories are kept by adding rows, never by overwriting: a declaration's decisions are events,
an acknowledgement belongs to one edition, a lost phone keeps its record.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, _enum, utc_now


class PolicyEdition(Base):
    """One edition of a school's policy pack, as uploaded; published editions are immutable."""

    __tablename__ = "policy_edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    version: Mapped[str | None] = mapped_column(String(50), nullable=True)
    pack_yaml: Mapped[str] = mapped_column(Text())
    sha256: Mapped[str] = mapped_column(String(64))
    review_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class QuizQuestion(Base):
    """A question on a key clause for the optional acknowledgement quiz of one edition."""

    __tablename__ = "quiz_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("policy_edition.id", ondelete="CASCADE"), index=True
    )
    clause_id: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text())
    choices_json: Mapped[str] = mapped_column(Text())  # a JSON list of strings
    answer: Mapped[int] = mapped_column(Integer())  # index into the choices
    position: Mapped[int] = mapped_column(Integer(), default=0)


class Acknowledgement(Base):
    """A person's acknowledgement that they have read one edition (2.2)."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("edition_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("policy_edition.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    quiz_score: Mapped[float | None] = mapped_column(Float(), nullable=True)


class ReminderKind(enum.StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"


class AcknowledgementReminder(Base):
    """An e-mail sent about an outstanding acknowledgement: to the person, or escalated."""

    __tablename__ = "acknowledgement_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("policy_edition.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReminderKind] = mapped_column(_enum(ReminderKind, "reminder_kind"))
    sent_to: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class DeclarationSubject(enum.StrEnum):
    PUPIL = "pupil"
    PAST_PUPIL = "past_pupil"
    PARENT = "parent"
    OTHER = "other"


class DeclarationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_CONDITIONS = "accepted_with_conditions"
    NOT_ACCEPTED = "not_accepted"
    WITHDRAWN = "withdrawn"


class Declaration(Base):
    """A member of staff's declared relationship with a pupil or parent outside work."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    subject: Mapped[DeclarationSubject] = mapped_column(
        _enum(DeclarationSubject, "declaration_subject")
    )
    pupil_id: Mapped[int | None] = mapped_column(
        ForeignKey("pupil.id", ondelete="SET NULL"), nullable=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), nullable=True
    )
    subject_name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(100))
    nature: Mapped[str] = mapped_column(String(200))
    since: Mapped[date | None] = mapped_column(Date(), nullable=True)
    reason: Mapped[str] = mapped_column(Text())
    status: Mapped[DeclarationStatus] = mapped_column(
        _enum(DeclarationStatus, "declaration_status"), default=DeclarationStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class DeclarationEvent(Base):
    """One step in a declaration's history: submitted, amended, decided, withdrawn."""

    __tablename__ = "declaration_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[DeclarationStatus] = mapped_column(
        _enum(DeclarationStatus, "declaration_event_status")
    )
    note: Mapped[str | None] = mapped_column(Text(), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class DeviceStatus(enum.StrEnum):
    IN_USE = "in_use"
    LOST = "lost"
    STOLEN = "stolen"
    RETIRED = "retired"


class StaffDevice(Base):
    """A member of staff's phone (7.5): IMEI (validated), make, model, and whether it is lost."""

    __tablename__ = "staff_device"
    __table_args__ = (UniqueConstraint("imei"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    imei: Mapped[str] = mapped_column(String(16))
    make: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    phone_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[DeviceStatus] = mapped_column(
        _enum(DeviceStatus, "device_status"), default=DeviceStatus.IN_USE
    )
    status_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class TrainingKind(enum.StrEnum):
    SESSION = "session"
    READING = "reading"


class TrainingRecord(Base):
    """Training a person must do or has done (section 13), with its due date."""

    __tablename__ = "training_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    course: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TrainingKind] = mapped_column(_enum(TrainingKind, "training_kind"))
    due_date: Mapped[date | None] = mapped_column(Date(), nullable=True)
    completed_on: Mapped[date | None] = mapped_column(Date(), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class NetworkDevice(Base):
    """A school computer or other device on the network, for mapping proxy logs to people."""

    __tablename__ = "network_device"
    __table_args__ = (UniqueConstraint("school_id", "hostname"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    hostname: Mapped[str] = mapped_column(String(255))
    mac: Mapped[str | None] = mapped_column(String(17), nullable=True, index=True)
    ip: Mapped[str | None] = mapped_column(String(45), nullable=True, index=True)
    kind: Mapped[str | None] = mapped_column(String(50), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    shared: Mapped[bool] = mapped_column(Boolean(), default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class RosterImport(Base):
    """One import from the MIS: what came in, what changed, and any errors (for the log)."""

    __tablename__ = "roster_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # pupils, staff, contacts, network_devices
    source: Mapped[str] = mapped_column(String(32))  # sims, arbor, bromcom, wonde, mapping
    file_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer(), default=0)
    created: Mapped[int] = mapped_column(Integer(), default=0)
    updated: Mapped[int] = mapped_column(Integer(), default=0)
    unchanged: Mapped[int] = mapped_column(Integer(), default=0)
    left: Mapped[int] = mapped_column(Integer(), default=0)
    applied: Mapped[bool] = mapped_column(Boolean(), default=False)
    errors_json: Mapped[str | None] = mapped_column(Text(), nullable=True)
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
