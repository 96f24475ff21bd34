"""Check, run, record: every load of logs and every report runs under an authorisation that is
in force and names the caller's role, within its scope, and is recorded against it, in the
audit chain and in the append-only run log, in the caller's transaction.

No authorisation, no report: a refusal is a :class:`MonitoringRefused` whose message says
what is missing, and the refusal itself is recorded in the audit chain.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.audit import AuditEvent, append
from boundaries.monitoring.authorisations import (
    ROLE_LABELS,
    Caller,
    chain_for,
    devices_in_scope,
    people_in_scope,
    roles_named,
    status,
)
from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable, run_report
from boundaries.store import (
    LogDataset,
    MonitoringAuthorisation,
    MonitoringRun,
    NetworkDevice,
    Person,
)

if TYPE_CHECKING:
    from boundaries.monitoring.categories import Categories
    from boundaries.monitoring.ingest import IngestSummary

UK = ZoneInfo("Europe/London")
MAX_SAMPLES = 20


def uk_today() -> date:
    return datetime.now(UK).date()


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


class MonitoringRefused(Exception):
    """Monitoring that may not run, and why: ``missing`` names what is missing in a word
    (no_authorisation, expired, revoked, role, person, device, period, dataset)."""

    def __init__(self, missing: str, message: str) -> None:
        super().__init__(message)
        self.missing = missing
        self.message = message


def _refuse(
    session: Session,
    school_id: int,
    caller: Caller,
    refusal: MonitoringRefused,
    what: str,
    authorisation_id: int | None,
) -> MonitoringRefused:
    # A refusal is kept too: who tried to monitor without authority is part of the record.
    append(
        session,
        chain_for(school_id),
        AuditEvent(
            action="monitoring.refused",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="monitoring_authorisation" if authorisation_id else "",
            subject_id=authorisation_id,
            detail={"what": what, "missing": refusal.missing, "reason": refusal.message},
        ),
    )
    return refusal


def check_authorisation(
    authorisation: MonitoringAuthorisation | None, caller: Caller, today: date
) -> MonitoringAuthorisation:
    """The authorisation, if monitoring may run under it for ``caller`` today; else refused."""
    if authorisation is None:
        raise MonitoringRefused(
            "no_authorisation",
            "No authorisation, no report: there is no monitoring authorisation for this. "
            "The headteacher must record one (section 12) before any log is loaded or report run.",
        )
    label = f"Authorisation {authorisation.id}"
    state = status(authorisation, today)
    if state == "revoked":
        assert authorisation.revoked_at is not None
        raise MonitoringRefused(
            "revoked",
            f"No authorisation, no report: {label} was revoked on "
            f"{_uk(authorisation.revoked_at.astimezone(UK).date())}, so nothing runs under it.",
        )
    if state == "expired":
        raise MonitoringRefused(
            "expired",
            f"No authorisation, no report: {label} expired on {_uk(authorisation.expires_on)}. "
            "Ask the headteacher for a new authorisation.",
        )
    named = roles_named(authorisation)
    if not caller.roles & set(named):
        names = ", ".join(ROLE_LABELS.get(r, r) for r in named) or "no role"
        raise MonitoringRefused(
            "role",
            f"No authorisation, no report: {label} does not name your role. "
            f"It lets these roles run reports: {names}.",
        )
    return authorisation


# -- scope -----------------------------------------------------------------------------------------
def _period_bounds(authorisation: MonitoringAuthorisation) -> tuple[datetime, datetime]:
    """The authorisation's period as UTC instants: from the first day's UK midnight to the
    midnight after the last day."""
    start = datetime.combine(authorisation.period_start, time(), UK).astimezone(UTC)
    end = datetime.combine(authorisation.period_end + timedelta(days=1), time(), UK)
    return start, end.astimezone(UTC)


def person_keys(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Person id → the value the report tables use for that person (their e-mail address,
    as the dataset's lookup tables hold it)."""
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.email).where(Person.id.in_(ids)))
    return {pid: email for pid, email in rows}


def device_keys(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Device id → the value the report tables use for that device (its host name)."""
    if not ids:
        return {}
    rows = session.execute(
        select(NetworkDevice.id, NetworkDevice.hostname).where(NetworkDevice.id.in_(ids))
    )
    return {did: host for did, host in rows}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def scoped_filters(
    session: Session, authorisation: MonitoringAuthorisation, filters: ReportFilters
) -> ReportFilters:
    """``filters`` held to the authorisation's scope: the period, and the people and devices it
    names. Asking for more than it covers is refused, never quietly narrowed."""
    label = f"Authorisation {authorisation.id}"
    start, end = _period_bounds(authorisation)
    period = f"{_uk(authorisation.period_start)} to {_uk(authorisation.period_end)}"
    if filters.start is not None and not start <= _aware(filters.start) < end:
        raise MonitoringRefused(
            "period", f"No authorisation, no report: {label} covers {period} only."
        )
    if filters.end is not None and not start < _aware(filters.end) <= end:
        raise MonitoringRefused(
            "period", f"No authorisation, no report: {label} covers {period} only."
        )
    if filters.moment is not None and not start <= _aware(filters.moment) < end:
        raise MonitoringRefused(
            "period",
            f"No authorisation, no report: the moment asked for is outside {label}'s period, "
            f"{period}.",
        )
    changes: dict[str, Any] = {
        "start": filters.start if filters.start is not None else start,
        "end": filters.end if filters.end is not None else end,
    }
    if not authorisation.whole_school:
        people = set(person_keys(session, people_in_scope(authorisation)).values())
        devices = set(device_keys(session, devices_in_scope(authorisation)).values())
        # The reports match people and devices whatever their case, so the scope does too.
        outside_people = {p for p in filters.people if p.lower() not in _folded(people)}
        outside_devices = {d for d in filters.devices if d.lower() not in _folded(devices)}
        if outside_people:
            raise MonitoringRefused(
                "person",
                f"No authorisation, no report: {label} does not cover "
                f"{_names(session, outside_people)}.",
            )
        if outside_devices:
            raise MonitoringRefused(
                "device",
                f"No authorisation, no report: {label} does not cover the device(s) "
                f"{', '.join(sorted(outside_devices))}.",
            )
        if not filters.people and not filters.devices:
            # Narrowed to what it names, since nothing outside was asked for. Filters on people
            # and on devices both have to match, so a scope naming both cannot be one filter:
            # the reader chooses which to report on.
            if people and devices:
                raise MonitoringRefused(
                    "scope",
                    f"{label} names people and devices: choose the people or the devices "
                    "to report on.",
                )
            changes["people"] = tuple(sorted(people))
            changes["devices"] = tuple(sorted(devices))
    return dataclasses.replace(filters, **changes)


def _folded(values: set[str]) -> set[str]:
    return {value.lower() for value in values}


def _names(session: Session, keys: set[str]) -> str:
    found = dict(
        session.execute(select(Person.email, Person.name).where(Person.email.in_(keys))).all()
    )
    return ", ".join(sorted(found.get(k, k) for k in keys))


def filters_record(filters: ReportFilters) -> dict[str, Any]:
    """The filters as the run log and audit entry keep them (ISO 8601 times)."""
    record: dict[str, Any] = {}
    for item in dataclasses.fields(filters):
        value = getattr(filters, item.name)
        if isinstance(value, datetime):
            value = _aware(value).astimezone(UTC).isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        record[item.name] = value
    return record


# -- loading logs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadedFile:
    """A log file already on disk, with the name it was given."""

    path: Path
    name: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_logs(
    session: Session,
    school_id: int,
    caller: Caller,
    authorisation: MonitoringAuthorisation | None,
    files: Sequence[UploadedFile],
    data_root: Path,
    *,
    categories: Categories | None = None,
    progress: Callable[..., Any] | None = None,
    today: date | None = None,
) -> LogDataset:
    """Ingest ``files`` under ``authorisation`` into a dataset folder below ``data_root``.

    Refused (and the refusal recorded) without an authorisation in force naming the caller's
    role. The raw files are not kept once ingested: the dataset holds what the reports need.
    """
    # Imported here: ingest brings in the Parquet writer, which only loading needs.
    from boundaries.monitoring.categories import Categories
    from boundaries.monitoring.ingest import Identities, ingest_logs

    today = today or uk_today()
    try:
        authorisation = check_authorisation(authorisation, caller, today)
    except MonitoringRefused as refusal:
        raise _refuse(
            session,
            school_id,
            caller,
            refusal,
            "load",
            authorisation.id if authorisation is not None else None,
        ) from None
    relative = Path(f"school-{school_id}") / f"dataset-{uuid.uuid4().hex}"
    folder = data_root / relative
    folder.mkdir(parents=True, exist_ok=False)
    described = [
        {"name": f.name, "bytes": f.path.stat().st_size, "sha256": _sha256(f.path)} for f in files
    ]
    try:
        summary = ingest_logs(
            [f.path for f in files],
            folder,
            identities=Identities.from_session(session, school_id),
            categories=categories if categories is not None else Categories.builtin(),
            progress=progress,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    dataset = LogDataset(
        school_id=school_id,
        authorisation_id=authorisation.id,
        uploaded_by_id=caller.person_id,
        uploaded_by_name=caller.name,
        uploaded_at=datetime.now(UTC),
        files_json=json.dumps(described),
        folder=relative.as_posix(),
        **summary_fields(summary, {f.path.name: f.name for f in files}),
    )
    session.add(dataset)
    session.flush()
    detail = {
        "dataset": dataset.id,
        "files": described,
        "lines": summary.lines,
        "parsed": summary.parsed,
        "malformed": summary.malformed,
    }
    entry = append(
        session,
        chain_for(school_id),
        AuditEvent(
            action="monitoring.load",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="monitoring_authorisation",
            subject_id=authorisation.id,
            detail=detail,
        ),
    )
    session.add(
        MonitoringRun(
            school_id=school_id,
            authorisation_id=authorisation.id,
            dataset_id=dataset.id,
            run_by_id=caller.person_id,
            run_by_name=caller.name,
            run_at=entry.at,
            report="load",
            filters_json=json.dumps({"files": [f["name"] for f in described]}),
            row_count=summary.parsed,
            format="load",
            audit_seq=entry.seq,
        )
    )
    session.flush()
    return dataset


def summary_fields(summary: IngestSummary, names: dict[str, str]) -> dict[str, Any]:
    """The dataset's columns from what ingest found; ``names`` gives each file on disk the
    name it was given (an upload is saved under a name of our own)."""
    samples = []
    for sample in summary.malformed_samples[:MAX_SAMPLES]:
        on_disk = Path(str(sample.file)).name
        samples.append(
            {
                "file": names.get(on_disk, on_disk),
                "line_no": sample.line_no,
                "text": sample.text,
                "reason": sample.reason,
            }
        )
    return {
        "lines": summary.lines,
        "parsed": summary.parsed,
        "malformed": summary.malformed,
        "malformed_samples_json": json.dumps(samples, ensure_ascii=False),
        "formats_json": json.dumps(dict(summary.formats)),
        "first_at": _aware(summary.first_at) if summary.first_at else None,
        "last_at": _aware(summary.last_at) if summary.last_at else None,
    }


# -- running reports -------------------------------------------------------------------------------
def dataset_folder(data_root: Path, dataset: LogDataset) -> Path:
    folder = (data_root / dataset.folder).resolve()
    if not folder.is_relative_to(data_root.resolve()):
        raise MonitoringRefused("dataset", "The dataset's folder is not where datasets are kept.")
    return folder


def run(
    session: Session,
    caller: Caller,
    dataset: LogDataset,
    kind: ReportKind,
    filters: ReportFilters,
    output: str,
    data_root: Path,
    *,
    today: date | None = None,
    engine: str = "duckdb",
) -> tuple[ReportTable, MonitoringRun]:
    """Check the dataset's authorisation, run the report within its scope, and record the run.

    ``output`` is the format asked for (html, csv, json, pdf, text), kept in the run log.
    """
    today = today or uk_today()
    authorisation = session.get(MonitoringAuthorisation, dataset.authorisation_id)
    try:
        authorisation = check_authorisation(authorisation, caller, today)
        scoped = scoped_filters(session, authorisation, filters)
        folder = dataset_folder(data_root, dataset)
        if not folder.is_dir():
            raise MonitoringRefused(
                "dataset", f"The files of dataset {dataset.id} are missing: load the logs again."
            )
    except MonitoringRefused as refusal:
        raise _refuse(
            session, dataset.school_id, caller, refusal, kind.value, dataset.authorisation_id
        ) from None
    table = run_report(folder, kind, scoped, engine=engine)
    record = filters_record(scoped)
    entry = append(
        session,
        chain_for(dataset.school_id),
        AuditEvent(
            action="monitoring.report",
            actor_id=caller.person_id,
            actor_name=caller.name,
            subject_type="monitoring_authorisation",
            subject_id=authorisation.id,
            detail={
                "dataset": dataset.id,
                "report": kind.value,
                "filters": record,
                "rows": len(table.rows),
                "format": output,
            },
        ),
    )
    recorded = MonitoringRun(
        school_id=dataset.school_id,
        authorisation_id=authorisation.id,
        dataset_id=dataset.id,
        run_by_id=caller.person_id,
        run_by_name=caller.name,
        run_at=entry.at,
        report=kind.value,
        filters_json=json.dumps(record, ensure_ascii=False),
        row_count=len(table.rows),
        format=output,
        audit_seq=entry.seq,
    )
    session.add(recorded)
    session.flush()
    return table, recorded


def runs_of(session: Session, authorisation_id: int) -> list[MonitoringRun]:
    """Every load and report run under an authorisation, newest first."""
    return list(
        session.scalars(
            select(MonitoringRun)
            .where(MonitoringRun.authorisation_id == authorisation_id)
            .order_by(MonitoringRun.run_at.desc(), MonitoringRun.id.desc())
        )
    )


def school_datasets(session: Session, school_id: int) -> list[LogDataset]:
    return list(
        session.scalars(
            select(LogDataset)
            .where(LogDataset.school_id == school_id)
            .order_by(LogDataset.uploaded_at.desc(), LogDataset.id.desc())
        )
    )


def dataset_in(session: Session, school_id: int, dataset_id: int) -> LogDataset | None:
    found = session.get(LogDataset, dataset_id)
    return found if found is not None and found.school_id == school_id else None
