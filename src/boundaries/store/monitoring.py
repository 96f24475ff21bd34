"""Lawful monitoring (section 12) and the school's filtering decisions (5.1).

An authorisation is the record RIPA asks for: who authorised monitoring, for which purpose,
over whom and when, and whether staff were told. Report runs are an append-only log against
their authorisation; a filtering decision is never edited, only superseded or revoked, so
that the history the DfE filtering standard asks for is kept.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from boundaries.store.models import Base, UTCDateTime, _enum, utc_now


class MonitoringPurpose(enum.StrEnum):
    """The purposes section 12 lists, for which the headteacher may monitor."""

    UNAUTHORISED_USE = "unauthorised_use"
    REGULATORY_COMPLIANCE = "regulatory_compliance"
    STANDARDS_OF_SERVICE = "standards_of_service"
    PREVENT_OR_DETECT_CRIME = "prevent_or_detect_crime"
    PROTECT_THE_SYSTEM = "protect_the_system"
    MESSAGES_WHEN_AWAY = "messages_when_away"


class MonitoringAuthorisation(Base):
    """The headteacher's authorisation to monitor, with its purpose, scope and expiry.

    Scope lists are JSON arrays of ids as they were when authorised: the record must say what
    was authorised even after someone leaves. ``roles_json`` names school roles
    (``headteacher``) and trust roles (``trust_hr``) alike.
    """

    __tablename__ = "monitoring_authorisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    authorised_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    authorised_by_name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[MonitoringPurpose] = mapped_column(
        _enum(MonitoringPurpose, "monitoring_purpose")
    )
    reason: Mapped[str] = mapped_column(Text())
    whole_school: Mapped[bool] = mapped_column(Boolean(), default=False)
    people_json: Mapped[str] = mapped_column(Text(), default="[]")
    devices_json: Mapped[str] = mapped_column(Text(), default="[]")
    roles_json: Mapped[str] = mapped_column(Text(), default="[]")
    period_start: Mapped[date] = mapped_column(Date())
    period_end: Mapped[date] = mapped_column(Date())
    expires_on: Mapped[date] = mapped_column(Date())
    staff_told: Mapped[bool] = mapped_column(Boolean(), default=False)
    staff_told_how: Mapped[str] = mapped_column(Text(), default="")
    staff_told_on: Mapped[date | None] = mapped_column(Date(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    revoked_reason: Mapped[str] = mapped_column(Text(), default="")


class LogDataset(Base):
    """One load of proxy or filter logs under an authorisation, with what ingest found."""

    __tablename__ = "log_dataset"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    authorisation_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_authorisation.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_by_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    files_json: Mapped[str] = mapped_column(Text(), default="[]")  # names, sizes, SHA-256
    folder: Mapped[str] = mapped_column(String(500))  # relative to the monitoring data folder
    lines: Mapped[int] = mapped_column(Integer(), default=0)
    parsed: Mapped[int] = mapped_column(Integer(), default=0)
    malformed: Mapped[int] = mapped_column(Integer(), default=0)
    malformed_samples_json: Mapped[str] = mapped_column(Text(), default="[]")
    formats_json: Mapped[str] = mapped_column(Text(), default="{}")
    first_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MonitoringRun(Base):
    """One load or report run, recorded against its authorisation: never changed afterwards."""

    __tablename__ = "monitoring_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    authorisation_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_authorisation.id", ondelete="CASCADE"), index=True
    )
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("log_dataset.id", ondelete="SET NULL"), nullable=True
    )
    run_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    run_by_name: Mapped[str] = mapped_column(String(200))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    report: Mapped[str] = mapped_column(String(40))  # a report kind, or "load"
    filters_json: Mapped[str] = mapped_column(Text(), default="{}")
    row_count: Mapped[int] = mapped_column(Integer(), default=0)
    format: Mapped[str] = mapped_column(String(10))  # html, csv, json, pdf, text
    audit_seq: Mapped[int | None] = mapped_column(Integer(), nullable=True)


class AppendOnly(Exception):
    """A row of an append-only log was about to be changed or deleted."""


@event.listens_for(MonitoringRun, "before_update")
def _no_update(_mapper: Any, _connection: Any, target: MonitoringRun) -> None:
    raise AppendOnly(f"monitoring run {target.id} is part of an append-only log")


@event.listens_for(MonitoringRun, "before_delete")
def _no_delete(_mapper: Any, _connection: Any, target: MonitoringRun) -> None:
    raise AppendOnly(f"monitoring run {target.id} is part of an append-only log")


class FilteringAction(enum.StrEnum):
    ALLOW = "allow"
    BLOCK = "block"


class FilteringDecision(Base):
    """A decision to allow or block a domain, with its reason and who made it (5.1).

    A new decision on the same domain supersedes the old one (``superseded_by_id``); revoking
    one leaves it in place with ``revoked_at`` set. Only decisions with neither are in force.
    """

    __tablename__ = "filtering_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    action: Mapped[FilteringAction] = mapped_column(_enum(FilteringAction, "filtering_action"))
    reason: Mapped[str] = mapped_column(Text())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("filtering_decision.id", ondelete="SET NULL"), nullable=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_by_name: Mapped[str] = mapped_column(String(200), default="")
    revoked_reason: Mapped[str] = mapped_column(Text(), default="")
