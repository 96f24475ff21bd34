"""Reports on DuckDB, embedded: one in-memory connection per report over the Parquet files."""

from __future__ import annotations

from pathlib import Path

import duckdb

from boundaries.monitoring import dataset
from boundaries.monitoring.engines import normalise_value
from boundaries.monitoring.queries import statement
from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable

MEMORY_LIMIT = "1GB"


def connect(dataset_dir: Path) -> duckdb.DuckDBPyConnection:
    """A connection with a view per dataset table (an empty one if it is not written yet)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    for name, (_, columns) in dataset.TABLES.items():
        files = dataset.table_files(dataset_dir, name)
        if files:
            listing = ", ".join(dataset.sql_literal(str(f)) for f in files)
            source = f"SELECT * FROM read_parquet([{listing}])"
        else:
            empty = ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in columns)
            source = f"SELECT {empty} WHERE FALSE"
        con.execute(f"CREATE VIEW {name} AS {source}")
    return con


def run(dataset_dir: Path, kind: ReportKind, filters: ReportFilters) -> ReportTable:
    con = connect(dataset_dir)
    try:
        cursor = con.execute(statement(kind, filters, "duckdb"))
        columns = [d[0] for d in cursor.description or []]
        rows = [tuple(normalise_value(v) for v in row) for row in cursor.fetchall()]
    finally:
        con.close()
    return ReportTable(kind=kind, columns=columns, rows=rows)
