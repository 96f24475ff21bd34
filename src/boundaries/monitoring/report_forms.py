"""The report form as people fill it in (UK dates and times, lists typed or chosen) turned into
:class:`ReportFilters`, and the filters turned back into words for the page and the PDF.
Plain Python: the web page and the command line both use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.monitoring.authorisations import devices_in_scope, people_in_scope
from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable
from boundaries.monitoring.runs import device_keys, person_keys
from boundaries.registers.training import InvalidDate, parse_date
from boundaries.store import (
    LogDataset,
    Membership,
    MonitoringAuthorisation,
    NetworkDevice,
    Person,
)

UK = ZoneInfo("Europe/London")
KIND_LABELS: dict[ReportKind, str] = {
    ReportKind.PEOPLE: "Requests per person",
    ReportKind.DEVICES: "Requests per device",
    ReportKind.CATEGORIES: "Requests per category",
    ReportKind.HOURS: "Requests per hour",
    ReportKind.SOCIAL_IN_WORKING_HOURS: "Social networking in working hours",
    ReportKind.BLOCKED: "Blocked attempts",
    ReportKind.TOP_DOMAINS: "Top domains",
    ReportKind.TIMELINE: "Timeline around a moment",
}
OUTPUTS: dict[str, str] = {"html": "Show on this page", "csv": "CSV", "json": "JSON", "pdf": "PDF"}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_SPLIT = re.compile(r"[\s,;]+")
_HEADINGS = {
    "ip": "IP address",
    "url": "URL",
    "ts": "Time (UK)",
    "local_ts": "Time on the log's clock",
}
# Columns holding times on the log's own clock; every other time in a report is UTC.
_LOCAL_COLUMNS = frozenset({"local_ts"})
MAX_LIMIT = 10_000


def heading(column: str) -> str:
    """``top_domain`` → "Top domain"."""
    return _HEADINGS.get(column) or column.replace("_", " ").capitalize()


def cell(column: str, value: Any) -> str:
    """A report value as the page and the PDF show it: UK dates, UK times, Yes and No."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        at: datetime = value
        if column not in _LOCAL_COLUMNS:
            at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UK)
        return at.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return f"{value:,}" if column not in ("hour", "status", "weekday") else str(value)
    return str(value)


def shown_rows(table: ReportTable) -> list[list[str]]:
    """Every row of ``table`` as text for people (the downloads keep ISO 8601 and plain numbers)."""
    return [[cell(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]


@dataclass
class ParsedReport:
    """What the form asked for, or the errors that stop it."""

    kind: ReportKind | None = None
    filters: ReportFilters | None = None
    output: str = "html"
    errors: dict[str, str] = field(default_factory=dict)


def _instant(day_text: str, time_text: str, key: str, errors: dict[str, str]) -> datetime | None:
    """A UK date and optional time (midnight by default) as a UTC instant."""
    if not day_text.strip():
        if time_text.strip():
            errors[key] = "Enter the date as well as the time."
        return None
    try:
        day = parse_date(day_text)
    except InvalidDate as exc:
        errors[key] = str(exc)
        return None
    at = time()
    if time_text.strip():
        match = _TIME.match(time_text.strip())
        if match is None:
            errors[f"{key}_time"] = "Enter the time as hours and minutes, for example 14:05."
            return None
        at = time(int(match.group(1)), int(match.group(2)))
    return datetime.combine(day, at, UK).astimezone(UTC)


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.strip().lower() for w in _SPLIT.split(text) if w.strip()))


def _whole(text: str, key: str, low: int, high: int, default: int, errors: dict[str, str]) -> int:
    if not text.strip():
        return default
    if not text.strip().isdigit() or not low <= int(text) <= high:
        errors[key] = f"Enter a whole number from {low} to {high}."
        return default
    return int(text)


def _choice(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text)


def parse_filters(values: Mapping[str, Any]) -> ParsedReport:
    """The report, filters and output the form asks for; errors keyed by field."""
    parsed = ParsedReport()
    errors = parsed.errors

    def text(key: str) -> str:
        value = values.get(key, "")
        return value if isinstance(value, str) else ""

    def listed(key: str) -> tuple[str, ...]:
        value = values.get(key, [])
        items = [value] if isinstance(value, str) else list(value)
        return tuple(dict.fromkeys(str(v) for v in items if str(v).strip()))

    try:
        parsed.kind = ReportKind(text("kind"))
    except ValueError:
        errors["kind"] = "Choose a report."
    output = text("output") or "html"
    if output not in OUTPUTS:
        errors["output"] = "Choose how to get the report."
    parsed.output = output
    start = _instant(text("start"), text("start_time"), "start", errors)
    end = _instant(text("end"), text("end_time"), "end", errors)
    if start and end and end <= start:
        errors["end"] = "The end must come after the start."
    moment = _instant(text("moment"), text("moment_time"), "moment", errors)
    if parsed.kind is ReportKind.TIMELINE and moment is None and "moment" not in errors:
        errors["moment"] = "Enter the date and time of the moment of interest."
    first_hour = _whole(text("hours_from"), "hours_from", 0, 23, 8, errors)
    last_hour = _whole(text("hours_to"), "hours_to", 1, 24, 18, errors)
    if first_hour >= last_hour and "hours_from" not in errors and "hours_to" not in errors:
        errors["hours_to"] = "Working hours must end after they start."
    parsed.filters = ReportFilters(
        start=start,
        end=end,
        people=listed("people"),
        devices=listed("devices"),
        categories=_words(text("categories")),
        domains=_words(text("domains")),
        clients=_words(text("clients")),
        blocked=_choice(text("blocked")),
        social=_choice(text("social")),
        moment=moment,
        window_minutes=_whole(text("window"), "window", 1, 24 * 60, 30, errors),
        working_hours=(first_hour, last_hour),
        limit=_whole(text("limit"), "limit", 1, MAX_LIMIT, 100, errors),
    )
    if errors:
        parsed.filters = None
    return parsed


def _uk(at: datetime) -> str:
    return at.astimezone(UK).strftime("%d/%m/%Y %H:%M")


def filters_summary(
    session: Session, filters: ReportFilters, kind: ReportKind
) -> list[tuple[str, str]]:
    """The filters in words, for the page and the PDF: only those that narrow the report."""
    names = dict(
        session.execute(
            select(Person.email, Person.name).where(Person.email.in_(filters.people))
        ).all()
    )
    shown: list[tuple[str, str]] = []
    if filters.start:
        shown.append(("From", _uk(filters.start)))
    if filters.end:
        shown.append(("Until", _uk(filters.end)))
    if filters.people:
        shown.append(("People", ", ".join(names.get(p, p) for p in filters.people)))
    for what, items in (
        ("Devices", filters.devices),
        ("Categories", filters.categories),
        ("Domains", filters.domains),
        ("Client addresses", filters.clients),
    ):
        if items:
            shown.append((what, ", ".join(items)))
    if filters.blocked is not None:
        shown.append(("Blocked", "Yes" if filters.blocked else "No"))
    if filters.social is not None:
        shown.append(("Social networking", "Yes" if filters.social else "No"))
    if kind is ReportKind.SOCIAL_IN_WORKING_HOURS:
        first, last = filters.working_hours
        shown.append(("Working hours", f"{first:02d}:00 to {last:02d}:00"))
    if kind is ReportKind.TIMELINE and filters.moment:
        shown.append(("Moment", f"{_uk(filters.moment)}, ± {filters.window_minutes} minutes"))
    shown.append(("At most", f"{filters.limit:,} rows"))
    return shown


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FilterChoices:
    """The people and devices the form offers: those the authorisation covers."""

    people: list[Choice]
    devices: list[Choice]


def filter_choices(
    session: Session, authorisation: MonitoringAuthorisation | None
) -> FilterChoices:
    if authorisation is None:
        return FilterChoices([], [])
    if authorisation.whole_school:
        people_rows = session.execute(
            select(Person.email, Person.name)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.school_id == authorisation.school_id)
            .distinct()
            .order_by(Person.name, Person.email)
        ).all()
        hosts = list(
            session.scalars(
                select(NetworkDevice.hostname)
                .where(NetworkDevice.school_id == authorisation.school_id)
                .order_by(NetworkDevice.hostname)
            )
        )
    else:
        keys = person_keys(session, people_in_scope(authorisation))
        people_rows = session.execute(
            select(Person.email, Person.name)
            .where(Person.email.in_(list(keys.values())))
            .order_by(Person.name)
        ).all()
        hosts = sorted(device_keys(session, devices_in_scope(authorisation)).values())
    return FilterChoices(
        [Choice(email, f"{name} ({email})") for email, name in people_rows],
        [Choice(host, host) for host in hosts],
    )


@dataclass(frozen=True)
class DatasetView:
    """A dataset with its authorisation and what ingest found, ready to show."""

    dataset: LogDataset
    authorisation: MonitoringAuthorisation | None
    files: list[dict[str, Any]]
    formats: dict[str, int]
    samples: list[dict[str, Any]]


def dataset_view(session: Session, dataset: LogDataset) -> DatasetView:
    return DatasetView(
        dataset=dataset,
        authorisation=session.get(MonitoringAuthorisation, dataset.authorisation_id),
        files=list(json.loads(dataset.files_json or "[]")),
        formats=dict(json.loads(dataset.formats_json or "{}")),
        samples=list(json.loads(dataset.malformed_samples_json or "[]")),
    )
