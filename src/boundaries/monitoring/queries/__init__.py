"""The report queries, written once in DuckDB's SQL (one file per report in this folder) and
transpiled with SQLGlot for Spark. SQLGlot rather than Ibis: the queries stay plain SQL that
anyone can read and run by hand in DuckDB, and no dataframe library with its own pin on the
PySpark version sits between us and either engine.

Every statement is ``WITH lines AS (lines.sql), filtered AS (lines WHERE <filters>) <report>``;
filter values go in as SQLGlot literals (quoted for each dialect, never pasted as text), and
``:name`` placeholders take the report's parameters.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import sqlglot
from sqlglot import exp

if TYPE_CHECKING:
    from boundaries.monitoring.reports import ReportFilters, ReportKind

SOURCE_DIALECT = "duckdb"
# Bounds for a timeline with no moment: wider than any log.
_EARLIEST = datetime(1970, 1, 1)
_LATEST = datetime(2200, 1, 1)


@cache
def query_text(name: str) -> str:
    """The SQL of one query file (``lines`` or a report kind)."""
    return (
        resources.files("boundaries.monitoring.queries")
        .joinpath(f"{name}.sql")
        .read_text(encoding="utf-8")
    )


def _utc_naive(value: datetime) -> datetime:
    # Stored times are UTC without a zone; an aware filter time is converted to match.
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _timestamp(value: datetime) -> exp.Expression:
    text = _utc_naive(value).isoformat(sep=" ", timespec="microseconds")
    return exp.cast(exp.Literal.string(text), exp.DataType.build("TIMESTAMP"))


def _lower(column: str) -> exp.Expression:
    return exp.Lower(this=exp.column(column))


def _any_of(columns: tuple[str, ...], values: tuple[str, ...], *, fold: bool) -> exp.Expression:
    wanted = [exp.Literal.string(v.strip().lower() if fold else v.strip()) for v in values]
    tests = [(_lower(c) if fold else exp.column(c)).isin(*wanted) for c in columns]
    return exp.Paren(this=exp.or_(*tests)) if len(tests) > 1 else tests[0]


def conditions(filters: ReportFilters) -> list[exp.Expression]:
    """The WHERE conditions that ``filters`` asks for."""
    found: list[exp.Expression] = []
    if filters.start is not None:
        found.append(exp.GTE(this=exp.column("ts"), expression=_timestamp(filters.start)))
    if filters.end is not None:
        found.append(exp.LT(this=exp.column("ts"), expression=_timestamp(filters.end)))
    if filters.people:
        found.append(_any_of(("person", "person_name", "user_name"), filters.people, fold=True))
    if filters.devices:
        found.append(_any_of(("device", "device_or_client"), filters.devices, fold=True))
    if filters.categories:
        found.append(_any_of(("category",), filters.categories, fold=False))
    if filters.domains:
        found.append(_any_of(("domain", "host"), filters.domains, fold=True))
    if filters.clients:
        found.append(_any_of(("client", "client_host"), filters.clients, fold=True))
    if filters.blocked is not None:
        found.append(
            exp.EQ(this=exp.column("blocked"), expression=exp.Boolean(this=filters.blocked))
        )
    if filters.social is not None:
        found.append(exp.EQ(this=exp.column("social"), expression=exp.Boolean(this=filters.social)))
    return found


def _parameters(filters: ReportFilters) -> dict[str, exp.Expression]:
    start, end = filters.working_hours
    if filters.moment is not None:
        window = timedelta(minutes=max(0, filters.window_minutes))
        low, high = filters.moment - window, filters.moment + window
    else:
        low, high = filters.start or _EARLIEST, filters.end or _LATEST
    return {
        "row_limit": exp.Literal.number(max(0, int(filters.limit))),
        "work_start": exp.Literal.number(int(start)),
        "work_end": exp.Literal.number(int(end)),
        "window_start": _timestamp(low),
        "window_end": _timestamp(high),
    }


def statement(kind: ReportKind, filters: ReportFilters, dialect: str) -> str:
    """The full SQL for one report in ``dialect`` ("duckdb" or "spark")."""
    lines = sqlglot.parse_one(query_text("lines"), read=SOURCE_DIALECT)
    filtered = exp.select("*").from_("lines")
    for condition in conditions(filters):
        filtered = filtered.where(condition)
    report = sqlglot.parse_one(query_text(str(kind)), read=SOURCE_DIALECT)
    assert isinstance(report, exp.Query)
    report = report.with_("lines", as_=lines).with_("filtered", as_=filtered)
    report = exp.replace_placeholders(report, **_parameters(filters))
    return report.sql(dialect=dialect)
