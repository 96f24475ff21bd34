"""Where the report queries run: DuckDB in this process, or Apache Spark through PySpark."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable


def normalise_value(value: Any) -> Any:
    """One Python value for the same SQL value from either engine: times as naive UTC,
    whole decimals (DuckDB's sums) as int."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def run_on(engine: str, dataset_dir: Path, kind: ReportKind, filters: ReportFilters) -> ReportTable:
    """Run the report on the named engine."""
    if engine == "duckdb":
        from boundaries.monitoring.engines.duckdb_engine import run

        return run(dataset_dir, kind, filters)
    if engine == "spark":
        from boundaries.monitoring.engines.spark_engine import run

        return run(dataset_dir, kind, filters)
    raise ValueError(f"Unknown engine {engine!r}: use duckdb or spark.")
