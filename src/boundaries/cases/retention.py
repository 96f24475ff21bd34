"""How long a closed case is kept, by outcome, and the purge that removes it once that time is up.

A case is purged only when it is closed, not under legal hold, and past its period. A purge
deletes the case's rows (its parties, evidence, tasks and notes go with it) and its originals
and previews, unless another case still points at the same bytes; it leaves a
:class:`~boundaries.store.cases.PurgeRecord` and an entry in the school's audit chain saying what
was purged and why. The audit chain itself is never cut: its entries hold actions and ids, and
removing them would break every hash after them.

The default periods and where they come from (each can be changed in a TOML file, see
:func:`load_periods`):

* **Allegations about staff** (referral to the LADO, disciplinary referral, referral to the
  TRA or the DBS): until the person reaches retirement age or for 10 years from the date of the
  allegation, whichever is longer. Source: *Keeping children safe in education* (DfE), Part 4,
  on records of allegations, and the IRMS *Information Management Toolkit for Schools*. The
  store holds no date of birth for staff, so retirement age (67, the State Pension age for
  most staff now working) can be applied only when a date of birth is given to
  :func:`retention_end`; otherwise the period is 10 years.
* **Referral to the police or another agency**: 6 years after closure. Source: the Limitation
  Act 1980 (six years for most civil claims), as the IRMS toolkit uses for records that may be
  needed in a claim. An allegation about staff is also referred to the LADO, which keeps the
  longer period.
* **Action against a pupil for a malicious claim** (11.7): 6 years after closure, for the same
  reason (the Limitation Act 1980).
* **Low-level concerns**: 6 years after closure. *Keeping children safe in education* asks for
  low-level concerns to be kept at least until the person leaves the school's employment and
  leaves the period to the school; 6 years (the Limitation Act 1980) covers most service.
* **Informal action**: 2 years after closure. Source: ACAS guidance on discipline, where even a
  final written warning is usually disregarded after 12 months; a year more allows a pattern to
  be seen. Boundaries' choice, under UK GDPR Article 5(1)(e) (storage limitation).
* **No further action**: 1 year after closure. Boundaries' choice under UK GDPR Article 5(1)(e):
  long enough to see a pattern of repeated reports, no longer.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from boundaries.cases.trail import Actor, record
from boundaries.cases.vault import Vault
from boundaries.store.cases import (
    Case,
    CaseNote,
    CaseOutcome,
    CaseParty,
    CaseState,
    CaseTask,
    Evidence,
    PurgeRecord,
)

RETIREMENT_AGE = 67


@dataclass(frozen=True)
class Period:
    """A retention period: whole years and months from its starting point."""

    years: int = 0
    months: int = 0
    # Allegations about staff: also until retirement age, whichever is later.
    until_retirement: bool = False
    # Counted from the allegation (the report), not from closure (KCSIE's wording).
    from_report: bool = False

    def describe(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} year{'s' if self.years != 1 else ''}")
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        text = " and ".join(parts) or "no time"
        text += " from the report" if self.from_report else " after closure"
        if self.until_retirement:
            text = f"retirement age ({RETIREMENT_AGE}) or {text}, whichever is later"
        return text


_STAFF = Period(years=10, until_retirement=True, from_report=True)
DEFAULT_PERIODS: Mapping[CaseOutcome, Period] = {
    CaseOutcome.LADO_REFERRAL: _STAFF,
    CaseOutcome.DISCIPLINARY_REFERRAL: _STAFF,
    CaseOutcome.TRA_OR_DBS_REFERRAL: _STAFF,
    CaseOutcome.POLICE_OR_AGENCY_REFERRAL: Period(years=6),
    CaseOutcome.MALICIOUS_CLAIM_ACTION: Period(years=6),
    CaseOutcome.LOW_LEVEL_CONCERN: Period(years=6),
    CaseOutcome.INFORMAL_ACTION: Period(years=2),
    CaseOutcome.NO_FURTHER_ACTION: Period(years=1),
}


class RetentionConfigError(ValueError):
    """The retention file says something that cannot be used."""


def load_periods(path: Path) -> dict[CaseOutcome, Period]:
    """The default periods with those in a TOML file on top, for example::

    [periods]
    no_further_action = { years = 2 }
    informal_action = { years = 1, months = 6 }
    lado_referral = { years = 12, until_retirement = true, from_report = true }
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RetentionConfigError(f"{path} cannot be read: {exc}") from exc
    periods = dict(DEFAULT_PERIODS)
    table = data.get("periods", {})
    if not isinstance(table, dict):
        raise RetentionConfigError(f"{path}: [periods] must be a table")
    for name, value in table.items():
        try:
            outcome = CaseOutcome(name)
        except ValueError as exc:
            known = ", ".join(o.value for o in CaseOutcome)
            raise RetentionConfigError(f"{path}: {name!r} is not an outcome ({known})") from exc
        if not isinstance(value, dict) or set(value) - {
            "years",
            "months",
            "until_retirement",
            "from_report",
        }:
            raise RetentionConfigError(
                f"{path}: {name} must be a table of years, months, until_retirement, from_report"
            )
        years, months = value.get("years", 0), value.get("months", 0)
        if not (isinstance(years, int) and isinstance(months, int)) or years < 0 or months < 0:
            raise RetentionConfigError(f"{path}: {name}: years and months are whole numbers")
        if years == 0 and months == 0:
            raise RetentionConfigError(f"{path}: {name}: a period must be longer than nothing")
        periods[outcome] = Period(
            years=years,
            months=months,
            until_retirement=bool(value.get("until_retirement", False)),
            from_report=bool(value.get("from_report", False)),
        )
    return periods


def _add(moment: datetime, years: int, months: int) -> datetime:
    total = moment.month - 1 + months
    year = moment.year + years + total // 12
    month = total % 12 + 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:  # 29 February, 31st of a short month: the month's last day
            day -= 1


def retention_end(
    case: Case,
    periods: Mapping[CaseOutcome, Period] = DEFAULT_PERIODS,
    *,
    date_of_birth: date | None = None,
) -> datetime | None:
    """When ``case`` may be purged, or None while it must be kept (open, or not yet closed)."""
    if case.state != CaseState.CLOSED or case.closed_at is None:
        return None
    # A case closed without an outcome gets the shortest period.
    period = periods[case.outcome or CaseOutcome.NO_FURTHER_ACTION]
    start = case.created_at if period.from_report else case.closed_at
    end = _add(start, period.years, period.months)
    if period.until_retirement and date_of_birth is not None:
        retirement = datetime(
            date_of_birth.year, date_of_birth.month, date_of_birth.day, tzinfo=UTC
        )
        end = max(end, _add(retirement, RETIREMENT_AGE, 0))
    return max(end, case.closed_at)


@dataclass(frozen=True)
class PurgeCandidate:
    """A case retention has looked at, and what it decided."""

    case_id: int
    school_id: int
    outcome: str
    keep_until: datetime | None
    due: bool
    why: str


def review(
    session: Session,
    now: datetime,
    periods: Mapping[CaseOutcome, Period] = DEFAULT_PERIODS,
    *,
    school_id: int | None = None,
) -> list[PurgeCandidate]:
    """Every case, with whether it is due for purging and why (or why not)."""
    query = select(Case)
    if school_id is not None:
        query = query.where(Case.school_id == school_id)
    out: list[PurgeCandidate] = []
    for case in session.scalars(query.order_by(Case.id)):
        outcome = case.outcome.value if case.outcome else ""
        end = retention_end(case, periods)
        if case.state != CaseState.CLOSED:
            due, why = False, f"open ({case.state.value})"
        elif case.legal_hold:
            due, why = False, f"under legal hold: {case.legal_hold_reason or 'no reason given'}"
        elif end is None or end > now:
            due, why = False, "within its retention period"
        else:
            period = periods[case.outcome or CaseOutcome.NO_FURTHER_ACTION]
            due = True
            why = (
                f"retention period for {outcome or 'a case closed without an outcome'} "
                f"({period.describe()}) ended on {end.date().isoformat()}"
            )
        out.append(PurgeCandidate(case.id, case.school_id, outcome, end, due, why))
    return out


class PurgeRefused(RuntimeError):
    """The case must not be purged (open, on hold, or within its period)."""


def purge_case(
    session: Session,
    vault: Vault,
    case: Case,
    actor: Actor,
    now: datetime,
    periods: Mapping[CaseOutcome, Period] = DEFAULT_PERIODS,
) -> PurgeRecord:
    """Purge one case that is due; commits, then deletes the blobs nobody else uses."""
    # Checked again here, whatever the caller decided: this is the last door.
    if case.state != CaseState.CLOSED:
        raise PurgeRefused(f"case {case.id} is open ({case.state.value})")
    if case.legal_hold:
        raise PurgeRefused(f"case {case.id} is under legal hold")
    end = retention_end(case, periods)
    if end is None or end > now:
        raise PurgeRefused(f"case {case.id} is within its retention period")
    period = periods[case.outcome or CaseOutcome.NO_FURTHER_ACTION]
    outcome = case.outcome.value if case.outcome else ""
    evidence = list(session.scalars(select(Evidence).where(Evidence.case_id == case.id)))
    hashes = sorted({e.sha256 for e in evidence})
    blobs = set(hashes) | {e.preview_sha256 for e in evidence if e.preview_sha256}
    reason = (
        f"Retention period for {outcome or 'a case closed without an outcome'} "
        f"({period.describe()}) ended on {end.date().isoformat()}; closed on "
        f"{case.closed_at.date().isoformat() if case.closed_at else '?'}, no legal hold."
    )
    purge = PurgeRecord(
        school_id=case.school_id,
        case_id=case.id,
        purged_at=now,
        purged_by_id=actor.person_id,
        outcome=outcome,
        reason=reason,
        evidence_count=len(evidence),
        evidence_hashes=json.dumps(hashes),
    )
    session.add(purge)
    record(
        session,
        case,
        actor,
        "case.purged",
        {
            "outcome": outcome,
            "reason": reason,
            "evidence_count": len(evidence),
            "evidence_hashes": hashes,
        },
    )
    case_id = case.id
    for table in (Evidence, CaseParty, CaseTask, CaseNote):
        session.execute(delete(table).where(table.case_id == case_id))
    session.execute(delete(Case).where(Case.id == case_id))
    session.commit()
    # Blobs go only after the rows are gone for good, and only those no other row still uses.
    for sha256 in sorted(blobs):
        if not _still_used(session, sha256):
            vault.delete(sha256)
    return purge


def _still_used(session: Session, sha256: str) -> bool:
    used = session.scalar(
        select(Evidence.id)
        .where((Evidence.sha256 == sha256) | (Evidence.preview_sha256 == sha256))
        .limit(1)
    )
    return used is not None


def purge_due(
    session: Session,
    vault: Vault,
    actor: Actor,
    now: datetime,
    periods: Mapping[CaseOutcome, Period] = DEFAULT_PERIODS,
    *,
    school_id: int | None = None,
) -> list[PurgeRecord]:
    """Purge every case that is due."""
    done: list[PurgeRecord] = []
    for candidate in review(session, now, periods, school_id=school_id):
        if not candidate.due:
            continue
        case = session.get(Case, candidate.case_id)
        if case is not None:
            done.append(purge_case(session, vault, case, actor, now, periods))
    return done
