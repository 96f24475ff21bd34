"""The monitoring reports: one query per kind, written once (see ``queries``), run on DuckDB
(embedded, the default) or on Apache Spark (a council's logs), giving the same table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any


class ReportKind(StrEnum):
    PEOPLE = "people"
    DEVICES = "devices"
    CATEGORIES = "categories"
    HOURS = "hours"
    SOCIAL_IN_WORKING_HOURS = "social_in_working_hours"
    BLOCKED = "blocked"
    TOP_DOMAINS = "top_domains"
    TIMELINE = "timeline"


ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class ReportFilters:
    """What to keep. Times are UTC when naive; lists match any of their values."""

    start: datetime | None = None
    end: datetime | None = None
    people: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    blocked: bool | None = None
    moment: datetime | None = None
    window_minutes: int = 30
    working_hours: tuple[int, int] = (8, 18)
    limit: int = 100
    social: bool | None = None


@dataclass
class ReportTable:
    """A report's rows, with their column names."""

    kind: ReportKind
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if v is None else _text(v) for v in row])
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": str(self.kind),
                "columns": self.columns,
                "rows": [[_json_value(v) for v in row] for row in self.rows],
            },
            ensure_ascii=False,
        )


def _text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def run_report(
    dataset_dir: Path,
    kind: ReportKind,
    filters: ReportFilters = ReportFilters(),
    *,
    engine: str = "duckdb",
) -> ReportTable:
    """Run one report over the dataset that :func:`~boundaries.monitoring.ingest.ingest_logs`
    wrote, on ``engine`` ("duckdb" or "spark")."""
    from boundaries.monitoring.engines import run_on

    return run_on(engine, dataset_dir, ReportKind(kind), filters)


def run_reports(
    dataset_dir: Path,
    kinds: Sequence[ReportKind | str],
    filters: ReportFilters = ReportFilters(),
    *,
    engine: str = "duckdb",
) -> list[ReportTable]:
    """Several reports over the same dataset and filters, in the order asked; on DuckDB they
    share one connection (each gives the table :func:`run_report` would)."""
    wanted = [ReportKind(kind) for kind in kinds]
    if engine == "duckdb":
        from boundaries.monitoring.engines.duckdb_engine import run_many

        return run_many(dataset_dir, wanted, filters)
    return [run_report(dataset_dir, kind, filters, engine=engine) for kind in wanted]
