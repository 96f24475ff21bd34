"""Incidents and cases (sections 6, 11 and 12): reports, the people involved, evidence, tasks,
notes, the low-level concerns log and the record of what retention purged.

A case's history lives in the audit chain ``cases:school:{school_id}``; these tables hold the
case as it stands now. Evidence rows point at content-addressed blobs (SHA-256) kept elsewhere.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, _enum, utc_now


class CaseCategory(enum.StrEnum):
    """What the report is about (11.5, 6.16, 6.17, 6.22, and a concern about a colleague)."""

    CYBERBULLYING = "cyberbullying"
    PUPIL_MESSAGE = "pupil_message"
    PROFILE_ACCESS = "profile_access"
    INAPPROPRIATE_CONTENT = "inappropriate_content"
    COLLEAGUE_CONCERN = "colleague_concern"


class CaseState(enum.StrEnum):
    """Where a case is in its workflow."""

    REPORTED = "reported"
    TRIAGED = "triaged"
    INVESTIGATING = "investigating"
    OUTCOME = "outcome"
    CLOSED = "closed"


class CaseOutcome(enum.StrEnum):
    """How a case ended (12.4, 11.7, and the low-level concerns log)."""

    NO_FURTHER_ACTION = "no_further_action"
    INFORMAL_ACTION = "informal_action"
    DISCIPLINARY_REFERRAL = "disciplinary_referral"
    LADO_REFERRAL = "lado_referral"
    POLICE_OR_AGENCY_REFERRAL = "police_or_agency_referral"
    TRA_OR_DBS_REFERRAL = "tra_or_dbs_referral"
    MALICIOUS_CLAIM_ACTION = "malicious_claim_action"
    LOW_LEVEL_CONCERN = "low_level_concern"


class PartyKind(enum.StrEnum):
    """Who a person involved in a case is."""

    STAFF = "staff"
    PUPIL = "pupil"
    OTHER = "other"


class PartyRole(enum.StrEnum):
    """How a person is involved in a case."""

    TARGET = "target"
    SUBJECT = "subject"
    WITNESS = "witness"
    OTHER = "other"


class Case(Base):
    """One report and what was done about it."""

    __tablename__ = "case_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    category: Mapped[CaseCategory] = mapped_column(_enum(CaseCategory, "case_category"))
    state: Mapped[CaseState] = mapped_column(
        _enum(CaseState, "case_state"), default=CaseState.REPORTED
    )
    outcome: Mapped[CaseOutcome | None] = mapped_column(
        _enum(CaseOutcome, "case_outcome"), nullable=True
    )
    # The reporter is kept as long as the account is; the chain keeps their name regardless.
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # When and where it happened, as the reporter gives it.
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    site: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    platform: Mapped[str] = mapped_column(String(100), default="")
    account: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text(), default="")
    reporter_wishes: Mapped[str] = mapped_column(Text(), default="")
    # A police referral pauses internal investigation steps until the police release it (12.5).
    police_referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    police_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean(), default=False)
    legal_hold_reason: Mapped[str] = mapped_column(Text(), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @property
    def police_pause(self) -> bool:
        """True while a police referral is open and not yet released."""
        return self.police_referred_at is not None and self.police_released_at is None

    def __repr__(self) -> str:
        return f"Case(id={self.id!r}, category={self.category!r}, state={self.state!r})"


class CaseParty(Base):
    """A person involved in a case: a member of staff, a pupil, or someone else by name."""

    __tablename__ = "case_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PartyKind] = mapped_column(_enum(PartyKind, "case_party_kind"))
    role: Mapped[PartyRole] = mapped_column(
        _enum(PartyRole, "case_party_role"), default=PartyRole.OTHER
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    pupil_id: Mapped[int | None] = mapped_column(
        ForeignKey("pupil.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The name as given, kept even when it matches nobody on the roster.
    name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text(), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Evidence(Base):
    """One piece of evidence: an original blob, addressed by its SHA-256, never altered."""

    __tablename__ = "case_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer())
    media_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text(), default="")
    # When the screenshot or message was taken, and where (site, URL, platform).
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    place: Mapped[str] = mapped_column(String(500), default="")
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    # Complete only once the blob is safely stored and its hash checked.
    complete: Mapped[bool] = mapped_column(Boolean(), default=False)
    preview_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CaseTask(Base):
    """Something to do on a case, with a deadline and the person it falls to."""

    __tablename__ = "case_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # An internal investigation step: paused while the police have the matter (12.5).
    internal: Mapped[bool] = mapped_column(Boolean(), default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when the overdue alert was sent, so that it is sent once.
    overdue_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CaseNote(Base):
    """An investigation note on a case; notes are added, never edited."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class LowLevelConcern(Base):
    """An entry in the low-level concerns log: below the harm threshold, kept and reviewed."""

    __tablename__ = "low_level_concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    # The case it came from, if any; the log entry outlives the case.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_record.id", ondelete="SET NULL"), nullable=True, index=True
    )
    about_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    about_name: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text())
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    review_note: Mapped[str] = mapped_column(Text(), default="")


class PurgeRecord(Base):
    """What retention purged and why; the case itself is gone, so no foreign key to it."""

    __tablename__ = "case_purge"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(Integer(), index=True)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    purged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    outcome: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text(), default="")
    evidence_count: Mapped[int] = mapped_column(Integer(), default=0)
    # A JSON list of the purged originals' SHA-256 hashes.
    evidence_hashes: Mapped[str] = mapped_column(Text(), default="[]")
